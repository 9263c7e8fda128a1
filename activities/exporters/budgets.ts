/**
 * Budget exporters, written as Acumatica `ProjectBudget` lines keyed naturally (project x task x account group x
 * cost code x type): a PUT by those keys updates the line if it exists, so the export is idempotent without a
 * marker and a re-export (update_budget) rewrites the same lines.
 *  - budget (create_budget / update_budget): cost lines, read from the ERP request's job_costs as Procore sends
 *    them; a cost type maps to the account group that is its origin_id (the cost-type import sets it); each
 *    line's Erp::OriginalEstimateTransaction is marked synced (erp_transactions/sync) with the line's key;
 *  - prime contract: revenue lines, line by line, or one summarised line like Procore's own connector when the
 *    company wants it (SUMMARISE_PRIME_CONTRACT).
 * Lines that share an Acumatica key are summed into one line when they are of one Procore budget code (only the
 * first is linked to it; every line's transaction is marked synced with its key), refused in the preflight naming
 * both lines when they are not (mappings/budget.ts budgetKeyGroups).
 */
import { val } from '../../clients/acumatica/client';
import {
  budgetKeyGroups,
  costBudgetRows,
  revenueBudgetRows,
  unmappedCostTypes,
  type BudgetRows,
  type BudgetSnapshot,
  type BudgetTargets,
} from '../../mappings/budget';
import { parseWbsFlatCode } from '../../clients/procore/schemas-financial';
import { lineTasks } from './line-placement';
import { projectAndCostCodes, readWithLines } from './preflight';
import type { ExportContext, ExportedRecord, Exporter } from './types';

/** The revenue account group of the demo tenant and Acumatica's Construction template. */
export const REVENUE_ACCOUNT_GROUP = 'REVENUE';

/** Procore's connector sends a prime contract as one revenue line; line-level detail is our default. */
export const SUMMARISE_PRIME_CONTRACT = false;

/** An entry of the request's `transactions[]` (as the Procore simulator and the events dictionary show them). */
export interface BudgetTransaction {
  id?: string | number;
  type?: string;
  budget_line_item_id?: string | number;
  budget_change_id?: string | number;
  budget_change_number?: number | string | null;
  budget_change_title?: string | null;
  budget_change_line_item_id?: string | number;
  sub_job_code?: string | null;
  cost_code?: { full_code?: string | null } | null;
  line_item_type?: { code?: string | null; origin_id?: string | null } | null;
  description?: string | null;
  amount?: string | number | null;
  origin_id?: string | null;
}

/** The transactions to mark synced for lines written under `lineKeys` (lines without a transaction are skipped). */
export function transactionUpdates(s: BudgetSnapshot, lineKeys: string[]): ExportedRecord['erpTransactions'] {
  const updates = s.lines.flatMap((l, i) =>
    l.transactionId && lineKeys[i] ? [{ id: l.transactionId, originId: lineKeys[i] }] : [],
  );
  return updates.length > 0 ? { projectId: s.projectId, updates } : undefined;
}

interface JobCost {
  budget_line_item_id?: string;
  sub_job_code?: string | null;
  cost_code?: { full_code?: string | null } | null;
  line_item_type?: { code?: string | null; origin_id?: string | null } | null;
  description?: string | null;
  original_estimate?: string | number | null;
}

/**
 * Writes the rows (one PUT each, by its natural key) and returns the result: `lineKeys` give each Procore line the
 * key of its row, but only the first line of a summed row is linked to it ('' for the others: Acumatica keys are
 * linked once); `transactionKeys` give every line its row's key (each line's transaction is marked synced).
 */
async function writeBudgetLines(
  ctx: ExportContext,
  t: BudgetTargets,
  { rows, rowOfLine }: BudgetRows,
  key: string,
  { linkLines }: { linkLines: boolean },
): Promise<ExportedRecord & { transactionKeys: string[] }> {
  const rowKeys: string[] = [];
  for (const row of rows) {
    const saved = await ctx.acumatica.put('ProjectBudget', row);
    rowKeys.push(
      [
        t.projectKey,
        val(saved.ProjectTaskID),
        val(saved.AccountGroup),
        val(saved.CostCode) ?? '',
        val(saved.Type),
      ].join(':'),
    );
  }
  const transactionKeys = rowOfLine.map((r) => rowKeys[r]);
  const lineKeys = linkLines ? rowOfLine.map((r, i) => (rowOfLine.indexOf(r) === i ? rowKeys[r] : '')) : [];
  return { acumaticaKey: key, created: true, lineKeys, transactionKeys };
}

/** The task of each budget line (mappings/line-placement.ts), or the problems naming the lines without one. */
export async function placeBudgetLines(ctx: ExportContext, s: BudgetSnapshot, projectKey: string) {
  return lineTasks(ctx, {
    procoreProjectId: s.projectId,
    projectKey,
    documentLabel: s.label,
    lines: s.lines.map((l) => ({ label: l.description || l.procoreId, subJobCode: l.subJobCode })),
  });
}

async function budgetPreflight(ctx: ExportContext, s: BudgetSnapshot, checkCostTypes: boolean) {
  const { projectKey, problems } = await projectAndCostCodes(
    ctx,
    s.projectId,
    s.label,
    s.lines.map((l) => l.costCode),
  );
  if (!projectKey) return { ok: false as const, problems };
  const placed = await placeBudgetLines(ctx, s, projectKey);
  if (!placed.ok) problems.push(...placed.problems);
  const tasks = placed.ok ? placed.tasks : undefined;
  const unmapped = checkCostTypes ? unmappedCostTypes(s) : [];
  if (unmapped.length > 0) {
    problems.push(
      `Cost type${unmapped.length > 1 ? 's' : ''} ${unmapped.join(', ')} ${unmapped.length > 1 ? 'have' : 'has'} no Acumatica account group. Refresh cost types from Acumatica (ERP Integrations, Refresh Cost Types), then resend.`,
    );
  } else if (tasks && (checkCostTypes || !SUMMARISE_PRIME_CONTRACT)) {
    // Lines sharing an Acumatica budget key: summed when of one budget code, refused when not.
    const group = checkCostTypes ? undefined : () => REVENUE_ACCOUNT_GROUP;
    problems.push(...budgetKeyGroups(s, group, { tasks }).problems);
  }
  if (problems.length > 0 || !tasks) return { ok: false as const, problems };
  return { ok: true as const, targets: { projectKey, revenueAccountGroup: REVENUE_ACCOUNT_GROUP, lineTasks: tasks } };
}

/** Procore contract or change order lines as revenue lines (no cost type: the revenue group). */
export function revenueLines(
  lines: Array<{
    id: string;
    amount: string;
    description?: string | null;
    cost_code?: { full_code?: string | null; code?: string | null } | null;
    wbs_code?: { flat_code?: string | null } | null;
  }>,
): BudgetSnapshot['lines'] {
  return lines.map((l) => ({
    procoreId: String(l.id),
    // The sub job segment of the line's WBS code (prime contract lines carry one; change order lines do not).
    subJobCode: parseWbsFlatCode(l.wbs_code?.flat_code).subJobCode,
    costCode: l.cost_code?.full_code ?? l.cost_code?.code ?? '',
    costTypeCode: null,
    accountGroup: null,
    description: l.description ?? '',
    amount: l.amount,
  }));
}

export const budgetExporter: Exporter<BudgetSnapshot, BudgetTargets> = {
  procoreEntity: 'budget',
  externalDataItemType: 'budget',
  acumaticaEntity: 'ProjectBudget',
  expand: [],
  lines: { procoreEntity: 'budget_line_item', acumaticaEntity: 'ProjectBudget' },

  async load(ctx, ref) {
    const request = await ctx.procore.getErpRequest(ref.companyId, ref.erpRequestId);
    const data = (request.request_data ?? {}) as { job_costs?: JobCost[]; transactions?: BudgetTransaction[] };
    const jobCosts = data.job_costs ?? [];
    const estimates = new Map(
      (data.transactions ?? [])
        .filter((t) => t.type === 'Erp::OriginalEstimateTransaction' && t.id != null)
        .map((t) => [String(t.budget_line_item_id), String(t.id)]),
    );
    return {
      procoreId: ref.procoreId,
      label: `Budget of project ${ref.projectId}`,
      lineIds: jobCosts.map((j) => String(j.budget_line_item_id)),
      projectId: ref.projectId ?? '',
      lines: jobCosts.map((j) => ({
        procoreId: String(j.budget_line_item_id),
        subJobCode: j.sub_job_code ?? null,
        costCode: j.cost_code?.full_code ?? '',
        costTypeCode: j.line_item_type?.code ?? null,
        accountGroup: j.line_item_type?.origin_id ?? null,
        description: j.description ?? '',
        amount: String(j.original_estimate ?? '0'),
        transactionId: estimates.get(String(j.budget_line_item_id)) ?? null,
      })),
    };
  },

  preflight: (ctx, s) => budgetPreflight(ctx, s, true),
  previewRows: (s, t) => costBudgetRows(s, t).rows,
  findExisting: async () => undefined,
  toAcumatica: () => ({}),
  readResult: () => ({ acumaticaKey: '', lineKeys: [] }),

  // The original-estimate transactions are marked synced with the budget line each became.
  async write(ctx, s, t) {
    const { transactionKeys, ...result } = await writeBudgetLines(
      ctx,
      t,
      costBudgetRows(s, t),
      `${t.projectKey}:cost-budget`,
      { linkLines: true },
    );
    return { ...result, erpTransactions: transactionUpdates(s, transactionKeys) };
  },
};

export const primeContractExporter: Exporter<BudgetSnapshot, BudgetTargets> = {
  procoreEntity: 'prime_contract',
  externalDataItemType: 'prime_contract',
  acumaticaEntity: 'ProjectBudget',
  expand: [],
  lines: SUMMARISE_PRIME_CONTRACT
    ? undefined
    : {
        procoreEntity: 'prime_contract_line_item',
        acumaticaEntity: 'ProjectBudget',
        externalDataItemType: 'line_item',
      },

  async load(ctx, ref) {
    const [projectId, contract, lines] = await readWithLines(ref, (c, p, id) => [
      ctx.procore.getPrimeContract(c, p, id),
      ctx.procore.listPrimeContractLineItems(c, p, id),
    ]);
    const number = contract.number ?? String(contract.id);
    return {
      procoreId: String(contract.id),
      label: `${number} ${contract.title ?? ''}`.trim(),
      lineIds: lines.map((l) => String(l.id)),
      projectId,
      lines: revenueLines(lines),
    };
  },

  preflight: (ctx, s) => budgetPreflight(ctx, s, false),
  previewRows: (s, t) => revenueBudgetRows(s, t, { summarise: SUMMARISE_PRIME_CONTRACT }).rows,
  findExisting: async () => undefined,
  toAcumatica: () => ({}),
  readResult: () => ({ acumaticaKey: '', lineKeys: [] }),

  async write(ctx, s, t) {
    const { transactionKeys: _unused, ...result } = await writeBudgetLines(
      ctx,
      t,
      revenueBudgetRows(s, t, { summarise: SUMMARISE_PRIME_CONTRACT }),
      `${t.projectKey}:revenue-budget`,
      { linkLines: !SUMMARISE_PRIME_CONTRACT },
    );
    return result;
  },
};
