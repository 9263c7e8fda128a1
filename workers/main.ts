/**
 * Worker entrypoint (`npm run worker`). Shuts down gracefully on SIGINT/SIGTERM: polling stops, in-flight
 * activities get the grace time to finish (otherwise Temporal retries them on another worker once their
 * heartbeat stops), Acumatica sessions are logged out, then the process exits.
 * Observability: JSON logs (lib/logger.ts, the Temporal Runtime's logger too), the connector's metrics on
 * WORKER_METRICS_PORT, the SDK's on WORKER_TEMPORAL_METRICS_PORT, traces when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
import { configureLogging, logger as rootLogger } from '../lib/logger';
import { loadConfigOrExit } from '../lib/config';
import { collectProcessMetrics } from '../lib/metrics';
import { startMetricsServer } from '../lib/metrics-server';
import { startTracing } from '../lib/tracing';
import { connectWorker } from '../temporal/connection';
import { createPool, migrate } from '../store/db';
import { createConnectorWorker } from './create-worker';
import { installWorkerRuntime } from './runtime';

const logger = rootLogger.child({ component: 'worker' });

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  configureLogging({ level: config.LOG_LEVEL });
  if (!config.DATABASE_URL) {
    logger.fatal('DATABASE_URL is missing: the worker needs PostgreSQL (`npm start` provides an embedded one).');
    process.exit(1);
  }
  installWorkerRuntime({
    temporalMetricsAddress: config.WORKER_TEMPORAL_METRICS_PORT
      ? `${config.METRICS_HOST}:${config.WORKER_TEMPORAL_METRICS_PORT}`
      : undefined,
  });
  collectProcessMetrics();
  const traces = startTracing({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME ?? 'connector-worker',
  });
  if (traces) logger.info(`traces to ${config.OTEL_EXPORTER_OTLP_ENDPOINT}`);
  const metrics =
    config.WORKER_METRICS_PORT !== undefined
      ? await startMetricsServer(config.WORKER_METRICS_PORT, config.METRICS_HOST)
      : undefined;
  if (metrics) logger.info({ url: metrics.url }, `metrics on ${metrics.url}`);
  if (config.WORKER_TEMPORAL_METRICS_PORT) {
    logger.info(`Temporal SDK metrics on http://${config.METRICS_HOST}:${config.WORKER_TEMPORAL_METRICS_PORT}/metrics`);
  }
  const db = createPool(config.DATABASE_URL);
  await migrate(db);
  const connection = await connectWorker(config);
  const { worker, close } = await createConnectorWorker({ connection, config, db });
  logger.info(
    { taskQueue: config.TEMPORAL_TASK_QUEUE },
    `polling task queue "${config.TEMPORAL_TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233'}`,
  );
  // Runtime's default shutdownSignals (SIGINT, SIGTERM, ...) make run() resolve after a graceful shutdown.
  await worker.run();
  await close();
  await connection.close();
  await db.end();
  await metrics?.close();
  await traces?.shutdown();
  logger.info('stopped');
}

main().catch((err) => {
  logger.fatal({ err }, `fatal: ${(err as Error).message}`);
  process.exit(1);
});
