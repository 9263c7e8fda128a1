/**
 * OAuth client credentials (DMSA), bearer-token checks, the Procore-Company-Id header and the hourly rate
 * limit. Tokens expire on the simulator clock so tests can move time instead of waiting 90 minutes.
 */
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import express from 'express';
import type { SimClock } from './clock';
import { asId, sendError, sendJson } from './json';
import type { ProcoreStore } from './store';

export const TOKEN_LIFETIME_SECONDS = 5400;

/** Set by `requireAuth` for the route handlers. */
export interface AuthContext {
  clientId: string;
  companyId: string;
}

export function authOf(res: Response): AuthContext {
  return res.locals.auth as AuthContext;
}

export function oauthRouter(store: ProcoreStore): Router {
  const router = express.Router();
  // Procore documents form data; JSON bodies are accepted too (many clients send them).
  router.post('/oauth/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials') {
      sendJson(res, 400, {
        error: 'unsupported_grant_type',
        error_description: 'Only client_credentials is simulated.',
      });
      return;
    }
    const client = store.state.clients.find(
      (c) => c.client_id === body.client_id && c.client_secret === body.client_secret,
    );
    if (!client) {
      sendJson(res, 401, {
        error: 'invalid_client',
        error_description:
          'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
      });
      return;
    }
    const accessToken = randomBytes(24).toString('hex');
    const now = store.clock.now();
    store.tokens.set(accessToken, {
      access_token: accessToken,
      client_id: client.client_id,
      expires_at: now + TOKEN_LIFETIME_SECONDS * 1000,
    });
    sendJson(res, 200, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      created_at: Math.floor(now / 1000),
    });
  });
  return router;
}

/** Bearer token + Procore-Company-Id on every /rest call; the company must have the app installed. */
export function requireAuth(store: ProcoreStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    const token = match ? store.tokens.get(match[1]) : undefined;
    if (!token || token.expires_at <= store.clock.now()) {
      if (token) store.tokens.delete(token.access_token);
      res.setHeader('WWW-Authenticate', 'Bearer realm="Doorkeeper", error="invalid_token"');
      sendError(res, 401, token || match ? 'The access token is invalid or has expired' : 'Unauthorized');
      return;
    }
    const companyId = asId(req.header('procore-company-id'));
    if (!companyId) {
      sendError(res, 400, 'Missing Procore-Company-Id header!');
      return;
    }
    const client = store.state.clients.find((c) => c.client_id === token.client_id);
    if (!client?.company_ids.includes(companyId)) {
      sendError(res, 403, 'The app is not installed in this company');
      return;
    }
    res.locals.auth = { clientId: token.client_id, companyId } satisfies AuthContext;
    next();
  };
}

/**
 * A fixed hourly window per caller (token's client, or the address for anonymous calls). Procore also has a
 * 10-second spike limit; one window is enough for the connector's back-off logic for now.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly clock: SimClock,
    public limitPerHour = 3600,
  ) {}

  reset(): void {
    this.windows.clear();
  }

  middleware(store: ProcoreStore) {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.path.startsWith('/__admin')) return next();
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
      const key = (bearer && store.tokens.get(bearer)?.client_id) || `ip:${req.ip}`;
      const now = this.clock.now();
      let w = this.windows.get(key);
      if (!w || now >= w.start + 3_600_000) {
        w = { start: now, used: 0 };
        this.windows.set(key, w);
      }
      w.used++;
      const resetAt = Math.ceil((w.start + 3_600_000) / 1000);
      res.setHeader('X-Rate-Limit-Limit', String(this.limitPerHour));
      res.setHeader('X-Rate-Limit-Remaining', String(Math.max(0, this.limitPerHour - w.used)));
      res.setHeader('X-Rate-Limit-Reset', String(resetAt));
      if (w.used > this.limitPerHour) {
        res.setHeader('Retry-After', String(Math.max(1, resetAt - Math.floor(now / 1000))));
        sendError(res, 429, 'Rate limit exceeded');
        return;
      }
      next();
    };
  }
}
