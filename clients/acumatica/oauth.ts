/**
 * OAuth 2.0 for Acumatica (`/identity/connect/token`, acumatica-api.md §1.2): the Resource Owner Password
 * Credentials grant with scopes `api offline_access`, then `refresh_token` grants.
 *
 * Refresh tokens rotate: each one works once. Concurrent callers that all see an expired token must therefore
 * share ONE refresh (two refreshes with the same token: the second is invalid_grant and the grant is lost). So
 * every token acquisition goes through one in-flight promise. If a refresh token is refused anyway (expired
 * chain, revoked), the client signs in again with the password grant. The `api` scope gives one session per
 * grant, so the whole client uses one API-user slot; `close()` logs that session out.
 */
import { AuthError, RateLimitError, TransientUpstreamError } from '../../lib/errors';

export interface OAuthOptions {
  /** Connected application's client ID, `<GUID>@<Tenant>` (SM303010). */
  clientId: string;
  clientSecret: string;
  /** Default 'api offline_access' (do not add api:concurrent_access). */
  scope?: string;
}

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

const SKEW_MS = 60_000;

export class OAuthTokens {
  private accessToken?: string;
  private refreshToken?: string;
  private expiresAt = 0;
  private inFlight?: Promise<string>;
  /** Token requests made (password + refresh), for tests. */
  requests = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly opts: OAuthOptions,
    private readonly user: { username: string; password: string },
    private readonly timeoutMs: number,
    private readonly fetchFn: typeof fetch,
  ) {}

  get hasToken(): boolean {
    return !!this.accessToken;
  }

  /** A valid access token: the current one, or one fresh token shared by all concurrent callers. */
  token(): Promise<string> {
    if (this.accessToken && Date.now() < this.expiresAt - SKEW_MS) return Promise.resolve(this.accessToken);
    return this.renew();
  }

  /** Called after a 401 with `stale`: renews unless someone already replaced that token. */
  afterUnauthorized(stale: string): Promise<string> {
    if (this.accessToken && this.accessToken !== stale) return Promise.resolve(this.accessToken);
    this.accessToken = undefined;
    return this.renew();
  }

  /** Forgets the tokens (after logout). */
  clear(): string | undefined {
    const t = this.accessToken;
    this.accessToken = undefined;
    this.refreshToken = undefined;
    this.expiresAt = 0;
    return t;
  }

  private renew(): Promise<string> {
    this.inFlight ??= this.obtain().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async obtain(): Promise<string> {
    if (this.refreshToken) {
      const refreshed = await this.grant({ grant_type: 'refresh_token', refresh_token: this.refreshToken }, true);
      if (refreshed) return refreshed;
    }
    return (await this.grant(
      {
        grant_type: 'password',
        username: this.user.username,
        password: this.user.password,
        scope: this.opts.scope ?? 'api offline_access',
      },
      false,
    ))!;
  }

  /** One token request; returns undefined when a refresh token was refused (caller falls back to password). */
  private async grant(params: Record<string, string>, isRefresh: boolean): Promise<string | undefined> {
    const path = '/identity/connect/token';
    const details = { system: 'acumatica' as const, request: `POST ${path}` };
    this.requests++;
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({
          ...params,
          client_id: this.opts.clientId,
          client_secret: this.opts.clientSecret,
        }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new TransientUpstreamError(
        `Acumatica POST ${path} failed: network error (${(err as Error).name})`,
        details,
      );
    }
    const body = (await res.json().catch(() => ({}))) as TokenAnswer;
    if (res.ok && body.access_token) {
      this.accessToken = body.access_token;
      this.refreshToken = body.refresh_token;
      this.expiresAt = Date.now() + (body.expires_in ?? 3600) * 1000;
      return this.accessToken;
    }
    if (isRefresh && res.status === 400 && body.error === 'invalid_grant') {
      this.refreshToken = undefined;
      return undefined;
    }
    const why = body.error
      ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}`
      : `HTTP ${res.status}`;
    const d = { ...details, status: res.status };
    if (res.status === 429)
      throw new RateLimitError(
        `Acumatica refused the OAuth sign-in: no free API-user slot (API Login Limit)`,
        60_000,
        d,
      );
    if (res.status >= 500) throw new TransientUpstreamError(`Acumatica OAuth token request failed (${why})`, d);
    throw new AuthError(`Acumatica OAuth token request failed for client ${this.opts.clientId}: ${why}`, d);
  }
}
