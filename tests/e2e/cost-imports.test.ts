/**
 * Cost imports end to end (Acumatica simulator -> worker -> Procore simulator) through POST /imports:
 *  - direct_costs: the seeded Acumatica project transactions become direct costs of the linked Procore project;
 *  - payments: a check paying the AP bill exported from a subcontractor invoice becomes a contract payment.
 */
import { val } from '../../clients/acumatica/client';
import { DEMO_PROJECT, DEMO_REQUISITIONS, DEMO_SUBCONTRACTS } from 'simulator-common';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

type Totals = { read: number; written: number; unchanged: number; exceptions: number; retired: number };
type Result = { status: string; acumaticaKey?: string; messages: string[] };

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function runImport(entities: string[]): Promise<Totals> {
  const res = await stack.apiFetch(`/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities }),
  });
  expect(res.status).toBe(202);
  const { workflowId } = (await res.json()) as { workflowId: string };
  return stack.waitForWorkflow<Totals>(workflowId);
}

async function exportItem(itemType: string, itemId: string): Promise<Result> {
  const { workflowId } = await stack.accept(itemId, { item_type: itemType });
  return stack.waitForWorkflow<Result>(workflowId);
}

const SEEDED_BATCHES = ['AP:AP000001', 'AP:AP000002', 'AP:AP000003', 'EP:EP000001', 'PR:PR000001'];

test('project transactions become direct costs of the linked Procore project; a rerun writes nothing', async () => {
  const totals = await runImport(['direct_costs']);
  expect(totals.exceptions).toBe(0);
  expect(totals.written).toBe(SEEDED_BATCHES.length);

  const costs = await stack.procore.listDirectCosts(stack.companyId, DEMO_PROJECT.procoreId);
  const imported = costs.filter((c) => c.origin_id && SEEDED_BATCHES.includes(c.origin_id));
  expect(imported.map((c) => c.origin_id).sort()).toEqual(SEEDED_BATCHES);

  const payroll = imported.find((c) => c.origin_id === 'PR:PR000001')!;
  expect(payroll.direct_cost_type).toBe('Payroll');
  const lines = await stack.procore.listDirectCostLineItems(
    stack.companyId,
    DEMO_PROJECT.procoreId,
    String(payroll.id),
  );
  expect(lines.map((l) => [l.origin_id, l.amount, l.cost_code?.code]).sort()).toEqual([
    ['PR:PR000001:1', '9840.00', '01-500'],
    ['PR:PR000001:2', '3116.00', '03-100'],
  ]);
  const bill = imported.find((c) => c.origin_id === 'AP:AP000002')!;
  expect(bill.direct_cost_type).toBe('Invoice');
  expect(Number(bill.grand_total)).toBeCloseTo(12680.4, 2);

  const rerun = await runImport(['direct_costs']);
  expect(rerun.written).toBe(0);
  expect(rerun.exceptions).toBe(0);
  const again = await stack.procore.listDirectCosts(stack.companyId, DEMO_PROJECT.procoreId);
  expect(again.filter((c) => c.origin_id && SEEDED_BATCHES.includes(c.origin_id))).toHaveLength(SEEDED_BATCHES.length);
});

test('a transaction on a project without a Procore link goes to the exception list, and is written once linked', async () => {
  await stack.acumatica.put('ProjectTransaction', {
    Module: 'PM',
    Description: 'Equipment allocation',
    Details: [
      {
        Project: DEMO_PROJECT.acumaticaProjectId,
        ProjectTask: '01',
        CostCode: '01-500',
        AccountGroup: 'EQUIPMENT',
        Amount: 725,
        Description: 'Skid steer, 5 days',
      },
    ],
  });
  const [tx] = await stack.acumatica.list('ProjectTransaction', { filter: `Status eq 'Balanced'` });
  const ref = String(val(tx.ReferenceNbr));
  await stack.acumatica.invokeAction('ProjectTransaction', 'ReleaseTransactions', {
    entity: { Module: 'PM', ReferenceNbr: ref },
  });

  // The demo project's link disappears for a moment: the new transaction cannot be placed.
  await stack.db.query(
    `UPDATE links SET deleted_at = now() WHERE procore_company_id = $1 AND procore_entity = 'project' AND procore_id = $2`,
    [stack.companyId, DEMO_PROJECT.procoreId],
  );
  try {
    const totals = await runImport(['direct_costs']);
    expect(totals.exceptions).toBeGreaterThanOrEqual(1);
    const { rows } = await stack.db.query(
      `SELECT reason FROM import_exceptions WHERE procore_company_id = $1 AND acumatica_key = $2`,
      [stack.companyId, `PM:${ref}`],
    );
    expect(rows.map((r) => r.reason).join(' ')).toMatch(/not linked to a Procore project/);
  } finally {
    await stack.db.query(
      `UPDATE links SET deleted_at = NULL WHERE procore_company_id = $1 AND procore_entity = 'project' AND procore_id = $2`,
      [stack.companyId, DEMO_PROJECT.procoreId],
    );
  }
  const relinked = await runImport(['direct_costs']);
  expect(relinked.exceptions).toBe(0);
  expect(relinked.written).toBe(1);
  const costs = await stack.procore.listDirectCosts(stack.companyId, DEMO_PROJECT.procoreId);
  expect(costs.filter((c) => c.origin_id === `PM:${ref}`)).toHaveLength(1);
});

test('a check paying an exported subcontractor invoice becomes one contract payment, however often it runs', async () => {
  expect(await exportItem('work_order_contract', DEMO_SUBCONTRACTS[0].procoreId)).toMatchObject({ status: 'success' });
  const requisition = DEMO_REQUISITIONS[0];
  expect(await exportItem('requisition', requisition.procoreId)).toMatchObject({ status: 'success' });
  const [bill] = await stack.acumatica.list('Bill', { filter: `VendorRef eq 'PROCORE-${requisition.procoreId}'` });
  const billNbr = String(val(bill.ReferenceNbr));
  if (val(bill.Hold) === true) await stack.acumatica.put('Bill', { Type: 'Bill', ReferenceNbr: billNbr, Hold: false });
  await stack.acumatica.invokeAction('Bill', 'ReleaseBill', { entity: { Type: 'Bill', ReferenceNbr: billNbr } });
  const released = await stack.acumatica.get('Bill', ['Bill', billNbr]);
  const balance = Number(val(released.Balance));
  expect(balance).toBeGreaterThan(0);

  const check = await stack.acumatica.put('Check', {
    Type: 'Payment',
    Vendor: val(released.Vendor),
    PaymentRef: '10777',
    ApplicationDate: '2024-05-31T00:00:00+00:00',
    Details: [{ DocType: 'Bill', ReferenceNbr: billNbr, AmountPaid: balance }],
  });
  const checkNbr = String(val(check.ReferenceNbr));
  await stack.acumatica.invokeAction('Check', 'ReleaseCheck', { entity: { Type: 'Payment', ReferenceNbr: checkNbr } });

  const contractId = requisition.commitmentProcoreId;
  const first = await runImport(['payments']);
  expect(first.exceptions).toBe(0);
  const payments = await stack.procore.listContractPayments(stack.companyId, DEMO_PROJECT.procoreId, contractId);
  const ours = payments.filter((p) => p.origin_id === `${checkNbr}:${billNbr}`);
  expect(ours).toHaveLength(1);
  expect(ours[0]).toMatchObject({ requisition_id: requisition.procoreId, check_number: '10777', date: '2024-05-31' });
  expect(Number(ours[0].amount)).toBeCloseTo(balance, 2);
  // The seeded checks pay bills the connector never exported: no payment for them.
  expect(payments.filter((p) => p.origin_id?.startsWith('00020'))).toHaveLength(0);

  const rerun = await runImport(['payments']);
  expect(rerun.written).toBe(0);
  expect(rerun.exceptions).toBe(0);
  const again = await stack.procore.listContractPayments(stack.companyId, DEMO_PROJECT.procoreId, contractId);
  expect(again.filter((p) => p.origin_id === `${checkNbr}:${billNbr}`)).toHaveLength(1);
});
