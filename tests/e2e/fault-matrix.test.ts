/**
 * Fault matrix (issue 5): for every write an export makes — each Acumatica PUT of the flow, Procore's External
 * Data sync (origin_ids), the budget-transaction sync and the request-detail close-out — inject each fault once
 * (503, timeout, 429, connection reset, commit-then-drop) and check that the export still ends with exactly one
 * Acumatica record and correct links: the Procore origin_ids, the request detail closed `success`, and the
 * connector's link rows. Plus the same webhook delivered three times, per flow.
 *
 * Flows: subcontract, purchase order, vendor, commitment change order, subcontractor invoice, project
 * (create_or_update_job), budget (create_budget, and update_budget of an exported budget), prime contract, prime
 * contract change order, budget change and company-level direct cost (one bill across two projects).
 *
 * Speed without weaker checks: every case exports records of its own (seeded in the Procore simulator's store in
 * process; each project-level case gets a project of its own), and every fault is scoped to its case's record —
 * by request body (`bodyContains`: the record's PROCORE- marker, its item_id or project) or, for the close-out,
 * by the request detail's path — so cases cannot hit each other's faults and run concurrently (jest's
 * test.concurrent, maxConcurrency 5). The fault is injected in process right after the accept, before the webhook
 * is delivered, and each case checks that its own rule fired. The Procore simulator's rate limits are raised for
 * this stack: the suite makes more calls per hour than Procore's default allows, and 429s are injected as faults.
 */
import { acceptForExport } from 'procore-simulator/src/erp-actions';
import { DEMO_COST_TYPES, DEMO_PROJECT, DEMO_PROJECT_COST_CODES, DEMO_VENDORS } from 'simulator-common';
import { createCompanyDirectCost } from 'procore-simulator/src/company-direct-costs';
import { addDemoCommitment } from 'procore-simulator/src/testing';
import type { FaultInjector } from 'simulator-common';
import { erpRequestWorkflowId } from '../../lib/ids';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';
import {
  addBudget,
  addBudgetChange,
  addPrimeChangeOrder,
  addPrimeContract,
  addProject,
  type SeededProject,
  type SeedLine,
} from '../../testing/project-seeds';

jest.setTimeout(180_000);

type Result = { status: string; acumaticaKey?: string; messages: string[] };
type Rec = Record<string, { value?: unknown }>;

type Write = 'acumatica' | 'acumatica_tasks' | 'external_data' | 'erp_transactions' | 'request_detail';
type FaultKind = 'error' | 'timeout' | 'rate_limit' | 'reset' | 'commit_then_drop';

interface Seeded {
  id: string;
  /** The record's line ids in the Procore simulator (a link is expected for each). */
  lineIds: string[];
  /** Project-level flows: the project of the case. */
  project?: SeededProject;
  /** The body text that marks the record's Acumatica write. */
  acumaticaMarker: string;
  /** Expected lines in Acumatica (amounts), where the flow checks them. */
  amounts?: number[];
}

interface FlowSpec {
  /** item_type of the accept in Procore's ERP tool. */
  itemType: string;
  writes: Write[];
  /** The Acumatica entity of the main write. */
  acumaticaEntity: string;
  /** procore_entity of the connector's header link, and of its line links. */
  linkEntity: string;
  lineEntity?: string;
  seed(): Promise<Seeded>;
  /** Exactly one Acumatica record for `item`, keyed `key`, and the Procore side's ERP keys. */
  verify(item: Seeded, key: string): Promise<void>;
  /** The prefix every line key starts with. */
  lineKeyPrefix?(item: Seeded, key: string): string;
}

let stack: ConnectorStack;
let seq = 0;
const outcomes = { matrix: 0, matrixPassed: 0, duplicates: 0, duplicatesPassed: 0 };
const started = Date.now();

beforeAll(async () => {
  stack = await startConnectorStack({
    procoreSimulator: { rateLimit: { limitPerHour: 1_000_000, spikeLimit: 10_000 } },
  });
  // Budgets need each cost type's account group: the cost-type import links them, as in production.
  const res = await stack.apiFetch(`/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities: ['cost_codes', 'cost_types'] }),
  });
  await stack.waitForWorkflow(((await res.json()) as { workflowId: string }).workflowId);
});
afterAll(async () => {
  console.log(
    `fault matrix: ${outcomes.matrix} cases, ${outcomes.matrixPassed} passed; duplicate deliveries: ${outcomes.duplicates} cases, ${outcomes.duplicatesPassed} passed; ${Math.round((Date.now() - started) / 1000)} s`,
  );
  await stack?.stop();
});

const NO_ORIGIN = { origin_id: null, origin_code: null, origin_data: null };
const store = () => stack.procoreSim.store;
const marker = (id: string) => `"PROCORE-${id}"`;

/** Exports an item without faults (what a case needs first) and returns the result. */
async function exported(itemId: string, itemType: string): Promise<Result> {
  const { workflowId } = await stack.accept(itemId, { item_type: itemType });
  const result = await stack.waitForWorkflow<Result>(workflowId);
  expect(result).toMatchObject({ status: 'success' });
  return result;
}

// --- seeds --------------------------------------------------------------------------------------------------

function seedCommitment(type: 'work_order_contract' | 'purchase_order_contract'): Seeded {
  const c = addDemoCommitment(store(), { type, n: ++seq, lines: 3, label: 'fault' });
  return { ...c, acumaticaMarker: marker(c.id) };
}

/** A new company-directory vendor that Acumatica has never seen (unique name: no adoption by name). */
function seedVendor(): Seeded {
  const n = ++seq;
  const id = store().newId();
  const now = new Date().toISOString();
  store().state.vendors.push({
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
  return { id, lineIds: [], acumaticaMarker: marker(id) };
}

/** A subcontract exported without faults: what change orders and invoices need first. */
async function exportedSubcontract(): Promise<Seeded> {
  const sc = seedCommitment('work_order_contract');
  await exported(sc.id, 'work_order_contract');
  return sc;
}

/** An approved commitment change order on a freshly exported subcontract, changing two of its lines. */
async function seedCommitmentChangeOrder(): Promise<Seeded> {
  const sc = await exportedSubcontract();
  const { state } = store();
  const n = ++seq;
  const id = store().newId();
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
  const lineIds = [sc.lineIds[0], sc.lineIds[1]].map((changes, i) => {
    const line = state.lineItems.find((l) => l.id === changes)!;
    const lineId = store().newId();
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
    return lineId;
  });
  return { id, lineIds, acumaticaMarker: marker(id) };
}

/** An approved subcontractor invoice (pay app #1, a quarter of each line) on a freshly exported subcontract. */
async function seedRequisition(): Promise<Seeded> {
  const sc = await exportedSubcontract();
  const { state } = store();
  const n = ++seq;
  const id = store().newId();
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
  const lineIds = sc.lineIds.map((commitmentLineId, i) => {
    const line = state.lineItems.find((l) => l.id === commitmentLineId)!;
    const done = (Number(line.amount) / 4).toFixed(2);
    const itemId = store().newId();
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
    return itemId;
  });
  return { id, lineIds, acumaticaMarker: marker(id) };
}

const BUDGET_LINES: SeedLine[] = [
  { costCode: '03-300', costType: 'S', amount: '120500.00', description: 'Foundations' },
  { costCode: '06-100', costType: 'M', amount: '48250.25', description: 'Framing materials' },
  { costCode: '01-500', costType: 'O', amount: '30000.00', description: 'General conditions' },
];
const REVENUE_LINES: SeedLine[] = [
  { costCode: '03-300', costType: 'S', amount: '250000.00', description: 'Concrete' },
  { costCode: '06-100', costType: 'S', amount: '98000.00', description: 'Rough carpentry' },
];
const CHANGE_LINES: SeedLine[] = [
  { costCode: '03-300', costType: 'S', amount: '16200.00', description: 'Thickened slab' },
  { costCode: '26-050', costType: 'S', amount: '21100.50', description: 'Feeder conduit' },
];

/** A project of its own with two sub jobs: the project flow exports it. */
function seedProject(): Seeded {
  const project = addProject(store(), { n: ++seq, subJobs: ['A1', 'B2'] });
  return { id: project.id, lineIds: project.subJobIds, project, acumaticaMarker: marker(project.id) };
}

/** A project of its own, exported without faults (budgets, contracts and change orders need it first). */
async function exportedProject(): Promise<SeededProject> {
  const project = addProject(store(), { n: ++seq });
  await exported(project.id, 'project');
  return project;
}

/** The ProjectBudget PUTs of a case carry its own project ID. */
const projectMarker = (project: SeededProject) => `{"value":"${project.number}"}`;

async function seedBudget(): Promise<Seeded> {
  const project = await exportedProject();
  const budget = addBudget(store(), project, BUDGET_LINES);
  return {
    ...budget,
    project,
    acumaticaMarker: projectMarker(project),
    amounts: BUDGET_LINES.map((l) => Number(l.amount)),
  };
}

/** An exported budget whose second line then changed in Procore: the accept raises update_budget. */
async function seedBudgetUpdate(): Promise<Seeded> {
  const item = await seedBudget();
  await exported(item.id, 'budget');
  const line = store().state.budgetLineItems.find((l) => l.id === item.lineIds[1])!;
  line.original_budget_amount = '50999.75';
  return { ...item, amounts: [Number(BUDGET_LINES[0].amount), 50999.75, Number(BUDGET_LINES[2].amount)] };
}

async function seedPrimeContract(): Promise<Seeded> {
  const project = await exportedProject();
  const contract = addPrimeContract(store(), project, REVENUE_LINES);
  return {
    ...contract,
    project,
    acumaticaMarker: projectMarker(project),
    amounts: REVENUE_LINES.map((l) => Number(l.amount)),
  };
}

async function seedPrimeChangeOrder(): Promise<Seeded> {
  const project = await exportedProject();
  const contract = addPrimeContract(store(), project, REVENUE_LINES);
  const co = addPrimeChangeOrder(store(), project, contract.id, CHANGE_LINES);
  return { ...co, project, acumaticaMarker: marker(co.id), amounts: CHANGE_LINES.map((l) => Number(l.amount)) };
}

/** An approved budget change of an exported budget (Procore sends budget changes as updates of a synced budget). */
async function seedBudgetChange(): Promise<Seeded> {
  const project = await exportedProject();
  const budget = addBudget(store(), project, BUDGET_LINES);
  await exported(budget.id, 'budget');
  const change = addBudgetChange(store(), project, ++seq, CHANGE_LINES);
  return { ...change, project, acumaticaMarker: marker(change.id), amounts: CHANGE_LINES.map((l) => Number(l.amount)) };
}

/**
 * A company-level direct cost across two projects (the demo project and a fresh exported one, on its default
 * task): half-cent lines whose rounded sum is a cent over Procore's total, so the bill must carry it.
 */
async function seedCompanyDirectCost(): Promise<Seeded> {
  const project = await exportedProject();
  const created = createCompanyDirectCost(store(), {
    companyId: stack.companyId,
    vendorId: DEMO_VENDORS[0].procoreId,
    invoiceNumber: `FUEL-FAULT-${++seq}`,
    directCostDate: '2024-07-31',
    lines: [
      {
        projectId: DEMO_PROJECT.procoreId,
        costCodeId: DEMO_PROJECT_COST_CODES[0].procoreId,
        lineItemTypeId: DEMO_COST_TYPES[0].procoreId,
        description: 'Fuel, demo project',
        amount: '412.345',
      },
      {
        projectId: project.id,
        costCodeId: project.costCodes.get('03-300')!,
        lineItemTypeId: DEMO_COST_TYPES[0].procoreId,
        description: 'Fuel, new project',
        amount: '587.655',
      },
      {
        projectId: project.id,
        costCodeId: project.costCodes.get('06-100')!,
        lineItemTypeId: DEMO_COST_TYPES[1].procoreId,
        description: 'Equipment rental',
        amount: '250.00',
      },
    ],
  });
  if ('error' in created) throw new Error(created.error);
  const cost = store().state.companyDirectCosts.find((d) => d.id === created.id)!;
  return {
    id: cost.id,
    lineIds: cost.lines.map((l) => l.id),
    project,
    acumaticaMarker: `"PROCORE-DC${cost.id}"`,
    amounts: [412.35, 587.65, 250],
  };
}

// --- checks -------------------------------------------------------------------------------------------------

/** The records Acumatica holds with the marker; exactly one, keyed `key`. */
async function expectOneDocument(
  entity: string,
  filter: string,
  keyField: string,
  key: string,
  expand: string[] = [],
): Promise<Rec> {
  const records = (await stack.acumatica.list(entity, { filter, expand })) as Rec[];
  expect(records).toHaveLength(1);
  expect(records[0][keyField].value).toBe(key);
  return records[0];
}

const originOf = (items: Array<{ id: string; origin_id: string | null }>, id: string) =>
  items.find((r) => r.id === id)?.origin_id;

/** Every line's ERP transaction synced with a key of the line it became. */
function expectTransactionsSynced(type: string, sourceIds: string[], prefix: string) {
  for (const sourceId of sourceIds) {
    const t = store().state.erpTransactions.find((x) => x.type === type && x.source_id === sourceId);
    expect(t).toMatchObject({ synced: true });
    expect(t!.origin_id!.startsWith(prefix)).toBe(true);
  }
}

/** One ProjectBudget line of `type` per Procore line on the case's project, with the Procore amounts. */
async function expectBudgetLines(item: Seeded, type: 'Cost' | 'Revenue') {
  const lines = (await stack.acumatica.list('ProjectBudget', {
    filter: `ProjectID eq '${item.project!.number}' and Type eq '${type}'`,
  })) as Rec[];
  expect(lines.map((l) => l.OriginalBudgetedAmount.value).sort()).toEqual([...item.amounts!].sort());
}

const documentFlow = (
  entity: string,
  markerField: string,
  keyField: string,
  origin: (item: Seeded) => unknown,
  extraFilter?: string,
): FlowSpec['verify'] => {
  return async (item, key) => {
    const filter = `${extraFilter ? `${extraFilter} and ` : ''}${markerField} eq 'PROCORE-${item.id}'`;
    await expectOneDocument(entity, filter, keyField, key);
    expect(String(origin(item))).toBe(key);
  };
};

const COMMITMENT_WRITES: Write[] = ['acumatica', 'external_data', 'request_detail'];

const FLOWS: Record<string, FlowSpec> = {
  subcontract: {
    itemType: 'work_order_contract',
    writes: COMMITMENT_WRITES,
    acumaticaEntity: 'Subcontract',
    linkEntity: 'work_order_contract',
    lineEntity: 'commitment_line_item',
    seed: async () => seedCommitment('work_order_contract'),
    verify: documentFlow('Subcontract', 'VendorRef', 'SubcontractNbr', (i) =>
      originOf(store().state.workOrderContracts, i.id),
    ),
  },
  purchase_order: {
    itemType: 'purchase_order_contract',
    writes: COMMITMENT_WRITES,
    acumaticaEntity: 'PurchaseOrder',
    linkEntity: 'purchase_order_contract',
    lineEntity: 'commitment_line_item',
    seed: async () => seedCommitment('purchase_order_contract'),
    verify: documentFlow(
      'PurchaseOrder',
      'VendorRef',
      'OrderNbr',
      (i) => originOf(store().state.purchaseOrderContracts, i.id),
      "Type eq 'Normal'",
    ),
  },
  vendor: {
    itemType: 'vendor',
    writes: COMMITMENT_WRITES,
    acumaticaEntity: 'Vendor',
    linkEntity: 'vendor',
    seed: async () => seedVendor(),
    verify: documentFlow('Vendor', 'AccountRef', 'VendorID', (i) => originOf(store().state.vendors, i.id)),
  },
  commitment_change_order: {
    itemType: 'commitment_change_order',
    writes: COMMITMENT_WRITES,
    acumaticaEntity: 'ChangeOrder',
    linkEntity: 'commitment_change_order',
    lineEntity: 'change_order_line_item',
    seed: seedCommitmentChangeOrder,
    verify: documentFlow('ChangeOrder', 'ExternalRefNbr', 'RefNbr', (i) => originOf(store().state.changeOrders, i.id)),
  },
  requisition: {
    itemType: 'requisition',
    writes: COMMITMENT_WRITES,
    acumaticaEntity: 'Bill',
    linkEntity: 'requisition',
    lineEntity: 'requisition_item',
    seed: seedRequisition,
    verify: documentFlow(
      'Bill',
      'VendorRef',
      'ReferenceNbr',
      (i) => originOf(store().state.requisitions, i.id),
      "Type eq 'Bill'",
    ),
  },
  project: {
    itemType: 'project',
    writes: ['acumatica', 'acumatica_tasks', 'external_data', 'request_detail'],
    acumaticaEntity: 'Project',
    linkEntity: 'project',
    lineEntity: 'sub_job',
    seed: async () => seedProject(),
    async verify(item, key) {
      await documentFlow('Project', 'ExternalRefNbr', 'ProjectID', (i) => originOf(store().state.projects, i.id))(
        item,
        key,
      );
      const tasks = (await stack.acumatica.list('ProjectTask', { filter: `ProjectID eq '${key}'` })) as Rec[];
      expect(tasks.map((t) => t.ProjectTaskID.value).sort()).toEqual(['A1', 'B2']);
      expect(item.lineIds.map((id) => originOf(store().state.subJobs, id))).toEqual([`${key}:A1`, `${key}:B2`]);
    },
  },
  budget: {
    itemType: 'budget',
    writes: ['acumatica', 'external_data', 'erp_transactions', 'request_detail'],
    acumaticaEntity: 'ProjectBudget',
    linkEntity: 'budget',
    lineEntity: 'budget_line_item',
    seed: seedBudget,
    lineKeyPrefix: (item) => `${item.project!.number}:01:`,
    async verify(item, key) {
      expect(key).toBe(`${item.project!.number}:cost-budget`);
      await expectBudgetLines(item, 'Cost');
      expect(store().state.budgets.find((b) => b.id === item.id)?.origin_id).toBe(key);
      expectTransactionsSynced('Erp::OriginalEstimateTransaction', item.lineIds, `${item.project!.number}:01:`);
    },
  },
  prime_contract: {
    itemType: 'prime_contract',
    writes: COMMITMENT_WRITES,
    acumaticaEntity: 'ProjectBudget',
    linkEntity: 'prime_contract',
    lineEntity: 'prime_contract_line_item',
    seed: seedPrimeContract,
    lineKeyPrefix: (item) => `${item.project!.number}:01:REVENUE:`,
    async verify(item, key) {
      expect(key).toBe(`${item.project!.number}:revenue-budget`);
      await expectBudgetLines(item, 'Revenue');
      expect(originOf(store().state.primeContracts, item.id)).toBe(key);
    },
  },
  prime_change_order: {
    itemType: 'prime_change_order',
    writes: COMMITMENT_WRITES,
    acumaticaEntity: 'ChangeOrder',
    linkEntity: 'prime_change_order',
    lineEntity: 'prime_change_order_line_item',
    seed: seedPrimeChangeOrder,
    async verify(item, key) {
      const co = await expectOneDocument('ChangeOrder', `ExternalRefNbr eq 'PROCORE-${item.id}'`, 'RefNbr', key, [
        'RevenueBudget',
      ]);
      expect((co.RevenueBudget as unknown as Rec[]).map((l) => l.Amount.value)).toEqual(item.amounts);
      expect(originOf(store().state.changeOrders, item.id)).toBe(key);
    },
  },
  budget_change: {
    itemType: 'budget_change',
    writes: ['acumatica', 'erp_transactions', 'request_detail'],
    acumaticaEntity: 'ChangeOrder',
    linkEntity: 'budget_change',
    lineEntity: 'budget_change_line_item',
    seed: seedBudgetChange,
    async verify(item, key) {
      const co = await expectOneDocument('ChangeOrder', `ExternalRefNbr eq 'PROCORE-${item.id}'`, 'RefNbr', key, [
        'CostBudget',
      ]);
      expect((co.CostBudget as unknown as Rec[]).map((l) => l.Amount.value)).toEqual(item.amounts);
      expectTransactionsSynced('Erp::BudgetChangeTransaction', item.lineIds, `${key}:01:`);
    },
  },
  company_direct_cost: {
    itemType: 'company_level_direct_cost',
    writes: COMMITMENT_WRITES,
    acumaticaEntity: 'Bill',
    linkEntity: 'company_level_direct_cost',
    lineEntity: 'company_level_direct_cost_line',
    seed: seedCompanyDirectCost,
    async verify(item, key) {
      const bill = await expectOneDocument(
        'Bill',
        `Type eq 'Bill' and VendorRef eq 'PROCORE-DC${item.id}'`,
        'ReferenceNbr',
        key,
        ['Details'],
      );
      const lines = bill.Details as unknown as Rec[];
      expect(lines.map((l) => [l.Project.value, l.Amount.value])).toEqual([
        [DEMO_PROJECT.acumaticaProjectId, item.amounts![0]],
        [item.project!.number, item.amounts![1]],
        [item.project!.number, item.amounts![2]],
      ]);
      expect(String(originOf(store().state.companyDirectCosts, item.id))).toBe(key);
    },
  },
};
// update_budget of an exported budget: the same checks, the changed amount included.
FLOWS.budget_update = { ...FLOWS.budget, seed: seedBudgetUpdate };

// --- faults -------------------------------------------------------------------------------------------------

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

/** Where the write goes, scoped to this case's record. */
function faultTarget(
  flow: FlowSpec,
  write: Write,
  item: Seeded,
  requestDetailId: string,
): { faults: FaultInjector; rule: Record<string, unknown> } {
  const procore = stack.procoreSim.faults;
  switch (write) {
    case 'acumatica':
      return {
        faults: stack.acumaticaSim.faults,
        rule: { method: 'PUT', path: `/entity/Default/*/${flow.acumaticaEntity}`, bodyContains: item.acumaticaMarker },
      };
    case 'acumatica_tasks':
      return {
        faults: stack.acumaticaSim.faults,
        rule: { method: 'PUT', path: '/entity/Default/*/ProjectTask', bodyContains: marker(item.lineIds[0]) },
      };
    case 'external_data':
      return {
        faults: procore,
        rule: {
          method: 'PATCH',
          path: '/rest/v1.0/companies/*/external_data/sync',
          bodyContains: `"item_id":${item.id},`,
        },
      };
    case 'erp_transactions':
      return {
        faults: procore,
        rule: {
          method: 'PATCH',
          path: '/rest/v1.0/erp_transactions/sync',
          bodyContains: `"project_id":${item.project!.id},`,
        },
      };
    case 'request_detail':
      return {
        faults: procore,
        rule: { method: 'PATCH', path: `/rest/v1.0/companies/*/erp_request_details/${requestDetailId}` },
      };
  }
}

/** The approver accepts the item (in process, so the fault is in place before the webhook goes out). */
function accept(flow: FlowSpec, item: Seeded, duplicateDeliveries = 1) {
  const accepted = acceptForExport(store(), stack.procoreSim.webhooks, {
    companyId: stack.companyId,
    itemType: flow.itemType,
    itemId: item.id,
    duplicateDeliveries,
  });
  if ('error' in accepted) throw new Error(`accept failed: ${accepted.status} ${accepted.error}`);
  return {
    erpRequestId: accepted.erp_request_id,
    requestDetailId: accepted.request_detail_id,
    workflowId: erpRequestWorkflowId(stack.companyId, accepted.erp_request_id),
  };
}

/** Exactly one Acumatica record, linked both ways, request detail closed `success`. */
async function expectExportedOnce(flow: FlowSpec, item: Seeded, requestDetailId: string, result: Result) {
  expect(result).toMatchObject({ status: 'success', acumaticaKey: expect.any(String) });
  const key = result.acumaticaKey!;
  await flow.verify(item, key);

  const detail = await stack.procore.getErpRequestDetail(stack.companyId, requestDetailId);
  expect(detail.status).toBe('success');

  const links = await stack.db.query<{ acumatica_entity: string; acumatica_key: string }>(
    `SELECT acumatica_entity, acumatica_key FROM links
      WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3 AND deleted_at IS NULL`,
    [stack.companyId, flow.linkEntity, item.id],
  );
  expect(links.rows).toEqual([{ acumatica_entity: flow.acumaticaEntity, acumatica_key: key }]);

  if (flow.lineEntity) {
    const lineLinks = await stack.db.query<{ acumatica_key: string }>(
      `SELECT acumatica_key FROM links
        WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = ANY($3) AND deleted_at IS NULL`,
      [stack.companyId, flow.lineEntity, item.lineIds],
    );
    expect(lineLinks.rows).toHaveLength(item.lineIds.length);
    const prefix = flow.lineKeyPrefix?.(item, key) ?? `${key}:`;
    for (const row of lineLinks.rows) expect(row.acumatica_key.startsWith(prefix)).toBe(true);
  }
}

const WRITE_ORDER: Write[] = ['acumatica', 'acumatica_tasks', 'external_data', 'erp_transactions', 'request_detail'];
const FLOW_NAMES = Object.keys(FLOWS);
const KINDS = Object.keys(FAULTS) as FaultKind[];
const MATRIX = FLOW_NAMES.flatMap((flow) =>
  WRITE_ORDER.filter((w) => FLOWS[flow].writes.includes(w)).flatMap((write) =>
    KINDS.map((kind) => ({ flow, write, kind })),
  ),
);

test.concurrent.each(MATRIX)(
  '$flow: $kind on the $write write: one record, linked both ways',
  async ({ flow: name, write, kind }) => {
    outcomes.matrix++;
    const flow = FLOWS[name];
    const item = await flow.seed();
    const { requestDetailId, workflowId } = accept(flow, item);
    const { faults, rule } = faultTarget(flow, write, item, requestDetailId);
    const { id: ruleId } = faults.add({ ...rule, times: 1, ...FAULTS[kind] });

    const result = await stack.waitForWorkflow<Result>(workflowId, 150_000);
    // The fault did fire (a rule with times: 1 is gone once used).
    expect(faults.list().map((r) => r.id)).not.toContain(ruleId);
    await expectExportedOnce(flow, item, requestDetailId, result);
    outcomes.matrixPassed++;
  },
);

test.concurrent.each(FLOW_NAMES)(
  '%s: the same webhook delivered three times: one workflow run, one record',
  async (name) => {
    outcomes.duplicates++;
    const flow = FLOWS[name];
    const item = await flow.seed();
    const { requestDetailId, workflowId } = accept(flow, item, 3);
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
    await expectExportedOnce(flow, item, requestDetailId, result);
    outcomes.duplicatesPassed++;
  },
);
