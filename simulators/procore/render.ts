/**
 * Store records -> Procore JSON shapes (field names and types from procore-public-api-digest.json).
 * Ids become bigint (JSON numbers, exact past 2^53 through lossless-json); money typed `str` in the digest
 * stays a string, money typed `float` becomes an exact JSON number.
 */
import { exactNumber, idNum } from './json';
import type {
  CommitmentLineItem,
  Delivery,
  ErpRequest,
  ErpRequestDetail,
  ExternalData,
  Hook,
  Project,
  ProcoreStore,
  Trigger,
  Vendor,
  WorkOrderContract,
} from './store';
import Decimal from 'decimal.js';
import { LosslessNumber, parse } from 'lossless-json';

export function renderVendor(v: Vendor) {
  return {
    id: idNum(v.id),
    name: v.name,
    abbreviated_name: v.abbreviated_name,
    address: v.address,
    city: v.city,
    state_code: v.state_code,
    zip: v.zip,
    country_code: v.country_code,
    business_phone: v.business_phone,
    email_address: v.email_address,
    // The digest has no tax-id field; `business_id` is the closest (vendor "Business id"), so the demo
    // tax id travels there.
    business_id: v.business_id,
    is_active: v.is_active,
    origin_id: v.origin_id,
    origin_code: v.origin_code,
    origin_data: v.origin_data,
    synced_to_erp: v.origin_id !== null,
    created_at: v.created_at,
    updated_at: v.updated_at,
  };
}

export function renderProject(p: Project) {
  return {
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
    company: { id: idNum(p.company_id) },
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function renderWorkOrderContract(store: ProcoreStore, c: WorkOrderContract) {
  const vendor = c.vendor_id ? store.state.vendors.find((v) => v.id === c.vendor_id) : undefined;
  const project = store.state.projects.find((p) => p.id === c.project_id);
  const grandTotal = store.grandTotal(c.id);
  return {
    id: idNum(c.id),
    number: c.number,
    title: c.title,
    status: c.status,
    executed: c.executed,
    accounting_method: c.accounting_method,
    // Digest: vendor {id, company}; `name` added because Procore's UI-facing serialisers carry it and the
    // connector wants the name without a second call.
    vendor: vendor ? { id: idNum(vendor.id), company: vendor.name, name: vendor.name } : null,
    project: project ? { id: idNum(project.id), name: project.name } : null,
    retainage_percent: c.retainage_percent,
    grand_total: grandTotal,
    revised_contract: grandTotal,
    approved_change_orders: '0.0',
    pending_change_orders: '0.0',
    total_payments: '0.0',
    contract_date: c.contract_date,
    private: false,
    origin_id: c.origin_id,
    origin_code: c.origin_code,
    origin_data: c.origin_data,
    currency_configuration: { currency_iso_code: 'USD' },
    deleted_at: c.deleted_at,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

export function renderLineItem(store: ProcoreStore, l: CommitmentLineItem) {
  const costCode = store.costCode(l.cost_code_id);
  const type = store.lineItemType(l.line_item_type_id);
  const total = new Decimal(l.amount).toFixed(2);
  return {
    id: idNum(l.id),
    amount: l.amount,
    cost_code: costCode
      ? {
          id: idNum(costCode.id),
          code: costCode.code,
          full_code: costCode.full_code,
          name: costCode.name,
          origin_id: costCode.origin_id,
          position: costCode.position,
        }
      : null,
    line_item_type: type
      ? { id: idNum(type.id), name: type.name, code: type.code, base_type: type.base_type, origin_id: type.origin_id }
      : null,
    description: l.description,
    quantity: exactNumber(l.quantity),
    unit_cost: exactNumber(l.unit_cost),
    uom: l.uom,
    total_amount: exactNumber(total),
    extended_amount: exactNumber(total),
    extended_type: 'calculated',
    tax_code_id: null,
    origin_id: l.origin_id,
    origin_data: l.origin_data,
    position: l.position,
    holder: { id: idNum(l.contract_id), holder_type: 'WorkOrderContract' },
    created_at: l.created_at,
    updated_at: l.updated_at,
  };
}

export function renderHook(h: Hook) {
  return {
    id: idNum(h.id),
    api_version: h.api_version,
    namespace: h.namespace,
    destination_url: h.destination_url,
    destination_headers: h.destination_headers,
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
  return { id: idNum(e.id), item_type: e.item_type, item_id: idNum(e.item_id), origin_id: e.origin_id };
}
