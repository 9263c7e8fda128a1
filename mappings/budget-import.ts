/**
 * Acumatica `ProjectBudget` cost lines (PM309000: project x task x account group x cost code) -> budget line items
 * of the linked Procore project (`POST /budget_line_items/sync`, one line per budget code). Pure; unit-tested.
 *
 * The importer adds the linked Procore project to each record (PROCORE_PROJECT_FIELD). Task, account group and
 * cost code stay Acumatica keys in the payload, so its content hash changes when Acumatica does; they are resolved
 * when written (resolveBudgetLine): task -> sub job (its link, else the project's sub job of the same code, else
 * the project itself when it has no sub jobs, like the export's default task), cost code -> the project cost code
 * of the same code, account group -> the cost type imported from it (links). Those three name the budget code.
 */
import Decimal from 'decimal.js';
import { moneyText } from './money';

/** Added to each record by the importer: the Procore project linked to its Acumatica project, if any. */
export const PROCORE_PROJECT_FIELD = 'ConnectorProcoreProject';

type Unwrapped = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
const decimal = (v: unknown): Decimal | null => {
  const s = str(v);
  return s !== undefined && !Number.isNaN(Number(s)) ? new Decimal(s) : null;
};
/** Acumatica's "no inventory item" value of the fifth budget key. */
const NO_ITEM = '<N/A>';

export interface BudgetLinePayload {
  /** The Procore project (not sent: it is the sync call's project_id). */
  project_id: string;
  acumatica_project: string;
  task: string;
  account_group: string;
  cost_code: string;
  original_budget_amount: string;
  quantity?: string;
  unit_cost?: string;
  uom?: string;
}

/** The line's Acumatica key, as the budget export links lines: project:task:account group:cost code:Cost. */
export function budgetLineKey(line: Unwrapped): string {
  return [line.ProjectID, line.ProjectTaskID, line.AccountGroup, line.CostCode ?? '', 'Cost']
    .map((v) => str(v) ?? '')
    .join(':');
}

export function budgetLineFrom(
  line: Unwrapped,
): { ok: true; payload: BudgetLinePayload } | { ok: false; reason: string } {
  const project = str(line.ProjectID);
  const task = str(line.ProjectTaskID);
  const group = str(line.AccountGroup);
  const label = `Budget line ${budgetLineKey(line)}`;
  if (!project || !task || !group) return { ok: false, reason: `${label} has no project, task or account group.` };
  if (str(line.Type) !== 'Cost') return { ok: false, reason: `${label} is not a cost budget line.` };
  const costCode = str(line.CostCode);
  if (!costCode) {
    return {
      ok: false,
      reason: `${label} has no cost code, and Procore budget lines need one. Budget project ${project} by task and cost code in Acumatica (Cost Budget Level), then run the import again.`,
    };
  }
  const item = str(line.InventoryID);
  if (item && item !== NO_ITEM) {
    return {
      ok: false,
      reason: `${label} is budgeted for inventory item ${item}; a Procore budget code has no item. Budget it without an inventory item, then run the import again.`,
    };
  }
  const projectId = str(line[PROCORE_PROJECT_FIELD]);
  if (!projectId) {
    return {
      ok: false,
      reason: `${label} is on Acumatica project ${project}, which is not linked to a Procore project. Import the project (Refresh Jobs, then import it in Procore's ERP Integrations tool) or export it from Procore, then run the import again.`,
    };
  }
  const amount = decimal(line.OriginalBudgetedAmount) ?? new Decimal(0);
  const qty = decimal(line.OriginalBudgetedQty);
  const rate = decimal(line.UnitRate);
  const uom = str(line.UOM);
  return {
    ok: true,
    payload: {
      project_id: projectId,
      acumatica_project: project,
      task,
      account_group: group,
      cost_code: costCode,
      original_budget_amount: moneyText(amount),
      // Quantity and unit cost only when Acumatica budgets by them; the amount is always sent as well.
      ...(qty && rate && !qty.isZero() && !rate.isZero()
        ? { quantity: qty.toString(), unit_cost: moneyText(rate), ...(uom ? { uom } : {}) }
        : {}),
    },
  };
}

/** A budget code's identity: sub job (empty for the project itself) | cost code id | cost type id. */
export function budgetCodeKey(subJobId: string | null, costCodeId: string, costTypeId: string): string {
  return `${subJobId ?? ''}|${costCodeId}|${costTypeId}`;
}

/**
 * The sub job an Acumatica task maps to: its link, else the Procore sub job of the same code; a project without
 * sub jobs budgets at project level (null). Undefined: the project has sub jobs, but none for this task.
 */
export function subJobForTask(
  taskKey: string,
  task: string,
  t: { linked: Map<string, string>; subJobs: Array<{ id: string; code: string | null }> },
): string | null | undefined {
  const linked = t.linked.get(taskKey);
  if (linked) return linked;
  const same = t.subJobs.find((s) => (s.code ?? '').trim().toUpperCase() === task.toUpperCase());
  if (same) return same.id;
  return t.subJobs.length === 0 ? null : undefined;
}

/** Procore ids the payload's Acumatica keys resolve to, for one Procore project. */
export interface BudgetTargets {
  /** Sub job per Acumatica task (subJobForTask); null = the project itself. */
  subJobs: Map<string, string | null | undefined>;
  /** Procore project cost code id by code (upper case). */
  costCodes: Map<string, string>;
  /** Procore cost type id by Acumatica account group. */
  costTypes: Map<string, string>;
  /** WBS code id by budgetCodeKey. */
  wbsCodes: Map<string, string>;
}

export interface BudgetLineRow {
  wbs_code_id: string;
  original_budget_amount: string;
  quantity?: string;
  unit_cost?: string;
  uom?: string;
}

/** The sync row of a line and its budget code (or why it cannot be written yet). */
export function resolveBudgetLine(
  p: BudgetLinePayload,
  t: BudgetTargets,
): { ok: true; budgetCode: string; row: BudgetLineRow } | { ok: false; reason: string } {
  const where = `Procore project ${p.project_id}`;
  const subJob = t.subJobs.get(p.task);
  if (subJob === undefined) {
    return {
      ok: false,
      reason: `Task ${p.task} of project ${p.acumatica_project} is not a sub job of ${where}. Import the project's tasks (Refresh Jobs) and import the sub job in Procore, then run the import again.`,
    };
  }
  const costCode = t.costCodes.get(p.cost_code.toUpperCase());
  if (!costCode) {
    return {
      ok: false,
      reason: `Cost code ${p.cost_code} is not on ${where}; add it to the project's cost codes (or import cost codes), then run the import again.`,
    };
  }
  const costType = t.costTypes.get(p.account_group);
  if (!costType) {
    return {
      ok: false,
      reason: `Account group ${p.account_group} has no Procore cost type; import cost types (Refresh Cost Types), then run the import again.`,
    };
  }
  const budgetCode = budgetCodeKey(subJob, costCode, costType);
  const wbs = t.wbsCodes.get(budgetCode);
  if (!wbs) {
    return {
      ok: false,
      reason: `${where} has no budget code for ${subJob ? `sub job ${p.task}, ` : ''}cost code ${p.cost_code} and cost type ${p.account_group}: assign the cost type to the cost code in Procore, then run the import again.`,
    };
  }
  const { quantity, unit_cost, uom } = p;
  return {
    ok: true,
    budgetCode,
    row: {
      wbs_code_id: wbs,
      original_budget_amount: p.original_budget_amount,
      ...(quantity !== undefined ? { quantity, unit_cost } : {}),
      ...(uom !== undefined ? { uom } : {}),
    },
  };
}

/**
 * A Procore budget line the connector has no link for, on the line's budget code: the same amount is adopted
 * (linked, nothing written); a different one is a conflict for a person to settle, never overwritten.
 */
export function existingLineDecision(
  p: BudgetLinePayload,
  existing: { id: string; amount: string | null },
): { adopt: string } | { conflict: string } {
  const procoreAmount = new Decimal(existing.amount ?? '0');
  if (procoreAmount.equals(p.original_budget_amount)) return { adopt: existing.id };
  return {
    conflict: `Procore project ${p.project_id} already budgets ${moneyText(procoreAmount)} on this budget code (task ${p.task}, cost code ${p.cost_code}, account group ${p.account_group}); Acumatica budgets ${p.original_budget_amount}. The connector does not overwrite a Procore budget it did not write: send the Procore budget to the ERP, or correct the Acumatica budget, then run the import again.`,
  };
}
