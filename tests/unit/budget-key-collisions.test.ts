/**
 * Key collisions (issue #12 item 4): Procore budget and prime contract lines that map to the same Acumatica budget
 * line (task x account group x cost code) are summed when they are of one Procore budget code, refused naming both
 * lines when not; change orders hold one line per key and refuse any repeat. Never written one over the other.
 */
import {
  budgetCodeOf,
  budgetKeyGroups,
  costBudgetRows,
  revenueBudgetRows,
  type BudgetLine,
  type BudgetSnapshot,
} from '../../mappings/budget';

const line = (procoreId: string, over: Partial<BudgetLine>): BudgetLine => ({
  procoreId,
  subJobCode: 'INT',
  costCode: '03-300',
  costTypeCode: 'L',
  accountGroup: 'LABOR',
  description: `Line ${procoreId}`,
  amount: '100.00',
  ...over,
});

const budget = (lines: BudgetLine[]): BudgetSnapshot => ({
  procoreId: '9400001',
  label: 'Budget of project 562001',
  lineIds: lines.map((l) => l.procoreId),
  projectId: '562001',
  lines,
});

const targets = { projectKey: 'RMOB24017', revenueAccountGroup: 'REVENUE' };

describe('budget lines of one budget code', () => {
  const s = budget([
    line('1', { description: 'Formwork labor', amount: '1234.505' }),
    line('2', { costCode: '01-500', costTypeCode: 'O', accountGroup: 'OTHER', amount: '50' }),
    line('3', { description: 'Formwork labor, phase 2', amount: '0.005' }),
  ]);

  it('are summed into one Acumatica line (exact sum, then rounded), with no problem', () => {
    expect(budgetKeyGroups(s).problems).toEqual([]);
    const { rows, rowOfLine } = costBudgetRows(s, targets);
    expect(rowOfLine).toEqual([0, 1, 0]);
    expect(rows).toEqual([
      {
        ProjectID: 'RMOB24017',
        ProjectTaskID: 'INT',
        AccountGroup: 'LABOR',
        CostCode: '03-300',
        Type: 'Cost',
        Description: 'Formwork labor',
        OriginalBudgetedAmount: 1234.51, // 1234.505 + 0.005 = 1234.51 (not 1234.51 + 0.01)
      },
      expect.objectContaining({ CostCode: '01-500', AccountGroup: 'OTHER', OriginalBudgetedAmount: 50 }),
    ]);
  });

  it('is a budget code of sub job, cost code and cost type', () => {
    expect(budgetCodeOf(s.lines[0])).toBe('INT.03-300.L');
    expect(budgetCodeOf({ subJobCode: null, costCode: '03-300', costTypeCode: null })).toBe('03-300');
  });
});

describe('lines of different budget codes on one Acumatica key', () => {
  it('two cost types linked to one account group: refused, naming both Procore lines', () => {
    const s = budget([
      line('1', { description: 'Labor' }),
      line('2', { description: 'Labor burden', costTypeCode: 'LB' }),
    ]);
    const { problems } = budgetKeyGroups(s);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"Labor" (budget code INT.03-300.L, Procore line 1)');
    expect(problems[0]).toContain('"Labor burden" (budget code INT.03-300.LB, Procore line 2)');
    expect(problems[0]).toContain('INT × LABOR × 03-300');
    expect(problems[0]).toMatch(/Nothing was sent/);
  });

  it('sub jobs that differ only in case, or a line on the default task and one on sub job 01: refused', () => {
    expect(budgetKeyGroups(budget([line('1', {}), line('2', { subJobCode: 'int' })])).problems).toHaveLength(1);
    expect(
      budgetKeyGroups(budget([line('1', { subJobCode: '01' }), line('2', { subJobCode: null })])).problems,
    ).toHaveLength(1);
  });
});

describe('prime contract lines', () => {
  const revenue = (id: string, costCode: string, amount: string): BudgetLine => ({
    procoreId: id,
    subJobCode: null,
    costCode,
    costTypeCode: null,
    accountGroup: null,
    description: `SOV ${id}`,
    amount,
  });

  it('of one cost code are summed into one revenue line; their lines are each placed on that row', () => {
    const s = budget([revenue('1', '01-000', '10.00'), revenue('2', '03-300', '5'), revenue('3', '01-000', '2.50')]);
    expect(budgetKeyGroups(s, () => 'REVENUE').problems).toEqual([]);
    const { rows, rowOfLine } = revenueBudgetRows(s, targets, { summarise: false });
    expect(rowOfLine).toEqual([0, 1, 0]);
    expect(rows.map((r) => [r.CostCode, r.OriginalBudgetedAmount])).toEqual([
      ['01-000', 12.5],
      ['03-300', 5],
    ]);
  });

  it('on change orders, any repeated key is refused (one line per key), naming both lines', () => {
    const s = budget([revenue('1', '01-000', '10.00'), revenue('2', '01-000', '-2.00')]);
    const { problems } = budgetKeyGroups(s, () => 'REVENUE', { sumSameCode: false });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Lines "SOV 1" .* and "SOV 2" .* change the same Acumatica budget line/);
  });
});

describe('placed tasks (line placement: the sub job link, not the sub job code)', () => {
  it('put each budget line on its placed task, and keys use that task', () => {
    const s = budget([line('1', { subJobCode: 'int' }), line('2', { subJobCode: 'EXT' })]);
    const lineTasks = ['INTERIOR', 'INTERIOR'];
    // Two sub jobs linked to one task: one Acumatica key, different budget codes -> refused.
    expect(budgetKeyGroups(s, undefined, { tasks: lineTasks }).problems).toHaveLength(1);
    const { rows } = costBudgetRows(budget([line('1', { subJobCode: 'int' })]), {
      ...targets,
      lineTasks: ['INTERIOR'],
    });
    expect(rows[0].ProjectTaskID).toBe('INTERIOR');
  });
});
