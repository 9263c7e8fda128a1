/**
 * Acumatica `ProjectTransaction` (PM304000: released AP bills, expense claims, payroll... posted to a project)
 * -> one Procore direct cost of the linked Procore project, with a line item per transaction line. Pure;
 * unit-tested.
 *
 * The project, cost codes, cost types and vendors stay Acumatica keys in the payload (so its content hash changes
 * when Acumatica does) and are resolved to Procore ids when written (resolveDirectCost), after the imports that
 * link them have run.
 */
import Decimal from 'decimal.js';
import { moneyText } from './money';

type Unwrapped = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;

/** Procore's direct cost types, by the Acumatica module the transaction came from. */
const DIRECT_COST_TYPE: Record<string, 'Invoice' | 'Expense' | 'Payroll'> = {
  AP: 'Invoice',
  EP: 'Expense',
  PR: 'Payroll',
};

export interface DirectCostLinePayload {
  origin_id: string;
  amount: string;
  quantity?: string;
  unit_cost?: string;
  description?: string;
  /** Acumatica cost code, matched to a Procore project cost code by code when written. */
  cost_code: string | null;
  /** Acumatica account group, matched to the Procore cost type imported from it (links), when there is one. */
  account_group: string | null;
}

export interface DirectCostPayload {
  origin_id: string;
  /** The Acumatica project; its linked Procore project is the sync call's path. */
  acumatica_project: string;
  direct_cost_type: 'Invoice' | 'Expense' | 'Payroll';
  direct_cost_date: string | null;
  invoice_number?: string;
  description?: string;
  /** Acumatica vendor on the transaction (AP), matched to the linked Procore vendor when written. */
  vendor: string | null;
  line_items: DirectCostLinePayload[];
}

const dateOnly = (v: unknown): string | null => {
  const s = str(v);
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
};

const decimal = (v: unknown): Decimal | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return new Decimal(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return new Decimal(v);
  return null;
};

export function directCostKey(tx: Unwrapped): string {
  return `${str(tx.Module) ?? 'PM'}:${str(tx.ReferenceNbr) ?? ''}`;
}

export function directCostFrom(
  tx: Unwrapped,
): { ok: true; payload: DirectCostPayload } | { ok: false; reason: string } {
  const module = str(tx.Module) ?? 'PM';
  const ref = str(tx.ReferenceNbr);
  if (!ref) return { ok: false, reason: 'The project transaction has no Reference Nbr.' };
  const key = `${module}:${ref}`;
  const label = `Project transaction ${key}`;
  const lines = (Array.isArray(tx.Details) ? tx.Details : []) as Unwrapped[];
  if (lines.length === 0) return { ok: false, reason: `${label} has no lines.` };

  const acumaticaProjects = [...new Set(lines.map((l) => str(l.Project) ?? ''))];
  if (acumaticaProjects.includes('')) return { ok: false, reason: `${label} has a line without a project.` };
  if (acumaticaProjects.length > 1) {
    return {
      ok: false,
      reason: `${label} posts to several projects (${acumaticaProjects.join(', ')}); a Procore direct cost belongs to one project.`,
    };
  }
  const [acumaticaProject] = acumaticaProjects;

  const lineItems: DirectCostLinePayload[] = [];
  for (const [i, l] of lines.entries()) {
    const lineNbr = str(l.LineNbr) ?? String(i + 1);
    const amount = decimal(l.Amount);
    if (!amount) return { ok: false, reason: `${label} line ${lineNbr} has no amount.` };
    const qty = decimal(l.Qty);
    const rate = decimal(l.UnitRate);
    lineItems.push({
      origin_id: `${key}:${lineNbr}`,
      amount: moneyText(amount),
      ...(qty && rate ? { quantity: qty.toString(), unit_cost: moneyText(rate) } : {}),
      description: str(l.Description) ?? str(tx.Description),
      cost_code: str(l.CostCode) ?? null,
      account_group: str(l.AccountGroup) ?? null,
    });
  }
  const dates = lines.map((l) => dateOnly(l.Date)).filter((d): d is string => d !== null);
  const vendors = [...new Set(lines.map((l) => str(l.VendorOrCustomer)).filter((v): v is string => !!v))];
  return {
    ok: true,
    payload: {
      origin_id: key,
      acumatica_project: acumaticaProject,
      direct_cost_type: DIRECT_COST_TYPE[module] ?? 'Expense',
      direct_cost_date: dates.length > 0 ? dates.sort()[dates.length - 1] : null,
      invoice_number: str(tx.OriginalDocNbr),
      description: str(tx.Description),
      vendor: module === 'AP' && vendors.length === 1 ? vendors[0] : null,
      line_items: lineItems,
    },
  };
}

/** Why the transactions of an Acumatica project without a Procore link are not imported. */
export function unlinkedProjectReason(originId: string, acumaticaProject: string): string {
  return `Project transaction ${originId} is on Acumatica project ${acumaticaProject}, which is not linked to a Procore project. Export the Procore project (or link it), then run the import again.`;
}

/** Procore ids the payload's Acumatica keys resolve to, for one Procore project. */
export interface DirectCostTargets {
  /** The linked Procore project. */
  projectId: string;
  /** Procore project cost code id by code (full_code and code). */
  costCodes: Map<string, string>;
  /** Procore line item type id by Acumatica account group. */
  costTypes: Map<string, string>;
  /** Procore vendor id by Acumatica vendor id. */
  vendors: Map<string, string>;
}

/** The direct cost sync update (or why it cannot be written, e.g. a cost code missing from the project). */
export function resolveDirectCost(
  p: DirectCostPayload,
  t: DirectCostTargets,
): { ok: true; update: Record<string, unknown> } | { ok: false; reason: string } {
  const lineItems: Array<Record<string, unknown>> = [];
  for (const l of p.line_items) {
    const costCodeId = l.cost_code ? t.costCodes.get(l.cost_code.toUpperCase()) : undefined;
    if (!costCodeId) {
      return {
        ok: false,
        reason: l.cost_code
          ? `Cost code ${l.cost_code} (line ${l.origin_id}) is not on Procore project ${t.projectId}; add it to the project's cost codes (or import cost codes), then run the import again.`
          : `Line ${l.origin_id} has no cost code; Procore direct cost lines need one.`,
      };
    }
    const typeId = l.account_group ? t.costTypes.get(l.account_group) : undefined;
    lineItems.push({
      origin_id: l.origin_id,
      amount: l.amount,
      ...(l.quantity !== undefined ? { quantity: l.quantity, unit_cost: l.unit_cost } : {}),
      ...(l.description !== undefined ? { description: l.description } : {}),
      cost_code_id: costCodeId,
      ...(typeId ? { line_item_type_id: typeId } : {}),
    });
  }
  const vendorId = p.vendor ? t.vendors.get(p.vendor) : undefined;
  return {
    ok: true,
    update: {
      origin_id: p.origin_id,
      direct_cost_type: p.direct_cost_type,
      status: 'approved',
      ...(p.direct_cost_date ? { direct_cost_date: p.direct_cost_date, received_date: p.direct_cost_date } : {}),
      ...(p.invoice_number !== undefined ? { invoice_number: p.invoice_number } : {}),
      ...(p.description !== undefined ? { description: p.description } : {}),
      ...(vendorId ? { vendor_id: vendorId } : {}),
      line_items: lineItems,
    },
  };
}
