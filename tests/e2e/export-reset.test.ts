/**
 * An operator retries a failed export from the Temporal Web UI ("Reset" to the first workflow task) after the
 * data was fixed, and it still yields exactly one Acumatica record, however often it is reset.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_SUBCONTRACTS } from 'simulator-common';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

const glazing = DEMO_SUBCONTRACTS[2]; // its vendor, Cascade Glass & Glazing, is in Procore only
type Result = { status: string; acumaticaKey?: string; messages: string[] };

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** What the Web UI's Reset (first workflow task) does; returns the new run's result. */
async function resetToFirstWorkflowTask(workflowId: string): Promise<Result> {
  const handle = stack.client.workflow.getHandle(workflowId);
  const history = await handle.fetchHistory();
  const firstTask = history.events!.find((e) => e.workflowTaskCompletedEventAttributes)!;
  const { runId } = await handle.describe();
  const reset = await stack.client.workflowService.resetWorkflowExecution({
    namespace: 'default',
    workflowExecution: { workflowId, runId },
    workflowTaskFinishEventId: firstTask.eventId,
    requestId: randomUUID(),
    reason: 'vendor exported; retry',
  });
  return (await stack.client.workflow.getHandle(workflowId, reset.runId!).result()) as Result;
}

test('a failed export reset from the Web UI after the fix succeeds, and another reset adds nothing', async () => {
  const { workflowId } = await stack.accept(glazing.procoreId);
  const failed = await stack.waitForWorkflow<Result>(workflowId);
  expect(failed.status).toBe('failed');
  expect(failed.messages[0]).toMatch(/Cascade Glass & Glazing" is not linked/);
  expect(await stack.subcontractsFor(glazing.procoreId)).toHaveLength(0);

  // The accountant's fix: export the vendor (accept it in the ERP Integrations tool).
  const vendor = await stack.accept(glazing.vendorProcoreId, { item_type: 'vendor' });
  expect((await stack.waitForWorkflow<Result>(vendor.workflowId)).status).toBe('success');

  const retried = await resetToFirstWorkflowTask(workflowId);
  expect(retried.status).toBe('success');
  const subcontracts = await stack.subcontractsFor(glazing.procoreId);
  expect(subcontracts).toHaveLength(1);
  expect((subcontracts[0] as Record<string, { value?: unknown }>).SubcontractNbr.value).toBe(retried.acumaticaKey);

  const again = await resetToFirstWorkflowTask(workflowId);
  expect(again).toMatchObject({ status: 'success', acumaticaKey: retried.acumaticaKey });
  expect(await stack.subcontractsFor(glazing.procoreId)).toHaveLength(1);
  const claims = await stack.db.query('SELECT count(*)::int AS n FROM export_claims');
  expect(claims.rows[0].n).toBe(0);
});
