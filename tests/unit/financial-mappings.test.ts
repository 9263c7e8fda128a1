import { mapBill, type BillSnapshot } from '../../mappings/bill';
import {
  mapCostBudgetLines,
  mapCostChangeOrder,
  mapRevenueBudgetLines,
  mapRevenueChangeOrder,
  repeatedBudgetKeys,
  unmappedCostTypes,
  type BudgetSnapshot,
} from '../../mappings/budget';
import { mapCommitmentChangeOrder, type ChangeOrderSnapshot } from '../../mappings/change-order';
import { mapProject, mapProjectTasks, projectIdFor, type ProjectSnapshot } from '../../mappings/project';

const project: ProjectSnapshot = {
  procoreId: '562001',
  label: 'Riverside Medical Office Building',
  lineIds: ['9300001', '9300002'],
  name: 'Riverside Medical Office Building',
  projectNumber: '2024-017',
  startDate: '2024-03-04',
  completionDate: '2025-08-29',
  subJobs: [
    { procoreId: '9300001', code: '01', name: 'Building Shell and Core' },
    { procoreId: '9300002', code: 'int', name: 'Interiors and MEP Fit-Out' },
  ],
};

describe('project', () => {
  it('derives the Project ID from the project number, else from the Procore id', () => {
    expect(projectIdFor(project)).toBe('2024017');
    expect(projectIdFor({ procoreId: '12345678901', projectNumber: null })).toBe('P345678901');
    expect(projectIdFor({ procoreId: '1', projectNumber: 'riverside-medical-office' })).toBe('RIVERSIDEM');
  });

  it('maps the header with branch, customer, template and marker', () => {
    expect(mapProject(project, { branch: 'HQ', customer: 'C000418', templateId: 'CONSTR' })).toEqual({
      ProjectID: '2024017',
      Description: 'Riverside Medical Office Building',
      ExternalRefNbr: 'PROCORE-562001',
      Customer: 'C000418',
      ProjectTemplateID: 'CONSTR',
      BillingAndAllocationSettings: { Branch: 'HQ' },
    });
  });

  it('makes one task per sub job, or the default task when there are none', () => {
    expect(mapProjectTasks(project)).toEqual([
      {
        ProjectID: '2024017',
        ProjectTaskID: '01',
        Description: 'Building Shell and Core',
        ExternalRefNbr: 'PROCORE-9300001',
      },
      {
        ProjectID: '2024017',
        ProjectTaskID: 'INT',
        Description: 'Interiors and MEP Fit-Out',
        ExternalRefNbr: 'PROCORE-9300002',
      },
    ]);
    expect(mapProjectTasks({ ...project, subJobs: [] })).toEqual([
      { ProjectID: '2024017', ProjectTaskID: '01', Description: 'General' },
    ]);
  });
});

const budget: BudgetSnapshot = {
  procoreId: '9400001',
  label: 'Original budget',
  lineIds: ['1', '2'],
  projectId: '562001',
  date: '2024-05-01',
  lines: [
    {
      procoreId: '1',
      subJobCode: '01',
      costCode: '03-300',
      costTypeCode: 'S',
      accountGroup: 'SUBCONTR',
      description: 'Foundations',
      amount: '361250.00',
    },
    {
      procoreId: '2',
      subJobCode: null,
      costCode: '01-500',
      costTypeCode: 'O',
      accountGroup: 'OTHER',
      description: 'General conditions',
      amount: '286500.10',
    },
  ],
};
const targets = { projectKey: 'RMOB24017', revenueAccountGroup: 'REVENUE' };

describe('budget', () => {
  it('maps cost lines to task x cost code x account group', () => {
    expect(mapCostBudgetLines(budget, targets)).toEqual([
      {
        ProjectID: 'RMOB24017',
        ProjectTaskID: '01',
        AccountGroup: 'SUBCONTR',
        CostCode: '03-300',
        Type: 'Cost',
        Description: 'Foundations',
        OriginalBudgetedAmount: 361250,
      },
      {
        ProjectID: 'RMOB24017',
        ProjectTaskID: '01',
        AccountGroup: 'OTHER',
        CostCode: '01-500',
        Type: 'Cost',
        Description: 'General conditions',
        OriginalBudgetedAmount: 286500.1,
      },
    ]);
  });

  it('names cost types without an account group', () => {
    const unlinked = { ...budget.lines[0], costTypeCode: 'X', accountGroup: null };
    expect(unmappedCostTypes({ ...budget, lines: [...budget.lines, unlinked] })).toEqual(['X']);
  });

  it('maps revenue line by line, or as one summarised line', () => {
    expect(mapRevenueBudgetLines(budget, targets, { summarise: false })).toHaveLength(2);
    expect(mapRevenueBudgetLines(budget, targets, { summarise: true })).toEqual([
      {
        ProjectID: 'RMOB24017',
        ProjectTaskID: '01',
        AccountGroup: 'REVENUE',
        Type: 'Revenue',
        Description: 'Original budget',
        OriginalBudgetedAmount: 647750.1,
      },
    ]);
  });

  it('maps budget changes and prime contract change orders to change orders with a marker', () => {
    expect(mapCostChangeOrder(budget, targets)).toMatchObject({
      ProjectID: 'RMOB24017',
      ExternalRefNbr: 'PROCORE-9400001',
      ChangeDate: '2024-05-01',
      CostBudget: [
        { AccountGroup: 'SUBCONTR', Amount: 361250, ProjectTaskID: '01' },
        { AccountGroup: 'OTHER', Amount: 286500.1 },
      ],
    });
    expect(mapRevenueChangeOrder(budget, targets)).toMatchObject({
      RevenueBudget: [
        { AccountGroup: 'REVENUE', Amount: 361250 },
        { AccountGroup: 'REVENUE', Amount: 286500.1 },
      ],
    });
  });
});

describe('budget change', () => {
  const change: BudgetSnapshot = {
    procoreId: '9420001',
    label: 'Budget change #1 Generator pad scope added by PCCO-001',
    lineIds: ['9421001', '9421002'],
    projectId: '562001',
    number: '1',
    lines: [
      {
        procoreId: '9421001',
        subJobCode: 'int',
        costCode: '03-300',
        costTypeCode: 'S',
        accountGroup: 'SUBCONTR',
        description: 'Generator pad',
        amount: '16200.004',
        transactionId: '77',
      },
      {
        procoreId: '9421002',
        subJobCode: null,
        costCode: '26-050',
        costTypeCode: 'S',
        accountGroup: 'SUBCONTR',
        description: 'x'.repeat(300),
        amount: '21100',
        transactionId: '78',
      },
    ],
  };

  it('maps every field of the cost change order: marker, label, task per sub job, account group, exact amounts', () => {
    expect(mapCostChangeOrder(change, { projectKey: 'RMOB24017' })).toEqual({
      ProjectID: 'RMOB24017',
      ExternalRefNbr: 'PROCORE-9420001',
      Description: 'Budget change #1 Generator pad scope added by PCCO-001',
      CostBudget: [
        {
          ProjectTaskID: 'INT',
          AccountGroup: 'SUBCONTR',
          CostCode: '03-300',
          Description: 'Generator pad',
          Amount: 16200,
        },
        {
          ProjectTaskID: '01',
          AccountGroup: 'SUBCONTR',
          CostCode: '26-050',
          Description: 'x'.repeat(256),
          Amount: 21100,
        },
      ],
    });
  });

  it('names lines that share a task, cost code and cost type (one change-order line each in Acumatica)', () => {
    expect(repeatedBudgetKeys(change)).toEqual([]);
    const twice = { ...change, lines: [...change.lines, { ...change.lines[0], procoreId: '9421003' }] };
    expect(repeatedBudgetKeys(twice)).toEqual([['int 03-300 S', 'int 03-300 S']]);
  });
});

describe('commitment change order', () => {
  const cco: ChangeOrderSnapshot = {
    procoreId: '7800101',
    label: 'CCO-001 Added footing depth',
    lineIds: ['a', 'b'],
    projectId: '562001',
    commitmentId: '7700101',
    commitmentType: 'work_order_contract',
    number: 'CCO-001',
    date: '2024-06-12',
    lines: [
      {
        procoreId: 'a',
        costCode: '03-300',
        description: 'Deeper footings',
        amount: '12400.00',
        quantity: null,
        unitCost: null,
        uom: null,
        commitmentLineId: '880010102',
      },
      {
        procoreId: 'b',
        costCode: '03-300',
        description: 'Pump truck',
        amount: '-1850.50',
        quantity: null,
        unitCost: null,
        uom: null,
        commitmentLineId: null,
      },
    ],
  };
  it('adds commitment lines against the exported subcontract, changing existing lines by number', () => {
    const body = mapCommitmentChangeOrder(cco, {
      projectKey: 'RMOB24017',
      commitmentKey: 'SC000001',
      vendorKey: 'V100231',
      lineNbrs: { '880010102': 2 },
    });
    expect(body).toMatchObject({ ProjectID: 'RMOB24017', ExternalRefNbr: 'PROCORE-7800101', ChangeDate: '2024-06-12' });
    expect(body.Commitments).toEqual([
      {
        POType: 'Subcontract',
        PONbr: 'SC000001',
        POLineNbr: 2,
        Vendor: 'V100231',
        ProjectTaskID: '01',
        CostCode: '03-300',
        Description: 'Deeper footings',
        Qty: 1,
        UnitCost: 12400,
        Amount: 12400,
      },
      {
        POType: 'Subcontract',
        PONbr: 'SC000001',
        POLineNbr: undefined,
        Vendor: 'V100231',
        ProjectTaskID: '01',
        CostCode: '03-300',
        Description: 'Pump truck',
        Qty: 1,
        UnitCost: -1850.5,
        Amount: -1850.5,
      },
    ]);
  });
});

describe('bill', () => {
  const requisition: BillSnapshot = {
    procoreId: '7900101',
    label: 'SC-24017-003 Pay App #1',
    lineIds: ['i1'],
    projectId: '562001',
    commitmentId: '7700101',
    invoiceNumber: 'ACP-2291',
    number: '1',
    billingDate: '2024-04-30',
    retainagePercent: '10',
    items: [
      {
        procoreId: 'i1',
        commitmentLineId: '880010102',
        costCode: '03-300',
        description: 'Footings 40%',
        amount: '59400.00',
        retainage: '5940.00',
      },
    ],
  };
  it('bills each item against its subcontract line, with retainage in the AP custom fields', () => {
    const bill = mapBill(requisition, {
      vendorKey: 'V100231',
      projectKey: 'RMOB24017',
      subcontractKey: 'SC000001',
      lineNbrs: { '880010102': 2 },
    });
    expect(bill).toMatchObject({
      Type: 'Bill',
      Vendor: 'V100231',
      VendorRef: 'PROCORE-7900101',
      Description: 'Invoice ACP-2291 - SC-24017-003 Pay App #1',
      Date: '2024-04-30',
    });
    expect((bill.Details as unknown[])[0]).toEqual({
      Project: 'RMOB24017',
      ProjectTask: '01',
      CostCode: '03-300',
      TransactionDescription: 'Footings 40%',
      Qty: 1,
      UnitCost: 59400,
      ExtendedCost: 59400,
      POOrderType: 'Subcontract',
      POOrderNbr: 'SC000001',
      POLine: 2,
      custom: {
        Transactions: {
          RetainagePct: { type: 'CustomDecimalField', value: 10 },
          CuryRetainageAmt: { type: 'CustomDecimalField', value: 5940 },
        },
      },
    });
    // Without the document's flag Acumatica zeroes every line's retainage.
    expect(bill.custom).toEqual({
      Document: {
        RetainageApply: { type: 'CustomBooleanField', value: true },
        DefRetainagePct: { type: 'CustomDecimalField', value: 10 },
      },
    });
  });

  it('bills materials stored as their own line with their retainage, after the work lines', () => {
    const targets = { vendorKey: 'V1', projectKey: 'P', subcontractKey: 'SC1', lineNbrs: { a: 1, b: 2 } };
    const bill = mapBill(
      {
        ...requisition,
        lineIds: ['i1', 'i2'],
        items: [
          {
            procoreId: 'i1',
            commitmentLineId: 'a',
            costCode: '03-300',
            description: 'Footings',
            amount: '1000.005',
            retainage: '100.0005',
            storedMaterials: '2500.00',
            storedRetainage: '250.00',
          },
          {
            procoreId: 'i2',
            commitmentLineId: 'b',
            costCode: '05-100',
            description: 'Steel',
            amount: '0.005',
            retainage: '0.00',
          },
        ],
      },
      { ...targets, lineTasks: ['01', '02'] },
    );
    const lines = bill.Details as Array<Record<string, unknown>>;
    expect(lines.map((l) => [l.TransactionDescription, l.ProjectTask, l.POLine, l.ExtendedCost])).toEqual([
      ['Footings', '01', 1, 1000.01],
      ['Steel', '02', 2, 0.01],
      ['Stored materials: Footings', '01', 1, 2499.99],
    ]);
    // Half cents: each line rounded half-up (1000.01 + 0.01 + 2500.00), the document's total is the exact sum
    // rounded (3500.01), and the difference is carried on the largest line (money.ts).
    const sum = lines.reduce((n, l) => n + Number(l.ExtendedCost), 0);
    expect(sum.toFixed(2)).toBe('3500.01');
    expect(
      lines.map(
        (l) =>
          (l.custom as { Transactions: { CuryRetainageAmt: { value: number } } }).Transactions.CuryRetainageAmt.value,
      ),
    ).toEqual([100, 0, 250]);
  });

  it('sends no retainage fields for an invoice without retainage', () => {
    const bill = mapBill(
      { ...requisition, retainagePercent: null, items: [{ ...requisition.items[0], retainage: '0.00' }] },
      { vendorKey: 'V1', projectKey: 'P', subcontractKey: 'SC1', lineNbrs: {} },
    );
    expect(bill.custom).toBeUndefined();
    expect((bill.Details as Array<Record<string, unknown>>)[0].custom).toBeUndefined();
  });
});
