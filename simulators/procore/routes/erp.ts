/**
 * The partner-only ERP platform endpoints (procore-api.md §5.8): ERP requests (what an accounting approver's
 * "accept" produces), their request details (which the connector closes out), and External Data, which marks
 * Procore records as synced by writing `origin_id` onto them.
 */
import type { Request, Response, Router } from 'express';
import express from 'express';
import { stringify } from 'lossless-json';
import { authOf } from '../auth';
import { asId, idNum, sendError, sendJson } from '../json';
import {
  renderErpRequest,
  renderExternalData,
  renderLineItem,
  renderRequestDetail,
  renderWorkOrderContract,
} from '../render';
import type { ErpRequestDetail, ProcoreStore, SyncableItemType } from '../store';
import { SYNCABLE_ITEM_TYPES } from '../store';
import type { WebhookEngine } from '../webhooks';

export const INTEGRATION_APP_NAME = 'Procore Acumatica Connector';
const MAX_SYNC_UPDATES = 1000;

export function erpRouter(store: ProcoreStore): Router {
  const router = express.Router();

  /** The `{company_id}` path segment must be the header's company. */
  const pathCompany = (req: Request, res: Response): string | undefined => {
    const companyId = asId(req.params.companyId);
    if (!companyId || companyId !== authOf(res).companyId) return void sendError(res, 404, 'Not Found');
    return companyId;
  };

  const detailIn = (companyId: string, id: string | undefined): ErpRequestDetail | undefined =>
    store.state.erpRequestDetails.find((d) => d.id === id && d.company_id === companyId);

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
    const filters = (req.query.filters ?? {}) as Record<string, unknown>;
    const details = store.state.erpRequestDetails.filter(
      (d) =>
        d.company_id === companyId &&
        (filters.item_id === undefined || d.item_id === asId(filters.item_id)) &&
        (filters.item_type === undefined || d.item_type === filters.item_type),
    );
    sendJson(res, 200, details.map(renderRequestDetail));
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
    const body = ((req.body as Record<string, unknown>)?.request_detail ?? {}) as Record<string, unknown>;
    if (body.status !== 'success' && body.status !== 'failed') {
      return sendError(res, 422, 'status must be success or failed');
    }
    const messages = body.messages ?? [];
    if (!Array.isArray(messages) || messages.some((m) => typeof m !== 'string')) {
      return sendError(res, 422, 'messages must be an array of strings');
    }
    detail.status = body.status;
    detail.messages = messages as string[];
    detail.updated_at = store.clock.nowIso();
    sendJson(res, 200, renderRequestDetail(detail));
  });

  router.patch('/rest/v1.0/companies/:companyId/external_data/sync', (req, res) => {
    const companyId = pathCompany(req, res);
    if (!companyId) return;
    const updates = (req.body as Record<string, unknown>)?.updates;
    if (!Array.isArray(updates)) return sendError(res, 400, 'updates must be an array');
    if (updates.length > MAX_SYNC_UPDATES) return sendError(res, 422, `at most ${MAX_SYNC_UPDATES} updates per call`);
    const entities: unknown[] = [];
    const errors: unknown[] = [];
    for (const raw of updates as Array<Record<string, unknown>>) {
      const result = applyExternalData(store, companyId, raw ?? {});
      if ('errors' in result) errors.push(result);
      else entities.push(result);
    }
    // Sync actions always answer 200; per-item failures are in `errors`.
    sendJson(res, 200, { entities, errors });
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

  return router;
}

/** One External Data update: validates, upserts the entity and writes origin_id onto the target record. */
function applyExternalData(store: ProcoreStore, companyId: string, u: Record<string, unknown>) {
  const itemType = typeof u.item_type === 'string' ? u.item_type : '';
  const itemId = asId(u.item_id);
  const originId = typeof u.origin_id === 'string' || typeof u.origin_id === 'number' ? String(u.origin_id) : '';
  const originData = typeof u.origin_data === 'string' ? u.origin_data : undefined;
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
  if (store.originTakenBy(companyId, type, originId, itemId)) return fail('origin_id', 'has already been taken');

  let entity = store.state.externalData.find(
    (e) => e.company_id === companyId && e.item_type === type && e.item_id === itemId,
  );
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
  }
  const changed = target.origin_id !== originId || (originData !== undefined && target.origin_data !== originData);
  entity.origin_id = originId;
  target.origin_id = originId;
  if (originData !== undefined) {
    entity.origin_data = originData;
    target.origin_data = originData;
  }
  // Re-sending the same update is a no-op: same entity, no new updated_at.
  if (changed && 'updated_at' in target) (target as { updated_at: string }).updated_at = store.clock.nowIso();
  return renderExternalData(entity);
}

/**
 * The accounting approver accepts an item in the ERP Integrations tool: Procore creates the ERP request and
 * its request detail, then fires the "ERP Requests / create" webhook. Only work order contracts so far.
 */
export function acceptForExport(
  store: ProcoreStore,
  webhooks: WebhookEngine,
  input: { companyId: string; itemType: string; itemId: string; duplicateDeliveries?: number },
): { erp_request_id: string; request_detail_id: string } | { error: string; status: number } {
  if (input.itemType !== 'work_order_contract') return { status: 422, error: 'Only work_order_contract is supported' };
  const contract = store.workOrderContract(input.companyId, input.itemId);
  if (!contract) return { status: 404, error: 'work order contract not found in this company' };
  const now = store.clock.nowIso();
  const requestId = store.newId();
  const detailId = store.newId();
  const requestData = {
    job_id: idNum(contract.project_id),
    request_detail_id: idNum(detailId),
    commitment: {
      ...renderWorkOrderContract(store, contract),
      type: 'WorkOrderContract',
      project_id: idNum(contract.project_id),
      vendor_id: idNum(contract.vendor_id),
    },
    commitment_items: store.lineItemsOf(contract.id).map((l) => renderLineItem(store, l)),
    additional_data: { accounting_date: now.slice(0, 10) },
    company_id: idNum(input.companyId),
  };
  store.state.erpRequests.push({
    id: requestId,
    company_id: input.companyId,
    request_name: 'create_commitment',
    integration_app_name: INTEGRATION_APP_NAME,
    request_data_json: stringify(requestData) ?? '{}',
    detail_ids: [detailId],
    created_at: now,
    updated_at: now,
  });
  store.state.erpRequestDetails.push({
    id: detailId,
    company_id: input.companyId,
    erp_request_id: requestId,
    item_type: 'work_order_contract',
    item_id: contract.id,
    status: 'in_progress',
    messages: [],
    created_at: now,
    updated_at: now,
  });
  webhooks.publish(
    {
      companyId: input.companyId,
      projectId: contract.project_id,
      userId: store.state.approverUserId,
      resourceName: 'ERP Requests',
      resourceId: requestId,
      eventType: 'create',
    },
    input.duplicateDeliveries ?? 1,
  );
  return { erp_request_id: requestId, request_detail_id: detailId };
}
