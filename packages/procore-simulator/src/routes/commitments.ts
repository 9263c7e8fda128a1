/**
 * Commitments: work order contracts (subcontracts) and purchase order contracts, their schedule-of-values
 * line items, the read-only /commitments view over both, and commitment change orders with their lines.
 */
import type { Request, Response, Router } from 'express';
import express from 'express';
import type { SimulatedEndpoint } from '../digest/endpoints';
import { asId, sendError } from '../json';
import { renderCommitmentSummary, renderLineItem, renderWorkOrderContract } from '../render';
import type { CommitmentKind, CommitmentLineItem, ProcoreStore, Project, WorkOrderContract } from '../store';
import {
  applyFilters,
  assignFields,
  blankLine,
  bodyOf,
  editLine,
  editRecord,
  fillLine,
  findRecord,
  freshRecord,
  LINE_FIELDS,
  lineRefErrors,
  newInProject,
  NOT_FOUND,
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
import { mountChangeOrders } from './change-orders';

const CONTRACT_FIELDS: Record<string, FieldKind> = {
  number: 'string',
  title: 'string',
  description: 'string',
  status: 'string',
  executed: 'bool',
  retainage_percent: 'decimal',
  contract_date: 'date',
  delivery_date: 'date',
  vendor_id: 'id',
};

/**
 * Procore's commitment (and prime contract) statuses. UNVERIFIED: neither the digest nor procore-api.md lists them; these are the
 * values Procore's Commitments tool shows, as the API spells them.
 */
export const STATUSES = ['Draft', 'Out For Bid', 'Out For Signature', 'Approved', 'Complete', 'Terminated', 'Void'];

/** What Procore refuses in a new commitment: a vendor outside the company directory, an unknown status. */
function contractErrors(store: ProcoreStore, project: Project, c: WorkOrderContract): FieldErrors | undefined {
  const errors: FieldErrors = {};
  if (c.vendor_id && !store.vendor(project.company_id, c.vendor_id)) {
    errors.vendor_id = ['is not a vendor in the company directory'];
  }
  if (!STATUSES.includes(c.status)) errors.status = [`must be one of ${STATUSES.join(', ')}`];
  return Object.keys(errors).length ? errors : undefined;
}

/** One more than the highest numeric commitment number in the project ("1" for the first). */
export function nextNumber(contracts: Array<{ number: string | null }>): string {
  const numbers = contracts.map((c) => Number(c.number)).filter((n) => Number.isInteger(n));
  return String(Math.max(0, ...numbers) + 1);
}

const PATHS: Record<CommitmentKind, string> = {
  work_order_contract: '/rest/v1.0/work_order_contracts',
  purchase_order_contract: '/rest/v1.0/purchase_order_contracts',
};

export function commitmentsRouter(store: ProcoreStore): Router {
  const router = express.Router();
  for (const kind of ['work_order_contract', 'purchase_order_contract'] as const) mountCommitment(router, store, kind);

  router.get('/rest/v1.0/commitments', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const all = (['work_order_contract', 'purchase_order_contract'] as const).flatMap((kind) =>
      applyFilters(
        req,
        store.commitments(kind).filter((c) => c.project_id === project.id),
      ).map((c) => ({ kind, c })),
    );
    replyPage(req, res, 'GET /rest/v1.0/commitments', all, ({ kind, c }) =>
      renderCommitmentSummary(store, kind, c, false),
    );
  });

  router.get('/rest/v1.0/commitments/:id', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const found = store.commitment(project.company_id, asId(req.params.id) ?? '');
    if (!found || found.contract.project_id !== project.id) return sendError(res, 404, NOT_FOUND);
    reply(
      res,
      'GET /rest/v1.0/commitments/{id}',
      200,
      renderCommitmentSummary(store, found.kind, found.contract, true),
    );
  });

  mountChangeOrders(router, store, 'commitment');

  return router;
}

function mountCommitment(router: Router, store: ProcoreStore, kind: CommitmentKind): void {
  const base = PATHS[kind];
  const endpoint = (method: string, suffix: string) => `${method} ${base}${suffix}` as SimulatedEndpoint;
  const ep = (suffix: string) => endpoint('GET', suffix);
  const now = () => store.clock.nowIso();
  const render = (c: WorkOrderContract, withLines = false) => renderWorkOrderContract(store, c, { kind, withLines });
  const inProject = (project: Project) => store.commitments(kind).filter((c) => c.project_id === project.id);
  const contractIn = (req: Request, res: Response, param: string) => projectRecord(store, req, res, inProject, param);
  const lineParam = kind === 'work_order_contract' ? 'work_order_contract_id' : 'purchase_order_contract_id';
  const lineSuffix = `/{${lineParam}}/line_items`;

  router.get(base, (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    replyPage(req, res, ep(''), applyFilters(req, inProject(project)), (c) => render(c));
  });

  /** Create and update rules shared by the sync and the create route. */
  const contractRules = (project: Project) => ({
    records: () => inProject(project),
    originScope: () => store.commitments(kind).filter((c) => c.company_id === project.company_id),
    create: (u: Record<string, unknown>) => {
      const contract: WorkOrderContract = {
        ...newInProject(store, project),
        vendor_id: null,
        number: null,
        title: null,
        status: 'Draft',
        executed: false,
        retainage_percent: null,
        contract_date: null,
        accounting_method: 'amount',
        deleted_at: null,
        ...freshRecord(now()),
      };
      return assignFields(contract, u, CONTRACT_FIELDS) ?? contractErrors(store, project, contract) ?? contract;
    },
    update: (c: WorkOrderContract, u: Record<string, unknown>) => assignFields(c, u, CONTRACT_FIELDS),
    insert: (c: WorkOrderContract) => store.commitments(kind).push(c),
    render: (c: WorkOrderContract) => render(c),
    now,
  });

  router.patch(`${base}/sync`, (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    runSync<WorkOrderContract>(res, endpoint('PATCH', '/sync'), bodyOf(req).updates, contractRules(project));
  });

  router.post(base, (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const rules = contractRules(project);
    runCreate<WorkOrderContract>(res, endpoint('POST', ''), resourceBody(req, kind), {
      ...rules,
      // A create without a number gets the project's next one, as Procore numbers new commitments.
      create: (u) => rules.create({ number: nextNumber(inProject(project)), ...u }),
      render: (c) => render(c, true),
    });
  });

  router.get(`${base}/:id`, (req, res) => {
    const contract = contractIn(req, res, 'id');
    if (!contract) return;
    reply(res, ep('/{id}'), 200, render(contract, true));
  });

  router.patch(`${base}/:id`, (req, res) => {
    const contract = contractIn(req, res, 'id');
    if (!contract) return;
    if (!editRecord(req, res, contract, { key: kind, fields: CONTRACT_FIELDS, label: 'commitment', now })) return;
    reply(res, endpoint('PATCH', '/{id}'), 200, render(contract, true));
  });

  router.get(`${base}/:${lineParam}/line_items`, (req, res) => {
    const contract = contractIn(req, res, lineParam);
    if (!contract) return;
    replyPage(req, res, ep(lineSuffix), applyFilters(req, store.lineItemsOf(contract.id)), (l) =>
      renderLineItem(store, l),
    );
  });

  const lineRules = (contract: WorkOrderContract) => ({
    records: () => store.lineItemsOf(contract.id),
    originScope: () =>
      store.state.lineItems.filter((l) => l.origin_id && store.lineItem(contract.company_id, l.id) !== undefined),
    create: (u: Record<string, unknown>) => {
      const position = store.lineItemsOf(contract.id).length + 1;
      const line: CommitmentLineItem = { id: store.newId(), contract_id: contract.id, ...blankLine(position, now()) };
      return fillLine(line, u) ?? lineRefErrors(store, line) ?? line;
    },
    update: (l: CommitmentLineItem, u: Record<string, unknown>) => assignFields(l, u, LINE_FIELDS),
    insert: (l: CommitmentLineItem) => store.state.lineItems.push(l),
    render: (l: CommitmentLineItem) => renderLineItem(store, l, { compactCostCode: true }),
    now,
  });

  router.patch(`${base}/:${lineParam}/line_items/sync`, (req, res) => {
    const contract = contractIn(req, res, lineParam);
    if (!contract) return;
    runSync<CommitmentLineItem>(res, endpoint('PATCH', `${lineSuffix}/sync`), bodyOf(req).updates, lineRules(contract));
  });

  router.post(`${base}/:${lineParam}/line_items`, (req, res) => {
    const contract = contractIn(req, res, lineParam);
    if (!contract) return;
    runCreate<CommitmentLineItem>(res, endpoint('POST', lineSuffix), resourceBody(req, 'line_item'), {
      ...lineRules(contract),
      render: (l) => renderLineItem(store, l),
    });
  });

  router.patch(`${base}/:${lineParam}/line_items/:id`, (req, res) => {
    const contract = contractIn(req, res, lineParam);
    if (!contract) return;
    const line = findRecord(req, res, store.lineItemsOf(contract.id));
    if (!line || !editLine(req, res, store, line, now())) return;
    reply(res, endpoint('PATCH', `${lineSuffix}/{id}`), 200, renderLineItem(store, line));
  });

  router.get(`${base}/:${lineParam}/line_items/:id`, (req, res) => {
    const contract = contractIn(req, res, lineParam);
    if (!contract) return;
    const line = findRecord(req, res, store.lineItemsOf(contract.id));
    if (!line) return;
    reply(res, ep(`${lineSuffix}/{id}`), 200, renderLineItem(store, line));
  });
}
