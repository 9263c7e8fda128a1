/**
 * The Procore client's transport: OAuth tokens (client credentials, or a single-use refresh token chain),
 * rate-limit pacing, lossless JSON, zod validation at the boundary and error classification into lib/errors.ts
 * kinds so Temporal retry policies can act on them.
 *
 *   retryable: 429 (RateLimitError with the wait), 5xx / 408 (a 503's Retry-After becomes Temporal's next retry
 *              delay), network errors, timeouts, broken 2xx bodies
 *   permanent: 400 / 422 (ValidationError; 422 "origin_id has already been taken" -> ConflictError),
 *              401 after one token refresh and 403 (AuthError), 404 (NotFoundError), 409 / 412 (ConflictError)
 *
 * Error messages name the method and path only, plus Procore's own message: no query string, token, refresh
 * token or client secret ever.
 */
import { LosslessNumber, parse, stringify } from 'lossless-json';
import { z } from 'zod';
import {
  AuthError,
  ConflictError,
  TransientUpstreamError,
  ValidationError,
  errorForStatus,
  type ConnectorError,
} from '../../lib/errors';
import { observeRateLimitWait, observeUpstreamExchange } from '../../lib/upstream-observer';
import { RatePacer, type RateLimitSnapshot } from './rate-pacer';
import { plainJson, tokenSchema } from './schemas';

export interface ProcoreClientOptions {
  /** API host, e.g. https://api.procore.com (no trailing /rest). */
  baseUrl: string;
  /** OAuth host, e.g. https://login.procore.com. Defaults to baseUrl. */
  authUrl?: string;
  clientId: string;
  clientSecret: string;
  /**
   * Authorization-code flow: the current refresh token. Without it the client uses client credentials (DMSA).
   * Refresh tokens are single-use: every refresh returns a new one, handed to `onTokens` before it is used.
   */
  refreshToken?: string;
  /** Persist the new refresh token here (it replaces the old one, which no longer works). */
  onTokens?: (tokens: { refreshToken: string; accessTokenExpiresAt: number }) => void | Promise<void>;
  /** Per-request timeout. Default 30 000 ms. */
  timeoutMs?: number;
  /** Page size for list calls. Default 100. */
  perPage?: number;
  /** Longest in-process wait for a used-up rate-limit window; longer waits throw RateLimitError. Default 10 s. */
  maxPaceWaitMs?: number;
  /** Clock for token expiry and rate-limit resets (tests). Default Date.now. */
  now?: () => number;
}

export type Query = Record<string, string | number | undefined>;

export interface CallOptions<S extends z.ZodTypeAny> {
  companyId: string;
  schema: S;
  query?: Query;
  body?: unknown;
  /** A read ahead of need (prefetch): it leaves the end of each rate-limit window to other calls (RatePacer). */
  background?: boolean;
}

/** Refresh this long before the token's stated expiry, so a call never starts with a dying token. */
const TOKEN_REFRESH_MARGIN_MS = 60_000;
const MAX_MESSAGE_CHARS = 500;
/**
 * Records per page on list calls. Procore states no maximum and recommends at most 2,000 (procore-api.md §3);
 * 1,000 lists a large company's 10,000 vendors in 10 calls instead of 100 at the SDKs' usual 100.
 */
export const DEFAULT_PER_PAGE = 1000;

export class ProcoreHttp {
  private readonly baseUrl: string;
  private readonly authUrl: string;
  private readonly timeoutMs: number;
  readonly perPage: number;
  private readonly now: () => number;
  private readonly pacer: RatePacer;
  private token: { value: string; expiresAt: number } | undefined;
  private refreshToken: string | undefined;
  /** Shared by concurrent callers: one token request (one refresh) at a time. */
  private tokenRequest: Promise<string> | undefined;

  constructor(private readonly opts: ProcoreClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.authUrl = (opts.authUrl ?? opts.baseUrl).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.perPage = opts.perPage ?? DEFAULT_PER_PAGE;
    this.now = opts.now ?? Date.now;
    this.refreshToken = opts.refreshToken;
    // A spent 10-second window can be up to ~11 s from its reset (Reset is whole seconds): waited out in process.
    this.pacer = new RatePacer(this.now, opts.maxPaceWaitMs ?? 15_000);
  }

  /** The last rate-limit window Procore reported (for logs and tests). */
  get rateLimit(): RateLimitSnapshot | undefined {
    return this.pacer.snapshot;
  }

  /** Starts the authorization-code flow: trades a code for tokens (then refreshes as needed). */
  async exchangeCode(code: string, redirectUri: string): Promise<void> {
    await this.tokenFrom({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  }

  async call<S extends z.ZodTypeAny>(
    method: string,
    path: string,
    opts: CallOptions<S>,
  ): Promise<{ data: z.output<S>; headers: Headers }> {
    const request = `${method} ${path}`;
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = opts.body === undefined ? undefined : stringify(opts.body);

    let res: { status: number; headers: Headers; text: string } | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const token = await this.accessToken();
      const queuedAt = performance.now();
      const release = await this.pacer.acquire(request, { background: opts.background });
      observeRateLimitWait('procore', performance.now() - queuedAt);
      let current: { status: number; headers: Headers; text: string } | undefined;
      try {
        current = await this.send(request, url, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            'Procore-Company-Id': opts.companyId,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body,
        });
      } finally {
        release(current?.headers);
      }
      res = current;
      // One retry on 401 with a fresh token: the cached one may have been revoked or expired early.
      if (res.status !== 401 || attempt === 2) break;
      if (this.token?.value === token) this.token = undefined;
    }
    if (!res) throw new TransientUpstreamError(`Procore ${request}: no response`, { system: 'procore', request });
    if (res.status < 200 || res.status >= 300) throw this.httpError(request, res);
    const raw = res.status === 204 || res.text.trim() === '' ? null : this.parseJson(request, res.text);
    return { data: validate(request, opts.schema, raw), headers: res.headers };
  }

  /** Follows `Link: rel="next"` until it is gone, yielding each page's parsed items; one request per step. */
  async *pages<S extends z.ZodTypeAny>(
    path: string,
    companyId: string,
    item: S,
    query: Query,
    opts: { background?: boolean; wrapped?: boolean } = {},
  ): AsyncGenerator<Array<z.output<S>>, void, undefined> {
    let page: number | undefined = 1;
    while (page !== undefined) {
      const { data, headers } = await this.call('GET', path, {
        companyId,
        // Some lists (budget changes) wrap each page in `{data}`.
        schema: opts.wrapped ? z.object({ data: item.array() }) : item.array(),
        query: { ...query, page, per_page: this.perPage },
        background: opts.background,
      });
      yield (opts.wrapped ? (data as { data: unknown[] }).data : data) as Array<z.output<S>>;
      page = nextPage(headers.get('link'));
    }
  }

  private async send(
    request: string,
    url: URL,
    init: RequestInit,
  ): Promise<{ status: number; headers: Headers; text: string }> {
    const started = performance.now();
    const observe = (status?: number, failure?: 'timeout' | 'network_error') =>
      observeUpstreamExchange({
        system: 'procore',
        method: String(init.method ?? 'GET'),
        path: url.pathname,
        status,
        failure,
        durationMs: performance.now() - started,
      });
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      const text = await res.text();
      observe(res.status);
      return { status: res.status, headers: res.headers, text };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      observe(undefined, e.name === 'TimeoutError' ? 'timeout' : 'network_error');
      const why =
        e.name === 'TimeoutError' ? `timed out after ${this.timeoutMs} ms` : `${e.cause?.code ?? e.name}: ${e.message}`;
      throw new TransientUpstreamError(`Procore ${request} failed: ${why}`, { system: 'procore', request });
    }
  }

  private parseJson(request: string, text: string): unknown {
    try {
      return parse(text, null, (n) => new LosslessNumber(n));
    } catch {
      // A 2xx with a broken body is a proxy or truncation problem, not bad data: worth retrying.
      throw new TransientUpstreamError(`Procore ${request}: response is not valid JSON`, {
        system: 'procore',
        request,
      });
    }
  }

  private httpError(request: string, res: { status: number; headers: Headers; text: string }): ConnectorError {
    const procore = procoreMessage(res.text);
    const message = `Procore ${request} -> HTTP ${res.status}: ${procore}`;
    const details = { system: 'procore' as const, status: res.status, request };
    // A create replayed after a lost answer: the record exists; callers look it up by origin_id.
    if (res.status === 422 && /origin_id/.test(procore) && /already been taken/.test(procore)) {
      return new ConflictError(message, details);
    }
    const wait = res.status === 429 ? rateLimitWaitMs(res.headers, this.now()) : retryAfterMs(res.headers, this.now());
    return errorForStatus(res.status, message, details, wait);
  }

  /** A valid access token, requesting one when missing or within a minute of expiry. */
  private async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt - TOKEN_REFRESH_MARGIN_MS) return this.token.value;
    this.tokenRequest ??= this.requestToken().finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  private requestToken(): Promise<string> {
    if (this.refreshToken) return this.tokenFrom({ grant_type: 'refresh_token', refresh_token: this.refreshToken });
    return this.tokenFrom({ grant_type: 'client_credentials' });
  }

  private async tokenFrom(grant: Record<string, string>): Promise<string> {
    const request = 'POST /oauth/token';
    const res = await this.send(request, new URL(`${this.authUrl}/oauth/token`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        ...grant,
        client_id: this.opts.clientId,
        client_secret: this.opts.clientSecret,
      }).toString(),
    });
    if (res.status === 400 || res.status === 401) {
      throw new AuthError(
        `Procore ${request} (${grant.grant_type}) -> HTTP ${res.status}: ${procoreMessage(res.text)}`,
        {
          system: 'procore',
          status: res.status,
          request,
        },
      );
    }
    if (res.status < 200 || res.status >= 300) throw this.httpError(request, res);
    const token = validate(request, tokenSchema, this.parseJson(request, res.text));
    const expiresAt = this.now() + token.expires_in * 1000;
    if (token.refresh_token) {
      // Persist first: the old refresh token is dead now, and a crash before saving would lose access.
      this.refreshToken = token.refresh_token;
      await this.opts.onTokens?.({ refreshToken: token.refresh_token, accessTokenExpiresAt: expiresAt });
    }
    this.token = { value: token.access_token, expiresAt };
    return token.access_token;
  }
}

export function validate<S extends z.ZodTypeAny>(request: string, schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new ValidationError(`Procore ${request}: unexpected response shape: ${issues}`, {
      system: 'procore',
      request,
    });
  }
  // Unknown fields kept by passthrough schemas may still hold LosslessNumbers; make them plain strings.
  return plainJson(result.data) as z.output<S>;
}

/** Procore's error text from `{errors}`, `{error, error_description}`, `{error}` or `{message}` bodies. */
function procoreMessage(text: string): string {
  let out = text;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.error === 'string' && typeof body.error_description === 'string') {
      out = `${body.error}: ${body.error_description}`; // OAuth errors
    } else {
      const pick = body.errors ?? body.message ?? body.error;
      out = typeof pick === 'string' ? pick : JSON.stringify(pick ?? body);
    }
  } catch {
    // not JSON: use the raw text
  }
  out = out.trim() || '(empty body)';
  return out.length > MAX_MESSAGE_CHARS ? `${out.slice(0, MAX_MESSAGE_CHARS)}...` : out;
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const at = Date.parse(retryAfter);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A 429's wait: Retry-After wins; else X-Rate-Limit-Reset (Unix seconds); else 1 s. */
function rateLimitWaitMs(headers: Headers, now: number): number {
  const retryAfter = retryAfterMs(headers, now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = headers.get('x-rate-limit-reset');
  if (reset && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset) * 1000 - now);
  return 1000;
}

function nextPage(link: string | null): number | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) {
      const page = new URL(m[1], 'http://x').searchParams.get('page');
      return page && /^\d+$/.test(page) ? Number(page) : undefined;
    }
  }
  return undefined;
}
