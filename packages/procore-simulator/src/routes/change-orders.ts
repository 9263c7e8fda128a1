/**
 * Change orders of one tier, commitment or prime (one-tier: each change order carries its lines): list, show,
 * and the lines, which are not in the public digest (shaped like potential change order line items).
 */
import type { Router } from 'express';
import type { SimulatedEndpoint } from '../digest/endpoints';
import { asId, sendJson } from '../json';
import { paginate } from '../pagination';
import { renderChangeOrder, renderChangeOrderLine } from '../render-financials';
import type { ChangeOrder, ProcoreStore, Project } from '../store';
import {
  applyFilters,
  assignFields,
  editRecord,
  filtersOf,
  freshRecord,
  projectRecord,
  projectScope,
  reply,
  replyPage,
  resourceBody,
  type FieldKind,
} from './common';

const CHANGE_ORDER_FIELDS: Record<string, FieldKind> = {
  number: 'string',
  title: 'string',
  description: 'string',
  status: 'string',
  executed: 'bool',
  due_date: 'date',
};
/** The statuses the simulator's change orders take. UNVERIFIED: the digest names none. */
const CHANGE_ORDER_STATUSES = ['draft', 'pending', 'approved', 'rejected', 'void'];

export function mountChangeOrders(router: Router, store: ProcoreStore, kind: 'commitment' | 'prime'): void {
  const base = `/rest/v1.0/projects/:project_id/${kind}_change_orders`;
  const endpoint = (suffix: string) =>
    `GET /rest/v1.0/projects/{project_id}/${kind}_change_orders${suffix}` as SimulatedEndpoint;
  const changeOrdersOf = (project: Project) =>
    store.state.changeOrders.filter((c) => c.kind === kind && c.project_id === project.id);

  router.get(base, (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    // Commitment change orders can be asked for by contract (`filters[contract_id]`).
    const contractId = kind === 'commitment' ? asId(filtersOf(req).contract_id) : undefined;
    const cos = applyFilters(req, changeOrdersOf(project)).filter((c) => !contractId || c.contract_id === contractId);
    replyPage(req, res, endpoint(''), cos, (c) => renderChangeOrder(store, c));
  });

  // Procore's create route (body `{change_order: {...}}`, the digest's ChangeOrder): `contract_id` is required and
  // must be a contract of this tier in the project; numbered per contract when no number is given. Its lines have
  // no public create route in the digest (one-tier change order lines are the simulator's own, see above).
  router.post(base, (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const body = resourceBody(req, 'change_order');
    const contractId = asId(body.contract_id);
    const contract = !contractId
      ? undefined
      : kind === 'commitment'
        ? store.commitment(project.company_id, contractId)?.contract
        : store.primeContract(project.company_id, contractId);
    if (!contract || contract.project_id !== project.id)
      return sendJson(res, 422, { errors: { contract_id: [`is not a ${kind} contract of the project`] } });
    const siblings = store.state.changeOrders.filter((c) => c.kind === kind && c.contract_id === contract.id);
    const at = store.clock.nowIso();
    const co: ChangeOrder = {
      id: store.newId(),
      company_id: project.company_id,
      project_id: project.id,
      kind,
      contract_id: contract.id,
      number: String(siblings.length + 1),
      title: '',
      description: null,
      status: 'draft',
      executed: false,
      due_date: null,
      revision: 0,
      ...freshRecord(at),
    };
    const errors = assignFields(co, body, CHANGE_ORDER_FIELDS);
    if (errors) return sendJson(res, 422, { errors });
    if (!CHANGE_ORDER_STATUSES.includes(co.status))
      return sendJson(res, 422, { errors: { status: [`must be one of ${CHANGE_ORDER_STATUSES.join(', ')}`] } });
    store.state.changeOrders.push(co);
    reply(
      res,
      `POST /rest/v1.0/projects/{project_id}/${kind}_change_orders` as SimulatedEndpoint,
      201,
      renderChangeOrder(store, co),
    );
  });

  router.get(`${base}/:id`, (req, res) => {
    const co = projectRecord(store, req, res, changeOrdersOf);
    if (co) reply(res, endpoint('/{id}'), 200, renderChangeOrder(store, co));
  });

  router.patch(`${base}/:id`, (req, res) => {
    const co = projectRecord(store, req, res, changeOrdersOf);
    if (!co) return;
    const edit = {
      key: 'change_order',
      fields: CHANGE_ORDER_FIELDS,
      label: 'change order',
      now: () => store.clock.nowIso(),
    };
    const before = co.status;
    if (!editRecord(req, res, co, edit)) return;
    if (!CHANGE_ORDER_STATUSES.includes(co.status)) {
      co.status = before;
      return sendJson(res, 422, { errors: { status: [`must be one of ${CHANGE_ORDER_STATUSES.join(', ')}`] } });
    }
    reply(
      res,
      `PATCH /rest/v1.0/projects/{project_id}/${kind}_change_orders/{id}` as SimulatedEndpoint,
      200,
      renderChangeOrder(store, co),
    );
  });

  router.get(`${base}/:id/line_items`, (req, res) => {
    const co = projectRecord(store, req, res, changeOrdersOf);
    if (!co) return;
    const lines = paginate(req, res, store.changeOrderLines(co.id));
    sendJson(
      res,
      200,
      lines.map((l) => renderChangeOrderLine(store, l)),
    );
  });
}
