/**
 * Issue #14, traces: with OTEL_EXPORTER_OTLP_ENDPOINT set, one export is one trace, from the API's webhook request
 * (this process) through the client's StartWorkflow, the workflow and its activities (a real worker process) to
 * each HTTP call to Procore and Acumatica. An OTLP/HTTP receiver in the test collects the spans of both processes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_SUBCONTRACTS } from 'simulator-common';
import { startTracing, tracing } from '../../lib/tracing';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

const [concrete] = DEMO_SUBCONTRACTS;
let stack: ConnectorStack;
let receiver: http.Server;
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}
const spans: Span[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans: Array<{
            resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
            scopeSpans: Array<{ spans: Array<Omit<Span, 'service'>> }>;
          }>;
        };
        for (const rs of parsed.resourceSpans) {
          const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  startTracing({ endpoint, serviceName: 'connector-api' });
  stack = await startConnectorStack({ worker: 'none' });
  await stack.startChildWorker({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'connector-worker' });
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await tracing()?.shutdown();
  await new Promise((r) => receiver?.close(r));
});

test('one export is one trace: webhook -> workflow -> activities -> HTTP calls', async () => {
  const { workflowId } = await stack.accept(concrete.procoreId);
  expect((await stack.waitForWorkflow<{ status: string }>(workflowId)).status).toBe('success');
  await tracing()!.spanProcessor.forceFlush();

  // The worker exports in batches: wait for its close-out's spans.
  const deadline = Date.now() + 30_000;
  const webhook = () => spans.find((s) => s.name === 'POST /webhooks/procore' && s.service === 'connector-api');
  const inTrace = () => spans.filter((s) => s.traceId === webhook()?.traceId);
  while (Date.now() < deadline && !inTrace().some((s) => s.name === 'RunActivity:exportRecordActivity')) {
    await new Promise((r) => setTimeout(r, 250));
  }
  const root = webhook();
  expect(root).toBeDefined();
  expect(root!.parentSpanId ?? '').toBe('');
  const trace = inTrace();
  const names = trace.map((s) => s.name);
  expect(names).toEqual(
    expect.arrayContaining([
      'StartWorkflow:erpRequestWorkflow',
      'RunWorkflow:erpRequestWorkflow',
      'StartActivity:prepareErpRequestActivity',
      'RunActivity:prepareErpRequestActivity',
      'RunActivity:exportRecordActivity',
    ]),
  );
  expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['connector-api', 'connector-worker']));
  // Each HTTP call is a span under its activity.
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  for (const system of ['procore', 'acumatica']) {
    const call = trace.find((s) => s.name.startsWith(`${system} `));
    expect(call).toBeDefined();
    expect(byId.get(call!.parentSpanId!)?.name).toMatch(/^RunActivity:/);
  }
  expect(trace.find((s) => s.name === 'acumatica PUT /entity/Default/:version/Subcontract')).toBeDefined();
});
