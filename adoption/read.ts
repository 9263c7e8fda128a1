/**
 * Reads what adoption and reconciliation compare: the company's links, Procore projects, vendors and
 * commitments (with lines) of the projects in scope, and Acumatica projects, vendors and commitments. Reads
 * only (GETs), so a dry run writes nothing.
 */
import { documentName } from '../mappings/document';
import { val, type AcumaticaRecord } from '../clients/acumatica/client';
import { eq } from '../clients/acumatica/odata';
import type { Project, Vendor } from '../clients/procore/client';
import { directCostFrom } from '../mappings/direct-cost-import';
import { unwrap } from '../clients/acumatica/format';
import type {
  AcumaticaBillFacts,
  AcumaticaBudgetChangeOrderFacts,
  BudgetRowFacts,
  ProcoreBudgetLine,
  AcumaticaChangeOrderFacts,
  AcumaticaCommitmentFacts,
  AcumaticaDirectCostFacts,
  MatchLine,
  ProcoreBillFacts,
  ProcoreChangeOrderFacts,
  ProcoreCommitmentFacts,
  ProcoreDirectCostFacts,
} from '../mappings/adoption-match';
import { norm } from '../mappings/adoption-match';
import type { ExportContext } from '../activities/exporters/types';

/**
 * `reads`: one read of each Acumatica entity per run. runAdoption and reconcile give their context a fresh map, so
 * the change orders (three kinds) and budget rows (two types) are each listed once.
 */
export type AdoptionContext = ExportContext & { reads?: Map<string, Promise<unknown>> };

/** The read of `key`, made once per run (when the context has `reads`). */
function once<T>(ctx: AdoptionContext, key: string, read: () => Promise<T>): Promise<T> {
  if (!ctx.reads) return read();
  let pending = ctx.reads.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = read();
    ctx.reads.set(key, pending);
  }
  return pending;
}

/** Every change order with its three kinds of lines (commitment, revenue budget, cost budget). */
const changeOrderRecords = (ctx: AdoptionContext) =>
  once(ctx, 'ChangeOrder', () =>
    ctx.acumatica.list('ChangeOrder', { expand: ['Commitments', 'RevenueBudget', 'CostBudget'] }),
  );

export interface LinkRow {
  procoreEntity: string;
  procoreId: string;
  acumaticaEntity: string;
  acumaticaKey: string;
}

export interface CompanyLinks {
  byProcore: Map<string, LinkRow>;
  /** `${acumaticaEntity}:${key}` -> link. */
  byAcumatica: Map<string, LinkRow>;
}

export const procoreKey = (entity: string, id: string) => `${entity}:${id}`;
export const acumaticaKeyOf = (entity: string, key: string) => `${entity}:${norm(key)}`;

export async function readLinks(ctx: AdoptionContext): Promise<CompanyLinks> {
  const { rows } = await ctx.db.query(
    `SELECT procore_entity AS "procoreEntity", procore_id AS "procoreId", acumatica_entity AS "acumaticaEntity",
       acumatica_key AS "acumaticaKey" FROM links WHERE procore_company_id = $1 AND deleted_at IS NULL`,
    [ctx.companyId],
  );
  const byProcore = new Map<string, LinkRow>();
  const byAcumatica = new Map<string, LinkRow>();
  for (const r of rows as LinkRow[]) {
    byProcore.set(procoreKey(r.procoreEntity, r.procoreId), r);
    byAcumatica.set(acumaticaKeyOf(r.acumaticaEntity, r.acumaticaKey), r);
  }
  return { byProcore, byAcumatica };
}

export interface ProcoreCommitment extends ProcoreCommitmentFacts {
  projectId: string;
  vendorId: string;
  vendorName: string;
  label: string;
}

/** Procore projects in scope: the ids or project numbers given, or every project. */
export async function procoreProjects(ctx: AdoptionContext, scope?: string[]): Promise<Project[]> {
  const all = await ctx.procore.listProjects(ctx.companyId);
  if (!scope || scope.length === 0) return all;
  const wanted = new Set(scope.map(norm));
  return all.filter((p) => wanted.has(norm(String(p.id))) || wanted.has(norm(p.project_number)));
}

export async function procoreVendors(ctx: AdoptionContext): Promise<Map<string, Vendor>> {
  const out = new Map<string, Vendor>();
  for await (const page of ctx.procore.listVendors(ctx.companyId)) for (const v of page) out.set(String(v.id), v);
  return out;
}

const money = (s: unknown): number => Number(s ?? 0);

/** Procore line items (of a commitment or a change order) as matching compares them. */
function procoreMatchLines(
  lines: Array<{
    id: string | number;
    position?: number | null;
    amount?: string | number | null;
    cost_code?: { full_code?: string | null; code?: string | null } | null;
  }>,
): MatchLine[] {
  return lines.map((l, i) => ({
    id: String(l.id),
    position: Number(l.position ?? i + 1),
    costCode: l.cost_code?.full_code ?? l.cost_code?.code ?? null,
    amount: money(l.amount),
  }));
}

/** Maps with at most `limit` calls in flight, keeping the order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function procoreCommitments(ctx: AdoptionContext, projectId: string): Promise<ProcoreCommitment[]> {
  const c = ctx.companyId;
  const [wocs, pocs] = await Promise.all([
    ctx.procore.listWorkOrderContracts(c, projectId),
    ctx.procore.listPurchaseOrderContracts(c, projectId),
  ]);
  const kinds = [
    ...wocs.map((x) => ({ entity: 'work_order_contract' as const, x })),
    ...pocs.map((x) => ({ entity: 'purchase_order_contract' as const, x })),
  ].filter(({ x }) => !x.deleted_at);
  return mapLimit(kinds, 4, async ({ entity, x }): Promise<ProcoreCommitment> => {
    const lines =
      entity === 'work_order_contract'
        ? await ctx.procore.listWorkOrderContractLineItems(c, projectId, String(x.id))
        : await ctx.procore.listPurchaseOrderContractLineItems(c, projectId, String(x.id));
    const matchLines = procoreMatchLines(lines);
    return {
      id: String(x.id),
      entity,
      projectId,
      vendorId: String(x.vendor?.id ?? ''),
      vendorName: x.vendor?.name ?? '',
      ...documentName(x),
      total: Math.round(matchLines.reduce((s, l) => s + l.amount, 0) * 100) / 100,
      lines: matchLines,
    };
  });
}

function acumaticaCommitment(entity: 'Subcontract' | 'PurchaseOrder', r: AcumaticaRecord): AcumaticaCommitmentFacts {
  const details = (r.Details as AcumaticaRecord[] | undefined) ?? [];
  const amountField = entity === 'Subcontract' ? 'Amount' : 'ExtendedCost';
  const lines: MatchLine[] = details.map((d, i) => ({
    id: String(val(d.LineNbr) ?? i + 1),
    position: Number(val(d.LineNbr) ?? i + 1),
    costCode: (val<string>(d.CostCode) ?? null) as string | null,
    amount: Number(val(d[amountField]) ?? 0),
  }));
  const project = val<string>(r.Project) ?? val<string>(details[0]?.Project) ?? '';
  return {
    entity,
    key: String(val(entity === 'Subcontract' ? r.SubcontractNbr : r.OrderNbr) ?? ''),
    id: r.id,
    vendorId: String(val(r.VendorID) ?? ''),
    projectId: String(project),
    vendorRef: String(val(r.VendorRef) ?? ''),
    description: String(val(r.Description) ?? ''),
    total: Math.round(lines.reduce((s, l) => s + l.amount, 0) * 100) / 100,
    lines,
  };
}

export async function acumaticaCommitments(ctx: AdoptionContext): Promise<AcumaticaCommitmentFacts[]> {
  const [subs, pos] = await Promise.all([
    ctx.acumatica.list('Subcontract', { expand: ['Details'] }),
    ctx.acumatica.list('PurchaseOrder', { filter: eq('Type', 'Normal'), expand: ['Details'] }),
  ]);
  return [
    ...subs.map((r) => acumaticaCommitment('Subcontract', r)),
    ...pos.map((r) => acumaticaCommitment('PurchaseOrder', r)),
  ];
}

export async function acumaticaProjects(
  ctx: AdoptionContext,
): Promise<Array<{ projectId: string; externalRef: string }>> {
  const rows = await ctx.acumatica.list('Project', { select: ['ProjectID', 'ExternalRefNbr'] });
  return rows.map((r) => ({
    projectId: String(val(r.ProjectID) ?? ''),
    externalRef: String(val(r.ExternalRefNbr) ?? ''),
  }));
}

export async function acumaticaVendors(ctx: AdoptionContext): Promise<Array<{ vendorId: string; name: string }>> {
  const rows = await ctx.acumatica.list('Vendor', { select: ['VendorID', 'VendorName'] });
  return rows.map((r) => ({ vendorId: String(val(r.VendorID) ?? ''), name: String(val(r.VendorName) ?? '') }));
}

export interface ProcoreChangeOrder extends ProcoreChangeOrderFacts {
  projectId: string;
  /** The Procore commitment it changes. */
  commitmentId: string;
  label: string;
}

const totalOf = (lines: MatchLine[]) => Math.round(lines.reduce((s, l) => s + l.amount, 0) * 100) / 100;

/** A project's commitment change orders (with lines) of the given commitments. */
export async function procoreChangeOrders(
  ctx: AdoptionContext,
  projectId: string,
  commitmentIds: Set<string>,
): Promise<ProcoreChangeOrder[]> {
  const c = ctx.companyId;
  const all = await ctx.procore.listCommitmentChangeOrders(c, projectId);
  const ours = all.filter((co) => commitmentIds.has(String(co.contract_id ?? '')));
  return mapLimit(ours, 4, async (co): Promise<ProcoreChangeOrder> => {
    const lines = await ctx.procore.listCommitmentChangeOrderLineItems(c, projectId, String(co.id));
    const matchLines = procoreMatchLines(lines);
    return {
      id: String(co.id),
      projectId,
      commitmentId: String(co.contract_id),
      ...documentName(co),
      total: totalOf(matchLines),
      lines: matchLines,
    };
  });
}

/** What matching compares of an Acumatica change order, whatever its lines. */
function changeOrderFacts(r: AcumaticaRecord, lines: MatchLine[]): AcumaticaBudgetChangeOrderFacts {
  return {
    entity: 'ChangeOrder',
    key: String(val(r.RefNbr) ?? ''),
    id: r.id,
    projectId: String(val(r.ProjectID) ?? ''),
    externalRef: String(val(r.ExternalRefNbr) ?? ''),
    description: String(val(r.Description) ?? ''),
    total: totalOf(lines),
    lines,
  };
}

/** Every change order with Commitments lines (budget-only change orders are not commitment change orders). */
export async function acumaticaChangeOrders(ctx: AdoptionContext): Promise<AcumaticaChangeOrderFacts[]> {
  const rows = await changeOrderRecords(ctx);
  return rows
    .map((r): AcumaticaChangeOrderFacts => {
      const details = (r.Commitments as AcumaticaRecord[] | undefined) ?? [];
      // Commitments rows have no line number in the contract: the exporter and its line links use positions.
      const lines: MatchLine[] = details.map((d, i) => ({
        id: String(i + 1),
        position: i + 1,
        costCode: (val<string>(d.CostCode) ?? null) as string | null,
        amount: Number(val(d.Amount) ?? 0),
      }));
      return {
        ...changeOrderFacts(r, lines),
        commitmentKeys: [...new Set(details.map((d) => String(val(d.PONbr) ?? '')))],
      };
    })
    .filter((co) => co.lines.length > 0);
}

export interface ProcoreDirectCost extends ProcoreDirectCostFacts {
  projectId: string;
  label: string;
}

/**
 * A project's direct costs with their lines; `vendor` is the linked Acumatica vendor of the Procore vendor
 * (`vendors`: Procore vendor id -> Acumatica VendorID), '' when it has none.
 */
export async function procoreDirectCosts(
  ctx: AdoptionContext,
  projectId: string,
  vendors: Map<string, string>,
): Promise<ProcoreDirectCost[]> {
  const c = ctx.companyId;
  const costs = (await ctx.procore.listDirectCosts(c, projectId)).filter((d) => !d.deleted_at);
  return mapLimit(costs, 4, async (d): Promise<ProcoreDirectCost> => {
    const lines = await ctx.procore.listDirectCostLineItems(c, projectId, String(d.id));
    const matchLines: MatchLine[] = lines.map((l, i) => ({
      id: String(l.id),
      position: i + 1,
      costCode: l.cost_code?.full_code ?? l.cost_code?.code ?? null,
      amount: money(l.amount),
    }));
    const date = d.direct_cost_date ? d.direct_cost_date.slice(0, 10) : null;
    return {
      id: String(d.id),
      projectId,
      type: d.direct_cost_type ?? '',
      date,
      invoiceNumber: d.invoice_number ?? '',
      vendor: d.vendor_id ? (vendors.get(String(d.vendor_id)) ?? '') : '',
      originId: d.origin_id ?? '',
      total: totalOf(matchLines),
      lines: matchLines,
      label: [d.direct_cost_type, d.invoice_number, date, d.description].filter(Boolean).join(' '),
    };
  });
}

/** Released project transactions on the given Acumatica projects, as the direct cost import maps them. */
export async function acumaticaDirectCosts(
  ctx: AdoptionContext,
  projects: Set<string>,
): Promise<Array<AcumaticaDirectCostFacts & { projectId: string }>> {
  const rows = await ctx.acumatica.list('ProjectTransaction', {
    filter: eq('Status', 'Released'),
    expand: ['Details'],
  });
  const out: Array<AcumaticaDirectCostFacts & { projectId: string }> = [];
  for (const r of rows) {
    const mapped = directCostFrom(unwrap(r));
    if (!mapped.ok || !projects.has(norm(mapped.payload.acumatica_project))) continue;
    const p = mapped.payload;
    const lines: MatchLine[] = p.line_items.map((l, i) => ({
      id: l.origin_id,
      position: i + 1,
      costCode: l.cost_code,
      amount: money(l.amount),
    }));
    out.push({
      entity: 'ProjectTransaction',
      key: p.origin_id,
      projectId: p.acumatica_project,
      description: p.description ?? '',
      type: p.direct_cost_type,
      date: p.direct_cost_date,
      invoiceNumber: p.invoice_number ?? '',
      vendor: p.vendor ?? '',
      total: totalOf(lines),
      lines,
    });
  }
  return out;
}

export interface ProcoreBill extends ProcoreBillFacts {
  projectId: string;
  /** The Procore subcontract it bills. */
  commitmentId: string;
  label: string;
}

/**
 * A project's subcontractor invoices of the given subcontracts, with their lines (work this period plus materials
 * stored, the amount the bill carries for the line); `costCodes`: Procore commitment line id -> cost code.
 */
export async function procoreBills(
  ctx: AdoptionContext,
  projectId: string,
  commitmentIds: Set<string>,
  costCodes: Map<string, string | null>,
): Promise<ProcoreBill[]> {
  const c = ctx.companyId;
  const all = await ctx.procore.listRequisitions(c, projectId);
  const ours = all.filter((r) => commitmentIds.has(String(r.commitment_id ?? '')));
  return mapLimit(ours, 4, async (r): Promise<ProcoreBill> => {
    const items = await ctx.procore.listRequisitionItems(c, projectId, String(r.id));
    const lines: MatchLine[] = items.map((i, n) => ({
      id: String(i.id),
      position: Number(i.position ?? n + 1),
      costCode: i.line_item_id ? (costCodes.get(String(i.line_item_id)) ?? null) : null,
      amount: money(i.work_completed_this_period) + money(i.materials_presently_stored),
    }));
    const date = r.billing_date ? r.billing_date.slice(0, 10) : null;
    return {
      id: String(r.id),
      projectId,
      commitmentId: String(r.commitment_id),
      type: 'Bill',
      date,
      invoiceNumber: r.invoice_number ?? '',
      vendor: '',
      total: totalOf(lines),
      lines,
      label: ['Invoice', r.invoice_number ?? `#${r.number ?? r.id}`, date].filter(Boolean).join(' '),
    };
  });
}

/** AP bills (type Bill) whose lines bill commitments; `vendor` is left '' (the commitment already fixes it). */
export async function acumaticaBills(ctx: AdoptionContext): Promise<AcumaticaBillFacts[]> {
  const rows = await ctx.acumatica.list('Bill', { filter: eq('Type', 'Bill'), expand: ['Details'] });
  return rows
    .map((r): AcumaticaBillFacts => {
      const details = (r.Details as AcumaticaRecord[] | undefined) ?? [];
      // Bill lines are keyed by position, as the exporter's line links are (`<ReferenceNbr>:<n>`).
      const lines: MatchLine[] = details.map((d, i) => ({
        id: String(i + 1),
        position: i + 1,
        costCode: (val<string>(d.CostCode) ?? null) as string | null,
        amount: Number(val(d.Amount) ?? val(d.ExtendedCost) ?? 0),
      }));
      const date = val<string>(r.Date);
      return {
        entity: 'Bill',
        key: String(val(r.ReferenceNbr) ?? ''),
        id: r.id,
        type: 'Bill',
        date: date ? String(date).slice(0, 10) : null,
        invoiceNumber: String(val(r.VendorRef) ?? ''),
        vendor: '',
        description: String(val(r.Description) ?? ''),
        total: totalOf(lines),
        commitmentKeys: [...new Set(details.map((d) => String(val(d.POOrderNbr) ?? '')))],
        lines,
      };
    })
    .filter((b) => b.commitmentKeys.length > 0 && b.commitmentKeys.every((k) => k !== ''));
}

export interface ProcoreBudgetChangeOrder extends ProcoreChangeOrderFacts {
  projectId: string;
  label: string;
}

/** A project's prime contract change orders with their lines. */
export async function procorePrimeChangeOrders(
  ctx: AdoptionContext,
  projectId: string,
): Promise<ProcoreBudgetChangeOrder[]> {
  const c = ctx.companyId;
  const all = await ctx.procore.listPrimeChangeOrders(c, projectId);
  return mapLimit(all, 4, async (co): Promise<ProcoreBudgetChangeOrder> => {
    const lines = await ctx.procore.listPrimeChangeOrderLineItems(c, projectId, String(co.id));
    const matchLines = procoreMatchLines(lines);
    return { id: String(co.id), projectId, ...documentName(co), total: totalOf(matchLines), lines: matchLines };
  });
}

/** A project's approved budget changes with their adjustment lines (numbered "1", "2"... within the project). */
export async function procoreBudgetChanges(
  ctx: AdoptionContext,
  projectId: string,
): Promise<ProcoreBudgetChangeOrder[]> {
  const c = ctx.companyId;
  const all = (await ctx.procore.listBudgetChanges(c, projectId)).filter((b) => norm(b.status) === 'APPROVED');
  return mapLimit(all, 4, async (b): Promise<ProcoreBudgetChangeOrder> => {
    const full = await ctx.procore.getBudgetChange(c, projectId, String(b.id));
    const matchLines: MatchLine[] = (full.adjustment_line_items ?? []).map((l, i) => ({
      id: String(l.id),
      position: i + 1,
      costCode: l.costCode,
      amount: money(l.amount),
    }));
    const number = b.number == null ? String(b.id) : String(b.number);
    const title = b.title ?? '';
    return {
      id: String(b.id),
      projectId,
      number,
      title,
      label: `Budget change #${number} ${title}`.trim(),
      total: totalOf(matchLines),
      lines: matchLines,
    };
  });
}

/**
 * Change orders of a budget: those with RevenueBudget lines (a PCCO's) or CostBudget lines (a budget change's) and
 * no Commitments lines. Line ids are the rows' budget keys `<task>:<account group>:<cost code>`, so line links read
 * `<RefNbr>:<task>:<account group>:<cost code>` as the exporters write them.
 */
export async function acumaticaBudgetChangeOrders(
  ctx: AdoptionContext,
  collection: 'RevenueBudget' | 'CostBudget',
): Promise<AcumaticaBudgetChangeOrderFacts[]> {
  const rows = await changeOrderRecords(ctx);
  const other = collection === 'RevenueBudget' ? 'CostBudget' : 'RevenueBudget';
  const rowsOf = (r: AcumaticaRecord, c: string) => (r[c] as AcumaticaRecord[] | null | undefined) ?? [];
  return rows
    .filter(
      (r) => rowsOf(r, collection).length > 0 && rowsOf(r, other).length === 0 && rowsOf(r, 'Commitments').length === 0,
    )
    .map((r): AcumaticaBudgetChangeOrderFacts => {
      const lines: MatchLine[] = rowsOf(r, collection).map((d, i) => ({
        id: [val(d.ProjectTaskID), val(d.AccountGroup), val(d.CostCode)].map((v) => String(v ?? '')).join(':'),
        position: i + 1,
        costCode: (val<string>(d.CostCode) ?? null) as string | null,
        amount: Number(val(d.Amount) ?? 0),
      }));
      return changeOrderFacts(r, lines);
    });
}

/** A prime contract of a project in scope, its lines as revenue lines. */
export interface ProcorePrimeContract {
  id: string;
  projectId: string;
  label: string;
  total: number;
  lines: ProcoreBudgetLine[];
}

export async function procorePrimeContracts(ctx: AdoptionContext, projectId: string): Promise<ProcorePrimeContract[]> {
  const c = ctx.companyId;
  const all = (await ctx.procore.listPrimeContracts(c, projectId)).filter((x) => !x.deleted_at);
  return mapLimit(all, 4, async (pc): Promise<ProcorePrimeContract> => {
    const lines = await ctx.procore.listPrimeContractLineItems(c, projectId, String(pc.id));
    const budgetLines = lines.map((l, i): ProcoreBudgetLine => ({
      id: String(l.id),
      position: Number(l.position ?? i + 1),
      costCode: l.cost_code?.full_code ?? l.cost_code?.code ?? '',
      accountGroup: null,
      amount: money(l.amount),
      description: l.description ?? '',
    }));
    return {
      id: String(pc.id),
      projectId,
      label: documentName(pc).label,
      total: Math.round(budgetLines.reduce((s, l) => s + l.amount, 0) * 100) / 100,
      lines: budgetLines,
    };
  });
}

/**
 * A project's budget lines (the standard budget view's detail rows), each with the account group of its cost
 * type where the cost-type import gave it one (`accountGroups`: Procore cost type id -> account group).
 */
export async function procoreBudgetLines(
  ctx: AdoptionContext,
  projectId: string,
  accountGroups: Map<string, string>,
): Promise<ProcoreBudgetLine[]> {
  const c = ctx.companyId;
  const [view] = await ctx.procore.listBudgetViews(c, projectId);
  if (!view) return [];
  const rows = await ctx.procore.listBudgetDetailRows(c, projectId, String(view.id));
  return rows.map((r, i) => ({
    id: String(r.id),
    position: i + 1,
    costCode: r.root_cost_code ?? (r.cost_code ?? '').split(' - ')[0],
    accountGroup: r.category_id ? (accountGroups.get(String(r.category_id)) ?? null) : null,
    amount: money(r.original_budget_amount),
    description: r.category ?? '',
  }));
}

/** Procore cost type id -> its Acumatica account group (the origin_id the cost-type import writes). */
export async function costTypeAccountGroups(ctx: AdoptionContext): Promise<Map<string, string>> {
  const types = await once(ctx, 'line_item_types', () => ctx.procore.listLineItemTypes(ctx.companyId));
  return new Map(types.filter((t) => t.origin_id).map((t) => [String(t.id), String(t.origin_id)]));
}

/** Every ProjectBudget row of the given type, grouped by project (normalised ProjectID); all rows read once. */
export async function acumaticaBudgetRows(
  ctx: AdoptionContext,
  type: 'Cost' | 'Revenue',
): Promise<Map<string, BudgetRowFacts[]>> {
  const all = await once(ctx, 'ProjectBudget', () =>
    ctx.acumatica.list('ProjectBudget', {
      select: [
        'ProjectID',
        'ProjectTaskID',
        'AccountGroup',
        'CostCode',
        'Type',
        'OriginalBudgetedAmount',
        'Description',
      ],
    }),
  );
  const rows = all.filter((r) => val(r.Type) === type);
  const out = new Map<string, BudgetRowFacts[]>();
  for (const r of rows) {
    const project = String(val(r.ProjectID) ?? '');
    const row: BudgetRowFacts = {
      key: [project, val(r.ProjectTaskID), val(r.AccountGroup), val(r.CostCode) ?? '', type]
        .map((v) => String(v ?? ''))
        .join(':'),
      task: String(val(r.ProjectTaskID) ?? ''),
      accountGroup: String(val(r.AccountGroup) ?? ''),
      costCode: String(val(r.CostCode) ?? ''),
      amount: Number(val(r.OriginalBudgetedAmount) ?? 0),
      description: String(val(r.Description) ?? ''),
    };
    out.set(norm(project), [...(out.get(norm(project)) ?? []), row]);
  }
  return out;
}

export const COMMITMENT_ENTITIES = {
  work_order_contract: { acumaticaEntity: 'Subcontract', lineEntity: 'SubcontractDetail' },
  purchase_order_contract: { acumaticaEntity: 'PurchaseOrder', lineEntity: 'PurchaseOrderDetail' },
} as const;
