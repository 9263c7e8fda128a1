/**
 * Change order exporters:
 *  - commitment change order (create_commitment_change_order) -> `ChangeOrder` Commitments lines against the
 *    exported subcontract or PO. Ordering between flows: a CCO whose commitment is not exported yet fails its
 *    preflight with a message saying so (the approver exports the commitment, then resends the CCO) rather than
 *    waiting, so nothing hangs on an approval that may never come;
 *  - prime contract change order (create_prime_contract_change_order) -> `ChangeOrder` RevenueBudget lines.
 * Both are found again by ExternalRefNbr = PROCORE-<id>. A released change order (status Closed) takes no more
 * changes: a re-export that would change it fails and says so.
 * Budget lines (RevenueBudget here, CostBudget for budget changes) are re-exported line by line: Acumatica keys
 * them by task x account group x cost code within the change order, and so do their line keys
 * ("CO000004:01:REVENUE:03-300"). Commitment lines have no stable identity in the contract (no line number;
 * positions shift when a row is deleted, so a retry could touch the wrong row): a re-export of a commitment
 * change order updates its header only.
 */
import { documentName } from '../../mappings/document';
import { pricedLineOf } from '../../mappings/money';
import { val } from '../../clients/acumatica/client';
import { eq } from '../../clients/acumatica/odata';
import type { ChangeOrderLineItem } from '../../clients/procore/client';
import { procoreMarker } from '../../lib/ids';
import { budgetKeyGroups, mapRevenueChangeOrder, type BudgetSnapshot, type BudgetTargets } from '../../mappings/budget';
import {
  changeOrderRoundingProblem,
  mapCommitmentChangeOrder,
  type ChangeOrderSnapshot,
  type ChangeOrderTargets,
} from '../../mappings/change-order';
import { findLink } from '../../store/links';
import type { LineIdentity } from '../../mappings/line-diff';
import { placeBudgetLines, REVENUE_ACCOUNT_GROUP, revenueLines } from './budgets';
import { defaultTaskOf } from './line-placement';
import { projectAndCostCodes, readWithLines } from './preflight';
import type { ExportContext, Exporter } from './types';

const BUDGET_KEY = ['ProjectTaskID', 'AccountGroup', 'CostCode'];

/** The key of a change-order budget row: the change order's key, then task, account group, cost code. */
export function budgetRowKey(docKey: string, row: Record<string, unknown>): string {
  return [docKey, ...BUDGET_KEY.map((f) => String(val(row[f]) ?? ''))].join(':');
}

/** Budget rows of a change order, identified by their budget key (Acumatica's own key for them). */
export function budgetKeyedLines(collection: 'CostBudget' | 'RevenueBudget'): LineIdentity {
  return { collection, rowKey: budgetRowKey, matchFields: BUDGET_KEY, keyFields: BUDGET_KEY };
}

/** A released (Closed) or rejected change order cannot change. */
export function changeOrderLocked(record: Record<string, unknown>): string | undefined {
  const status = String(val(record.Status) ?? '');
  if (status === 'Closed') return 'it is released in Acumatica (status Closed); enter the change as a new change order';
  if (status === 'Rejected') return 'it is rejected in Acumatica';
  return undefined;
}

/** Result of a change order whose budget rows are keyed by budget key. */
export function readBudgetChangeOrder(record: Record<string, unknown>, collection: 'CostBudget' | 'RevenueBudget') {
  const key = String(val(record.RefNbr));
  const lines = (record[collection] as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    acumaticaKey: key,
    acumaticaId: record.id as string | undefined,
    lineKeys: lines.map((l) => budgetRowKey(key, l)),
  };
}

export async function findChangeOrder(ctx: ExportContext, procoreId: string) {
  const [found] = await ctx.acumatica.list('ChangeOrder', {
    filter: eq('ExternalRefNbr', procoreMarker(procoreId)),
    expand: ['Commitments', 'RevenueBudget', 'CostBudget'],
    top: 2,
  });
  return found;
}

function readChangeOrder(record: Record<string, unknown>, collection: string) {
  const key = String(val(record.RefNbr));
  const lines = (record[collection] as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    acumaticaKey: key,
    acumaticaId: record.id as string | undefined,
    lineKeys: lines.map((_, i) => `${key}:${i + 1}`),
  };
}

/** What both change order snapshots say of their document: ids, number, label, date. */
function changeOrderHeader(
  co: { id: string | number; number?: string | null; title?: string | null; due_date?: string | null },
  lines: Array<{ id: string | number }>,
  projectId: string,
) {
  const { number, label } = documentName(co);
  return {
    procoreId: String(co.id),
    label,
    lineIds: lines.map((l) => String(l.id)),
    projectId,
    number,
    date: co.due_date ?? null,
  };
}

function lineOf(l: ChangeOrderLineItem) {
  return {
    procoreId: String(l.id),
    ...pricedLineOf(l),
    commitmentLineId: l.contract_line_item_id ?? null,
  };
}

export const commitmentChangeOrderExporter: Exporter<ChangeOrderSnapshot, ChangeOrderTargets> = {
  procoreEntity: 'commitment_change_order',
  externalDataItemType: 'change_order',
  acumaticaEntity: 'ChangeOrder',
  expand: ['Commitments'],
  lines: {
    procoreEntity: 'change_order_line_item',
    acumaticaEntity: 'ChangeOrderCommitment',
  },
  documentLockedReason: changeOrderLocked,

  async load(ctx, ref) {
    const [projectId, co, lines] = await readWithLines(ref, (c, p, id) => [
      ctx.procore.getCommitmentChangeOrder(c, p, id),
      ctx.procore.listCommitmentChangeOrderLineItems(c, p, id),
    ]);
    const commitmentId = String(co.contract_id ?? '');
    // Which kind of commitment it changes: the one the connector exported under that id.
    const isPo = Boolean(await findLink(ctx.db, ref.companyId, 'purchase_order_contract', commitmentId));
    return {
      ...changeOrderHeader(co, lines, projectId),
      commitmentId,
      commitmentType: isPo ? 'purchase_order_contract' : 'work_order_contract',
      lines: lines.map(lineOf),
    };
  },

  async preflight(ctx, c) {
    const problems: string[] = [];
    const commitment = await findLink(ctx.db, ctx.companyId, c.commitmentType, c.commitmentId);
    if (!commitment) {
      problems.push(
        `The commitment this change order belongs to (Procore id ${c.commitmentId}) has not been exported to Acumatica yet. Export the commitment first, then resend ${c.number}.`,
      );
    }
    const { projectKey, problems: projectProblems } = await projectAndCostCodes(
      ctx,
      c.projectId,
      c.number,
      c.lines.map((l) => l.costCode),
    );
    problems.push(...projectProblems);
    const rounding = changeOrderRoundingProblem(c);
    if (rounding) problems.push(rounding);
    if (!commitment || !projectKey) return { ok: false, problems };

    const entity = c.commitmentType === 'work_order_contract' ? 'Subcontract' : 'PurchaseOrder';
    const [doc] = await ctx.acumatica.list(entity, {
      filter: eq(entity === 'Subcontract' ? 'SubcontractNbr' : 'OrderNbr', commitment.acumaticaKey),
      expand: ['Details'],
      top: 1,
    });
    const lineNbrs: Record<string, number> = {};
    for (const l of c.lines) {
      if (!l.commitmentLineId) continue;
      const link = await findLink(ctx.db, ctx.companyId, 'commitment_line_item', l.commitmentLineId);
      if (link) lineNbrs[l.commitmentLineId] = Number(link.acumaticaKey.split(':').pop());
    }
    // A line that changes a commitment line goes to that line's task in Acumatica (so the change lands on the
    // line it changes); a new-scope line to the project's default task (Procore's change order lines carry no
    // WBS code the client reads yet: issue #12, left).
    const taskField = entity === 'Subcontract' ? 'Task' : 'ProjectTask';
    const taskOfLine = new Map(
      ((doc?.Details as Array<Record<string, unknown>> | undefined) ?? []).map((d) => [
        Number(val(d.LineNbr)),
        String(val(d[taskField]) ?? ''),
      ]),
    );
    const needsDefault = c.lines.some((l) => !l.commitmentLineId || !lineNbrs[l.commitmentLineId]);
    const defaultTask = needsDefault ? await defaultTaskOf(ctx, projectKey) : null;
    const lineTasks: string[] = [];
    for (const l of c.lines) {
      const nbr = l.commitmentLineId ? lineNbrs[l.commitmentLineId] : undefined;
      const task = nbr ? taskOfLine.get(nbr) || defaultTask : defaultTask;
      if (task) lineTasks.push(task);
      else
        problems.push(
          `Line "${l.description || l.procoreId}" of ${c.number} adds new scope, and Acumatica project ${projectKey} has no default task. Mark a default task on the project in Acumatica, then resend.`,
        );
    }
    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      targets: {
        projectKey,
        commitmentKey: commitment.acumaticaKey,
        vendorKey: String(val(doc?.VendorID) ?? ''),
        lineNbrs,
        lineTasks,
      },
    };
  },

  findExisting: (ctx, c) => findChangeOrder(ctx, c.procoreId),
  toAcumatica: mapCommitmentChangeOrder,
  readResult: (record) => readChangeOrder(record, 'Commitments'),
};

export const primeChangeOrderExporter: Exporter<BudgetSnapshot, BudgetTargets> = {
  procoreEntity: 'prime_change_order',
  externalDataItemType: 'change_order',
  acumaticaEntity: 'ChangeOrder',
  expand: ['RevenueBudget'],
  // Line links only: Procore keeps no ERP key on change order lines (the header's origin_id marks them).
  lines: { procoreEntity: 'prime_change_order_line_item', acumaticaEntity: 'ChangeOrderRevenueBudget' },
  lineIdentity: budgetKeyedLines('RevenueBudget'),
  documentLockedReason: changeOrderLocked,

  async load(ctx, ref) {
    const [projectId, co, lines] = await readWithLines(ref, (c, p, id) => [
      ctx.procore.getPrimeChangeOrder(c, p, id),
      ctx.procore.listPrimeChangeOrderLineItems(c, p, id),
    ]);
    return {
      ...changeOrderHeader(co, lines, projectId),
      lines: revenueLines(lines),
    };
  },

  async preflight(ctx, s) {
    const { projectKey, problems } = await projectAndCostCodes(
      ctx,
      s.projectId,
      s.label,
      s.lines.map((l) => l.costCode),
    );
    if (!projectKey) return { ok: false, problems };
    const placed = await placeBudgetLines(ctx, s, projectKey);
    if (!placed.ok) return { ok: false, problems: [...problems, ...placed.problems] };
    const tasks = placed.tasks;
    problems.push(...budgetKeyGroups(s, () => REVENUE_ACCOUNT_GROUP, { sumSameCode: false, tasks }).problems);
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, targets: { projectKey, revenueAccountGroup: REVENUE_ACCOUNT_GROUP, lineTasks: tasks } };
  },

  findExisting: (ctx, s) => findChangeOrder(ctx, s.procoreId),
  toAcumatica: mapRevenueChangeOrder,
  readResult: (record) => readBudgetChangeOrder(record, 'RevenueBudget'),
};
