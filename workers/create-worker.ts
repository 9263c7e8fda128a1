/**
 * Builds the connector's worker: one task queue for every sync's workflows, a lane per company for its calls to
 * Procore and Acumatica (lib/lanes.ts), activities wired to real clients.
 * Used by workers/main.ts (prebuilt bundle from dist/, workers/workflow-bundle.ts) and by in-process tests (which
 * pass the bundle they built once per test file).
 */
import {
  Worker,
  type ActivityInterceptorsFactory,
  type NativeConnection,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities } from '../activities';
import { CompanyClients } from '../activities/company-clients';
import { ProcoreClient } from '../clients/procore/client';
import type { Config } from '../lib/config';
import { tracing, type Tracing } from '../lib/tracing';
import type { Db } from '../store/db';
import { CompanyLanes } from './company-lanes';
import { activityLogContext } from './interceptors';
import { ensureWorkflowBundle } from './workflow-bundle';

export interface WorkerDeps {
  connection: NativeConnection;
  config: Pick<
    Config,
    | 'TEMPORAL_NAMESPACE'
    | 'TEMPORAL_TASK_QUEUE'
    | 'PROCORE_API_URL'
    | 'PROCORE_AUTH_URL'
    | 'PROCORE_CLIENT_ID'
    | 'PROCORE_CLIENT_SECRET'
  > &
    Partial<
      Pick<
        Config,
        | 'TEMPORAL_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND'
        | 'WORKER_MAX_CONCURRENT_ACTIVITIES'
        | 'WORKER_ACTIVITIES_PER_COMPANY'
        | 'ACUMATICA_MAX_CONCURRENT'
        | 'ACUMATICA_MAX_PER_MINUTE'
        | 'ACUMATICA_MAX_SESSIONS'
      >
    >;
  db: Db;
  workflowBundle?: WorkflowBundleOption;
}

export interface ConnectorWorker {
  /** The worker of the task queue and every company lane's (workers/company-lanes.ts), run and stopped together. */
  worker: { run(): Promise<void>; shutdown(): void };
  /** Logs every Acumatica session out; call after worker.run() resolves. */
  close(): Promise<void>;
}

const SHUTDOWN_GRACE = '20 seconds';

export async function createConnectorWorker({
  connection,
  config,
  db,
  workflowBundle,
}: WorkerDeps): Promise<ConnectorWorker> {
  const procore = new ProcoreClient({
    baseUrl: config.PROCORE_API_URL,
    authUrl: config.PROCORE_AUTH_URL,
    clientId: config.PROCORE_CLIENT_ID,
    clientSecret: config.PROCORE_CLIENT_SECRET,
  });
  const companies = new CompanyClients(db, {
    maxConcurrent: config.ACUMATICA_MAX_CONCURRENT,
    maxPerMinute: config.ACUMATICA_MAX_PER_MINUTE,
    maxSessions: config.ACUMATICA_MAX_SESSIONS,
  });
  const traces = tracing();
  const activities = createActivities({ db, procore, companies });
  // Log context (workflowId, runId, activityType, attempt, companyId) for every activity: workers/interceptors.ts;
  // with tracing on, OpenTelemetry's activity interceptors.
  const activityInterceptors = [...(traces ? [otelActivityInterceptors()] : []), activityLogContext];
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle: workflowBundle ?? { codePath: ensureWorkflowBundle({ tracing: !!traces }) },
    activities,
    interceptors: { activity: activityInterceptors },
    // With tracing on, the workflow spans' exporter sink.
    sinks: traces ? otelSinks(traces) : undefined,
    // Bounded cache: cached workflows hold V8 heap (sdk-typescript #2227); 100 keeps the commitments
    // benchmark's worker at ~440 MB RSS (500: ~490 MB) with no latency cost.
    maxCachedWorkflows: 100,
    // The activities left on this queue (the database's, onboarding): each lane has slots of its own.
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES ?? 20,
    maxTaskQueueActivitiesPerSecond: config.TEMPORAL_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND,
    // In-flight activities get this long to finish on SIGTERM before they are cancelled and retried elsewhere.
    shutdownGraceTime: SHUTDOWN_GRACE,
  });
  const lanes = new CompanyLanes(db, config.TEMPORAL_TASK_QUEUE, (taskQueue) =>
    Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      activities,
      interceptors: { activity: activityInterceptors },
      // Activities mostly wait on HTTP (and on their tenant's budget); a few per company and worker keep one
      // company's backlog in Temporal's queue rather than in every worker's slots.
      maxConcurrentActivityTaskExecutions: config.WORKER_ACTIVITIES_PER_COMPANY ?? 10,
      // Enforced by the server for the lane as a whole, so per company across every worker (clients/acumatica/limiter.ts).
      maxTaskQueueActivitiesPerSecond: config.TEMPORAL_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND,
      shutdownGraceTime: SHUTDOWN_GRACE,
    }),
  );
  return {
    worker: {
      async run() {
        await lanes.start();
        try {
          await worker.run();
        } finally {
          await lanes.stop();
        }
      },
      shutdown: () => worker.shutdown(),
    },
    close: () => companies.closeAll(),
  };
}

/* eslint-disable @typescript-eslint/no-require-imports -- OpenTelemetry is loaded only when tracing is on */
type OtelWorker = typeof import('@temporalio/interceptors-opentelemetry/lib/worker');

function otelActivityInterceptors(): ActivityInterceptorsFactory {
  const otel = require('@temporalio/interceptors-opentelemetry/lib/worker') as OtelWorker;
  return (ctx) => ({
    inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx),
    outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
  });
}

function otelSinks(traces: Tracing) {
  const otel = require('@temporalio/interceptors-opentelemetry/lib/worker') as OtelWorker;
  return { exporter: otel.makeWorkflowExporter(traces.spanProcessor, traces.resource) };
}
