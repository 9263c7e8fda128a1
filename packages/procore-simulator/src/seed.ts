/**
 * Deterministic seed data. `demo` is the demo contractor from demo-data.ts (what the walking skeleton and the
 * Acumatica simulator also use); `small` and `large` add generated companies' worth of records on top, drawn
 * from a PRNG seeded with `seed`, so two simulators with the same options hold byte-identical data.
 *
 *   large: 10,000 vendors, 2,000 standard cost codes, 200 projects each with sub job, cost codes, budget,
 *          subcontracts and a purchase order with lines, a change order, an invoice and a prime contract.
 *   inflight: demo + a company connected in flight (packages/simulator-common/src/inflight-data.ts, seed-inflight.ts).
 */
import Decimal from 'decimal.js';
import {
  DEMO_BUDGET,
  DEMO_BUDGET_CHANGES,
  DEMO_COMMITMENT_CHANGE_ORDERS,
  DEMO_COMPANY,
  DEMO_COST_TYPES,
  DEMO_TAX_CODES,
  DEMO_ERP_COST_CODE_LIST,
  DEMO_PRIME_CHANGE_ORDERS,
  DEMO_PRIME_CONTRACT,
  DEMO_PROCORE_CLIENT,
  DEMO_PROJECT,
  DEMO_PROJECT_COST_CODES,
  DEMO_PURCHASE_ORDERS,
  DEMO_REQUISITIONS,
  DEMO_SUB_JOBS,
  DEMO_SUBCONTRACTS,
  DEMO_VENDORS,
  mulberry32,
  type DemoChangeOrderLine,
} from 'simulator-common';
import type { CommitmentLineItem, OriginFields, StoreState, WorkOrderContract } from './store';
import { seedInflight } from './seed-inflight';
import { seedRealProject } from './seed-real-project';

/** Fixed seed timestamp so two seeded simulators produce byte-identical data. */
export const SEED_TIME = '2024-03-01T16:00:00.000Z';

export type SeedSize = 'demo' | 'small' | 'large' | 'inflight';

export interface SeedOptions {
  size?: SeedSize;
  /** PRNG seed for the generated part of `small` / `large`. Default 1. */
  seed?: number;
  /** Adds the second demo project, shaped like a real one (seed-real-project.ts); `npm start` does. */
  realProject?: boolean;
}

const OTHER = { id: '4388', name: 'Front Range Builders Co.', vendorId: '41001', projectId: '662001' };
const noOrigin: OriginFields = { origin_id: null, origin_code: null, origin_data: null };
const stamps = { created_at: SEED_TIME, updated_at: SEED_TIME };

/** Generated records take ids from here (+ idBase): clear of the demo ids and of ids created at run time. */
const GENERATED_ID_START = 2_000_000_000n;

export function seedState(
  idBase: bigint = 0n,
  firstNewId: bigint = idBase + 1_000_000_000n,
  opts: SeedOptions = {},
): StoreState {
  const id = (demoId: string | number) => (idBase + BigInt(demoId)).toString();
  const company = id(DEMO_COMPANY.procoreCompanyId);
  const project = id(DEMO_PROJECT.procoreId);
  const state = emptyState(firstNewId);

  state.clients.push({
    client_id: DEMO_PROCORE_CLIENT.clientId,
    client_secret: DEMO_PROCORE_CLIENT.clientSecret,
    company_ids: [company, id(OTHER.id)],
    redirect_uris: ['urn:ietf:wg:oauth:2.0:oob', 'http://127.0.0.1/callback', 'http://localhost/callback'],
  });
  state.approverUserId = id(7_001_001);
  state.companies.push({ id: company, name: DEMO_COMPANY.name }, { id: id(OTHER.id), name: OTHER.name });

  for (const v of DEMO_VENDORS) {
    state.vendors.push({
      id: id(v.procoreId),
      company_id: company,
      name: v.name,
      abbreviated_name: null,
      address: null,
      city: v.city,
      state_code: v.stateCode,
      zip: v.zip,
      country_code: 'US',
      business_phone: v.phone,
      email_address: v.email,
      business_id: v.taxId,
      is_active: true,
      ...stamps,
      ...noOrigin,
    });
  }
  state.vendors.push({
    ...state.vendors[0],
    id: id(OTHER.vendorId),
    company_id: id(OTHER.id),
    name: 'Other Tenant Concrete Co.',
    business_id: null,
  });

  const projectBase = {
    address: null as string | null,
    country_code: 'US',
    active: true,
    ...stamps,
    ...noOrigin,
  };
  state.projects.push(
    {
      ...projectBase,
      id: project,
      company_id: company,
      name: DEMO_PROJECT.name,
      project_number: DEMO_PROJECT.projectNumber,
      address: DEMO_PROJECT.address,
      city: DEMO_PROJECT.city,
      state_code: DEMO_PROJECT.stateCode,
      zip: DEMO_PROJECT.zip,
      start_date: DEMO_PROJECT.startDate,
      completion_date: DEMO_PROJECT.completionDate,
    },
    {
      ...projectBase,
      id: id(OTHER.projectId),
      company_id: id(OTHER.id),
      name: 'Other Tenant Warehouse',
      project_number: 'OT-001',
      city: 'Boulder',
      state_code: 'CO',
      zip: '80301',
      start_date: null,
      completion_date: null,
    },
  );

  for (const s of DEMO_SUB_JOBS) {
    state.subJobs.push({
      id: id(s.procoreId),
      project_id: project,
      code: s.code,
      name: s.name,
      ...stamps,
      ...noOrigin,
    });
  }
  for (const t of DEMO_COST_TYPES) {
    state.lineItemTypes.push({
      id: id(t.procoreId),
      company_id: company,
      name: t.name,
      code: t.code,
      base_type: t.baseType,
      ...noOrigin,
    });
  }
  for (const t of DEMO_TAX_CODES) {
    state.taxCodes.push({
      id: id(t.procoreId),
      company_id: company,
      code: t.code,
      description: t.description,
      rate1: t.rate1,
      archived: false,
      ...noOrigin,
    });
  }
  const typeId = (code: string) => id(DEMO_COST_TYPES.find((t) => t.code === code)!.procoreId);

  const list = id(DEMO_ERP_COST_CODE_LIST.procoreId);
  state.standardCostCodeLists.push({
    id: list,
    company_id: company,
    name: DEMO_ERP_COST_CODE_LIST.name,
    is_erp_list: true,
  });
  for (const c of DEMO_ERP_COST_CODE_LIST.codes) {
    state.standardCostCodes.push({
      id: id(c.procoreId),
      list_id: list,
      parent_id: null,
      code: c.code,
      full_code: c.code,
      name: c.description,
      ...noOrigin,
    });
  }
  DEMO_PROJECT_COST_CODES.forEach((c, i) => {
    state.costCodes.push({
      id: id(c.procoreId),
      project_id: project,
      code: c.code,
      full_code: c.code,
      name: c.description,
      position: i + 1,
      standard_cost_code_id: id(c.standardCostCodeProcoreId),
      sub_job_id: null,
      line_item_type_ids: DEMO_COST_TYPES.map((t) => id(t.procoreId)),
      ...stamps,
      ...noOrigin,
    });
  });
  const costCodeId = (code: string) =>
    state.costCodes.find((c) => c.project_id === project && c.code === code)?.id ?? null;
  const subJobId = (code: string) => state.subJobs.find((s) => s.project_id === project && s.code === code)?.id ?? null;

  const commitmentBase = (companyId: string, projectId: string) => ({
    company_id: companyId,
    project_id: projectId,
    deleted_at: null,
    ...stamps,
    ...noOrigin,
  });
  for (const sc of DEMO_SUBCONTRACTS) {
    state.workOrderContracts.push({
      ...commitmentBase(company, project),
      id: id(sc.procoreId),
      vendor_id: id(sc.vendorProcoreId),
      number: sc.number,
      title: sc.title,
      status: sc.status,
      executed: sc.status === 'Approved',
      retainage_percent: sc.retainagePercent,
      contract_date: sc.contractDate,
      accounting_method: 'amount',
    });
    sc.lines.forEach((line, i) => {
      // Amount-based contracts: Procore reports quantity 1 at the line amount.
      state.lineItems.push(
        sovLine(id(line.procoreId), id(sc.procoreId), i, {
          cost_code_id: costCodeId(line.costCode),
          line_item_type_id: typeId('S'),
          description: line.description,
          amount: line.amount,
          quantity: '1.0',
          unit_cost: line.amount,
          uom: 'LS',
        }),
      );
    });
  }
  for (const po of DEMO_PURCHASE_ORDERS) {
    state.purchaseOrderContracts.push({
      ...commitmentBase(company, project),
      id: id(po.procoreId),
      vendor_id: id(po.vendorProcoreId),
      number: po.number,
      title: po.title,
      status: po.status,
      executed: po.status === 'Approved',
      retainage_percent: po.retainagePercent,
      contract_date: po.contractDate,
      delivery_date: po.deliveryDate,
      accounting_method: 'unit',
    });
    po.lines.forEach((line, i) => {
      state.lineItems.push(
        sovLine(id(line.procoreId), id(po.procoreId), i, {
          cost_code_id: costCodeId(line.costCode),
          line_item_type_id: typeId(line.costTypeCode),
          description: line.description,
          amount: line.amount,
          quantity: line.quantity,
          unit_cost: line.unitCost,
          uom: line.uom,
        }),
      );
    });
  }

  const pc = DEMO_PRIME_CONTRACT;
  state.primeContracts.push({
    id: id(pc.procoreId),
    company_id: company,
    project_id: project,
    number: pc.number,
    title: pc.title,
    status: pc.status,
    executed: true,
    retainage_percent: pc.retainagePercent,
    contract_date: pc.contractDate,
    owner_name: pc.ownerName,
    deleted_at: null,
    ...stamps,
    ...noOrigin,
  });
  pc.lines.forEach((line, i) =>
    state.lineItems.push(
      sovLine(id(line.procoreId), id(pc.procoreId), i, {
        cost_code_id: costCodeId(line.costCode),
        line_item_type_id: null,
        description: line.description,
        amount: line.amount,
        quantity: '1.0',
        unit_cost: line.amount,
        uom: 'LS',
      }),
    ),
  );

  const changeOrders = [
    ...DEMO_PRIME_CHANGE_ORDERS.map((c) => ({ ...c, kind: 'prime' as const, contract: c.primeContractProcoreId })),
    ...DEMO_COMMITMENT_CHANGE_ORDERS.map((c) => ({
      ...c,
      kind: 'commitment' as const,
      contract: c.commitmentProcoreId,
    })),
  ];
  for (const co of changeOrders) {
    state.changeOrders.push({
      id: id(co.procoreId),
      company_id: company,
      project_id: project,
      kind: co.kind,
      contract_id: id(co.contract),
      number: co.number,
      title: co.title,
      description: null,
      status: co.status,
      executed: co.status === 'approved',
      due_date: null,
      revision: 0,
      ...stamps,
      ...noOrigin,
    });
    co.lines.forEach((raw, i) => {
      // Prime change order lines have no cost type and change no commitment line.
      const line = raw as {
        procoreId: string;
        costCode: string;
        description: string;
        amount: string;
      } & Partial<DemoChangeOrderLine>;
      const changes = line.changesLineProcoreId ?? null;
      const costType = line.costTypeCode ? typeId(line.costTypeCode) : null;
      state.changeOrderLineItems.push({
        id: id(line.procoreId),
        change_order_id: id(co.procoreId),
        contract_line_item_id: changes ? id(changes) : null,
        cost_code_id: costCodeId(line.costCode),
        line_item_type_id: costType,
        description: line.description,
        amount: line.amount,
        quantity: '1.0',
        unit_cost: line.amount,
        uom: 'LS',
        position: i + 1,
        ...stamps,
        ...noOrigin,
      });
    });
  }

  state.budgets.push({ id: id(DEMO_BUDGET.procoreId), project_id: project, locked: false, ...noOrigin });
  for (const line of DEMO_BUDGET.lines) {
    state.budgetLineItems.push({
      id: id(line.procoreId),
      project_id: project,
      sub_job_id: subJobId(line.subJobCode),
      cost_code_id: costCodeId(line.costCode)!,
      line_item_type_id: typeId(line.costTypeCode),
      description: line.description,
      original_budget_amount: line.amount,
      quantity: null,
      unit_cost: null,
      uom: null,
      ...stamps,
      ...noOrigin,
    });
  }
  for (const bc of DEMO_BUDGET_CHANGES) {
    state.budgetChanges.push({
      id: id(bc.procoreId),
      project_id: project,
      number: bc.number,
      title: bc.title,
      description: null,
      status: bc.status,
      ...stamps,
      lines: bc.lines.map((l) => ({
        id: id(l.procoreId),
        sub_job_id: subJobId(l.subJobCode),
        cost_code_id: costCodeId(l.costCode)!,
        line_item_type_id: typeId(l.costTypeCode),
        amount: l.amount,
        description: null,
      })),
    });
  }
  // Simulator-only extras so every budget and direct-cost endpoint has something to show.
  state.budgetModifications.push({
    id: id(9_430_001),
    project_id: project,
    from_budget_line_item_id: id(DEMO_BUDGET.lines[0].procoreId),
    to_budget_line_item_id: id(DEMO_BUDGET.lines[6].procoreId),
    transfer_amount: '2500.00',
    notes: 'Move general conditions allowance to framing materials',
    ...stamps,
    ...noOrigin,
  });
  state.directCosts.push({
    id: id(9_500_001),
    company_id: company,
    project_id: project,
    vendor_id: null,
    direct_cost_type: 'Expense',
    direct_cost_date: '2024-03-12',
    invoice_number: 'HD-1512-30987',
    status: 'approved',
    description: 'Job site consumables',
    terms: null,
    received_date: '2024-03-12',
    payment_date: '2024-03-12',
    deleted_at: null,
    ...stamps,
    ...noOrigin,
  });
  state.directCostLineItems.push({
    id: id(9_510_001),
    direct_cost_id: id(9_500_001),
    sub_job_id: subJobId('01'),
    cost_code_id: costCodeId('01-500'),
    line_item_type_id: typeId('O'),
    description: 'Extension cords, tarps and safety tape',
    amount: '412.37',
    quantity: '1.0',
    unit_cost: '412.37',
    uom: 'LS',
    position: 1,
    ...stamps,
    ...noOrigin,
  });

  for (const r of DEMO_REQUISITIONS) {
    state.requisitions.push({
      id: id(r.procoreId),
      company_id: company,
      project_id: project,
      commitment_id: id(r.commitmentProcoreId),
      number: r.number,
      invoice_number: r.invoiceNumber,
      billing_date: r.billingDate,
      period_start: r.periodStart,
      period_end: r.periodEnd,
      status: r.status,
      erp_status: null,
      payment_date: null,
      ...stamps,
      ...noOrigin,
    });
    r.items.forEach((item, i) => {
      const line = state.lineItems.find((l) => l.id === id(item.commitmentLineProcoreId))!;
      state.requisitionItems.push({
        id: id(item.procoreId),
        requisition_id: id(r.procoreId),
        line_item_id: line.id,
        cost_code_id: line.cost_code_id,
        description: line.description,
        scheduled_value: line.amount,
        work_completed_from_previous: '0.00',
        work_completed_this_period: item.workCompletedThisPeriod,
        materials_presently_stored: item.materialsPresentlyStored,
        retainage_percent: item.retainagePercent,
        retainage_this_period: item.retainageThisPeriod,
        position: i + 1,
        ...noOrigin,
      });
    });
  }

  if (opts.size === 'small' || opts.size === 'large') {
    generate(state, { idBase, companyId: company, size: opts.size, seed: opts.seed ?? 1 });
  }
  if (opts.size === 'inflight') seedInflight(state, idBase, company);
  if (opts.realProject) seedRealProject(state, idBase, company);
  return state;
}

/** A state with every collection empty (also fills collections missing from older snapshots). */
export function emptyState(firstNewId: bigint): StoreState {
  return {
    nextId: firstNewId.toString(),
    clients: [],
    approverUserId: '0',
    companies: [],
    vendors: [],
    projects: [],
    subJobs: [],
    standardCostCodeLists: [],
    standardCostCodes: [],
    costCodes: [],
    lineItemTypes: [],
    taxCodes: [],
    workOrderContracts: [],
    purchaseOrderContracts: [],
    lineItems: [],
    primeContracts: [],
    changeOrders: [],
    changeOrderLineItems: [],
    budgets: [],
    budgetLineItems: [],
    wbsCodes: [],
    budgetChanges: [],
    erpTransactions: [],
    budgetModifications: [],
    directCosts: [],
    directCostLineItems: [],
    companyDirectCosts: [],
    requisitions: [],
    requisitionItems: [],
    contractPayments: [],
    hooks: [],
    triggers: [],
    deliveries: [],
    erpRequests: [],
    erpRequestDetails: [],
    externalData: [],
    stagedRecords: [],
    erpSubmissions: [],
    companySettings: [],
  };
}

function sovLine(
  id: string,
  contractId: string,
  index: number,
  fields: Pick<
    CommitmentLineItem,
    'cost_code_id' | 'line_item_type_id' | 'description' | 'amount' | 'quantity' | 'unit_cost' | 'uom'
  >,
): CommitmentLineItem {
  return { id, contract_id: contractId, position: index + 1, ...fields, ...stamps, ...noOrigin };
}

// --- generated sizes -------------------------------------------------------------------------------------

const SIZES = {
  small: { vendors: 200, standardCostCodes: 100, projects: 5 },
  large: { vendors: 10_000, standardCostCodes: 2_000, projects: 200 },
} as const;

const WORDS = [
  'Summit',
  'Granite',
  'Aspen',
  'Blue Spruce',
  'Cottonwood',
  'Red Rocks',
  'Pikes',
  'Boulder Creek',
  'Mesa',
  'Timberline',
  'Clear Creek',
  'Cherry Hills',
  'Highline',
  'Platte',
  'Arapahoe',
  'Larimer',
  'Longs Peak',
  'Elk Ridge',
];
const TRADES = [
  'Concrete',
  'Electric',
  'Plumbing',
  'Mechanical',
  'Drywall',
  'Roofing',
  'Steel',
  'Glass',
  'Painting',
  'Excavation',
  'Flooring',
  'Masonry',
  'Fire Protection',
  'Landscaping',
  'Insulation',
  'Lumber Supply',
];
const SUFFIXES = ['LLC', 'Inc.', 'Co.', 'Group', 'Contractors', 'Services'];

function generate(
  state: StoreState,
  opts: { idBase: bigint; companyId: string; size: 'small' | 'large'; seed: number },
): void {
  const counts = SIZES[opts.size];
  const rand = mulberry32(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const money = (min: number, max: number) => new Decimal(min + rand() * (max - min)).toFixed(2);
  let next = opts.idBase + GENERATED_ID_START;
  const newId = () => (next++).toString();
  const company = opts.companyId;
  const types = state.lineItemTypes.filter((t) => t.company_id === company);

  const vendorIds: string[] = [];
  for (let i = 1; i <= counts.vendors; i++) {
    const vid = newId();
    vendorIds.push(vid);
    state.vendors.push({
      id: vid,
      company_id: company,
      name: `${pick(WORDS)} ${pick(TRADES)} ${pick(SUFFIXES)} #${i}`,
      abbreviated_name: null,
      address: `${100 + Math.floor(rand() * 9800)} ${pick(WORDS)} Blvd`,
      city: 'Denver',
      state_code: 'CO',
      zip: String(80200 + Math.floor(rand() * 99)),
      country_code: 'US',
      business_phone: `303-555-${String(1000 + (i % 9000)).padStart(4, '0')}`,
      email_address: `ap${i}@vendor${i}.example`,
      business_id: `84-${String(1000000 + i).slice(-7)}`,
      is_active: rand() > 0.05,
      ...stamps,
      ...noOrigin,
    });
  }

  const list = state.standardCostCodeLists.find((l) => l.company_id === company && l.is_erp_list)!;
  const standard: Array<{ id: string; code: string; name: string }> = [];
  for (let i = 1; i <= counts.standardCostCodes; i++) {
    const code = `${String(10 + Math.floor(i / 100)).padStart(2, '0')}-${String(i % 100).padStart(2, '0')}0`;
    const sid = newId();
    standard.push({ id: sid, code: `G${code}`, name: `${pick(TRADES)} scope ${i}` });
    state.standardCostCodes.push({
      id: sid,
      list_id: list.id,
      parent_id: null,
      code: `G${code}`,
      full_code: `G${code}`,
      name: standard[standard.length - 1].name,
      ...noOrigin,
    });
  }

  for (let p = 1; p <= counts.projects; p++) {
    const projectId = newId();
    state.projects.push({
      id: projectId,
      company_id: company,
      name: `${pick(WORDS)} ${pick(['Medical Plaza', 'Elementary School', 'Office Park', 'Residences', 'Library'])} ${p}`,
      project_number: `G-${String(p).padStart(4, '0')}`,
      address: null,
      city: 'Denver',
      state_code: 'CO',
      zip: '80202',
      country_code: 'US',
      start_date: '2024-06-03',
      completion_date: '2025-12-19',
      active: true,
      ...stamps,
      ...noOrigin,
    });
    const subJobId = newId();
    state.subJobs.push({
      id: subJobId,
      project_id: projectId,
      code: '01',
      name: 'Base Building',
      ...stamps,
      ...noOrigin,
    });
    const codes = Array.from({ length: 30 }, (_, i) => standard[(p * 7 + i * 13) % standard.length]);
    const costCodeIds = codes.map((s, i) => {
      const cid = newId();
      state.costCodes.push({
        id: cid,
        project_id: projectId,
        code: s.code,
        full_code: s.code,
        name: s.name,
        position: i + 1,
        standard_cost_code_id: s.id,
        sub_job_id: null,
        line_item_type_ids: types.map((t) => t.id),
        ...stamps,
        ...noOrigin,
      });
      return cid;
    });

    state.budgets.push({ id: newId(), project_id: projectId, locked: false, ...noOrigin });
    for (let b = 0; b < 8; b++) {
      state.budgetLineItems.push({
        id: newId(),
        project_id: projectId,
        sub_job_id: subJobId,
        cost_code_id: costCodeIds[b],
        line_item_type_id: pick(types).id,
        description: null,
        original_budget_amount: money(20_000, 900_000),
        quantity: null,
        unit_cost: null,
        uom: null,
        ...stamps,
        ...noOrigin,
      });
    }

    const commitments: Array<{ kind: 'woc' | 'poc'; c: WorkOrderContract; lines: CommitmentLineItem[] }> = [];
    for (let c = 0; c < 4; c++) {
      const kind = c === 3 ? 'poc' : 'woc';
      const cid = newId();
      const contract: WorkOrderContract = {
        id: cid,
        company_id: company,
        project_id: projectId,
        vendor_id: pick(vendorIds),
        number: `${kind === 'poc' ? 'PO' : 'SC'}-G${p}-${c + 1}`,
        title: `${pick(TRADES)} package ${c + 1}`,
        status: 'Approved',
        executed: true,
        retainage_percent: kind === 'poc' ? '0.0' : '10.0',
        contract_date: '2024-06-10',
        accounting_method: 'amount',
        deleted_at: null,
        ...stamps,
        ...noOrigin,
      };
      const lines = [0, 1, 2].map((l) => {
        const amount = money(5_000, 250_000);
        return sovLine(newId(), cid, l, {
          cost_code_id: costCodeIds[8 + c * 3 + l],
          line_item_type_id: types[0].id,
          description: `${pick(TRADES)} work item ${l + 1}`,
          amount,
          quantity: '1.0',
          unit_cost: amount,
          uom: 'LS',
        });
      });
      (kind === 'poc' ? state.purchaseOrderContracts : state.workOrderContracts).push(contract);
      state.lineItems.push(...lines);
      commitments.push({ kind, c: contract, lines });
    }

    const first = commitments[0];
    const ccoId = newId();
    state.changeOrders.push({
      id: ccoId,
      company_id: company,
      project_id: projectId,
      kind: 'commitment',
      contract_id: first.c.id,
      number: 'CCO-001',
      title: 'Field change',
      description: null,
      status: 'approved',
      executed: true,
      due_date: null,
      revision: 0,
      ...stamps,
      ...noOrigin,
    });
    const ccoAmount = money(1_000, 25_000);
    state.changeOrderLineItems.push({
      id: newId(),
      change_order_id: ccoId,
      contract_line_item_id: first.lines[0].id,
      cost_code_id: first.lines[0].cost_code_id,
      line_item_type_id: first.lines[0].line_item_type_id,
      description: 'Added scope',
      amount: ccoAmount,
      quantity: '1.0',
      unit_cost: ccoAmount,
      uom: 'LS',
      position: 1,
      ...stamps,
      ...noOrigin,
    });

    const reqId = newId();
    state.requisitions.push({
      id: reqId,
      company_id: company,
      project_id: projectId,
      commitment_id: first.c.id,
      number: 1,
      invoice_number: `INV-G${p}-1`,
      billing_date: '2024-07-31',
      period_start: '2024-07-01',
      period_end: '2024-07-31',
      status: 'approved',
      erp_status: null,
      payment_date: null,
      ...stamps,
      ...noOrigin,
    });
    first.lines.forEach((line, i) => {
      const done = new Decimal(line.amount).times(0.25).toFixed(2);
      state.requisitionItems.push({
        id: newId(),
        requisition_id: reqId,
        line_item_id: line.id,
        cost_code_id: line.cost_code_id,
        description: line.description,
        scheduled_value: line.amount,
        work_completed_from_previous: '0.00',
        work_completed_this_period: done,
        materials_presently_stored: '0.00',
        retainage_percent: '10.0',
        retainage_this_period: new Decimal(done).times(0.1).toFixed(2),
        position: i + 1,
        ...noOrigin,
      });
    });

    const pcId = newId();
    state.primeContracts.push({
      id: pcId,
      company_id: company,
      project_id: projectId,
      number: `PC-G${p}`,
      title: 'Owner agreement',
      status: 'Approved',
      executed: true,
      retainage_percent: '5.0',
      contract_date: '2024-05-20',
      owner_name: `${pick(WORDS)} Holdings`,
      deleted_at: null,
      ...stamps,
      ...noOrigin,
    });
    for (let l = 0; l < 4; l++) {
      const amount = money(100_000, 1_500_000);
      state.lineItems.push(
        sovLine(newId(), pcId, l, {
          cost_code_id: costCodeIds[l],
          line_item_type_id: null,
          description: `Division ${l + 1}`,
          amount,
          quantity: '1.0',
          unit_cost: amount,
          uom: 'LS',
        }),
      );
    }
  }
}
