/**
 * Budget change exporter: an approved Procore budget change -> one Acumatica `ChangeOrder` with CostBudget lines
 * (task x cost code x account group), like Procore's connector ("Budget Modifications -> Cost Budget Change
 * Orders").
 *
 * How a budget change reaches the connector. The ERP events dictionary has no request of its own for budget
 * changes; `create_budget` / `update_budget` carry `transactions[]` "of type Erp::OriginalEstimateTransaction
 * etc.". The connector reads that as: an approved budget change of a synced budget arrives as an `update_budget`
 * request whose request detail names the budget change (item_type `budget_change`) and whose transactions include
 * one `Erp::BudgetChangeTransaction` per adjustment line (the Procore simulator raises exactly that; README,
 * "Exports"). The budget's own `update_budget` (item_type `budget`) stays with the budget exporter.
 *
 * Exactly once: the change order is found again by ExternalRefNbr = PROCORE-<budget change id> before any create;
 * its lines are re-exported line by line by their budget key (change-orders.ts). Procore's ERP keys are the
 * transactions: after Acumatica committed, each is marked synced with the key of the line it became
 * (erp_transactions/sync); the connector links the change order and its lines. There is no External Data
 * item_type for budget changes.
 * Preflight: the project is exported, every cost type has its account group (the cost-type import), the cost
 * codes exist in Acumatica, and no two lines share a budget key (Acumatica holds one line per key).
 */
import {
  mapCostChangeOrder,
  budgetKeyGroups,
  unmappedCostTypes,
  type BudgetSnapshot,
  type BudgetTargets,
} from '../../mappings/budget';
import { placeBudgetLines, transactionUpdates, type BudgetTransaction } from './budgets';
import { budgetKeyedLines, changeOrderLocked, findChangeOrder, readBudgetChangeOrder } from './change-orders';
import { findOrCreate } from './find-or-create';
import { projectAndCostCodes } from './preflight';
import type { Exporter } from './types';

export const BUDGET_CHANGE_TRANSACTION = 'Erp::BudgetChangeTransaction';

export const budgetChangeExporter: Exporter<BudgetSnapshot, BudgetTargets> = {
  procoreEntity: 'budget_change',
  acumaticaEntity: 'ChangeOrder',
  expand: ['CostBudget'],
  lines: { procoreEntity: 'budget_change_line_item', acumaticaEntity: 'ChangeOrderCostBudget' },
  lineIdentity: budgetKeyedLines('CostBudget'),
  documentLockedReason: changeOrderLocked,

  async load(ctx, ref) {
    const request = await ctx.procore.getErpRequest(ref.companyId, ref.erpRequestId);
    const data = (request.request_data ?? {}) as { transactions?: BudgetTransaction[] };
    const mine = (data.transactions ?? []).filter(
      (t) => t.type === BUDGET_CHANGE_TRANSACTION && String(t.budget_change_id) === ref.procoreId,
    );
    const number = mine[0]?.budget_change_number;
    const title = mine[0]?.budget_change_title ?? '';
    const label = `Budget change #${number ?? ref.procoreId} ${title}`.trim();
    return {
      procoreId: ref.procoreId,
      label,
      lineIds: mine.map((t) => String(t.budget_change_line_item_id)),
      projectId: ref.projectId ?? '',
      number: number == null ? null : String(number),
      lines: mine.map((t) => ({
        procoreId: String(t.budget_change_line_item_id),
        subJobCode: t.sub_job_code ?? null,
        costCode: t.cost_code?.full_code ?? '',
        costTypeCode: t.line_item_type?.code ?? null,
        accountGroup: t.line_item_type?.origin_id ?? null,
        description: t.description ?? '',
        amount: String(t.amount ?? '0'),
        transactionId: t.id == null ? null : String(t.id),
      })),
    };
  },

  async preflight(ctx, s) {
    if (s.lines.length === 0) {
      return {
        ok: false,
        problems: [`Procore sent no lines for ${s.label}: resend it from the ERP Integrations tool.`],
      };
    }
    const { projectKey, problems } = await projectAndCostCodes(
      ctx,
      s.projectId,
      s.label,
      s.lines.map((l) => l.costCode),
    );
    const unmapped = unmappedCostTypes(s);
    if (unmapped.length > 0) {
      problems.push(
        `Cost type${unmapped.length > 1 ? 's' : ''} ${unmapped.join(', ')} of ${s.label} ${unmapped.length > 1 ? 'have' : 'has'} no Acumatica account group. Refresh cost types from Acumatica (ERP Integrations, Refresh Cost Types), then resend.`,
      );
    }
    if (!projectKey) return { ok: false, problems };
    const placed = await placeBudgetLines(ctx, s, projectKey);
    if (!placed.ok) return { ok: false, problems: [...problems, ...placed.problems] };
    problems.push(...budgetKeyGroups(s, undefined, { sumSameCode: false, tasks: placed.tasks }).problems);
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, targets: { projectKey, lineTasks: placed.tasks } };
  },

  findExisting: (ctx, s) => findChangeOrder(ctx, s.procoreId),
  toAcumatica: mapCostChangeOrder,
  readResult: (record) => readBudgetChangeOrder(record, 'CostBudget'),

  // Find-or-create as every marker-found export, then the transactions to mark synced in Procore.
  async write(ctx, s, t) {
    const result = await findOrCreate(budgetChangeExporter, ctx, s, t);
    return { ...result, erpTransactions: transactionUpdates(s, result.lineKeys) };
  },
};
