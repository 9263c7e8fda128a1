/**
 * What people do in Procore's ERP Integrations tool, and what Procore does in response (procore-api.md §5.8,
 * §6): "Send to ERP" (with or without accounting approval), accept / reject / retrieve, "Refresh" buttons,
 * importing staged records, and unlinking. Each ERP request Procore raises is stored with its request
 * details and announced by the `ERP Requests` / `create` webhook (the event carries only the request id).
 *
 * Request names and payload keys follow the events dictionary; `create_prime_contract` is not named there
 * (the dictionary only has `sync_prime_contracts`) and is a simulator assumption.
 *
 * Budget changes. The dictionary has no request of their own; `create_budget` / `update_budget` carry
 * `transactions[]` "of type Erp::OriginalEstimateTransaction etc.". The simulator reads that as: an approved
 * budget change reaches the ERP as further transactions of `update_budget`, of type
 * `Erp::BudgetChangeTransaction`, one per adjustment line. The approver accepts each approved budget change of a
 * synced budget (the budget is "Ready to Update"), and Procore raises one `update_budget` whose request detail
 * names that budget change (item_type `budget_change`) and whose transactions are the budget's original
 * estimates plus that change's lines. Every transaction has an id and is marked synced with
 * `PATCH erp_transactions/sync` (origin_id). Accepting a budget change of a budget never sent to the ERP is
 * refused: in Procore, budget changes follow the budget.
 */
import { stringify } from 'lossless-json';
import { companyDirectCostPayload } from './company-direct-costs';
import { idNum } from './json';
import {
  renderCostCode,
  renderLineItem,
  renderLineItemType,
  renderProject,
  renderSubJob,
  renderVendor,
  renderWorkOrderContract,
} from './render';
import {
  renderChangeOrder,
  renderChangeOrderLine,
  renderPrimeContract,
  renderRequisition,
  renderRequisitionItem,
} from './render-financials';
import type {
  Budget,
  ChangeOrderLineItem,
  CommitmentLineItem,
  OriginFields,
  ProcoreStore,
  StagedRecord,
} from './store';
import type { WebhookEngine } from './webhooks';

export const INTEGRATION_APP_NAME = 'Procore Acumatica Connector';

type Failure = { error: string; status: number };
interface ExportPayload {
  requestName: string;
  projectId: string | null;
  data: Record<string, unknown>;
  /** The item the request detail names (defaults to the accepted item). */
  itemId?: string;
}

/** Item types an accounting approver can accept, and the ERP request each produces. */
export const EXPORT_REQUESTS = {
  work_order_contract: 'create_commitment',
  purchase_order_contract: 'create_commitment',
  commitment_change_order: 'create_commitment_change_order',
  vendor: 'create_vendor',
  project: 'create_or_update_job',
  budget: 'create_budget',
  budget_change: 'update_budget',
  prime_contract: 'create_prime_contract',
  prime_change_order: 'create_prime_contract_change_order',
  requisition: 'create_requisitions',
  company_level_direct_cost: 'create_company_level_direct_cost',
} as const;
export type ExportItemType = keyof typeof EXPORT_REQUESTS;

/** Types the "skip accounting approval" company setting applies to. */
const NO_APPROVAL_TYPES: string[] = [
  'work_order_contract',
  'purchase_order_contract',
  'commitment_change_order',
  'requisition',
];

/** The `sync_*` requests a "Refresh" button raises; `req` says whether a request detail is created. */
export const REFRESH_REQUESTS: Record<
  string,
  { req: boolean; itemType: 'company' | 'project' | 'standard_cost_code_list' }
> = {
  sync_vendors: { req: true, itemType: 'company' },
  sync_standard_cost_codes: { req: true, itemType: 'standard_cost_code_list' },
  sync_standard_categories: { req: false, itemType: 'company' },
  sync_jobs: { req: true, itemType: 'company' },
  sync_sub_jobs: { req: true, itemType: 'project' },
  sync_commitments: { req: true, itemType: 'project' },
  sync_commitment_change_orders: { req: true, itemType: 'project' },
  sync_prime_contracts: { req: true, itemType: 'project' },
  sync_contract_payments: { req: true, itemType: 'project' },
};

/** Creates an ERP request (+ details) and fires the webhook. */
export function raiseErpRequest(
  store: ProcoreStore,
  webhooks: WebhookEngine,
  input: {
    companyId: string;
    requestName: string;
    projectId: string | null;
    data: Record<string, unknown>;
    details: Array<{ itemType: string; itemId: string }>;
    duplicateDeliveries?: number;
  },
): { erp_request_id: string; request_detail_ids: string[] } {
  const now = store.clock.nowIso();
  const requestId = store.newId();
  const detailIds = input.details.map(() => store.newId());
  const data = { ...input.data };
  // Single-item requests carry their detail id in the payload, as the events dictionary shows.
  if (detailIds.length === 1) data.request_detail_id = idNum(detailIds[0]);
  store.state.erpRequests.push({
    id: requestId,
    company_id: input.companyId,
    request_name: input.requestName,
    integration_app_name: INTEGRATION_APP_NAME,
    request_data_json: stringify(data) ?? '{}',
    detail_ids: detailIds,
    created_at: now,
    updated_at: now,
  });
  input.details.forEach((d, i) =>
    store.state.erpRequestDetails.push({
      id: detailIds[i],
      company_id: input.companyId,
      erp_request_id: requestId,
      item_type: d.itemType,
      item_id: d.itemId,
      status: 'in_progress',
      messages: [],
      created_at: now,
      updated_at: now,
    }),
  );
  webhooks.publish(
    {
      companyId: input.companyId,
      projectId: input.projectId,
      userId: store.state.approverUserId,
      resourceName: 'ERP Requests',
      resourceId: requestId,
      eventType: 'create',
    },
    input.duplicateDeliveries ?? 1,
  );
  return { erp_request_id: requestId, request_detail_ids: detailIds };
}

/**
 * The accounting approver accepts an item: Procore freezes its data into an ERP request with one request
 * detail and fires the webhook. Accepting also settles a pending "Send to ERP" submission of the item.
 */
export function acceptForExport(
  store: ProcoreStore,
  webhooks: WebhookEngine,
  input: { companyId: string; itemType: string; itemId: string; duplicateDeliveries?: number },
): { erp_request_id: string; request_detail_id: string } | Failure {
  const payload = exportPayload(store, input.companyId, input.itemType, input.itemId);
  if ('error' in payload) return payload;
  const itemId = payload.itemId ?? input.itemId;
  const raised = raiseErpRequest(store, webhooks, {
    companyId: input.companyId,
    requestName: payload.requestName,
    projectId: payload.projectId,
    data: { ...payload.data, company_id: idNum(input.companyId) },
    details: [{ itemType: input.itemType, itemId }],
    duplicateDeliveries: input.duplicateDeliveries,
  });
  const pending = pendingSubmission(store, input.companyId, input.itemType, itemId);
  if (pending) {
    pending.status = 'accepted';
    pending.erp_request_id = raised.erp_request_id;
    pending.updated_at = store.clock.nowIso();
  }
  return { erp_request_id: raised.erp_request_id, request_detail_id: raised.request_detail_ids[0] };
}

/** The item's submission waiting for accounting approval, if any. */
function pendingSubmission(store: ProcoreStore, companyId: string, itemType: string, itemId: string) {
  return store.state.erpSubmissions.find(
    (s) => s.company_id === companyId && s.item_type === itemType && s.item_id === itemId && s.status === 'pending',
  );
}

/** A project user clicks "Send to ERP": pending approval, or exported at once when approval is skipped. */
export function sendToErp(
  store: ProcoreStore,
  webhooks: WebhookEngine,
  input: { companyId: string; itemType: string; itemId: string },
): { submission_id: string; status: string; erp_request_id: string | null } | Failure {
  const payload = exportPayload(store, input.companyId, input.itemType, input.itemId);
  if ('error' in payload) return payload;
  const itemId = payload.itemId ?? input.itemId;
  const existing = pendingSubmission(store, input.companyId, input.itemType, itemId);
  if (existing) return { status: 409, error: 'This item is already waiting for accounting approval' };
  const now = store.clock.nowIso();
  const submission = {
    id: store.newId(),
    company_id: input.companyId,
    item_type: input.itemType,
    item_id: itemId,
    status: 'pending' as const,
    erp_request_id: null,
    created_at: now,
    updated_at: now,
  };
  store.state.erpSubmissions.push(submission);
  if (store.settings(input.companyId).skip_accounting_approval && NO_APPROVAL_TYPES.includes(input.itemType)) {
    const accepted = acceptForExport(store, webhooks, { ...input, itemId });
    if ('error' in accepted) return accepted;
  }
  const after = store.state.erpSubmissions.find((s) => s.id === submission.id)!;
  return { submission_id: after.id, status: after.status, erp_request_id: after.erp_request_id };
}

/** Reject (approver) or retrieve (project user) a pending submission; the item goes back to its tool. */
export function decideSubmission(
  store: ProcoreStore,
  input: { companyId: string; itemType: string; itemId: string; decision: 'rejected' | 'retrieved' },
): { submission_id: string; status: string } | Failure {
  const pending = store.state.erpSubmissions.find(
    (s) =>
      s.company_id === input.companyId &&
      s.item_type === input.itemType &&
      s.item_id === input.itemId &&
      s.status === 'pending',
  );
  if (!pending) return { status: 409, error: 'Nothing is waiting for accounting approval for this item' };
  pending.status = input.decision;
  pending.updated_at = store.clock.nowIso();
  return { submission_id: pending.id, status: pending.status };
}

/** A "Refresh <entity>" button: raises the `sync_*` request (with a request detail where the docs say so). */
export function refresh(
  store: ProcoreStore,
  webhooks: WebhookEngine,
  input: { companyId: string; requestName: string; projectId?: string },
): { erp_request_id: string; request_detail_id: string | null } | Failure {
  const spec = REFRESH_REQUESTS[input.requestName];
  if (!spec) return { status: 422, error: `Unknown refresh request ${input.requestName}` };
  let itemId = input.companyId;
  if (spec.itemType === 'project') {
    if (!input.projectId || !store.project(input.companyId, input.projectId)) {
      return { status: 422, error: `${input.requestName} needs a project_id in this company` };
    }
    itemId = input.projectId;
  }
  if (spec.itemType === 'standard_cost_code_list') {
    const list = store.erpCostCodeList(input.companyId);
    if (!list) return { status: 422, error: 'The company has no ERP standard cost code list (no ERP connection)' };
    itemId = list.id;
  }
  const data: Record<string, unknown> = { company_id: idNum(input.companyId) };
  if (spec.itemType === 'project') data.job_id = idNum(itemId);
  if (spec.itemType === 'standard_cost_code_list') data.standard_cost_code_list_id = idNum(itemId);
  const raised = raiseErpRequest(store, webhooks, {
    companyId: input.companyId,
    requestName: input.requestName,
    projectId: spec.itemType === 'project' ? itemId : null,
    data,
    details: spec.req ? [{ itemType: spec.itemType, itemId }] : [],
  });
  return { erp_request_id: raised.erp_request_id, request_detail_id: raised.request_detail_ids[0] ?? null };
}

// --- export payloads ---------------------------------------------------------------------------------------

function exportPayload(
  store: ProcoreStore,
  companyId: string,
  itemType: string,
  itemId: string,
): ExportPayload | Failure {
  if (!(itemType in EXPORT_REQUESTS)) {
    return { status: 422, error: `item_type must be one of ${Object.keys(EXPORT_REQUESTS).join(', ')}` };
  }
  const type = itemType as ExportItemType;
  const notFound = { status: 404, error: `${itemType.replace(/_/g, ' ')} not found in this company` };
  const requestName = EXPORT_REQUESTS[type];
  const lines = (ls: CommitmentLineItem[]) => ls.map((l) => withOrigins(store, renderLineItem(store, l), l));
  switch (type) {
    case 'work_order_contract':
    case 'purchase_order_contract': {
      const contract = store.commitments(type).find((c) => c.id === itemId && c.company_id === companyId);
      if (!contract) return notFound;
      return inProject(requestName, contract.project_id, {
        commitment: {
          ...renderWorkOrderContract(store, contract, { kind: type }),
          type: type === 'work_order_contract' ? 'WorkOrderContract' : 'PurchaseOrderContract',
          project_id: idNum(contract.project_id),
          vendor_id: idNum(contract.vendor_id),
        },
        commitment_items: lines(store.lineItemsOf(contract.id)),
        additional_data: { accounting_date: store.clock.nowIso().slice(0, 10) },
      });
    }
    case 'commitment_change_order':
    case 'prime_change_order': {
      const kind = type === 'commitment_change_order' ? 'commitment' : 'prime';
      const co = store.changeOrder(companyId, kind, itemId);
      if (!co) return notFound;
      const contract =
        kind === 'commitment'
          ? store.commitment(companyId, co.contract_id)?.contract
          : store.primeContract(companyId, co.contract_id);
      const items = store.changeOrderLines(co.id).map((l) => changeOrderItem(store, l));
      const header = {
        ...renderChangeOrder(store, co),
        project_id: idNum(co.project_id),
        contract_origin_id: contract?.origin_id ?? null,
      };
      const headerKey = kind === 'commitment' ? 'commitment_change_order' : 'prime_contract_change_order';
      return inProject(requestName, co.project_id, { [headerKey]: header, change_order_items: items });
    }
    case 'vendor': {
      const vendor = store.vendor(companyId, itemId);
      if (!vendor) return notFound;
      return { requestName, projectId: null, data: { vendor: renderVendor(vendor) } };
    }
    case 'project': {
      const project = store.project(companyId, itemId);
      if (!project) return notFound;
      // Re-exporting a project that already has an origin_id updates the ERP job.
      return inProject(requestName, project.id, {
        job: renderProject(project, store),
        sub_jobs: store.state.subJobs.filter((s) => s.project_id === project.id).map(renderSubJob),
        cost_codes: store.state.costCodes
          .filter((c) => c.project_id === project.id)
          .map((c) => renderCostCode(store, c)),
      });
    }
    case 'budget': {
      // The budget is accepted as a whole; its id, or its project's id, names it.
      const budget =
        store.state.budgets.find((b) => b.id === itemId) ?? store.state.budgets.find((b) => b.project_id === itemId);
      if (!budget || !store.project(companyId, budget.project_id)) return notFound;
      return {
        requestName: budget.origin_id ? 'update_budget' : requestName,
        projectId: budget.project_id,
        itemId: budget.id,
        data: budgetPayload(store, budget),
      };
    }
    case 'budget_change': {
      const change = store.state.budgetChanges.find((c) => c.id === itemId);
      const budget = change && store.project(companyId, change.project_id) && store.budgetOf(change.project_id);
      if (!change || !budget) return notFound;
      if (change.status !== 'approved') {
        return {
          status: 422,
          error: `Budget change #${change.number} is ${change.status}; only approved ones go to ERP`,
        };
      }
      if (!budget.origin_id) {
        return { status: 422, error: 'Send the budget to ERP first: budget changes are sent as updates of it' };
      }
      const data = budgetPayload(store, budget);
      const changeTransactions = change.lines.map((l) => {
        const t = store.erpTransaction(change.project_id, 'Erp::BudgetChangeTransaction', l.id);
        return {
          id: idNum(t.id),
          type: t.type,
          budget_change_id: idNum(change.id),
          budget_change_number: change.number,
          budget_change_title: change.title,
          budget_change_line_item_id: idNum(l.id),
          ...budgetCoordinates(store, l),
          description: l.description,
          amount: l.amount,
          origin_id: t.origin_id,
          synced: t.synced,
        };
      });
      return {
        requestName,
        projectId: change.project_id,
        data: { ...data, transactions: [...data.transactions, ...changeTransactions] },
      };
    }
    case 'prime_contract': {
      const contract = store.primeContract(companyId, itemId);
      if (!contract) return notFound;
      return inProject(requestName, contract.project_id, {
        prime_contract: renderPrimeContract(store, contract),
        prime_contract_items: lines(store.lineItemsOf(contract.id)),
      });
    }
    case 'requisition': {
      const requisition = store.requisition(companyId, itemId);
      if (!requisition) return notFound;
      const commitment = store.commitment(companyId, requisition.commitment_id)?.contract;
      return inProject(requestName, requisition.project_id, {
        requisitions: [
          {
            ...renderRequisition(store, requisition),
            commitment_origin_id: commitment?.origin_id ?? null,
            vendor_id: idNum(commitment?.vendor_id ?? null),
            items: store.requisitionItems(requisition.id).map((i) => {
              const line = store.state.lineItems.find((l) => l.id === i.line_item_id);
              return {
                ...renderRequisitionItem(i),
                commitment_item_id: idNum(i.line_item_id),
                commitment_item_origin_id: line?.origin_id ?? null,
                cost_code_origin_id: store.costCode(i.cost_code_id)?.origin_id ?? null,
                line_item_type_id: idNum(line?.line_item_type_id ?? null),
                line_item_type_origin_id: store.lineItemType(line?.line_item_type_id)?.origin_id ?? null,
                retainage_percent: i.retainage_percent,
                retainage_amount: i.retainage_this_period,
              };
            }),
          },
        ],
      });
    }
    case 'company_level_direct_cost': {
      const cost = store.state.companyDirectCosts.find((d) => d.id === itemId && d.company_id === companyId);
      if (!cost) return notFound;
      return { requestName, projectId: null, data: { direct_cost: companyDirectCostPayload(store, cost) } };
    }
  }
}

/** The payload of a record of a project: the request data names the project as `job_id`. */
function inProject(requestName: string, projectId: string, data: Record<string, unknown>): ExportPayload {
  return { requestName, projectId, data: { job_id: idNum(projectId), ...data } };
}

/** Sub job, cost code and cost type of a budget line or budget change line, with their ERP keys. */
function budgetCoordinates(
  store: ProcoreStore,
  b: { sub_job_id: string | null; cost_code_id: string; line_item_type_id: string },
) {
  const costCode = store.costCode(b.cost_code_id);
  const type = store.lineItemType(b.line_item_type_id);
  const subJob = b.sub_job_id ? store.state.subJobs.find((s) => s.id === b.sub_job_id) : undefined;
  return {
    sub_job_id: idNum(b.sub_job_id),
    sub_job_code: subJob?.code ?? null,
    sub_job_origin_id: subJob?.origin_id ?? null,
    cost_code_id: idNum(b.cost_code_id),
    cost_code: costCode
      ? { id: idNum(costCode.id), full_code: costCode.full_code, name: costCode.name, origin_id: costCode.origin_id }
      : null,
    line_item_type_id: idNum(b.line_item_type_id),
    line_item_type: type ? renderLineItemType(type) : null,
  };
}

/** create_budget / update_budget: the budget, its job costs and one original-estimate transaction per line. */
function budgetPayload(store: ProcoreStore, budget: Budget) {
  const rows = store.state.budgetLineItems.filter((b) => b.project_id === budget.project_id);
  const jobCosts = rows.map((b) => ({
    budget_line_item_id: idNum(b.id),
    ...budgetCoordinates(store, b),
    description: b.description,
    original_estimate: b.original_budget_amount,
  }));
  const transactions: Array<Record<string, unknown>> = rows.map((b, i) => {
    const t = store.erpTransaction(budget.project_id, 'Erp::OriginalEstimateTransaction', b.id);
    const j = jobCosts[i];
    return {
      id: idNum(t.id),
      type: t.type,
      budget_line_item_id: j.budget_line_item_id,
      cost_code_id: j.cost_code_id,
      line_item_type_id: j.line_item_type_id,
      sub_job_id: j.sub_job_id,
      amount: j.original_estimate,
      origin_id: t.origin_id,
      synced: t.synced,
    };
  });
  return {
    job_id: idNum(budget.project_id),
    budget: { id: idNum(budget.id), origin_id: budget.origin_id },
    job_costs: jobCosts,
    transactions,
  };
}

function changeOrderItem(store: ProcoreStore, l: ChangeOrderLineItem) {
  const changed = l.contract_line_item_id
    ? store.state.lineItems.find((x) => x.id === l.contract_line_item_id)
    : undefined;
  return {
    ...renderChangeOrderLine(store, l),
    contract_line_item_origin_id: changed?.origin_id ?? null,
    cost_code_origin_id: store.costCode(l.cost_code_id)?.origin_id ?? null,
    line_item_type_origin_id: store.lineItemType(l.line_item_type_id)?.origin_id ?? null,
  };
}

/** The ERP keys a line's cost code and cost type already have, next to the rendered line. */
function withOrigins(store: ProcoreStore, rendered: Record<string, unknown>, l: CommitmentLineItem) {
  return {
    ...rendered,
    cost_code_origin_id: store.costCode(l.cost_code_id)?.origin_id ?? null,
    line_item_type_origin_id: store.lineItemType(l.line_item_type_id)?.origin_id ?? null,
  };
}

// --- unlink ------------------------------------------------------------------------------------------------

const UNLINK_REQUESTS: Record<string, string> = {
  vendor: 'unlink_vendor',
  work_order_contract: 'unlink_commitment',
  purchase_order_contract: 'unlink_commitment',
  commitment_change_order: 'unlink_commitment_change_order',
  prime_change_order: 'unlink_prime_contract_change_order',
  standard_cost_code: 'unlink_standard_cost_codes',
};

/**
 * A super user unlinks a synced record: its origin fields are cleared, a staged record it was imported
 * from goes back to `staged` with its children, and the `unlink_*` request is raised.
 */
export function unlink(
  store: ProcoreStore,
  webhooks: WebhookEngine,
  input: { companyId: string; itemType: string; itemId: string },
): { erp_request_id: string; request_detail_id: string } | Failure {
  const requestName = UNLINK_REQUESTS[input.itemType];
  if (!requestName)
    return { status: 422, error: `item_type must be one of ${Object.keys(UNLINK_REQUESTS).join(', ')}` };
  const record = unlinkTarget(store, input.companyId, input.itemType, input.itemId);
  if (!record) return { status: 404, error: 'item not found in this company' };
  const previousOrigin = record.origin_id;
  record.origin_id = null;
  record.origin_code = null;
  record.origin_data = null;
  store.state.externalData = store.state.externalData.filter(
    (e) => !(e.company_id === input.companyId && e.item_id === input.itemId),
  );
  const staged = store.state.stagedRecords.find(
    (s) => s.company_id === input.companyId && s.procore_id === input.itemId && s.status === 'imported',
  );
  if (staged) {
    staged.status = 'staged';
    staged.procore_id = null;
    staged.updated_at = store.clock.nowIso();
  }
  const projectId = (record as { project_id?: string }).project_id ?? null;
  const raised = raiseErpRequest(store, webhooks, {
    companyId: input.companyId,
    requestName,
    projectId,
    data: {
      item_type: input.itemType,
      item_id: idNum(input.itemId),
      origin_id: previousOrigin,
      job_id: idNum(projectId),
    },
    details: [{ itemType: input.itemType, itemId: input.itemId }],
  });
  return { erp_request_id: raised.erp_request_id, request_detail_id: raised.request_detail_ids[0] };
}

function unlinkTarget(
  store: ProcoreStore,
  companyId: string,
  itemType: string,
  itemId: string,
): OriginFields | undefined {
  switch (itemType) {
    case 'vendor':
      return store.vendor(companyId, itemId);
    case 'work_order_contract':
    case 'purchase_order_contract':
      return store.commitments(itemType).find((c) => c.id === itemId && c.company_id === companyId);
    case 'commitment_change_order':
      return store.changeOrder(companyId, 'commitment', itemId);
    case 'prime_change_order':
      return store.changeOrder(companyId, 'prime', itemId);
    case 'standard_cost_code':
      return store.originTarget(companyId, 'standard_cost_code', itemId);
    default:
      return undefined;
  }
}

export type { StagedRecord };
