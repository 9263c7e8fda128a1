/**
 * API sessions of the simulated instance: cookie sessions (`/entity/auth/login`) and OAuth 2.0 grants
 * (`/identity/connect/token`). Both take one slot of the license's "Maximum Number of Web Services API Users";
 * a session nobody uses for `idleMs` (10 minutes, acumatica-api.md §1.1) is closed and its slot freed.
 *
 * OAuth follows the `api` scope rule "one session per grant": the access tokens and the rotating refresh tokens
 * of one grant all map to the same session, so refreshing never costs a second slot. A refresh token can be used
 * once; using it again (a client that refreshed twice concurrently) is `invalid_grant`.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface Session {
  id: string;
  auth: string;
  user: string;
  tenant: string;
  branch: string;
  createdAt: number;
  lastSeen: number;
  /** Set for OAuth sessions: the grant they belong to. */
  grantId?: string;
}

interface Grant {
  id: string;
  sessionId: string;
  clientId: string;
  scopes: string[];
  user: string;
  tenant: string;
  branch: string;
  /** The only refresh token of the grant that is still valid (rotation). */
  refreshToken?: string;
  /** First authentication; the refresh chain ends 30 days later. */
  startedAt: number;
}

interface AccessToken {
  grantId: string;
  expiresAt: number;
}

export const ACCESS_TOKEN_TTL_S = 3600;
const REFRESH_CHAIN_MS = 30 * 24 * 3600_000;

const token = (): string => randomBytes(24).toString('base64url');

export class SessionManager {
  private sessions = new Map<string, Session>();
  private grants = new Map<string, Grant>();
  private accessTokens = new Map<string, AccessToken>();

  constructor(
    public maxUsers: number,
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) if (t - s.lastSeen > this.idleMs) this.sessions.delete(id);
  }

  count(): number {
    this.sweep();
    return this.sessions.size;
  }

  create(user: string, tenant: string, branch: string): Session | undefined {
    this.sweep();
    if (this.sessions.size >= this.maxUsers) return undefined;
    const t = this.now();
    const s: Session = {
      id: randomUUID().replace(/-/g, '').slice(0, 24),
      auth: randomUUID().replace(/-/g, ''),
      user,
      tenant,
      branch,
      createdAt: t,
      lastSeen: t,
    };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    this.sweep();
    const s = this.sessions.get(id);
    if (s) s.lastSeen = this.now();
    return s;
  }

  end(id: string | undefined): boolean {
    return id ? this.sessions.delete(id) : false;
  }

  clear(): void {
    this.sessions.clear();
    this.grants.clear();
    this.accessTokens.clear();
  }

  // ------------------------------------------------------------------ OAuth

  /** A new grant (password flow) with its session; undefined when every API-user slot is taken. */
  grant(
    clientId: string,
    scopes: string[],
    user: string,
    tenant: string,
    branch: string,
  ): { accessToken: string; refreshToken?: string } | undefined {
    const s = this.create(user, tenant, branch);
    if (!s) return undefined;
    const g: Grant = {
      id: randomUUID(),
      sessionId: s.id,
      clientId,
      scopes,
      user,
      tenant,
      branch,
      startedAt: this.now(),
    };
    s.grantId = g.id;
    this.grants.set(g.id, g);
    return this.issue(g);
  }

  private issue(g: Grant): { accessToken: string; refreshToken?: string } {
    const accessToken = token();
    this.accessTokens.set(accessToken, { grantId: g.id, expiresAt: this.now() + ACCESS_TOKEN_TTL_S * 1000 });
    g.refreshToken = g.scopes.includes('offline_access') ? token() : undefined;
    return { accessToken, refreshToken: g.refreshToken };
  }

  /**
   * Rotates a refresh token. The grant's session is reopened if it timed out (same grant, new session: the slot
   * is taken again), so a refresh can fail with 'no_slot'.
   */
  refresh(
    clientId: string,
    refreshToken: string,
  ): { accessToken: string; refreshToken?: string; scopes: string[] } | 'invalid_grant' | 'no_slot' {
    const g = [...this.grants.values()].find((x) => x.refreshToken === refreshToken && x.clientId === clientId);
    if (!g || this.now() - g.startedAt > REFRESH_CHAIN_MS) return 'invalid_grant';
    const old = this.get(g.sessionId);
    if (!old) {
      const s = this.create(g.user, g.tenant, g.branch);
      if (!s) return 'no_slot';
      s.grantId = g.id;
      g.sessionId = s.id;
    }
    return { ...this.issue(g), scopes: g.scopes };
  }

  /** The session behind a Bearer token (undefined when unknown or expired). */
  bySessionToken(accessToken: string): Session | undefined {
    const t = this.accessTokens.get(accessToken);
    if (!t) return undefined;
    if (t.expiresAt <= this.now()) {
      this.accessTokens.delete(accessToken);
      return undefined;
    }
    const g = this.grants.get(t.grantId);
    return g ? this.get(g.sessionId) : undefined;
  }

  /** Logout with a Bearer token: closes the grant's session (the grant itself stays refreshable). */
  endByToken(accessToken: string): boolean {
    const s = this.bySessionToken(accessToken);
    return s ? this.end(s.id) : false;
  }
}
