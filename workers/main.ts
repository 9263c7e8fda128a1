/**
 * Worker entrypoint (`npm run worker`). Shuts down gracefully on SIGINT/SIGTERM: polling stops, in-flight
 * activities get the grace time to finish (otherwise Temporal retries them on another worker once their
 * heartbeat stops), Acumatica sessions are logged out, then the process exits.
 */
import { loadConfigOrExit } from '../lib/config';
import { connectWorker } from '../temporal/connection';
import { createPool, migrate } from '../store/db';
import { createConnectorWorker } from './create-worker';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.DATABASE_URL) {
    console.error('DATABASE_URL is missing: the worker needs PostgreSQL (`npm start` provides an embedded one).');
    process.exit(1);
  }
  const db = createPool(config.DATABASE_URL);
  await migrate(db);
  const connection = await connectWorker(config);
  const { worker, close } = await createConnectorWorker({ connection, config, db });
  console.log(
    `[worker] polling task queue "${config.TEMPORAL_TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233'}`,
  );
  // Runtime's default shutdownSignals (SIGINT, SIGTERM, ...) make run() resolve after a graceful shutdown.
  await worker.run();
  await close();
  await connection.close();
  await db.end();
  console.log('[worker] stopped');
}

main().catch((err) => {
  console.error('[worker] fatal:', err);
  process.exit(1);
});
