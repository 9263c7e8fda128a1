/**
 * Issue #15, item 2: the dry run of an import and the preview of an export read both systems, answer per record
 * what would happen, and write nothing - to Procore, to Acumatica, or to the connector's own tables.
 */
import { val } from '../../clients/acumatica/client';
import type { ExportPreview } from '../../activities/exporters/preview';
import type { ImportPreviewResult } from '../../activities/import-preview';
import { DEMO_PROJECT, DEMO_SUBCONTRACTS } from 'simulator-common';
import { normaliseName } from '../../mappings/vendor-import';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

const TABLES = [
  'links',
  'procore_match_index',
  'import_write_queue',
  'import_watermarks',
  'import_exceptions',
  'audit_log',
];
async function tableCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await stack.db.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n;
  return out;
}
async function clearLogs(): Promise<void> {
  for (const url of [stack.procoreUrl, stack.acumaticaUrl])
    await fetch(`${url}/__admin/request-log`, { method: 'DELETE' });
}
/** Requests that change something, in both simulators (sign-ins are reads). */
async function writes(): Promise<string[]> {
  const out: string[] = [];
  for (const url of [stack.procoreUrl, stack.acumaticaUrl]) {
    const { requests } = (await (await fetch(`${url}/__admin/request-log`)).json()) as {
      requests: Array<{ method: string; path: string }>;
    };
    for (const r of requests)
      if (r.method !== 'GET' && !/\/(auth\/login|auth\/logout|oauth\/token)$/.test(r.path))
        out.push(`${r.method} ${r.path}`);
  }
  return out;
}

async function dryRun(body: Record<string, unknown>): Promise<ImportPreviewResult> {
  const res = await stack.apiFetch('/imports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities: ['vendors'], dryRun: true, ...body }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ImportPreviewResult;
}
async function importVendors(): Promise<void> {
  const res = await stack.apiFetch('/imports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities: ['vendors'] }),
  });
  expect(res.status).toBe(202);
  await stack.waitForWorkflow(((await res.json()) as { workflowId: string }).workflowId);
}
async function preview(
  body: Record<string, unknown>,
): Promise<{ status: number; body: ExportPreview & { error?: { message: string } } }> {
  const res = await stack.apiFetch(`/companies/${stack.companyId}/exports/preview`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as ExportPreview & { error?: { message: string } } };
}

test('an import dry run says per record what the import would do, writes nothing, and the import then does it', async () => {
  // Two vendors new in Acumatica: one also keyed in Procore by hand (same name, no origin_id), one not.
  const linkedRows = (
    await stack.db.query(`SELECT acumatica_key, procore_id FROM links WHERE procore_entity = 'vendor'`)
  ).rows;
  const [linkedKey, linkedId] = [linkedRows[0].acumatica_key as string, linkedRows[0].procore_id as string];
  await stack.acumatica.put('Vendor', {
    VendorID: 'VPREV01',
    VendorName: 'Preview Hand-Keyed Supply',
    VendorClass: 'SUPPLIER',
  });
  await stack.acumatica.put('Vendor', {
    VendorID: 'VPREV02',
    VendorName: 'Preview New Supply',
    VendorClass: 'SUPPLIER',
  });
  const state = stack.procoreSim.store.state;
  const template = state.vendors.find((v) => v.company_id === stack.companyId)!;
  const handKeyed = { acumaticaKey: 'VPREV01', procoreId: '990000001' };
  state.vendors.push({
    ...template,
    id: handKeyed.procoreId,
    name: 'Preview Hand-Keyed Supply',
    business_id: null,
    origin_id: null,
    origin_code: null,
    origin_data: null,
  });
  const before = await tableCounts();
  await clearLogs();
  const result = await dryRun({ mode: 'full' });
  expect(await writes()).toEqual([]);
  expect(await tableCounts()).toEqual(before);

  // Per key (a vendor both branches see is previewed once per branch, as it is read).
  const outcomes = (key: string) => [
    ...new Set(result.records.filter((r) => r.acumaticaKey === key).map((r) => r.outcome)),
  ];
  const record = (key: string) => result.records.find((r) => r.acumaticaKey === key);
  // Linked vendors (the demo's, linked by its setup without content) would be updated in place; the hand-keyed
  // one adopted by its match key; the new one created.
  expect(outcomes(linkedKey)).toEqual(['would_update']);
  expect(record(linkedKey)).toMatchObject({ procoreId: linkedId, changes: [] });
  expect(outcomes('VPREV01')).toEqual(['would_adopt']);
  expect(record('VPREV01')).toMatchObject({
    procoreId: handKeyed.procoreId,
    matchKey: `name:${normaliseName('Preview Hand-Keyed Supply')}`,
  });
  expect(outcomes('VPREV02')).toEqual(['would_create']);
  const created = [...new Set(result.records.filter((r) => r.outcome === 'would_create').map((r) => r.acumaticaKey))];
  expect(created).toEqual(['VPREV02']);

  // The import does what the dry run said.
  const procoreCount = async () => (await stack.procore.listVendors(stack.companyId).next()).value?.length ?? 0;
  const procoreBefore = await procoreCount();
  await importVendors();
  const { rows } = await stack.db.query(
    `SELECT acumatica_key, procore_id FROM links WHERE procore_company_id = $1 AND procore_entity = 'vendor'`,
    [stack.companyId],
  );
  const linked = new Map(rows.map((r) => [r.acumatica_key, r.procore_id]));
  expect(linked.get(linkedKey)).toBe(linkedId);
  expect(linked.get(handKeyed.acumaticaKey)).toBe(handKeyed.procoreId);
  expect(linked.get('VPREV02')).toBeDefined();
  expect((await procoreCount()) - procoreBefore).toBe(1);

  // Now everything is unchanged; a renamed vendor is the one update, with the field diff.
  await stack.acumatica.put('Vendor', { VendorID: 'V100245', VendorName: 'Front Range Electrical Contractors, Inc.' });
  const again = await dryRun({});
  const changed = again.records.filter((r) => r.outcome !== 'unchanged');
  expect(changed).toEqual([
    expect.objectContaining({
      acumaticaKey: 'V100245',
      outcome: 'would_update',
      changes: [expect.objectContaining({ field: 'name', to: 'Front Range Electrical Contractors, Inc.' })],
    }),
  ]);
});

test('an export preview: would create with its fields, unchanged once exported, the field diff after a change', async () => {
  const sc = DEMO_SUBCONTRACTS[0];
  const ref = { kind: 'subcontract', procoreId: sc.procoreId, projectId: DEMO_PROJECT.procoreId };
  const before = await tableCounts();
  await clearLogs();
  const first = await preview(ref);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({
    outcome: 'would_create',
    acumaticaEntity: 'Subcontract',
    fields: { VendorRef: `PROCORE-${sc.procoreId}` },
  });
  expect(first.body.lines!.added).toBe(sc.lines.length);
  expect(await writes()).toEqual([]);
  expect(await tableCounts()).toEqual(before);

  const { workflowId, erpRequestId } = await stack.accept(sc.procoreId);
  expect(await stack.waitForWorkflow(workflowId)).toMatchObject({ status: 'success' });
  const [doc] = await stack.subcontractsFor(sc.procoreId);
  const key = String(val(doc.SubcontractNbr));
  expect((await preview({ erpRequestId })).body).toMatchObject({
    outcome: 'unchanged',
    acumaticaKey: key,
    foundBy: 'marker',
  });

  // The title changes in Procore: the preview names the one field the export would change, with both values.
  const contract = stack.procoreSim.store.state.workOrderContracts.find((c) => c.id === sc.procoreId)!;
  const oldDescription = String(val(doc.Description));
  contract.title = `${contract.title} (revised)`;
  await clearLogs();
  const changed = (await preview(ref)).body;
  expect(changed).toMatchObject({ outcome: 'would_update', acumaticaKey: key });
  expect(changed.changes).toEqual([
    { field: 'Description', from: oldDescription, to: expect.stringContaining('(revised)') },
  ]);
  expect(await writes()).toEqual([]);
});

test('an export preview reports the preflight problems; a record read from its request must be named by it', async () => {
  const glazing = DEMO_SUBCONTRACTS[2]; // its vendor is in Procore only
  const failing = await preview({
    kind: 'subcontract',
    procoreId: glazing.procoreId,
    projectId: DEMO_PROJECT.procoreId,
  });
  expect(failing.body.outcome).toBe('exception');
  expect(failing.body.problems!.join(' ')).toMatch(/not linked/);

  const budget = await preview({ kind: 'budget', procoreId: '1' });
  expect(budget.status).toBe(400);
  expect(budget.body.error!.message).toMatch(/preview it by erpRequestId/);
  const missing = await preview({ procoreId: '1' });
  expect(missing.status).toBe(400);
});
