/**
 * Client for Acumatica's contract-based REST API (`/entity/Default/<version>/...`), cookie-session based.
 *
 *  - Sessions: signs in lazily (one sign-in in flight at a time, concurrent callers share it), reuses the
 *    `ASP.NET_SessionId`/`.ASPXAUTH` cookies, signs in again once on 401 and retries, and `close()` always signs
 *    out (idempotent) so no API-user slot leaks.
 *  - Version: `negotiateVersion()` reads `GET /entity` and picks the newest supported Default endpoint.
 *  - Errors are lib/errors.ts classes: 422 -> ValidationError with `details.fieldErrors` (paths like
 *    `Details[0].Project`), 429 -> RateLimitError, 5xx/network/timeout -> TransientUpstreamError, 412 ->
 *    ConflictError, 404 -> NotFoundError. Messages carry method + path (no query) + Acumatica's text, never the
 *    password or cookies.
 */
import {
  AuthError,
  type ConnectorError,
  RateLimitError,
  TransientUpstreamError,
  ValidationError,
  errorForStatus,
} from '../../lib/errors';

export const SUPPORTED_ENDPOINT_VERSIONS = ['24.200.001', '23.200.001', '22.200.001', '20.200.001'] as const;

const VERSION_RELEASES: Record<string, string> = {
  '24.200.001': '2024 R2',
  '23.200.001': '2023 R2 / 2024 R1',
  '22.200.001': '2022 R2 / 2023 R1',
  '20.200.001': '2022 R1',
};

export interface AcumaticaClientOptions {
  /** Instance URL, e.g. https://acme.acumatica.com or http://127.0.0.1:4020 (a site path is allowed). */
  baseUrl: string;
  tenant: string;
  branch?: string;
  username: string;
  password: string;
  /** Pin a Default endpoint version instead of negotiating it. */
  endpointVersion?: string;
  /** Per-request timeout (default 120 s; Acumatica may queue requests for long). */
  timeoutMs?: number;
  /** Action status polling interval (default 1000 ms, like Acumatica's C# client). */
  pollIntervalMs?: number;
}

export interface AcumaticaValue<T = unknown> {
  value?: T;
  error?: string;
}

/** A record as Acumatica returns it: value-wrapped fields plus system fields. */
export interface AcumaticaRecord {
  id?: string;
  rowNumber?: number;
  note?: AcumaticaValue<string> | null;
  custom?: Record<string, unknown>;
  files?: Array<{ id: string; filename: string; href: string }>;
  error?: string;
  _links?: Record<string, string>;
  [field: string]: unknown;
}

export interface AcumaticaVersionInfo {
  version: { acumaticaBuildVersion?: string; databaseVersion?: string; oemBuildVersion?: string };
  endpoints: Array<{ name: string; version: string; href?: string }>;
}

export interface ListOptions {
  filter?: string;
  select?: string[];
  expand?: string[];
  top?: number;
  skip?: number;
}

export interface PutOptions {
  expand?: string[];
  select?: string[];
  /** insert: If-None-Match: * (412 when it exists); update: If-Match: * (412 when missing); upsert (default). */
  mode?: 'insert' | 'update' | 'upsert';
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
}

// ------------------------------------------------------------------------------------------------ helpers

const SYSTEM_KEYS = new Set(['id', 'rowNumber', 'custom', 'files', '_links', 'error', 'delete']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function isWrapped(v: unknown): v is AcumaticaValue {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 0 || keys.every((k) => k === 'value' || k === 'error');
}

/** Reads a value-wrapped field: `val(record.VendorID)` -> 'V100231'. Plain values pass through. */
export function val<T = unknown>(field: unknown): T | undefined {
  if (field === undefined || field === null) return undefined;
  if (isPlainObject(field)) return (field as AcumaticaValue<T>).value ?? undefined;
  return field as T;
}

/**
 * Turns plain values into Acumatica's shape: `{VendorID: 'V1', Details: [{Amount: 12.5}]}` ->
 * `{VendorID: {value: 'V1'}, Details: [{Amount: {value: 12.5}}]}`. Nested objects become linked entities,
 * arrays detail collections; `id`, `rowNumber`, `delete`, `custom`, `files` stay as they are; already wrapped
 * values are kept; undefined is dropped; Dates become ISO strings. Idempotent.
 */
export function wrap(obj: Record<string, unknown>): AcumaticaRecord {
  const out: AcumaticaRecord = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (SYSTEM_KEYS.has(k)) out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map((line) => (isPlainObject(line) ? wrap(line) : line));
    else if (isWrapped(v)) out[k] = v;
    else if (isPlainObject(v)) out[k] = wrap(v);
    else out[k] = { value: v instanceof Date ? v.toISOString() : v };
  }
  return out;
}

/** The inverse of wrap(): `{VendorID: {value: 'V1'}}` -> `{VendorID: 'V1'}` (drops _links, custom, files). */
export function unwrap(rec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (k === '_links' || k === 'custom' || k === 'files') continue;
    if (k === 'id' || k === 'rowNumber' || k === 'error') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map((l) => (isPlainObject(l) ? unwrap(l) : l));
    else if (isWrapped(v)) out[k] = v.value ?? null;
    else if (isPlainObject(v)) out[k] = unwrap(v);
    else out[k] = v;
  }
  return out;
}

/** Collects per-field errors of a 422 body: {'VendorID': '...', 'Details[0].Project': '...'}. */
export function collectFieldErrors(
  rec: unknown,
  prefix = '',
  out: Record<string, string> = {},
): Record<string, string> {
  if (!isPlainObject(rec)) return out;
  for (const [k, v] of Object.entries(rec)) {
    if (SYSTEM_KEYS.has(k) || k === 'note') continue;
    const p = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) {
      v.forEach((line, i) => {
        if (isPlainObject(line) && typeof line.error === 'string' && line.error) out[`${p}[${i}]`] = line.error;
        collectFieldErrors(line, `${p}[${i}]`, out);
      });
    } else if (isWrapped(v)) {
      if (typeof v.error === 'string' && v.error) out[p] = v.error;
    } else if (isPlainObject(v)) {
      collectFieldErrors(v, p, out);
    }
  }
  return out;
}

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
}

// ------------------------------------------------------------------------------------------------ client

export class AcumaticaClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly pollIntervalMs: number;
  private cookies = new Map<string, string>();
  /** Bumped on every successful sign-in; lets a 401 tell whether someone already signed in again. */
  private sessionGen = 0;
  private loginInFlight?: Promise<void>;
  private versionPromise?: Promise<string>;
  private readonly entityPresence = new Map<string, Promise<boolean>>();

  constructor(private readonly opts: AcumaticaClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
  }

  /** True while the client holds a session cookie. */
  get signedIn(): boolean {
    return this.cookies.has('ASP.NET_SessionId');
  }

  // -------------------------------------------------------------- version

  async getVersionInfo(): Promise<AcumaticaVersionInfo> {
    const res = await this.send({ method: 'GET', path: '/entity' });
    if (res.status !== 200) throw this.toError('GET', '/entity', res);
    const info = res.body as AcumaticaVersionInfo;
    return { version: info?.version ?? {}, endpoints: Array.isArray(info?.endpoints) ? info.endpoints : [] };
  }

  /** The Default endpoint version used for data calls (pinned, or the newest supported one offered). Cached. */
  negotiateVersion(): Promise<string> {
    if (this.opts.endpointVersion) return Promise.resolve(this.opts.endpointVersion);
    if (!this.versionPromise) {
      this.versionPromise = (async () => {
        const info = await this.getVersionInfo();
        const offered = info.endpoints.filter((e) => e.name === 'Default').map((e) => e.version);
        const pick = SUPPORTED_ENDPOINT_VERSIONS.find((v) => offered.includes(v));
        if (!pick) {
          const supported = SUPPORTED_ENDPOINT_VERSIONS.map((v) => `Default/${v} (${VERSION_RELEASES[v]})`).join(', ');
          throw new ValidationError(
            `The Acumatica instance (build ${info.version.acumaticaBuildVersion ?? 'unknown'}) offers no supported Default endpoint ` +
              `(offered: ${offered.length ? offered.join(', ') : 'none'}). Supported: ${supported}, i.e. Acumatica 2022 R1 or later.`,
            { system: 'acumatica', request: 'GET /entity' },
          );
        }
        return pick;
      })();
      this.versionPromise.catch(() => (this.versionPromise = undefined));
    }
    return this.versionPromise;
  }

  private async entityPath(entity: string, ...rest: string[]): Promise<string> {
    const v = await this.negotiateVersion();
    return [`/entity/Default/${v}/${encodeURIComponent(entity)}`, ...rest.map((s) => encodeURIComponent(s))].join('/');
  }

  // -------------------------------------------------------------- data

  async list(entity: string, opts: ListOptions = {}): Promise<AcumaticaRecord[]> {
    const path = await this.entityPath(entity);
    const body = await this.call<AcumaticaRecord[]>({ method: 'GET', path, query: queryString(opts) });
    return Array.isArray(body) ? body : [];
  }

  /** By keys (URL order) or by the record's `id` GUID. */
  async get(
    entity: string,
    keys: string[] | string,
    opts: { expand?: string[]; select?: string[] } = {},
  ): Promise<AcumaticaRecord> {
    const path = await this.entityPath(entity, ...(Array.isArray(keys) ? keys : [keys]));
    return this.call<AcumaticaRecord>({ method: 'GET', path, query: queryString(opts) });
  }

  /** Create or update. `body` may be plain (it is wrapped) or already value-wrapped. */
  async put(entity: string, body: Record<string, unknown>, opts: PutOptions = {}): Promise<AcumaticaRecord> {
    const path = await this.entityPath(entity);
    const headers: Record<string, string> = {};
    if (opts.mode === 'insert') headers['If-None-Match'] = '*';
    if (opts.mode === 'update') headers['If-Match'] = '*';
    if (opts.branch) headers['PX-CbApiBranch'] = opts.branch;
    return this.call<AcumaticaRecord>({
      method: 'PUT',
      path,
      query: queryString({ expand: opts.expand, select: opts.select }),
      body: wrap(body),
      headers,
    });
  }

  async delete(entity: string, keys: string[] | string): Promise<void> {
    const path = await this.entityPath(entity, ...(Array.isArray(keys) ? keys : [keys]));
    await this.call({ method: 'DELETE', path });
  }

  /** Invokes a contract action; on 202 polls the Location every pollIntervalMs until 204 (cancellable). */
  async invokeAction(entity: string, action: string, opts: ActionOptions): Promise<void> {
    const path = await this.entityPath(entity, action);
    const res = await this.callRaw({
      method: 'POST',
      path,
      body: { entity: wrap(opts.entity), parameters: wrap(opts.parameters ?? {}) },
      signal: opts.signal,
    });
    if (res.status !== 202) return;
    const location = res.headers.get('location');
    if (!location)
      throw new TransientUpstreamError(`Acumatica POST ${path} answered 202 without a Location header`, {
        system: 'acumatica',
        status: 202,
        request: `POST ${path}`,
      });
    const deadline = Date.now() + (opts.maxWaitMs ?? 10 * 60_000);
    for (;;) {
      await sleep(this.pollIntervalMs, opts.signal);
      const poll = await this.callRaw({ method: 'GET', path: location, signal: opts.signal });
      if (poll.status !== 202) return;
      if (Date.now() > deadline)
        throw new TransientUpstreamError(
          `Acumatica action ${entity}/${action} still running after ${opts.maxWaitMs ?? 600_000} ms`,
          {
            system: 'acumatica',
            request: `POST ${path}`,
          },
        );
    }
  }

  /** Whether the negotiated endpoint has `entity` (a GET ?$top=1 probe; 404 means absent). Cached. */
  hasEntity(entity: string): Promise<boolean> {
    let p = this.entityPresence.get(entity);
    if (!p) {
      p = this.list(entity, { top: 1 }).then(
        () => true,
        (err: ConnectorError) => {
          if (err?.details?.status === 404) return false;
          this.entityPresence.delete(entity);
          throw err;
        },
      );
      this.entityPresence.set(entity, p);
    }
    return p;
  }

  // -------------------------------------------------------------- session

  private ensureSession(): Promise<void> {
    if (this.signedIn) return Promise.resolve();
    return this.login();
  }

  /** One sign-in in flight: concurrent callers await the same promise. */
  private login(): Promise<void> {
    if (!this.loginInFlight) {
      this.loginInFlight = this.doLogin().finally(() => {
        this.loginInFlight = undefined;
      });
    }
    return this.loginInFlight;
  }

  private async doLogin(): Promise<void> {
    const path = '/entity/auth/login';
    const body: Record<string, string> = {
      name: this.opts.username,
      password: this.opts.password,
      tenant: this.opts.tenant,
    };
    if (this.opts.branch) body.branch = this.opts.branch;
    this.cookies.clear();
    const res = await this.send({ method: 'POST', path, body });
    if (res.status === 204 || res.status === 200) {
      if (!this.signedIn)
        throw new AuthError('Acumatica sign-in returned no session cookie', {
          system: 'acumatica',
          status: res.status,
          request: `POST ${path}`,
        });
      this.sessionGen++;
      return;
    }
    this.cookies.clear();
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

  /** Signs out (always, idempotent); the next call signs in again. */
  async close(): Promise<void> {
    if (this.loginInFlight) await this.loginInFlight.catch(() => undefined);
    if (!this.signedIn) return;
    const cookieHeader = this.cookieHeader();
    this.cookies.clear();
    try {
      await this.send({ method: 'POST', path: '/entity/auth/logout' }, cookieHeader);
    } catch {
      // The session times out on its own; nothing else to do.
    }
  }

  // -------------------------------------------------------------- transport

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private storeCookies(headers: Headers): void {
    const list = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
    for (const c of list) {
      const first = c.split(';')[0];
      const i = first.indexOf('=');
      if (i <= 0) continue;
      const name = first.slice(0, i).trim();
      const value = first.slice(i + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c);
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** One HTTP exchange; network problems and timeouts become TransientUpstreamError. */
  private async send(spec: RequestSpec, cookieOverride?: string): Promise<RawResponse> {
    const url = /^https?:\/\//.test(spec.path) ? spec.path : this.resolve(spec.path);
    const full = spec.query ? `${url}?${spec.query}` : url;
    const pathForMessages = new URL(url).pathname;
    const headers: Record<string, string> = { Accept: 'application/json', ...spec.headers };
    const cookie = cookieOverride ?? this.cookieHeader();
    if (cookie) headers.Cookie = cookie;
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    let res: globalThis.Response;
    try {
      res = await fetch(full, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
      });
    } catch (err) {
      if (spec.signal?.aborted) throw spec.signal.reason ?? err;
      const e = err as Error & { cause?: { code?: string } };
      const why = timeout.aborted
        ? `timed out after ${this.timeoutMs} ms`
        : `network error (${e.cause?.code ?? e.name})`;
      throw new TransientUpstreamError(`Acumatica ${spec.method} ${pathForMessages} failed: ${why}`, {
        system: 'acumatica',
        request: `${spec.method} ${pathForMessages}`,
      });
    }
    this.storeCookies(res.headers);
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      if (spec.signal?.aborted) throw spec.signal.reason ?? err;
      throw new TransientUpstreamError(
        `Acumatica ${spec.method} ${pathForMessages} failed: the connection dropped while reading the answer`,
        {
          system: 'acumatica',
          status: res.status,
          request: `${spec.method} ${pathForMessages}`,
        },
      );
    }
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

  /** Authenticated exchange with one sign-in-and-retry on 401; non-2xx becomes a ConnectorError. */
  private async callRaw(spec: RequestSpec): Promise<RawResponse> {
    await this.ensureSession();
    const gen = this.sessionGen;
    let res = await this.send(spec);
    if (res.status === 401) {
      if (this.sessionGen === gen) {
        this.cookies.clear();
        await this.login();
      } else {
        await this.ensureSession();
      }
      res = await this.send(spec);
    }
    if (res.status >= 200 && res.status < 300) return res;
    throw this.toError(spec.method, spec.path, res);
  }

  private async call<T = unknown>(spec: RequestSpec): Promise<T> {
    const res = await this.callRaw(spec);
    return res.body as T;
  }

  private toError(method: string, path: string, res: RawResponse): ConnectorError {
    const p = /^https?:\/\//.test(path) ? new URL(path).pathname : path;
    const request = `${method} ${p}`;
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
    if (res.status === 401)
      return new AuthError(`Acumatica ${request} failed: not signed in after a fresh sign-in (${text})`, {
        system: 'acumatica',
        status: 401,
        request,
      });
    return errorForStatus(
      res.status,
      `Acumatica ${request} failed (HTTP ${res.status}): ${text}`,
      { system: 'acumatica', status: res.status, request },
      retryAfterMs(res.headers) ?? 1000,
    );
  }
}

function retryAfterMs(headers: Headers): number | undefined {
  const h = headers.get('retry-after');
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(h);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}

function queryString(o: {
  filter?: string;
  select?: string[];
  expand?: string[];
  top?: number;
  skip?: number;
}): string {
  const parts: string[] = [];
  if (o.filter) parts.push(`$filter=${encodeURIComponent(o.filter)}`);
  if (o.select?.length) parts.push(`$select=${encodeURIComponent(o.select.join(','))}`);
  if (o.expand?.length) parts.push(`$expand=${encodeURIComponent(o.expand.join(','))}`);
  if (o.top !== undefined) parts.push(`$top=${o.top}`);
  if (o.skip !== undefined) parts.push(`$skip=${o.skip}`);
  return parts.join('&');
}
