/**
 * Issue #14, logs and the worker's metrics endpoints: one export through a real worker process (`npm run worker`,
 * JSON logs on a pipe, LOG_LEVEL=debug) with injected faults on both systems. The worker's JSON lines carry the
 * activity context on every activity line, the HTTP calls are logged with method, path, status and duration,
 * the faults as warnings with their error kind, the workflow's own log line arrives; and no secret (Acumatica
 * password, Procore client secret, webhook token, operator key) appears anywhere in the worker's or the API's
 * logs. The worker's metrics port and the Temporal SDK's metrics port answer too.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DEMO_COMPANY, DEMO_PROCORE_CLIENT, DEMO_SUBCONTRACTS } from 'simulator-common';
import { logger, setLogDestination } from '../../lib/logger';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

const [concrete] = DEMO_SUBCONTRACTS;
let stack: ConnectorStack;
let apiLog = '';
let webhookToken: string;
const ports = { metrics: 0, temporal: 0 };
const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'connector-logs-')), 'worker.log');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

type Line = Record<string, unknown> & { msg?: string; level?: string };
const jsonLines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

beforeAll(async () => {
  // The API runs in this process: capture its lines as well.
  setLogDestination(
    new Writable({
      write(chunk, _enc, cb) {
        apiLog += chunk.toString();
        cb();
      },
    }),
  );
  logger.level = 'debug';
  ports.metrics = await freePort();
  ports.temporal = await freePort();
  stack = await startConnectorStack({ worker: 'none' });
  await stack.startChildWorker({
    LOG_LEVEL: 'debug',
    LOG_FILE: logFile,
    METRICS_HOST: '127.0.0.1',
    WORKER_METRICS_PORT: String(ports.metrics),
    WORKER_TEMPORAL_METRICS_PORT: String(ports.temporal),
  });
  const hooks = await stack.procore.listHooks(stack.companyId, 'procore-acumatica-connector');
  const header = hooks[0].destination_headers?.Authorization ?? hooks[0].destination_headers?.authorization;
  webhookToken = String(header).replace(/^Bearer /, '');
});
afterAll(async () => {
  await stack?.stop();
  setLogDestination(undefined);
  logger.level = 'silent';
});

let workerLines: Line[] = [];

test('an export with injected faults: every activity line carries its context, calls are logged', async () => {
  // One failed read from Procore (retried by the activity), one 429 and one 503 from Acumatica's Subcontract write.
  await stack.inject('procore', {
    method: 'GET',
    path: '/rest/v1.0/companies/*/erp_requests/*',
    kind: 'error',
    status: 503,
    times: 1,
  });
  await stack.inject('acumatica', {
    method: 'PUT',
    path: '/entity/Default/*/Subcontract',
    kind: 'rate_limit',
    retryAfterSeconds: 1,
    times: 1,
  });
  await stack.inject('acumatica', {
    method: 'PUT',
    path: '/entity/Default/*/Subcontract',
    kind: 'error',
    status: 503,
    times: 1,
  });
  // Operator and webhook credentials pass through the API too.
  expect((await stack.apiFetch('/syncs/erp-0-request-0')).status).toBeLessThan(500);
  const { workflowId } = await stack.accept(concrete.procoreId);
  const result = await stack.waitForWorkflow<{ status: string }>(workflowId, 120_000);
  expect(result.status).toBe('success');
  await new Promise((r) => setTimeout(r, 1500)); // the last lines of the close-out

  workerLines = jsonLines(stack.childWorkerOutput());
  const ofThisExport = workerLines.filter((l) => l.workflowId === workflowId);
  expect(ofThisExport.length).toBeGreaterThan(5);

  // Every activity line: workflowId, runId, activityType, attempt, companyId.
  const activityLines = ofThisExport.filter((l) => l.activityType);
  expect(activityLines.length).toBeGreaterThan(0);
  for (const line of activityLines) {
    expect(line).toEqual(
      expect.objectContaining({
        workflowId,
        runId: expect.any(String),
        activityType: expect.any(String),
        attempt: expect.any(Number),
        companyId: DEMO_COMPANY.procoreCompanyId,
      }),
    );
  }
  const types = new Set(activityLines.map((l) => l.activityType));
  expect(types).toEqual(new Set(['prepareErpRequestActivity', 'exportRecordActivity']));
  // The faults made activities retry: their second attempts say so.
  expect(activityLines.some((l) => l.attempt === 2)).toBe(true);
  // The entity and ids, where the input names them.
  // The export's close-out calls to Procore (after Acumatica committed) name the Acumatica key as well.
  expect(activityLines.find((l) => l.activityType === 'exportRecordActivity' && l.system === 'procore')).toEqual(
    expect.objectContaining({
      entity: 'subcontract',
      procoreId: concrete.procoreId,
      acumaticaKey: expect.stringMatching(/\S/),
    }),
  );

  // Outbound calls at debug: method, path, status, duration, for both systems.
  for (const system of ['procore', 'acumatica']) {
    const ok = activityLines.find((l) => l.system === system && l.status === 200 && l.level === 'debug');
    expect(ok).toEqual(
      expect.objectContaining({ method: expect.any(String), path: expect.any(String), durationMs: expect.any(Number) }),
    );
  }
  // Failures at warn with the error kind and the retry decision.
  expect(activityLines).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        level: 'warn',
        system: 'procore',
        status: 503,
        errorKind: 'TransientUpstreamError',
        retry: 'retryable',
      }),
      expect.objectContaining({ level: 'warn', system: 'acumatica', status: 429, errorKind: 'RateLimitError' }),
      expect.objectContaining({ level: 'warn', system: 'acumatica', status: 503, errorKind: 'TransientUpstreamError' }),
    ]),
  );
  // The SDK's own activity lines (through the Runtime logger) carry the input's company too.
  expect(
    activityLines.some((l) => l.msg === 'Activity completed' && l.companyId === DEMO_COMPANY.procoreCompanyId),
  ).toBe(true);
  // The workflow's replay-safe log line, through the same logger.
  expect(ofThisExport).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ msg: 'ERP request closed success', workflowType: 'erpRequestWorkflow' }),
    ]),
  );
  // One line a person cares about.
  expect(ofThisExport.some((l) => l.level === 'info' && String(l.msg).startsWith('export done'))).toBe(true);
});

test('LOG_FILE keeps the same lines as JSON', () => {
  const fileLines = jsonLines(fs.readFileSync(logFile, 'utf8'));
  expect(fileLines.length).toBeGreaterThan(10);
  expect(fileLines.some((l) => l.level === 'debug' && l.system === 'acumatica' && l.companyId === '4271')).toBe(true);
});

test('no secret appears anywhere in the logs', () => {
  const everything = stack.childWorkerOutput() + apiLog + fs.readFileSync(logFile, 'utf8');
  expect(apiLog.length).toBeGreaterThan(0);
  for (const secret of [
    DEMO_COMPANY.acumaticaLogin.password,
    DEMO_PROCORE_CLIENT.clientSecret,
    webhookToken,
    stack.operatorKey,
  ]) {
    expect(secret.length).toBeGreaterThan(5);
    expect(everything).not.toContain(secret);
  }
});

test("the worker's metrics port and the Temporal SDK's metrics port", async () => {
  const connector = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
  expect(connector).toMatch(/connector_exports_total\{company="4271",entity="[a-z_]+",outcome="success"\} 1\n/);
  expect(connector).toMatch(
    /connector_export_latency_seconds_count\{company="4271",entity="[a-z_]+",outcome="success"\} 1\n/,
  );
  expect(connector).toMatch(/connector_api_calls_total\{system="procore",[^}]*status="503"[^}]*\} 1/);
  expect(connector).toMatch(/connector_api_rate_limited_total\{system="acumatica",company="4271"\} 1/);
  expect(connector).toMatch(/connector_acumatica_sessions_open\{company="4271"\} 1/);
  expect(connector).not.toMatch(/connector_inbox_backlog/); // the API's, not a worker's
  const temporal = await (await fetch(`http://127.0.0.1:${ports.temporal}/metrics`)).text();
  expect(temporal).toMatch(/temporal_workflow_completed/);
});
