/**
 * Renderers for Procore's financial tools: budget, prime contracts, change orders, direct costs,
 * subcontractor invoices (requisitions) and contract payments. Same conventions as render.ts.
 */
import Decimal from 'decimal.js';
import { exactNumber, idNum } from './json';
import { renderCostCode, renderLineItem, renderLineItemType, renderLineQuantity, USD } from './render';
import {
  sum,
  type BudgetChange,
  type BudgetLineItem,
  type BudgetModification,
  type ChangeOrder,
  type ChangeOrderLineItem,
  type ContractPayment,
  type DirectCost,
  type DirectCostLineItem,
  type LineFields,
  type PrimeContract,
  type ProcoreStore,
  type Requisition,
  type RequisitionItem,
} from './store';

/** Procore's standard budget view, the same for every project (views are configured per company). */
export const STANDARD_BUDGET_VIEW = { name: 'Procore Standard Budget', demoId: '9440001' };

export function renderPrimeContract(store: ProcoreStore, c: PrimeContract, opts: { withLines?: boolean } = {}) {
  const original = store.grandTotal(c.id);
  const approved = store.approvedChangeOrders(c.id);
  const owner = c.owner_name ? { id: null, name: c.owner_name, company: c.owner_name } : null;
  return {
    id: idNum(c.id),
    number: c.number,
    title: c.title,
    status: c.status,
    executed: c.executed,
    accounting_method: 'amount',
    retainage_percent: c.retainage_percent,
    contract_date: c.contract_date,
    grand_total: original,
    approved_change_orders: approved,
    ...(opts.withLines
      ? {
          revised_contract_amount: new Decimal(original).plus(approved).toFixed(2),
          pending_change_orders_amount: '0.00',
          line_items_total: original,
          line_items: store.lineItemsOf(c.id).map((l) => renderLineItem(store, l, { compactCostCode: true })),
        }
      : {}),
    private: false,
    contractor: owner,
    vendor: owner,
    origin_id: c.origin_id,
    ...(opts.withLines ? {} : { origin_code: c.origin_code }),
    origin_data: c.origin_data,
    currency_configuration: USD,
    deleted_at: c.deleted_at,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

export function renderChangeOrder(store: ProcoreStore, c: ChangeOrder) {
  return {
    id: idNum(c.id),
    contract_id: idNum(c.contract_id),
    number: c.number,
    title: c.title,
    description: c.description,
    status: c.status,
    executed: c.executed,
    due_date: c.due_date,
    revision: c.revision,
    // Procore's `type` names the change order class (one-tier setup).
    type: c.kind === 'commitment' ? 'CommitmentChangeOrder' : 'PrimeContractChangeOrder',
    grand_total: sum(store.changeOrderLines(c.id).map((l) => l.amount)),
    private: false,
    paid: false,
    field_change: false,
    signature_required: false,
    currency_configuration: USD,
    change_events: [],
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

/**
 * A change order line in the shape of Procore's potential change order line items (digest `Default`), which
 * is where a one-tier CCO's lines live. `contract_line_item_id` (the line whose scope it changes) is a
 * simulator addition: Procore's public models do not link the two.
 */
export function renderChangeOrderLine(store: ProcoreStore, l: ChangeOrderLineItem) {
  const costCode = store.costCode(l.cost_code_id);
  const type = store.lineItemType(l.line_item_type_id);
  return {
    id: idNum(l.id),
    amount: l.amount,
    cost_code: costCode ? renderCostCode(store, costCode) : null,
    line_item_type: type ? renderLineItemType(type) : null,
    ...renderLineQuantity(l),
    position: l.position,
    origin_id: l.origin_id,
    origin_data: l.origin_data,
    holder: { id: idNum(l.change_order_id), holder_type: 'ChangeOrder' },
    contract_line_item_id: idNum(l.contract_line_item_id),
    currency_configuration: USD,
    created_at: l.created_at,
    updated_at: l.updated_at,
  };
}

export function renderBudgetView(store: ProcoreStore, projectId: string) {
  const id = store.demoId(STANDARD_BUDGET_VIEW.demoId);
  return {
    id: idNum(id),
    name: STANDARD_BUDGET_VIEW.name,
    description: 'Original budget, changes and committed costs',
    created_at: '2024-01-02T15:00:00Z',
    updated_at: '2024-01-02T15:00:00Z',
    role: 'standard',
    links: {
      detail_rows: `/rest/v1.0/budget_views/${id}/detail_rows?project_id=${projectId}`,
      summary_rows: `/rest/v1.0/budget_views/${id}/summary_rows?project_id=${projectId}`,
    },
  };
}

/** Approved budget changes and modifications touching a budget line, netted. */
function budgetAdjustments(store: ProcoreStore, b: BudgetLineItem) {
  const changes = store.state.budgetChanges
    .filter((c) => c.project_id === b.project_id && c.status === 'approved')
    .flatMap((c) => c.lines)
    .filter(
      (l) =>
        l.cost_code_id === b.cost_code_id &&
        l.line_item_type_id === b.line_item_type_id &&
        l.sub_job_id === b.sub_job_id,
    )
    .map((l) => l.amount);
  const mods = store.state.budgetModifications.flatMap((m) =>
    m.to_budget_line_item_id === b.id
      ? [m.transfer_amount]
      : m.from_budget_line_item_id === b.id
        ? [new Decimal(m.transfer_amount).neg().toFixed(2)]
        : [],
  );
  return { changes: sum(changes), modifications: sum(mods) };
}

/** Committed and direct costs booked against a budget line's cost code and cost type. */
function budgetCosts(store: ProcoreStore, b: BudgetLineItem) {
  const projectCommitments = new Set(
    [...store.state.workOrderContracts, ...store.state.purchaseOrderContracts]
      .filter((c) => c.project_id === b.project_id && c.deleted_at === null)
      .map((c) => c.id),
  );
  const projectDirectCosts = new Set(
    store.state.directCosts.filter((d) => d.project_id === b.project_id).map((d) => d.id),
  );
  /** The amounts of the lines held by `held` that book to the budget line's cost code and cost type. */
  const bookedAmounts = <L extends LineFields>(lines: L[], held: (l: L) => boolean) =>
    lines
      .filter((l) => held(l) && l.cost_code_id === b.cost_code_id && l.line_item_type_id === b.line_item_type_id)
      .map((l) => l.amount);
  const committed = bookedAmounts(store.state.lineItems, (l) => projectCommitments.has(l.contract_id));
  const direct = bookedAmounts(store.state.directCostLineItems, (l) => projectDirectCosts.has(l.direct_cost_id));
  return { committed: sum(committed), direct: sum(direct) };
}

export function renderBudgetDetailRow(store: ProcoreStore, b: BudgetLineItem) {
  const project = store.projectOf(b.project_id);
  const costCode = store.costCode(b.cost_code_id);
  const type = store.lineItemType(b.line_item_type_id);
  const subJob = b.sub_job_id ? store.state.subJobs.find((s) => s.id === b.sub_job_id) : undefined;
  const company = store.state.companies.find((c) => c.id === project?.company_id);
  const { modifications, changes } = budgetAdjustments(store, b);
  return {
    id: idNum(b.id),
    deletable: false,
    company_id: idNum(project?.company_id ?? null),
    company: company?.name ?? null,
    project_id: idNum(b.project_id),
    project: project?.name ?? null,
    cost_code_id: idNum(b.cost_code_id),
    cost_code: costCode ? `${costCode.full_code} - ${costCode.name}` : null,
    cost_code_origin_id: costCode?.origin_id ?? null,
    root_cost_code_id: idNum(b.cost_code_id),
    root_cost_code: costCode?.full_code ?? null,
    category_id: idNum(b.line_item_type_id),
    category: type?.name ?? null,
    biller_id: idNum(subJob?.id ?? b.project_id),
    biller: subJob?.name ?? project?.name ?? null,
    biller_type: subJob ? 'SubJob' : 'Project',
    original_budget_amount: exactNumber(b.original_budget_amount),
    budget_modifications: exactNumber(new Decimal(modifications).plus(changes).toFixed(2)),
    budget_forecast: null,
    currency_configuration: USD,
    unbudgeted_reason: null,
  };
}

/** A budget line's unit, and its quantity and unit cost when it has them. */
export function renderBudgetQuantity(b: BudgetLineItem) {
  return {
    uom: b.uom,
    quantity: b.quantity === null ? null : exactNumber(b.quantity),
    unit_cost: b.unit_cost === null ? null : exactNumber(b.unit_cost),
  };
}

export function renderBudgetLineItem(store: ProcoreStore, b: BudgetLineItem) {
  const costCode = store.costCode(b.cost_code_id);
  const type = store.lineItemType(b.line_item_type_id);
  const { modifications, changes } = budgetAdjustments(store, b);
  const { committed, direct } = budgetCosts(store, b);
  const revised = new Decimal(b.original_budget_amount).plus(modifications).plus(changes);
  const projectedCosts = new Decimal(committed).plus(direct);
  return {
    id: idNum(b.id),
    original_budget_amount: exactNumber(b.original_budget_amount),
    ...renderBudgetQuantity(b),
    calculation_strategy: 'automatic',
    approved_budget_changes: exactNumber(changes),
    revised_budget: exactNumber(revised.toFixed(2)),
    pending_budget_changes: exactNumber('0.00'),
    projected_budget: exactNumber(revised.toFixed(2)),
    committed_costs: exactNumber(committed),
    direct_costs: exactNumber(direct),
    pending_cost_changes: exactNumber('0.00'),
    projected_costs: exactNumber(projectedCosts.toFixed(2)),
    budget_forecast: exactNumber(revised.toFixed(2)),
    estimated_cost_at_completion: exactNumber(revised.toFixed(2)),
    projected_over_under: exactNumber(revised.minus(projectedCosts).toFixed(2)),
    cost_code: costCode
      ? { id: idNum(costCode.id), name: costCode.name, code: costCode.code, full_code: costCode.full_code }
      : null,
    line_item_type: type ? { id: idNum(type.id), name: type.name } : null,
    division: null,
    currency_configuration: USD,
  };
}

/**
 * Budget change adjustment lines carry their budget code as a WBS flat code. The simulator writes it as
 * `<sub job code>.<cost code>.<cost type code>` (sub job part empty when there is none).
 */
export function wbsFlatCode(store: ProcoreStore, subJobId: string | null, costCodeId: string, typeId: string): string {
  const subJob = subJobId ? store.state.subJobs.find((s) => s.id === subJobId)?.code : '';
  return `${subJob ?? ''}.${store.costCode(costCodeId)?.full_code ?? ''}.${store.lineItemType(typeId)?.code ?? ''}`;
}

function budgetChangeSynced(store: ProcoreStore, c: BudgetChange): boolean {
  const transactions = store.state.erpTransactions ?? [];
  return (
    c.lines.length > 0 &&
    c.lines.every((l) =>
      transactions.some((t) => t.type === 'Erp::BudgetChangeTransaction' && t.source_id === l.id && t.synced),
    )
  );
}

export function renderBudgetChange(store: ProcoreStore, c: BudgetChange, detailed: boolean) {
  const prime = store.state.primeContracts.find((p) => p.project_id === c.project_id);
  const base = {
    id: idNum(c.id),
    number: c.number,
    status: c.status,
    title: c.title,
    description: c.description,
    // 'synced' once the ERP marked every line's update_budget transaction synced (erp_transactions/sync).
    erp_status: budgetChangeSynced(store, c) ? 'synced' : null,
    amount: exactNumber(sum(c.lines.map((l) => l.amount))),
    currency_configuration: USD,
  };
  if (!detailed) return { ...base, prime_contract_id: idNum(prime?.id ?? null), change_event_line_item_ids: [] };
  return {
    ...base,
    prime_contract: prime ? { id: idNum(prime.id), number: prime.number, title: prime.title } : null,
    adjustment_line_items: c.lines.map((l, i) => ({
      id: idNum(l.id),
      adjustment_number: i + 1,
      wbs_code: {
        id: idNum(l.cost_code_id),
        flat_code: wbsFlatCode(store, l.sub_job_id, l.cost_code_id, l.line_item_type_id),
        description: store.costCode(l.cost_code_id)?.name ?? null,
      },
      description: l.description,
      calculation_strategy: 'manual',
      type: 'adjustment',
      amount: exactNumber(l.amount),
      quantity: null,
      unit_cost: null,
      uom: null,
      currency_configuration: USD,
    })),
    attachments: [],
    production_quantities: [],
  };
}

export function renderBudgetModification(m: BudgetModification) {
  return {
    id: idNum(m.id),
    from_budget_line_item_id: idNum(m.from_budget_line_item_id),
    to_budget_line_item_id: idNum(m.to_budget_line_item_id),
    transfer_amount: exactNumber(m.transfer_amount),
    notes: m.notes,
    origin_id: m.origin_id,
    origin_data: m.origin_data,
    created_at: m.created_at,
    updated_at: m.updated_at,
  };
}

export function renderDirectCost(store: ProcoreStore, d: DirectCost, detailed: boolean) {
  const vendor = d.vendor_id ? store.state.vendors.find((v) => v.id === d.vendor_id) : undefined;
  const lines = store.directCostLines(d.id);
  return {
    id: idNum(d.id),
    direct_cost_type: d.direct_cost_type,
    direct_cost_date: d.direct_cost_date,
    invoice_number: d.invoice_number,
    status: d.status,
    description: d.description,
    terms: d.terms,
    received_date: d.received_date,
    payment_date: d.payment_date,
    grand_total: sum(lines.map((l) => l.amount)),
    vendor_id: idNum(d.vendor_id),
    vendor_name: vendor?.name ?? null,
    ...(detailed
      ? {
          vendor: vendor ? { id: idNum(vendor.id), name: vendor.name } : null,
          line_items_count: lines.length,
          attachments_count: 0,
        }
      : { vendor: vendor?.name ?? null, amount: sum(lines.map((l) => l.amount)) }),
    employee: null,
    origin_id: d.origin_id,
    origin_data: d.origin_data,
    currency_configuration: USD,
    deleted_at: d.deleted_at,
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

export function renderDirectCostLine(store: ProcoreStore, l: DirectCostLineItem, opts: { compact?: boolean } = {}) {
  const costCode = store.costCode(l.cost_code_id);
  const type = store.lineItemType(l.line_item_type_id);
  const directCost = store.state.directCosts.find((d) => d.id === l.direct_cost_id);
  const project = directCost ? store.projectOf(directCost.project_id) : undefined;
  return {
    id: idNum(l.id),
    amount: l.amount,
    cost_code: costCode
      ? opts.compact
        ? { id: idNum(costCode.id), code: costCode.code, full_code: costCode.full_code, name: costCode.name }
        : renderCostCode(store, costCode)
      : null,
    line_item_type: type ? (opts.compact ? { id: idNum(type.id), name: type.name } : renderLineItemType(type)) : null,
    ...renderLineQuantity(l),
    position: l.position,
    origin_id: l.origin_id,
    ...(opts.compact ? {} : { origin_data: l.origin_data }),
    holder: { id: idNum(l.direct_cost_id), holder_type: 'DirectCostItem' },
    project: project ? { id: idNum(project.id), name: project.name } : null,
    currency_configuration: USD,
    created_at: l.created_at,
    updated_at: l.updated_at,
  };
}

export function renderRequisition(store: ProcoreStore, r: Requisition) {
  const commitment = store.commitment(r.company_id, r.commitment_id);
  const vendor = commitment?.contract.vendor_id
    ? store.state.vendors.find((v) => v.id === commitment.contract.vendor_id)
    : undefined;
  const items = store.requisitionItems(r.id);
  const completed = sum(
    items.map((i) => new Decimal(i.work_completed_this_period).plus(i.materials_presently_stored).toFixed(2)),
  );
  const retainage = sum(items.map((i) => i.retainage_this_period));
  const original = commitment ? store.grandTotal(commitment.contract.id) : '0.00';
  const changes = commitment ? store.approvedChangeOrders(commitment.contract.id) : '0.00';
  return {
    id: idNum(r.id),
    project_id: idNum(r.project_id),
    commitment_id: idNum(r.commitment_id),
    commitment_type: commitment?.kind === 'purchase_order_contract' ? 'PurchaseOrderContract' : 'WorkOrderContract',
    contract_name: commitment?.contract.title ?? null,
    number: r.number,
    invoice_number: r.invoice_number,
    billing_date: r.billing_date,
    requisition_start: r.period_start,
    requisition_end: r.period_end,
    status: r.status,
    erp_status: r.erp_status,
    payment_date: r.payment_date,
    final: false,
    vendor_name: vendor?.name ?? null,
    total_claimed_amount: completed,
    percent_complete: new Decimal(original).isZero()
      ? '0.0'
      : new Decimal(completed).div(original).times(100).toFixed(1),
    summary: {
      original_contract_sum: original,
      net_change_by_change_orders: changes,
      contract_sum_to_date: new Decimal(original).plus(changes).toFixed(2),
      total_completed_and_stored_to_date: completed,
      completed_work_retainage_amount: retainage,
      total_retainage: retainage,
      total_earned_less_retainage: new Decimal(completed).minus(retainage).toFixed(2),
      current_payment_due: new Decimal(completed).minus(retainage).toFixed(2),
      less_previous_certificates_for_payment: '0.00',
    },
    origin_id: r.origin_id,
    origin_data: r.origin_data,
    currency_configuration: USD,
    attachments: [],
    deletable: r.origin_id === null,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export function renderRequisitionItem(i: RequisitionItem) {
  const toDate = new Decimal(i.work_completed_from_previous)
    .plus(i.work_completed_this_period)
    .plus(i.materials_presently_stored);
  return {
    id: idNum(i.id),
    item_type: 'contract_item',
    accounting_method: 'amount',
    cost_code_id: idNum(i.cost_code_id),
    line_item_id: idNum(i.line_item_id),
    description_of_work: i.description,
    scheduled_value: i.scheduled_value,
    work_completed_from_previous_application: i.work_completed_from_previous,
    work_completed_this_period: i.work_completed_this_period,
    materials_presently_stored: i.materials_presently_stored,
    materials_presently_stored_from_previous_progress: '0.00',
    total_completed_and_stored_to_date: toDate.toFixed(2),
    total_completed_and_stored_to_date_percent: new Decimal(i.scheduled_value).isZero()
      ? '0.0'
      : toDate.div(i.scheduled_value).times(100).toFixed(1),
    work_completed_retainage_from_previous_application: '0.00',
    work_completed_retainage_retained_this_period: i.retainage_this_period,
    work_completed_retainage_percent_this_period: i.retainage_percent,
    // The simulator's materials are all new this period, so what is retained on them now is this period's.
    materials_stored_retainage_currently_retained: i.materials_retainage_this_period ?? '0.00',
    materials_stored_retainage_percent_this_period: i.retainage_percent,
    work_completed_retainage_released_this_period: i.retainage_released_this_period ?? '0.00',
    materials_stored_retainage_released_this_period: '0.00',
    status: 'approved',
    position: i.position,
    currency_configuration: USD,
  };
}

export function renderContractPayment(p: ContractPayment) {
  return {
    id: idNum(p.id),
    amount: p.amount,
    check_number: p.check_number,
    contract_id: idNum(p.contract_id),
    project_id: idNum(p.project_id),
    requisition_id: idNum(p.requisition_id),
    date: p.date,
    invoice_number: p.invoice_number,
    payment_number: p.payment_number,
    draw_request_number: p.draw_request_number,
    external_payment_id: p.external_payment_id,
    notes: p.notes,
    status: p.status,
    attachments: [],
    origin_id: p.origin_id,
    origin_code: p.origin_code,
    origin_data: p.origin_data,
    created_at: p.created_at,
  };
}
