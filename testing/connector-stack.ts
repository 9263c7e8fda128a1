/**
 * Public test support (used by tests/ and bench/): the whole connector over HTTP — both simulators, the real API (in process, random
 * port), a worker (in process, or as a child process that a test can kill), the real Temporal dev server and
 * the real PostgreSQL (TEMPORAL_ADDRESS and DATABASE_URL, as tests/global-setup.ts or bench/run.ts set them). Each stack has its own task queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createApp } from '../api/app';
import { startInboxRelay } from '../api/inbox-relay';
import { AcumaticaClient } from '../clients/acumatica/client';
import { eq } from '../clients/acumatica/odata';
import { ProcoreClient } from '../clients/procore/client';
import { procoreMarker, erpRequestWorkflowId } from '../lib/ids';
import { logger } from '../lib/logger';
import { tracing } from '../lib/tracing';
import { setupDemoStack } from '../setup/demo-stack';
import { demoConnection, seedDemoLinks } from '../setup/demo-company';
import { connectCompany } from '../connections/connect';
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY, DEMO_PROCORE_CLIENT } from 'simulator-common';
import { createApiKey } from '../store/api-keys';
import { createPool, migrate } from '../store/db';
import { getConnection } from '../store/connections';
import { clientInterceptors } from '../temporal/connection';
import { ensureImportSchedules } from '../temporal/schedules';
import { createConnectorWorker } from '../workers/create-worker';
import { workerNodeFlags } from '../workers/node-flags';
import { OTEL_WORKFLOW_INTERCEPTORS } from '../workers/workflow-bundle';

const ROOT = path.resolve(__dirname, '..');
const isRunning = (proc: ChildProcess) => proc.exitCode === null && proc.signalCode === null;
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
let runtimeInstalled = false;

/**
 * In-process workers log errors only (injected faults make every retry a warning), and the connector's own
 * logger is silent unless LOG_LEVEL asks for it (a test that captures logs sets its level). Once per process.
 */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
}
if (!process.env.LOG_LEVEL) logger.level = 'silent';

/** Webpack-bundles the workflows once per test file (~2 s) instead of once per worker. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  // With tracing on in this process (a test called startTracing first), the bundle carries its interceptors.
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: tracing() ? [require.resolve(OTEL_WORKFLOW_INTERCEPTORS)] : [],
    logger: quietLogger,
  });
  return bundle;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (msg: string) => console.error(msg),
};

/**
 * A PostgreSQL schema of its own for one stack, so stacks (and test runs on the same database) never see each
 * other's connections, links or inbox. Every connection string of the stack selects it with search_path.
 */
async function createStackSchema(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `test_${crypto.randomUUID().replace(/-/g, '')}`;
  const admin = createPool(baseUrl, 1);
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    async drop() {
      const pool = createPool(baseUrl, 1);
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    },
  };
}

export interface StackOptions {
  worker?: 'in-process' | 'child-process' | 'none';
  relayIntervalMs?: number;
  procoreSimulator?: Parameters<typeof setupDemoStack>[0]['procoreSimulator'];
  acumaticaSimulator?: Parameters<typeof setupDemoStack>[0]['acumaticaSimulator'];
  /**
   * The Acumatica endpoint the company's connection names (e.g. the simulator's `extensionEndpoint`), as
   * `connect --endpoint <name> [--endpoint-version <v>]` stores it; unset = Default, version negotiated.
   */
  acumaticaEndpoint?: { name: string; version?: string };
}

export type ConnectorStack = Awaited<ReturnType<typeof startConnectorStack>>;

export async function startConnectorStack(opts: StackOptions = {}) {
  const schema = await createStackSchema(process.env.DATABASE_URL!);
  const databaseUrl = schema.url;
  const temporalAddress = process.env.TEMPORAL_ADDRESS!;
  const taskQueue = `test-${crypto.randomUUID()}`;
  const db = createPool(databaseUrl, 10); // as the API's default pool
  await migrate(db);

  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, interceptors: clientInterceptors() });
  let temporalAvailable = true;
  const temporal = () => (temporalAvailable ? client : undefined);
  const app = createApp({ db, temporal, taskQueue });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const relay = startInboxRelay(db, temporal, taskQueue, opts.relayIntervalMs ?? 500);
  const operatorKey = (await createApiKey(db, 'tests')).key;

  const demo = await setupDemoStack({
    databaseUrl,
    apiPublicUrl: apiUrl,
    // Unique ERP request ids per stack: every test file shares one Temporal server (and its workflow ids).
    // Procore's limits are raised out of the way by default: a test file makes more calls in its hour than
    // Procore's 3,600 allow, and its own assertions read through a client that does not share the worker's
    // pacer, so a 429 there is a test artefact. Pacing under real limits is tested against the simulator alone
    // (tests/simulators) and measured by the benchmarks; a file can still pass its own `rateLimit`.
    procoreSimulator: {
      firstNewId: BigInt(Date.now()) * 1000n,
      rateLimit: { limitPerHour: 1_000_000, spikeLimit: 100_000 },
      ...opts.procoreSimulator,
    },
    acumaticaSimulator: opts.acumaticaSimulator,
  });
  if (opts.acumaticaEndpoint)
    await db.query(
      `UPDATE company_connections SET acumatica_endpoint_name = $2, acumatica_endpoint_version = $3
        WHERE procore_company_id = $1`,
      [DEMO_COMPANY.procoreCompanyId, opts.acumaticaEndpoint.name, opts.acumaticaEndpoint.version ?? null],
    );
  const workerEnv = {
    ...demo.env,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: databaseUrl,
  };
  // As the API does at start: the company's import schedules exist (pointing at this stack's task queue).
  await ensureImportSchedules(client, (await getConnection(db, DEMO_COMPANY.procoreCompanyId))!, taskQueue);
  // The in-process worker resolves the connection's secret reference from this process's environment.
  Object.assign(process.env, demo.env);

  // --- worker control ---------------------------------------------------------------------------------
  let inProcess: { stop(): Promise<void> } | undefined;
  let child: ChildProcess | undefined;
  /** Every child worker started (the month-end benchmark runs three); `child` is the last. */
  const children: ChildProcess[] = [];

  async function startInProcessWorker() {
    quietRuntime();
    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    const { worker, close } = await createConnectorWorker({
      connection: nativeConnection,
      db,
      config: {
        TEMPORAL_NAMESPACE: 'default',
        TEMPORAL_TASK_QUEUE: taskQueue,
        PROCORE_API_URL: demo.env.PROCORE_API_URL,
        PROCORE_AUTH_URL: undefined,
        PROCORE_CLIENT_ID: DEMO_PROCORE_CLIENT.clientId,
        PROCORE_CLIENT_SECRET: DEMO_PROCORE_CLIENT.clientSecret,
      },
      workflowBundle: await workflowBundle(),
    });
    const running = worker.run();
    inProcess = {
      async stop() {
        worker.shutdown();
        await running;
        await close();
        await nativeConnection.close();
      },
    };
  }

  let childOutput = '';
  /**
   * A real worker process (`npm run worker`), so a test can SIGKILL it mid-activity. `extraEnv`: more of its
   * configuration (LOG_LEVEL, WORKER_METRICS_PORT, ...).
   */
  async function startChildWorker(extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
    const env = { ...process.env, ...workerEnv, ...extraEnv };
    const proc = spawn(
      process.execPath,
      [...workerNodeFlags(env), '--import', 'tsx', path.join(ROOT, 'workers/main.ts')],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    childOutput = '';
    proc.stdout!.on('data', (c) => {
      output += c;
      childOutput += c;
    });
    proc.stderr!.on('data', (c) => {
      output += c;
      childOutput += c;
    });
    if (process.env.DEBUG_WORKER) proc.stderr!.pipe(process.stderr);
    if (process.env.DEBUG_WORKER) proc.stdout!.pipe(process.stderr);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 60_000);
      proc.stdout!.on('data', () => {
        if (output.includes('polling task queue')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => reject(new Error(`worker exited ${code}: ${output}`)));
    });
    child = proc;
    children.push(proc);
    return proc;
  }

  if (opts.worker === 'child-process') await startChildWorker();
  else if (opts.worker !== 'none') await startInProcessWorker();

  const procore = new ProcoreClient({
    baseUrl: demo.procoreUrl,
    clientId: DEMO_PROCORE_CLIENT.clientId,
    clientSecret: DEMO_PROCORE_CLIENT.clientSecret,
  });
  const acumatica = new AcumaticaClient({
    baseUrl: demo.acumaticaUrl,
    tenant: DEMO_COMPANY.acumaticaTenant,
    username: DEMO_COMPANY.acumaticaLogin.name,
    password: DEMO_COMPANY.acumaticaLogin.password,
    endpointName: opts.acumaticaEndpoint?.name,
    endpointVersion: opts.acumaticaEndpoint?.version,
  });
  const companyId = DEMO_COMPANY.procoreCompanyId;

  /** The Acumatica simulators of companies added by addCompany, closed by stop(). */
  const addedTenants: Array<() => Promise<void>> = [];
  /** A tenant's license limits on its company's connection (shared by every worker: store/tenant-limiter.ts). */
  async function setTenantLimits(company: string, limits: { maxConcurrent: number; maxPerMinute: number }) {
    await db.query(
      `UPDATE company_connections SET acumatica_max_concurrent = $2, acumatica_max_per_minute = $3
        WHERE procore_company_id = $1`,
      [company, limits.maxConcurrent, limits.maxPerMinute],
    );
  }

  return {
    db,
    client,
    taskQueue,
    apiUrl,
    /** The stack's own schema of the test database (what the CLI needs as DATABASE_URL). */
    databaseUrl,
    operatorKey,
    /** A call to the management API with the stack's operator API key. */
    apiFetch(pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${operatorKey}`);
      return fetch(`${apiUrl}${pathAndQuery}`, { ...init, headers });
    },
    companyId,
    procore,
    acumatica,
    procoreUrl: demo.procoreUrl,
    acumaticaUrl: demo.acumaticaUrl,
    procoreSim: demo.procoreSim,
    acumaticaSim: demo.acumaticaSim,
    /** The child worker's process id (benchmarks read its RSS). */
    childWorkerPid: () => child?.pid,
    /** Every running child worker's process id. */
    childWorkerPids: () => children.filter(isRunning).flatMap((c) => (c.pid ? [c.pid] : [])),
    /** Everything the last child worker wrote to stdout and stderr (its JSON log lines). */
    childWorkerOutput: () => childOutput,
    setTemporalAvailable(available: boolean) {
      temporalAvailable = available;
    },
    startChildWorker,
    startInProcessWorker,
    killChildWorker(): Promise<void> {
      const proc = child;
      if (!proc || !isRunning(proc)) return Promise.resolve();
      return new Promise((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    },

    setTenantLimits,

    /**
     * Connects one more company: the demo company's data seeded again at `idBase` in the Procore simulator (one
     * Procore app installed in several companies: ProcoreStore.addCompany), an Acumatica tenant (simulator) of its
     * own with `limits` on it and on the connection, the demo links, and its import schedules.
     */
    async addCompany(opts: {
      name: string;
      idBase: bigint;
      size?: 'demo' | 'large';
      limits?: { maxConcurrent: number; maxPerMinute: number };
    }) {
      const size = opts.size ?? 'demo';
      const company = demo.procoreSim.store.addCompany(opts.idBase, { size: size === 'large' ? 'large' : undefined });
      const acumaticaSim = createAcumaticaSimulator({ size, limits: opts.limits, maxApiUsers: 5 });
      const tenant = await acumaticaSim.listen(0);
      addedTenants.push(tenant.close);
      await connectCompany({
        db,
        procore,
        connection: { ...demoConnection(tenant.url, company), name: opts.name },
        apiPublicUrl: apiUrl,
      });
      await seedDemoLinks(db, company, opts.idBase);
      if (opts.limits) await setTenantLimits(company, opts.limits);
      await ensureImportSchedules(client, (await getConnection(db, company))!, taskQueue);
      return { companyId: company, acumaticaUrl: tenant.url, acumaticaSim };
    },

    /**
     * The accounting approver accepts a commitment: Procore raises an ERP request and sends the webhook.
     * `extra.company_id` accepts it in another company the simulator holds (ProcoreStore.addCompany).
     */
    async accept(
      itemId: string,
      extra: Record<string, unknown> = {},
    ): Promise<{ erpRequestId: string; workflowId: string }> {
      const company = String(extra.company_id ?? companyId);
      const res = await fetch(`${demo.procoreUrl}/__admin/erp/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ company_id: company, item_type: 'work_order_contract', item_id: itemId, ...extra }),
      });
      if (!res.ok) throw new Error(`accept failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { erp_request_id: string | number };
      const erpRequestId = String(body.erp_request_id);
      return { erpRequestId, workflowId: erpRequestWorkflowId(company, erpRequestId) };
    },

    /** Waits until the workflow exists and has closed; returns its result. */
    async waitForWorkflow<T = unknown>(workflowId: string, timeoutMs = 90_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          return (await client.workflow.getHandle(workflowId).result()) as T;
        } catch (err) {
          if ((err as Error).name !== 'WorkflowNotFoundError' || Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },

    async subcontractsFor(commitmentId: string) {
      return acumatica.list('Subcontract', {
        filter: eq('VendorRef', procoreMarker(commitmentId)),
        expand: ['Details'],
      });
    },

    async inject(system: 'procore' | 'acumatica', rule: Record<string, unknown>): Promise<void> {
      const base = system === 'procore' ? demo.procoreUrl : demo.acumaticaUrl;
      const res = await fetch(`${base}/__admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      });
      if (!res.ok) throw new Error(`fault injection failed: ${res.status} ${await res.text()}`);
    },

    async stop(): Promise<void> {
      relay.stop();
      await inProcess?.stop();
      await Promise.all(
        children.filter(isRunning).map(
          (c) =>
            new Promise<void>((resolve) => {
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
      // Workflow ids come from business keys (company 4271's imports have the same id in every stack), and every
      // stack shares one Temporal server: a run left open on this stack's task queue, which no worker polls any
      // more, would be joined by the next stack's request and never finish.
      for await (const w of client.workflow.list({
        query: `TaskQueue STARTS_WITH "${taskQueue}" AND ExecutionStatus = "Running"`,
      })) {
        await client.workflow
          .getHandle(w.workflowId, w.runId)
          .terminate('test stack stopped')
          .catch(() => undefined);
      }
      await acumatica.close();
      for (const close of addedTenants) await close();
      await demo.close();
      await new Promise((r) => server.close(r));
      await connection.close();
      await db.end();
      await schema.drop();
    },
  };
}
