/**
 * Issue #14, metrics: after one export (API and worker in this process, sharing one registry as in `npm run
 * demo`'s single-process tests), GET /metrics answers Prometheus text with the export counted once as a
 * success, one export latency observation, API call counters for both systems and the webhook delivery; and
 * it needs the operator key.
 */
import { DEMO_SUBCONTRACTS } from 'simulator-common';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

const [concrete] = DEMO_SUBCONTRACTS;
let stack: ConnectorStack;

beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

test('GET /metrics after one export', async () => {
  expect((await fetch(`${stack.apiUrl}/metrics`)).status).toBe(401);

  const { workflowId } = await stack.accept(concrete.procoreId);
  expect((await stack.waitForWorkflow<{ status: string }>(workflowId)).status).toBe('success');

  const res = await stack.apiFetch('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const entity = /connector_exports_total\{company="4271",entity="([a-z_]+)",outcome="success"\} 1\n/.exec(text)?.[1];
  expect(entity).toBeDefined();
  expect(text).not.toMatch(/connector_exports_total\{[^}]*outcome="failed"/);
  // One observation in the latency histogram, within the +Inf bucket and a sane sum.
  const labels = `company="4271",entity="${entity}",outcome="success"`;
  expect(text).toContain(`connector_export_latency_seconds_count{${labels}} 1\n`);
  expect(text).toContain(`connector_export_latency_seconds_bucket{le="+Inf",${labels}} 1\n`);
  const sum = Number(new RegExp(`connector_export_latency_seconds_sum\\{${labels}\\} ([0-9.e-]+)`).exec(text)![1]);
  expect(sum).toBeGreaterThan(0);
  expect(sum).toBeLessThan(120);

  // Calls to both systems, by route template (no record ids), status and company.
  const calls = [...text.matchAll(/^connector_api_calls_total\{(.*)\} (\d+)$/gm)].map((m) => m[1]);
  expect(
    calls.some((l) => l.includes('system="procore"') && l.includes('status="200"') && l.includes('company="4271"')),
  ).toBe(true);
  expect(
    calls.some((l) => l.includes('system="acumatica"') && l.includes('status="200"') && l.includes('company="4271"')),
  ).toBe(true);
  for (const l of calls) expect(l).not.toMatch(new RegExp(`${concrete.procoreId}|${workflowId.split('-').pop()}`));
  expect(text).toMatch(
    /connector_api_call_duration_seconds_count\{system="acumatica",method="PUT",route="\/entity\/Default\/:version\/Subcontract",company="4271"\} 1/,
  );

  expect(text).toMatch(/connector_webhook_deliveries_total\{outcome="accepted"\} 1/);
  expect(text).toMatch(/connector_inbox_backlog 0/);
  expect(text).toMatch(/connector_import_records_total|connector_imports_total/); // declared even before any import
  expect(text).toMatch(/connector_acumatica_sessions_open\{company="4271"\} 1/);
});

test('an on-demand import: records read and written, the scope counted, its time of success', async () => {
  const res = await stack.apiFetch('/imports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities: ['vendors'] }),
  });
  expect(res.status).toBe(202);
  const { workflowId } = (await res.json()) as { workflowId: string };
  const totals = await stack.waitForWorkflow<{ read: number; written: number }>(workflowId);
  const text = await (await stack.apiFetch('/metrics')).text();
  const value = (name: string, labels: string) =>
    Number(new RegExp(`^${name}\\{${labels}\\} ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);
  expect(value('connector_import_records_total', 'company="4271",entity="vendors",result="read"')).toBe(totals.read);
  expect(value('connector_import_records_total', 'company="4271",entity="vendors",result="written"')).toBe(
    totals.written,
  );
  // One scope per connected branch.
  expect(value('connector_imports_total', 'company="4271",entity="vendors",outcome="success"')).toBeGreaterThanOrEqual(
    1,
  );
  const lastSuccess = value('connector_import_last_success_timestamp_seconds', 'company="4271",entity="vendors"');
  expect(Math.abs(Date.now() / 1000 - lastSuccess)).toBeLessThan(60);
});
