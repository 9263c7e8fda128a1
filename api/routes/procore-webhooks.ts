/**
 * POST /webhooks/procore: verify -> validate -> persist -> start -> reply.
 *
 * Procore signs nothing; it echoes the hook's destination_headers, so each company's hook carries its own
 * bearer token (procore-api.md §4), checked before the body is read. The delivery is stored in the inbox
 * before the 2xx, so an accepted delivery is never lost; the workflow starts right after the answer, and the
 * relay starts it later if that fails. Duplicates (same delivery id) are answered 200 and ignored.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Client } from '@temporalio/client';
import { findCompanyByWebhookToken } from '../../store/connections';
import type { Db } from '../../store/db';
import { createInboxWriter } from '../../store/inbox-writer';
import { ApiError, sendError, zodIssues } from '../errors';
import { parseJsonLossless, parseWebhookEvent } from '../webhook-payloads';
import { inBurst, noteDeliveryArrival, StartQueue } from '../start-queue';
import { startTargetFor } from '../workflow-starter';

export interface WebhookRouteDeps {
  db: Db;
  temporal: () => Client | undefined;
  taskQueue: string;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * During a burst (api/start-queue.ts) known tokens are remembered this long, so the burst costs one lookup per
 * company and second, not one per delivery; a token rotated or disconnected during a burst is refused at most this
 * long after the change. Outside bursts every delivery's token is looked up.
 */
const TOKEN_CACHE_MS = 1000;

/** The body limit, named in the 413 so the sender knows what fits. */
const BODY_LIMIT = '256kb';

export function procoreWebhookRouter({ db, temporal, taskQueue }: WebhookRouteDeps): Router {
  const router = express.Router();
  const starts = new StartQueue(db, taskQueue);
  const inbox = createInboxWriter(db);
  const knownTokens = new Map<string, { company: { companyId: string; name: string }; until: number }>();
  const lookups = new Map<string, Promise<{ companyId: string; name: string } | undefined>>();
  const companyOf = async (token: string) => {
    const cached = knownTokens.get(token);
    if (cached && cached.until > Date.now() && inBurst()) return cached.company;
    // Deliveries arriving together share one lookup: in a burst's first moments (nothing cached yet) each would
    // otherwise queue its own query for the same token, and the answers would wait behind them.
    let lookup = lookups.get(token);
    if (!lookup) {
      lookup = findCompanyByWebhookToken(db, token)
        .then((company) => {
          if (company) knownTokens.set(token, { company, until: Date.now() + TOKEN_CACHE_MS });
          else knownTokens.delete(token);
          return company;
        })
        .finally(() => lookups.delete(token));
      lookups.set(token, lookup);
    }
    return lookup;
  };
  // The token is checked before a byte of the body is read: an unauthenticated sender costs one lookup.
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const token = bearerToken(req.header('authorization'));
      const company = token ? await companyOf(token) : undefined;
      if (!company) {
        return sendError(res, new ApiError('unauthorized', 'Missing or unknown bearer token for Procore webhooks.'));
      }
      res.locals.tokenCompany = company.companyId;
      res.locals.companyName = company.name;
      next();
    } catch (err) {
      next(err);
    }
  };
  const readBody = express.text({ type: '*/*', limit: BODY_LIMIT });
  const bodyErrors = (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      const what = type === 'charset.unsupported' ? 'charset' : 'Content-Encoding';
      return sendError(
        res,
        new ApiError(
          'unsupported_media_type',
          `Unsupported ${what}: send the webhook as UTF-8 JSON (identity, gzip or deflate).`,
        ),
      );
    }
    if (type === 'entity.too.large') {
      return sendError(
        res,
        new ApiError('payload_too_large', `Webhook body is larger than the ${BODY_LIMIT.replace('kb', ' kB')} limit.`),
      );
    }
    next(err);
  };

  router.post(
    '/webhooks/procore',
    (_req: Request, _res: Response, next: NextFunction) => {
      noteDeliveryArrival();
      next();
    },
    authenticate,
    readBody,
    bodyErrors,
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const tokenCompany = res.locals.tokenCompany as string;
        let body: unknown;
        try {
          body = parseJsonLossless(typeof req.body === 'string' ? req.body : '');
        } catch {
          return sendError(res, new ApiError('invalid_request', 'Request body is not valid JSON.'));
        }
        const badText = findBadText(body);
        if (badText) {
          return sendError(res, new ApiError('invalid_request', `Request body ${badText}; send valid Unicode text.`));
        }
        const parsed = parseWebhookEvent(body);
        if (!parsed.ok) {
          const issues = typeof parsed.error === 'string' ? undefined : zodIssues(parsed.error);
          const message =
            typeof parsed.error === 'string'
              ? parsed.error
              : `Invalid Procore webhook payload: ${issues!.map((i) => `${i.path} ${i.message}`).join('; ')}`;
          return sendError(res, new ApiError('invalid_request', message, issues));
        }
        const event = parsed.event;
        if (event.companyId !== tokenCompany) {
          return sendError(res, new ApiError('unauthorized', 'The bearer token does not belong to this company.'));
        }

        const target = startTargetFor(event, res.locals.companyName as string);
        const inserted = await inbox.insert({
          procoreCompanyId: event.companyId,
          deliveryId: event.deliveryId,
          resourceName: event.resourceName,
          resourceId: event.resourceId,
          eventType: event.eventType,
          workflowId: target?.workflowId ?? null,
          payload: body,
        });
        if (!inserted) return res.status(200).json({ status: 'duplicate', deliveryId: event.deliveryId });
        if (!target) return res.status(200).json({ status: 'ignored', deliveryId: event.deliveryId });

        // Stored: Procore gets its answer now, and the workflow starts beside it; a start that fails is the
        // relay's (it starts the same workflow id later).
        const client = temporal();
        res.status(202).json({ status: client ? 'accepted' : 'queued', workflowId: target.workflowId });
        if (client) starts.offer(client, { companyId: event.companyId, deliveryId: event.deliveryId, target });
      } catch (err) {
        next(err);
      }
    },
  );

  return router;
}

/** NUL characters and lone surrogates (escaped in the JSON) anywhere in the body: what PostgreSQL cannot store. */
export function findBadText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return 'contains a NUL character';
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
      return 'contains a lone UTF-16 surrogate';
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = findBadText(k) ?? findBadText(v);
      if (bad) return bad;
    }
  }
  return undefined;
}
