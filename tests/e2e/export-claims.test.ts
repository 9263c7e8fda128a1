/**
 * One export per Procore record at a time (store/export-claims.ts): a second ERP request for a record that is
 * being exported waits for the first and then reads the record afresh; a claim left behind by a workflow that
 * closed without releasing it does not block the next export.
 */
import { DEMO_SUBCONTRACTS } from 'simulator-common';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

const [concrete, masonry] = DEMO_SUBCONTRACTS;
type Result = { status: string; acumaticaKey?: string; messages: string[] };

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function claims(procoreId: string): Promise<string[]> {
  const { rows } = await stack.db.query('SELECT workflow_id FROM export_claims WHERE procore_id = $1', [procoreId]);
  return rows.map((r) => r.workflow_id as string);
}

async function timersOf(workflowId: string): Promise<number> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events!.filter((e) => e.timerStartedEventAttributes).length;
}

test('two ERP requests for one subcontract export one after the other and yield one Subcontract', async () => {
  // The first export's Acumatica create is slow, so the second request arrives while the first holds the claim.
  await stack.inject('acumatica', {
    method: 'PUT',
    path: '/entity/Default/*/Subcontract',
    kind: 'latency',
    latencyMs: 3000,
    times: 1,
  });
  const first = await stack.accept(concrete.procoreId);
  const deadline = Date.now() + 20_000;
  while ((await claims(concrete.procoreId)).length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(await claims(concrete.procoreId)).toEqual([first.workflowId]);

  const second = await stack.accept(concrete.procoreId);
  const [a, b] = await Promise.all([
    stack.waitForWorkflow<Result>(first.workflowId),
    stack.waitForWorkflow<Result>(second.workflowId),
  ]);
  expect(a.status).toBe('success');
  expect(b.status).toBe('success');
  expect(b.acumaticaKey).toBe(a.acumaticaKey);
  expect(await stack.subcontractsFor(concrete.procoreId)).toHaveLength(1);
  // The second one waited for the first instead of racing it, and nothing is left claimed.
  expect(await timersOf(first.workflowId)).toBe(0);
  expect(await timersOf(second.workflowId)).toBeGreaterThanOrEqual(1);
  expect(await claims(concrete.procoreId)).toEqual([]);
});

test('a claim left by a workflow that no longer runs is taken over at once', async () => {
  await stack.db.query(
    `INSERT INTO export_claims (procore_company_id, kind, procore_id, workflow_id) VALUES ($1, 'subcontract', $2, $3)`,
    [stack.companyId, masonry.procoreId, `erp-${stack.companyId}-request-terminated-long-ago`],
  );
  const { workflowId } = await stack.accept(masonry.procoreId);
  const result = await stack.waitForWorkflow<Result>(workflowId);
  expect(result.status).toBe('success');
  expect(await timersOf(workflowId)).toBe(0);
  expect(await stack.subcontractsFor(masonry.procoreId)).toHaveLength(1);
  expect(await claims(masonry.procoreId)).toEqual([]);
});
