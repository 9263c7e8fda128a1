/**
 * The worker process is SIGKILLed while the Acumatica create is in flight: Acumatica has committed the
 * Subcontract but its answer has not arrived. A new worker picks the export up after the heartbeat timeout,
 * finds the Subcontract by its marker instead of creating a second one, and finishes.
 */
import { DEMO_SUBCONTRACTS } from 'simulator-common';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

const [concrete] = DEMO_SUBCONTRACTS;
let stack: ConnectorStack;

beforeAll(async () => {
  // The killed worker never logs out: its Acumatica session holds an API-user slot until the idle timeout, so
  // the restarted worker needs a license with more than the trial's two slots.
  stack = await startConnectorStack({ worker: 'child-process', acumaticaSimulator: { maxApiUsers: 4 } });
});
afterAll(async () => {
  await stack?.stop();
});

test('killing the worker mid-export and restarting it yields one Subcontract', async () => {
  await stack.inject('acumatica', {
    method: 'PUT',
    path: '/entity/Default/*/Subcontract',
    kind: 'commit_then_drop',
    latencyMs: 10_000, // the answer hangs long enough for the worker to die waiting for it
    times: 1,
  });
  const { workflowId } = await stack.accept(concrete.procoreId);

  // Wait until the create is in flight (the rule has fired), then kill the worker.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const rules = (await (await fetch(`${stack.acumaticaUrl}/__admin/faults`)).json()) as unknown[];
    if (rules.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stack.killChildWorker();
  expect(await stack.subcontractsFor(concrete.procoreId)).toHaveLength(1); // committed, answer never received

  await stack.startChildWorker();
  const result = await stack.waitForWorkflow<{ status: string; acumaticaKey: string }>(workflowId, 120_000);
  expect(result.status).toBe('success');
  const subcontracts = await stack.subcontractsFor(concrete.procoreId);
  expect(subcontracts).toHaveLength(1);
  expect((subcontracts[0] as Record<string, { value?: unknown }>).SubcontractNbr.value).toBe(result.acumaticaKey);
});
