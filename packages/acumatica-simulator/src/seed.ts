/**
 * Seeds of the simulated tenant, by size:
 *  - demo:  the demo contractor of packages/simulator-common/src/demo-data.ts (vendors with their branch restriction, the demo
 *           project with tasks 01-03, cost codes, account groups for the Procore cost types plus REVENUE) and some
 *           accounting history that exists only in Acumatica: a PO, AP bills (released), checks paying some of
 *           them, and project transactions (AP bills, expenses, payroll) on the demo project.
 *  - small: demo + 200 vendors, 100 cost codes, 10 projects, 2,000 cost transaction lines.
 *  - inflight: demo + a company connected in flight (packages/simulator-common/src/inflight-data.ts, seed-inflight.ts).
 *  - large: demo + 10,000 vendors, 2,000 cost codes, 200 projects, 100,000 cost transaction lines (mirrors the
 *           Procore simulator's large company).
 *
 * Demo documents are inserted unreleased with `internal.seedAction`; applySeedActions() then releases them
 * through the entity rules, so balances, applications and budget actuals come from the same code as at run time.
 * Generated (small/large) data is written already released, with budget actuals summed here, to seed fast.
 */
import {
  DEMO_COST_CODES,
  DEMO_COST_TYPES,
  DEMO_PROJECT,
  DEMO_SUB_JOBS,
  DEMO_VENDORS,
  mulberry32,
} from 'simulator-common';
import type { EntityBehaviour, RequestContext } from './rules';
import type { AcumaticaStore, StoredLine } from './store';
import { seedInflight } from './seed-inflight';
import { randomUUID } from 'node:crypto';

export const SEED_SIZES = ['demo', 'small', 'large', 'inflight'] as const;
export type SeedSize = (typeof SEED_SIZES)[number];

export const SEED_TIME = '2024-03-01T15:00:00.000+00:00';
/** The income account group revenue budget lines use (Procore cost types are all expense groups). */
export const REVENUE_ACCOUNT_GROUP = 'REVENUE';

const SIZES: Record<
  Exclude<SeedSize, 'demo' | 'inflight'>,
  { vendors: number; costCodes: number; projects: number; lines: number }
> = {
  small: { vendors: 200, costCodes: 100, projects: 10, lines: 2_000 },
  large: { vendors: 10_000, costCodes: 2_000, projects: 200, lines: 100_000 },
};

const day = (d: string): string => `${d}T00:00:00+00:00`;
const line = (values: Record<string, unknown>): StoredLine => ({ id: randomUUID(), ...values });

export function seedStore(store: AcumaticaStore, size: SeedSize): void {
  seedDemo(store);
  if (size === 'inflight') seedInflight(store);
  else if (size !== 'demo') seedGenerated(store, SIZES[size]);
}

function seedDemo(store: AcumaticaStore): void {
  const base = (values: Record<string, unknown>): Record<string, unknown> => ({
    CreatedDateTime: SEED_TIME,
    LastModifiedDateTime: SEED_TIME,
    ...values,
  });
  const P = DEMO_PROJECT.acumaticaProjectId;

  for (const v of DEMO_VENDORS) {
    if (!v.acumaticaVendorId) continue;
    store.insertRaw(
      'Vendor',
      base({
        VendorID: v.acumaticaVendorId,
        VendorName: v.name,
        LegalName: v.name,
        VendorClass: v.vendorClass,
        Status: 'Active',
        TaxRegistrationID: v.taxId,
        ReceivingBranch: v.branch,
        CurrencyID: 'USD',
        Terms: '30D',
        MainContact: {
          CompanyName: v.name,
          Email: v.email,
          Phone1: v.phone,
          Address: { City: v.city, State: v.stateCode, PostalCode: v.zip, Country: 'US' },
        },
      }),
      // Restriction group: the vendor is visible in its own branch only.
      { branches: [v.branch] },
    );
  }

  store.insertRaw(
    'Project',
    base({
      ProjectID: P,
      Description: DEMO_PROJECT.name,
      Status: 'Active',
      Hold: false,
      Customer: DEMO_PROJECT.customer,
      ExternalRefNbr: DEMO_PROJECT.projectNumber,
      BillingAndAllocationSettings: { Branch: DEMO_PROJECT.branch },
      ProjectProperties: {
        StartDate: day(DEMO_PROJECT.startDate),
        EndDate: day(DEMO_PROJECT.completionDate),
        CostBudgetLevel: 'Task and Cost Code',
        RevenueBudgetLevel: 'Task',
      },
      ProjectAddress: {
        AddressLine1: DEMO_PROJECT.address,
        City: DEMO_PROJECT.city,
        State: DEMO_PROJECT.stateCode,
        PostalCode: DEMO_PROJECT.zip,
        Country: 'US',
      },
    }),
  );
  // Acumatica needs a task on project lines; the connector posts to task 01 until sub jobs are exported.
  const taskNames: Record<string, string> = { '01': 'General Conditions', '02': 'Building Construction' };
  for (const job of DEMO_SUB_JOBS) {
    store.insertRaw(
      'ProjectTask',
      base({
        ProjectID: P,
        ProjectTaskID: job.acumaticaTaskId,
        Description: taskNames[job.acumaticaTaskId] ?? job.name,
        Status: 'Active',
        Default: job.acumaticaTaskId === '01',
      }),
    );
  }
  // Tax categories of a typical US tenant (TX102000); the connector maps Procore tax codes onto them.
  for (const [id, description] of [
    ['TAXABLE', 'Taxable goods and services'],
    ['EXEMPT', 'Tax exempt'],
  ])
    store.insertRaw('TaxCategory', { TaxCategoryID: id, Description: description, LastModifiedDateTime: SEED_TIME });
  for (const c of DEMO_COST_CODES)
    store.insertRaw('CostCode', { CostCodeID: c.code, Description: c.description, LastModifiedDateTime: SEED_TIME });
  for (const t of DEMO_COST_TYPES)
    store.insertRaw(
      'AccountGroup',
      base({
        AccountGroupID: t.acumaticaAccountGroup,
        Description: t.name,
        Type: 'Expense',
        Expense: true,
        Active: true,
      }),
    );
  store.insertRaw(
    'AccountGroup',
    base({
      AccountGroupID: REVENUE_ACCOUNT_GROUP,
      Description: 'Contract Revenue',
      Type: 'Income',
      Expense: false,
      Active: true,
    }),
  );

  // A supplier PO that never came from Procore (open, not on hold).
  store.insertRaw(
    'PurchaseOrder',
    base({
      Type: 'Normal',
      OrderNbr: 'PO000001',
      VendorID: 'V100301',
      VendorRef: 'RML-Q-2291',
      Description: 'Temporary fencing and site lumber',
      Date: day('2024-03-05'),
      Branch: 'HQ',
      Project: P,
      Hold: false,
      Status: 'Open',
      CurrencyID: 'USD',
      LineTotal: 8450,
      OrderTotal: 8450,
      TaxTotal: 0,
      Details: [
        line({
          LineNbr: 1,
          LineType: 'Goods for Project',
          Project: P,
          ProjectTask: '01',
          CostCode: '01-500',
          LineDescription: 'Temporary fence panels, 10 ft',
          OrderQty: 130,
          UnitCost: 65,
          ExtendedCost: 8450,
          UOM: 'EA',
          OrderType: 'Normal',
          OrderNbr: 'PO000001',
        }),
      ],
    }),
  );

  // AP history: bills (released by applySeedActions), two checks, and the matching project transactions.
  const bills = [
    {
      nbr: '000101',
      vendor: 'V100301',
      ref: 'RML-55012',
      date: '2024-03-15',
      task: '01',
      code: '01-500',
      amount: 8450,
      desc: 'Temporary fencing',
    },
    {
      nbr: '000102',
      vendor: 'V100301',
      ref: 'RML-55190',
      date: '2024-04-12',
      task: '01',
      code: '06-100',
      amount: 12680.4,
      desc: 'Framing lumber, first delivery',
    },
    {
      nbr: '000103',
      vendor: 'V100245',
      ref: 'FRE-2024-031',
      date: '2024-04-20',
      task: '01',
      code: '26-050',
      amount: 4975,
      desc: 'Temporary power setup',
    },
  ];
  for (const b of bills)
    store.insertRaw(
      'Bill',
      base({
        Type: 'Bill',
        ReferenceNbr: b.nbr,
        Vendor: b.vendor,
        VendorRef: b.ref,
        Description: b.desc,
        Date: day(b.date),
        BranchID: 'HQ',
        Project: P,
        Hold: false,
        CurrencyID: 'USD',
        Terms: '30D',
        Details: [
          line({
            Project: P,
            ProjectTask: b.task,
            CostCode: b.code,
            TransactionDescription: b.desc,
            Qty: 1,
            UnitCost: b.amount,
          }),
        ],
      }),
      { seedAction: 'ReleaseBill' },
    );
  const checks = [
    { nbr: '000201', vendor: 'V100301', date: '2024-04-14', ref: '10451', pays: [['000101', 8450]] },
    { nbr: '000202', vendor: 'V100301', date: '2024-05-10', ref: '10488', pays: [['000102', 6000]] },
  ] as const;
  for (const c of checks)
    store.insertRaw(
      'Check',
      base({
        Type: 'Payment',
        ReferenceNbr: c.nbr,
        Vendor: c.vendor,
        PaymentRef: c.ref,
        ApplicationDate: day(c.date),
        PaymentMethod: 'CHECK',
        CashAccount: '10200',
        Hold: false,
        Details: c.pays.map(([ref, amount]) => line({ DocType: 'Bill', ReferenceNbr: ref, AmountPaid: amount })),
      }),
      { seedAction: 'ReleaseCheck' },
    );

  const transactions: Array<{
    module: string;
    nbr: string;
    docType: string;
    docNbr: string;
    desc: string;
    lines: Array<Record<string, unknown>>;
  }> = [
    ...bills.map((b, i) => ({
      module: 'AP',
      nbr: `AP${String(i + 1).padStart(6, '0')}`,
      docType: 'Bill',
      docNbr: b.nbr,
      desc: b.desc,
      lines: [
        {
          Project: P,
          ProjectTask: b.task,
          CostCode: b.code,
          AccountGroup: b.code === '06-100' ? 'MATERIAL' : 'OTHER',
          Amount: b.amount,
          Date: day(b.date),
          VendorOrCustomer: b.vendor,
          Description: b.desc,
        },
      ],
    })),
    {
      module: 'EP',
      nbr: 'EP000001',
      docType: 'Expense Claim',
      docNbr: 'EC000014',
      desc: 'Superintendent expenses, March',
      lines: [
        {
          Project: P,
          ProjectTask: '01',
          CostCode: '01-500',
          AccountGroup: 'OTHER',
          Amount: 612.35,
          Date: day('2024-03-29'),
          Employee: 'EP00000007',
          Description: 'Mileage and site supplies',
        },
      ],
    },
    {
      module: 'PR',
      nbr: 'PR000001',
      docType: 'Paycheck',
      docNbr: 'PC000231',
      desc: 'Field payroll, week ending 2024-04-05',
      lines: [
        {
          Project: P,
          ProjectTask: '01',
          CostCode: '01-500',
          AccountGroup: 'LABOR',
          Amount: 9840,
          Qty: 240,
          UnitRate: 41,
          Date: day('2024-04-05'),
          Employee: 'EP00000011',
          EarningType: 'RG',
          Description: 'Superintendent and laborers',
        },
        {
          Project: P,
          ProjectTask: '01',
          CostCode: '03-100',
          AccountGroup: 'LABOR',
          Amount: 3116,
          Qty: 76,
          UnitRate: 41,
          Date: day('2024-04-05'),
          Employee: 'EP00000012',
          EarningType: 'RG',
          Description: 'Layout crew',
        },
      ],
    },
  ];
  for (const t of transactions)
    store.insertRaw(
      'ProjectTransaction',
      base({
        Module: t.module,
        ReferenceNbr: t.nbr,
        Description: t.desc,
        OriginalDocType: t.docType,
        OriginalDocNbr: t.docNbr,
        Details: t.lines.map((l) => line({ Branch: 'HQ', Billable: false, ...l })),
      }),
      { seedAction: 'ReleaseTransactions' },
    );
}

/** Releases the seeded demo documents through the entity rules (bills, then checks, then transactions). */
export function applySeedActions(
  store: AcumaticaStore,
  rules: Record<string, EntityBehaviour>,
  ctx: RequestContext,
): void {
  for (const entity of ['Bill', 'Check', 'ProjectTransaction']) {
    const rule = rules[entity];
    for (const rec of store.all(entity)) {
      const action = rec.internal.seedAction as string | undefined;
      if (!action || !rule) continue;
      delete rec.internal.seedAction;
      rule.prepare?.(rec.values, rec, false, ctx);
      rule.actions?.[action]?.(rec, {}, ctx);
      rule.prepare?.(rec.values, rec, false, ctx);
    }
  }
  // Releasing touched them: the seeded documents keep their seeded times (the demo's SEED_TIME, the generated
  // records' spread ones).
  for (const entity of ['Bill', 'Check', 'ProjectTransaction', 'ProjectBudget'])
    for (const rec of store.all(entity)) rec.values.LastModifiedDateTime = rec.internal.seededAt ?? SEED_TIME;
}

/**
 * A generated record's last change: one minute apart per record, the newest at SEED_TIME, as a tenant's records
 * change over weeks rather than in one instant (a delta import's overlap margin then re-reads a few, not all).
 */
function changedMinutesBefore(minutes: number): string {
  return new Date(Date.parse(SEED_TIME) - minutes * 60_000).toISOString().replace('Z', '+00:00');
}

function seedGenerated(
  store: AcumaticaStore,
  n: { vendors: number; costCodes: number; projects: number; lines: number },
): void {
  const rnd = mulberry32(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const branches = ['HQ', 'WEST'];
  const trades = [
    'Concrete',
    'Electrical',
    'Mechanical',
    'Drywall',
    'Roofing',
    'Glazing',
    'Painting',
    'Steel',
    'Lumber',
  ];
  const vendorIds: string[] = [];
  for (let i = 0; i < n.vendors; i++) {
    const id = `V2${String(i).padStart(5, '0')}`;
    vendorIds.push(id);
    const branch = pick(branches);
    const name = `${pick(trades)} Partners ${i}`;
    store.insertRaw(
      'Vendor',
      {
        VendorID: id,
        VendorName: name,
        LegalName: `${name}, LLC`,
        VendorClass: rnd() < 0.7 ? 'SUBCON' : 'SUPPLIER',
        Status: rnd() < 0.95 ? 'Active' : 'Inactive',
        ReceivingBranch: branch,
        CurrencyID: 'USD',
        Terms: '30D',
        CreatedDateTime: SEED_TIME,
        LastModifiedDateTime: changedMinutesBefore(n.vendors - i),
        MainContact: { CompanyName: name, Email: `ap${i}@vendor${i}.example` },
      },
      rnd() < 0.5 ? { branches: [branch] } : {},
    );
  }
  const codes: string[] = [];
  for (let i = 0; i < n.costCodes; i++) {
    const code = `${String(30 + Math.floor(i / 100)).padStart(2, '0')}-${String(i % 100).padStart(3, '0')}`;
    codes.push(code);
    store.insertRaw('CostCode', {
      CostCodeID: code,
      Description: `Generated cost code ${code}`,
      LastModifiedDateTime: changedMinutesBefore(n.costCodes - i),
    });
  }
  const groups = DEMO_COST_TYPES.map((t) => t.acumaticaAccountGroup);
  const projects: string[] = [];
  // Each project budgets ~40 cost codes, each on one task and account group (keeps budget lines realistic).
  const projectCodes = new Map<string, Array<{ code: string; task: string; group: string }>>();
  for (let p = 0; p < n.projects; p++) {
    const id = `PRJ${String(p).padStart(5, '0')}`;
    projects.push(id);
    store.insertRaw('Project', {
      ProjectID: id,
      Description: `Generated project ${p}`,
      Status: 'Active',
      Hold: false,
      Customer: 'C000418',
      ExternalRefNbr: `G-${p}`,
      BillingAndAllocationSettings: { Branch: pick(branches) },
      CreatedDateTime: SEED_TIME,
      LastModifiedDateTime: changedMinutesBefore(n.projects - p),
    });
    projectCodes.set(
      id,
      Array.from({ length: 40 }, (_, k) => ({
        code: pick(codes),
        task: ['01', '02', '03'][k % 3],
        group: groups[k % groups.length],
      })),
    );
    for (const task of ['01', '02', '03'])
      store.insertRaw('ProjectTask', {
        ProjectID: id,
        ProjectTaskID: task,
        Description: `Task ${task}`,
        Status: 'Active',
        Default: task === '01',
        LastModifiedDateTime: changedMinutesBefore(n.projects - p),
      });
  }
  // Cost transactions, 20 lines per released batch; budget actuals summed per budget key.
  const actuals = new Map<string, { keys: string[]; amount: number }>();
  const perDoc = 20;
  for (let d = 0; d < Math.ceil(n.lines / perDoc); d++) {
    const project = pick(projects);
    const module = pick(['AP', 'EP', 'PR']);
    const details: StoredLine[] = [];
    let total = 0;
    for (let i = 0; i < perDoc && d * perDoc + i < n.lines; i++) {
      const { code, task, group: g } = pick(projectCodes.get(project)!);
      const group = module === 'PR' ? 'LABOR' : g;
      const amount = Math.round(rnd() * 500_000) / 100;
      total += amount;
      const date = `2024-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      details.push(
        line({
          Project: project,
          ProjectTask: task,
          CostCode: code,
          AccountGroup: group,
          Amount: amount,
          Qty: 1,
          Date: day(date),
          FinPeriod: `${date.slice(5, 7)}${date.slice(0, 4)}`,
          Branch: 'HQ',
          Released: true,
          VendorOrCustomer: module === 'AP' ? pick(vendorIds) : undefined,
        }),
      );
      const key = [project, task, group, code].join('|');
      const a = actuals.get(key) ?? { keys: [project, task, group, code], amount: 0 };
      a.amount += amount;
      actuals.set(key, a);
    }
    store.insertRaw(
      'ProjectTransaction',
      {
        Module: module,
        ReferenceNbr: `G${String(d).padStart(7, '0')}`,
        Description: `Generated ${module} batch ${d}`,
        Status: 'Released',
        TotalAmount: Math.round(total * 100) / 100,
        TotalQty: details.length,
        Details: details,
        CreatedDateTime: SEED_TIME,
        LastModifiedDateTime: changedMinutesBefore(Math.ceil(n.lines / perDoc) - d),
      },
      { released: true, seededAt: changedMinutesBefore(Math.ceil(n.lines / perDoc) - d) },
    );
  }
  for (const { keys, amount } of actuals.values()) {
    const [project, task, group, code] = keys;
    const actual = Math.round(amount * 100) / 100;
    store.insertRaw('ProjectBudget', {
      ProjectID: project,
      ProjectTaskID: task,
      AccountGroup: group,
      CostCode: code,
      InventoryID: '<N/A>',
      Type: 'Cost',
      Description: `Generated budget ${code}`,
      OriginalBudgetedAmount: 0,
      BudgetedCOAmount: 0,
      RevisedBudgetedAmount: 0,
      ActualAmount: actual,
      VarianceAmount: -actual,
      UOM: 'EA',
      LastModifiedDateTime: SEED_TIME,
    });
  }
}
