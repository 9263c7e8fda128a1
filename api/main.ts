/**
 * API entrypoint (`npm run api`). Listens even while Temporal is unreachable (webhooks are then queued in the
 * inbox and relayed once it is back), migrates the database first, and stops gracefully on SIGTERM/SIGINT.
 */
import type { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../lib/config';
import { configureLogging, logger as rootLogger } from '../lib/logger';
import { collectProcessMetrics } from '../lib/metrics';
import { startMetricsServer } from '../lib/metrics-server';
import { startTracing } from '../lib/tracing';
import { listConnections } from '../store/connections';
import { createPool, migrate } from '../store/db';
import { ensureImportSchedules } from '../temporal/schedules';
import { connectClient } from '../temporal/connection';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { createApp } from './app';
import { startInboxRelay } from './inbox-relay';

const logger = rootLogger.child({ component: 'api' });

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  configureLogging({ level: config.LOG_LEVEL });
  if (!config.DATABASE_URL) {
    logger.fatal('DATABASE_URL is missing: the API needs PostgreSQL (`npm start` provides an embedded one).');
    process.exit(1);
  }
  collectProcessMetrics();
  // Before the Temporal client is made: its interceptor is added only with tracing on.
  const traces = startTracing({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME ?? 'connector-api',
  });
  if (traces) logger.info(`traces to ${config.OTEL_EXPORTER_OTLP_ENDPOINT}`);
  const db = createPool(config.DATABASE_URL);
  await migrate(db);

  let client: Client | undefined;
  /** Every connected company's import schedules, created or updated (temporal/schedules.ts). */
  const ensureAllSchedules = async (c: Client) => {
    for (const connection of await listConnections(db)) {
      const result = await ensureImportSchedules(c, connection, config.TEMPORAL_TASK_QUEUE);
      logger.info(
        { companyId: connection.procoreCompanyId, schedules: result },
        `import schedules for company ${connection.procoreCompanyId}: ${JSON.stringify(result)}`,
      );
    }
  };
  const connect = async () => {
    try {
      const connected = await connectClient(config);
      await ensureSearchAttributes(connected.connection as Connection, config.TEMPORAL_NAMESPACE).then(
        (added) => added.length > 0 && logger.info(`registered search attributes ${added.join(', ')}`),
        (err: Error) => logger.warn({ err }, `could not register search attributes: ${err.message}`),
      );
      await ensureAllSchedules(connected);
      client = connected;
    } catch (err) {
      logger.warn(`Temporal not reachable yet (${(err as Error).message}); retrying in 5 s`);
      setTimeout(connect, 5000).unref();
    }
  };
  await connect();

  const app = createApp({ db, temporal: () => client, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    logger.info(`listening on http://${config.API_HOST}:${config.API_PORT}`);
  });
  const metrics =
    config.METRICS_PORT !== undefined ? await startMetricsServer(config.METRICS_PORT, config.METRICS_HOST) : undefined;
  if (metrics) logger.info({ url: metrics.url }, `metrics on ${metrics.url}`);
  const relay = startInboxRelay(db, () => client, config.TEMPORAL_TASK_QUEUE, config.WEBHOOK_RELAY_INTERVAL_MS);

  const shutdown = () => {
    relay.stop();
    void metrics?.close();
    server.close(async () => {
      await client?.connection.close();
      await db.end();
      await traces?.shutdown();
      process.exit(0);
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err) => {
  logger.fatal({ err }, `fatal: ${(err as Error).message}`);
  process.exit(1);
});
