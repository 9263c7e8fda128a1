/**
 * The Acumatica half of the `inflight` seed (packages/simulator-common/src/inflight-data.ts): vendors, 30 projects with task 01,
 * and the commitments keyed by hand, written already open (as an in-flight tenant holds them).
 */
import { randomUUID } from 'node:crypto';
import {
  INFLIGHT_PROJECTS,
  INFLIGHT_VENDORS,
  inflightDataset,
  type InflightAcumaticaBill,
  type InflightAcumaticaChangeOrder,
  type InflightAcumaticaCommitment,
  type InflightBudgetChangeOrder,
  type InflightBudgetLine,
} from 'simulator-common';
import type { AcumaticaStore } from './store';

const SEED_TIME = '2024-03-01T15:00:00.000+00:00';

export function seedInflight(store: AcumaticaStore): void {
  const stamps = { CreatedDateTime: SEED_TIME, LastModifiedDateTime: SEED_TIME };
  for (const v of INFLIGHT_VENDORS)
    store.insertRaw('Vendor', {
      ...stamps,
      VendorID: v.acumaticaVendorId,
      VendorName: v.name,
      LegalName: v.name,
      VendorClass: 'SUBCON',
      Status: 'Active',
      CurrencyID: 'USD',
      Terms: '30D',
      MainContact: { CompanyName: v.name },
    });
  for (const p of INFLIGHT_PROJECTS) {
    store.insertRaw('Project', {
      ...stamps,
      ProjectID: p.acumaticaProjectId,
      Description: p.name,
      Status: 'Active',
      Hold: false,
      Customer: 'C000418',
      ExternalRefNbr: p.projectNumber,
      BillingAndAllocationSettings: { Branch: 'HQ' },
    });
    store.insertRaw('ProjectTask', {
      ...stamps,
      ProjectID: p.acumaticaProjectId,
      ProjectTaskID: '01',
      Description: 'General Conditions',
      Status: 'Active',
      Default: true,
    });
  }
  const dataset = inflightDataset();
  const { commitments, acumaticaOnly, changeOrders, directCosts, bills } = dataset;
  for (const c of [...commitments.flatMap((x) => x.acumatica), ...acumaticaOnly]) insertCommitment(store, c, stamps);
  for (const co of changeOrders.flatMap((x) => x.acumatica)) insertChangeOrder(store, co, stamps);
  // AP project transactions, released by applySeedActions (as the demo's are).
  for (const dc of directCosts)
    for (const tx of dc.acumatica)
      store.insertRaw(
        'ProjectTransaction',
        {
          ...stamps,
          Module: 'AP',
          ReferenceNbr: tx.referenceNbr,
          Description: tx.description,
          OriginalDocType: 'Bill',
          OriginalDocNbr: tx.originalDocNbr,
          Details: tx.lines.map((l) => ({
            id: randomUUID(),
            Branch: 'HQ',
            Billable: false,
            Project: INFLIGHT_PROJECTS.find((p) => p.projectNumber === dc.projectNumber)!.acumaticaProjectId,
            ProjectTask: '01',
            CostCode: l.costCode,
            AccountGroup: 'OTHER',
            Amount: l.amount,
            Date: `${dc.date}T00:00:00+00:00`,
            VendorOrCustomer: INFLIGHT_VENDORS[dc.vendorIndex].acumaticaVendorId,
            Description: l.description,
          })),
        },
        { seedAction: 'ReleaseTransactions' },
      );
  for (const b of bills.flatMap((x) => x.acumatica)) insertBill(store, b, stamps);
  // Revenue and cost budgets (ProjectBudget rows, task 01) and the change orders of their budgets.
  const projectIdOf = (projectNumber: string) =>
    INFLIGHT_PROJECTS.find((p) => p.projectNumber === projectNumber)!.acumaticaProjectId;
  for (const pc of dataset.primeContracts)
    for (const l of pc.acumatica) insertBudgetRow(store, projectIdOf(pc.projectNumber), l, 'Revenue', stamps);
  for (const b of dataset.budgets)
    for (const l of b.acumatica) insertBudgetRow(store, projectIdOf(b.projectNumber), l, 'Cost', stamps);
  for (const co of [...dataset.primeChangeOrders, ...dataset.budgetChanges])
    for (const a of co.acumatica) insertBudgetChangeOrder(store, co, a, projectIdOf(co.projectNumber), stamps);
}

function insertBudgetRow(
  store: AcumaticaStore,
  projectId: string,
  l: InflightBudgetLine,
  type: 'Cost' | 'Revenue',
  stamps: Record<string, string>,
) {
  store.insertRaw('ProjectBudget', {
    ...stamps,
    ProjectID: projectId,
    ProjectTaskID: '01',
    AccountGroup: l.accountGroup,
    CostCode: l.costCode,
    InventoryID: '<N/A>',
    Type: type,
    Description: l.description,
    OriginalBudgetedAmount: l.amount,
    BudgetedCOAmount: 0,
    RevisedBudgetedAmount: l.amount,
    ActualAmount: 0,
    VarianceAmount: l.amount,
    UOM: 'EA',
  });
}

/** An open change order of a revenue budget (a PCCO's) or of a cost budget (a budget change's), one line. */
function insertBudgetChangeOrder(
  store: AcumaticaStore,
  co: InflightBudgetChangeOrder,
  a: InflightBudgetChangeOrder['acumatica'][number],
  projectId: string,
  stamps: Record<string, string>,
) {
  const revenue = co.kind === 'prime_change_order';
  store.insertRaw('ChangeOrder', {
    ...changeOrderHeader(a, projectId, '2024-02-20', stamps),
    CostBudgetChangeTotal: revenue ? 0 : a.line.amount,
    RevenueBudgetChangeTotal: revenue ? a.line.amount : 0,
    [revenue ? 'RevenueBudget' : 'CostBudget']: [
      {
        id: randomUUID(),
        ProjectTaskID: '01',
        AccountGroup: a.line.accountGroup,
        CostCode: a.line.costCode,
        Description: a.line.description,
        Amount: a.line.amount,
      },
    ],
  });
}

/** A subcontractor's bill keyed by hand, one line billing the subcontract's first line; released by applySeedActions. */
function insertBill(store: AcumaticaStore, b: InflightAcumaticaBill, stamps: Record<string, string>) {
  store.insertRaw(
    'Bill',
    {
      ...stamps,
      Type: 'Bill',
      ReferenceNbr: b.refNbr,
      Vendor: INFLIGHT_VENDORS[b.vendorIndex].acumaticaVendorId,
      VendorRef: b.vendorRef,
      Description: `${b.commitmentNbr} ${b.line.description}`,
      Date: `${b.date}T00:00:00+00:00`,
      BranchID: 'HQ',
      Project: b.projectId,
      Hold: false,
      CurrencyID: 'USD',
      Terms: '30D',
      Details: [
        {
          id: randomUUID(),
          POOrderType: 'Subcontract',
          POOrderNbr: b.commitmentNbr,
          POLine: 1,
          Project: b.projectId,
          ProjectTask: '01',
          CostCode: b.line.costCode,
          TransactionDescription: b.line.description,
          Qty: 1,
          UnitCost: b.line.amount,
        },
      ],
    },
    { seedAction: 'ReleaseBill' },
  );
}

/** The header of an open change order keyed by hand (its change totals 0 until the caller sets its own). */
function changeOrderHeader(
  co: { refNbr: string; externalRef: string | null; description: string },
  projectId: string,
  date: string,
  stamps: Record<string, string>,
) {
  return {
    ...stamps,
    RefNbr: co.refNbr,
    ProjectID: projectId,
    ...(co.externalRef ? { ExternalRefNbr: co.externalRef } : {}),
    Description: co.description,
    ChangeDate: `${date}T00:00:00+00:00`,
    Class: 'DEFAULT',
    Hold: false,
    Status: 'Open',
    Customer: 'C000418',
    ContractTimeChangeDays: 0,
    CostBudgetChangeTotal: 0,
    RevenueBudgetChangeTotal: 0,
    CommitmentsChangeTotal: 0,
    GrossMarginAmount: 0,
    GrossMargin: 0,
  };
}

/** An open (not released) change order with one Commitments line against the subcontract's first line. */
function insertChangeOrder(store: AcumaticaStore, co: InflightAcumaticaChangeOrder, stamps: Record<string, string>) {
  store.insertRaw('ChangeOrder', {
    ...changeOrderHeader(co, co.projectId, '2024-02-15', stamps),
    CommitmentsChangeTotal: co.line.amount,
    Commitments: [
      {
        id: randomUUID(),
        POType: 'Subcontract',
        PONbr: co.commitmentNbr,
        POLineNbr: 1,
        Vendor: INFLIGHT_VENDORS[co.vendorIndex].acumaticaVendorId,
        ProjectTaskID: '01',
        CostCode: co.line.costCode,
        Description: co.line.description,
        Qty: 1,
        UnitCost: co.line.amount,
        Amount: co.line.amount,
        AmountinBaseCurrency: co.line.amount,
        CurrencyID: 'USD',
        Status: 'Open',
      },
    ],
  });
}

function insertCommitment(store: AcumaticaStore, c: InflightAcumaticaCommitment, stamps: Record<string, string>) {
  const total = c.lines.reduce((s, l) => s + l.amount, 0);
  const vendorId = INFLIGHT_VENDORS[c.vendorIndex].acumaticaVendorId;
  const common = {
    ...stamps,
    VendorID: vendorId,
    ...(c.vendorRef ? { VendorRef: c.vendorRef } : {}),
    Description: c.description,
    Date: '2024-02-01T00:00:00+00:00',
    Branch: 'HQ',
    CurrencyID: 'USD',
    Status: 'Open',
    LineTotal: total,
    TaxTotal: 0,
  };
  if (c.entity === 'Subcontract') {
    store.insertRaw(
      'Subcontract',
      {
        ...common,
        SubcontractNbr: c.nbr,
        Location: 'MAIN',
        RetainagePct: 0,
        ApplyRetainage: false,
        RetainageTotal: 0,
        DiscountTotal: 0,
        SubcontractTotal: total,
        BaseCurrencyID: 'USD',
        Details: c.lines.map((l, i) => ({
          id: randomUUID(),
          LineNbr: i + 1,
          Project: c.projectId,
          Task: '01',
          CostCode: l.costCode,
          LineDescription: l.description,
          Description: l.description,
          OrderQty: 1,
          UnitCost: l.amount,
          Amount: l.amount,
          ExtendedCost: l.amount,
          UOM: 'EA',
          RetainagePct: 0,
          RetainageAmount: 0,
          OrderType: 'Subcontract',
          OrderNbr: c.nbr,
          Completed: false,
          Canceled: false,
          Closed: false,
        })),
      },
      { hold: false, lineCntr: c.lines.length },
    );
    return;
  }
  store.insertRaw(
    'PurchaseOrder',
    {
      ...common,
      Type: 'Normal',
      OrderNbr: c.nbr,
      Project: c.projectId,
      Hold: false,
      OrderTotal: total,
      Details: c.lines.map((l, i) => ({
        id: randomUUID(),
        LineNbr: i + 1,
        LineType: 'Goods for Project',
        Project: c.projectId,
        ProjectTask: '01',
        CostCode: l.costCode,
        LineDescription: l.description,
        OrderQty: 1,
        UnitCost: l.amount,
        ExtendedCost: l.amount,
        UOM: 'EA',
        OrderType: 'Normal',
        OrderNbr: c.nbr,
        Completed: false,
        Cancelled: false,
      })),
    },
    { lineCntr: c.lines.length },
  );
}
