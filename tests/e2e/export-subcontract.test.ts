/**
 * Walking skeleton, end to end: Procore simulator accept -> webhook -> API -> Temporal -> worker ->
 * Acumatica simulator -> links and origin_id back in Procore -> request detail closed.
 */
import { Worker } from '@temporalio/worker';
import { DEMO_PROJECT, DEMO_SUBCONTRACTS } from 'simulator-common';
import { startConnectorStack, workflowBundle, type ConnectorStack } from '../../testing/connector-stack';

const [concrete, masonry, glazing] = DEMO_SUBCONTRACTS;
type Result = { status: string; acumaticaKey?: string; messages: string[] };

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function requestDetailOf(erpRequestId: string) {
  const request = await stack.procore.getErpRequest(stack.companyId, erpRequestId);
  return stack.procore.getErpRequestDetail(stack.companyId, String(request.request_details![0].id));
}

test('an accepted subcontract becomes one Acumatica Subcontract, linked both ways', async () => {
  const { erpRequestId, workflowId } = await stack.accept(concrete.procoreId);
  const result = await stack.waitForWorkflow<Result>(workflowId);
  expect(result.status).toBe('success');

  const subcontracts = await stack.subcontractsFor(concrete.procoreId);
  expect(subcontracts).toHaveLength(1);
  const sc = subcontracts[0] as Record<string, { value?: unknown }> & {
    Details: Array<Record<string, { value?: unknown }>>;
  };
  expect(sc.SubcontractNbr.value).toBe(result.acumaticaKey);
  expect(sc.VendorID.value).toBe('V100231');
  expect(sc.Details.map((d) => d.Amount.value)).toEqual(concrete.lines.map((l) => Number(l.amount)));

  const contract = await stack.procore.getWorkOrderContract(
    stack.companyId,
    DEMO_PROJECT.procoreId,
    concrete.procoreId,
  );
  expect(contract.origin_id).toBe(result.acumaticaKey);

  const detail = await requestDetailOf(erpRequestId);
  expect(detail.status).toBe('success');
  expect((detail.messages ?? []).join(' ')).toContain(String(result.acumaticaKey));

  const links = await stack.db.query(
    `SELECT procore_entity, acumatica_key FROM links WHERE procore_company_id = $1 AND procore_entity IN ('work_order_contract', 'commitment_line_item') ORDER BY procore_entity, acumatica_key`,
    [stack.companyId],
  );
  expect(links.rows).toHaveLength(1 + concrete.lines.length);

  // The history replays deterministically against the current workflow code.
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);

  // The Web UI finds it by its search attributes.
  const described = await stack.client.workflow.getHandle(workflowId).describe();
  const attrs = Object.fromEntries(described.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
  expect(attrs).toMatchObject({
    ProcoreCompanyId: stack.companyId,
    ProcoreEntityType: 'work_order_contract',
    ProcoreId: concrete.procoreId,
    ProcoreProjectId: DEMO_PROJECT.procoreId,
    AcumaticaKey: result.acumaticaKey,
  });
});

test('the same webhook delivered three times starts one workflow and creates one Subcontract', async () => {
  const { workflowId } = await stack.accept(masonry.procoreId, { duplicate_deliveries: 3 });
  const result = await stack.waitForWorkflow<Result>(workflowId);
  expect(result.status).toBe('success');
  // Let the redeliveries arrive and be answered before counting.
  await new Promise((r) => setTimeout(r, 1000));

  const inbox = await stack.db.query('SELECT count(*)::int AS n FROM webhook_inbox WHERE workflow_id = $1', [
    workflowId,
  ]);
  expect(inbox.rows[0].n).toBe(1);
  const runs = [];
  for await (const w of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(w);
  expect(runs).toHaveLength(1);
  expect(await stack.subcontractsFor(masonry.procoreId)).toHaveLength(1);
});

test('a vendor without a link fails the request detail with a message the approver can act on', async () => {
  const { erpRequestId, workflowId } = await stack.accept(glazing.procoreId);
  const result = await stack.waitForWorkflow<Result>(workflowId);
  expect(result.status).toBe('failed');
  expect(result.messages[0]).toMatch(/Vendor "Cascade Glass & Glazing" is not linked to an Acumatica vendor/);

  const detail = await requestDetailOf(erpRequestId);
  expect(detail.status).toBe('failed');
  expect(detail.messages?.[0]).toMatch(/Cascade Glass & Glazing/);
  expect(await stack.subcontractsFor(glazing.procoreId)).toHaveLength(0);
  const described = await stack.client.workflow.getHandle(workflowId).describe();
  expect(described.status.name).toBe('COMPLETED');
});

test('an Acumatica response lost after the commit still yields exactly one Subcontract', async () => {
  // Approve the concrete subcontract again on a fresh simulator record set: reset Acumatica first.
  await fetch(`${stack.acumaticaUrl}/__admin/reset`, { method: 'POST' });
  await stack.inject('acumatica', {
    method: 'PUT',
    path: '/entity/Default/*/Subcontract',
    kind: 'commit_then_drop',
    times: 1,
  });
  const { workflowId } = await stack.accept(concrete.procoreId);
  const result = await stack.waitForWorkflow<Result>(workflowId);
  expect(result.status).toBe('success');
  expect(await stack.subcontractsFor(concrete.procoreId)).toHaveLength(1);
});
