/**
 * Procore's Webhooks API: hooks (one destination per namespace and scope), their triggers (resource + event
 * type) and the delivery log. Company- and project-scoped hooks are both accepted; the scope must sit inside
 * the Procore-Company-Id company.
 */
import type { Request, Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';
import { authOf } from '../auth';
import { asId, sendError } from '../json';
import { paginate } from '../pagination';
import { renderDelivery, renderHook, renderTrigger } from '../render';
import type { Hook, ProcoreStore } from '../store';
import { reply } from './common';

const API_VERSIONS = ['v2', 'v3', 'v4', 'v2.0', 'v3.0', 'v4.0'];

const hookBody = z.object({
  api_version: z.string().refine((v) => API_VERSIONS.includes(v), 'must be one of v2, v3, v4'),
  namespace: z.string().regex(/^[a-z0-9-]+$/, 'may contain only lowercase letters, digits and -'),
  destination_url: z.string().url(),
  destination_headers: z.record(z.string()).default({}),
});

const triggerBody = z.object({
  resource_name: z.string().min(1),
  event_type: z.enum(['create', 'update', 'delete']),
});

const WEBHOOK_RESOURCES: Array<[string, string]> = [
  ['ERP Requests', 'Company Tools'],
  ['Company Vendors', 'Company Tools'],
  ['Projects', 'Company Tools'],
  ['Budget Line Items', 'Financial Management'],
  ['Work Order Contracts', 'Financial Management'],
  ['Purchase Order Contracts', 'Financial Management'],
  ['Change Order Packages', 'Financial Management'],
  ['Direct Costs', 'Financial Management'],
  ['Direct Cost Line Items', 'Financial Management'],
  ['Requisitions', 'Financial Management'],
];

interface Scope {
  companyId: string | null;
  projectId: string | null;
}

export function webhooksApiRouter(store: ProcoreStore): Router {
  const router = express.Router();

  /** company_id or project_id from the query or body, checked against the header's company. */
  const scopeOf = (req: Request, res: Response): Scope | undefined => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const companyId = asId(req.query.company_id) ?? asId(body.company_id);
    const projectId = asId(req.query.project_id) ?? asId(body.project_id);
    const own = authOf(res).companyId;
    if (companyId) {
      if (companyId !== own) return void sendError(res, 404, 'Not Found');
      return { companyId, projectId: null };
    }
    if (projectId) {
      if (!store.project(own, projectId)) return void sendError(res, 404, 'Not Found');
      return { companyId: null, projectId };
    }
    sendError(res, 400, 'You must supply either a company_id or project_id');
    return undefined;
  };

  const inScope = (h: Hook, scope: Scope) => h.company_id === scope.companyId && h.project_id === scope.projectId;

  const hookInScope = (req: Request, res: Response, param: string): Hook | undefined => {
    const scope = scopeOf(req, res);
    if (!scope) return undefined;
    const hook = store.state.hooks.find((h) => h.id === asId(req.params[param]) && inScope(h, scope));
    if (!hook) sendError(res, 404, 'Not Found');
    return hook;
  };

  // The resources a trigger may name (the ones the connector uses; Procore lists many more).
  router.get('/rest/v1.0/webhooks/resources', (_req, res) => {
    reply(
      res,
      'GET /rest/v1.0/webhooks/resources',
      200,
      WEBHOOK_RESOURCES.map(([name, category]) => ({
        api_version: 'v2',
        product_category: category,
        tools: name,
        except: [],
        create: name,
        update: name,
        delete: name,
      })),
    );
  });

  router.get('/rest/v1.0/webhooks/hooks', (req, res) => {
    const scope = scopeOf(req, res);
    if (!scope) return;
    const hooks = store.state.hooks.filter(
      (h) =>
        inScope(h, scope) &&
        (req.query.namespace === undefined || h.namespace === req.query.namespace) &&
        (req.query.api_version === undefined || h.api_version === req.query.api_version),
    );
    reply(res, 'GET /rest/v1.0/webhooks/hooks', 200, hooks.map(renderHook));
  });

  router.post('/rest/v1.0/webhooks/hooks', (req, res) => {
    const scope = scopeOf(req, res);
    if (!scope) return;
    const parsed = hookBody.safeParse((req.body as Record<string, unknown> | undefined)?.hook);
    if (!parsed.success) return sendError(res, 422, issuesText(parsed.error));
    const hook: Hook = {
      id: store.newId(),
      company_id: scope.companyId,
      project_id: scope.projectId,
      ...parsed.data,
      owned_by_user_id: store.state.approverUserId,
    };
    store.state.hooks.push(hook);
    reply(res, 'POST /rest/v1.0/webhooks/hooks', 201, renderHook(hook));
  });

  router.patch('/rest/v1.0/webhooks/hooks/:id', (req, res) => {
    const hook = hookInScope(req, res, 'id');
    if (!hook) return;
    const parsed = hookBody.partial().safeParse((req.body as Record<string, unknown> | undefined)?.hook ?? {});
    if (!parsed.success) return sendError(res, 422, issuesText(parsed.error));
    for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) Object.assign(hook, { [k]: v });
    reply(res, 'PATCH /rest/v1.0/webhooks/hooks/{id}', 200, renderHook(hook));
  });

  router.delete('/rest/v1.0/webhooks/hooks/:id', (req, res) => {
    const hook = hookInScope(req, res, 'id');
    if (!hook) return;
    store.state.hooks = store.state.hooks.filter((h) => h !== hook);
    store.state.triggers = store.state.triggers.filter((t) => t.hook_id !== hook.id);
    res.status(204).end();
  });

  router.get('/rest/v1.0/webhooks/hooks/:hookId/triggers', (req, res) => {
    const hook = hookInScope(req, res, 'hookId');
    if (!hook) return;
    reply(
      res,
      'GET /rest/v1.0/webhooks/hooks/{hook_id}/triggers',
      200,
      store.state.triggers.filter((t) => t.hook_id === hook.id).map(renderTrigger),
    );
  });

  router.post('/rest/v1.0/webhooks/hooks/:hookId/triggers', (req, res) => {
    const hook = hookInScope(req, res, 'hookId');
    if (!hook) return;
    const body = req.body as Record<string, unknown>;
    if (body.api_version !== undefined && body.api_version !== hook.api_version) {
      return sendError(res, 422, 'api_version must match the hook api_version');
    }
    const parsed = triggerBody.safeParse(body.trigger);
    if (!parsed.success) return sendError(res, 422, issuesText(parsed.error));
    // Creating the same trigger twice returns the existing one: setup code can stay idempotent.
    const existing = store.state.triggers.find(
      (t) =>
        t.hook_id === hook.id &&
        t.resource_name === parsed.data.resource_name &&
        t.event_type === parsed.data.event_type,
    );
    if (existing) return reply(res, 'POST /rest/v1.0/webhooks/hooks/{hook_id}/triggers', 200, renderTrigger(existing));
    const trigger = {
      id: store.newId(),
      hook_id: hook.id,
      ...parsed.data,
      company_id: hook.company_id,
      project_id: hook.project_id,
    };
    store.state.triggers.push(trigger);
    reply(res, 'POST /rest/v1.0/webhooks/hooks/{hook_id}/triggers', 201, renderTrigger(trigger));
  });

  router.delete('/rest/v1.0/webhooks/hooks/:hookId/triggers/:id', (req, res) => {
    const hook = hookInScope(req, res, 'hookId');
    if (!hook) return;
    const trigger = store.state.triggers.find((t) => t.hook_id === hook.id && t.id === asId(req.params.id));
    if (!trigger) return sendError(res, 404, 'Not Found');
    store.state.triggers = store.state.triggers.filter((t) => t !== trigger);
    res.status(204).end();
  });

  router.get('/rest/v1.0/webhooks/hooks/:hookId/deliveries', (req, res) => {
    const hook = hookInScope(req, res, 'hookId');
    if (!hook) return;
    const filter = (req.query.filters ?? req.query.filter ?? {}) as Record<string, unknown>;
    const wanted = { successful: 'ok', discarded: 'discarded', failing: 'retried' }[String(filter.status)];
    const deliveries = store.state.deliveries
      .filter((d) => d.hook_id === hook.id && (wanted === undefined || d.outcome === wanted))
      .reverse(); // newest first, as Procore lists them
    reply(
      res,
      'GET /rest/v1.0/webhooks/hooks/{hook_id}/deliveries',
      200,
      paginate(req, res, deliveries).map(renderDelivery),
    );
  });

  return router;
}

export function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ');
}
