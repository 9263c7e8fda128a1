/**
 * Procore budgets and their changes -> Acumatica project budget lines. Pure; unit-tested.
 *  - budget (create_budget / update_budget): `ProjectBudget` cost lines, keyed in Acumatica by project x task x
 *    account group x cost code; the PUT by those keys is an upsert, so a retry writes the same lines again. Lines
 *    of one Procore budget code that share a key are summed into one line; lines of different budget codes that
 *    would share one are refused before export (budgetKeyGroups), never written one over the other;
 *  - prime contract: `ProjectBudget` revenue lines, line by line, or one summarised line (Procore's own
 *    connector's behaviour) when the company asks for it;
 *  - budget change / prime contract change order: `ChangeOrder` with CostBudget / RevenueBudget lines, found again
 *    by ExternalRefNbr = PROCORE-<id>; Acumatica keeps one line per task x account group x cost code on a change
 *    order, so lines repeating a key are refused before export (repeatedBudgetKeys).
 * Procore sub jobs become tasks (mappings/project.ts); lines without one go to the default task. A cost line's
 * account group is its Procore cost type's ERP key (origin_id, set by the cost-type import).
 */
import { procoreMarker } from '../lib/ids';
import { documentAmounts, money, sumMoney, sumMoneyExact } from './money';
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
  /**
   * The task of each line, in order, placed by the exporter's preflight (mappings/line-placement.ts: the sub job's
   * linked task, the project's default task for a line without a sub job). Without it: the sub job code, else 01.
   */
  lineTasks?: string[];
}

const DESCRIPTION_MAX = 256;

export function taskOf(line: Pick<BudgetLine, 'subJobCode'>, placed?: string): string {
  if (placed) return placed;
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

/** Procore's budget code of a line, as Procore shows it: sub job, cost code and cost type ("INT.03-300.S"). */
export function budgetCodeOf(l: Pick<BudgetLine, 'subJobCode' | 'costCode' | 'costTypeCode'>): string {
  return [l.subJobCode, l.costCode, l.costTypeCode].filter((p) => p !== null && p !== '').join('.');
}

/** The Acumatica budget key of a line (task x account group x cost code), compared as Acumatica does (any case). */
function acumaticaKeyOf(l: BudgetLine, accountGroup: string | null, task?: string): string {
  return [taskOf(l, task), accountGroup ?? l.costTypeCode ?? '', l.costCode.trim()]
    .map((p) => p.toUpperCase())
    .join(' × ');
}

export interface BudgetRows {
  /** The Acumatica budget lines, one per key, in the order of their first Procore line. */
  rows: Array<Record<string, unknown>>;
  /** For each Procore line, the index of the row it went to. */
  rowOfLine: number[];
}

/**
 * Key collisions (issue #12): Procore lines that map to the same Acumatica budget line (task x account group x cost
 * code). Lines of one Procore budget code mean the same thing and are summed into one line; lines of different
 * budget codes (sub jobs or cost codes differing only in case, two cost types linked to one account group) are
 * not: each such pair is a problem naming both Procore lines. `accountGroup` gives a line's group (revenue lines:
 * the revenue group).
 */
export function budgetKeyGroups(
  s: BudgetSnapshot,
  accountGroup: (l: BudgetLine) => string | null = (l) => l.accountGroup,
  { sumSameCode = true, tasks }: { sumSameCode?: boolean; tasks?: string[] } = {},
): { groups: number[][]; problems: string[] } {
  const byKey = new Map<string, number[]>();
  s.lines.forEach((l, i) => {
    const key = acumaticaKeyOf(l, accountGroup(l), tasks?.[i]);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const problems: string[] = [];
  const label = (i: number) => {
    const l = s.lines[i];
    return `"${l.description || l.procoreId}" (budget code ${budgetCodeOf(l)}, Procore line ${l.procoreId})`;
  };
  for (const [key, idx] of byKey) {
    const first = idx[0];
    if (!sumSameCode && idx.length > 1) {
      // A change order holds one budget line per key: its lines are never summed (each is a line of the change).
      problems.push(
        `Lines ${label(first)} and ${label(idx[1])} of ${s.label} change the same Acumatica budget line ` +
          `${key} (task × account group × cost code); an Acumatica change order holds one ` +
          `line for each. Nothing was sent: combine them in Procore, then resend.`,
      );
      continue;
    }
    const other = idx.find((i) => budgetCodeOf(s.lines[i]) !== budgetCodeOf(s.lines[first]));
    if (other === undefined) continue;
    problems.push(
      `Lines ${label(first)} and ${label(other)} of ${s.label} would both become the Acumatica budget line ` +
        `${key} (task × account group × cost code), but they are different budget codes. ` +
        `Nothing was sent: give them codes that differ in Acumatica (link their cost types to different account ` +
        `groups, or correct the sub job or cost code), or combine them in Procore, then resend.`,
    );
  }
  return { groups: [...byKey.values()], problems };
}

/** Rows of the lines grouped by key (amounts summed exactly, then rounded under the rule of money.ts). */
function groupedRows(
  s: BudgetSnapshot,
  accountGroup: (l: BudgetLine) => string | null,
  tasks: string[] | undefined,
  row: (l: BudgetLine, amount: number, i: number) => Record<string, unknown>,
): BudgetRows {
  const { groups } = budgetKeyGroups(s, accountGroup, { tasks });
  const rowOfLine: number[] = new Array<number>(s.lines.length);
  groups.forEach((g, r) => g.forEach((i) => (rowOfLine[i] = r)));
  const { amounts } = documentAmounts(groups.map((g) => ({ amount: sumMoneyExact(g.map((i) => s.lines[i].amount)) })));
  return { rows: groups.map((g, r) => row(s.lines[g[0]], amounts[r], g[0])), rowOfLine };
}

export function costBudgetRows(s: BudgetSnapshot, t: BudgetTargets): BudgetRows {
  return groupedRows(
    s,
    (l) => l.accountGroup,
    t.lineTasks,
    (l, amount, i) => ({
      ProjectID: t.projectKey,
      ProjectTaskID: taskOf(l, t.lineTasks?.[i]),
      AccountGroup: l.accountGroup,
      CostCode: l.costCode,
      Type: 'Cost',
      Description: l.description.slice(0, DESCRIPTION_MAX),
      OriginalBudgetedAmount: amount,
    }),
  );
}

export function mapCostBudgetLines(s: BudgetSnapshot, t: BudgetTargets): Array<Record<string, unknown>> {
  return costBudgetRows(s, t).rows;
}

export function revenueBudgetRows(
  s: BudgetSnapshot,
  t: BudgetTargets,
  { summarise }: { summarise: boolean },
): BudgetRows {
  const group = t.revenueAccountGroup ?? 'REVENUE';
  if (summarise) {
    return {
      rows: [
        {
          ProjectID: t.projectKey,
          ProjectTaskID: DEFAULT_TASK.code,
          AccountGroup: group,
          Type: 'Revenue',
          Description: s.label.slice(0, DESCRIPTION_MAX),
          OriginalBudgetedAmount: money(sumMoney(s.lines.map((l) => l.amount))),
        },
      ],
      rowOfLine: s.lines.map(() => 0),
    };
  }
  return groupedRows(
    s,
    () => group,
    t.lineTasks,
    (l, amount, i) => ({
      ProjectID: t.projectKey,
      ProjectTaskID: taskOf(l, t.lineTasks?.[i]),
      AccountGroup: group,
      CostCode: l.costCode,
      Type: 'Revenue',
      Description: l.description.slice(0, DESCRIPTION_MAX),
      OriginalBudgetedAmount: amount,
    }),
  );
}

export function mapRevenueBudgetLines(
  s: BudgetSnapshot,
  t: BudgetTargets,
  opts: { summarise: boolean },
): Array<Record<string, unknown>> {
  return revenueBudgetRows(s, t, opts).rows;
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
      ProjectTaskID: taskOf(l, t.lineTasks?.[i]),
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
      ProjectTaskID: taskOf(l, t.lineTasks?.[i]),
      AccountGroup: t.revenueAccountGroup ?? 'REVENUE',
      CostCode: l.costCode,
      Description: l.description.slice(0, DESCRIPTION_MAX),
      Amount: amounts[i],
    })),
  };
}
