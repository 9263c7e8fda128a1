/**
 * POST /webhooks/procore: verify -> validate -> persist -> start -> reply.
 *
 * Procore signs nothing; it echoes the hook's destination_headers, so each company's hook carries its own
 * bearer token (procore-api.md §4), checked in constant time before anything is stored. The delivery is
 * stored in the inbox before the 2xx, so an accepted delivery is never lost: if Temporal is unreachable,
 * the relay starts the workflow later. Duplicates (same delivery id) are answered 200 and ignored.
 */
import express, { type Router } from 'express';
import type { Client } from '@temporalio/client';
import { findCompanyByWebhookToken } from '../../store/connections';
import type { Db } from '../../store/db';
import { insertDelivery, markStarted, markStartFailed } from '../../store/inbox';
import { ApiError, sendError, zodIssues } from '../errors';
import { parseJsonLossless, parseWebhookEvent } from '../webhook-payloads';
import { startErpRequestWorkflow, startTargetFor } from '../workflow-starter';

/** Procore waits 5 s for an answer; a start slower than this is left to the relay. */
const START_BUDGET_MS = 2500;

export interface WebhookRouteDeps {
  db: Db;
  temporal: () => Client | undefined;
  taskQueue: string;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

export function procoreWebhookRouter({ db, temporal, taskQueue }: WebhookRouteDeps): Router {
  const router = express.Router();
  router.post('/webhooks/procore', express.text({ type: '*/*', limit: '256kb' }), async (req, res, next) => {
    try {
      const token = bearerToken(req.header('authorization'));
      const tokenCompany = token ? await findCompanyByWebhookToken(db, token) : undefined;
      if (!tokenCompany) {
        return sendError(res, new ApiError('unauthorized', 'Missing or unknown bearer token for Procore webhooks.'));
      }

      let body: unknown;
      try {
        body = parseJsonLossless(typeof req.body === 'string' ? req.body : '');
      } catch {
        return sendError(res, new ApiError('invalid_request', 'Request body is not valid JSON.'));
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

      const target = startTargetFor(event);
      const inserted = await insertDelivery(db, {
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

      const client = temporal();
      try {
        if (!client) throw new Error('Temporal is not connected');
        await withTimeout(startErpRequestWorkflow(client, taskQueue, target), START_BUDGET_MS);
        await markStarted(db, event.companyId, event.deliveryId);
        return res.status(202).json({ status: 'started', workflowId: target.workflowId });
      } catch (err) {
        await markStartFailed(db, event.companyId, event.deliveryId, (err as Error).message);
        // Stored: the relay starts it when Temporal is back. Procore must not retry, so still 202.
        return res.status(202).json({ status: 'queued', workflowId: target.workflowId });
      }
    } catch (err) {
      next(err);
    }
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Temporal within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
