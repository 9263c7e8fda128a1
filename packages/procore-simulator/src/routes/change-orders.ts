/**
 * Change orders of one tier, commitment or prime (one-tier: each change order carries its lines): list, show,
 * and the lines, which are not in the public digest (shaped like potential change order line items).
 */
import type { Router } from 'express';
import type { SimulatedEndpoint } from '../digest/endpoints';
import { asId, sendJson } from '../json';
import { paginate } from '../pagination';
import { renderChangeOrder, renderChangeOrderLine } from '../render-financials';
import type { ProcoreStore, Project } from '../store';
import { applyFilters, filtersOf, projectRecord, projectScope, reply, replyPage } from './common';

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

  router.get(`${base}/:id`, (req, res) => {
    const co = projectRecord(store, req, res, changeOrdersOf);
    if (co) reply(res, endpoint('/{id}'), 200, renderChangeOrder(store, co));
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
