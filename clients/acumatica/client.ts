/**
 * Client for Acumatica's contract-based REST API (`/entity/Default/<version>/...`).
 *
 *  - Auth: a bounded pool of cookie sessions (session-pool.ts; default one session = one API-user slot), or
 *    OAuth 2.0 with coalesced refresh of rotating refresh tokens (oauth.ts). `close()` always signs out.
 *  - Pacing: every request (sign-in included, sign-out excluded, like the license queue) goes through a per-
 *    process RequestPacer (limiter.ts: concurrency cap + per-minute budget with half-budget smoothing; how it
 *    combines with Temporal's task-queue rate limit across processes is explained there).
 *  - Version: `negotiateVersion()` reads `GET /entity` and picks the newest supported Default endpoint, refusing
 *    an unsupported instance with a message naming the supported releases; `capabilities()` reads the version's
 *    entities and fields from the instance's OpenAPI document. An entity the version lacks (Subcontract before
 *    2023 R2 without the extension) is a ValidationError saying what the customer must install.
 *  - Errors are lib/errors.ts classes: 422 -> ValidationError with `details.fieldErrors` (paths like
 *    `Details[0].Project`), 429 -> RateLimitError, 5xx/network/timeout -> TransientUpstreamError (but a 500
 *    carrying a business PXException -> ValidationError), 412 -> ConflictError, 404 -> NotFoundError, 401/403
 *    -> AuthError. Messages carry method + path (no query) + Acumatica's text, never passwords, cookies, tokens.
 */
import {
  AuthError,
  type ConnectorError,
  RateLimitError,
  TransientUpstreamError,
  ValidationError,
  errorForStatus,
} from '../../lib/errors';
import { observeRateLimitWait, observeUpstreamExchange } from '../../lib/upstream-observer';
import { ContractDialect } from './dialect';
import { type AcumaticaRecord, collectFieldErrors, isPlainObject, wrap } from './format';
import { type PacingOptions, RequestPacer } from './limiter';
import { type OAuthOptions, OAuthTokens } from './oauth';
import type { SharedRequestLimiter } from './shared-limiter';
import type { SharedSessionStore, StoredSession } from './shared-sessions';
import { CookieSessionPool, type SessionSlot } from './session-pool';
import {
  EndpointCapabilities,
  SUPPORTED_ENDPOINT_VERSIONS,
  missingEntityMessage,
  newerReleaseWarning,
  unsupportedExtensionMessage,
  releaseOfBuild,
  unsupportedMessage,
} from './versions';

export { SUPPORTED_ENDPOINT_VERSIONS } from './versions';
export { collectFieldErrors, customVal, unwrap, val, wrap, type AcumaticaRecord, type AcumaticaValue } from './format';

export interface AcumaticaClientOptions extends PacingOptions {
  /** Instance URL, e.g. https://acme.acumatica.com or http://127.0.0.1:4020 (a site path is allowed). */
  baseUrl: string;
  tenant: string;
  branch?: string;
  username: string;
  password: string;
  /** Endpoint name (default `Default`; e.g. an extended endpoint published on SM207060). */
  endpointName?: string;
  /** Pin an endpoint version instead of negotiating it (required with a non-Default endpoint name). */
  endpointVersion?: string;
  /** Per-request timeout (default 120 s; Acumatica may queue requests for up to 10 minutes). */
  timeoutMs?: number;
  /** Action status polling interval (default 1000 ms, like Acumatica's C# client). */
  pollIntervalMs?: number;
  /** Cookie sessions the client may open at once (default 1; each takes an API-user slot). */
  maxSessions?: number;
  /** Enforce the tenant's limits together with the other worker processes (shared-limiter.ts). */
  sharedLimiter?: SharedRequestLimiter;
  /** Share cookie sessions with the other worker processes of this tenant user (shared-sessions.ts). */
  sharedSessions?: SharedSessionStore;
  /** Use OAuth 2.0 (password + refresh_token grants) instead of cookie sessions. */
  oauth?: OAuthOptions;
  /** fetch implementation (tests record the traffic with it). */
  fetch?: typeof fetch;
}

export interface AcumaticaVersionInfo {
  version: { acumaticaBuildVersion?: string; databaseVersion?: string; oemBuildVersion?: string };
  endpoints: Array<{ name: string; version: string; href?: string }>;
}

export interface ListOptions {
  filter?: string;
  select?: string[];
  expand?: string[];
  /** `$custom` fields outside the contract, as `View.Field`. */
  custom?: string[];
  top?: number;
  skip?: number;
  /** PX-CbApiBranch for this request only (branch visibility of vendors follows it). */
  branch?: string;
}

export interface GetOptions {
  expand?: string[];
  select?: string[];
  custom?: string[];
  branch?: string;
}

export interface PutOptions {
  expand?: string[];
  select?: string[];
  custom?: string[];
  /** insert: If-None-Match: * (412 when it exists); update: If-Match: * (412 when missing); upsert (default). */
  mode?: 'insert' | 'update' | 'upsert';
  /** Update the first record matching this `$filter` when the body has neither keys nor `id`. */
  filter?: string;
  /** PX-CbApiBranch for this request only. */
  branch?: string;
}

export interface ActionOptions {
  /** The record to act on: keys or `id` (plain or value-wrapped; plain values are wrapped). */
  entity: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Give up polling after this long (default 10 minutes). */
  maxWaitMs?: number;
  branch?: string;
}

// ------------------------------------------------------------------------------------------------ helpers

const GENERIC_500 = 'An error has occurred.';

function errorText(body: unknown, raw: string): string {
  if (isPlainObject(body)) {
    const msg = typeof body.message === 'string' ? body.message : undefined;
    const exc = typeof body.exceptionMessage === 'string' ? body.exceptionMessage : undefined;
    if (msg && exc && msg === GENERIC_500) return exc;
    if (msg || exc) return (msg || exc) as string;
    if (typeof body.error === 'string') return body.error;
  }
  return raw.slice(0, 500).trim();
}

/** A 500 whose PXException is a business rule (not an outage): retrying will not help. */
function isBusinessException(body: unknown): boolean {
  if (!isPlainObject(body) || typeof body.exceptionType !== 'string') return false;
  return /^PX\./.test(body.exceptionType) && !/LockViolation|Timeout|Deadlock|Concurren/i.test(body.exceptionType);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('Aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('Aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function retryAfterMs(headers: Headers): number | undefined {
  const h = headers.get('retry-after');
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(h);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}

function queryString(o: Omit<ListOptions, 'branch'>): string {
  const parts: string[] = [];
  if (o.filter) parts.push(`$filter=${encodeURIComponent(o.filter)}`);
  if (o.select?.length) parts.push(`$select=${encodeURIComponent(o.select.join(','))}`);
  if (o.expand?.length) parts.push(`$expand=${encodeURIComponent(o.expand.join(','))}`);
  if (o.custom?.length) parts.push(`$custom=${encodeURIComponent(o.custom.join(','))}`);
  if (o.top !== undefined) parts.push(`$top=${o.top}`);
  if (o.skip !== undefined) parts.push(`$skip=${o.skip}`);
  return parts.join('&');
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

interface RequestSpec {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path below the instance URL, starting with '/'; or an absolute URL (action Location). */
  path: string;
  query?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** The entity the request addresses, and whether it addresses the collection (list, PUT) or one record. */
  entity?: string;
  collection?: boolean;
}

interface Auth {
  cookie?: string;
  bearer?: string;
  slot?: SessionSlot;
}

// ------------------------------------------------------------------------------------------------ client

function useShared(slot: SessionSlot, stored: StoredSession): void {
  slot.cookies = new Map(Object.entries(stored.cookies));
  slot.sharedVersion = stored.version;
}

export class AcumaticaClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly pool: CookieSessionPool;
  private readonly tokens?: OAuthTokens;
  /** The per-process pacing of this tenant's requests. */
  readonly pacer: RequestPacer;
  private versionPromise?: Promise<string>;
  private versionInfo?: AcumaticaVersionInfo;
  private capabilitiesPromise?: Promise<EndpointCapabilities>;
  private readonly entityPresence = new Map<string, Promise<boolean>>();
  private dialectCache?: ContractDialect;

  /** The endpoint every data call goes to (`Default` unless the connection pins another). */
  readonly endpointName: string;

  constructor(private readonly opts: AcumaticaClientOptions) {
    this.endpointName = opts.endpointName ?? 'Default';
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
    this.fetchFn = opts.fetch ?? ((...args) => fetch(...args));
    this.pacer = new RequestPacer(opts);
    this.pool = new CookieSessionPool(
      Math.max(1, opts.maxSessions ?? 1),
      (slot) => this.signIn(slot),
      (cookie) => this.signOut({ cookie }),
    );
    if (opts.oauth) this.tokens = new OAuthTokens(this.baseUrl, opts.oauth, opts, this.timeoutMs, this.fetchFn);
  }

  /** True while the client holds a session (a cookie session or an OAuth token). */
  get signedIn(): boolean {
    return this.tokens ? this.tokens.hasToken : this.pool.openSessions > 0;
  }

  /** Cookie sessions currently open (each is one API-user slot). */
  get openSessions(): number {
    return this.pool.openSessions;
  }

  // -------------------------------------------------------------- version

  /**
   * `GET /entity`: the build and the endpoints. Custom endpoints (extensions) are listed only to an authenticated
   * caller: `authenticated` signs in first (default: only when the client uses an endpoint other than Default).
   */
  async getVersionInfo(
    opts: { authenticated?: boolean } = { authenticated: this.endpointName !== 'Default' },
  ): Promise<AcumaticaVersionInfo> {
    const spec: RequestSpec = { method: 'GET', path: '/entity' };
    // Unauthenticated, yet in the license's queue like every request but sign-out: paced like the others.
    const res = opts.authenticated ? await this.exchange(spec) : await this.paced(spec, () => this.send(spec));
    if (res.status !== 200) throw this.toError({ method: 'GET', path: '/entity' }, res);
    const info = res.body as AcumaticaVersionInfo;
    this.versionInfo = {
      version: info?.version ?? {},
      endpoints: Array.isArray(info?.endpoints) ? info.endpoints : [],
    };
    return this.versionInfo;
  }

  /**
   * The endpoint version used for data calls: pinned, or the newest supported version the instance offers under
   * the endpoint's name (`Default`, or an extension such as `ProcoreConnector`, whose version is the Default
   * version it extends). Cached.
   */
  negotiateVersion(): Promise<string> {
    if (this.opts.endpointVersion) return Promise.resolve(this.opts.endpointVersion);
    if (!this.versionPromise) {
      this.versionPromise = (async () => {
        const info = await this.getVersionInfo();
        const offered = info.endpoints.filter((e) => e.name === this.endpointName).map((e) => e.version);
        const pick = SUPPORTED_ENDPOINT_VERSIONS.find((v) => offered.includes(v));
        if (!pick && this.endpointName !== 'Default')
          throw new ValidationError(
            unsupportedExtensionMessage(this.endpointName, info.version.acumaticaBuildVersion, offered, info.endpoints),
            { system: 'acumatica', request: 'GET /entity' },
          );
        if (!pick)
          throw new ValidationError(unsupportedMessage(info.version.acumaticaBuildVersion, offered), {
            system: 'acumatica',
            request: 'GET /entity',
          });
        return pick;
      })();
      this.versionPromise.catch(() => (this.versionPromise = undefined));
    }
    return this.versionPromise;
  }

  /** "2023 R1" from the instance's build number (undefined when it cannot be told). */
  async release(): Promise<string | undefined> {
    const info = this.versionInfo ?? (await this.getVersionInfo());
    return releaseOfBuild(info.version.acumaticaBuildVersion);
  }

  /**
   * A release newer than the newest the connector knows runs on the newest known endpoint it offers: the warning
   * that says so, else undefined.
   */
  async releaseWarning(): Promise<string | undefined> {
    const version = await this.negotiateVersion();
    const info = this.versionInfo ?? (await this.getVersionInfo());
    return newerReleaseWarning(info.version.acumaticaBuildVersion, version);
  }

  /** Entities, fields and actions of another endpoint of the instance (e.g. an extension found in GET /entity). */
  async endpointCapabilities(name: string, version: string): Promise<EndpointCapabilities> {
    const res = await this.callRaw({ method: 'GET', path: `/entity/${name}/${version}/swagger.json` });
    return new EndpointCapabilities(version, res.body);
  }

  /** Entities, fields and actions of the negotiated version, from the instance's OpenAPI document. Cached. */
  capabilities(): Promise<EndpointCapabilities> {
    this.capabilitiesPromise ??= (async () => {
      const v = await this.negotiateVersion();
      const res = await this.callRaw({ method: 'GET', path: `/entity/${this.endpointName}/${v}/swagger.json` });
      return new EndpointCapabilities(v, res.body);
    })();
    this.capabilitiesPromise.catch(() => (this.capabilitiesPromise = undefined));
    return this.capabilitiesPromise;
  }

  /** The syntax of the negotiated endpoint's system contract (dialect.ts). */
  async dialect(): Promise<ContractDialect> {
    const v = await this.negotiateVersion();
    if (this.dialectCache?.version !== v) this.dialectCache = new ContractDialect(v);
    return this.dialectCache;
  }

  private async entityPath(entity: string, ...rest: string[]): Promise<string> {
    const v = await this.negotiateVersion();
    return [
      `/entity/${this.endpointName}/${v}/${encodeURIComponent(entity)}`,
      ...rest.map((s) => encodeURIComponent(s)),
    ].join('/');
  }

  // -------------------------------------------------------------- data

  async list(entity: string, opts: ListOptions = {}): Promise<AcumaticaRecord[]> {
    const path = await this.entityPath(entity);
    const d = await this.dialect();
    const body = await this.call<AcumaticaRecord[]>({
      method: 'GET',
      path,
      query: queryString({ ...opts, filter: d.filter(entity, opts.filter), expand: d.expand(opts.expand) }),
      headers: opts.branch ? { 'PX-CbApiBranch': opts.branch } : undefined,
      entity,
      collection: true,
    });
    return Array.isArray(body) ? body.map((r) => d.record(r)) : [];
  }

  /** Every record, `pageSize` at a time ($top/$skip; there is no $orderby, so records are deduplicated by id). */
  async *pages(entity: string, opts: Omit<ListOptions, 'top' | 'skip'> = {}, pageSize = 500) {
    const seen = new Set<string>();
    for (let skip = 0; ; skip += pageSize) {
      const page = await this.list(entity, { ...opts, top: pageSize, skip });
      const fresh = page.filter((r) => !r.id || !seen.has(r.id));
      for (const r of fresh) if (r.id) seen.add(r.id);
      if (fresh.length) yield fresh;
      if (page.length < pageSize) return;
    }
  }

  /** By keys (URL order) or by the record's `id` GUID. */
  async get(entity: string, keys: string[] | string, opts: GetOptions = {}): Promise<AcumaticaRecord> {
    const d = await this.dialect();
    const path = await this.entityPath(entity, ...(Array.isArray(keys) ? d.keys(entity, keys) : [keys]));
    const rec = await this.call<AcumaticaRecord>({
      method: 'GET',
      path,
      query: queryString({ ...opts, expand: d.expand(opts.expand) }),
      headers: opts.branch ? { 'PX-CbApiBranch': opts.branch } : undefined,
      entity,
    });
    return d.record(rec);
  }

  /** Create or update. `body` may be plain (it is wrapped) or already value-wrapped. */
  async put(entity: string, body: Record<string, unknown>, opts: PutOptions = {}): Promise<AcumaticaRecord> {
    const path = await this.entityPath(entity);
    const d = await this.dialect();
    const headers: Record<string, string> = {};
    if (opts.mode === 'insert') headers['If-None-Match'] = '*';
    if (opts.mode === 'update') headers['If-Match'] = '*';
    if (opts.branch) headers['PX-CbApiBranch'] = opts.branch;
    const rec = await this.call<AcumaticaRecord>({
      method: 'PUT',
      path,
      query: queryString({
        expand: d.expand(opts.expand),
        select: opts.select,
        custom: opts.custom,
        filter: d.filter(entity, opts.filter),
      }),
      body: d.body(entity, wrap(body)),
      headers,
      entity,
      collection: true,
    });
    return d.record(rec);
  }

  async delete(entity: string, keys: string[] | string): Promise<void> {
    const d = await this.dialect();
    const path = await this.entityPath(entity, ...(Array.isArray(keys) ? d.keys(entity, keys) : [keys]));
    await this.call({ method: 'DELETE', path, entity });
  }

  /** Invokes a contract action; on 202 polls the Location every pollIntervalMs until 204 (cancellable). */
  async invokeAction(entity: string, action: string, opts: ActionOptions): Promise<void> {
    const path = await this.entityPath(entity, action);
    const d = await this.dialect();
    const target = d.body(entity, wrap(opts.entity));
    const res = await this.callRaw({
      method: 'POST',
      path,
      // `parameters` only when the action has some: the documents declare it only for actions with parameters.
      body:
        opts.parameters && Object.keys(opts.parameters).length
          ? { entity: target, parameters: wrap(opts.parameters) }
          : { entity: target },
      headers: opts.branch ? { 'PX-CbApiBranch': opts.branch } : undefined,
      signal: opts.signal,
      entity,
    });
    if (res.status !== 202) return;
    const location = res.headers.get('location');
    if (!location)
      throw new TransientUpstreamError(`Acumatica POST ${path} answered 202 without a Location header`, {
        system: 'acumatica',
        status: 202,
        request: `POST ${path}`,
      });
    const maxWait = opts.maxWaitMs ?? 10 * 60_000;
    const deadline = Date.now() + maxWait;
    for (;;) {
      await sleep(this.pollIntervalMs, opts.signal);
      const poll = await this.callRaw({ method: 'GET', path: location, signal: opts.signal });
      if (poll.status !== 202) return;
      if (Date.now() > deadline)
        throw new TransientUpstreamError(`Acumatica action ${entity}/${action} still running after ${maxWait} ms`, {
          system: 'acumatica',
          request: `POST ${path}`,
        });
    }
  }

  /**
   * Whether the negotiated endpoint has `entity`: from the OpenAPI document when it was read, else a
   * GET ?$top=1 probe (404 means absent). Cached.
   */
  hasEntity(entity: string): Promise<boolean> {
    let p = this.entityPresence.get(entity);
    if (!p) {
      p = (async () => {
        const caps = await this.capabilitiesPromise?.catch(() => undefined);
        if (caps) return caps.hasEntity(entity);
        const path = await this.entityPath(entity);
        const res = await this.callRaw({ method: 'GET', path, query: '$top=1' }, false);
        if (res.status === 404) return false;
        if (res.status >= 200 && res.status < 300) return true;
        throw this.toError({ method: 'GET', path }, res);
      })();
      p.catch(() => this.entityPresence.delete(entity));
      this.entityPresence.set(entity, p);
    }
    return p;
  }

  /** Throws the "install this" ValidationError when the negotiated version lacks `entity`. */
  async requireEntity(entity: string): Promise<void> {
    if (!(await this.hasEntity(entity))) throw await this.missingEntityError(entity);
  }

  /** After a 404: is it the entity that is missing (rather than the record, or the whole endpoint version)? */
  private async entityMissing(spec: RequestSpec): Promise<boolean> {
    const version = await this.negotiateVersion();
    const cached = this.versionInfo?.endpoints.some((e) => e.name === this.endpointName) ? this.versionInfo : undefined;
    const info = cached ?? (await this.getVersionInfo().catch(() => undefined));
    if (info && !info.endpoints.some((e) => e.name === this.endpointName && e.version === version)) return false;
    return spec.collection === true || !(await this.hasEntity(spec.entity!));
  }

  private async missingEntityError(entity: string): Promise<ValidationError> {
    const version = await this.negotiateVersion();
    const info = this.versionInfo ?? (await this.getVersionInfo().catch(() => undefined));
    return new ValidationError(
      missingEntityMessage(entity, version, info?.version.acumaticaBuildVersion, this.endpointName),
      {
        system: 'acumatica',
        status: 404,
        request: `GET /entity/${this.endpointName}/${version}/${entity}`,
      },
    );
  }

  // -------------------------------------------------------------- session

  /**
   * A session for the slot: with shared sessions, the one another process saved (unless it is the copy that just
   * failed), else a fresh sign-in saved for the others; a sign-in that loses the race to save is signed out.
   */
  private async signIn(slot: SessionSlot): Promise<void> {
    const shared = this.opts.sharedSessions;
    if (!shared) return this.login(slot);
    const stored = await shared.load(slot.index);
    if (stored && stored.version !== slot.sharedVersion) return useShared(slot, stored);
    await this.login(slot);
    const saved = await shared.save(slot.index, Object.fromEntries(slot.cookies), stored?.version);
    if (!saved.ours) await this.signOut({ cookie: CookieSessionPool.cookieHeader(slot) });
    useShared(slot, saved);
  }

  private async login(slot: SessionSlot): Promise<void> {
    const path = '/entity/auth/login';
    const body: Record<string, string> = {
      name: this.opts.username,
      password: this.opts.password,
      tenant: this.opts.tenant,
    };
    if (this.opts.branch) body.branch = this.opts.branch;
    slot.cookies.clear();
    const res = await this.send({ method: 'POST', path, body }, { slot });
    if (res.status === 204 || res.status === 200) {
      if (!CookieSessionPool.signedIn(slot))
        throw new AuthError('Acumatica sign-in returned no session cookie', {
          system: 'acumatica',
          status: res.status,
          request: `POST ${path}`,
        });
      return;
    }
    slot.cookies.clear();
    const text = errorText(res.body, res.text);
    const details = { system: 'acumatica' as const, status: res.status, request: `POST ${path}` };
    if (res.status === 429 || /API Login Limit/i.test(res.text)) {
      throw new RateLimitError(
        `Acumatica refused the sign-in of ${this.opts.username}: no free API-user slot (API Login Limit). Other integrations hold all sessions; slots free up on logout or after the 10-minute session timeout.`,
        retryAfterMs(res.headers) ?? 60_000,
        { ...details, status: 429 },
      );
    }
    if (/Invalid credentials/i.test(res.text) || res.status === 401 || res.status === 403) {
      throw new AuthError(
        `Acumatica sign-in failed for user ${this.opts.username} on tenant ${this.opts.tenant}: ${text}`,
        details,
      );
    }
    throw errorForStatus(res.status, `Acumatica sign-in failed (HTTP ${res.status}): ${text}`, details);
  }

  private async signOut(auth: Auth): Promise<void> {
    try {
      await this.send({ method: 'POST', path: '/entity/auth/logout' }, auth);
    } catch {
      // The session times out on its own; nothing else to do.
    }
  }

  /** Signs out every session (always, idempotent); the next call signs in again. */
  async close(): Promise<void> {
    if (this.tokens) {
      const token = this.tokens.clear();
      if (token) await this.signOut({ bearer: token });
      return;
    }
    const shared = this.opts.sharedSessions;
    if (!shared) return this.pool.close();
    // Other live processes use the sessions (or the store cannot tell): leave them open for those.
    if (!(await shared.leave().catch(() => false))) return this.pool.detach();
    await this.pool.close();
    for (let i = 0; i < this.pool.size; i++) {
      const stored = await shared.load(i).catch(() => undefined);
      if (stored) await this.signOut({ cookie: CookieSessionPool.headerOf(Object.entries(stored.cookies)) });
    }
    await shared.clear().catch(() => undefined);
  }

  // -------------------------------------------------------------- transport

  private storeCookies(slot: SessionSlot, headers: Headers): void {
    const list = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
    for (const c of list) {
      const first = c.split(';')[0];
      const i = first.indexOf('=');
      if (i <= 0) continue;
      const name = first.slice(0, i).trim();
      const value = first.slice(i + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c);
      if (!value || expired) slot.cookies.delete(name);
      else slot.cookies.set(name, value);
    }
  }

  /** One HTTP exchange; network problems and timeouts become TransientUpstreamError. */
  private async send(spec: RequestSpec, auth: Auth = {}): Promise<RawResponse> {
    const url = /^https?:\/\//.test(spec.path) ? spec.path : this.resolve(spec.path);
    const full = spec.query ? `${url}?${spec.query}` : url;
    const pathForMessages = new URL(url).pathname;
    const headers: Record<string, string> = { Accept: 'application/json', ...spec.headers };
    const cookie = auth.cookie ?? (auth.slot ? CookieSessionPool.cookieHeader(auth.slot) : '');
    if (cookie) headers.Cookie = cookie;
    if (auth.bearer) headers.Authorization = `Bearer ${auth.bearer}`;
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    const started = performance.now();
    const observe = (status?: number, failure?: 'timeout' | 'network_error', text = '') =>
      observeUpstreamExchange({
        system: 'acumatica',
        method: spec.method,
        path: pathForMessages,
        status,
        failure,
        durationMs: performance.now() - started,
        loginRefused:
          pathForMessages.endsWith('/entity/auth/login') && (status === 429 || /API Login Limit/i.test(text)),
      });
    let res: globalThis.Response;
    try {
      res = await this.fetchFn(full, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
    } catch (err) {
      if (spec.signal?.aborted) throw spec.signal.reason ?? err;
      const e = err as Error & { cause?: { code?: string } };
      observe(undefined, timeout.aborted ? 'timeout' : 'network_error');
      const why = timeout.aborted
        ? `timed out after ${this.timeoutMs} ms`
        : `network error (${e.cause?.code ?? e.name})`;
      throw new TransientUpstreamError(`Acumatica ${spec.method} ${pathForMessages} failed: ${why}`, {
        system: 'acumatica',
        request: `${spec.method} ${pathForMessages}`,
      });
    }
    if (auth.slot) this.storeCookies(auth.slot, res.headers);
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (spec.signal?.aborted) throw spec.signal.reason ?? err;
      observe(undefined, 'network_error');
      throw new TransientUpstreamError(
        `Acumatica ${spec.method} ${pathForMessages} failed: the connection dropped while reading the answer`,
        { system: 'acumatica', status: res.status, request: `${spec.method} ${pathForMessages}` },
      );
    }
    observe(res.status, undefined, res.status === 200 || res.status === 204 ? '' : text);
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: res.status, headers: res.headers, text, body };
  }

  /** Resolves an instance-relative path (Location headers carry the site path, e.g. /site/entity/...). */
  private resolve(p: string): string {
    const base = new URL(this.baseUrl);
    const sitePath = base.pathname.replace(/\/+$/, '');
    if (sitePath && p.startsWith(`${sitePath}/`)) return base.origin + p;
    return this.baseUrl + p;
  }

  /** One request, paced in this process and (when configured) across all workers of the tenant. */
  private exchange(spec: RequestSpec): Promise<RawResponse> {
    return this.paced(spec, () => this.authenticated(spec));
  }

  /** Runs `send` once this process's pacer and (when configured) the tenant's shared limiter allow. */
  private paced(spec: RequestSpec, send: () => Promise<RawResponse>): Promise<RawResponse> {
    const shared = this.opts.sharedLimiter;
    const queuedAt = performance.now();
    const go = () => {
      observeRateLimitWait('acumatica', performance.now() - queuedAt);
      return send();
    };
    return this.pacer.run(() => (shared ? shared.run(go, spec.signal) : go()), spec.signal);
  }

  /** One request with a session (cookie or OAuth token), re-authenticating once on 401. */
  private async authenticated(spec: RequestSpec): Promise<RawResponse> {
    if (this.tokens) {
      const token = await this.tokens.token();
      const res = await this.send(spec, { bearer: token });
      if (res.status !== 401) return res;
      return this.send(spec, { bearer: await this.tokens.afterUnauthorized(token) });
    }
    const slot = await this.pool.lease();
    try {
      const gen = slot.gen;
      const res = await this.send(spec, { slot });
      if (res.status !== 401) return res;
      await this.pool.renew(slot, gen);
      return await this.send(spec, { slot });
    } finally {
      this.pool.release(slot);
    }
  }

  /** Authenticated exchange; non-2xx becomes a ConnectorError (unless `throwOnError` is false). */
  private async callRaw(spec: RequestSpec, throwOnError = true): Promise<RawResponse> {
    const res = await this.exchange(spec);
    if ((res.status >= 200 && res.status < 300) || !throwOnError) return res;
    if (res.status === 404 && spec.entity && (await this.entityMissing(spec)))
      throw await this.missingEntityError(spec.entity);
    throw this.toError(spec, res);
  }

  private async call<T = unknown>(spec: RequestSpec): Promise<T> {
    const res = await this.callRaw(spec);
    return res.body as T;
  }

  private toError(spec: { method: string; path: string }, res: RawResponse): ConnectorError {
    const p = /^https?:\/\//.test(spec.path) ? new URL(spec.path).pathname : spec.path;
    const request = `${spec.method} ${p}`;
    if (res.status === 422) {
      const fieldErrors = collectFieldErrors(res.body);
      const list = Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v}`);
      const top =
        isPlainObject(res.body) && typeof res.body.error === 'string'
          ? res.body.error.split('\n')[0]
          : 'validation failed';
      const message = `Acumatica ${request} was rejected: ${list.length ? list.join('; ') : top}`;
      return new ValidationError(message, { system: 'acumatica', status: 422, request, fieldErrors });
    }
    const text = errorText(res.body, res.text) || `HTTP ${res.status}`;
    const details = { system: 'acumatica' as const, status: res.status, request };
    if (res.status === 401)
      return new AuthError(`Acumatica ${request} failed: not signed in after a fresh sign-in (${text})`, details);
    if (res.status === 500 && isBusinessException(res.body))
      return new ValidationError(`Acumatica ${request} failed: ${text}`, details);
    return errorForStatus(
      res.status,
      `Acumatica ${request} failed (HTTP ${res.status}): ${text}`,
      details,
      retryAfterMs(res.headers),
    );
  }
}
