/**
 * Store records -> Procore JSON shapes (field names and types from procore-public-api-digest.json; digest.ts
 * adds the fields the simulator does not model as null). Ids become bigint (JSON numbers, exact past 2^53
 * through lossless-json); money typed `str` in the digest stays a string, money typed `float` becomes an exact
 * JSON number. Financial tools (budget, prime contracts, change orders, direct costs, invoices, payments) are
 * in render-financials.ts.
 */
import Decimal from 'decimal.js';
import { LosslessNumber, parse } from 'lossless-json';
import { exactNumber, idNum } from './json';
import { projectProfile, vendorProfile } from './profile-fields';
import type {
  CommitmentKind,
  CommitmentLineItem,
  CostCode,
  Delivery,
  ErpRequest,
  ErpRequestDetail,
  ExternalData,
  Hook,
  LineFields,
  LineItemType,
  TaxCode,
  Project,
  ProcoreStore,
  StagedRecord,
  StandardCostCode,
  StandardCostCodeList,
  SubJob,
  Trigger,
  Vendor,
  WorkOrderContract,
} from './store';

export const USD = { currency_iso_code: 'USD' };

/**
 * The digest types `business_id` as a string in lists and sync answers but an int on GET /vendors/{id}; the
 * demo tax ids are strings, so the show view carries the tax id only as the business register identifier.
 */
export function renderVendor(v: Vendor, view: 'list' | 'show' = 'list') {
  return {
    ...vendorProfile(v),
    id: idNum(v.id),
    name: v.name,
    company: v.name,
    abbreviated_name: v.abbreviated_name,
    address: v.address,
    city: v.city,
    state_code: v.state_code,
    zip: v.zip,
    country_code: v.country_code,
    business_phone: v.business_phone,
    email_address: v.email_address,
    business_id: view === 'list' ? v.business_id : null,
    business_register: v.business_id ? { id: null, type: 'tax_id', identifier: v.business_id } : null,
    is_active: v.is_active,
    origin_id: v.origin_id,
    origin_code: v.origin_code,
    origin_data: v.origin_data,
    synced_to_erp: v.origin_id !== null,
    created_at: v.created_at,
    updated_at: v.updated_at,
  };
}

export function renderProject(p: Project, store?: ProcoreStore) {
  const company = store?.state.companies.find((c) => c.id === p.company_id);
  const erpList = store?.erpCostCodeList(p.company_id);
  return {
    ...projectProfile(p, company?.name ?? null),
    id: idNum(p.id),
    name: p.name,
    display_name: p.project_number ? `${p.project_number} - ${p.name}` : p.name,
    project_number: p.project_number,
    address: p.address,
    city: p.city,
    state_code: p.state_code,
    zip: p.zip,
    country_code: p.country_code,
    start_date: p.start_date,
    completion_date: p.completion_date,
    active: p.active,
    origin_id: p.origin_id,
    origin_code: p.origin_code,
    origin_data: p.origin_data,
    is_erp_integrated: p.origin_id !== null,
    standard_cost_code_list_id: erpList ? idNum(erpList.id) : null,
    company: { id: idNum(p.company_id), name: company?.name ?? null },
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function renderSubJob(s: SubJob) {
  return {
    id: idNum(s.id),
    code: s.code,
    name: s.name,
    origin_id: s.origin_id,
    origin_data: s.origin_data,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

export function renderStandardCostCodeList(l: StandardCostCodeList) {
  return { id: idNum(l.id), name: l.name, is_erp_list: l.is_erp_list, company_id: idNum(l.company_id) };
}

export function renderStandardCostCode(c: StandardCostCode) {
  return {
    id: idNum(c.id),
    standard_cost_code_list_id: idNum(c.list_id),
    parent_id: idNum(c.parent_id),
    code: c.code,
    full_code: c.full_code,
    name: c.name,
    origin_id: c.origin_id,
    origin_data: c.origin_data,
  };
}

export function renderLineItemType(t: LineItemType) {
  return {
    id: idNum(t.id),
    name: t.name,
    code: t.code,
    base_type: t.base_type,
    origin_id: t.origin_id,
    origin_data: t.origin_data,
  };
}

export function renderTaxCode(t: TaxCode) {
  return {
    id: idNum(t.id),
    code: t.code,
    description: t.description,
    rate1: t.rate1,
    archived: t.archived,
    origin_id: t.origin_id,
    origin_data: t.origin_data,
  };
}

/**
 * What rendering a cost code looks up, indexed in one pass each: a page or a sync answer of many codes would
 * otherwise scan every budget line per code (seconds of CPU for a large company's import, issue 16). Build it
 * once per answer; nothing a cost-code route changes (codes) is in it.
 */
export interface CostCodeLookups {
  budgeted: Set<string | null>;
  standard: Map<string, StandardCostCode>;
  subJobs: Map<string, SubJob>;
  projects: Map<string, Project>;
}

export function costCodeLookups(store: ProcoreStore): CostCodeLookups {
  return {
    budgeted: new Set(store.state.budgetLineItems.map((b) => b.cost_code_id)),
    standard: new Map(store.state.standardCostCodes.map((s) => [s.id, s])),
    subJobs: new Map(store.state.subJobs.map((s) => [s.id, s])),
    projects: new Map(store.state.projects.map((p) => [p.id, p])),
  };
}

/** One cost code; `lookups` when rendering many (costCodeLookups), else each is looked up by a scan. */
export function renderCostCode(store: ProcoreStore, c: CostCode, lookups?: CostCodeLookups) {
  const standard = lookups
    ? lookups.standard.get(c.standard_cost_code_id ?? '')
    : store.state.standardCostCodes.find((s) => s.id === c.standard_cost_code_id);
  const subJob = !c.sub_job_id
    ? undefined
    : lookups
      ? lookups.subJobs.get(c.sub_job_id)
      : store.state.subJobs.find((s) => s.id === c.sub_job_id);
  const project = lookups ? lookups.projects.get(c.project_id) : store.projectOf(c.project_id);
  return {
    id: idNum(c.id),
    code: c.code,
    full_code: c.full_code,
    name: c.name,
    sortable_code: c.full_code,
    position: c.position,
    // The biller is what the code is billed under: the sub job when it has one, else the project.
    biller: subJob?.name ?? project?.name ?? null,
    biller_id: idNum(subJob?.id ?? c.project_id),
    biller_type: subJob ? 'SubJob' : 'Project',
    biller_origin_id: subJob?.origin_id ?? project?.origin_id ?? null,
    budgeted: lookups ? lookups.budgeted.has(c.id) : store.state.budgetLineItems.some((b) => b.cost_code_id === c.id),
    standard_cost_code_id: idNum(c.standard_cost_code_id ?? null),
    standard_cost_code_list_id: idNum(standard?.list_id ?? null),
    origin_id: c.origin_id,
    origin_data: c.origin_data,
    line_item_types: (c.line_item_type_ids ?? [])
      .map((id) => store.lineItemType(id))
      .filter((t): t is LineItemType => t !== undefined)
      .map(renderLineItemType),
    parent: null,
    deleted_at: null,
    created_at: c.created_at ?? null,
    updated_at: c.updated_at ?? null,
  };
}

const HOLDER_TYPES: Record<CommitmentKind, string> = {
  work_order_contract: 'WorkOrderContract',
  purchase_order_contract: 'PurchaseOrderContract',
};

export function renderWorkOrderContract(
  store: ProcoreStore,
  c: WorkOrderContract,
  opts: { kind?: CommitmentKind; withLines?: boolean } = {},
) {
  const kind = opts.kind ?? 'work_order_contract';
  const vendor = c.vendor_id ? store.state.vendors.find((v) => v.id === c.vendor_id) : undefined;
  const project = store.projectOf(c.project_id);
  const original = store.grandTotal(c.id);
  const approvedCos = store.approvedChangeOrders(c.id);
  const revised = new Decimal(original).plus(approvedCos).toFixed(2);
  const paid = store.state.contractPayments
    .filter((p) => p.contract_id === c.id)
    .reduce((s, p) => s.plus(p.amount), new Decimal(0));
  const requisitioned = store.state.requisitions
    .filter((r) => r.commitment_id === c.id)
    .flatMap((r) => store.requisitionItems(r.id))
    .reduce((s, i) => s.plus(i.work_completed_this_period).plus(i.materials_presently_stored), new Decimal(0));
  return {
    id: idNum(c.id),
    number: c.number,
    title: c.title,
    description: c.description ?? null,
    status: c.status,
    executed: c.executed,
    accounting_method: c.accounting_method,
    // Digest: vendor {id, company}; the show view adds the vendor's origin fields.
    vendor: vendor
      ? {
          id: idNum(vendor.id),
          company: vendor.name,
          ...(opts.withLines ? { origin_id: vendor.origin_id, origin_data: vendor.origin_data } : {}),
        }
      : null,
    project: project ? { id: idNum(project.id), name: project.name } : null,
    retainage_percent: c.retainage_percent,
    grand_total: original,
    revised_contract: revised,
    approved_change_orders: approvedCos,
    pending_change_orders: '0.00',
    pending_revised_contract: revised,
    draft_change_orders_amount: '0.00',
    total_payments: paid.toFixed(2),
    percentage_paid: new Decimal(revised).isZero() ? '0.0' : paid.div(revised).times(100).toFixed(1),
    remaining_balance_outstanding: new Decimal(revised).minus(paid).toFixed(2),
    total_requisitions_amount: requisitioned.toFixed(2),
    total_draw_requests_amount: '0.00',
    requisitions_are_enabled: true,
    show_line_items_to_non_admins: false,
    contract_date: c.contract_date,
    ...(kind === 'purchase_order_contract' ? { delivery_date: c.delivery_date ?? null } : {}),
    private: false,
    origin_id: c.origin_id,
    origin_code: c.origin_code,
    origin_data: c.origin_data,
    currency_configuration: USD,
    deleted_at: c.deleted_at,
    created_at: c.created_at,
    updated_at: c.updated_at,
    ...(opts.withLines
      ? { line_items: store.lineItemsOf(c.id).map((l) => renderLineItem(store, l, { compactCostCode: true })) }
      : {}),
  };
}

/** A schedule-of-values line of a commitment or a prime contract. */
export function renderLineItem(store: ProcoreStore, l: CommitmentLineItem, opts: { compactCostCode?: boolean } = {}) {
  const costCode = store.costCode(l.cost_code_id);
  const type = store.lineItemType(l.line_item_type_id);
  const holder = holderOf(store, l.contract_id);
  const project = holder ? store.projectOf(holder.projectId) : undefined;
  const subJob = l.sub_job_id ? store.state.subJobs.find((s) => s.id === l.sub_job_id) : undefined;
  return {
    id: idNum(l.id),
    amount: l.amount,
    cost_code: costCode
      ? opts.compactCostCode
        ? {
            id: idNum(costCode.id),
            code: costCode.code,
            full_code: costCode.full_code,
            name: costCode.name,
            origin_id: costCode.origin_id,
            position: costCode.position,
          }
        : renderCostCode(store, costCode)
      : null,
    line_item_type: type ? renderLineItemType(type) : null,
    // The line's budget code: `<sub job>.<cost code>.<cost type>` (wbs.ts), the sub job segment empty without one.
    wbs_code: costCode
      ? {
          id: idNum(costCode.id),
          flat_code: `${subJob?.code ?? ''}.${costCode.full_code}.${type?.code ?? ''}`,
          description: costCode.name,
        }
      : null,
    ...renderLineQuantity(l),
    tax_code_id: l.tax_code_id ? idNum(l.tax_code_id) : null,
    origin_id: l.origin_id,
    origin_data: l.origin_data,
    position: l.position,
    holder: { id: idNum(l.contract_id), holder_type: holder?.type ?? 'WorkOrderContract' },
    project: project ? { id: idNum(project.id), name: project.name } : null,
    currency_configuration: USD,
    created_at: l.created_at,
    updated_at: l.updated_at,
  };
}

/** The quantity side of a rendered line, with its totals (the line's amount). */
export function renderLineQuantity(l: LineFields) {
  const total = new Decimal(l.amount).toFixed(2);
  return {
    description: l.description,
    quantity: exactNumber(l.quantity),
    unit_cost: exactNumber(l.unit_cost),
    uom: l.uom,
    total_amount: exactNumber(total),
    extended_amount: exactNumber(total),
    extended_type: 'calculated',
  };
}

function holderOf(store: ProcoreStore, contractId: string): { type: string; projectId: string } | undefined {
  for (const kind of ['work_order_contract', 'purchase_order_contract'] as const) {
    const c = store.commitments(kind).find((x) => x.id === contractId);
    if (c) return { type: HOLDER_TYPES[kind], projectId: c.project_id };
  }
  const prime = store.state.primeContracts.find((p) => p.id === contractId);
  return prime ? { type: 'PrimeContract', projectId: prime.project_id } : undefined;
}

/** GET /commitments: both kinds, with `type` telling them apart (digest Commitment / Commitment1). */
export function renderCommitmentSummary(
  store: ProcoreStore,
  kind: CommitmentKind,
  c: WorkOrderContract,
  detailed: boolean,
) {
  const vendor = c.vendor_id ? store.state.vendors.find((v) => v.id === c.vendor_id) : undefined;
  const base = {
    id: idNum(c.id),
    title: c.title,
    number: c.number,
    status: c.status,
    description: c.description ?? null,
    executed: c.executed,
    delivery_date: c.delivery_date ?? null,
    created_at: c.created_at,
    private: false,
    vendor: vendor ? { id: idNum(vendor.id), name: vendor.name } : null,
  };
  if (!detailed) return base;
  const full = renderWorkOrderContract(store, c, { kind });
  return {
    ...base,
    vendor: vendor ? renderVendor(vendor) : null,
    type: HOLDER_TYPES[kind],
    accounting_method: c.accounting_method,
    grand_total: full.grand_total,
    revised_contract: full.revised_contract,
    approved_change_orders: full.approved_change_orders,
    pending_change_orders: full.pending_change_orders,
    retainage_percent: c.retainage_percent,
    total_payments: full.total_payments,
    deleted_at: c.deleted_at,
    updated_at: c.updated_at,
    line_items: store.lineItemsOf(c.id).map((l) => renderLineItem(store, l, { compactCostCode: true })),
  };
}

export function renderHook(h: Hook) {
  return {
    id: idNum(h.id),
    api_version: h.api_version,
    namespace: h.namespace,
    destination_url: h.destination_url,
    // Header names are case-insensitive; Procore documents them lower-case (`destination_headers.authorization`).
    destination_headers: Object.fromEntries(
      Object.entries(h.destination_headers).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    owned_by_company_id: idNum(h.company_id),
    owned_by_project_id: idNum(h.project_id),
    owned_by_user_id: idNum(h.owned_by_user_id),
  };
}

export function renderTrigger(t: Trigger) {
  return {
    id: idNum(t.id),
    webhook_hook_id: idNum(t.hook_id),
    resource_name: t.resource_name,
    event_type: t.event_type,
    company_id: idNum(t.company_id),
    project_id: idNum(t.project_id),
  };
}

export function renderDelivery(d: Delivery) {
  return {
    // Not in the digest's WebhooksDelivery; kept because the attempt needs an identity of its own.
    id: idNum(d.id),
    event_id: idNum(d.event_id),
    event: parse(d.event_json, null, (n) => new LosslessNumber(n)),
    outcome: d.outcome,
    response_status: d.response_status,
    response_headers: d.response_headers,
    response_body: d.response_body,
    response_error: d.response_error,
    started_at: d.started_at,
    completed_at: d.completed_at,
  };
}

export function renderRequestDetail(d: ErpRequestDetail) {
  return {
    id: idNum(d.id),
    erp_request_id: idNum(d.erp_request_id),
    item_type: d.item_type,
    item_id: idNum(d.item_id),
    status: d.status,
    messages: d.messages,
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

export function renderErpRequest(store: ProcoreStore, r: ErpRequest) {
  const details = r.detail_ids
    .map((id) => store.state.erpRequestDetails.find((d) => d.id === id))
    .filter((d): d is ErpRequestDetail => d !== undefined);
  return {
    id: idNum(r.id),
    company_id: idNum(r.company_id),
    request_name: r.request_name,
    integration_app_name: r.integration_app_name,
    created_at: r.created_at,
    updated_at: r.updated_at,
    // Frozen at approval time as lossless JSON text, so exact numbers come back out unchanged.
    request_data: parse(r.request_data_json, null, (n) => new LosslessNumber(n)),
    request_details: details.map(renderRequestDetail),
  };
}

export function renderExternalData(e: ExternalData) {
  return {
    id: idNum(e.id),
    item_type: e.item_type,
    item_id: idNum(e.item_id),
    origin_id: e.origin_id,
    origin_data: e.origin_data,
  };
}

export function renderStagedRecord(s: StagedRecord) {
  return {
    id: idNum(s.id),
    item_type: s.item_type,
    origin_id: s.origin_id,
    origin_code: s.origin_code,
    origin_data: s.origin_data,
    parent_id: idNum(s.parent_id),
    parent_origin_id: s.parent_origin_id,
    status: s.status,
    data: s.data,
    children: s.children,
    messages: s.messages,
    procore_id: idNum(s.procore_id),
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}
