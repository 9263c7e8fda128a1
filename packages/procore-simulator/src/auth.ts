/**
 * OAuth (client credentials for the DMSA; authorization code with single-use refresh tokens), bearer-token
 * checks, the Procore-Company-Id header, and the two rate-limit windows. Tokens and windows run on the
 * simulator clock so tests can move time instead of waiting 90 minutes.
 */
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import express from 'express';
import type { SimClock } from './clock';
import { conform, returnType } from './digest';
import { asId, idNum, sendError, sendJson } from './json';
import type { ProcoreStore, Token } from './store';

export const TOKEN_LIFETIME_SECONDS = 5400;
const CODE_LIFETIME_MS = 10 * 60_000;

/** Set by `requireAuth` for the route handlers. */
export interface AuthContext {
  clientId: string;
  companyId: string;
}

export function authOf(res: Response): AuthContext {
  return res.locals.auth as AuthContext;
}

interface Grant {
  client_id: string;
  user_id: string;
}

/**
 * Authorization codes and refresh tokens. Not part of snapshots (like access tokens): they are credentials,
 * not business data.
 */
export class OAuthGrants {
  codes = new Map<string, Grant & { redirect_uri: string; expires_at: number }>();
  refreshTokens = new Map<string, Grant>();

  clear(): void {
    this.codes.clear();
    this.refreshTokens.clear();
  }
}

const invalidClient = {
  error: 'invalid_client',
  error_description:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
};
const invalidGrant = {
  error: 'invalid_grant',
  error_description:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
};

export function oauthRouter(store: ProcoreStore, grants: OAuthGrants): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false });
  const clientOf = (body: Record<string, unknown>) =>
    store.state.clients.find((c) => c.client_id === body.client_id && c.client_secret === body.client_secret);

  const issue = (res: Response, grant: Grant, withRefresh: boolean, status = 200) => {
    const accessToken = randomBytes(24).toString('hex');
    const now = store.clock.now();
    const token: Token = {
      access_token: accessToken,
      client_id: grant.client_id,
      expires_at: now + TOKEN_LIFETIME_SECONDS * 1000,
      user_id: grant.user_id,
    };
    if (withRefresh) {
      token.refresh_token = randomBytes(24).toString('hex');
      grants.refreshTokens.set(token.refresh_token, grant);
    }
    store.tokens.set(accessToken, token);
    // Not conformed: client-credentials answers have no refresh_token at all, as documented.
    sendJson(res, status, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      ...(token.refresh_token ? { refresh_token: token.refresh_token } : {}),
      created_at: Math.floor(now / 1000),
    });
  };

  // The user "logs in and allows" at once (as the approver user, or `login_as` for tests): the simulator
  // has no login page. Codes are single-use and live 10 minutes.
  router.get('/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const client = store.state.clients.find((c) => c.client_id === q.client_id);
    if (!client || q.response_type !== 'code' || !q.redirect_uri) {
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'client_id, response_type=code and redirect_uri are required',
      });
    }
    if (client.redirect_uris && !client.redirect_uris.includes(q.redirect_uri)) {
      return sendJson(res, 400, {
        error: 'invalid_redirect_uri',
        error_description: 'The redirect uri is not registered for this application.',
      });
    }
    const code = randomBytes(16).toString('hex');
    grants.codes.set(code, {
      client_id: client.client_id,
      user_id: asId(q.login_as) ?? store.state.approverUserId,
      redirect_uri: q.redirect_uri,
      expires_at: store.clock.now() + CODE_LIFETIME_MS,
    });
    if (q.redirect_uri === 'urn:ietf:wg:oauth:2.0:oob') return sendJson(res, 200, { code });
    const target = new URL(q.redirect_uri);
    target.searchParams.set('code', code);
    if (q.state) target.searchParams.set('state', q.state);
    res.redirect(302, target.toString());
  });

  // Procore documents form data; JSON bodies are accepted too (many clients send them).
  router.post('/oauth/token', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const client = clientOf(body);
    if (!client) return sendJson(res, 401, invalidClient);
    switch (body.grant_type) {
      case 'client_credentials':
        return issue(res, { client_id: client.client_id, user_id: store.state.approverUserId }, false);
      case 'authorization_code': {
        const grant = grants.codes.get(String(body.code));
        grants.codes.delete(String(body.code)); // single use, even when the rest is wrong
        if (
          !grant ||
          grant.client_id !== client.client_id ||
          grant.redirect_uri !== body.redirect_uri ||
          grant.expires_at <= store.clock.now()
        ) {
          return sendJson(res, 400, invalidGrant);
        }
        return issue(res, grant, true);
      }
      case 'refresh_token': {
        const grant = grants.refreshTokens.get(String(body.refresh_token));
        if (!grant || grant.client_id !== client.client_id) return sendJson(res, 400, invalidGrant);
        // Single use: the old refresh token (and the access token issued with it) stop working now.
        grants.refreshTokens.delete(String(body.refresh_token));
        for (const [value, t] of store.tokens) if (t.refresh_token === body.refresh_token) store.tokens.delete(value);
        return issue(res, grant, true);
      }
      default:
        return sendJson(res, 400, {
          error: 'unsupported_grant_type',
          error_description: 'The authorization grant type is not supported by the authorization server.',
        });
    }
  });

  // Revokes the access token and its refresh token (given either); always 200, as documented.
  router.post('/oauth/revoke', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const value = String(body.token ?? '');
    for (const [access, t] of store.tokens) {
      if (access === value || t.refresh_token === value) {
        store.tokens.delete(access);
        if (t.refresh_token) grants.refreshTokens.delete(t.refresh_token);
      }
    }
    grants.refreshTokens.delete(value);
    sendJson(res, 200, {});
  });

  router.get('/oauth/token/info', (req, res) => {
    const token = bearerToken(store, req);
    if (!token) return unauthorized(res, req);
    sendJson(
      res,
      200,
      conform(returnType('GET /oauth/token/info'), {
        resource_owner_id: idNum(token.user_id ?? store.state.approverUserId),
        scopes: [],
        expires_in_seconds: Math.max(0, Math.floor((token.expires_at - store.clock.now()) / 1000)),
        application: { uid: token.client_id },
        created_at: Math.floor((token.expires_at - TOKEN_LIFETIME_SECONDS * 1000) / 1000),
      }),
    );
  });
  return router;
}

function bearerToken(store: ProcoreStore, req: Request): Token | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  const token = match ? store.tokens.get(match[1]) : undefined;
  if (token && token.expires_at <= store.clock.now()) {
    store.tokens.delete(token.access_token);
    return undefined;
  }
  return token;
}

function unauthorized(res: Response, req: Request): void {
  const sent = /^Bearer\s+\S+$/i.test(req.header('authorization') ?? '');
  res.setHeader('WWW-Authenticate', 'Bearer realm="Doorkeeper", error="invalid_token"');
  sendError(res, 401, sent ? 'The access token is invalid or has expired' : 'Unauthorized');
}

/** Bearer token + Procore-Company-Id on every /rest call; the company must have the app installed. */
export function requireAuth(store: ProcoreStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = bearerToken(store, req);
    if (!token) return unauthorized(res, req);
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

export interface RateLimitOptions {
  /** Requests per hour per caller. Default 3600 (the older published number). */
  limitPerHour?: number;
  /** Requests per spike window per caller. Default 100 (Procore's example is 25; the real value is unpublished). */
  spikeLimit?: number;
  /** Length of the spike window. Default 10 s. */
  spikeWindowSeconds?: number;
  /** Send Retry-After on 429 (the docs disagree whether Procore always does). Default true. */
  retryAfter?: boolean;
}

interface Window {
  start: number;
  used: number;
}

/**
 * Two fixed windows per caller (the token's client, or the address for anonymous calls): an hourly one and a
 * 10-second spike one. Every request counts, failed ones included. The headers describe whichever window has
 * fewer requests left, as Procore's do.
 */
export class RateLimiter {
  limitPerHour: number;
  spikeLimit: number;
  spikeWindowMs: number;
  retryAfter: boolean;
  /** How many requests were answered 429 (tests assert a well-paced client causes none). */
  rejected = 0;
  private windows = new Map<string, { hour: Window; spike: Window }>();

  constructor(
    private readonly clock: SimClock,
    opts: RateLimitOptions | number = {},
  ) {
    const o = typeof opts === 'number' ? { limitPerHour: opts } : opts;
    this.limitPerHour = o.limitPerHour ?? 3600;
    this.spikeLimit = o.spikeLimit ?? 100;
    this.spikeWindowMs = (o.spikeWindowSeconds ?? 10) * 1000;
    this.retryAfter = o.retryAfter ?? true;
  }

  configure(opts: RateLimitOptions): void {
    if (opts.limitPerHour !== undefined) this.limitPerHour = opts.limitPerHour;
    if (opts.spikeLimit !== undefined) this.spikeLimit = opts.spikeLimit;
    if (opts.spikeWindowSeconds !== undefined) this.spikeWindowMs = opts.spikeWindowSeconds * 1000;
    if (opts.retryAfter !== undefined) this.retryAfter = opts.retryAfter;
    this.reset();
  }

  reset(): void {
    this.windows.clear();
    this.rejected = 0;
  }

  /** Requests counted in the current windows for a caller key (a client id, or `ip:<address>`). */
  usage(key: string): { hour: number; spike: number } | undefined {
    const w = this.windows.get(key);
    return w && { hour: w.hour.used, spike: w.spike.used };
  }

  middleware(store: ProcoreStore) {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.path.startsWith('/__admin')) return next();
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
      const key = (bearer && store.tokens.get(bearer)?.client_id) || `ip:${req.ip}`;
      const now = this.clock.now();
      let w = this.windows.get(key);
      if (!w) {
        w = { hour: { start: now, used: 0 }, spike: { start: now, used: 0 } };
        this.windows.set(key, w);
      }
      if (now >= w.hour.start + 3_600_000) w.hour = { start: now, used: 0 };
      if (now >= w.spike.start + this.spikeWindowMs) w.spike = { start: now, used: 0 };
      w.hour.used++;
      w.spike.used++;
      const hour = { limit: this.limitPerHour, used: w.hour.used, resetMs: w.hour.start + 3_600_000 };
      const spike = { limit: this.spikeLimit, used: w.spike.used, resetMs: w.spike.start + this.spikeWindowMs };
      const left = (x: typeof hour) => Math.max(0, x.limit - x.used);
      const over = [hour, spike].filter((x) => x.used > x.limit);
      // Report the window that runs out first; when over, the one whose reset is furthest away.
      const shown = over.length
        ? over.reduce((a, b) => (b.resetMs > a.resetMs ? b : a))
        : left(spike) <= left(hour)
          ? spike
          : hour;
      const resetAt = Math.ceil(shown.resetMs / 1000);
      res.setHeader('X-Rate-Limit-Limit', String(shown.limit));
      res.setHeader('X-Rate-Limit-Remaining', String(left(shown)));
      res.setHeader('X-Rate-Limit-Reset', String(resetAt));
      if (over.length) {
        this.rejected++;
        if (this.retryAfter) res.setHeader('Retry-After', String(Math.max(1, resetAt - Math.floor(now / 1000))));
        sendError(res, 429, 'Rate limit exceeded');
        return;
      }
      next();
    };
  }
}
