/**
 * Operator authentication, deny by default: every route needs `Authorization: Bearer <operator API key>` except
 * the few Procore and load balancers call (the webhook authenticates with its own per-company token). A route
 * added later is protected without anyone having to remember it.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../store/db';
import { verifyApiKey } from '../store/api-keys';
import { ApiError, sendError } from './errors';

/**
 * The only routes a reverse proxy should expose to Procore are the first; the health checks are for probes; the
 * API's own description (same for every installation, no data) is public so a browser can open /docs.
 */
export const PUBLIC_ROUTES = [
  { method: 'POST', path: '/webhooks/procore' },
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/openapi.json' },
  { method: 'GET', path: '/docs' },
] as const;

const isPublic = (req: Request) =>
  PUBLIC_ROUTES.some((r) => r.path === req.path && (r.method === req.method || req.method === 'HEAD'));

export function requireOperatorKey(db: Db) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (isPublic(req)) return next();
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    try {
      if (match && (await verifyApiKey(db, match[1]))) return next();
    } catch (err) {
      return next(err);
    }
    res.set('WWW-Authenticate', 'Bearer realm="connector"');
    sendError(
      res,
      new ApiError(
        'unauthorized',
        match
          ? 'The API key is not valid or has been revoked. Ask your connector administrator for a key (npm run connector -- api-keys create).'
          : 'This route needs an operator API key: send "Authorization: Bearer <key>" (create one with npm run connector -- api-keys create).',
      ),
    );
  };
}
