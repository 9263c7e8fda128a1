/**
 * Procore budgets and their changes -> Acumatica project budget lines. Pure; unit-tested.
 *  - budget (create_budget / update_budget): `ProjectBudget` cost lines, keyed in Acumatica by project x task x
 *    account group x cost code; the PUT by those keys is an upsert, so a retry writes the same lines again;
 *  - prime contract: `ProjectBudget` revenue lines, line by line, or one summarised line (Procore's own
 *    connector's behaviour) when the company asks for it;
 *  - budget change / prime contract change order: `ChangeOrder` with CostBudget / RevenueBudget lines, found again
 *    by ExternalRefNbr = PROCORE-<id>; Acumatica keeps one line per task x account group x cost code on a change
 *    order, so lines repeating a key are refused before export (repeatedBudgetKeys).
 * Procore sub jobs become tasks (mappings/project.ts); lines without one go to the default task. A cost line's
 * account group is its Procore cost type's ERP key (origin_id, set by the cost-type import).
 */
import { procoreMarker } from '../lib/ids';
import { documentAmounts, money, sumMoney } from './money';
import { DEFAULT_TASK, taskIdFor } from './project';

export interface BudgetLine {
  procoreId: string;
  subJobCode: string | null;
  costCode: string;
  costTypeCode: string | null;
  /** The Acumatica account group the line's cost type is linked to; null when it is not linked (yet). */
  accountGroup: string | null;
  description: string;
  amount: string;
  /** The create_budget / update_budget transaction that carries the line, when Procore sent one. */
  transactionId?: string | null;
}

export interface BudgetSnapshot {
  procoreId: string;
  label: string;
  lineIds: string[];
  projectId: string;
  /** For change orders: date and number shown in Acumatica. */
  date?: string | null;
  number?: string | null;
  lines: BudgetLine[];
}

export interface BudgetTargets {
  projectKey: string;
  /** The account group of revenue lines (prime contracts). */
  revenueAccountGroup?: string;
}

const DESCRIPTION_MAX = 256;

export function taskOf(line: Pick<BudgetLine, 'subJobCode'>): string {
  return line.subJobCode ? taskIdFor({ code: line.subJobCode }) : DEFAULT_TASK.code;
}

/** Cost types the lines use that have no account group yet. */
export function unmappedCostTypes(s: BudgetSnapshot): string[] {
  return [...new Set(s.lines.filter((l) => !l.accountGroup).map((l) => l.costTypeCode ?? '(none)'))];
}

/**
 * Lines that share an Acumatica budget key (task x account group x cost code): Acumatica holds one change-order
 * budget line per key, so each group here is a problem for the approver. Labels of the lines, per repeated key.
 */
export function repeatedBudgetKeys(s: BudgetSnapshot): string[][] {
  const groups = new Map<string, BudgetLine[]>();
  for (const l of s.lines) {
    const key = [taskOf(l), l.accountGroup ?? l.costTypeCode ?? '', l.costCode.toUpperCase()].join('|');
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.map((l) => `${l.subJobCode ?? DEFAULT_TASK.code} ${l.costCode} ${l.costTypeCode ?? ''}`.trim()));
}

/** The lines' amounts under the rounding rule (money.ts): they add up to the exact total of the Procore lines. */
function lineAmounts(s: BudgetSnapshot): number[] {
  return documentAmounts(s.lines.map((l) => ({ amount: l.amount }))).amounts;
}

export function mapCostBudgetLines(s: BudgetSnapshot, t: BudgetTargets): Array<Record<string, unknown>> {
  const amounts = lineAmounts(s);
  return s.lines.map((l, i) => ({
    ProjectID: t.projectKey,
    ProjectTaskID: taskOf(l),
    AccountGroup: l.accountGroup,
    CostCode: l.costCode,
    Type: 'Cost',
    Description: l.description.slice(0, DESCRIPTION_MAX),
    OriginalBudgetedAmount: amounts[i],
  }));
}

export function mapRevenueBudgetLines(
  s: BudgetSnapshot,
  t: BudgetTargets,
  { summarise }: { summarise: boolean },
): Array<Record<string, unknown>> {
  const group = t.revenueAccountGroup ?? 'REVENUE';
  if (summarise) {
    return [
      {
        ProjectID: t.projectKey,
        ProjectTaskID: DEFAULT_TASK.code,
        AccountGroup: group,
        Type: 'Revenue',
        Description: s.label.slice(0, DESCRIPTION_MAX),
        OriginalBudgetedAmount: money(sumMoney(s.lines.map((l) => l.amount))),
      },
    ];
  }
  const amounts = lineAmounts(s);
  return s.lines.map((l, i) => ({
    ProjectID: t.projectKey,
    ProjectTaskID: taskOf(l),
    AccountGroup: group,
    CostCode: l.costCode,
    Type: 'Revenue',
    Description: l.description.slice(0, DESCRIPTION_MAX),
    OriginalBudgetedAmount: amounts[i],
  }));
}

function changeOrderHeader(s: BudgetSnapshot, t: BudgetTargets) {
  return {
    ProjectID: t.projectKey,
    ExternalRefNbr: procoreMarker(s.procoreId),
    Description: s.label.slice(0, DESCRIPTION_MAX),
    ...(s.date ? { ChangeDate: s.date } : {}),
  };
}

export function mapCostChangeOrder(s: BudgetSnapshot, t: BudgetTargets): Record<string, unknown> {
  const amounts = lineAmounts(s);
  return {
    ...changeOrderHeader(s, t),
    CostBudget: s.lines.map((l, i) => ({
      ProjectTaskID: taskOf(l),
      AccountGroup: l.accountGroup,
      CostCode: l.costCode,
      Description: l.description.slice(0, DESCRIPTION_MAX),
      Amount: amounts[i],
    })),
  };
}

export function mapRevenueChangeOrder(s: BudgetSnapshot, t: BudgetTargets): Record<string, unknown> {
  const amounts = lineAmounts(s);
  return {
    ...changeOrderHeader(s, t),
    RevenueBudget: s.lines.map((l, i) => ({
      ProjectTaskID: taskOf(l),
      AccountGroup: t.revenueAccountGroup ?? 'REVENUE',
      CostCode: l.costCode,
      Description: l.description.slice(0, DESCRIPTION_MAX),
      Amount: amounts[i],
    })),
  };
}
