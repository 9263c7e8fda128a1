/**
 * Company-level direct costs (procore-api.md §5.9): one vendor invoice whose lines span several projects,
 * entered in the company's ERP tab and exported by `create_company_level_direct_cost`. Created here by the admin
 * API (POST /__admin/company_direct_costs): the public API has no route for them yet.
 */
import Decimal from 'decimal.js';
import { idNum } from './json';
import { wbsFlatCode } from './render-financials';
import type { CompanyDirectCost, CompanyDirectCostLine, ProcoreStore } from './store';
import { wbsCodesOf } from './wbs';

export interface CompanyDirectCostInput {
  companyId: string;
  vendorId: string;
  invoiceNumber: string;
  directCostDate: string;
  description?: string;
  terms?: string;
  lines: Array<{
    projectId: string;
    costCodeId: string;
    lineItemTypeId: string;
    subJobId?: string;
    description?: string;
    /** The line total; or quantity x unit cost. */
    amount?: string;
    quantity?: string;
    unitCost?: string;
    uom?: string;
  }>;
}

/** Stores a company-level direct cost after Procore's checks; the problems found otherwise. */
export function createCompanyDirectCost(
  store: ProcoreStore,
  input: CompanyDirectCostInput,
): { id: string } | { status: number; error: string } {
  const problems: string[] = [];
  if (!store.vendor(input.companyId, input.vendorId)) problems.push(`vendor ${input.vendorId} is not in the company`);
  if (input.lines.length === 0) problems.push('a direct cost needs at least one line');
  const lines: CompanyDirectCostLine[] = input.lines.map((l, i) => {
    const at = `line ${i + 1}`;
    const project = store.project(input.companyId, l.projectId);
    if (!project) problems.push(`${at}: project ${l.projectId} is not in the company`);
    if (store.costCode(l.costCodeId)?.project_id !== l.projectId)
      problems.push(`${at}: cost code ${l.costCodeId} is not a cost code of project ${l.projectId}`);
    if (!store.lineItemType(l.lineItemTypeId)) problems.push(`${at}: cost type ${l.lineItemTypeId} does not exist`);
    if (l.subJobId && !store.subJob(l.projectId, l.subJobId))
      problems.push(`${at}: sub job ${l.subJobId} is not in project ${l.projectId}`);
    const quantity = l.quantity ?? '1.0';
    const unitCost = l.unitCost ?? l.amount ?? '0';
    const total = l.amount ?? new Decimal(quantity).times(unitCost).toFixed(2);
    return {
      id: store.newId(),
      project_id: l.projectId,
      sub_job_id: l.subJobId ?? null,
      cost_code_id: l.costCodeId,
      line_item_type_id: l.lineItemTypeId,
      description: l.description ?? null,
      quantity,
      unit_cost: unitCost,
      uom: l.uom ?? null,
      total_amount: total,
    };
  });
  if (problems.length > 0) return { status: 422, error: problems.join('; ') };
  const now = store.clock.nowIso();
  const cost: CompanyDirectCost = {
    id: store.newId(),
    company_id: input.companyId,
    vendor_id: input.vendorId,
    invoice_number: input.invoiceNumber,
    direct_cost_type: 'invoice',
    direct_cost_date: input.directCostDate,
    accounting_date: input.directCostDate,
    received_date: input.directCostDate,
    description: input.description ?? null,
    terms: input.terms ?? null,
    status: 'approved',
    lines,
    origin_id: null,
    origin_code: null,
    origin_data: null,
    created_at: now,
    updated_at: now,
  };
  store.state.companyDirectCosts.push(cost);
  return { id: cost.id };
}

/**
 * `request_data.direct_cost` of create_company_level_direct_cost, shaped as the events dictionary's example
 * (procore/documentation erp_integration/erp_events_dictionary.md, 2026-06): the vendor with its ERP keys, and
 * each line with its project, WBS code and the ERP keys of its job, cost code and cost type. The attachment is
 * left out (the simulator keeps no files). Ids are strings in `direct_cost`, `vendor` and lines, and numbers in
 * `projects[]`, as the example writes them.
 */
export function companyDirectCostPayload(store: ProcoreStore, d: CompanyDirectCost) {
  const vendor = store.vendor(d.company_id, d.vendor_id);
  const projects = [...new Set(d.lines.map((l) => l.project_id))].map((id) => store.projectOf(id));
  const total = d.lines.reduce((sum, l) => sum.plus(l.total_amount), new Decimal(0)).toFixed(2);
  const currency = { base_currency_iso_code: null, currency_exchange_rate: '1.0', currency_iso_code: 'USD' };
  return {
    id: d.id,
    accounting_date: d.accounting_date,
    ai_autofill: false,
    billed_amount: total,
    created_at: d.created_at,
    currency_configuration: currency,
    description: d.description,
    direct_cost_date: d.direct_cost_date,
    direct_cost_type: d.direct_cost_type,
    discount_date: null,
    employee: null,
    erp: { status: 'exporting' },
    invoice_number: d.invoice_number,
    line_item_total: total,
    paid_status: 'unpaid',
    payment_date: null,
    payment_due_date: null,
    projects: projects.map((p) => ({ id: idNum(p?.id ?? null), name: p?.name ?? null })),
    received_date: d.received_date,
    review_status: 'ready',
    status: d.status,
    terms: d.terms,
    updated_at: d.updated_at,
    vendor: vendor
      ? {
          id: vendor.id,
          name: vendor.name,
          origin_id: vendor.origin_id,
          origin_code: vendor.origin_code,
          origin_data: vendor.origin_data,
        }
      : null,
    origin_id: d.origin_id,
    origin_code: d.invoice_number,
    origin_data: d.origin_data,
    line_items: d.lines.map((l, i) => {
      const project = store.projectOf(l.project_id);
      const costCode = store.costCode(l.cost_code_id);
      const type = store.lineItemType(l.line_item_type_id);
      const wbs = wbsCodesOf(store, l.project_id).find(
        (w) =>
          w.sub_job_id === l.sub_job_id &&
          w.cost_code_id === l.cost_code_id &&
          w.line_item_type_id === l.line_item_type_id,
      );
      return {
        id: l.id,
        company: { id: d.company_id },
        currency_configuration: currency,
        description: l.description,
        direct_cost_id: d.id,
        extended_type: 'calculated',
        position: i + 1,
        project: { id: l.project_id, name: project?.name ?? null },
        quantity: l.quantity,
        total_amount: l.total_amount,
        unit_cost: l.unit_cost,
        uom: l.uom ? { name: l.uom, read_only: false } : null,
        wbs_code: {
          id: idNum(wbs?.id ?? null),
          flat_code: wbsFlatCode(store, l.sub_job_id, l.cost_code_id, l.line_item_type_id),
          description: costCode?.name ?? null,
        },
        job_origin_id: project?.origin_id ?? null,
        cost_code_id: idNum(l.cost_code_id),
        line_item_type_id: idNum(l.line_item_type_id),
        cost_code_origin_id: costCode?.origin_id ?? null,
        line_item_type_origin_id: type?.origin_id ?? null,
      };
    }),
  };
}
