/**
 * Financial tools: budget (views, detail rows, line items and their sync by WBS code, changes, modifications), prime contracts and
 * prime change orders, direct costs and their lines, subcontractor invoices (requisitions) and contract
 * payments. Records with an origin_id are locked against edits (422), as Procore locks ERP-synced financials.
 */
import Decimal from 'decimal.js';
import type { Router } from 'express';
import express from 'express';
import { asId, sendError, sendJson } from '../json';
import { paginate } from '../pagination';
import { renderLineItem } from '../render';
import {
  renderBudgetChange,
  renderBudgetDetailRow,
  renderBudgetLineItem,
  renderBudgetModification,
  renderBudgetView,
  renderContractPayment,
  renderDirectCost,
  renderDirectCostLine,
  renderPrimeContract,
  renderRequisition,
  renderRequisitionItem,
  STANDARD_BUDGET_VIEW,
} from '../render-financials';
import type {
  CommitmentLineItem,
  ContractPayment,
  DirectCost,
  DirectCostLineItem,
  PrimeContract,
  ProcoreStore,
  Project,
  Requisition,
} from '../store';
import { nextNumber, STATUSES } from './commitments';
import { mountChangeOrders } from './change-orders';
import { renderSyncedBudgetLine, renderWbsCode, syncBudgetLines, wbsCodesOf } from '../wbs';
import {
  applyFilters,
  assignFields,
  blankLine,
  bodyOf,
  editLine,
  editRecord,
  fillLine,
  filtersOf,
  findRecord,
  freshRecord,
  LINE_FIELDS,
  lineRefErrors,
  lockedEditError,
  MAX_SYNC_UPDATES,
  newInProject,
  NOT_FOUND,
  ORIGIN_FIELDS,
  projectRecord,
  projectScope,
  reply,
  replyPage,
  resourceBody,
  runCreate,
  runSync,
  type FieldErrors,
  type FieldKind,
} from './common';

const DIRECT_COST_FIELDS: Record<string, FieldKind> = {
  direct_cost_type: 'string',
  direct_cost_date: 'date',
  invoice_number: 'string',
  status: 'string',
  description: 'string',
  terms: 'string',
  received_date: 'date',
  payment_date: 'date',
  vendor_id: 'id',
};
const DIRECT_COST_LINE_FIELDS: Record<string, FieldKind> = { ...LINE_FIELDS, sub_job_id: 'id' };
/** Budget change statuses. UNVERIFIED beyond the simulator's own use: the digest names no values. */
const BUDGET_CHANGE_STATUSES = ['draft', 'pending', 'approved', 'void'];
/** Procore's direct cost types (the events dictionary writes them lower case; the UI capitalises). */
const DIRECT_COST_TYPES = ['invoice', 'expense', 'payroll'];
const REQUISITION_FIELDS: Record<string, FieldKind> = {
  invoice_number: 'string',
  billing_date: 'date',
  status: 'string',
  erp_status: 'string',
  payment_date: 'date',
};
const PRIME_FIELDS: Record<string, FieldKind> = {
  number: 'string',
  title: 'string',
  status: 'string',
  executed: 'bool',
  retainage_percent: 'decimal',
  contract_date: 'date',
};
/** An invoice item's public fields and the store fields they write. */
const CONTRACT_ITEM_KEYS: Record<string, string> = {
  work_completed_retainage_retained_this_period: 'retainage_this_period',
  materials_stored_retainage_currently_retained: 'materials_retainage_this_period',
  work_completed_retainage_released_this_period: 'retainage_released_this_period',
};
const CONTRACT_ITEM_FIELDS: Record<string, FieldKind> = {
  work_completed_this_period: 'decimal',
  materials_presently_stored: 'decimal',
  retainage_this_period: 'decimal',
  materials_retainage_this_period: 'decimal',
  retainage_released_this_period: 'decimal',
};
const renameKeys = (body: Record<string, unknown>, names: Record<string, string>) =>
  Object.fromEntries(Object.entries(body).map(([k, v]) => [names[k] ?? k, v]));
const PAYMENT_FIELDS: Record<string, FieldKind> = {
  contract_id: 'id',
  requisition_id: 'id',
  amount: 'decimal',
  date: 'date',
  check_number: 'string',
  invoice_number: 'string',
  payment_number: 'int',
  draw_request_number: 'int',
  external_payment_id: 'string',
  notes: 'string',
  status: 'string',
};

export function financialsRouter(store: ProcoreStore): Router {
  const router = express.Router();
  const now = () => store.clock.nowIso();
  mountBudget(router, store);
  mountPrime(router, store);

  // --- direct costs --------------------------------------------------------------------------------------

  const directCostsOf = (p: Project) => store.state.directCosts.filter((d) => d.project_id === p.id);
  const companyDirectCosts = (companyId: string) => store.state.directCosts.filter((d) => d.company_id === companyId);

  router.get('/rest/v1.0/projects/:project_id/direct_costs', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const costs = applyFilters(req, directCostsOf(project));
    replyPage(req, res, 'GET /rest/v1.0/projects/{project_id}/direct_costs', costs, (d) =>
      renderDirectCost(store, d, false),
    );
  });

  const newLine = (directCostId: string): DirectCostLineItem => ({
    id: store.newId(),
    direct_cost_id: directCostId,
    sub_job_id: null,
    ...blankLine(store.directCostLines(directCostId).length + 1, now()),
  });
  const fillCostLine = (line: DirectCostLineItem, u: Record<string, unknown>) =>
    fillLine(line, u, DIRECT_COST_LINE_FIELDS);
  /**
   * Simulator extension: a direct cost sync update may carry its `line_items` (matched by origin_id within
   * the direct cost), so an import writes a cost and its lines in one call. Procore's own route for lines is
   * `direct_costs/line_items/sync`, also served.
   */
  const syncNestedLines = (d: DirectCost, u: Record<string, unknown>): FieldErrors | undefined => {
    if (!Array.isArray(u.line_items)) return undefined;
    for (const raw of u.line_items as Array<Record<string, unknown>>) {
      const originId = typeof raw.origin_id === 'string' ? raw.origin_id : undefined;
      let line = originId ? store.directCostLines(d.id).find((l) => l.origin_id === originId) : undefined;
      const isNew = !line;
      line ??= newLine(d.id);
      const errors = fillCostLine(line, raw);
      if (errors) return { line_items: Object.entries(errors).map(([k, v]) => `${k} ${v.join(', ')}`) };
      line.origin_id = originId ?? line.origin_id;
      if (isNew) store.state.directCostLineItems.push(line);
    }
    return undefined;
  };

  /** Create and update rules shared by the sync and the create route. */
  const directCostRules = (project: Project) => ({
    records: () => directCostsOf(project),
    originScope: () => companyDirectCosts(project.company_id),
    create: (u: Record<string, unknown>) => {
      const cost: DirectCost = {
        ...newInProject(store, project),
        vendor_id: null,
        direct_cost_type: 'Invoice',
        direct_cost_date: null,
        invoice_number: null,
        status: 'approved',
        description: null,
        terms: null,
        received_date: null,
        payment_date: null,
        deleted_at: null,
        ...freshRecord(now()),
      };
      return assignFields(cost, u, DIRECT_COST_FIELDS) ?? cost;
    },
    update: (d: DirectCost, u: Record<string, unknown>) =>
      assignFields(d, u, DIRECT_COST_FIELDS) ?? syncNestedLines(d, u),
    insert: (d: DirectCost, u: Record<string, unknown>) => {
      store.state.directCosts.push(d);
      syncNestedLines(d, u);
    },
    render: (d: DirectCost) => renderDirectCost(store, d, true),
    now,
  });

  router.patch('/rest/v1.0/projects/:project_id/direct_costs/sync', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    runSync<DirectCost>(
      res,
      'PATCH /rest/v1.0/projects/{project_id}/direct_costs/sync',
      bodyOf(req).updates,
      directCostRules(project),
    );
  });

  // Procore's create route (body `{item: {...}}`): invoice_number, vendor_id and direct_cost_type are required
  // (the digest's DirectCostItem2), the vendor must be in the company directory.
  router.post('/rest/v1.0/projects/:project_id/direct_costs', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const rules = directCostRules(project);
    runCreate<DirectCost>(res, 'POST /rest/v1.0/projects/{project_id}/direct_costs', resourceBody(req, 'item'), {
      ...rules,
      create: (u) => {
        const errors: FieldErrors = {};
        for (const field of ['invoice_number', 'vendor_id', 'direct_cost_type'])
          if (u[field] === undefined || u[field] === null || u[field] === '') errors[field] = ["can't be blank"];
        const type = String(u.direct_cost_type ?? '');
        if (type && !DIRECT_COST_TYPES.includes(type.toLowerCase()))
          errors.direct_cost_type = [`must be one of ${DIRECT_COST_TYPES.join(', ')}`];
        const vendorId = asId(u.vendor_id);
        if (vendorId && !store.vendor(project.company_id, vendorId))
          errors.vendor_id = ['is not a vendor in the company directory'];
        if (Object.keys(errors).length) return errors;
        const capitalized = type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();
        return rules.create({ ...u, direct_cost_type: capitalized });
      },
    });
  });

  // A line of a direct cost (body `{line_item: {...}}`, the digest's LineItem2): placed by `wbs_code_id` (its sub
  // job, cost code and cost type) or by `cost_code_id` + `line_item_type_id`; the amount is quantity x unit cost.
  router.post('/rest/v1.0/projects/:project_id/direct_costs/:direct_cost_id/line_items', (req, res) => {
    const cost = projectRecord(store, req, res, directCostsOf, 'direct_cost_id');
    if (!cost) return;
    runCreate<DirectCostLineItem>(
      res,
      'POST /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items',
      resourceBody(req, 'line_item'),
      {
        originScope: () => store.directCostLines(cost.id),
        create: (u) => {
          const wbsId = asId(u.wbs_code_id);
          const wbs = wbsId ? wbsCodesOf(store, cost.project_id).find((w) => w.id === wbsId) : undefined;
          if (wbsId && !wbs) return { wbs_code_id: ['is not a budget code of the project'] };
          const placed = wbs
            ? { sub_job_id: wbs.sub_job_id, cost_code_id: wbs.cost_code_id, line_item_type_id: wbs.line_item_type_id }
            : {};
          const line = newLine(cost.id);
          const errors = fillCostLine(line, { ...u, ...placed });
          if (errors) return errors;
          if (!line.cost_code_id || store.costCode(line.cost_code_id)?.project_id !== cost.project_id)
            return { cost_code_id: ['must be a cost code of the project (or give wbs_code_id)'] };
          if (!store.lineItemType(line.line_item_type_id)) return { line_item_type_id: ["can't be blank"] };
          return line;
        },
        insert: (l) => store.state.directCostLineItems.push(l),
        render: (l) => renderDirectCostLine(store, l),
      },
    );
  });

  router.patch('/rest/v1.0/projects/:project_id/direct_costs/:direct_cost_id/line_items/:id', (req, res) => {
    const cost = projectRecord(store, req, res, directCostsOf, 'direct_cost_id');
    if (!cost) return;
    const line = findRecord(req, res, store.directCostLines(cost.id));
    if (!line || !editLine(req, res, store, line, now())) return;
    reply(
      res,
      'PATCH /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items/{id}',
      200,
      renderDirectCostLine(store, line),
    );
  });

  router.get('/rest/v1.0/projects/:project_id/direct_costs/line_items', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const costIds = new Set(directCostsOf(project).map((d) => d.id));
    const wanted = asId(filtersOf(req).direct_cost_id);
    const lines = applyFilters(
      req,
      store.state.directCostLineItems.filter(
        (l) => costIds.has(l.direct_cost_id) && (!wanted || l.direct_cost_id === wanted),
      ),
    );
    replyPage(req, res, 'GET /rest/v1.0/projects/{project_id}/direct_costs/line_items', lines, (l) =>
      renderDirectCostLine(store, l, { compact: true }),
    );
  });

  router.patch('/rest/v1.0/projects/:project_id/direct_costs/line_items/sync', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const costIds = new Set(directCostsOf(project).map((d) => d.id));
    const companyCostIds = new Set(companyDirectCosts(project.company_id).map((d) => d.id));
    runSync<DirectCostLineItem>(
      res,
      'PATCH /rest/v1.0/projects/{project_id}/direct_costs/line_items/sync',
      bodyOf(req).updates,
      {
        records: () => store.state.directCostLineItems.filter((l) => costIds.has(l.direct_cost_id)),
        originScope: () => store.state.directCostLineItems.filter((l) => companyCostIds.has(l.direct_cost_id)),
        create: (u) => {
          const directCostId = asId(u.direct_cost_id);
          if (!directCostId || !costIds.has(directCostId)) return { direct_cost_id: ['not found'] };
          const line = newLine(directCostId);
          return fillCostLine(line, u) ?? line;
        },
        update: (l, u) => fillCostLine(l, u),
        insert: (l) => store.state.directCostLineItems.push(l),
        render: (l) => renderDirectCostLine(store, l),
        now,
      },
    );
  });

  router.get('/rest/v1.0/projects/:project_id/direct_costs/:id', (req, res) => {
    const cost = projectRecord(store, req, res, directCostsOf);
    if (!cost) return;
    reply(res, 'GET /rest/v1.0/projects/{project_id}/direct_costs/{id}', 200, renderDirectCost(store, cost, true));
  });

  router.patch('/rest/v1.0/projects/:project_id/direct_costs/:id', (req, res) => {
    const cost = projectRecord(store, req, res, directCostsOf);
    if (!cost) return;
    const edit = { key: 'direct_cost', fields: DIRECT_COST_FIELDS, label: 'direct cost', now };
    if (!editRecord(req, res, cost, edit)) return;
    reply(res, 'PATCH /rest/v1.0/projects/{project_id}/direct_costs/{id}', 200, renderDirectCost(store, cost, true));
  });

  router.get('/rest/v1.0/projects/:project_id/direct_costs/:direct_cost_id/line_items', (req, res) => {
    const cost = projectRecord(store, req, res, directCostsOf, 'direct_cost_id');
    if (!cost) return;
    const lines = applyFilters(req, store.directCostLines(cost.id));
    replyPage(req, res, 'GET /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items', lines, (l) =>
      renderDirectCostLine(store, l),
    );
  });

  // --- requisitions (subcontractor invoices) -------------------------------------------------------------

  const requisitionsOf = (p: Project) => store.state.requisitions.filter((r) => r.project_id === p.id);

  router.get('/rest/v1.0/requisitions', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const commitmentId = asId(filtersOf(req).commitment_id);
    const reqs = applyFilters(req, requisitionsOf(project)).filter(
      (r) => !commitmentId || r.commitment_id === commitmentId,
    );
    replyPage(req, res, 'GET /rest/v1.0/requisitions', reqs, (r) => renderRequisition(store, r));
  });

  router.get('/rest/v1.0/requisitions/:id', (req, res) => {
    const r = projectRecord(store, req, res, requisitionsOf);
    if (r) reply(res, 'GET /rest/v1.0/requisitions/{id}', 200, renderRequisition(store, r));
  });

  router.patch('/rest/v1.0/requisitions/:id', (req, res) => {
    const r = projectRecord(store, req, res, requisitionsOf);
    if (!r || !editRecord(req, res, r, { key: 'requisition', fields: REQUISITION_FIELDS, label: 'requisition', now })) {
      return;
    }
    reply(res, 'PATCH /rest/v1.0/requisitions/{id}', 200, renderRequisition(store, r));
  });

  router.get('/rest/v1.0/requisitions/:requisition_id/contract_items', (req, res) => {
    const r = projectRecord(store, req, res, requisitionsOf, 'requisition_id');
    if (!r) return;
    const endpoint = 'GET /rest/v1.0/requisitions/{requisition_id}/contract_items';
    replyPage(req, res, endpoint, store.requisitionItems(r.id), renderRequisitionItem);
  });

  // Procore's create route (body `{project_id, commitment_id, requisition: {...}}`): an invoice on an approved
  // commitment, numbered after the commitment's earlier ones, with one item per schedule-of-values line (nothing
  // billed yet; work billed before carried as "from previous"). Its items are then filled in one by one.
  // UNVERIFIED: that Procore refuses invoices on commitments that are not Approved or Complete.
  router.post('/rest/v1.0/requisitions', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const commitmentId = asId(bodyOf(req).commitment_id);
    const found = commitmentId ? store.commitment(project.company_id, commitmentId) : undefined;
    if (!found || found.contract.project_id !== project.id)
      return sendJson(res, 422, { errors: { commitment_id: ['is not a commitment of the project'] } });
    const contract = found.contract;
    if (!['Approved', 'Complete'].includes(contract.status))
      return sendJson(res, 422, {
        errors: { commitment_id: [`is ${contract.status}; invoices need an approved commitment`] },
      });
    const body = resourceBody(req, 'requisition');
    const earlier = store.state.requisitions.filter((r) => r.commitment_id === contract.id);
    const at = now();
    const requisition: Requisition = {
      id: store.newId(),
      company_id: project.company_id,
      project_id: project.id,
      commitment_id: contract.id,
      number: Math.max(0, ...earlier.map((r) => r.number)) + 1,
      invoice_number: null,
      billing_date: null,
      period_start: null,
      period_end: null,
      status: 'draft',
      erp_status: null,
      payment_date: null,
      ...freshRecord(at),
    };
    // The invoice's period arrives as requisition_start / requisition_end (the digest's names).
    const periodKeys = { requisition_start: 'period_start', requisition_end: 'period_end' };
    const errors = assignFields(requisition, renameKeys(body, periodKeys), {
      ...REQUISITION_FIELDS,
      period_start: 'date',
      period_end: 'date',
    });
    if (errors) return sendJson(res, 422, { errors });
    if (body.origin_id !== undefined) {
      const company = store.state.requisitions.filter((x) => x.company_id === project.company_id);
      if (company.some((x) => x.origin_id && x.origin_id === body.origin_id))
        return sendJson(res, 422, { errors: { origin_id: ['has already been taken'] } });
      requisition.origin_id = typeof body.origin_id === 'string' ? body.origin_id : null;
    }
    const earlierIds = new Set(earlier.map((r) => r.id));
    store.state.requisitions.push(requisition);
    store.lineItemsOf(contract.id).forEach((line, i) => {
      const previous = store.state.requisitionItems
        .filter((it) => earlierIds.has(it.requisition_id) && it.line_item_id === line.id)
        .reduce((sum, it) => sum.plus(it.work_completed_this_period), new Decimal(0));
      store.state.requisitionItems.push({
        id: store.newId(),
        requisition_id: requisition.id,
        line_item_id: line.id,
        cost_code_id: line.cost_code_id,
        description: line.description,
        scheduled_value: line.amount,
        work_completed_from_previous: previous.toFixed(2),
        work_completed_this_period: '0.00',
        materials_presently_stored: '0.00',
        retainage_percent: contract.retainage_percent ?? '0.0',
        retainage_this_period: '0.00',
        position: i + 1,
        origin_id: null,
        origin_code: null,
        origin_data: null,
      });
    });
    reply(res, 'POST /rest/v1.0/requisitions', 201, renderRequisition(store, requisition));
  });

  // One item of an invoice (body `{requisition_contract_item: {...}}`, the digest's RequisitionContractItem).
  // Retainage not given is the item's percent of the work billed (rounded half up to the cent, as Procore shows
  // it); work to date may not pass the scheduled value. A synced invoice is locked like every synced record.
  router.patch('/rest/v1.0/requisitions/:requisition_id/contract_items/:id', (req, res) => {
    const r = projectRecord(store, req, res, requisitionsOf, 'requisition_id');
    if (!r) return;
    const item = findRecord(req, res, store.requisitionItems(r.id));
    if (!item) return;
    if (r.origin_id)
      return sendError(
        res,
        422,
        `This invoice is synced with your ERP (origin_id ${r.origin_id}) and cannot be edited`,
      );
    const body = resourceBody(req, 'requisition_contract_item');
    const next = { ...item };
    const errors = assignFields(next, renameKeys(body, CONTRACT_ITEM_KEYS), CONTRACT_ITEM_FIELDS);
    if (errors) return sendJson(res, 422, { errors });
    if (!('work_completed_retainage_retained_this_period' in body))
      next.retainage_this_period = new Decimal(next.work_completed_this_period)
        .times(next.retainage_percent)
        .div(100)
        .toFixed(2);
    const toDate = new Decimal(next.work_completed_from_previous)
      .plus(next.work_completed_this_period)
      .plus(next.materials_presently_stored);
    if (toDate.greaterThan(next.scheduled_value))
      return sendJson(res, 422, {
        errors: {
          work_completed_this_period: [
            `takes the item to ${toDate.toFixed(2)}, over its scheduled value ${next.scheduled_value}`,
          ],
        },
      });
    Object.assign(item, next);
    r.updated_at = now();
    reply(res, 'PATCH /rest/v1.0/requisitions/{requisition_id}/contract_items/{id}', 200, renderRequisitionItem(item));
  });

  // --- contract payments ---------------------------------------------------------------------------------

  const paymentsOf = (p: Project) => store.state.contractPayments.filter((x) => x.project_id === p.id);

  router.get('/rest/v1.0/contract_payments', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const contractId = asId(req.query.contract_id ?? filtersOf(req).contract_id);
    const payments = applyFilters(req, paymentsOf(project)).filter((p) => !contractId || p.contract_id === contractId);
    replyPage(req, res, 'GET /rest/v1.0/contract_payments', payments, renderContractPayment);
  });

  router.post('/rest/v1.0/contract_payments', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const body = resourceBody(req, 'contract_payment');
    const payment: ContractPayment = {
      ...newInProject(store, project),
      contract_id: '',
      requisition_id: null,
      amount: '0.00',
      date: null,
      check_number: null,
      invoice_number: null,
      payment_number: null,
      draw_request_number: null,
      external_payment_id: null,
      notes: null,
      status: null,
      ...freshRecord(now()),
    };
    const errors = assignFields(payment, body, {
      ...PAYMENT_FIELDS,
      ...ORIGIN_FIELDS,
    });
    if (errors) return sendJson(res, 422, { errors });
    if (!store.commitment(project.company_id, payment.contract_id)) {
      return sendJson(res, 422, { errors: { contract_id: ['must be a commitment on this project'] } });
    }
    if (
      payment.origin_id &&
      store.originTakenBy(project.company_id, 'contract_payment', payment.origin_id, payment.id)
    ) {
      // Payments imported from the ERP are unique by origin_id: a replayed create must not pay twice.
      return sendJson(res, 422, { errors: { origin_id: ['has already been taken'] } });
    }
    store.state.contractPayments.push(payment);
    reply(res, 'POST /rest/v1.0/contract_payments', 201, renderContractPayment(payment));
  });

  const paymentIn = (req: express.Request, res: express.Response) => projectRecord(store, req, res, paymentsOf);

  router.get('/rest/v1.0/contract_payments/:id', (req, res) => {
    const payment = paymentIn(req, res);
    if (payment) reply(res, 'GET /rest/v1.0/contract_payments/{id}', 200, renderContractPayment(payment));
  });

  router.patch('/rest/v1.0/contract_payments/:id', (req, res) => {
    const payment = paymentIn(req, res);
    if (!payment) return;
    const body = resourceBody(req, 'contract_payment');
    const locked = lockedEditError(payment, body);
    if (locked) return sendError(res, 422, locked);
    const errors = assignFields(payment, body, PAYMENT_FIELDS);
    if (errors) return sendJson(res, 422, { errors });
    payment.updated_at = now();
    reply(res, 'PATCH /rest/v1.0/contract_payments/{id}', 200, renderContractPayment(payment));
  });

  router.delete('/rest/v1.0/contract_payments/:id', (req, res) => {
    const payment = paymentIn(req, res);
    if (!payment) return;
    if (payment.origin_id) return sendError(res, 422, `This payment is synced with your ERP and cannot be deleted`);
    store.state.contractPayments = store.state.contractPayments.filter((p) => p !== payment);
    res.status(204).end();
  });

  return router;
}

function mountBudget(router: Router, store: ProcoreStore): void {
  const budgetLinesOf = (p: Project) => store.state.budgetLineItems.filter((b) => b.project_id === p.id);
  const budgetChangesOf = (p: Project) => store.state.budgetChanges.filter((c) => c.project_id === p.id);
  const modificationsOf = (p: Project) => store.state.budgetModifications.filter((m) => m.project_id === p.id);

  router.get('/rest/v1.0/projects/:project_id/budget', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    reply(res, 'GET /rest/v1.0/projects/{project_id}/budget', 200, {
      locked: store.budgetOf(project.id)?.locked ?? false,
    });
  });

  router.get('/rest/v1.0/budget_views', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    replyPage(req, res, 'GET /rest/v1.0/budget_views', [renderBudgetView(store, project.id)], (v) => v);
  });

  router.get('/rest/v1.0/budget_views/:budget_view_id/detail_rows', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    if (asId(req.params.budget_view_id) !== store.demoId(STANDARD_BUDGET_VIEW.demoId)) {
      return sendError(res, 404, NOT_FOUND);
    }
    replyPage(req, res, 'GET /rest/v1.0/budget_views/{budget_view_id}/detail_rows', budgetLinesOf(project), (b) =>
      renderBudgetDetailRow(store, b),
    );
  });

  router.get('/rest/v1.0/projects/:project_id/work_breakdown_structure/wbs_codes', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const codes = wbsCodesOf(store, project.id);
    replyPage(req, res, 'GET /rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes', codes, (w) =>
      renderWbsCode(store, w),
    );
  });

  router.post('/rest/v1.0/budget_line_items/sync', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const rows = bodyOf(req).budget_line_items;
    if (!Array.isArray(rows)) return sendError(res, 400, 'budget_line_items must be an array');
    if (rows.length > MAX_SYNC_UPDATES) {
      return sendError(res, 422, `A sync request may contain at most ${MAX_SYNC_UPDATES} budget line items`);
    }
    const result = syncBudgetLines(
      store,
      project,
      rows.map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>) : {})),
    );
    if ('status' in result) return sendError(res, result.status, result.message, { details: result.details });
    reply(
      res,
      'POST /rest/v1.0/budget_line_items/sync',
      200,
      result.lines.map(({ line, wbs }) => renderSyncedBudgetLine(store, line, wbs)),
    );
  });

  router.get('/rest/v1.0/budget_line_items/:id', (req, res) => {
    const line = projectRecord(store, req, res, budgetLinesOf);
    if (!line) return;
    reply(res, 'GET /rest/v1.0/budget_line_items/{id}', 200, renderBudgetLineItem(store, line));
  });

  router.get('/rest/v1.0/projects/:project_id/budget_changes', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    reply(res, 'GET /rest/v1.0/projects/{project_id}/budget_changes', 200, {
      data: paginate(req, res, budgetChangesOf(project)).map((c) => renderBudgetChange(store, c, false)),
    });
  });

  // Procore's create route: `status` is required (the digest's request model); each adjustment line names its
  // budget code by `wbs_code_id` (sub job x cost code x cost type) and carries an amount. Numbered in the project.
  router.post('/rest/v1.0/projects/:project_id/budget_changes', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const body = resourceBody(req, 'budget_change');
    const errors: FieldErrors = {};
    const status = typeof body.status === 'string' ? body.status : '';
    if (!BUDGET_CHANGE_STATUSES.includes(status))
      errors.status = [`must be one of ${BUDGET_CHANGE_STATUSES.join(', ')}`];
    const raw = Array.isArray(body.adjustment_line_items) ? (body.adjustment_line_items as unknown[]) : [];
    const codes = wbsCodesOf(store, project.id);
    const lines = raw.map((r, i) => {
      const l = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
      const wbs = codes.find((w) => w.id === asId(l.wbs_code_id));
      const amount = String(l.amount ?? '');
      if (!wbs) errors[`adjustment_line_items[${i}].wbs_code_id`] = ['is not a budget code of the project'];
      if (!/^-?\d+(\.\d+)?$/.test(amount)) errors[`adjustment_line_items[${i}].amount`] = ['is not a valid decimal'];
      return {
        id: store.newId(),
        sub_job_id: wbs?.sub_job_id ?? null,
        cost_code_id: wbs?.cost_code_id ?? '',
        line_item_type_id: wbs?.line_item_type_id ?? '',
        amount,
        description: typeof l.description === 'string' ? l.description : null,
      };
    });
    if (Object.keys(errors).length) return sendJson(res, 422, { errors });
    const now = store.clock.nowIso();
    const numbers = budgetChangesOf(project).map((c) => c.number);
    const change = {
      id: store.newId(),
      project_id: project.id,
      number:
        Number.isInteger(Number(body.number)) && body.number !== undefined
          ? Number(body.number)
          : Math.max(0, ...numbers) + 1,
      title: typeof body.title === 'string' ? body.title : '',
      description: typeof body.description === 'string' ? body.description : null,
      status,
      lines,
      created_at: now,
      updated_at: now,
    };
    store.state.budgetChanges.push(change);
    reply(res, 'POST /rest/v1.0/projects/{project_id}/budget_changes', 201, {
      data: renderBudgetChange(store, change, true),
    });
  });

  // Title, description and status of a budget change; its lines are written with it at creation. A change whose
  // transactions the ERP marked synced cannot be edited, as synced records cannot.
  router.patch('/rest/v1.0/projects/:project_id/budget_changes/:id', (req, res) => {
    const change = projectRecord(store, req, res, budgetChangesOf);
    if (!change) return;
    if (renderBudgetChange(store, change, false).erp_status === 'synced')
      return sendError(res, 422, 'This budget change is synced with your ERP and cannot be edited');
    const body = resourceBody(req, 'budget_change');
    const next = { ...change };
    const errors = assignFields(next, body, { title: 'string', description: 'string', status: 'string' });
    if (errors) return sendJson(res, 422, { errors });
    if (!BUDGET_CHANGE_STATUSES.includes(next.status))
      return sendJson(res, 422, { errors: { status: [`must be one of ${BUDGET_CHANGE_STATUSES.join(', ')}`] } });
    Object.assign(change, next, { updated_at: store.clock.nowIso() });
    reply(res, 'PATCH /rest/v1.0/projects/{project_id}/budget_changes/{id}', 200, {
      data: renderBudgetChange(store, change, true),
    });
  });

  router.get('/rest/v1.0/projects/:project_id/budget_changes/:id', (req, res) => {
    const change = projectRecord(store, req, res, budgetChangesOf);
    if (!change) return;
    reply(res, 'GET /rest/v1.0/projects/{project_id}/budget_changes/{id}', 200, {
      data: renderBudgetChange(store, change, true),
    });
  });

  router.get('/rest/v1.0/projects/:project_id/budget_modifications', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const mods = applyFilters(req, modificationsOf(project));
    replyPage(req, res, 'GET /rest/v1.0/projects/{project_id}/budget_modifications', mods, renderBudgetModification);
  });

  router.get('/rest/v1.0/projects/:project_id/budget_modifications/:id', (req, res) => {
    const mod = projectRecord(store, req, res, modificationsOf);
    if (!mod) return;
    reply(res, 'GET /rest/v1.0/projects/{project_id}/budget_modifications/{id}', 200, renderBudgetModification(mod));
  });
}

function mountPrime(router: Router, store: ProcoreStore): void {
  const primesOf = (p: Project) => store.state.primeContracts.filter((c) => c.project_id === p.id);

  router.get('/rest/v1.0/prime_contracts', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const contracts = applyFilters(req, primesOf(project));
    replyPage(req, res, 'GET /rest/v1.0/prime_contracts', contracts, (c) => renderPrimeContract(store, c));
  });

  router.get('/rest/v1.0/prime_contract/:id', (req, res) => {
    const contract = projectRecord(store, req, res, primesOf);
    if (!contract) return;
    reply(res, 'GET /rest/v1.0/prime_contract/{id}', 200, renderPrimeContract(store, contract, { withLines: true }));
  });

  router.get('/rest/v1.0/prime_contracts/:prime_contract_id/line_items', (req, res) => {
    const contract = projectRecord(store, req, res, primesOf, 'prime_contract_id');
    if (!contract) return;
    replyPage(
      req,
      res,
      'GET /rest/v1.0/prime_contracts/{prime_contract_id}/line_items',
      store.lineItemsOf(contract.id),
      (l) => renderLineItem(store, l),
    );
  });

  // Procore's create route (body `{project_id, prime_contract: {...}}`): numbered like commitments when no number
  // is given; `vendor_id` (the owner, in the digest's PrimeContract) must be in the company directory.
  router.post('/rest/v1.0/prime_contract', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const now = store.clock.nowIso();
    runCreate<PrimeContract>(res, 'POST /rest/v1.0/prime_contract', resourceBody(req, 'prime_contract'), {
      originScope: () => store.state.primeContracts.filter((c) => c.company_id === project.company_id),
      create: (u) => {
        const contract: PrimeContract = {
          ...newInProject(store, project),
          number: nextNumber(primesOf(project)),
          title: '',
          status: 'Draft',
          executed: false,
          retainage_percent: null,
          contract_date: null,
          owner_name: null,
          deleted_at: null,
          ...freshRecord(now),
        };
        const errors = assignFields(contract, u, PRIME_FIELDS);
        if (errors) return errors;
        if (!STATUSES.includes(contract.status)) return { status: [`must be one of ${STATUSES.join(', ')}`] };
        const ownerId = asId(u.vendor_id);
        if (u.vendor_id !== undefined && u.vendor_id !== null) {
          const owner = ownerId ? store.vendor(project.company_id, ownerId) : undefined;
          if (!owner) return { vendor_id: ['is not a vendor in the company directory'] };
          contract.owner_name = owner.name;
        }
        return contract;
      },
      insert: (c) => store.state.primeContracts.push(c),
      render: (c) => renderPrimeContract(store, c, { withLines: true }),
    });
  });

  router.patch('/rest/v1.0/prime_contract/:id', (req, res) => {
    const contract = projectRecord(store, req, res, primesOf);
    if (!contract) return;
    const edit = {
      key: 'prime_contract',
      fields: PRIME_FIELDS,
      label: 'prime contract',
      now: () => store.clock.nowIso(),
    };
    if (!editRecord(req, res, contract, edit)) return;
    reply(res, 'PATCH /rest/v1.0/prime_contract/{id}', 200, renderPrimeContract(store, contract, { withLines: true }));
  });

  router.patch('/rest/v1.0/prime_contracts/:prime_contract_id/line_items/:id', (req, res) => {
    const contract = projectRecord(store, req, res, primesOf, 'prime_contract_id');
    if (!contract) return;
    const line = findRecord(req, res, store.lineItemsOf(contract.id));
    if (!line || !editLine(req, res, store, line, store.clock.nowIso())) return;
    reply(
      res,
      'PATCH /rest/v1.0/prime_contracts/{prime_contract_id}/line_items/{id}',
      200,
      renderLineItem(store, line),
    );
  });

  router.post('/rest/v1.0/prime_contracts/:prime_contract_id/line_items', (req, res) => {
    const contract = projectRecord(store, req, res, primesOf, 'prime_contract_id');
    if (!contract) return;
    const now = store.clock.nowIso();
    runCreate<CommitmentLineItem>(
      res,
      'POST /rest/v1.0/prime_contracts/{prime_contract_id}/line_items',
      resourceBody(req, 'line_item'),
      {
        originScope: () => store.lineItemsOf(contract.id),
        create: (u) => {
          const position = store.lineItemsOf(contract.id).length + 1;
          const line: CommitmentLineItem = { id: store.newId(), contract_id: contract.id, ...blankLine(position, now) };
          return fillLine(line, u) ?? lineRefErrors(store, line) ?? line;
        },
        insert: (l) => store.state.lineItems.push(l),
        render: (l) => renderLineItem(store, l),
      },
    );
  });

  mountChangeOrders(router, store, 'prime');
}
