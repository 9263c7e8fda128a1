/**
 * Export flows beyond the walking skeleton, end to end over both simulators: purchase orders, the approver's
 * fix-and-resend loop for a vendor that is not in Acumatica yet (create_vendor), line-level re-export (only what
 * changed is sent) and the PO-approval check.
 */
import { DEMO_PROJECT, DEMO_PURCHASE_ORDERS, DEMO_SUBCONTRACTS, DEMO_VENDORS } from 'simulator-common';
import { addDemoCommitment } from 'procore-simulator/src/testing';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

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

test('odd amounts (1,234,567.895 + 0.005 + 0.00): the Subcontract totals 1,234,567.90, as Procore does', async () => {
  const { id, lineIds } = addDemoCommitment(stack.procoreSim.store, {
    type: 'work_order_contract',
    n: 7,
    lines: 3,
    label: 'cent',
  });
  const amounts = ['1234567.895', '0.005', '0.00'];
  for (const [i, lineId] of lineIds.entries())
    stack.procoreSim.store.state.lineItems.find((l) => l.id === lineId)!.amount = amounts[i];
  const contract = await stack.procore.getWorkOrderContract(stack.companyId, DEMO_PROJECT.procoreId, id);
  expect(contract.grand_total).toBe('1234567.90');

  const { workflowId } = await stack.accept(id);
  expect(await stack.waitForWorkflow<Result>(workflowId)).toMatchObject({ status: 'success' });
  const [sc] = (await stack.subcontractsFor(id)) as Rec[];
  expect(sc.Details!.map((d) => d.Amount.value)).toEqual([1234567.89, 0.01, 0]);
  expect(sc.LineTotal.value).toBe(1234567.9);
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

/** Line items of a commitment in the Procore simulator, given distinct descriptions (the fault watches below). */
function commitmentLines(lineIds: string[], tag: string) {
  const lines = lineIds.map((id) => stack.procoreSim.store.state.lineItems.find((l) => l.id === id)!);
  lines.forEach((l, i) => (l.description = `${tag} line ${i + 1}`));
  return lines;
}

async function acumaticaAdmin(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${stack.acumaticaUrl}/__admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A body-scoped rule that delays nothing: it is consumed only if a request to `path` carries `text`. */
async function watch(path: string, text: string): Promise<number> {
  const res = await fetch(`${stack.acumaticaUrl}/__admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'PUT', path, kind: 'latency', latencyMs: 0, bodyContains: text }),
  });
  return ((await res.json()) as { id: number }).id;
}

async function activeRuleIds(): Promise<number[]> {
  const rules = (await (await fetch(`${stack.acumaticaUrl}/__admin/faults`)).json()) as Array<{ id: number }>;
  return rules.map((r) => r.id);
}

async function subcontractPuts(): Promise<number> {
  const counts = (await (await fetch(`${stack.acumaticaUrl}/__admin/requests`)).json()) as Record<string, number>;
  return Object.entries(counts)
    .filter(([k]) => /^PUT \/entity\/Default\/[^/]+\/Subcontract$/.test(k))
    .reduce((n, [, v]) => n + v, 0);
}

test('a re-export changes the changed line, adds the new one, deletes the removed one and sends nothing else', async () => {
  const { store } = stack.procoreSim;
  const sc = addDemoCommitment(store, { type: 'work_order_contract', n: 901, lines: 4, label: 'lines' });
  const tag = `LD${sc.id}`;
  const lines = commitmentLines(sc.lineIds, tag);
  const first = await stack.waitForWorkflow<Result>((await stack.accept(sc.id)).workflowId);
  expect(first).toMatchObject({ status: 'success' });
  const key = first.acumaticaKey!;
  const rowsOf = () =>
    structuredClone(stack.acumaticaSim.store.byKeys('Subcontract', [key])!.values.Details) as Array<
      Record<string, unknown>
    >;
  const before = rowsOf();
  expect(before.map((r) => r.LineNbr)).toEqual([1, 2, 3, 4]);

  // In Procore: line 2 changes, line 3 is deleted, a fifth line is added; lines 1 and 4 stay as they were.
  lines[1].amount = (Number(lines[1].amount) + 500).toFixed(2);
  store.state.lineItems = store.state.lineItems.filter((l) => l.id !== lines[2].id);
  const added = {
    ...lines[3],
    id: store.newId(),
    description: `${tag} line 5`,
    amount: '777.00',
    position: 5,
    origin_id: null,
    origin_code: null,
    origin_data: null,
  };
  store.state.lineItems.push(added);

  const untouched = [await watch('/entity/Default/*/Subcontract', `${tag} line 1`)];
  untouched.push(await watch('/entity/Default/*/Subcontract', `${tag} line 4`));
  const putsBefore = await subcontractPuts();
  const again = await stack.waitForWorkflow<Result>((await stack.accept(sc.id)).workflowId);
  expect(again).toMatchObject({ status: 'success', acumaticaKey: key });

  // One PUT, and neither unchanged line was in it.
  expect((await subcontractPuts()) - putsBefore).toBe(1);
  const active = await activeRuleIds();
  expect(untouched.every((id) => active.includes(id))).toBe(true);
  await fetch(`${stack.acumaticaUrl}/__admin/faults`, { method: 'DELETE' });

  const after = rowsOf();
  expect(after.map((r) => r.LineNbr)).toEqual([1, 2, 4, 5]);
  expect(after[0]).toEqual(before[0]);
  expect(after[2]).toEqual(before[3]);
  expect(after[1]).toMatchObject({ id: before[1].id, Amount: Number(lines[1].amount) });
  expect(after[3]).toMatchObject({ Amount: 777, LineDescription: `${tag} line 5` });
  expect(await stack.subcontractsFor(sc.id)).toHaveLength(1);

  const links = await stack.db.query<{ procore_id: string; acumatica_key: string }>(
    `SELECT procore_id, acumatica_key FROM links WHERE procore_company_id = $1 AND procore_entity = 'commitment_line_item'
       AND procore_id = ANY($2) ORDER BY acumatica_key`,
    [stack.companyId, [...sc.lineIds, added.id]],
  );
  expect(links.rows).toEqual([
    { procore_id: lines[0].id, acumatica_key: `${key}:1` },
    { procore_id: lines[1].id, acumatica_key: `${key}:2` },
    { procore_id: lines[3].id, acumatica_key: `${key}:4` },
    { procore_id: added.id, acumatica_key: `${key}:5` },
  ]);
  expect(store.state.lineItems.find((l) => l.id === added.id)?.origin_id).toBe(`${key}:5`);

  // Acumatica completes line 2; Procore changes it again: the approver is told, and nothing changes.
  await stack.acumatica.put('Subcontract', { SubcontractNbr: key, Details: [{ id: before[1].id, Completed: true }] });
  lines[1].amount = (Number(lines[1].amount) + 1).toFixed(2);
  const refused = await stack.waitForWorkflow<Result>((await stack.accept(sc.id)).workflowId);
  expect(refused.status).toBe('failed');
  expect(refused.messages.join(' ')).toMatch(
    new RegExp(`Line ${key}:2 \\("${tag} line 2"\\) cannot change in Acumatica because it is completed`),
  );
  expect(rowsOf().map((r) => r.Amount)).toEqual(after.map((r) => r.Amount));
});

test('with PO approval on in Acumatica, the PO export says what to change and the next PO is not written', async () => {
  const { store } = stack.procoreSim;
  const poCount = async (id: string) =>
    (await stack.acumatica.list('PurchaseOrder', { filter: `Type eq 'Normal' and VendorRef eq 'PROCORE-${id}'` }))
      .length;
  await acumaticaAdmin('config', { poApprovalRequired: true });
  try {
    const first = addDemoCommitment(store, { type: 'purchase_order_contract', n: 902, lines: 2, label: 'appr' });
    const waiting = await stack.waitForWorkflow<Result>(
      (await stack.accept(first.id, { item_type: 'purchase_order_contract' })).workflowId,
    );
    expect(waiting.status).toBe('failed');
    const [po] = (await stack.acumatica.list('PurchaseOrder', {
      filter: `Type eq 'Normal' and VendorRef eq 'PROCORE-${first.id}'`,
    })) as Rec[];
    const nbr = String(po.OrderNbr.value);
    expect(po.Status.value).toBe('Pending Approval');
    expect(waiting.messages.join(' ')).toMatch(
      new RegExp(
        `purchase order ${nbr} in 'Pending Approval'.*Purchase Orders Preferences \\(PO101000\\).*Require Approval`,
      ),
    );
    const contract = store.state.purchaseOrderContracts.find((c) => c.id === first.id)!;
    expect(contract.origin_id).toBeNull();

    // The next PO fails its preflight: nothing is written while the first one waits.
    const second = addDemoCommitment(store, { type: 'purchase_order_contract', n: 903, lines: 2, label: 'appr' });
    const blocked = await stack.waitForWorkflow<Result>(
      (await stack.accept(second.id, { item_type: 'purchase_order_contract' })).workflowId,
    );
    expect(blocked.status).toBe('failed');
    expect(blocked.messages.join(' ')).toMatch(new RegExp(`${nbr}, exported earlier, is still waiting`));
    expect(await poCount(second.id)).toBe(0);

    // The accountant turns approval off and approves the first PO; both resends succeed, each PO exists once.
    await acumaticaAdmin('config', { poApprovalRequired: false });
    await acumaticaAdmin('approve-purchase-order', { orderNbr: nbr });
    for (const { id } of [first, second]) {
      const result = await stack.waitForWorkflow<Result>(
        (await stack.accept(id, { item_type: 'purchase_order_contract' })).workflowId,
      );
      expect(result).toMatchObject({ status: 'success' });
      expect(await poCount(id)).toBe(1);
    }
    expect(contract.origin_id).toBe(nbr);
  } finally {
    await acumaticaAdmin('config', { poApprovalRequired: false });
  }
});
