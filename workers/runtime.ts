/**
 * The worker process's Temporal Runtime (installed once, before any connection): its logger is the connector's
 * pino logger, so the SDK's lines, workflow logs (the replay-safe `log` of @temporalio/workflow, through sinks)
 * and the Core's warnings are JSON lines like every other; and with WORKER_TEMPORAL_METRICS_PORT the SDK's own
 * metrics (temporal_workflow_completed, temporal_activity_execution_failed, slots, poll latency, ...) are served
 * for Prometheus on that port, separate from the connector's metrics (lib/metrics.ts).
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import { logger as rootLogger, type Logger } from '../lib/logger';

const TO_TEMPORAL: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

/** The SDK's Logger interface over pino (messages first there, fields first here). */
export function temporalLogger(base: Logger = rootLogger): DefaultLogger {
  const temporal = base.child({ component: 'temporal' });
  return new DefaultLogger(TO_TEMPORAL[base.level] ?? 'INFO', ({ level, message, meta }) => {
    // The interceptor (workers/interceptors.ts) writes this line itself, with the input's companyId: the SDK's
    // is logged before interceptors run and would be the one activity line without it.
    if (message === 'Activity started') return;
    const fields = { ...meta };
    delete fields.taskToken; // long, and of no use to a reader
    if (fields.error instanceof Error) {
      fields.err = fields.error;
      delete fields.error;
    }
    const method = level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
    temporal[method](fields, message);
  });
}

export interface WorkerRuntimeOptions {
  /** host:port for the SDK's Prometheus metrics; unset: none. */
  temporalMetricsAddress?: string;
}

export function installWorkerRuntime(opts: WorkerRuntimeOptions = {}): void {
  Runtime.install({
    logger: temporalLogger(),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(opts.temporalMetricsAddress ? { metrics: { prometheus: { bindAddress: opts.temporalMetricsAddress } } } : {}),
    },
  });
}
