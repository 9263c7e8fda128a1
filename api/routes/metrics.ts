/**
 * GET /metrics (Prometheus text), behind the operator API key like every non-public route (api/auth.ts): the
 * metric names and labels (company ids, backlog) are operational data, not for the internet. METRICS_PORT serves
 * the same registry on a listener of its own for a Prometheus on a private network (api/main.ts).
 *
 * Also the API's own measurements: webhook deliveries by outcome and requests by route, taken from the answer
 * (`observeApiRequests`, mounted first in api/app.ts), so the routes themselves stay as they are; and, with
 * tracing on, a server span per request.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Db } from '../../store/db';
import { inboxStats } from '../../store/inbox';
import { httpRequests, registerInboxSource, registry, webhookDeliveries } from '../../lib/metrics';
import { withServerSpan } from '../../lib/tracing';

export function metricsRouter(db: Db): Router {
  registerInboxSource(() => inboxStats(db));
  const router = express.Router();
  router.get('/metrics', async (_req, res, next) => {
    try {
      const text = await registry.metrics();
      res.setHeader('Content-Type', registry.contentType); // exactly Prometheus' type (send() would add a charset)
      res.end(text);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/** The outcome word of a webhook answer: its `status` field on 2xx, else from the HTTP status. */
function webhookOutcome(status: number, body: unknown): string {
  const word = (body as { status?: unknown } | undefined)?.status;
  if (status < 300 && typeof word === 'string') return word; // accepted, queued, duplicate, ignored
  if (status === 401) return 'unauthorized';
  if (status >= 400 && status < 500) return 'invalid';
  return status >= 500 ? 'error' : 'other';
}

export function observeApiRequests(req: Request, res: Response, next: NextFunction): void {
  let body: unknown;
  const json = res.json.bind(res);
  res.json = (b: unknown) => {
    body = b;
    return json(b);
  };
  // With tracing on, the request is a server span: the workflow a webhook starts joins its trace.
  withServerSpan(
    `${req.method} ${req.path.startsWith('/webhooks/') ? req.path : 'api'}`,
    { 'http.request.method': req.method },
    (span) => {
      res.once('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
        httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
        if (req.method === 'POST' && req.path === '/webhooks/procore') {
          webhookDeliveries.inc({ outcome: webhookOutcome(res.statusCode, body) });
        }
        span?.updateName(`${req.method} ${route}`);
        span?.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
        span?.end();
      });
      next();
    },
  );
}
