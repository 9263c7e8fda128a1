/**
 * The worker process is SIGKILLed while the Acumatica create is in flight (and commits anyway); a new worker
 * picks the export up after the heartbeat timeout, finds the Subcontract by its marker, and finishes.
 */
import { DEMO_SUBCONTRACTS } from '../../simulators/demo-data';
import { startConnectorStack, type ConnectorStack } from '../helpers/connector-stack';

const [concrete] = DEMO_SUBCONTRACTS;
let stack: ConnectorStack;

beforeAll(async () => {
  stack = await startConnectorStack({ worker: 'child-process' });
});
afterAll(async () => {
  await stack?.stop();
});

test('killing the worker mid-export and restarting it yields one Subcontract', async () => {
  await stack.inject('acumatica', {
    method: 'PUT',
    path: '/entity/Default/*/Subcontract',
    kind: 'latency',
    latencyMs: 3000,
    times: 1,
  });
  const { workflowId } = await stack.accept(concrete.procoreId);

  // Wait until the create is in flight (the latency rule has fired), then kill the worker.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const rules = (await (await fetch(`${stack.acumaticaUrl}/__admin/faults`)).json()) as unknown[];
    if (rules.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stack.killChildWorker();
  await new Promise((r) => setTimeout(r, 3500)); // the simulator commits the create after its latency
  expect(await stack.subcontractsFor(concrete.procoreId)).toHaveLength(1);

  await stack.startChildWorker();
  const result = await stack.waitForWorkflow<{ status: string; acumaticaKey: string }>(workflowId, 120_000);
  expect(result.status).toBe('success');
  const subcontracts = await stack.subcontractsFor(concrete.procoreId);
  expect(subcontracts).toHaveLength(1);
  expect((subcontracts[0] as Record<string, { value?: unknown }>).SubcontractNbr.value).toBe(result.acumaticaKey);
});
