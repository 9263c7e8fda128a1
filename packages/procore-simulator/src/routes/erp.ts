/**
 * The partner-only ERP platform endpoints (procore-api.md §5.8): ERP connections, ERP requests and their
 * request details (which the connector closes out), External Data (marks Procore records as synced by
 * writing origin_id onto them), ERP budget transactions (§5.2, erp_transactions/sync) and staged records. Not in
 * the public digest, so shaped from §5.2 and §5.8.
 */
import type { Request, Response, Router } from 'express';
import express from 'express';
import { authOf } from '../auth';
import { asId, idNum, sendError, sendJson } from '../json';
import { paginate } from '../pagination';
import { renderErpRequest, renderExternalData, renderRequestDetail, renderStagedRecord } from '../render';
import { stageRecord } from '../staged-records';
import type { ErpRequestDetail, ExternalData, ProcoreStore, SyncableItemType } from '../store';
import { SYNCABLE_ITEM_TYPES } from '../store';
import { bodyOf, filtersOf, MAX_SYNC_UPDATES } from './common';

export { acceptForExport, INTEGRATION_APP_NAME } from '../erp-actions';

export function erpRouter(store: ProcoreStore): Router {
  const router = express.Router();
  const now = () => store.clock.nowIso();

  /**
   * The `{company_id}` path segment must be the header's company, and its ERP Integrations tool enabled. The 403
   * text is the simulator's (UNVERIFIED: Procore's wording for a disabled tool is not documented).
   */
  const pathCompany = (req: Request, res: Response): string | undefined => {
    const companyId = asId(req.params.companyId);
    if (!companyId || companyId !== authOf(res).companyId) return void sendError(res, 404, 'Not Found');
    if (!store.settings(companyId).erp_integrations_enabled)
      return void sendError(res, 403, 'The ERP Integrations tool is not enabled for this company');
    return companyId;
  };

  const detailIn = (companyId: string, id: string | undefined): ErpRequestDetail | undefined =>
    store.state.erpRequestDetails.find((d) => d.id === id && d.company_id === companyId);

  // --- connection ------------------------------------------------------------------------------------------

  // Creating the connection auto-creates the company's single ERP standard cost code list.
  router.post('/rest/v1.0/companies/:companyId/erp_connections', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    let list = store.erpCostCodeList(companyId);
    if (!list) {
      list = { id: store.newId(), company_id: companyId, name: 'ERP Standard Cost Codes', is_erp_list: true };
      store.state.standardCostCodeLists.push(list);
    }
    sendJson(res, 201, { id: idNum(companyId), standard_cost_code_list_id: idNum(list.id) });
  });

  // --- ERP requests and request details ---------------------------------------------------------------------

  router.get('/rest/v1.0/companies/:companyId/erp_requests', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const name = filtersOf(req).request_name ?? req.query.request_name;
    const requests = store.state.erpRequests
      .filter((r) => r.company_id === companyId && (name === undefined || r.request_name === name))
      .reverse();
    sendJson(
      res,
      200,
      paginate(req, res, requests).map((r) => renderErpRequest(store, r)),
    );
  });

  router.get('/rest/v1.0/companies/:companyId/erp_requests/:id', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const request = store.state.erpRequests.find((r) => r.id === asId(req.params.id) && r.company_id === companyId);
    if (!request) return sendError(res, 404, 'Not Found');
    sendJson(res, 200, renderErpRequest(store, request));
  });

  router.get('/rest/v1.0/companies/:companyId/erp_request_details', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const filters = filtersOf(req);
    const details = store.state.erpRequestDetails.filter(
      (d) =>
        d.company_id === companyId &&
        (filters.item_id === undefined || d.item_id === asId(filters.item_id)) &&
        (filters.item_type === undefined || d.item_type === filters.item_type),
    );
    sendJson(res, 200, details.map(renderRequestDetail));
  });

  /** One close-out; undefined on success, else the message. */
  const closeOut = (detail: ErpRequestDetail, body: Record<string, unknown>): string | undefined => {
    if (body.status !== 'success' && body.status !== 'failed') return 'status must be success or failed';
    const messages = body.messages ?? [];
    if (!Array.isArray(messages) || messages.some((m) => typeof m !== 'string')) {
      return 'messages must be an array of strings';
    }
    detail.status = body.status;
    detail.messages = messages as string[];
    detail.updated_at = now();
    return undefined;
  };

  router.patch('/rest/v1.0/companies/:companyId/erp_request_details/sync', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const body = req.body as unknown;
    const updates = Array.isArray(body) ? body : (bodyOf(req).updates ?? bodyOf(req).request_details);
    if (!Array.isArray(updates)) return sendError(res, 400, 'updates must be an array');
    const entities: unknown[] = [];
    const errors: unknown[] = [];
    for (const u of updates as Array<Record<string, unknown>>) {
      const detail = detailIn(companyId, asId(u?.id));
      const problem = detail ? closeOut(detail, u) : 'not found';
      if (problem || !detail) errors.push({ id: u?.id ?? null, errors: { base: [problem] } });
      else entities.push(renderRequestDetail(detail));
    }
    sendJson(res, 200, { entities, errors });
  });

  router.get('/rest/v1.0/companies/:companyId/erp_request_details/:id', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const detail = detailIn(companyId, asId(req.params.id));
    if (!detail) return sendError(res, 404, 'Not Found');
    sendJson(res, 200, renderRequestDetail(detail));
  });

  // The docs show both PATCH and PUT for the close-out.
  router.all('/rest/v1.0/companies/:companyId/erp_request_details/:id', (req, res, next) => {
    if (req.method !== 'PATCH' && req.method !== 'PUT') return next();
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const detail = detailIn(companyId, asId(req.params.id));
    if (!detail) return sendError(res, 404, 'Not Found');
    const body = (bodyOf(req).request_detail ?? {}) as Record<string, unknown>;
    const problem = closeOut(detail, body);
    if (problem) return sendError(res, 422, problem);
    sendJson(res, 200, renderRequestDetail(detail));
  });

  // --- External Data ---------------------------------------------------------------------------------------

  router.patch('/rest/v1.0/companies/:companyId/external_data/sync', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const index = new ExternalDataIndex(store, companyId);
    replySync(res, bodyOf(req).updates, (raw) => {
      const result = applyExternalData(store, companyId, raw ?? {}, index);
      return 'errors' in result ? { error: result } : { entity: result };
    });
  });

  router.get('/rest/v1.0/companies/:companyId/external_data', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const itemId = asId(req.query.item_id);
    const found = store.state.externalData.filter(
      (e) =>
        e.company_id === companyId &&
        (req.query.item_type === undefined || e.item_type === req.query.item_type) &&
        (req.query.item_id === undefined || e.item_id === itemId),
    );
    sendJson(res, 200, found.map(renderExternalData));
  });

  // Unmarks records as synced: the entries go and the records' origin fields are cleared.
  router.delete('/rest/v1.0/companies/:companyId/external_data/bulk_destroy', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const body = { ...bodyOf(req), ...(req.query as Record<string, unknown>) };
    const itemType = String(body.item_type ?? '');
    const rawIds = Array.isArray(body.item_ids) ? body.item_ids : String(body.item_ids ?? '').split(',');
    const itemIds = new Set(rawIds.map((v) => asId(v)).filter((v): v is string => v !== undefined));
    if (!SYNCABLE_ITEM_TYPES.includes(itemType as SyncableItemType) || itemIds.size === 0) {
      return sendError(res, 422, 'item_type and item_ids are required');
    }
    for (const itemId of itemIds) {
      const target = store.originTarget(companyId, itemType as SyncableItemType, itemId);
      if (target) Object.assign(target, { origin_id: null, origin_code: null, origin_data: null });
    }
    store.state.externalData = store.state.externalData.filter(
      (e) => !(e.company_id === companyId && e.item_type === itemType && itemIds.has(e.item_id)),
    );
    res.status(204).end();
  });

  // --- ERP budget transactions ------------------------------------------------------------------------------

  // Marks create_budget / update_budget transactions as synced (DOC-EVT-2022): {project_id, updates:[{id,
  // origin_id, synced}]}. Answers 200 with per-item errors, like the other sync actions.
  router.patch('/rest/v1.0/erp_transactions/sync', (req, res) => {
    const companyId = authOf(res).companyId;
    const body = bodyOf(req);
    const projectId = asId(body.project_id ?? req.query.project_id);
    if (!projectId || !store.project(companyId, projectId)) return sendError(res, 404, 'Project not found');
    replySync(res, body.updates, (u) => {
      const t = store.state.erpTransactions.find((x) => x.id === asId(u?.id) && x.project_id === projectId);
      const originId = typeof u?.origin_id === 'string' ? u.origin_id : undefined;
      if (!t) return { error: { id: u?.id ?? null, errors: { id: ['not found'] } } };
      if (originId === undefined || originId === '') {
        return { error: { id: idNum(t.id), errors: { origin_id: ["can't be blank"] } } };
      }
      t.origin_id = originId;
      t.synced = u.synced !== false;
      t.updated_at = now();
      return { entity: { id: idNum(t.id), type: t.type, origin_id: t.origin_id, synced: t.synced } };
    });
  });

  // --- staged records --------------------------------------------------------------------------------------

  router.get('/rest/v1.0/companies/:companyId/staged_records', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const filters = { ...filtersOf(req), ...(req.query as Record<string, unknown>) };
    const records = store.state.stagedRecords.filter(
      (s) =>
        s.company_id === companyId &&
        (filters.item_type === undefined || s.item_type === filters.item_type) &&
        (filters.status === undefined || s.status === filters.status) &&
        (typeof filters.origin_id !== 'string' || s.origin_id === filters.origin_id),
    );
    sendJson(res, 200, paginate(req, res, records).map(renderStagedRecord));
  });

  const stageOne = (req: Request, res: Response, update: Record<string, unknown>, status: number) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const result = stageRecord(store, companyId, normaliseId(update));
    if (!('id' in result && typeof result.id === 'string')) return sendJson(res, 422, { errors: result });
    sendJson(res, status, renderStagedRecord(result as Parameters<typeof renderStagedRecord>[0]));
  };

  router.post('/rest/v1.0/companies/:companyId/staged_records', (req, res) => {
    const body = bodyOf(req);
    stageOne(req, res, { ...((body.staged_record as Record<string, unknown>) ?? body), id: undefined }, 201);
  });

  router.patch('/rest/v1.0/companies/:companyId/staged_records/sync', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    replySync(res, bodyOf(req).updates, (raw) => {
      const u = normaliseId(raw ?? {});
      const result = stageRecord(store, companyId, u);
      if ('id' in result && typeof result.id === 'string') {
        return { entity: renderStagedRecord(result as Parameters<typeof renderStagedRecord>[0]) };
      }
      return { error: { item_type: u.item_type ?? null, origin_id: u.origin_id ?? null, errors: result } };
    });
  });

  router.put('/rest/v1.0/companies/:companyId/staged_records/:id', (req, res) => {
    const body = bodyOf(req);
    stageOne(req, res, { ...((body.staged_record as Record<string, unknown>) ?? body), id: req.params.id }, 200);
  });

  return router;
}

/**
 * A sync action of the ERP platform: each of `updates` (an array of at most MAX_SYNC_UPDATES) becomes an
 * entity or an error item. Sync actions always answer 200; per-item failures are in `errors`.
 */
function replySync(
  res: Response,
  updates: unknown,
  one: (update: Record<string, unknown>) => { entity: unknown } | { error: unknown },
): void {
  if (!Array.isArray(updates)) return sendError(res, 400, 'updates must be an array');
  if (updates.length > MAX_SYNC_UPDATES) return sendError(res, 422, `at most ${MAX_SYNC_UPDATES} updates per call`);
  const entities: unknown[] = [];
  const errors: unknown[] = [];
  for (const u of updates as Array<Record<string, unknown>>) {
    const item = one(u);
    if ('error' in item) errors.push(item.error);
    else entities.push(item.entity);
  }
  sendJson(res, 200, { entities, errors });
}

function normaliseId(u: Record<string, unknown>): Record<string, unknown> {
  return u.id === undefined || u.id === null ? { ...u, id: undefined } : { ...u, id: asId(u.id) ?? '!' };
}

/**
 * The records one External Data request matches against, indexed once per request (as runSync's SyncIndex does):
 * who holds each origin_id, per item type, and the company's entities by item. A request of 50 updates against a
 * month end's 27,000 commitment lines scanned them all three times per update (issue 16).
 */
class ExternalDataIndex {
  private readonly holders = new Map<SyncableItemType, Map<string, Array<{ id: string; origin_id: string | null }>>>();
  private entities?: Map<string, ExternalData>;

  constructor(
    private readonly store: ProcoreStore,
    private readonly companyId: string,
  ) {}

  /** Another record of the type in the company holding `originId`, as ProcoreStore.originTakenBy answers. */
  taken(type: SyncableItemType, originId: string, exceptId: string): boolean {
    return (this.holdersOf(type).get(originId) ?? []).some(
      (r) => r.id !== exceptId && r.origin_id === originId && this.store.originTarget(this.companyId, type, r.id),
    );
  }

  /** After `record` took `originId` in this request. */
  took(type: SyncableItemType, record: { id: string; origin_id: string | null }, originId: string): void {
    const byOrigin = this.holdersOf(type);
    const list = byOrigin.get(originId);
    if (!list) byOrigin.set(originId, [record]);
    else if (!list.includes(record)) list.push(record);
  }

  entity(type: SyncableItemType, itemId: string): ExternalData | undefined {
    return this.entityIndex().get(`${type}:${itemId}`);
  }

  added(entity: ExternalData): void {
    this.entityIndex().set(`${entity.item_type}:${entity.item_id}`, entity);
  }

  private holdersOf(type: SyncableItemType) {
    let byOrigin = this.holders.get(type);
    if (!byOrigin) {
      byOrigin = new Map();
      for (const r of this.store.originRecords(type)) {
        if (!r.origin_id) continue;
        const list = byOrigin.get(r.origin_id);
        if (list) list.push(r);
        else byOrigin.set(r.origin_id, [r]);
      }
      this.holders.set(type, byOrigin);
    }
    return byOrigin;
  }

  private entityIndex(): Map<string, ExternalData> {
    this.entities ??= new Map(
      this.store.state.externalData
        .filter((e) => e.company_id === this.companyId)
        .map((e) => [`${e.item_type}:${e.item_id}`, e]),
    );
    return this.entities;
  }
}

/** One External Data update: validates, upserts the entity and writes origin_id onto the target record. */
function applyExternalData(
  store: ProcoreStore,
  companyId: string,
  u: Record<string, unknown>,
  index: ExternalDataIndex,
) {
  const itemType = typeof u.item_type === 'string' ? u.item_type : '';
  const itemId = asId(u.item_id);
  const originId = typeof u.origin_id === 'string' || typeof u.origin_id === 'number' ? String(u.origin_id) : '';
  const originData = typeof u.origin_data === 'string' ? u.origin_data : undefined;
  const originCode = typeof u.origin_code === 'string' ? u.origin_code : undefined;
  const fail = (field: string, message: string) => ({
    item_type: itemType,
    item_id: itemId ? idNum(itemId) : (u.item_id ?? null),
    origin_id: originId || null,
    errors: { [field]: [message] },
  });

  if (!SYNCABLE_ITEM_TYPES.includes(itemType as SyncableItemType)) return fail('item_type', 'is not supported');
  if (!itemId) return fail('item_id', "can't be blank");
  if (originId === '') return fail('origin_id', "can't be blank");
  const type = itemType as SyncableItemType;
  const target = store.originTarget(companyId, type, itemId);
  if (!target) return fail('item_id', 'not found');
  if (index.taken(type, originId, itemId)) return fail('origin_id', 'has already been taken');

  let entity = index.entity(type, itemId);
  if (!entity) {
    entity = {
      id: store.newId(),
      company_id: companyId,
      item_type: type,
      item_id: itemId,
      origin_id: originId,
      origin_data: null,
    };
    store.state.externalData.push(entity);
    index.added(entity);
  }
  const changed =
    target.origin_id !== originId ||
    (originData !== undefined && target.origin_data !== originData) ||
    (originCode !== undefined && target.origin_code !== originCode);
  entity.origin_id = originId;
  target.origin_id = originId;
  index.took(type, target, originId);
  if (originData !== undefined) {
    entity.origin_data = originData;
    target.origin_data = originData;
  }
  if (originCode !== undefined) target.origin_code = originCode;
  // Re-sending the same update is a no-op: same entity, no new updated_at.
  if (changed && 'updated_at' in target) (target as { updated_at: string }).updated_at = store.clock.nowIso();
  return renderExternalData(entity);
}
