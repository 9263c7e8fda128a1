/**
 * Export flows beyond the walking skeleton, end to end over both simulators: purchase orders, and the
 * approver's fix-and-resend loop for a vendor that is not in Acumatica yet (create_vendor).
 */
import { DEMO_PROJECT, DEMO_PURCHASE_ORDERS, DEMO_SUBCONTRACTS, DEMO_VENDORS } from '../../simulators/demo-data';
import { startConnectorStack, type ConnectorStack } from '../helpers/connector-stack';

type Result = { status: string; acumaticaKey?: string; messages: string[] };
type Rec = Record<string, { value?: unknown }> & { Details?: Array<Record<string, { value?: unknown }>> };

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

test('an accepted purchase order becomes one Normal PurchaseOrder in Acumatica, linked both ways', async () => {
  const po = DEMO_PURCHASE_ORDERS[0];
  const { workflowId } = await stack.accept(po.procoreId, { item_type: 'purchase_order_contract' });
  const result = await stack.waitForWorkflow<Result>(workflowId);
  expect(result).toMatchObject({ status: 'success' });

  const orders = (await stack.acumatica.list('PurchaseOrder', {
    filter: `VendorRef eq 'PROCORE-${po.procoreId}'`,
    expand: ['Details'],
  })) as Rec[];
  expect(orders).toHaveLength(1);
  expect(orders[0].Type.value).toBe('Normal');
  expect(orders[0].OrderNbr.value).toBe(result.acumaticaKey);
  expect(orders[0].VendorID.value).toBe('V100301');
  expect(orders[0].Details!.map((d) => d.ExtendedCost.value)).toEqual(po.lines.map((l) => Number(l.amount)));

  const contract = await stack.procore.getPurchaseOrderContract(stack.companyId, DEMO_PROJECT.procoreId, po.procoreId);
  expect(contract.origin_id).toBe(result.acumaticaKey);
});

test('a subcontract for an unknown vendor fails; exporting the vendor and resending succeeds', async () => {
  const glazing = DEMO_SUBCONTRACTS[2];
  const vendor = DEMO_VENDORS.find((v) => v.procoreId === glazing.vendorProcoreId)!;

  const first = await stack.accept(glazing.procoreId);
  expect(await stack.waitForWorkflow<Result>(first.workflowId)).toMatchObject({ status: 'failed' });

  const vendorExport = await stack.accept(vendor.procoreId, { item_type: 'vendor' });
  const vendorResult = await stack.waitForWorkflow<Result>(vendorExport.workflowId);
  expect(vendorResult).toMatchObject({ status: 'success', acumaticaKey: `PC${vendor.procoreId}` });
  const vendors = (await stack.acumatica.list('Vendor', {
    filter: `AccountRef eq 'PROCORE-${vendor.procoreId}'`,
  })) as Rec[];
  expect(vendors).toHaveLength(1);
  expect(vendors[0].VendorName.value).toBe(vendor.name);
  expect((await stack.procore.getVendor(stack.companyId, vendor.procoreId)).origin_id).toBe(`PC${vendor.procoreId}`);

  // The same vendor accepted again is found by its marker: still one vendor.
  const again = await stack.accept(vendor.procoreId, { item_type: 'vendor' });
  expect(await stack.waitForWorkflow<Result>(again.workflowId)).toMatchObject({ status: 'success' });
  expect(await stack.acumatica.list('Vendor', { filter: `AccountRef eq 'PROCORE-${vendor.procoreId}'` })).toHaveLength(
    1,
  );

  const resend = await stack.accept(glazing.procoreId);
  const resent = await stack.waitForWorkflow<Result>(resend.workflowId);
  expect(resent).toMatchObject({ status: 'success' });
  const [subcontract] = (await stack.subcontractsFor(glazing.procoreId)) as Rec[];
  expect(subcontract.VendorID.value).toBe(`PC${vendor.procoreId}`);
});

test('lines that do not add up, or unknown cost codes, fail preflight with the reason', async () => {
  const [concrete] = DEMO_SUBCONTRACTS;
  // Remove a cost code from Acumatica: the preflight names it instead of letting Acumatica reject the lines.
  await stack.acumatica.delete('CostCode', ['03-350']);
  const { erpRequestId, workflowId } = await stack.accept(concrete.procoreId);
  const result = await stack.waitForWorkflow<Result>(workflowId);
  expect(result.status).toBe('failed');
  expect(result.messages.join(' ')).toMatch(/Cost code 03-350 is not in Acumatica's cost code list/);
  const request = await stack.procore.getErpRequest(stack.companyId, erpRequestId);
  const detail = await stack.procore.getErpRequestDetail(stack.companyId, String(request.request_details![0].id));
  expect(detail.status).toBe('failed');
  expect(await stack.subcontractsFor(concrete.procoreId)).toHaveLength(0);
  await stack.acumatica.put('CostCode', { CostCodeID: '03-350', Description: 'Concrete Finishing' }); // fixed in Acumatica
});

async function admin(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.procoreUrl}/__admin/erp/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company_id: stack.companyId, ...body }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

test('with accounting approval skipped, "Send to ERP" exports at once', async () => {
  await admin('settings', { skip_accounting_approval: true });
  const masonry = DEMO_SUBCONTRACTS[1];
  const sent = await admin('send', { item_type: 'work_order_contract', item_id: masonry.procoreId });
  const erpRequestId = String(sent.erp_request_id);
  expect(erpRequestId).toMatch(/^\d+$/);
  const result = await stack.waitForWorkflow<Result>(`erp-${stack.companyId}-request-${erpRequestId}`);
  expect(result).toMatchObject({ status: 'success' });
  expect(await stack.subcontractsFor(masonry.procoreId)).toHaveLength(1);
  await admin('settings', { skip_accounting_approval: false });
});

test('webhooks delivered out of order still export each record exactly once', async () => {
  await fetch(`${stack.procoreUrl}/__admin/webhooks/hold`, { method: 'POST' });
  const [concrete] = DEMO_SUBCONTRACTS;
  const first = await stack.accept(concrete.procoreId);
  const second = await stack.accept(DEMO_PURCHASE_ORDERS[0].procoreId, { item_type: 'purchase_order_contract' });
  await fetch(`${stack.procoreUrl}/__admin/webhooks/release`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order: 'reverse' }),
  });
  expect(await stack.waitForWorkflow<Result>(second.workflowId)).toMatchObject({ status: 'success' });
  expect(await stack.waitForWorkflow<Result>(first.workflowId)).toMatchObject({ status: 'success' });
  expect(await stack.subcontractsFor(concrete.procoreId)).toHaveLength(1);
  expect(
    await stack.acumatica.list('PurchaseOrder', {
      filter: `VendorRef eq 'PROCORE-${DEMO_PURCHASE_ORDERS[0].procoreId}'`,
    }),
  ).toHaveLength(1);
});
