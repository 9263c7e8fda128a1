/**
 * Read endpoints for the master data and commitments the connector exports: vendors, projects, work order
 * contracts and their schedule-of-values line items. Scope comes from the Procore-Company-Id header; the
 * `company_id` / `project_id` query params Procore requires must point inside that company, else 404.
 */
import type { Request, Response, Router } from 'express';
import express from 'express';
import { authOf } from '../auth';
import { asId, sendError, sendJson } from '../json';
import { paginate } from '../pagination';
import { renderLineItem, renderProject, renderVendor, renderWorkOrderContract } from '../render';
import type { ProcoreStore, Project } from '../store';

const NOT_FOUND = 'Not Found';

export function resourcesRouter(store: ProcoreStore): Router {
  const router = express.Router();

  /** Resolves `company_id` (query) against the header's company; answers the error itself when it fails. */
  const companyScope = (req: Request, res: Response): string | undefined => {
    const companyId = asId(req.query.company_id);
    if (!companyId) {
      sendError(res, 400, 'company_id is missing');
      return undefined;
    }
    if (companyId !== authOf(res).companyId) {
      sendError(res, 404, NOT_FOUND);
      return undefined;
    }
    return companyId;
  };

  const projectScope = (req: Request, res: Response): Project | undefined => {
    const projectId = asId(req.query.project_id);
    if (!projectId) {
      sendError(res, 400, 'project_id is missing');
      return undefined;
    }
    const project = store.project(authOf(res).companyId, projectId);
    if (!project) sendError(res, 404, NOT_FOUND);
    return project;
  };

  router.get('/rest/v1.0/vendors', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const vendors = applyFilters(
      req,
      store.state.vendors.filter((v) => v.company_id === companyId),
    );
    sendJson(res, 200, paginate(req, res, vendors).map(renderVendor));
  });

  router.get('/rest/v1.0/vendors/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const vendor = store.vendor(companyId, asId(req.params.id) ?? '');
    if (!vendor) return sendError(res, 404, NOT_FOUND);
    sendJson(res, 200, renderVendor(vendor));
  });

  router.get('/rest/v1.0/projects', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const projects = applyFilters(
      req,
      store.state.projects.filter((p) => p.company_id === companyId),
    );
    sendJson(res, 200, paginate(req, res, projects).map(renderProject));
  });

  router.get('/rest/v1.0/projects/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const project = store.project(companyId, asId(req.params.id) ?? '');
    if (!project) return sendError(res, 404, NOT_FOUND);
    sendJson(res, 200, renderProject(project));
  });

  router.get('/rest/v1.0/work_order_contracts', (req, res) => {
    const project = projectScope(req, res);
    if (!project) return;
    const includeDeleted = (req.query.filters as Record<string, unknown> | undefined)?.include_deleted;
    const contracts = applyFilters(
      req,
      store.state.workOrderContracts.filter(
        (c) =>
          c.project_id === project.id &&
          (includeDeleted === 'with' || (includeDeleted === 'only' ? c.deleted_at !== null : c.deleted_at === null)),
      ),
    );
    sendJson(
      res,
      200,
      paginate(req, res, contracts).map((c) => renderWorkOrderContract(store, c)),
    );
  });

  router.get('/rest/v1.0/work_order_contracts/:id', (req, res) => {
    const project = projectScope(req, res);
    if (!project) return;
    const contract = store.workOrderContract(project.company_id, asId(req.params.id) ?? '');
    if (!contract || contract.project_id !== project.id) return sendError(res, 404, NOT_FOUND);
    sendJson(res, 200, renderWorkOrderContract(store, contract));
  });

  router.get('/rest/v1.0/work_order_contracts/:id/line_items', (req, res) => {
    const project = projectScope(req, res);
    if (!project) return;
    const contract = store.workOrderContract(project.company_id, asId(req.params.id) ?? '');
    if (!contract || contract.project_id !== project.id) return sendError(res, 404, NOT_FOUND);
    const lines = paginate(req, res, store.lineItemsOf(contract.id));
    sendJson(
      res,
      200,
      lines.map((l) => renderLineItem(store, l)),
    );
  });

  return router;
}

/** The `filters[id]` and `filters[origin_id]` list filters common to these endpoints. */
function applyFilters<T extends { id: string; origin_id: string | null }>(req: Request, items: T[]): T[] {
  const filters = (req.query.filters ?? {}) as Record<string, unknown>;
  let out = items;
  if (filters.id !== undefined) {
    const ids = new Set((Array.isArray(filters.id) ? filters.id : String(filters.id).split(',')).map((v) => asId(v)));
    out = out.filter((i) => ids.has(i.id));
  }
  if (typeof filters.origin_id === 'string') out = out.filter((i) => i.origin_id === filters.origin_id);
  return out;
}
