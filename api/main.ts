/**
 * API entrypoint (`npm run api`). Listens even while Temporal is unreachable (webhooks are then queued in the
 * inbox and relayed once it is back), migrates the database first, and stops gracefully on SIGTERM/SIGINT.
 */
import type { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../lib/config';
import { listConnections } from '../store/connections';
import { createPool, migrate } from '../store/db';
import { ensureImportSchedules } from '../temporal/schedules';
import { connectClient } from '../temporal/connection';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { createApp } from './app';
import { startInboxRelay } from './inbox-relay';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.DATABASE_URL) {
    console.error('DATABASE_URL is missing: the API needs PostgreSQL (`npm start` provides an embedded one).');
    process.exit(1);
  }
  const db = createPool(config.DATABASE_URL);
  await migrate(db);

  let client: Client | undefined;
  /** Every connected company's import schedules, created or updated (temporal/schedules.ts). */
  const ensureAllSchedules = async (c: Client) => {
    for (const connection of await listConnections(db)) {
      const result = await ensureImportSchedules(c, connection, config.TEMPORAL_TASK_QUEUE);
      console.log(`[api] import schedules for company ${connection.procoreCompanyId}: ${JSON.stringify(result)}`);
    }
  };
  const connect = async () => {
    try {
      const connected = await connectClient(config);
      await ensureSearchAttributes(connected.connection as Connection, config.TEMPORAL_NAMESPACE).then(
        (added) => added.length > 0 && console.log(`[api] registered search attributes ${added.join(', ')}`),
        (err: Error) => console.warn(`[api] could not register search attributes: ${err.message}`),
      );
      await ensureAllSchedules(connected);
      client = connected;
    } catch (err) {
      console.warn(`[api] Temporal not reachable yet (${(err as Error).message}); retrying in 5 s`);
      setTimeout(connect, 5000).unref();
    }
  };
  await connect();

  const app = createApp({ db, temporal: () => client, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    console.log(`[api] listening on http://${config.API_HOST}:${config.API_PORT}`);
  });
  const relay = startInboxRelay(db, () => client, config.TEMPORAL_TASK_QUEUE, config.WEBHOOK_RELAY_INTERVAL_MS);

  const shutdown = () => {
    relay.stop();
    server.close(async () => {
      await client?.connection.close();
      await db.end();
      process.exit(0);
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
