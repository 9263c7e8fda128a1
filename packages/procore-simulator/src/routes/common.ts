/**
 * Plumbing shared by the resource routers: digest-shaped replies, company/project scoping, the list filters
 * Procore's financial endpoints share, field assignment from request bodies, origin_id locking, and the
 * `/sync` batch upsert (procore-api.md §3 "Sync (batch upsert) actions").
 */
import type { Request, Response } from 'express';
import Decimal from 'decimal.js';
import { authOf } from '../auth';
import { conform, returnType } from '../digest';
import type { SimulatedEndpoint } from '../digest/endpoints';
import { asId, idNum, sendError, sendJson } from '../json';
import { paginate } from '../pagination';
import type { LineFields, OriginFields, ProcoreStore, Project } from '../store';

export const NOT_FOUND = 'Not Found';
export const MAX_SYNC_UPDATES = 1000;

/** Answers with the endpoint's digest model (missing documented fields become null). */
export function reply(res: Response, endpoint: SimulatedEndpoint, status: number, body: unknown): void {
  sendJson(res, status, conform(returnType(endpoint), body));
}

/** Answers one page of `records` (`page`, `per_page`), each rendered, shaped like the endpoint's digest model. */
export function replyPage<T>(
  req: Request,
  res: Response,
  endpoint: SimulatedEndpoint,
  records: T[],
  render: (record: T) => unknown,
): void {
  reply(
    res,
    endpoint,
    200,
    paginate(req, res, records).map((r) => render(r)),
  );
}

/** `company_id` (query or body) must be the header's company; answers the error itself when it is not. */
export function companyScope(req: Request, res: Response, opts: { required?: boolean } = {}): string | undefined {
  const raw = req.query.company_id ?? bodyOf(req).company_id;
  const companyId = asId(raw);
  const own = authOf(res).companyId;
  if (!companyId) {
    if (opts.required === false && raw === undefined) return own;
    sendError(res, 400, 'company_id is missing');
    return undefined;
  }
  if (companyId !== own) {
    sendError(res, 404, NOT_FOUND);
    return undefined;
  }
  return companyId;
}

/** The project from `:project_id` / `:projectId`, `project_id` in the query or the body, in the header's company. */
export function projectScope(store: ProcoreStore, req: Request, res: Response): Project | undefined {
  const raw = req.params.project_id ?? req.query.project_id ?? bodyOf(req).project_id;
  const projectId = asId(raw);
  if (!projectId) {
    sendError(res, 400, 'project_id is missing');
    return undefined;
  }
  const project = store.project(authOf(res).companyId, projectId);
  if (!project) sendError(res, 404, NOT_FOUND);
  return project;
}

/** The record `req.params[param]` names among `records`; undefined after answering 404. */
export function findRecord<T extends { id: string }>(
  req: Request,
  res: Response,
  records: T[],
  param = 'id',
): T | undefined {
  const found = records.find((r) => r.id === asId(req.params[param]));
  if (!found) sendError(res, 404, NOT_FOUND);
  return found;
}

/** The record `req.params[param]` names among the request's project's records; undefined after answering. */
export function projectRecord<T extends { id: string }>(
  store: ProcoreStore,
  req: Request,
  res: Response,
  recordsOf: (project: Project) => T[],
  param = 'id',
): T | undefined {
  const project = projectScope(store, req, res);
  if (!project) return undefined;
  return findRecord(req, res, recordsOf(project), param);
}

export function bodyOf(req: Request): Record<string, unknown> {
  const body = req.body as unknown;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** Procore wraps PATCH/POST bodies in the resource name (`{vendor: {...}}`); bare bodies are accepted too. */
export function resourceBody(req: Request, key: string): Record<string, unknown> {
  const body = bodyOf(req);
  const inner = body[key];
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : body;
}

export function filtersOf(req: Request): Record<string, unknown> {
  const f = req.query.filters;
  return f && typeof f === 'object' ? (f as Record<string, unknown>) : {};
}

type Filterable = {
  id: string;
  origin_id?: string | null;
  updated_at?: string;
  created_at?: string;
  deleted_at?: string | null;
  status?: string | null;
};

/**
 * `filters[id]`, `filters[origin_id]`, `filters[updated_at]` / `filters[created_at]` ranges
 * ("2024-01-01...2024-02-01" or ISO datetimes; a single value means that day), `filters[status]` and
 * `filters[include_deleted]` (absent: live records only; `with`: all; `only`: deleted only).
 */
export function applyFilters<T extends Filterable>(req: Request, items: T[]): T[] {
  const filters = filtersOf(req);
  let out = items;
  if (filters.id !== undefined) {
    const ids = new Set((Array.isArray(filters.id) ? filters.id : String(filters.id).split(',')).map((v) => asId(v)));
    out = out.filter((i) => ids.has(i.id));
  }
  if (typeof filters.origin_id === 'string') {
    const wanted = new Set(filters.origin_id.split(','));
    out = out.filter((i) => i.origin_id != null && wanted.has(i.origin_id));
  }
  for (const key of ['updated_at', 'created_at'] as const) {
    const range = parseRange(filters[key]);
    if (range) out = out.filter((i) => i[key] !== undefined && i[key]! >= range.from && i[key]! <= range.to);
  }
  if (typeof filters.status === 'string') out = out.filter((i) => i.status === filters.status);
  const includeDeleted = filters.include_deleted;
  if (out.some((i) => i.deleted_at !== undefined)) {
    out = out.filter((i) =>
      includeDeleted === 'with' || includeDeleted === 'true'
        ? true
        : includeDeleted === 'only'
          ? i.deleted_at != null
          : i.deleted_at == null,
    );
  }
  return out;
}

/** "a...b" -> ISO bounds (inclusive, date-only bounds cover the whole day). */
function parseRange(raw: unknown): { from: string; to: string } | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const [a, b] = raw.includes('...') ? raw.split('...') : [raw, raw];
  const iso = (v: string, end: boolean) => {
    const s = v.trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
    const t = Date.parse(s);
    return Number.isNaN(t) ? (end ? '9999' : '0000') : new Date(t).toISOString();
  };
  return { from: iso(a, false), to: iso(b, true) };
}

// --- body fields -----------------------------------------------------------------------------------------

export type FieldKind = 'string' | 'decimal' | 'id' | 'bool' | 'date' | 'int';
export type FieldErrors = Record<string, string[]>;
type Timestamps = { created_at: string; updated_at: string };

/**
 * Copies the fields named in `spec` from a request body onto `record`, validating their kind. Bodies are
 * parsed losslessly, so numbers arrive as their exact text. Returns per-field errors, or undefined.
 */
export function assignFields(
  record: object,
  body: Record<string, unknown>,
  spec: Record<string, FieldKind>,
): FieldErrors | undefined {
  const errors: FieldErrors = {};
  const updates: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(spec)) {
    if (!(field in body)) continue;
    const v = body[field];
    const parsed = parseField(kind, v);
    if (parsed === INVALID) errors[field] = [`is not a valid ${kind}`];
    else updates[field] = parsed;
  }
  if (Object.keys(errors).length) return errors;
  Object.assign(record, updates);
  return undefined;
}

const INVALID = Symbol('invalid');

function parseField(kind: FieldKind, v: unknown): unknown {
  if (v === null) return null;
  const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? v : (text ?? INVALID);
    case 'bool':
      return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : INVALID;
    case 'id':
      return asId(text) ?? INVALID;
    case 'int':
      return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : INVALID;
    case 'decimal':
      return text !== undefined && /^-?\d+(\.\d+)?$/.test(text) ? text : INVALID;
    case 'date':
      return text !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : INVALID;
  }
}

/** Fields an integration may always write, even on a locked record. */
const ORIGIN_KEYS = ['origin_id', 'origin_code', 'origin_data'];

/** The origin fields, as a field spec for the endpoints that take them in the body. */
export const ORIGIN_FIELDS: Record<string, FieldKind> = {
  origin_id: 'string',
  origin_code: 'string',
  origin_data: 'string',
};

/**
 * Records synced to an ERP (origin_id set) are locked: a change to anything but the origin fields is refused
 * with 422, as Procore does for financial records (procore-api.md §5.7).
 */
export function lockedEditError(record: OriginFields, body: Record<string, unknown>): string | undefined {
  if (record.origin_id === null) return undefined;
  const touched = Object.keys(body).filter(
    (k) => !ORIGIN_KEYS.includes(k) && !['id', 'project_id', 'company_id'].includes(k),
  );
  if (touched.length === 0) return undefined;
  return `This record is synced with your ERP (origin_id ${record.origin_id}) and cannot be edited: ${touched.join(', ')}`;
}

export interface Edit {
  /** The resource name PATCH bodies are wrapped in (`{vendor: {...}}`). */
  key: string;
  fields: Record<string, FieldKind>;
  /** Names the record in the 422 answer to an invalid field: `Invalid <label>`. */
  label: string;
  now: () => string;
}

/**
 * A PATCH of one record: refused with 422 when the record is locked (lockedEditError) or a field is invalid;
 * else the fields are written and `updated_at` moves. False when it answered the refusal itself.
 */
export function editRecord(
  req: Request,
  res: Response,
  record: OriginFields & { updated_at: string },
  edit: Edit,
): boolean {
  const body = resourceBody(req, edit.key);
  const locked = lockedEditError(record, body);
  if (locked) {
    sendError(res, 422, locked);
    return false;
  }
  const errors = assignFields(record, body, edit.fields);
  if (errors) {
    sendError(res, 422, `Invalid ${edit.label}`, { details: errors });
    return false;
  }
  record.updated_at = edit.now();
  return true;
}

// --- lines -------------------------------------------------------------------------------------------------

/** The fields of a commitment or direct cost line a request may write. */
export const LINE_FIELDS: Record<string, FieldKind> = {
  description: 'string',
  amount: 'decimal',
  quantity: 'decimal',
  unit_cost: 'decimal',
  uom: 'string',
  cost_code_id: 'id',
  line_item_type_id: 'id',
};

/** A new line's cost code and cost type must exist. */
export function lineRefErrors(store: ProcoreStore, l: LineFields): FieldErrors | undefined {
  const errors: FieldErrors = {};
  if (l.cost_code_id && !store.costCode(l.cost_code_id)) errors.cost_code_id = ['does not exist'];
  if (l.line_item_type_id && !store.lineItemType(l.line_item_type_id)) errors.line_item_type_id = ['does not exist'];
  return Object.keys(errors).length ? errors : undefined;
}

/** A new record's id, with the company and project it is created in. */
export function newInProject(
  store: ProcoreStore,
  project: Project,
): { id: string; company_id: string; project_id: string } {
  return { id: store.newId(), company_id: project.company_id, project_id: project.id };
}

/** A new record's origin fields (not synced to an ERP yet) and timestamps. */
export function freshRecord(now: string): OriginFields & Timestamps {
  return { origin_id: null, origin_code: null, origin_data: null, created_at: now, updated_at: now };
}

/** A new line's fields before its update is written: no cost code or type, one unit at 0.00. */
export function blankLine(position: number, now: string): LineFields & OriginFields & Timestamps {
  return {
    cost_code_id: null,
    line_item_type_id: null,
    description: null,
    amount: '0.00',
    quantity: '1.0',
    unit_cost: '0.00',
    uom: null,
    position,
    ...freshRecord(now),
  };
}

/** Writes a line's fields; without an `amount`, a new quantity or unit cost sets it (quantity x unit cost). */
export function fillLine(
  line: LineFields,
  u: Record<string, unknown>,
  fields: Record<string, FieldKind> = LINE_FIELDS,
): FieldErrors | undefined {
  const errors = assignFields(line, u, fields);
  if (errors) return errors;
  if (!('amount' in u) && ('quantity' in u || 'unit_cost' in u)) {
    line.amount = new Decimal(line.quantity).times(line.unit_cost).toFixed(2);
  }
  return undefined;
}

/**
 * A PATCH of one line (body `{line_item: {...}}`): refused with 422 when the line is synced (lockedEditError), a
 * field is invalid or a cost code / cost type does not exist; else written (a new quantity or unit cost prices
 * it). False when it answered the refusal itself.
 */
export function editLine(
  req: Request,
  res: Response,
  store: ProcoreStore,
  line: LineFields & OriginFields & { updated_at: string },
  now: string,
): boolean {
  const body = resourceBody(req, 'line_item');
  const locked = lockedEditError(line, body);
  if (locked) {
    sendError(res, 422, locked);
    return false;
  }
  const next = { ...line };
  const errors = fillLine(next, body) ?? lineRefErrors(store, next);
  if (errors) {
    sendJson(res, 422, { errors });
    return false;
  }
  Object.assign(line, next, { updated_at: now });
  return true;
}

// --- sync ----------------------------------------------------------------------------------------------

export interface SyncConfig<T extends OriginFields & { id: string }> {
  /** Records the updates may match (the endpoint's scope). */
  records: () => T[];
  /** The company's records of this type (the scope and beyond): an origin_id is unique among them. */
  originScope: () => Array<OriginFields & { id: string }>;
  /** A new record from an unmatched origin_id update (without pushing it), or field errors. */
  create: (update: Record<string, unknown>) => T | FieldErrors;
  /** Applies an update's fields (not the origin fields) to a matched record. */
  update: (record: T, update: Record<string, unknown>) => FieldErrors | undefined;
  /** Stores a record `create` made (origin fields already set). */
  insert: (record: T, update: Record<string, unknown>) => void;
  render: (record: T) => unknown;
  now: () => string;
}

/**
 * Runs a sync action. Matching (procore-api.md §3): by `id` (an error when it is not in scope); else by
 * `origin_id` (update when found, create when not); sending both is the only way to change an origin_id.
 * origin_id is unique per company. Always 200 with `{entities, errors}`; each error echoes its update.
 */
export function runSync<T extends OriginFields & { id: string }>(
  res: Response,
  endpoint: SimulatedEndpoint,
  rawUpdates: unknown,
  cfg: SyncConfig<T>,
): void {
  if (!Array.isArray(rawUpdates)) return sendError(res, 400, 'updates must be an array');
  if (rawUpdates.length > MAX_SYNC_UPDATES) {
    return sendError(res, 422, `A sync request may contain at most ${MAX_SYNC_UPDATES} updates`);
  }
  const entities: unknown[] = [];
  const errors: unknown[] = [];
  const index = new SyncIndex(cfg);
  for (const raw of rawUpdates) {
    const u = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const result = syncOne(u, cfg, index);
    if ('errors' in result) errors.push({ ...echo(u), errors: result.errors });
    else entities.push(cfg.render(result.record));
  }
  reply(res, endpoint, 200, { entities, errors });
}

/**
 * The records one sync request matches against, indexed once per request (by id, by origin_id, and who holds
 * each origin_id in the company), so a 1,000-update request against a large company stays linear.
 */
class SyncIndex<T extends OriginFields & { id: string }> {
  private readonly byId = new Map<string, T>();
  private readonly byOrigin = new Map<string, T>();
  private readonly holders = new Map<string, Set<string>>();

  constructor(cfg: SyncConfig<T>) {
    for (const r of cfg.records()) {
      this.byId.set(r.id, r);
      if (r.origin_id && !this.byOrigin.has(r.origin_id)) this.byOrigin.set(r.origin_id, r);
    }
    for (const r of cfg.originScope()) if (r.origin_id) this.hold(r.origin_id, r.id);
  }

  find(id: string | undefined, originId: string | undefined): T | undefined {
    return id ? this.byId.get(id) : originId ? this.byOrigin.get(originId) : undefined;
  }

  /** Whether another record of the company holds `originId`. */
  taken(originId: string, exceptId: string | undefined): boolean {
    return [...(this.holders.get(originId) ?? [])].some((id) => id !== exceptId);
  }

  /** After a record was created or its origin_id changed. */
  track(record: T, previousOrigin: string | null): void {
    this.byId.set(record.id, record);
    if (previousOrigin && previousOrigin !== record.origin_id) {
      this.holders.get(previousOrigin)?.delete(record.id);
      if (this.byOrigin.get(previousOrigin) === record) this.byOrigin.delete(previousOrigin);
    }
    if (record.origin_id) {
      this.hold(record.origin_id, record.id);
      if (!this.byOrigin.has(record.origin_id)) this.byOrigin.set(record.origin_id, record);
    }
  }

  private hold(originId: string, id: string): void {
    let ids = this.holders.get(originId);
    if (!ids) this.holders.set(originId, (ids = new Set()));
    ids.add(id);
  }
}

/**
 * Runs a create (POST `{<resource>: {...}}`) under the rules of a sync's create: the same field validation, and
 * origin_id unique per company. 201 with the record; else 422 `{errors: {field: [messages]}}` naming each
 * problem, as Procore's create routes answer.
 */
export function runCreate<T extends OriginFields & { id: string }>(
  res: Response,
  endpoint: SimulatedEndpoint,
  body: Record<string, unknown>,
  cfg: Pick<SyncConfig<T>, 'originScope' | 'create' | 'insert' | 'render'>,
): void {
  const originId = typeof body.origin_id === 'string' && body.origin_id !== '' ? body.origin_id : undefined;
  if (originId && cfg.originScope().some((r) => r.origin_id === originId)) {
    return sendJson(res, 422, { errors: { origin_id: ['has already been taken'] } });
  }
  const created = cfg.create(body);
  if (!('id' in created && typeof created.id === 'string')) return sendJson(res, 422, { errors: created });
  const record = created as T;
  setOrigin(record, body);
  cfg.insert(record, body);
  reply(res, endpoint, 201, cfg.render(record));
}

function syncOne<T extends OriginFields & { id: string }>(
  u: Record<string, unknown>,
  cfg: SyncConfig<T>,
  index: SyncIndex<T>,
): { record: T } | { errors: FieldErrors } {
  const id = u.id === undefined || u.id === null ? undefined : asId(u.id);
  const originId = typeof u.origin_id === 'string' && u.origin_id !== '' ? u.origin_id : undefined;
  if (u.id !== undefined && u.id !== null && !id) return { errors: { id: ['is not a valid id'] } };
  let record: T | undefined;
  if (id) {
    record = index.find(id, undefined);
    if (!record) return { errors: { id: ['not found'] } };
  } else if (originId) {
    record = index.find(undefined, originId);
  } else {
    return { errors: { base: ['id or origin_id must be present'] } };
  }

  if (originId && index.taken(originId, record?.id)) return { errors: { origin_id: ['has already been taken'] } };
  if (!record) {
    const created = cfg.create(u);
    if (!('id' in created && typeof created.id === 'string')) return { errors: created as FieldErrors };
    const fresh = created as T;
    setOrigin(fresh, u);
    cfg.insert(fresh, u);
    index.track(fresh, null);
    return { record: fresh };
  }
  const before = JSON.stringify(record);
  const previousOrigin = record.origin_id;
  const fieldErrors = cfg.update(record, u);
  if (fieldErrors) return { errors: fieldErrors };
  setOrigin(record, u);
  index.track(record, previousOrigin);
  // A repeated identical update is a no-op: updated_at only moves when something changed.
  if (JSON.stringify(record) !== before && 'updated_at' in record) {
    (record as { updated_at: string }).updated_at = cfg.now();
  }
  return { record };
}

function setOrigin(record: OriginFields, u: Record<string, unknown>): void {
  for (const key of ORIGIN_KEYS as Array<keyof OriginFields>) {
    if (key in u && (typeof u[key] === 'string' || u[key] === null)) record[key] = u[key] as string | null;
  }
}

/** The update as it came, with its id as a JSON number (error items are shaped like the entity). */
function echo(u: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(u)) {
    if ((k === 'id' || k.endsWith('_id')) && !k.includes('origin')) {
      const id = asId(v);
      out[k] = id ? idNum(id) : v;
    } else if (typeof v === 'string' || typeof v === 'boolean' || v === null) out[k] = v;
  }
  return out;
}
