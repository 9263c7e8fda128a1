/**
 * Insert-only creates (issue #12, "never overwrite what is not ours"), end to end over both simulators: a Vendor ID
 * typed in Procore that Acumatica already has (another case, another branch's restricted vendor, a seeded vendor)
 * leaves that vendor untouched and closes the request detail `failed` with a message naming it and what to do.
 */
import { DEMO_VENDORS } from 'simulator-common';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

type Result = { status: string; acumaticaKey?: string; messages: string[] };
type Rec = Record<string, { value?: unknown }>;

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** A vendor added to the Procore company directory with the ERP Vendor ID the approver typed (origin_code). */
function addProcoreVendor(name: string, originCode: string): string {
  const store = stack.procoreSim.store;
  const id = store.newId();
  const now = new Date().toISOString();
  store.state.vendors.push({
    id,
    company_id: stack.companyId,
    name,
    abbreviated_name: null,
    address: null,
    city: 'Denver',
    state_code: 'CO',
    zip: '80202',
    country_code: 'US',
    business_phone: null,
    email_address: null,
    business_id: null,
    is_active: true,
    created_at: now,
    updated_at: now,
    origin_id: null,
    origin_code: originCode,
    origin_data: null,
  });
  return id;
}

async function exportVendor(procoreId: string): Promise<{ result: Result; detail: { status?: string } }> {
  const { erpRequestId, workflowId } = await stack.accept(procoreId, { item_type: 'vendor' });
  const result = await stack.waitForWorkflow<Result>(workflowId);
  const request = await stack.procore.getErpRequest(stack.companyId, erpRequestId);
  const detail = await stack.procore.getErpRequestDetail(stack.companyId, String(request.request_details![0].id));
  return { result, detail: detail as { status?: string } };
}

async function vendorsWithId(vendorId: string): Promise<Rec[]> {
  // Straight from the simulator's store: restricted vendors included, whatever the login branch sees.
  return stack.acumaticaSim.store
    .all('Vendor')
    .filter((r) => String(r.values.VendorID).toUpperCase() === vendorId.toUpperCase())
    .map((r) => Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, { value: v }])));
}

async function linkOf(procoreId: string): Promise<unknown[]> {
  const { rows } = await stack.db.query(
    `SELECT acumatica_key FROM links WHERE procore_company_id = $1 AND procore_entity = 'vendor' AND procore_id = $2`,
    [stack.companyId, procoreId],
  );
  return rows;
}

test('a typed Vendor ID that Acumatica already has leaves that vendor untouched; the detail says what to do', async () => {
  const seeded = DEMO_VENDORS[0]; // V100231 Acme Concrete & Paving, LLC
  const [before] = await vendorsWithId(seeded.acumaticaVendorId!);
  const procoreId = addProcoreVendor('Acme Concrete Pumping Co', seeded.acumaticaVendorId!);

  const { result, detail } = await exportVendor(procoreId);
  expect(result.status).toBe('failed');
  const message = result.messages.join(' ');
  expect(message).toMatch(/Vendor ID V100231 \(typed in Procore as "V100231"\) already belongs to Acumatica vendor/);
  expect(message).toContain('"Acme Concrete & Paving, LLC"');
  expect(message).toMatch(/link it/);
  expect(message).toMatch(/type another Vendor ID for "Acme Concrete Pumping Co"/);
  expect(detail.status).toBe('failed');

  const after = await vendorsWithId(seeded.acumaticaVendorId!);
  expect(after).toHaveLength(1);
  expect(after[0].VendorName.value).toBe('Acme Concrete & Paving, LLC');
  expect(after[0].AccountRef?.value).toBe(before.AccountRef?.value);
  expect(after[0].LastModifiedDateTime?.value).toBe(before.LastModifiedDateTime?.value);
  expect(await linkOf(procoreId)).toHaveLength(0);
});

test('ALPINE01 and alpine01: the second branch vendor never takes the first one, visible or restricted', async () => {
  const first = addProcoreVendor('Alpine Rebar Supply', 'ALPINE01');
  const second = addProcoreVendor('Alpine Rebar Supply', 'alpine01');

  expect((await exportVendor(first)).result).toMatchObject({ status: 'success', acumaticaKey: 'ALPINE01' });
  const [created] = await vendorsWithId('ALPINE01');
  expect(created.AccountRef.value).toBe(`PROCORE-${first}`);

  // Same name, same ID in another case: neither adopted by name (it is the first vendor's) nor overwritten.
  const visible = await exportVendor(second);
  expect(visible.result.status).toBe('failed');
  expect(visible.result.messages.join(' ')).toMatch(
    new RegExp(
      `Vendor ID ALPINE01 \\(typed in Procore as "alpine01"\\) already belongs to Acumatica vendor ALPINE01 "Alpine Rebar Supply" \\(exported from Procore vendor ${first}\\)`,
    ),
  );
  expect(visible.detail.status).toBe('failed');

  // The first vendor restricted to WEST: the login branch (HQ) cannot see it, and still its key is not reused.
  await fetch(`${stack.acumaticaUrl}/__admin/vendor-branches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ vendorId: 'ALPINE01', branches: ['WEST'] }),
  });
  const hidden = await exportVendor(second);
  expect(hidden.result.status).toBe('failed');
  expect(hidden.result.messages.join(' ')).toMatch(/ALPINE01 \(restricted to a branch the connection cannot see\)/);

  const after = await vendorsWithId('ALPINE01');
  expect(after).toHaveLength(1);
  expect(after[0].AccountRef.value).toBe(`PROCORE-${first}`);
  expect(after[0].VendorName.value).toBe('Alpine Rebar Supply');
  expect(await linkOf(second)).toHaveLength(0);
  expect((await linkOf(first)).length).toBe(1);
});

test('a retried create whose first attempt committed finds its own vendor (no 412)', async () => {
  const procoreId = addProcoreVendor('Boulder Steel Erectors', 'BSE01');
  // The first PUT commits, then its answer is lost: the retry must find the marker, not fail on the taken key.
  stack.acumaticaSim.faults.add({
    method: 'PUT',
    path: '/entity/Default/*/Vendor',
    kind: 'commit_then_drop',
    bodyContains: `PROCORE-${procoreId}`,
  });
  const { result } = await exportVendor(procoreId);
  expect(result).toMatchObject({ status: 'success', acumaticaKey: 'BSE01' });
  expect(await vendorsWithId('BSE01')).toHaveLength(1);
});
