import {
  companyDirectCostTotalProblem,
  mapCompanyDirectCost,
  type CompanyDirectCostSnapshot,
} from '../../mappings/company-direct-cost';
import { companyDirectCostSchema } from '../../clients/procore/schemas-financial';

const snapshot = (over: Partial<CompanyDirectCostSnapshot> = {}): CompanyDirectCostSnapshot => ({
  procoreId: '10000001',
  label: 'Direct cost INV-001 (Test Vendor)',
  lineIds: ['1', '2', '3'],
  vendorId: '30000001',
  vendorName: 'Test Vendor',
  invoiceNumber: 'INV-001',
  date: '2025-06-01',
  total: '1000.01',
  lines: [
    {
      procoreId: '1',
      projectId: '86',
      projectName: 'A',
      jobOriginId: null,
      subJobCode: null,
      costCode: '01-100',
      description: 'Fuel',
      amount: '333.335',
    },
    {
      procoreId: '2',
      projectId: '87',
      projectName: 'B',
      jobOriginId: null,
      subJobCode: null,
      costCode: '01-100',
      description: 'Fuel',
      amount: '333.335',
    },
    {
      procoreId: '3',
      projectId: '87',
      projectName: 'B',
      jobOriginId: null,
      subJobCode: '01',
      costCode: '03-300',
      description: '',
      amount: '333.34',
    },
  ],
  ...over,
});

const targets = {
  vendorKey: 'V000001',
  lines: [
    { projectKey: 'PRJA', task: '01', branch: 'HQ' },
    { projectKey: 'PRJB', task: '01', branch: 'WEST' },
    { projectKey: 'PRJB', task: '02', branch: 'WEST' },
  ],
};

describe('company-level direct cost -> one bill across projects', () => {
  it('puts each line on its project, task, branch and cost code, adding up to the invoice total', () => {
    const bill = mapCompanyDirectCost(snapshot(), targets);
    expect(bill).toMatchObject({
      Type: 'Bill',
      Vendor: 'V000001',
      VendorRef: 'PROCORE-DC10000001',
      Description: 'Invoice INV-001 - Direct cost INV-001 (Test Vendor)',
      Date: '2025-06-01',
    });
    expect(bill.BranchID).toBeUndefined(); // two branches: each line says its own
    const lines = bill.Details as Array<Record<string, unknown>>;
    expect(lines.map((l) => [l.Project, l.ProjectTask, l.Branch, l.CostCode, l.ExtendedCost])).toEqual([
      ['PRJA', '01', 'HQ', '01-100', 333.33],
      ['PRJB', '01', 'WEST', '01-100', 333.34],
      ['PRJB', '02', 'WEST', '03-300', 333.34],
    ]);
    // Half cents round up (333.34 + 333.34 + 333.34 = 1000.02); the cent over Procore's total is taken off the
    // largest line, the first of equals.
    const sum = lines.reduce((s, l) => s + Math.round(Number(l.ExtendedCost) * 100), 0);
    expect(sum).toBe(100001);
    expect(lines[2].TransactionDescription).toBe('B direct cost');
  });

  it('sets the bill branch when every project posts to the same one', () => {
    const one = { ...targets, lines: targets.lines.map((l) => ({ ...l, branch: 'WEST' })) };
    expect(mapCompanyDirectCost(snapshot(), one).BranchID).toBe('WEST');
  });

  it('refuses lines that do not make the total, and a cost without lines', () => {
    expect(companyDirectCostTotalProblem(snapshot())).toBeUndefined();
    expect(companyDirectCostTotalProblem(snapshot({ total: '1100.00' }))).toBe(
      'The lines of Direct cost INV-001 (Test Vendor) add up to 1000.01 but its total is 1100.00. Correct the direct cost in Procore, then resend.',
    );
    expect(companyDirectCostTotalProblem(snapshot({ lines: [], lineIds: [] }))).toMatch(/has no lines/);
  });

  it("reads the events dictionary's example payload", () => {
    const parsed = companyDirectCostSchema.parse({
      id: '10000001',
      invoice_number: 'INV-001',
      line_item_total: '1000.0',
      vendor: { id: '30000001', name: 'Test Vendor', origin_id: 'vendor_origin_id' },
      line_items: [
        {
          id: '40000001',
          description: 'Line item description',
          project: { id: '86', name: 'Test Project' },
          total_amount: '1000.0',
          wbs_code: { id: '50000001', flat_code: '01-100', description: 'General Requirements' },
          job_origin_id: 'project_origin_id',
          cost_code_id: 456,
          cost_code_origin_id: 'cost_code_origin_id',
        },
      ],
    });
    expect(parsed.line_items[0]).toMatchObject({ costCode: '01-100', subJobCode: null, total_amount: '1000.0' });
  });
});
