/**
 * Budget import (company-wide, on demand): Acumatica `ProjectBudget` cost lines -> budget line items of the
 * linked Procore project, one per budget code (sub job x cost code x cost type). A line on a project without a
 * Procore link, or whose task, cost code or account group has no Procore counterpart, goes to the exception list;
 * the rest of the page is written.
 *
 * Idempotent: lines are written through `POST /budget_line_items/sync` by WBS code, which updates the line of that
 * budget code when it exists, so a retried page rewrites the same lines. A Procore line the connector has no link
 * for is adopted when its amount is the same and reported as a conflict when not (never overwritten).
 */
import { unwrap, val } from '../../clients/acumatica/client';
import { and, eq, gt } from '../../clients/acumatica/odata';
import type { ProcoreClient } from '../../clients/procore/client';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors';
import {
  budgetCodeKey,
  budgetLineFrom,
  budgetLineKey,
  existingLineDecision,
  PROCORE_PROJECT_FIELD,
  resolveBudgetLine,
  subJobForTask,
  type BudgetLinePayload,
  type BudgetLineRow,
} from '../../mappings/budget-import';
import { linkedProcoreIds } from './direct-costs';
import type { ImportContext, Importer, WriteItem, WriteOutcome } from './types';

type Item = WriteItem<BudgetLinePayload>;

/** Refusals a retry cannot fix (they go to the exception list); anything else fails the page, which is retried. */
function isRefusal(err: unknown): err is Error {
  return err instanceof ValidationError || err instanceof ConflictError || err instanceof NotFoundError;
}

/** The project's budget lines by budget code, from the standard budget view's detail rows. */
async function budgetLinesByCode(procore: ProcoreClient, companyId: string, projectId: string) {
  const [view] = await procore.listBudgetViews(companyId, projectId);
  const rows = view ? await procore.listBudgetDetailRows(companyId, projectId, String(view.id)) : [];
  return new Map(
    rows
      .filter((r) => r.cost_code_id && r.category_id)
      .map((r) => [
        budgetCodeKey(r.biller_type === 'SubJob' ? (r.biller_id ?? null) : null, r.cost_code_id!, r.category_id!),
        { id: String(r.id), amount: r.original_budget_amount ?? null },
      ]),
  );
}

/** The WBS code of each budget code of the project (segment items name the sub job, cost code and cost type). */
async function wbsCodesByBudgetCode(procore: ProcoreClient, companyId: string, projectId: string) {
  const out = new Map<string, string>();
  for (const code of await procore.listWbsCodes(companyId, projectId)) {
    const segment = (type: string) => code.segment_items.find((i) => i.segment?.type === type)?.id;
    const costCode = segment('cost_code');
    const costType = segment('cost_type');
    if (costCode && costType) out.set(budgetCodeKey(segment('sub_job') ?? null, costCode, costType), code.id);
  }
  return out;
}

async function writeProjectLines(
  ctx: ImportContext,
  projectId: string,
  items: Item[],
  links: { costTypes: Map<string, string>; tasks: Map<string, string> },
): Promise<WriteOutcome[]> {
  const [costCodeList, subJobList, wbsCodes, existing] = await Promise.all([
    ctx.procore.listProjectCostCodes(ctx.companyId, projectId),
    ctx.procore.listSubJobs(ctx.companyId, projectId),
    wbsCodesByBudgetCode(ctx.procore, ctx.companyId, projectId),
    budgetLinesByCode(ctx.procore, ctx.companyId, projectId),
  ]);
  const costCodes = new Map<string, string>();
  for (const c of costCodeList)
    for (const code of [c.code, c.full_code]) if (code) costCodes.set(code.toUpperCase(), String(c.id));
  const subJobs = new Map(
    items.map((i) => [
      i.payload.task,
      subJobForTask(`${i.payload.acumatica_project}:${i.payload.task}`, i.payload.task, {
        linked: links.tasks,
        subJobs: subJobList.map((s) => ({ id: String(s.id), code: s.code ?? null })),
      }),
    ]),
  );
  const targets = { subJobs, costCodes, costTypes: links.costTypes, wbsCodes };

  const outcomes: WriteOutcome[] = [];
  const ready: Array<{ item: Item; row: BudgetLineRow }> = [];
  for (const item of items) {
    const resolved = resolveBudgetLine(item.payload, targets);
    if (!resolved.ok) {
      outcomes.push({ acumaticaKey: item.acumaticaKey, error: resolved.reason });
      continue;
    }
    const current = existing.get(resolved.budgetCode);
    if (!item.procoreId && current) {
      const decision = existingLineDecision(item.payload, current);
      if ('conflict' in decision) outcomes.push({ acumaticaKey: item.acumaticaKey, error: decision.conflict });
      else outcomes.push({ acumaticaKey: item.acumaticaKey, procoreId: decision.adopt, unchanged: true });
      continue;
    }
    ready.push({ item, row: resolved.row });
  }
  if (ready.length === 0) return outcomes;

  try {
    const written = await ctx.procore.syncBudgetLineItems(
      ctx.companyId,
      projectId,
      ready.map((r) => r.row),
    );
    const byCode = new Map(written.map((l) => [String(l.wbs_code?.id ?? ''), String(l.id)]));
    for (const { item, row } of ready) {
      const procoreId = byCode.get(row.wbs_code_id);
      outcomes.push(
        procoreId
          ? { acumaticaKey: item.acumaticaKey, procoreId }
          : { acumaticaKey: item.acumaticaKey, error: 'Procore did not return it' },
      );
    }
  } catch (err) {
    // A locked budget or a refused row fails the project's batch; a retry will not help until a person acts.
    if (!isRefusal(err)) throw err;
    for (const { item } of ready) {
      outcomes.push({
        acumaticaKey: item.acumaticaKey,
        error: `Procore refused the budget of project ${projectId}: ${err.message}`,
      });
    }
  }
  return outcomes;
}

export const budgetImporter: Importer<BudgetLinePayload> = {
  procoreEntity: 'budget_line_item',
  acumaticaEntity: 'ProjectBudget',

  async readPage(ctx, _scope, { since, skip, top }) {
    const records = await ctx.acumatica.list('ProjectBudget', {
      filter: and(eq('Type', 'Cost'), since ? gt('LastModifiedDateTime', since) : undefined),
      top,
      skip,
    });
    const projects = [...new Set(records.map((r) => String(val(r.ProjectID) ?? '')))].filter(Boolean);
    const linked = await linkedProcoreIds(ctx.db, ctx.companyId, 'project', projects);
    for (const r of records) {
      const procoreId = linked.get(String(val(r.ProjectID) ?? ''));
      if (procoreId) (r as Record<string, unknown>)[PROCORE_PROJECT_FIELD] = procoreId;
    }
    return records;
  },

  keyOf: (record) => budgetLineKey(unwrap(record)),
  map: budgetLineFrom,
  // One Procore project's records per write: its cost codes are read once, and one sync call takes them all.
  writeGroupOf: (payload) => payload.project_id,

  async write(ctx, items) {
    const [costTypes, tasks] = await Promise.all([
      linkedProcoreIds(ctx.db, ctx.companyId, 'line_item_type', [
        ...new Set(items.map((i) => i.payload.account_group)),
      ]),
      linkedProcoreIds(ctx.db, ctx.companyId, 'sub_job', [
        ...new Set(items.map((i) => `${i.payload.acumatica_project}:${i.payload.task}`)),
      ]),
    ]);
    const byProject = new Map<string, Item[]>();
    for (const item of items)
      byProject.set(item.payload.project_id, [...(byProject.get(item.payload.project_id) ?? []), item]);
    const outcomes: WriteOutcome[] = [];
    for (const [projectId, projectItems] of byProject) {
      try {
        outcomes.push(...(await writeProjectLines(ctx, projectId, projectItems, { costTypes, tasks })));
      } catch (err) {
        // The linked project is gone or refuses to be read: its lines are exceptions; other projects go on.
        if (!isRefusal(err)) throw err;
        const error = `Procore project ${projectId} could not take the budget: ${err.message}`;
        outcomes.push(...projectItems.map((i) => ({ acumaticaKey: i.acumaticaKey, error })));
      }
    }
    return outcomes;
  },
};
