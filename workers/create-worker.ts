/**
 * Builds the connector's worker: a lane per company (lib/lanes.ts) for its workflows and their activities, the
 * shared task queue for what is not in a lane, activities wired to real clients.
 * Used by workers/main.ts (prebuilt bundle from dist/, workers/workflow-bundle.ts) and by in-process tests (which
 * pass the bundle they built once per test file).
 */
import {
  Worker,
  type ActivityInterceptorsFactory,
  type NativeConnection,
  type WorkerOptions,
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
/** Long polls per lane, for workflow tasks and for activity tasks (see below). */
const LANE_POLLS = 2;

export async function createConnectorWorker({ connection, config, db, ...deps }: WorkerDeps): Promise<ConnectorWorker> {
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
  const workflowBundle = deps.workflowBundle ?? { codePath: ensureWorkflowBundle({ tracing: !!traces }) };
  const common: Omit<WorkerOptions, 'taskQueue'> = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    workflowBundle,
    activities,
    interceptors: { activity: activityInterceptors },
    // With tracing on, the workflow spans' exporter sink.
    sinks: traces ? otelSinks(traces) : undefined,
    // Enforced by the server for each task queue as a whole: per company across every worker in the lanes. Set, it
    // turns eager activity dispatch off (measured: every activity then waited ~42 ms in matching).
    maxTaskQueueActivitiesPerSecond: config.TEMPORAL_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND,
    // In-flight activities get this long to finish on SIGTERM before they are cancelled and retried elsewhere.
    shutdownGraceTime: SHUTDOWN_GRACE,
  };
  // The shared queue: workflows started before lanes ran them (and anything started without a company).
  const worker = await Worker.create({
    ...common,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    // Bounded cache: cached workflows hold V8 heap (sdk-typescript #2227).
    maxCachedWorkflows: 20,
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES ?? 20,
  });
  const laneSlots = config.WORKER_ACTIVITIES_PER_COMPANY ?? 10;
  const lanes = new CompanyLanes(db, config.TEMPORAL_TASK_QUEUE, (taskQueue) =>
    Worker.create({
      ...common,
      taskQueue,
      // A company's workflows and their activities share its lane, so the server hands a workflow's next
      // activity to this worker with its workflow task's answer (eager dispatch: no trip through matching).
      // 100 cached workflows per company kept the commitments benchmark's worker at ~440 MB RSS with no latency
      // cost; an evicted workflow is replayed from its history when its next task arrives.
      maxCachedWorkflows: 100,
      // Activities mostly wait on HTTP (and on their tenant's budget); a few per company and worker keep one
      // company's backlog in Temporal's queue rather than in every worker's slots.
      maxConcurrentActivityTaskExecutions: laneSlots,
      // Each waiting poll holds a slot, and the SDK's default is min(10, slots) polls: with 10 slots none is left
      // free, so the server cannot hand an activity over eagerly and every one took ~40 ms through matching
      // (measured). Two polls per lane fetch a backlog fast enough and leave the other slots for eager dispatch.
      activityTaskPollerBehavior: { type: 'simple-maximum', maximum: Math.min(LANE_POLLS, laneSlots) },
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: LANE_POLLS },
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
