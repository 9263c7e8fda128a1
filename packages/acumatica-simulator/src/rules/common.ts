/**
 * What entity rules share: the behaviour interface the server calls, the request context, tenant settings and
 * small helpers (money arithmetic with decimal.js, line pricing, lookups that honour branch visibility).
 */
import Decimal from 'decimal.js';
import type { EndpointContract } from '../contract';
import type { Session } from '../sessions';
import type { AcumaticaStore, StoredLine, StoredRecord } from '../store';

export interface FieldError {
  path: Array<string | number>;
  message: string;
}

export interface RequestContext {
  version: string;
  contract: EndpointContract;
  session: Session;
  /** Current branch: PX-CbApiBranch of this request, else the session's branch. */
  branch: string;
}

/** Tenant configuration the rules consult (changed with POST /__admin/config). */
export interface TenantSettings {
  /** PO Preferences (PO101000) "Require Approval": a PO taken off hold waits in 'Pending Approval'. */
  poApprovalRequired: boolean;
  /** Enable/Disable Features (CS100000) "Project Accounting": off makes every PM form unavailable. */
  projectsFeature: boolean;
}

/** A business failure of an action: answered 422 with the entity and this message as its `error`. */
export class ActionError extends Error {}

export type CustomFieldType = 'CustomStringField' | 'CustomDecimalField' | 'CustomBooleanField' | 'CustomIntField';

/** Entity-specific rules; entities without an entry are stored generically. */
export interface EntityBehaviour {
  /** Defaults of key fields, applied before the PUT looks the record up (e.g. PurchaseOrder.Type 'Normal'). */
  keyDefaults?: Record<string, unknown>;
  /** Fill defaults and compute derived values on the merged record (mutates). */
  prepare?(
    values: Record<string, unknown>,
    rec: { internal: Record<string, unknown> },
    isNew: boolean,
    ctx: RequestContext,
  ): void;
  validate?(values: Record<string, unknown>, isNew: boolean, ctx: RequestContext): FieldError[];
  /**
   * Checks a PUT against the stored record before it is merged (rows or documents the graph no longer lets
   * change); errors answer 422 and nothing is written.
   */
  guardUpdate?(body: Record<string, unknown>, before: StoredRecord, ctx: RequestContext): FieldError[];
  /** Fields that a PUT cannot set (computed by the graph). */
  readOnly?: string[];
  /** `files:put` graph/view for the _links template. */
  graph?: string;
  /** Whether the record is visible in the request's branch (restriction groups). */
  visible?(rec: StoredRecord, ctx: RequestContext): boolean;
  /** Graph actions; the server only routes those the version's contract declares (or `customActions`). */
  actions?: Record<string, (rec: StoredRecord, params: Record<string, unknown>, ctx: RequestContext) => void>;
  /**
   * Fields outside the contract reachable with `custom` / `$custom` as `<View>.<Field>`. `views` maps the view of
   * the header and of each detail collection (e.g. Bill: Document, Details -> Transactions).
   */
  custom?: { header: string; details?: Record<string, string>; fields: Record<string, CustomFieldType> };
}

export interface RuleDeps {
  store: AcumaticaStore;
  settings: TenantSettings;
  today(): string;
  branchExists(branch: unknown): boolean;
}

export const dec = (v: unknown): Decimal | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return new Decimal(v as Decimal.Value);
  } catch {
    return undefined;
  }
};
export const money = (d: Decimal): number => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
export const isBlank = (v: unknown): boolean => v === undefined || v === null || String(v).trim() === '';
export const sum = (lines: StoredLine[], field: string): Decimal =>
  lines.reduce((acc, l) => acc.plus(dec(l[field]) ?? 0), new Decimal(0));
export const linesOf = (v: Record<string, unknown>, field = 'Details'): StoredLine[] =>
  (v[field] as StoredLine[] | undefined) ?? [];

/**
 * Prices a document line the way the entry forms do: qty x unit cost = extended cost; an amount alone means one
 * unit at that cost. Returns the line amount.
 */
export function priceLine(l: StoredLine, f: { qty: string; unit: string; ext: string; amount?: string }): Decimal {
  const qty = dec(l[f.qty]);
  const unit = dec(l[f.unit]);
  const amount = f.amount ? dec(l[f.amount]) : undefined;
  const ext = dec(l[f.ext]);
  let result: Decimal;
  if (qty && unit) {
    result = qty.mul(unit);
  } else if (amount ?? ext) {
    result = (amount ?? ext)!;
    const q = qty && !qty.isZero() ? qty : new Decimal(1);
    l[f.qty] = q.toNumber();
    l[f.unit] = result.div(q).toDecimalPlaces(4).toNumber();
  } else {
    result = new Decimal(0);
    l[f.qty] ??= 0;
    l[f.unit] ??= 0;
  }
  l[f.ext] = money(result);
  if (f.amount) l[f.amount] = money(result);
  return result;
}

/**
 * Numbers lines without a line number from the document's line counter (LineCntr in the PO/SC graphs), so a
 * number is never given twice, not even after the last line was deleted.
 */
export function numberLines(lines: StoredLine[], internal: Record<string, unknown>, field = 'LineNbr'): void {
  let counter = Math.max(Number(internal.lineCntr) || 0, ...lines.map((l) => Number(l[field]) || 0));
  for (const l of lines) if (isBlank(l[field])) l[field] = ++counter;
  internal.lineCntr = counter;
}

/**
 * A PUT may not change or delete a line that `frozen` says is frozen (a completed or closed commitment line):
 * the graph rejects the row. `body` is the bound PUT body, `before` the stored record.
 */
export function frozenLineErrors(
  body: Record<string, unknown>,
  before: Record<string, unknown>,
  frozen: (line: StoredLine) => string | undefined,
  collection = 'Details',
): FieldError[] {
  const stored = linesOf(before, collection);
  const errs: FieldError[] = [];
  ((body[collection] as Array<Record<string, unknown>> | undefined) ?? []).forEach((inc, i) => {
    const line = stored.find(
      (l) =>
        (typeof inc.id === 'string' && l.id.toLowerCase() === inc.id.toLowerCase()) ||
        (inc.id === undefined && inc.LineNbr !== undefined && Number(l.LineNbr) === Number(inc.LineNbr)),
    );
    const why = line && frozen(line);
    if (!why) return;
    const fields = Object.keys(inc).filter((k) => !['id', 'delete', 'LineNbr'].includes(k));
    if (!inc.delete && fields.length === 0) return;
    errs.push({
      path: [collection, i, inc.delete ? 'LineNbr' : (fields[0] ?? 'LineNbr')],
      message: inc.delete
        ? `The line cannot be deleted because it is ${why}.`
        : `The line cannot be changed because it is ${why}.`,
    });
  });
  return errs;
}

/** Checks the project references of a line (project, task, cost code); `prefix` is the line path. */
export function projectLineErrors(
  store: AcumaticaStore,
  l: StoredLine,
  prefix: Array<string | number>,
  names: { project: string; task: string; costCode: string },
): FieldError[] {
  const errs: FieldError[] = [];
  const project = l[names.project];
  if (isBlank(project)) return errs;
  if (!store.byKeys('Project', [project]))
    errs.push({
      path: [...prefix, names.project],
      message: `Project '${String(project)}' cannot be found in the system.`,
    });
  else if (isBlank(l[names.task]))
    errs.push({ path: [...prefix, names.task], message: "'Project Task' cannot be empty." });
  else if (!store.byKeys('ProjectTask', [project, l[names.task]]))
    errs.push({
      path: [...prefix, names.task],
      message: `Project Task '${String(l[names.task])}' cannot be found in the system.`,
    });
  const cc = l[names.costCode];
  if (!isBlank(cc) && !store.byKeys('CostCode', [cc]))
    errs.push({
      path: [...prefix, names.costCode],
      message: `Cost Code '${String(cc)}' cannot be found in the system.`,
    });
  if (!isBlank(l.TaxCategory) && !store.byKeys('TaxCategory', [l.TaxCategory]))
    errs.push({
      path: [...prefix, 'TaxCategory'],
      message: `Tax Category '${String(l.TaxCategory)}' cannot be found in the system.`,
    });
  return errs;
}

/** Restriction groups: a vendor limited to some branches is invisible (and "cannot be found") elsewhere. */
export function vendorVisible(rec: StoredRecord | undefined, branch: string): boolean {
  if (!rec) return false;
  const branches = rec.internal.branches as string[] | undefined;
  return !branches || branches.length === 0 || branches.some((b) => b.toUpperCase() === branch.toUpperCase());
}

export function vendorErrors(
  store: AcumaticaStore,
  vendorId: unknown,
  field: string,
  ctx: RequestContext,
  label = 'Vendor',
): FieldError[] {
  if (isBlank(vendorId)) return [{ path: [field], message: `'${label}' cannot be empty.` }];
  const rec = store.byKeys('Vendor', [vendorId]);
  if (!vendorVisible(rec, ctx.branch)) return [{ path: [field], message: `'${label}' cannot be found in the system.` }];
  if (rec!.values.Status === 'Inactive') return [{ path: [field], message: `The vendor status is 'Inactive'.` }];
  return [];
}

/** Financial period 'MMYYYY' of an ISO date. */
export const finPeriod = (iso: unknown): string => {
  const d = new Date(String(iso));
  return Number.isNaN(d.getTime()) ? '' : `${String(d.getUTCMonth() + 1).padStart(2, '0')}${d.getUTCFullYear()}`;
};

export const addDays = (iso: string, days: number): string => {
  const d = new Date(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return `${d.toISOString().slice(0, 10)}T00:00:00+00:00`;
};
