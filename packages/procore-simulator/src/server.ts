/**
 * The Procore simulator: an Express app speaking the slice of Procore's REST API the connector uses (OAuth,
 * company directory, projects, cost codes, budget, contracts, change orders, direct costs, invoices,
 * payments, Webhooks API, ERP platform), plus `/__admin` routes standing in for what people click in
 * Procore's UI.
 *
 * Middleware order matters: rate-limit headers go on every answer (including injected faults, and failed calls
 * count), fault injection runs before any route, and /rest routes require a token and Procore-Company-Id.
 */
import express from 'express';
import { FaultInjector, listenLocal } from 'simulator-common';
import { OAuthGrants, RateLimiter, oauthRouter, requireAuth, type RateLimitOptions } from './auth';
import { SimClock } from './clock';
import { losslessJsonBody, sendError } from './json';
import { adminRouter } from './routes/admin';
import { erpRouter } from './routes/erp';
import { resourcesRouter } from './routes/resources';
import { webhooksApiRouter } from './routes/webhooks-api';
import type { SeedOptions } from './seed';
import { ProcoreStore } from './store';
import { WebhookEngine } from './webhooks';
import { requestLog } from 'simulator-common';
import { requireDigestQuery } from './required-query';

export interface ProcoreSimulatorOptions {
  /** Divides webhook retry delays and the 12 h discard horizon (tests use e.g. 100). Default 1. */
  webhookTimeCompression?: number;
  /** Per-attempt webhook timeout in real ms. Default 5000 (Procore's documented 5 s). */
  webhookTimeoutMs?: number;
  /** Added to every seeded id; e.g. 2n ** 53n + 1000n pushes all ids past Number.MAX_SAFE_INTEGER. */
  idBase?: bigint;
  /**
   * First id given to records created at run time (ERP requests, hooks...). Tests sharing one Temporal server
   * pass distinct values so ERP request ids (and so workflow ids) never repeat across simulator instances,
   * as they never repeat in Procore.
   */
  firstNewId?: bigint;
  /** Requests per hour per client before 429. Default 3600. */
  rateLimitPerHour?: number;
  /** Spike window limits and Retry-After (see RateLimitOptions). */
  rateLimit?: RateLimitOptions;
  /** `demo` (default), `small` or `large`, and the PRNG seed for the generated part. */
  seed?: SeedOptions;
  /** Supply a clock to control token expiry and timestamps; a fresh real-time clock otherwise. */
  clock?: SimClock;
}

export interface ProcoreSimulator {
  app: express.Express;
  store: ProcoreStore;
  faults: FaultInjector;
  webhooks: WebhookEngine;
  rateLimiter: RateLimiter;
  grants: OAuthGrants;
  clock: SimClock;
  /** Starts listening on 127.0.0.1 (port 0 = any free port). */
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
}

export function createProcoreSimulator(opts: ProcoreSimulatorOptions = {}): ProcoreSimulator {
  const clock = opts.clock ?? new SimClock();
  const store = new ProcoreStore(clock, opts.idBase ?? 0n, opts.firstNewId, opts.seed);
  const faults = new FaultInjector();
  const grants = new OAuthGrants();
  const rateLimiter = new RateLimiter(clock, { limitPerHour: opts.rateLimitPerHour, ...opts.rateLimit });
  const webhooks = new WebhookEngine(store, {
    timeCompression: opts.webhookTimeCompression,
    timeoutMs: opts.webhookTimeoutMs,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog());
  app.use(rateLimiter.middleware(store));
  app.use(faults.adminRouter());
  app.use(faults.middleware());
  app.use(losslessJsonBody());
  app.use(adminRouter(store, webhooks, rateLimiter, grants));
  app.use(oauthRouter(store, grants));
  app.use('/rest', requireAuth(store));
  app.use(requireDigestQuery());
  app.use(resourcesRouter(store));
  app.use(webhooksApiRouter(store));
  app.use(erpRouter(store));
  app.use((_req, res) => sendError(res, 404, 'Not Found'));
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    sendError(res, 500, `Simulator error: ${err.message}`);
  });

  const listen = (port = 0) => listenLocal(app, port, () => webhooks.cancelAll());

  return { app, store, faults, webhooks, rateLimiter, grants, clock, listen };
}
