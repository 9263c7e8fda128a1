/**
 * What people do in Procore's UI, plus test controls. Ids in admin bodies and answers are strings (plain JSON
 * is safe for them at any size).
 *
 * ERP Integrations tool (erp-actions.ts, staged-records.ts):
 *   POST /__admin/erp/accept      {company_id, item_type, item_id, duplicate_deliveries?}   approver accepts
 *        item_type: work_order_contract | purchase_order_contract | commitment_change_order | vendor | project |
 *                   budget (budget id or project id) | budget_change (an approved change of a synced budget:
 *                   update_budget) | prime_contract | prime_change_order | requisition |
 *                   company_level_direct_cost
 *   POST /__admin/erp/send        {company_id, item_type, item_id}   "Send to ERP" (pending, or exported at once
 *                                                                     when the company skips accounting approval)
 *   POST /__admin/erp/reject      {company_id, item_type, item_id}   approver rejects a pending item
 *   POST /__admin/erp/retrieve    {company_id, item_type, item_id}   user pulls a pending item back
 *   GET  /__admin/erp/submissions?company_id=                          what was sent and what became of it
 *   POST /__admin/erp/refresh     {company_id, request_name, project_id?}   "Refresh" buttons: sync_vendors,
 *        sync_standard_cost_codes, sync_standard_categories, sync_jobs, sync_contract_payments, ...
 *   POST /__admin/erp/settings    {company_id, skip_accounting_approval?, erp_integrations_enabled?}
 *   POST /__admin/erp/staged_records/:id/import {company_id}         approver imports a staged record
 *   POST /__admin/erp/unlink      {company_id, item_type, item_id}   super user unlinks a synced record
 *   POST /__admin/company_direct_costs  {company_id, vendor_id, invoice_number, direct_cost_date, description?,
 *        lines: [{project_id, cost_code_id, line_item_type_id, sub_job_id?, description?, amount? |
 *        quantity + unit_cost, uom?}]}   a company-level direct cost (accept it with item_type
 *        company_level_direct_cost)
 *
 * Test controls:
 *   GET  /__admin/state           counts per collection
 *   POST /__admin/reset           {size?, seed?}: reseed, drop tokens, pending deliveries and rate-limit windows
 *   GET  /__admin/snapshot        the whole data state as JSON;  POST /__admin/snapshot  replaces it
 *   POST /__admin/clock           {advance_seconds?: number, reset?: true}: move simulator time (token expiry)
 *   POST /__admin/rate_limit      {limit_per_hour?, spike_limit?, spike_window_seconds?, retry_after?}
 *   POST /__admin/webhooks/chaos  {duplicate_probability?, reorder_window_ms?, seed?}
 *   POST /__admin/webhooks/hold   queue deliveries;  POST /__admin/webhooks/release {order: fifo|reverse}
 *   (faults: /__admin/faults, see packages/simulator-common/src/faults.ts)
 */
import type { Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';
import type { OAuthGrants, RateLimiter } from '../auth';
import { createCompanyDirectCost } from '../company-direct-costs';
import { acceptForExport, decideSubmission, refresh, sendToErp, unlink } from '../erp-actions';
import { asId } from '../json';
import { emptyState } from '../seed';
import { importStagedRecord } from '../staged-records';
import type { ProcoreStore, StoreState } from '../store';
import type { WebhookEngine } from '../webhooks';

const idLike = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const id = asId(v);
  if (!id) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an integer id' });
  return id ?? '';
});

const itemBody = z.object({ company_id: idLike, item_type: z.string(), item_id: idLike });
const acceptBody = itemBody.extend({ duplicate_deliveries: z.number().int().min(1).max(100).optional() });
const refreshBody = z.object({ company_id: idLike, request_name: z.string(), project_id: idLike.optional() });
const settingsBody = z.object({
  company_id: idLike,
  skip_accounting_approval: z.boolean().optional(),
  erp_integrations_enabled: z.boolean().optional(),
});
const rateLimitBody = z
  .object({
    limit_per_hour: z.number().int().min(1).optional(),
    spike_limit: z.number().int().min(1).optional(),
    spike_window_seconds: z.number().positive().optional(),
    retry_after: z.boolean().optional(),
  })
  .strict();
const chaosBody = z
  .object({
    duplicate_probability: z.number().min(0).max(1).optional(),
    reorder_window_ms: z.number().int().min(0).optional(),
    seed: z.number().int().optional(),
  })
  .strict();
const decimal = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/));
const companyDirectCostBody = z.object({
  company_id: idLike,
  vendor_id: idLike,
  invoice_number: z.string().min(1),
  direct_cost_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  description: z.string().optional(),
  terms: z.string().optional(),
  lines: z.array(
    z.object({
      project_id: idLike,
      cost_code_id: idLike,
      line_item_type_id: idLike,
      sub_job_id: idLike.optional(),
      description: z.string().optional(),
      amount: decimal.optional(),
      quantity: decimal.optional(),
      unit_cost: decimal.optional(),
      uom: z.string().optional(),
    }),
  ),
});
const resetBody = z.object({
  size: z.enum(['demo', 'small', 'large', 'inflight']).optional(),
  seed: z.number().int().optional(),
});

type Outcome = { error: string; status: number } | object;

/** Answers an action's result: its error status, or 201 with the result. */
function answer(res: Response, result: Outcome, okStatus = 201): void {
  if ('error' in result && 'status' in result) {
    res.status(result.status).json({ message: result.error });
    return;
  }
  res.status(okStatus).json(result);
}

function parsed<S extends z.ZodTypeAny>(res: Response, schema: S, body: unknown): z.output<S> | undefined {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data as z.output<S>;
  res.status(400).json({ message: 'Invalid admin request', issues: result.error.issues });
  return undefined;
}

export function adminRouter(
  store: ProcoreStore,
  webhooks: WebhookEngine,
  rateLimiter: RateLimiter,
  grants: OAuthGrants,
): Router {
  const router = express.Router();
  router.use('/__admin', express.json({ limit: '200mb' }));

  router.post('/__admin/erp/accept', (req, res) => {
    const b = parsed(res, acceptBody, req.body);
    if (!b) return;
    answer(
      res,
      acceptForExport(store, webhooks, {
        companyId: b.company_id,
        itemType: b.item_type,
        itemId: b.item_id,
        duplicateDeliveries: b.duplicate_deliveries,
      }),
    );
  });

  router.post('/__admin/erp/send', (req, res) => {
    const b = parsed(res, itemBody, req.body);
    if (b)
      answer(res, sendToErp(store, webhooks, { companyId: b.company_id, itemType: b.item_type, itemId: b.item_id }));
  });

  for (const [path, decision] of [
    ['/__admin/erp/reject', 'rejected'],
    ['/__admin/erp/retrieve', 'retrieved'],
  ] as const) {
    router.post(path, (req, res) => {
      const b = parsed(res, itemBody, req.body);
      if (b) {
        answer(
          res,
          decideSubmission(store, { companyId: b.company_id, itemType: b.item_type, itemId: b.item_id, decision }),
          200,
        );
      }
    });
  }

  router.get('/__admin/erp/submissions', (req, res) => {
    const companyId = asId(req.query.company_id);
    res.json(store.state.erpSubmissions.filter((s) => !companyId || s.company_id === companyId));
  });

  router.post('/__admin/erp/refresh', (req, res) => {
    const b = parsed(res, refreshBody, req.body);
    if (b) {
      answer(
        res,
        refresh(store, webhooks, { companyId: b.company_id, requestName: b.request_name, projectId: b.project_id }),
      );
    }
  });

  router.post('/__admin/erp/settings', (req, res) => {
    const b = parsed(res, settingsBody, req.body);
    if (!b) return;
    const settings = store.settings(b.company_id);
    if (b.skip_accounting_approval !== undefined) settings.skip_accounting_approval = b.skip_accounting_approval;
    if (b.erp_integrations_enabled !== undefined) settings.erp_integrations_enabled = b.erp_integrations_enabled;
    res.json(settings);
  });

  router.post('/__admin/erp/staged_records/:id/import', (req, res) => {
    const b = parsed(res, z.object({ company_id: idLike }), req.body);
    const id = asId(req.params.id);
    if (!b) return;
    if (!id) return void res.status(400).json({ message: 'staged record id must be an integer' });
    answer(res, importStagedRecord(store, webhooks, { companyId: b.company_id, stagedRecordId: id }));
  });

  router.post('/__admin/erp/unlink', (req, res) => {
    const b = parsed(res, itemBody, req.body);
    if (b) answer(res, unlink(store, webhooks, { companyId: b.company_id, itemType: b.item_type, itemId: b.item_id }));
  });

  router.post('/__admin/company_direct_costs', (req, res) => {
    const b = parsed(res, companyDirectCostBody, req.body);
    if (!b) return;
    answer(
      res,
      createCompanyDirectCost(store, {
        companyId: b.company_id,
        vendorId: b.vendor_id,
        invoiceNumber: b.invoice_number,
        directCostDate: b.direct_cost_date,
        description: b.description,
        terms: b.terms,
        lines: b.lines.map((l) => ({
          projectId: l.project_id,
          costCodeId: l.cost_code_id,
          lineItemTypeId: l.line_item_type_id,
          subJobId: l.sub_job_id,
          description: l.description,
          amount: l.amount,
          quantity: l.quantity,
          unitCost: l.unit_cost,
          uom: l.uom,
        })),
      }),
    );
  });

  router.get('/__admin/state', (_req, res) => {
    res.json({
      now: store.clock.nowIso(),
      counts: store.counts(),
      rate_limit_per_hour: rateLimiter.limitPerHour,
      spike_limit: rateLimiter.spikeLimit,
      spike_window_seconds: rateLimiter.spikeWindowMs / 1000,
    });
  });

  router.post('/__admin/reset', (req, res) => {
    const b = parsed(res, resetBody, req.body);
    if (!b) return;
    webhooks.cancelAll();
    if (b.size !== undefined || b.seed !== undefined) store.seedOptions = { ...store.seedOptions, ...b };
    store.reset();
    store.tokens.clear();
    grants.clear();
    rateLimiter.reset();
    res.json({ counts: store.counts() });
  });

  router.get('/__admin/snapshot', (_req, res) => {
    res.json(store.state);
  });

  router.post('/__admin/snapshot', (req, res) => {
    const state = req.body as Partial<StoreState>;
    if (!state || typeof state.nextId !== 'string' || !Array.isArray(state.vendors)) {
      res.status(400).json({ message: 'Not a snapshot from GET /__admin/snapshot' });
      return;
    }
    webhooks.cancelAll();
    // Snapshots from before a collection existed restore with that collection empty.
    store.state = { ...emptyState(BigInt(state.nextId)), ...state } as StoreState;
    res.json({ counts: store.counts() });
  });

  router.post('/__admin/clock', (req, res) => {
    const body = (req.body ?? {}) as { advance_seconds?: unknown; reset?: unknown };
    if (body.reset === true) store.clock.reset();
    if (typeof body.advance_seconds === 'number') store.clock.advance(body.advance_seconds * 1000);
    res.json({ now: store.clock.nowIso() });
  });

  router.post('/__admin/rate_limit', (req, res) => {
    const b = parsed(res, rateLimitBody, req.body);
    if (!b) return;
    if (Object.keys(b).length === 0) {
      res.status(400).json({ message: 'give limit_per_hour, spike_limit, spike_window_seconds or retry_after' });
      return;
    }
    rateLimiter.configure({
      limitPerHour: b.limit_per_hour,
      spikeLimit: b.spike_limit,
      spikeWindowSeconds: b.spike_window_seconds,
      retryAfter: b.retry_after,
    });
    res.json({
      limit_per_hour: rateLimiter.limitPerHour,
      spike_limit: rateLimiter.spikeLimit,
      spike_window_seconds: rateLimiter.spikeWindowMs / 1000,
      retry_after: rateLimiter.retryAfter,
    });
  });

  router.post('/__admin/webhooks/chaos', (req, res) => {
    const b = parsed(res, chaosBody, req.body);
    if (!b) return;
    res.json(
      webhooks.setChaos({
        duplicateProbability: b.duplicate_probability,
        reorderWindowMs: b.reorder_window_ms,
        seed: b.seed,
      }),
    );
  });

  router.post('/__admin/webhooks/hold', (_req, res) => {
    webhooks.hold();
    res.json({ holding: true });
  });

  router.post('/__admin/webhooks/release', (req, res) => {
    const order = (req.body as { order?: unknown })?.order === 'reverse' ? 'reverse' : 'fifo';
    res.json({ released: webhooks.release(order) });
  });

  return router;
}
