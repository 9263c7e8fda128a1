/**
 * Fault matrix (issue 5): for every write an export makes — the Acumatica PUT of the document, Procore's External
 * Data sync (origin_ids) and the request-detail close-out — inject each fault once (5xx, timeout, 429, connection
 * reset, commit-then-drop) and check that the export still ends with exactly one Acumatica record and correct
 * links: the Procore record's origin_id, the request detail closed `success`, and the connector's link rows.
 *
 * One stack for the whole file; every case exports a record of its own, seeded in the Procore simulator's store
 * in process, so no simulator reset is needed (a Procore reset would drop the connector's webhook hook). Cases
 * run one after another: fault rules match routes, not records.
 */
import { DEMO_PROJECT } from '../../simulators/demo-data';
import { addDemoCommitment } from '../../simulators/procore/testing';
import { startConnectorStack, type ConnectorStack } from '../helpers/connector-stack';

jest.setTimeout(90_000);

type Result = { status: string; acumaticaKey?: string; messages: string[] };
type Rec = Record<string, { value?: unknown }>;

type Flow = 'subcontract' | 'purchase_order' | 'vendor' | 'commitment_change_order' | 'requisition';
type Write = 'acumatica' | 'external_data' | 'request_detail';
type FaultKind = 'error' | 'timeout' | 'rate_limit' | 'reset' | 'commit_then_drop';

interface FlowSpec {
  /** item_type of the accept in Procore's ERP tool. */
  itemType: string;
  /** procore_entity of the connector's link row. */
  linkEntity: string;
  acumaticaEntity: string;
  /** The field that carries the PROCORE-<id> marker. */
  markerField: string;
  /** The field that is the Acumatica key. */
  keyField: string;
  extraFilter?: string;
  /** procore_entity of the line link rows, for flows with lines. */
  lineEntity?: string;
}

interface Seeded {
  id: string;
  /** The record's line ids in the Procore simulator (links expected for each). */
  lineIds: string[];
}

const FLOWS: Record<Flow, FlowSpec> = {
  subcontract: {
    itemType: 'work_order_contract',
    linkEntity: 'work_order_contract',
    acumaticaEntity: 'Subcontract',
    markerField: 'VendorRef',
    keyField: 'SubcontractNbr',
    lineEntity: 'commitment_line_item',
  },
  purchase_order: {
    itemType: 'purchase_order_contract',
    linkEntity: 'purchase_order_contract',
    acumaticaEntity: 'PurchaseOrder',
    markerField: 'VendorRef',
    keyField: 'OrderNbr',
    extraFilter: "Type eq 'Normal'",
    lineEntity: 'commitment_line_item',
  },
  vendor: {
    itemType: 'vendor',
    linkEntity: 'vendor',
    acumaticaEntity: 'Vendor',
    markerField: 'AccountRef',
    keyField: 'VendorID',
  },
  commitment_change_order: {
    itemType: 'commitment_change_order',
    linkEntity: 'commitment_change_order',
    acumaticaEntity: 'ChangeOrder',
    markerField: 'ExternalRefNbr',
    keyField: 'RefNbr',
    lineEntity: 'change_order_line_item',
  },
  requisition: {
    itemType: 'requisition',
    linkEntity: 'requisition',
    acumaticaEntity: 'Bill',
    markerField: 'VendorRef',
    keyField: 'ReferenceNbr',
    extraFilter: "Type eq 'Bill'",
    lineEntity: 'requisition_item',
  },
};

function writeRoute(flow: Flow, write: Write): { system: 'procore' | 'acumatica'; method: string; path: string } {
  switch (write) {
    case 'acumatica':
      return { system: 'acumatica', method: 'PUT', path: `/entity/Default/*/${FLOWS[flow].acumaticaEntity}` };
    case 'external_data':
      return { system: 'procore', method: 'PATCH', path: '/rest/v1.0/companies/*/external_data/sync' };
    case 'request_detail':
      return { system: 'procore', method: 'PATCH', path: '/rest/v1.0/companies/*/erp_request_details/*' };
  }
}

/**
 * The fault, injected once. Timeouts: the clients wait 30 s (Procore) and 120 s (Acumatica) before giving up, so
 * the simulator closes the socket after 2 s instead — to the client the same unanswered request.
 */
const FAULTS: Record<FaultKind, Record<string, unknown>> = {
  error: { kind: 'error', status: 503 },
  timeout: { kind: 'timeout', latencyMs: 2000 },
  rate_limit: { kind: 'rate_limit', retryAfterSeconds: 1 },
  reset: { kind: 'reset' },
  commit_then_drop: { kind: 'commit_then_drop' },
};

const FLOW_NAMES = Object.keys(FLOWS) as Flow[];
const WRITES: Write[] = ['acumatica', 'external_data', 'request_detail'];
const KINDS = Object.keys(FAULTS) as FaultKind[];
const MATRIX = FLOW_NAMES.flatMap((flow) => WRITES.flatMap((write) => KINDS.map((kind) => ({ flow, write, kind }))));

let stack: ConnectorStack;
let seq = 0;
const outcomes = { matrix: 0, matrixPassed: 0, duplicates: 0, duplicatesPassed: 0 };
const started = Date.now();

beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  console.log(
    `fault matrix: ${outcomes.matrix} cases, ${outcomes.matrixPassed} passed; duplicate deliveries: ${outcomes.duplicates} cases, ${outcomes.duplicatesPassed} passed; ${Math.round((Date.now() - started) / 1000)} s`,
  );
  await stack?.stop();
});
afterEach(async () => {
  await clearFaults();
});

async function clearFaults(): Promise<void> {
  for (const url of [stack.procoreUrl, stack.acumaticaUrl]) {
    await fetch(`${url}/__admin/faults`, { method: 'DELETE' });
  }
}

async function activeFaults(system: 'procore' | 'acumatica'): Promise<unknown[]> {
  const url = system === 'procore' ? stack.procoreUrl : stack.acumaticaUrl;
  return (await (await fetch(`${url}/__admin/faults`)).json()) as unknown[];
}

/** A new approved commitment with three lines, in the Procore simulator. */
function seedCommitment(type: 'work_order_contract' | 'purchase_order_contract'): Seeded {
  return addDemoCommitment(stack.procoreSim.store, { type, n: ++seq, lines: 3, label: 'fault' });
}

const NO_ORIGIN = { origin_id: null, origin_code: null, origin_data: null };

/** A new company-directory vendor that Acumatica has never seen (unique name: no adoption by name). */
function seedVendor(): Seeded {
  const store = stack.procoreSim.store;
  const n = ++seq;
  const id = store.newId();
  const now = new Date().toISOString();
  store.state.vendors.push({
    id,
    company_id: stack.companyId,
    name: `Fault Matrix Supply ${n} ${id}`,
    abbreviated_name: null,
    address: '100 Fault Way',
    city: 'Denver',
    state_code: 'CO',
    zip: '80202',
    country_code: 'US',
    business_phone: '303-555-0100',
    email_address: `fault${n}@example.test`,
    business_id: null,
    is_active: true,
    created_at: now,
    updated_at: now,
    ...NO_ORIGIN,
  });
  return { id, lineIds: [] };
}

/** A subcontract exported without faults: what change orders and invoices need first. */
async function exportedSubcontract(): Promise<Seeded> {
  const sc = seedCommitment('work_order_contract');
  const { workflowId } = await stack.accept(sc.id);
  expect(await stack.waitForWorkflow<Result>(workflowId)).toMatchObject({ status: 'success' });
  return sc;
}

/** An approved commitment change order on a freshly exported subcontract: one line changes it, one adds scope. */
async function seedCommitmentChangeOrder(): Promise<Seeded> {
  const sc = await exportedSubcontract();
  const store = stack.procoreSim.store;
  const state = store.state;
  const n = ++seq;
  const id = store.newId();
  const now = new Date().toISOString();
  state.changeOrders.push({
    id,
    company_id: stack.companyId,
    project_id: DEMO_PROJECT.procoreId,
    kind: 'commitment',
    contract_id: sc.id,
    number: `CCO-FAULT-${String(n).padStart(3, '0')}`,
    title: `Fault matrix change ${n}`,
    description: null,
    status: 'approved',
    executed: true,
    due_date: null,
    revision: 0,
    created_at: now,
    updated_at: now,
    ...NO_ORIGIN,
  });
  const lineIds: string[] = [];
  for (const [i, changes] of [sc.lineIds[0], sc.lineIds[1]].entries()) {
    const line = state.lineItems.find((l) => l.id === changes)!;
    const lineId = store.newId();
    lineIds.push(lineId);
    const amount = `${250 * (i + 1)}.00`;
    state.changeOrderLineItems.push({
      id: lineId,
      change_order_id: id,
      contract_line_item_id: changes,
      cost_code_id: line.cost_code_id,
      line_item_type_id: line.line_item_type_id,
      description: `Changed scope ${i + 1}`,
      amount,
      quantity: '1.0',
      unit_cost: amount,
      uom: 'LS',
      position: i + 1,
      created_at: now,
      updated_at: now,
      ...NO_ORIGIN,
    });
  }
  return { id, lineIds };
}

/** An approved subcontractor invoice (pay app #1, a quarter of each line) on a freshly exported subcontract. */
async function seedRequisition(): Promise<Seeded> {
  const sc = await exportedSubcontract();
  const store = stack.procoreSim.store;
  const state = store.state;
  const n = ++seq;
  const id = store.newId();
  const now = new Date().toISOString();
  state.requisitions.push({
    id,
    company_id: stack.companyId,
    project_id: DEMO_PROJECT.procoreId,
    commitment_id: sc.id,
    number: 1,
    invoice_number: `INV-FAULT-${n}`,
    billing_date: '2024-07-31',
    period_start: '2024-07-01',
    period_end: '2024-07-31',
    status: 'approved',
    erp_status: null,
    payment_date: null,
    created_at: now,
    updated_at: now,
    ...NO_ORIGIN,
  });
  const lineIds: string[] = [];
  for (const [i, commitmentLineId] of sc.lineIds.entries()) {
    const line = state.lineItems.find((l) => l.id === commitmentLineId)!;
    const done = (Number(line.amount) / 4).toFixed(2);
    const itemId = store.newId();
    lineIds.push(itemId);
    state.requisitionItems.push({
      id: itemId,
      requisition_id: id,
      line_item_id: line.id,
      cost_code_id: line.cost_code_id,
      description: line.description,
      scheduled_value: line.amount,
      work_completed_from_previous: '0.00',
      work_completed_this_period: done,
      materials_presently_stored: '0.00',
      retainage_percent: '10.0',
      retainage_this_period: (Number(done) / 10).toFixed(2),
      position: i + 1,
      ...NO_ORIGIN,
    });
  }
  return { id, lineIds };
}

async function seed(flow: Flow): Promise<Seeded> {
  switch (flow) {
    case 'subcontract':
      return seedCommitment('work_order_contract');
    case 'purchase_order':
      return seedCommitment('purchase_order_contract');
    case 'vendor':
      return seedVendor();
    case 'commitment_change_order':
      return seedCommitmentChangeOrder();
    case 'requisition':
      return seedRequisition();
  }
}

async function procoreOriginId(flow: Flow, id: string): Promise<unknown> {
  const { companyId, procore } = stack;
  const project = DEMO_PROJECT.procoreId;
  switch (flow) {
    case 'subcontract':
      return (await procore.getWorkOrderContract(companyId, project, id)).origin_id;
    case 'purchase_order':
      return (await procore.getPurchaseOrderContract(companyId, project, id)).origin_id;
    case 'vendor':
      return (await procore.getVendor(companyId, id)).origin_id;
    case 'commitment_change_order':
      // The client's change order schema does not carry origin_id: read what the simulator holds.
      return stack.procoreSim.store.state.changeOrders.find((c) => c.id === id)?.origin_id;
    case 'requisition':
      return (await procore.getRequisition(companyId, project, id)).origin_id;
  }
}

/** Exactly one Acumatica record, linked both ways, request detail closed `success`. */
async function expectExportedOnce(flow: Flow, item: Seeded, erpRequestId: string, result: Result) {
  const spec = FLOWS[flow];
  expect(result).toMatchObject({ status: 'success', acumaticaKey: expect.any(String) });
  const key = result.acumaticaKey!;

  const marker = `${spec.markerField} eq 'PROCORE-${item.id}'`;
  const records = (await stack.acumatica.list(spec.acumaticaEntity, {
    filter: spec.extraFilter ? `${spec.extraFilter} and ${marker}` : marker,
  })) as Rec[];
  expect(records).toHaveLength(1);
  expect(records[0][spec.keyField].value).toBe(key);

  expect(String(await procoreOriginId(flow, item.id))).toBe(key);

  const request = await stack.procore.getErpRequest(stack.companyId, erpRequestId);
  const detail = await stack.procore.getErpRequestDetail(stack.companyId, String(request.request_details![0].id));
  expect(detail.status).toBe('success');

  const links = await stack.db.query<{ acumatica_entity: string; acumatica_key: string }>(
    `SELECT acumatica_entity, acumatica_key FROM links
      WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3 AND deleted_at IS NULL`,
    [stack.companyId, spec.linkEntity, item.id],
  );
  expect(links.rows).toEqual([{ acumatica_entity: spec.acumaticaEntity, acumatica_key: key }]);

  if (spec.lineEntity) {
    const lineLinks = await stack.db.query<{ acumatica_key: string }>(
      `SELECT acumatica_key FROM links
        WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = ANY($3) AND deleted_at IS NULL`,
      [stack.companyId, spec.lineEntity, item.lineIds],
    );
    expect(lineLinks.rows).toHaveLength(item.lineIds.length);
    for (const row of lineLinks.rows) expect(row.acumatica_key.startsWith(`${key}:`)).toBe(true);
  }
}

describe.each(FLOW_NAMES)('%s export', (flow) => {
  test.each(MATRIX.filter((c) => c.flow === flow))(
    '$kind on the $write write: one record, linked both ways',
    async ({ write, kind }) => {
      outcomes.matrix++;
      const item = await seed(flow);
      const route = writeRoute(flow, write);
      await stack.inject(route.system, { method: route.method, path: route.path, times: 1, ...FAULTS[kind] });

      const { erpRequestId, workflowId } = await stack.accept(item.id, { item_type: FLOWS[flow].itemType });
      const result = await stack.waitForWorkflow<Result>(workflowId);

      // The fault did fire (a rule with times: 1 is gone once used).
      expect(await activeFaults(route.system)).toEqual([]);
      await expectExportedOnce(flow, item, erpRequestId, result);
      outcomes.matrixPassed++;
    },
  );

  test('the same webhook delivered three times: one workflow run, one record', async () => {
    outcomes.duplicates++;
    const item = await seed(flow);
    const { erpRequestId, workflowId } = await stack.accept(item.id, {
      item_type: FLOWS[flow].itemType,
      duplicate_deliveries: 3,
    });
    const result = await stack.waitForWorkflow<Result>(workflowId);
    // Let the redeliveries arrive and be answered before counting.
    await new Promise((r) => setTimeout(r, 1000));

    const inbox = await stack.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhook_inbox WHERE workflow_id = $1',
      [workflowId],
    );
    expect(inbox.rows[0].n).toBe(1);
    const runs = [];
    for await (const w of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(w);
    expect(runs).toHaveLength(1);
    await expectExportedOnce(flow, item, erpRequestId, result);
    outcomes.duplicatesPassed++;
  });
});
