/**
 * Cost structure: standard cost code lists (one ERP list per company), standard cost codes, project cost codes
 * cost types (line item types) and tax codes. Imports from the ERP write these through their `/sync` endpoints.
 */
import type { Router } from 'express';
import express from 'express';
import { asId, sendError } from '../json';
import {
  costCodeLookups,
  renderCostCode,
  type CostCodeLookups,
  renderLineItemType,
  renderStandardCostCode,
  renderStandardCostCodeList,
  renderTaxCode,
} from '../render';
import type { CostCode, LineItemType, ProcoreStore, Project, StandardCostCode } from '../store';
import {
  applyFilters,
  assignFields,
  bodyOf,
  companyScope,
  findRecord,
  freshRecord,
  NOT_FOUND,
  projectRecord,
  projectScope,
  reply,
  replyPage,
  runSync,
  type FieldErrors,
  type FieldKind,
} from './common';

const CODE_FIELDS: Record<string, FieldKind> = { code: 'string', name: 'string', full_code: 'string' };
const TYPE_FIELDS: Record<string, FieldKind> = { code: 'string', name: 'string', base_type: 'string' };

export function costCodesRouter(store: ProcoreStore): Router {
  const router = express.Router();
  const now = () => store.clock.nowIso();
  const listsOf = (companyId: string) => store.state.standardCostCodeLists.filter((l) => l.company_id === companyId);
  const codesOf = (listId: string) => store.state.standardCostCodes.filter((c) => c.list_id === listId);
  const projectCodesOf = (project: Project) => store.state.costCodes.filter((c) => c.project_id === project.id);

  router.get('/rest/v1.0/standard_cost_code_lists', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    replyPage(req, res, 'GET /rest/v1.0/standard_cost_code_lists', listsOf(companyId), renderStandardCostCodeList);
  });

  router.get('/rest/v1.0/standard_cost_code_lists/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const list = store.standardCostCodeList(companyId, asId(req.params.id) ?? '');
    if (!list) return sendError(res, 404, NOT_FOUND);
    reply(res, 'GET /rest/v1.0/standard_cost_code_lists/{id}', 200, renderStandardCostCodeList(list));
  });

  /** `standard_cost_code_list_id` (query or body) inside the company; answers the error itself. */
  const listScope = (req: express.Request, res: express.Response) => {
    const companyId = companyScope(req, res, { required: false });
    if (!companyId) return undefined;
    const listId = asId(req.query.standard_cost_code_list_id ?? bodyOf(req).standard_cost_code_list_id);
    if (!listId) return void sendError(res, 400, 'standard_cost_code_list_id is missing');
    const list = store.standardCostCodeList(companyId, listId);
    if (!list) sendError(res, 404, NOT_FOUND);
    return list;
  };

  router.get('/rest/v1.0/standard_cost_codes', (req, res) => {
    const list = listScope(req, res);
    if (!list) return;
    const codes = applyFilters(req, codesOf(list.id));
    replyPage(req, res, 'GET /rest/v1.0/standard_cost_codes', codes, renderStandardCostCode);
  });

  router.patch('/rest/v1.0/standard_cost_codes/sync', (req, res) => {
    const list = listScope(req, res);
    if (!list) return;
    const companyLists = new Set(listsOf(list.company_id).map((l) => l.id));
    runSync<StandardCostCode>(res, 'PATCH /rest/v1.0/standard_cost_codes/sync', bodyOf(req).updates, {
      records: () => codesOf(list.id),
      originScope: () => store.state.standardCostCodes.filter((c) => companyLists.has(c.list_id)),
      create: (u) => {
        const code: StandardCostCode = {
          id: store.newId(),
          list_id: list.id,
          parent_id: null,
          code: '',
          full_code: '',
          name: '',
          origin_id: null,
          origin_code: null,
          origin_data: null,
        };
        return fillNewCode(code, u);
      },
      update: (c, u) => assignFields(c, u, CODE_FIELDS),
      insert: (c) => store.state.standardCostCodes.push(c),
      render: renderStandardCostCode,
      now,
    });
  });

  router.get('/rest/v1.0/standard_cost_codes/:id', (req, res) => {
    const companyId = companyScope(req, res, { required: false });
    if (!companyId) return;
    const code = store.state.standardCostCodes.find((c) => c.id === asId(req.params.id));
    if (!code || !store.standardCostCodeList(companyId, code.list_id)) return sendError(res, 404, NOT_FOUND);
    reply(res, 'GET /rest/v1.0/standard_cost_codes/{id}', 200, renderStandardCostCode(code));
  });

  // --- project cost codes --------------------------------------------------------------------------------

  router.get('/rest/v1.0/cost_codes', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const subJobId = asId(req.query.sub_job_id);
    const codes = applyFilters(
      req,
      projectCodesOf(project).filter((c) => subJobId === undefined || c.sub_job_id === subJobId),
    );
    const lookups = costCodeLookups(store);
    replyPage(req, res, 'GET /rest/v1.0/cost_codes', codes, (c) => renderCostCode(store, c, lookups));
  });

  router.patch('/rest/v1.0/cost_codes/sync', (req, res) => {
    const project = projectScope(store, req, res);
    if (!project) return;
    const subJobId = asId(req.query.sub_job_id ?? bodyOf(req).sub_job_id) ?? null;
    const companyProjects = new Set(
      store.state.projects.filter((p) => p.company_id === project.company_id).map((p) => p.id),
    );
    let lookups: CostCodeLookups | undefined;
    runSync<CostCode>(res, 'PATCH /rest/v1.0/cost_codes/sync', bodyOf(req).updates, {
      records: () => projectCodesOf(project),
      originScope: () => store.state.costCodes.filter((c) => companyProjects.has(c.project_id)),
      create: (u) => {
        const code: CostCode = {
          id: store.newId(),
          project_id: project.id,
          code: '',
          full_code: '',
          name: '',
          position: projectCodesOf(project).length + 1,
          standard_cost_code_id: asId(u.standard_cost_code_id) ?? null,
          sub_job_id: subJobId,
          line_item_type_ids: [],
          ...freshRecord(now()),
        };
        return fillNewCode(code, u);
      },
      update: (c, u) => assignFields(c, u, CODE_FIELDS),
      insert: (c) => store.state.costCodes.push(c),
      render: (c) => renderCostCode(store, c, (lookups ??= costCodeLookups(store))),
      now,
    });
  });

  router.get('/rest/v1.0/cost_codes/:id', (req, res) => {
    const code = projectRecord(store, req, res, projectCodesOf);
    if (!code) return;
    reply(res, 'GET /rest/v1.0/cost_codes/{id}', 200, renderCostCode(store, code));
  });

  // --- cost types ----------------------------------------------------------------------------------------

  const typesOf = (companyId: string) => store.state.lineItemTypes.filter((t) => t.company_id === companyId);

  router.get('/rest/v1.0/line_item_types', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    replyPage(req, res, 'GET /rest/v1.0/line_item_types', applyFilters(req, typesOf(companyId)), renderLineItemType);
  });

  router.patch('/rest/v1.0/line_item_types/sync', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    runSync<LineItemType>(res, 'PATCH /rest/v1.0/line_item_types/sync', bodyOf(req).updates, {
      records: () => typesOf(companyId),
      originScope: () => typesOf(companyId),
      create: (u) => {
        const type: LineItemType = {
          id: store.newId(),
          company_id: companyId,
          code: '',
          name: '',
          base_type: 'other',
          origin_id: null,
          origin_code: null,
          origin_data: null,
        };
        const errors = assignFields(type, u, TYPE_FIELDS);
        if (errors) return errors;
        return type.code && type.name ? type : { code: ["can't be blank"] };
      },
      update: (t, u) => assignFields(t, u, TYPE_FIELDS),
      insert: (t) => store.state.lineItemTypes.push(t),
      render: renderLineItemType,
      now,
    });
  });

  // --- tax codes (read only here: the connector maps them to Acumatica tax categories) ---------------------

  const taxCodesOf = (companyId: string) => store.state.taxCodes.filter((t) => t.company_id === companyId);

  router.get('/rest/v1.0/tax_codes', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    replyPage(req, res, 'GET /rest/v1.0/tax_codes', applyFilters(req, taxCodesOf(companyId)), renderTaxCode);
  });

  router.get('/rest/v1.0/tax_codes/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const taxCode = findRecord(req, res, taxCodesOf(companyId));
    if (!taxCode) return;
    reply(res, 'GET /rest/v1.0/tax_codes/{id}', 200, renderTaxCode(taxCode));
  });

  router.get('/rest/v1.0/line_item_types/:id', (req, res) => {
    const companyId = companyScope(req, res);
    if (!companyId) return;
    const type = findRecord(req, res, typesOf(companyId));
    if (!type) return;
    reply(res, 'GET /rest/v1.0/line_item_types/{id}', 200, renderLineItemType(type));
  });

  return router;
}

/** A new cost code from a sync update: code and name are required; full_code defaults to the code. */
function fillNewCode<T extends StandardCostCode | CostCode>(code: T, u: Record<string, unknown>): T | FieldErrors {
  const errors = assignFields(code, u, CODE_FIELDS);
  if (errors) return errors;
  if (!code.code || !code.name) return { code: ["can't be blank"] };
  code.full_code ||= code.code;
  return code;
}
