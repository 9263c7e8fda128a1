/**
 * Work breakdown structure (WBS) codes, Procore's "budget codes", and the budget line item sync that is
 * addressed by them (`POST /rest/v1.0/budget_line_items/sync` takes `wbs_code_id`; digest model Body120).
 *
 * The digest gives the shapes; the rules below are the simulator's choices where it is silent:
 *  - The company pattern has three segments, Sub Job, Cost Code and Cost Type (the segments Procore's ERP
 *    connectors use; custom segments are not supported by the Acumatica connector, procore-api.md §5.1).
 *    A segment item's id is the id of the record it stands for (sub job, project cost code, line item type),
 *    as the `legacy_sub_job_id` / `legacy_cost_code_id` parameters of the segment item routes suggest.
 *  - A project has one WBS code per (its sub jobs, or none) x project cost code x cost type assigned to that
 *    cost code; a cost code with a `sub_job_id` serves that sub job only. Codes get a stable id the first time
 *    they are listed or used.
 *  - `flat_code` is `<sub job>.<cost code>.<cost type>` (wbsFlatCode, as budget change lines carry it).
 *  - Budget line items sync: a row matches the line by `id`, else the line of its WBS code (a Procore budget
 *    holds one line per budget code), else a line is created; a resent row therefore changes nothing. The
 *    request is all or nothing: any invalid row answers 422 naming every problem, nothing is written. A
 *    locked budget refuses every change (422), as Procore's budget lock does.
 */
import Decimal from 'decimal.js';
import { exactNumber, idNum } from './json';
import { USD } from './render';
import { renderBudgetQuantity, wbsFlatCode } from './render-financials';
import type { BudgetLineItem, ProcoreStore, Project, WbsCode } from './store';

const SEGMENTS = [
  { key: 'sub_job', demoId: '9450001', name: 'Sub Job', position: 1 },
  { key: 'cost_code', demoId: '9450002', name: 'Cost Code', position: 2 },
  { key: 'cost_type', demoId: '9450003', name: 'Cost Type', position: 3 },
] as const;
const WBS_PATTERN_DEMO_ID = '9450000';

/** The project's WBS codes, materialising those its sub jobs, cost codes and cost types imply. */
export function wbsCodesOf(store: ProcoreStore, projectId: string): WbsCode[] {
  const subJobs = store.state.subJobs.filter((s) => s.project_id === projectId);
  const costCodes = store.state.costCodes
    .filter((c) => c.project_id === projectId)
    .sort((a, b) => a.position - b.position);
  const out: WbsCode[] = [];
  for (const subJob of [null, ...subJobs]) {
    for (const c of costCodes) {
      if (c.sub_job_id && c.sub_job_id !== subJob?.id) continue;
      for (const typeId of c.line_item_type_ids ?? [])
        out.push(ensureWbsCode(store, projectId, subJob?.id ?? null, c.id, typeId));
    }
  }
  return out;
}

function ensureWbsCode(
  store: ProcoreStore,
  projectId: string,
  subJobId: string | null,
  costCodeId: string,
  typeId: string,
): WbsCode {
  const found = store.state.wbsCodes.find(
    (w) =>
      w.project_id === projectId &&
      w.sub_job_id === subJobId &&
      w.cost_code_id === costCodeId &&
      w.line_item_type_id === typeId,
  );
  if (found) return found;
  const now = store.clock.nowIso();
  const created: WbsCode = {
    id: store.newId(),
    project_id: projectId,
    sub_job_id: subJobId,
    cost_code_id: costCodeId,
    line_item_type_id: typeId,
    created_at: now,
    updated_at: now,
  };
  store.state.wbsCodes.push(created);
  return created;
}

export function renderWbsCode(store: ProcoreStore, w: WbsCode) {
  const subJob = w.sub_job_id ? store.state.subJobs.find((s) => s.id === w.sub_job_id) : undefined;
  const costCode = store.costCode(w.cost_code_id);
  const type = store.lineItemType(w.line_item_type_id);
  const items = [
    subJob ? { key: 'sub_job' as const, id: subJob.id, code: subJob.code, name: subJob.name } : undefined,
    costCode
      ? { key: 'cost_code' as const, id: costCode.id, code: costCode.full_code, name: costCode.name }
      : undefined,
    type ? { key: 'cost_type' as const, id: type.id, code: type.code, name: type.name } : undefined,
  ].filter((i) => i !== undefined);
  return {
    id: idNum(w.id),
    flat_code: wbsFlatCode(store, w.sub_job_id, w.cost_code_id, w.line_item_type_id),
    flat_name: items.map((i) => i.name).join('.'),
    description: costCode?.name ?? null,
    status: 'active',
    created_at: w.created_at,
    updated_at: w.updated_at,
    segment_items: items.map((i) => {
      const segment = SEGMENTS.find((s) => s.key === i.key)!;
      return {
        id: idNum(i.id),
        code: i.code,
        name: i.name,
        parent_id: null,
        path_ids: [idNum(i.id)],
        path_code: i.code,
        is_parent: false,
        path_codes: [i.code],
        path_names: [i.name],
        segment: {
          id: idNum(store.demoId(segment.demoId)),
          name: segment.name,
          type: segment.key,
          position: segment.position,
          delimiter: '.',
          required: segment.key !== 'sub_job',
          structure: 'flat',
          wbs_pattern_id: idNum(store.demoId(WBS_PATTERN_DEMO_ID)),
        },
        status: 'active',
      };
    }),
    wbs_pattern_id: idNum(store.demoId(WBS_PATTERN_DEMO_ID)),
  };
}

/** A budget line item as `POST /rest/v1.0/budget_line_items/sync` answers it (v1.1 shape, with its WBS code). */
export function renderSyncedBudgetLine(store: ProcoreStore, b: BudgetLineItem, w: WbsCode) {
  return {
    id: idNum(b.id),
    original_budget_amount: exactNumber(b.original_budget_amount),
    ...renderBudgetQuantity(b),
    calculation_strategy: b.quantity !== null && b.unit_cost !== null ? 'automatic' : 'manual',
    wbs_code: {
      id: idNum(w.id),
      flat_code: wbsFlatCode(store, w.sub_job_id, w.cost_code_id, w.line_item_type_id),
      description: store.costCode(w.cost_code_id)?.name ?? null,
    },
    currency_configuration: USD,
  };
}

type Row = Record<string, unknown>;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;

/**
 * Applies a budget line items sync (see the module comment). Returns the written lines with their WBS codes,
 * or the problems (nothing written).
 */
export function syncBudgetLines(
  store: ProcoreStore,
  project: Project,
  rows: Row[],
): { lines: Array<{ line: BudgetLineItem; wbs: WbsCode }> } | { status: number; message: string; details: unknown[] } {
  const budget = store.budgetOf(project.id);
  if (budget?.locked) {
    return { status: 422, message: 'The budget is locked; unlock it to change budget line items', details: [] };
  }
  const codes = new Map(wbsCodesOf(store, project.id).map((w) => [w.id, w]));
  const lines = store.state.budgetLineItems.filter((b) => b.project_id === project.id);
  const sameCode = (b: BudgetLineItem, w: WbsCode) =>
    b.sub_job_id === w.sub_job_id && b.cost_code_id === w.cost_code_id && b.line_item_type_id === w.line_item_type_id;

  const problems: Array<{ index: number; errors: Record<string, string[]> }> = [];
  const planned: Array<{ row: Row; wbs: WbsCode; line?: BudgetLineItem }> = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const errors: Record<string, string[]> = {};
    const wbs = codes.get(text(row.wbs_code_id) ?? '');
    if (!wbs) errors.wbs_code_id = [text(row.wbs_code_id) ? 'is not a WBS code of this project' : "can't be blank"];
    const id = text(row.id);
    const line = id ? lines.find((b) => b.id === id) : wbs ? lines.find((b) => sameCode(b, wbs)) : undefined;
    if (id && !line) errors.id = ['not found'];
    if (id && line && wbs && !sameCode(line, wbs)) errors.wbs_code_id = ['does not match the budget line item'];
    for (const f of ['original_budget_amount', 'quantity', 'unit_cost']) {
      const v = row[f];
      if (v !== undefined && v !== null && !DECIMAL.test(text(v) ?? '')) errors[f] = ['is not a number'];
    }
    if (wbs && seen.has(wbs.id)) errors.wbs_code_id = ['appears twice in this request'];
    if (wbs) seen.add(wbs.id);
    if (Object.keys(errors).length > 0) problems.push({ index, errors });
    else planned.push({ row, wbs: wbs!, line });
  });
  if (problems.length > 0) return { status: 422, message: 'Invalid budget line items', details: problems };

  if (!budget) store.state.budgets.push({ id: store.newId(), project_id: project.id, locked: false, ...noOrigin });
  const now = store.clock.nowIso();
  const written = planned.map(({ row, wbs, line }) => {
    const target =
      line ??
      pushLine(store, {
        id: store.newId(),
        project_id: project.id,
        sub_job_id: wbs.sub_job_id,
        cost_code_id: wbs.cost_code_id,
        line_item_type_id: wbs.line_item_type_id,
        description: null,
        original_budget_amount: '0.00',
        quantity: null,
        unit_cost: null,
        uom: null,
        ...noOrigin,
        created_at: now,
        updated_at: now,
      });
    const before = JSON.stringify(target);
    const quantity = text(row.quantity);
    const unitCost = text(row.unit_cost);
    if ('quantity' in row) target.quantity = quantity ?? null;
    if ('unit_cost' in row) target.unit_cost = unitCost ?? null;
    if (typeof row.uom === 'string' || row.uom === null) target.uom = (row.uom as string | null) ?? null;
    const amount = text(row.original_budget_amount);
    if (amount !== undefined) target.original_budget_amount = new Decimal(amount).toFixed(2);
    else if (target.quantity !== null && target.unit_cost !== null) {
      target.original_budget_amount = new Decimal(target.quantity).times(target.unit_cost).toFixed(2);
    }
    if (JSON.stringify(target) !== before) target.updated_at = now;
    return { line: target, wbs };
  });
  return { lines: written };
}

const noOrigin = { origin_id: null, origin_code: null, origin_data: null };

function pushLine(store: ProcoreStore, line: BudgetLineItem): BudgetLineItem {
  store.state.budgetLineItems.push(line);
  return line;
}
