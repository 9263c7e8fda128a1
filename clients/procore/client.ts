/**
 * Procore REST client for the connector: DMSA client-credentials auth, company-scoped calls, pagination,
 * lossless JSON (ids above 2^53 survive; all ids are decimal strings here, money stays decimal strings) and
 * error classification into lib/errors.ts kinds so Temporal retry policies can act on them.
 *
 * Error messages name the method and path only: no query string, token or client secret ever.
 */
import { LosslessNumber, parse, stringify } from 'lossless-json';
import type { z } from 'zod';
import {
  AuthError,
  TransientUpstreamError,
  ValidationError,
  errorForStatus,
  type ConnectorError,
} from '../../lib/errors';
import {
  commitmentLineItemSchema,
  deliverySchema,
  erpRequestDetailSchema,
  erpRequestSchema,
  hookSchema,
  plainJson,
  projectSchema,
  syncResultSchema,
  tokenSchema,
  triggerSchema,
  vendorSchema,
  workOrderContractSchema,
  type CommitmentLineItem,
  type Delivery,
  type ErpRequest,
  type ErpRequestDetail,
  type Hook,
  type Project,
  type SyncResult,
  type Trigger,
  type Vendor,
  type WorkOrderContract,
} from './schemas';

export type {
  CommitmentLineItem,
  Delivery,
  ErpRequest,
  ErpRequestDetail,
  Hook,
  Project,
  SyncResult,
  Trigger,
  Vendor,
  WorkOrderContract,
} from './schemas';

export interface ProcoreClientOptions {
  /** API host, e.g. https://api.procore.com (no trailing /rest). */
  baseUrl: string;
  /** OAuth host, e.g. https://login.procore.com. Defaults to baseUrl. */
  authUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Per-request timeout. Default 30 000 ms. */
  timeoutMs?: number;
  /** Page size for list calls. Default 100. */
  perPage?: number;
  /** Clock for token expiry (tests). Default Date.now. */
  now?: () => number;
}

export interface ExternalDataUpdate {
  item_type: string;
  item_id: string;
  origin_id: string;
  origin_data?: string;
}

export interface HookInput {
  namespace: string;
  destinationUrl: string;
  destinationHeaders: Record<string, string>;
  /** Webhook payload version: "v2" (default in Procore's docs), "v3" or "v4". */
  apiVersion: string;
}

type Query = Record<string, string | number | undefined>;

interface CallOptions<S extends z.ZodTypeAny> {
  companyId: string;
  schema: S;
  query?: Query;
  body?: unknown;
}

/** Refresh this long before the token's stated expiry, so a call never starts with a dying token. */
const TOKEN_REFRESH_MARGIN_MS = 60_000;
const MAX_MESSAGE_CHARS = 500;

export class ProcoreClient {
  private readonly baseUrl: string;
  private readonly authUrl: string;
  private readonly timeoutMs: number;
  private readonly perPage: number;
  private readonly now: () => number;
  private token: { value: string; expiresAt: number } | undefined;
  /** Shared by concurrent callers so a cold start makes one token request, not N. */
  private tokenRequest: Promise<string> | undefined;

  constructor(private readonly opts: ProcoreClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.authUrl = (opts.authUrl ?? opts.baseUrl).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.perPage = opts.perPage ?? 100;
    this.now = opts.now ?? Date.now;
  }

  // --- ERP platform --------------------------------------------------------------------------------------

  async getErpRequest(companyId: string, requestId: string): Promise<ErpRequest> {
    const c = id('companyId', companyId);
    return this.get(`/rest/v1.0/companies/${c}/erp_requests/${id('requestId', requestId)}`, c, erpRequestSchema);
  }

  async getErpRequestDetail(companyId: string, detailId: string): Promise<ErpRequestDetail> {
    const c = id('companyId', companyId);
    return this.get(
      `/rest/v1.0/companies/${c}/erp_request_details/${id('detailId', detailId)}`,
      c,
      erpRequestDetailSchema,
    );
  }

  async closeRequestDetail(
    companyId: string,
    detailId: string,
    close: { status: 'success' | 'failed'; messages: string[] },
  ): Promise<ErpRequestDetail> {
    const c = id('companyId', companyId);
    const { data } = await this.call(
      'PATCH',
      `/rest/v1.0/companies/${c}/erp_request_details/${id('detailId', detailId)}`,
      {
        companyId: c,
        schema: erpRequestDetailSchema,
        body: { request_detail: { status: close.status, messages: close.messages } },
      },
    );
    return data;
  }

  /** Marks Procore records as synced (writes origin_id). Always 200: per-item failures come back in `errors`. */
  async syncExternalData(companyId: string, updates: ExternalDataUpdate[]): Promise<SyncResult> {
    const c = id('companyId', companyId);
    const body = {
      updates: updates.map((u) => ({
        item_type: u.item_type,
        item_id: jsonId('item_id', u.item_id),
        origin_id: u.origin_id,
        ...(u.origin_data === undefined ? {} : { origin_data: u.origin_data }),
      })),
    };
    const { data } = await this.call('PATCH', `/rest/v1.0/companies/${c}/external_data/sync`, {
      companyId: c,
      schema: syncResultSchema,
      body,
    });
    return data;
  }

  // --- Commitments, vendors, projects ---------------------------------------------------------------------

  async getWorkOrderContract(companyId: string, projectId: string, contractId: string): Promise<WorkOrderContract> {
    const c = id('companyId', companyId);
    return this.get(`/rest/v1.0/work_order_contracts/${id('contractId', contractId)}`, c, workOrderContractSchema, {
      project_id: id('projectId', projectId),
    });
  }

  /** Every schedule-of-values line, all pages. */
  async listWorkOrderContractLineItems(
    companyId: string,
    projectId: string,
    contractId: string,
  ): Promise<CommitmentLineItem[]> {
    const c = id('companyId', companyId);
    const path = `/rest/v1.0/work_order_contracts/${id('contractId', contractId)}/line_items`;
    const all: CommitmentLineItem[] = [];
    for await (const page of this.pages(path, c, commitmentLineItemSchema, {
      project_id: id('projectId', projectId),
    })) {
      all.push(...page);
    }
    return all;
  }

  async getVendor(companyId: string, vendorId: string): Promise<Vendor> {
    const c = id('companyId', companyId);
    return this.get(`/rest/v1.0/vendors/${id('vendorId', vendorId)}`, c, vendorSchema, { company_id: c });
  }

  /** The company's vendors one page at a time; the next page is fetched only when asked for. */
  listVendors(companyId: string): AsyncGenerator<Vendor[], void, undefined> {
    const c = id('companyId', companyId);
    return this.pages('/rest/v1.0/vendors', c, vendorSchema, { company_id: c });
  }

  async getProject(companyId: string, projectId: string): Promise<Project> {
    const c = id('companyId', companyId);
    return this.get(`/rest/v1.0/projects/${id('projectId', projectId)}`, c, projectSchema, { company_id: c });
  }

  // --- Webhooks API ---------------------------------------------------------------------------------------

  async listHooks(companyId: string, namespace: string): Promise<Hook[]> {
    const c = id('companyId', companyId);
    return this.get('/rest/v1.0/webhooks/hooks', c, hookSchema.array(), { company_id: c, namespace });
  }

  async createHook(companyId: string, hook: HookInput): Promise<Hook> {
    const c = id('companyId', companyId);
    const { data } = await this.call('POST', '/rest/v1.0/webhooks/hooks', {
      companyId: c,
      schema: hookSchema,
      body: {
        company_id: jsonId('companyId', c),
        hook: {
          api_version: hook.apiVersion,
          namespace: hook.namespace,
          destination_url: hook.destinationUrl,
          destination_headers: hook.destinationHeaders,
        },
      },
    });
    return data;
  }

  async updateHook(companyId: string, hookId: string, changes: Partial<HookInput>): Promise<Hook> {
    const c = id('companyId', companyId);
    const hook: Record<string, unknown> = {};
    if (changes.apiVersion !== undefined) hook.api_version = changes.apiVersion;
    if (changes.namespace !== undefined) hook.namespace = changes.namespace;
    if (changes.destinationUrl !== undefined) hook.destination_url = changes.destinationUrl;
    if (changes.destinationHeaders !== undefined) hook.destination_headers = changes.destinationHeaders;
    const { data } = await this.call('PATCH', `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}`, {
      companyId: c,
      schema: hookSchema,
      body: { company_id: jsonId('companyId', c), hook },
    });
    return data;
  }

  async deleteHook(companyId: string, hookId: string): Promise<void> {
    const c = id('companyId', companyId);
    await this.call('DELETE', `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}`, {
      companyId: c,
      schema: noContent,
      query: { company_id: c },
    });
  }

  async listTriggers(companyId: string, hookId: string): Promise<Trigger[]> {
    const c = id('companyId', companyId);
    return this.get(`/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}/triggers`, c, triggerSchema.array(), {
      company_id: c,
    });
  }

  async createTrigger(
    companyId: string,
    hookId: string,
    trigger: { resourceName: string; eventType: 'create' | 'update' | 'delete'; apiVersion?: string },
  ): Promise<Trigger> {
    const c = id('companyId', companyId);
    const { data } = await this.call('POST', `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}/triggers`, {
      companyId: c,
      schema: triggerSchema,
      body: {
        company_id: jsonId('companyId', c),
        ...(trigger.apiVersion ? { api_version: trigger.apiVersion } : {}),
        trigger: { resource_name: trigger.resourceName, event_type: trigger.eventType },
      },
    });
    return data;
  }

  async deleteTrigger(companyId: string, hookId: string, triggerId: string): Promise<void> {
    const c = id('companyId', companyId);
    await this.call(
      'DELETE',
      `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}/triggers/${id('triggerId', triggerId)}`,
      {
        companyId: c,
        schema: noContent,
        query: { company_id: c },
      },
    );
  }

  /** The first page (newest first) of a hook's delivery attempts. */
  async listDeliveries(companyId: string, hookId: string): Promise<Delivery[]> {
    const c = id('companyId', companyId);
    return this.get(`/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}/deliveries`, c, deliverySchema.array(), {
      company_id: c,
    });
  }

  // --- plumbing -------------------------------------------------------------------------------------------

  private async get<S extends z.ZodTypeAny>(
    path: string,
    companyId: string,
    schema: S,
    query?: Query,
  ): Promise<z.output<S>> {
    const { data } = await this.call('GET', path, { companyId, schema, query });
    return data;
  }

  /** Follows `Link: rel="next"` until it is gone, yielding each page's parsed items. */
  private async *pages<S extends z.ZodTypeAny>(
    path: string,
    companyId: string,
    item: S,
    query: Query,
  ): AsyncGenerator<Array<z.output<S>>, void, undefined> {
    let page: number | undefined = 1;
    while (page !== undefined) {
      const { data, headers } = await this.call('GET', path, {
        companyId,
        schema: item.array(),
        query: { ...query, page, per_page: this.perPage },
      });
      yield data as Array<z.output<S>>;
      page = nextPage(headers.get('link'));
    }
  }

  private async call<S extends z.ZodTypeAny>(
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
      res = await this.send(request, url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          'Procore-Company-Id': opts.companyId,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body,
      });
      // One retry on 401 with a fresh token: the cached one may have been revoked or expired early.
      if (res.status !== 401 || attempt === 2) break;
      if (this.token?.value === token) this.token = undefined;
    }
    if (!res) throw new TransientUpstreamError(`Procore ${request}: no response`, { system: 'procore', request });
    if (res.status < 200 || res.status >= 300) throw this.httpError(request, res);
    const raw = res.status === 204 || res.text.trim() === '' ? null : this.parseJson(request, res.text);
    return { data: validate(request, opts.schema, raw), headers: res.headers };
  }

  private async send(
    request: string,
    url: URL,
    init: RequestInit,
  ): Promise<{ status: number; headers: Headers; text: string }> {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      return { status: res.status, headers: res.headers, text: await res.text() };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
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
    const message = `Procore ${request} -> HTTP ${res.status}: ${procoreMessage(res.text)}`;
    return errorForStatus(
      res.status,
      message,
      { system: 'procore', status: res.status, request },
      retryAfterMs(res.headers, this.now()),
    );
  }

  /** A valid access token, requesting one when missing or within a minute of expiry. */
  private async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.expiresAt - TOKEN_REFRESH_MARGIN_MS) return this.token.value;
    this.tokenRequest ??= this.requestToken().finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  private async requestToken(): Promise<string> {
    const request = 'POST /oauth/token';
    const res = await this.send(request, new URL(`${this.authUrl}/oauth/token`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.opts.clientId,
        client_secret: this.opts.clientSecret,
      }).toString(),
    });
    if (res.status === 400 || res.status === 401) {
      throw new AuthError(`Procore ${request} -> HTTP ${res.status}: ${procoreMessage(res.text)}`, {
        system: 'procore',
        status: res.status,
        request,
      });
    }
    if (res.status < 200 || res.status >= 300) throw this.httpError(request, res);
    const token = validate(request, tokenSchema, this.parseJson(request, res.text));
    this.token = { value: token.access_token, expiresAt: this.now() + token.expires_in * 1000 };
    return token.access_token;
  }
}

const noContent = {
  parse: (v: unknown) => v,
  safeParse: (v: unknown) => ({ success: true, data: v }),
} as unknown as z.ZodType<unknown>;

/** Ids go into paths and bodies, so they must be plain decimal strings (this also blocks path injection). */
function id(name: string, value: string): string {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new ValidationError(`${name} must be a decimal id string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** An id as a JSON number in a request body, exact at any size. */
function jsonId(name: string, value: string): LosslessNumber {
  return new LosslessNumber(id(name, value));
}

function validate<S extends z.ZodTypeAny>(request: string, schema: S, raw: unknown): z.output<S> {
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

/** Retry-After (seconds or HTTP date) wins; else X-Rate-Limit-Reset (Unix seconds); else 1 s. */
function retryAfterMs(headers: Headers, now: number): number {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
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
