/**
 * What people do in Procore's UI, plus test controls. Ids in admin bodies and answers are strings (plain JSON
 * is safe for them at any size).
 *
 *   POST /__admin/erp/accept      {company_id, item_type:"work_order_contract", item_id, duplicate_deliveries?}
 *   GET  /__admin/state           counts per collection
 *   POST /__admin/reset           reseed from demo-data, drop tokens, pending deliveries and rate-limit windows
 *   GET  /__admin/snapshot        the whole data state as JSON;  POST /__admin/snapshot  replaces it
 *   POST /__admin/clock           {advance_seconds?: number, reset?: true}: move simulator time (token expiry)
 *   POST /__admin/rate_limit      {limit_per_hour: number}
 */
import type { Router } from 'express';
import express from 'express';
import { z } from 'zod';
import type { RateLimiter } from '../auth';
import { asId } from '../json';
import type { ProcoreStore, StoreState } from '../store';
import type { WebhookEngine } from '../webhooks';
import { acceptForExport } from './erp';

const idLike = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const id = asId(v);
  if (!id) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be an integer id' });
  return id ?? '';
});

const acceptBody = z.object({
  company_id: idLike,
  item_type: z.string(),
  item_id: idLike,
  duplicate_deliveries: z.number().int().min(1).max(100).optional(),
});

export function adminRouter(store: ProcoreStore, webhooks: WebhookEngine, rateLimiter: RateLimiter): Router {
  const router = express.Router();
  router.use('/__admin', express.json({ limit: '50mb' }));

  router.post('/__admin/erp/accept', (req, res) => {
    const parsed = acceptBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ message: 'Invalid accept request', issues: parsed.error.issues });
      return;
    }
    const result = acceptForExport(store, webhooks, {
      companyId: parsed.data.company_id,
      itemType: parsed.data.item_type,
      itemId: parsed.data.item_id,
      duplicateDeliveries: parsed.data.duplicate_deliveries,
    });
    if ('error' in result) {
      res.status(result.status).json({ message: result.error });
      return;
    }
    res.status(201).json(result);
  });

  router.get('/__admin/state', (_req, res) => {
    res.json({ now: store.clock.nowIso(), counts: store.counts(), rate_limit_per_hour: rateLimiter.limitPerHour });
  });

  router.post('/__admin/reset', (_req, res) => {
    webhooks.cancelAll();
    store.reset();
    store.tokens.clear();
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
    store.state = state as StoreState;
    res.json({ counts: store.counts() });
  });

  router.post('/__admin/clock', (req, res) => {
    const body = (req.body ?? {}) as { advance_seconds?: unknown; reset?: unknown };
    if (body.reset === true) store.clock.reset();
    if (typeof body.advance_seconds === 'number') store.clock.advance(body.advance_seconds * 1000);
    res.json({ now: store.clock.nowIso() });
  });

  router.post('/__admin/rate_limit', (req, res) => {
    const limit = (req.body as { limit_per_hour?: unknown })?.limit_per_hour;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      res.status(400).json({ message: 'limit_per_hour must be a positive integer' });
      return;
    }
    rateLimiter.limitPerHour = limit;
    rateLimiter.reset();
    res.json({ limit_per_hour: limit });
  });

  return router;
}
