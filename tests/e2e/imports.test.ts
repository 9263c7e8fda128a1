/**
 * Vendor import, end to end: Acumatica simulator -> worker -> Procore simulator, branch by branch, through
 * POST /imports, the nightly schedule and Procore's Refresh button.
 */
import type { Vendor } from '../../clients/procore/client';
import { DEMO_VENDORS } from 'simulator-common';
import { nightlyScheduleId } from '../../lib/ids';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

type Totals = { read: number; written: number; unchanged: number; exceptions: number; retired: number };

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function importVendors(body: Record<string, unknown> = {}): Promise<Totals> {
  const res = await stack.apiFetch(`/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities: ['vendors'], ...body }),
  });
  expect(res.status).toBe(202);
  const { workflowId, statusUrl } = (await res.json()) as { workflowId: string; statusUrl: string };
  const totals = await stack.waitForWorkflow<Totals>(workflowId);
  // The status URL the API handed out answers for it (what `npm run import` polls).
  const status = (await (await stack.apiFetch(`${statusUrl}`)).json()) as { status: string; result: Totals };
  expect(status).toMatchObject({ status: 'COMPLETED', result: { written: totals.written } });
  return totals;
}

async function procoreVendors(): Promise<Vendor[]> {
  const all: Vendor[] = [];
  for await (const page of stack.procore.listVendors(stack.companyId)) all.push(...page);
  return all;
}

test('each branch imports its own vendors; existing Procore vendors are linked, not duplicated', async () => {
  const before = await procoreVendors();
  const totals = await importVendors();
  expect(totals.exceptions).toBe(0);
  expect(totals.written).toBeGreaterThan(0);

  const after = await procoreVendors();
  for (const v of DEMO_VENDORS.filter((d) => d.acumaticaVendorId)) {
    const matches = after.filter((p) => p.name === v.name);
    expect(matches).toHaveLength(1); // linked, not duplicated
    expect(matches[0].origin_id).toBe(v.acumaticaVendorId);
  }
  expect(after.length).toBeGreaterThanOrEqual(before.length);

  const branches = await stack.db.query(
    `SELECT acumatica_key, branch FROM links WHERE procore_company_id = $1 AND procore_entity = 'vendor' AND data_hash IS NOT NULL`,
    [stack.companyId],
  );
  const branchOf = new Map(branches.rows.map((r) => [r.acumatica_key, r.branch]));
  for (const v of DEMO_VENDORS.filter((d) => d.acumaticaVendorId))
    expect(branchOf.get(v.acumaticaVendorId)).toBe(v.branch);
});

test('a rerun with no changes writes nothing; a changed vendor is the only write', async () => {
  const rerun = await importVendors();
  expect(rerun.written).toBe(0);

  await stack.acumatica.put('Vendor', { VendorID: 'V100245', VendorName: 'Front Range Electrical Contractors, Inc.' });
  const delta = await importVendors();
  expect(delta.written).toBe(1);
  const renamed = (await procoreVendors()).filter((v) => v.origin_id === 'V100245');
  expect(renamed.map((v) => v.name)).toEqual(['Front Range Electrical Contractors, Inc.']);
});

test('a vendor deleted in Acumatica is caught by the full reconciliation and made inactive in Procore', async () => {
  await stack.acumatica.delete('Vendor', ['V100262']);
  const delta = await importVendors();
  expect(delta.retired).toBe(0); // a delta run cannot see deletions
  const full = await importVendors({ mode: 'full' });
  expect(full.retired).toBe(1);
  const [retired] = (await procoreVendors()).filter((v) => v.origin_id === 'V100262');
  expect(retired.is_active).toBe(false);
});

test('the nightly schedule exists after start, and triggering it runs the import', async () => {
  const handle = stack.client.schedule.getHandle(nightlyScheduleId(stack.companyId));
  const schedule = await handle.describe();
  expect(schedule.policies.overlap).toBe('SKIP');
  await handle.trigger();
  const deadline = Date.now() + 30_000;
  let recent: string | undefined;
  while (!recent && Date.now() < deadline) {
    const d = await handle.describe();
    recent = d.info.recentActions.at(-1)?.action.workflow.workflowId;
    if (!recent) await new Promise((r) => setTimeout(r, 200));
  }
  expect(recent).toMatch(new RegExp(`^a2p-${stack.companyId}-nightly`));
  const totals = await stack.waitForWorkflow<Totals>(recent!);
  expect(totals.exceptions).toBe(0);

  // Entities read side by side, but a scope writes only once what it waits for has finished: the second vendor
  // branch after the first, direct costs after vendors, cost types and projects.
  const closed = new Map<string, number>();
  const flushStarted = new Map<string, number>();
  for await (const w of stack.client.workflow.list({ query: `WorkflowId STARTS_WITH "${recent}-"` })) {
    const scope = w.workflowId.slice(recent!.length + 1);
    closed.set(scope, w.closeTime!.getTime());
    const history = await stack.client.workflow.getHandle(w.workflowId).fetchHistory();
    const flush = history.events!.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'flushImportWritesActivity',
    )!;
    flushStarted.set(scope, Number(flush.eventTime!.seconds) * 1000 + Math.floor(flush.eventTime!.nanos! / 1e6));
  }
  expect([...closed.keys()].sort()).toEqual([
    'cost_codes-company',
    'cost_types-company',
    'direct_costs-company',
    'projects-company',
    'vendors-HQ',
    'vendors-WEST',
  ]);
  expect(flushStarted.get('vendors-WEST')!).toBeGreaterThanOrEqual(closed.get('vendors-HQ')!);
  for (const dependency of ['vendors-HQ', 'vendors-WEST', 'cost_types-company', 'projects-company']) {
    expect(flushStarted.get('direct_costs-company')!).toBeGreaterThanOrEqual(closed.get(dependency)!);
  }
});

test("Procore's Refresh Vendors button runs the import and closes its request detail", async () => {
  const res = await fetch(`${stack.procoreUrl}/__admin/erp/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company_id: stack.companyId, request_name: 'sync_vendors' }),
  });
  expect(res.ok).toBe(true);
  const { erp_request_id } = (await res.json()) as { erp_request_id: string };
  const result = await stack.waitForWorkflow<{ status: string; messages: string[] }>(
    `erp-${stack.companyId}-request-${erp_request_id}`,
  );
  expect(result.status).toBe('success');
  const request = await stack.procore.getErpRequest(stack.companyId, String(erp_request_id));
  const detailId = request.request_details?.[0]?.id;
  if (detailId) {
    const detail = await stack.procore.getErpRequestDetail(stack.companyId, String(detailId));
    expect(detail.status).toBe('success');
  }
});
