/**
 * Acumatica ERP simulator: the contract-based REST API (`/entity/...`) of one release, driven by Acumatica's
 * published OpenAPI documents (see contract.ts). First slice: Vendor, Project, CostCode, Subcontract (with
 * Details), CompaniesStructure; every other entity of the contract is served generically (stored by `id`,
 * no business rules), so the simulator can grow entity by entity.
 *
 *   GET  /entity                                  version + Default endpoints of the release (no auth)
 *   POST /entity/auth/login | /entity/auth/logout cookie sessions, API-user slots (429 "API Login Limit")
 *   GET  /entity/Default/<v>/<Entity>             $filter $select $expand $top $skip
 *   GET  /entity/Default/<v>/<Entity>/<keys...>   or /<Entity>/<GUID>; keys may also be joined with '|'
 *   PUT  /entity/Default/<v>/<Entity>             upsert by keys / id; If-None-Match:* insert only, If-Match:* update only
 *   DELETE /entity/Default/<v>/<Entity>/<keys|GUID>
 *   POST /entity/Default/<v>/<Entity>/<Action>    202 + Location .../<Action>/status/<guid>; poll -> 202 ... 204
 *   GET  /entity/Default/<v>/<Entity>/$adHocSchema
 *
 * Choices where the documents leave room (documented so tests and clients can rely on them):
 *  - A body field that the version's contract does not define, or a field that is not value-wrapped, is answered
 *    with 400 + HttpError (`modelState` lists each offending path): the request cannot be bound to the contract's
 *    entity model, which SW22/23 describe as "400: The data specified in the request is invalid" (422 is reserved
 *    for business validation, where the entity comes back with per-field errors).
 *  - Unknown fields in $select/$expand/$filter are 400 HttpError too.
 *  - String comparison in $filter is case-insensitive (SQL Server collation).
 *  - Subcontract has no `Hold` field in the 23/24 contracts: new subcontracts are "On Hold" and move with the
 *    contract actions ReleaseFromHold ("Open") / PutOnHold ("On Hold"); `Status` in a PUT body is ignored.
 *  - `subcontractExtension: true` emulates a customer's endpoint extension of Default/20.200.001 or 22.200.001 that
 *    maps SC301000 as `Subcontract` with exactly the Default/23.200.001 `Subcontract` shape (fields, Details,
 *    actions). On versions that already define Subcontract it changes nothing.
 *  - Wrong credentials: 500 HttpError whose exceptionMessage is "Invalid credentials. Please try again." (what
 *    Acumatica's PXException produces); sign-in beyond the API-user slots: 429 "API Login Limit".
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Decimal from 'decimal.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DEMO_COMPANY } from '../demo-data';
import { FaultInjector } from '../shared/faults';
import {
  type AcumaticaRelease,
  type EndpointContract,
  type FieldDef,
  type SchemaDef,
  loadContract,
  RELEASE_BUILDS,
  RELEASE_VERSIONS,
} from './contract';
import { FilterSyntaxError, compileFilter, filterFields, parseFilter } from './odata';
import {
  AcumaticaStore,
  AUTO_NUMBERS,
  ENTITY_KEYS,
  type StoredLine,
  type StoredRecord,
  acuDate,
  sameKey,
} from './store';

export interface AcumaticaSimulatorOptions {
  release?: AcumaticaRelease;
  /** Emulate an endpoint extension exposing Subcontract (SC301000) on 20.200.001/22.200.001. */
  subcontractExtension?: boolean;
  /** License "Maximum Number of Web Services API Users" (default 2, like a trial license). */
  maxApiUsers?: number;
  /** Idle time after which a session is closed (default 10 minutes). */
  sessionIdleMs?: number;
  /** Clock override (the admin endpoint /__admin/clock can also shift it). */
  now?: () => Date;
  /** How many status polls of an action answer 202 before 204 (default 1; 0 = actions answer 204 at once). */
  actionPolls?: number;
}

interface Session {
  id: string;
  auth: string;
  user: string;
  tenant: string;
  branch: string;
  createdAt: number;
  lastSeen: number;
}

interface FieldError {
  path: Array<string | number>;
  message: string;
}

interface RequestContext {
  version: string;
  contract: EndpointContract;
  session: Session;
  branch: string;
}

/** Entity-specific rules; entities without an entry are stored generically. */
interface EntityBehaviour {
  /** Fill defaults and compute derived values on the merged record (mutates). */
  prepare?(
    values: Record<string, unknown>,
    rec: { internal: Record<string, unknown> },
    isNew: boolean,
    ctx: RequestContext,
  ): void;
  validate?(values: Record<string, unknown>, isNew: boolean, ctx: RequestContext): FieldError[];
  /** Fields that a PUT cannot set (computed by the graph). */
  readOnly?: string[];
  /** `files:put` graph/view for the _links template. */
  graph?: string;
  actions?: Record<string, (rec: StoredRecord, params: Record<string, unknown>) => void>;
}

const META_KEYS = new Set(['id', 'rowNumber', 'note', 'custom', 'files', '_links', 'error', 'delete']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SESSION_COOKIE = 'ASP.NET_SessionId';
const AUTH_COOKIE = '.ASPXAUTH';

function httpError(res: Response, status: number, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ message, ...extra });
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

const dec = (v: unknown): Decimal | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return new Decimal(v as Decimal.Value);
  } catch {
    return undefined;
  }
};
const money = (d: Decimal): number => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
const isBlank = (v: unknown): boolean => v === undefined || v === null || String(v).trim() === '';

class SessionManager {
  private sessions = new Map<string, Session>();
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
  }
}

export function createAcumaticaSimulator(opts: AcumaticaSimulatorOptions = {}) {
  const release: AcumaticaRelease = opts.release ?? '2024R1';
  const versions = RELEASE_VERSIONS[release];
  if (!versions) throw new Error(`Unknown Acumatica release ${release}`);
  const idleMs = opts.sessionIdleMs ?? 10 * 60_000;
  const actionPolls = opts.actionPolls ?? 1;
  let clockOffsetMs = 0;
  const now = (): Date => new Date((opts.now ? opts.now().getTime() : Date.now()) + clockOffsetMs);

  const store = new AcumaticaStore(now);
  const faults = new FaultInjector();
  const sessions = new SessionManager(opts.maxApiUsers ?? 2, idleMs, () => now().getTime());
  const operations = new Map<string, { remaining: number; self: string }>();
  let loginCount = 0;

  const contracts = new Map<string, EndpointContract>();
  const contractFor = (version: string): EndpointContract => {
    let c = contracts.get(version);
    if (!c) {
      c = loadContract(version);
      if (opts.subcontractExtension && !c.hasEntity('Subcontract'))
        c = c.withExtension('Subcontract', loadContract('23.200.001'));
      contracts.set(version, c);
    }
    return c;
  };

  const branchExists = (b: unknown): boolean => DEMO_COMPANY.branches.some((x) => sameKey(x.branchId, b));
  const today = (): string => `${now().toISOString().slice(0, 10)}T00:00:00+00:00`;

  // ---------------------------------------------------------------- entity rules
  const behaviours: Record<string, EntityBehaviour> = {
    Vendor: {
      graph: 'PX.Objects.AP.VendorMaint/BAccount',
      readOnly: ['CreatedDateTime', 'LastModifiedDateTime'],
      prepare(v, _r, isNew) {
        if (isNew) {
          v.Status ??= 'Active';
          v.CurrencyID ??= 'USD';
          v.VendorClass ??= 'SUBCON';
        }
      },
      validate(v) {
        const errs: FieldError[] = [];
        if (isBlank(v.VendorID)) errs.push({ path: ['VendorID'], message: "'Vendor ID' cannot be empty." });
        if (isBlank(v.VendorName)) errs.push({ path: ['VendorName'], message: "'Account Name' cannot be empty." });
        return errs;
      },
    },
    Project: {
      graph: 'PX.Objects.PM.ProjectEntry/Project',
      readOnly: ['LastModifiedDateTime'],
      prepare(v, _r, isNew, ctx) {
        if (isNew) {
          v.Status ??= 'In Planning';
          v.Hold ??= true;
          const bas = (v.BillingAndAllocationSettings ??= {}) as Record<string, unknown>;
          bas.Branch ??= ctx.branch;
        }
      },
      validate(v) {
        const errs: FieldError[] = [];
        if (isBlank(v.ProjectID)) errs.push({ path: ['ProjectID'], message: "'Project ID' cannot be empty." });
        const b = (v.BillingAndAllocationSettings as Record<string, unknown> | undefined)?.Branch;
        if (!isBlank(b) && !branchExists(b))
          errs.push({
            path: ['BillingAndAllocationSettings', 'Branch'],
            message: "'Branch' cannot be found in the system.",
          });
        return errs;
      },
      actions: {
        ActivateProject: (r) => Object.assign(r.values, { Status: 'Active', Hold: false }),
        HoldProject: (r) => Object.assign(r.values, { Status: 'On Hold', Hold: true }),
        CompleteProject: (r) => Object.assign(r.values, { Status: 'Completed' }),
        SuspendProject: (r) => Object.assign(r.values, { Status: 'Suspended' }),
        CancelProject: (r) => Object.assign(r.values, { Status: 'Canceled' }),
      },
    },
    CostCode: {
      graph: 'PX.Objects.PM.CostCodeMaint/Items',
      readOnly: ['LastModifiedDateTime'],
      validate(v) {
        return isBlank(v.CostCodeID) ? [{ path: ['CostCodeID'], message: "'Cost Code' cannot be empty." }] : [];
      },
    },
    Subcontract: {
      graph: 'PX.Objects.CN.Subcontracts.SC.Graphs.SubcontractEntry/Document',
      readOnly: [
        'Status',
        'LineTotal',
        'SubcontractTotal',
        'RetainageTotal',
        'TaxTotal',
        'DiscountTotal',
        'LastModifiedDateTime',
        'BaseCurrencyID',
      ],
      prepare(v, rec, isNew, ctx) {
        if (isNew) {
          rec.internal.hold = true;
          v.Date ??= today();
          v.Branch ??= ctx.branch;
          v.CurrencyID ??= 'USD';
          v.Location ??= 'MAIN';
          v.RetainagePct ??= 0;
          v.ApplyRetainage ??= (dec(v.RetainagePct) ?? new Decimal(0)).gt(0);
        }
        v.BaseCurrencyID = 'USD';
        v.Status = rec.internal.hold ? 'On Hold' : 'Open';
        const lines = (v.Details as StoredLine[] | undefined) ?? [];
        let maxNbr = Math.max(0, ...lines.map((l) => Number(l.LineNbr) || 0));
        let lineTotal = new Decimal(0);
        let retTotal = new Decimal(0);
        for (const l of lines) {
          if (isBlank(l.LineNbr)) l.LineNbr = ++maxNbr;
          if (isBlank(l.LineDescription) && !isBlank(l.Description)) l.LineDescription = l.Description;
          if (isBlank(l.Description) && !isBlank(l.LineDescription)) l.Description = l.LineDescription;
          const qty = dec(l.OrderQty);
          const unit = dec(l.UnitCost);
          let amount = dec(l.Amount);
          const ext = dec(l.ExtendedCost);
          if (qty && unit) {
            l.ExtendedCost = money(qty.mul(unit));
            if (!amount) amount = new Decimal(l.ExtendedCost as number);
          } else if (amount) {
            l.OrderQty = qty?.toNumber() ?? 1;
            const q = new Decimal(l.OrderQty as number);
            l.UnitCost = q.isZero() ? 0 : amount.div(q).toDecimalPlaces(4).toNumber();
            l.ExtendedCost = money(amount);
          } else if (ext) {
            amount = ext;
            l.OrderQty = qty?.toNumber() ?? 1;
            l.UnitCost = ext.toNumber();
          }
          amount ??= new Decimal(0);
          l.Amount = money(amount);
          l.UOM ??= 'EA';
          if (isBlank(l.RetainagePct)) l.RetainagePct = v.ApplyRetainage ? (dec(v.RetainagePct)?.toNumber() ?? 0) : 0;
          l.RetainageAmount = v.ApplyRetainage ? money(amount.mul(dec(l.RetainagePct) ?? 0).div(100)) : 0;
          l.OrderType = 'Subcontract';
          l.OrderNbr = v.SubcontractNbr;
          l.Completed ??= false;
          l.Canceled ??= false;
          l.Closed ??= false;
          lineTotal = lineTotal.plus(amount);
          retTotal = retTotal.plus(dec(l.RetainageAmount) ?? 0);
        }
        v.LineTotal = money(lineTotal);
        v.DiscountTotal = 0;
        v.TaxTotal = 0;
        v.RetainageTotal = money(retTotal);
        v.SubcontractTotal = money(lineTotal);
      },
      validate(v) {
        const errs: FieldError[] = [];
        if (isBlank(v.VendorID)) errs.push({ path: ['VendorID'], message: "'Vendor' cannot be empty." });
        else if (!store.byKeys('Vendor', [v.VendorID]))
          errs.push({ path: ['VendorID'], message: "'Vendor' cannot be found in the system." });
        if (!isBlank(v.Branch) && !branchExists(v.Branch))
          errs.push({ path: ['Branch'], message: "'Branch' cannot be found in the system." });
        const pct = dec(v.RetainagePct);
        if (pct && (pct.lt(0) || pct.gt(100)))
          errs.push({ path: ['RetainagePct'], message: 'The value must be between 0 and 100.' });
        ((v.Details as StoredLine[] | undefined) ?? []).forEach((l, i) => {
          if (!isBlank(l.Project) && !store.byKeys('Project', [l.Project]))
            errs.push({
              path: ['Details', i, 'Project'],
              message: `Project '${String(l.Project)}' cannot be found in the system.`,
            });
          else if (!isBlank(l.Project) && isBlank(l.Task))
            errs.push({ path: ['Details', i, 'Task'], message: "'Project Task' cannot be empty." });
          else if (!isBlank(l.Project) && !store.byKeys('ProjectTask', [l.Project, l.Task]))
            errs.push({
              path: ['Details', i, 'Task'],
              message: `Project Task '${String(l.Task)}' cannot be found in the system.`,
            });
          if (!isBlank(l.CostCode) && !store.byKeys('CostCode', [l.CostCode]))
            errs.push({
              path: ['Details', i, 'CostCode'],
              message: `Cost Code '${String(l.CostCode)}' cannot be found in the system.`,
            });
          const a = dec(l.Amount);
          if (a && a.lt(0)) errs.push({ path: ['Details', i, 'Amount'], message: 'The value cannot be negative.' });
        });
        return errs;
      },
      actions: {
        ReleaseFromHold: (r) => {
          r.internal.hold = false;
          r.values.Status = 'Open';
        },
        PutOnHold: (r) => {
          r.internal.hold = true;
          r.values.Status = 'On Hold';
        },
      },
    },
  };

  // ---------------------------------------------------------------- rendering
  type Tree = Map<string, Tree>;
  const parseTree = (list: string | undefined): Tree | undefined => {
    if (list === undefined || list.trim() === '') return undefined;
    const root: Tree = new Map();
    for (const item of list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      let node = root;
      for (const seg of item.split('/')) {
        let next = node.get(seg);
        if (!next) node.set(seg, (next = new Map()));
        node = next;
      }
    }
    return root;
  };

  const checkTree = (tree: Tree | undefined, schema: SchemaDef, param: string, bad: string[], prefix = ''): void => {
    if (!tree) return;
    for (const [name, sub] of tree) {
      if (META_KEYS.has(name)) continue;
      const f = schema.fields.get(name);
      if (!f) {
        bad.push(`${param}: '${prefix}${name}' is not a field of ${schema.name}`);
        continue;
      }
      if (sub.size > 0 && f.kind !== 'value') {
        const s = schema.contract.schema(f.schema);
        if (s) checkTree(sub, s, param, bad, `${prefix}${name}/`);
      }
    }
  };

  const renderValue = (v: unknown): Record<string, unknown> => (v === null || v === undefined ? {} : { value: v });

  const renderObject = (
    values: Record<string, unknown>,
    schema: SchemaDef,
    select: Tree | undefined,
    expand: Tree | undefined,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, f] of schema.fields) {
      if (!(name in values)) continue;
      const sel = select?.get(name);
      if (select && !sel) continue;
      const v = values[name];
      if (f.kind === 'value') {
        out[name] = renderValue(v);
        continue;
      }
      const exp = expand?.get(name);
      if (!exp) continue;
      const sub = schema.contract.schema(f.schema);
      if (!sub) continue;
      const subSelect = sel && sel.size > 0 ? sel : undefined;
      if (f.kind === 'linked' && v && typeof v === 'object') {
        out[name] = {
          id: (v as { id?: string }).id ?? undefined,
          rowNumber: 1,
          note: null,
          ...renderObject(v as Record<string, unknown>, sub, subSelect, exp),
          custom: {},
        };
      } else if (f.kind === 'detail' && Array.isArray(v)) {
        out[name] = (v as StoredLine[]).map((line, i) => ({
          id: line.id,
          rowNumber: i + 1,
          note: { value: (line.__note as string) ?? '' },
          ...renderObject(line, sub, subSelect, exp),
          custom: {},
        }));
      }
    }
    return out;
  };

  const render = (
    rec: StoredRecord,
    ctx: { version: string; contract: EndpointContract },
    select: Tree | undefined,
    expand: Tree | undefined,
    rowNumber = 1,
  ): Record<string, unknown> => {
    const def = ctx.contract.entity(rec.entity)!;
    const graph = behaviours[rec.entity]?.graph ?? `PX.Objects.${rec.entity}Maint/Document`;
    const files = (rec.internal.files as Array<{ id: string; filename: string }> | undefined) ?? [];
    return {
      id: rec.id,
      rowNumber,
      note: { value: (rec.internal.note as string) ?? '' },
      ...renderObject(rec.values, def, select, expand),
      custom: {},
      files: files.map((f) => ({ ...f, href: `/entity/Default/${ctx.version}/files/${f.id}` })),
      _links: {
        self: `/entity/Default/${ctx.version}/${rec.entity}/${rec.id}`,
        'files:put': `/entity/Default/${ctx.version}/files/${graph}/${rec.id}/{filename}`,
      },
    };
  };

  // ---------------------------------------------------------------- body binding
  const coerce = (f: FieldDef & { kind: 'value' }, raw: unknown, path: string, issues: string[]): unknown => {
    if (raw === null || raw === undefined) return null;
    switch (f.valueType) {
      case 'DecimalValue':
      case 'DoubleValue':
      case 'IntValue':
      case 'ShortValue':
      case 'LongValue':
      case 'ByteValue': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
        if (Number.isNaN(n))
          issues.push(`${path}: '${String(raw)}' is not a valid ${f.valueType.replace('Value', '').toLowerCase()}`);
        return n;
      }
      case 'BooleanValue':
        if (typeof raw === 'boolean') return raw;
        if (raw === 'true' || raw === 'false') return raw === 'true';
        issues.push(`${path}: '${String(raw)}' is not a valid boolean`);
        return raw;
      case 'DateTimeValue':
        if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw))) {
          issues.push(`${path}: '${String(raw)}' is not a valid date`);
          return raw;
        }
        return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00+00:00` : raw;
      default:
        return typeof raw === 'string' ? raw : String(raw);
    }
  };

  const bind = (body: unknown, schema: SchemaDef, path: string, issues: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      issues.push(`${path || 'entity'}: an object is expected`);
      return out;
    }
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      if (META_KEYS.has(k)) {
        if (k === 'id' && typeof v === 'string') out.id = v;
        if (k === 'delete') out.delete = v === true;
        if (k === 'note' && v && typeof v === 'object') out.__note = (v as { value?: unknown }).value;
        continue;
      }
      const f = schema.fields.get(k);
      if (!f) {
        issues.push(`${p}: the field is not defined for ${schema.name} in the contract`);
        continue;
      }
      if (f.kind === 'value') {
        if (!v || typeof v !== 'object' || Array.isArray(v)) {
          issues.push(`${p}: a value-wrapped object {"value": ...} is expected`);
          continue;
        }
        if (!('value' in v)) continue;
        out[k] = coerce(f, (v as { value: unknown }).value, p, issues);
      } else {
        const sub = schema.contract.schema(f.schema);
        if (!sub) continue;
        if (f.kind === 'linked') out[k] = bind(v, sub, p, issues);
        else if (!Array.isArray(v)) issues.push(`${p}: an array is expected`);
        else out[k] = v.map((line, i) => bind(line, sub, `${p}[${i}]`, issues));
      }
    }
    return out;
  };

  const mergeInto = (
    target: Record<string, unknown>,
    incoming: Record<string, unknown>,
    schema: SchemaDef,
    readOnly: string[] = [],
  ): void => {
    for (const [k, v] of Object.entries(incoming)) {
      if (k === 'id' || k === 'delete' || readOnly.includes(k)) continue;
      if (k === '__note') {
        target.__note = v;
        continue;
      }
      const f = schema.fields.get(k);
      if (!f) continue;
      const sub = f.kind === 'value' ? undefined : schema.contract.schema(f.schema);
      if (f.kind === 'linked' && sub) {
        const cur = (target[k] && typeof target[k] === 'object' ? target[k] : {}) as Record<string, unknown>;
        mergeInto(cur, v as Record<string, unknown>, sub);
        target[k] = cur;
      } else if (f.kind === 'detail' && sub) {
        const lines = [...((target[k] as StoredLine[] | undefined) ?? [])];
        for (const inc of v as Array<Record<string, unknown>>) {
          const idx = lines.findIndex(
            (l) =>
              (inc.id && sameKey(l.id, inc.id)) ||
              (!inc.id && inc.LineNbr !== undefined && Number(l.LineNbr) === Number(inc.LineNbr)),
          );
          if (inc.delete) {
            if (idx >= 0) lines.splice(idx, 1);
            continue;
          }
          if (idx >= 0) mergeInto(lines[idx], inc, sub);
          else {
            const line: StoredLine = { id: randomUUID() };
            mergeInto(line, inc, sub);
            lines.push(line);
          }
        }
        target[k] = lines;
      } else {
        target[k] = v;
      }
    }
  };

  // ---------------------------------------------------------------- app
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(faults.adminRouter());
  app.use(faults.middleware());

  // Admin
  app.post('/__admin/reset', (_req, res) => {
    store.reset();
    sessions.clear();
    operations.clear();
    faults.clear();
    loginCount = 0;
    clockOffsetMs = 0;
    res.status(204).end();
  });
  app.get('/__admin/state', (_req, res) => {
    res.json({
      release,
      versions,
      subcontractExtension: !!opts.subcontractExtension,
      counts: store.counts(),
      sessions: { active: sessions.count(), max: sessions.maxUsers, logins: loginCount },
      now: now().toISOString(),
    });
  });
  app.get('/__admin/snapshot', (_req, res) => {
    res.json(store.snapshot());
  });
  app.post('/__admin/snapshot', express.json({ limit: '50mb' }), (req, res) => {
    store.restore(req.body);
    res.status(204).end();
  });
  /** {"advanceMs": 600000} shifts the simulator clock (session expiry, LastModifiedDateTime). */
  app.post('/__admin/clock', express.json(), (req, res) => {
    clockOffsetMs += Number(req.body?.advanceMs ?? 0);
    res.json({ now: now().toISOString() });
  });
  /** {"maxApiUsers": 3} changes the API-user slots. */
  app.post('/__admin/config', express.json(), (req, res) => {
    if (typeof req.body?.maxApiUsers === 'number') sessions.maxUsers = req.body.maxApiUsers;
    res.json({ maxApiUsers: sessions.maxUsers });
  });

  app.use(express.json({ limit: '20mb', type: ['application/json', 'text/json'] }));
  app.use(express.urlencoded({ extended: false }));

  // Version information
  app.get(['/entity', '/entity/'], (_req, res) => {
    const build = RELEASE_BUILDS[release];
    res.json({
      version: { acumaticaBuildVersion: build, databaseVersion: build },
      endpoints: versions.map((v) => ({ name: 'Default', version: v, href: `/entity/Default/${v}/` })),
    });
  });

  const currentSession = (req: Request): Session | undefined =>
    sessions.get(parseCookies(req.headers.cookie)[SESSION_COOKIE]);

  app.post('/entity/auth/login', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const name = String(b.name ?? '');
    const password = String(b.password ?? '');
    const tenant = String(b.tenant ?? b.company ?? '');
    const branch = b.branch === undefined || b.branch === null || b.branch === '' ? undefined : String(b.branch);
    const okUser =
      name.toLowerCase() === DEMO_COMPANY.acumaticaLogin.name.toLowerCase() &&
      password === DEMO_COMPANY.acumaticaLogin.password;
    const okTenant = tenant === '' || tenant.toLowerCase() === DEMO_COMPANY.acumaticaTenant.toLowerCase();
    if (!okUser || !okTenant) {
      httpError(res, 500, 'An error has occurred.', {
        exceptionMessage: 'Invalid credentials. Please try again.',
        exceptionType: 'PX.Data.PXException',
      });
      return;
    }
    if (branch !== undefined && !branchExists(branch)) {
      httpError(res, 500, 'An error has occurred.', {
        exceptionMessage: `Branch '${branch}' cannot be found in the system.`,
        exceptionType: 'PX.Data.PXException',
      });
      return;
    }
    sessions.end(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    const s = sessions.create(
      name,
      DEMO_COMPANY.acumaticaTenant,
      branch?.toUpperCase() ?? DEMO_COMPANY.branches[0].branchId,
    );
    if (!s) {
      httpError(
        res,
        429,
        `API Login Limit: the license allows ${sessions.maxUsers} concurrent Web Services API users and all are in use.`,
        {
          exceptionMessage: 'API Login Limit',
          exceptionType: 'PX.Data.PXException',
        },
      );
      return;
    }
    loginCount++;
    res.append('Set-Cookie', `${SESSION_COOKIE}=${s.id}; path=/; HttpOnly; SameSite=Lax`);
    res.append('Set-Cookie', `${AUTH_COOKIE}=${s.auth}; path=/; HttpOnly`);
    res.append('Set-Cookie', `UserBranch=${s.branch}; path=/`);
    res.status(204).end();
  });

  app.post('/entity/auth/logout', (req, res) => {
    sessions.end(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    res.append('Set-Cookie', `${SESSION_COOKIE}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`);
    res.append('Set-Cookie', `${AUTH_COOKIE}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`);
    res.status(204).end();
  });

  // Contract-based endpoint
  app.all(/^\/entity\/[^/]+\/[^/]+(\/.*)?$/, (req, res) => {
    const segs = req.path
      .split('/')
      .slice(2)
      .filter((s, i) => i < 3 || s !== '')
      .map((s) => decodeURIComponent(s));
    const [endpoint, version, entityName, ...rest] = segs;
    if (endpoint !== 'Default' || !(versions as string[]).includes(version)) {
      httpError(res, 404, `The endpoint ${endpoint}/${version} is not available on this instance.`);
      return;
    }
    const session = currentSession(req);
    if (!session) {
      httpError(res, 401, 'You are not logged in.');
      return;
    }
    const contract = contractFor(version);
    if (!entityName) {
      httpError(res, 404, 'No entity specified.');
      return;
    }
    const def = contract.entity(entityName);
    if (!def) {
      httpError(res, 404, `The entity ${entityName} is not defined in the endpoint Default/${version}.`);
      return;
    }
    const headerBranch = req.header('PX-CbApiBranch');
    if (headerBranch && !branchExists(headerBranch)) {
      httpError(res, 400, `Branch '${headerBranch}' cannot be found in the system.`);
      return;
    }
    const ctx: RequestContext = { version, contract, session, branch: (headerBranch ?? session.branch).toUpperCase() };
    const q = req.query as Record<string, string | undefined>;
    const select = parseTree(q.$select);
    const expand = parseTree(q.$expand);
    const bad: string[] = [];
    checkTree(select, def, '$select', bad);
    checkTree(expand, def, '$expand', bad);
    if (bad.length) {
      httpError(res, 400, 'The request is invalid.', { modelState: { query: bad } });
      return;
    }

    try {
      if (entityName === 'CompaniesStructure' && (req.method === 'GET' || req.method === 'PUT') && rest.length === 0) {
        const rec: StoredRecord = {
          id: '00000000-0000-0000-0000-000000000001',
          entity: 'CompaniesStructure',
          values: {
            Results: store
              .companyStructure()
              .map((r, i) => ({ id: `00000000-0000-0000-0001-${String(i).padStart(12, '0')}`, ...r })),
          },
          internal: {},
        };
        const body = render(rec, ctx, select, expand);
        res.json(req.method === 'GET' ? [body] : body);
        return;
      }
      if (req.method === 'GET' && rest.length === 0) return void list(req, res, ctx, entityName, select, expand);
      if (req.method === 'GET' && rest[0] === '$adHocSchema') return void adHocSchema(res, def);
      if (req.method === 'GET' && rest.length === 3 && rest[1] === 'status') return void actionStatus(res, rest[2]);
      if (req.method === 'GET') return void getOne(res, ctx, entityName, rest, select, expand);
      if (req.method === 'PUT' && rest.length === 0) return void put(req, res, ctx, entityName, select, expand);
      if (req.method === 'DELETE' && rest.length > 0) return void del(res, entityName, rest);
      if (req.method === 'POST' && rest.length === 1) return void action(req, res, ctx, entityName, rest[0]);
      httpError(res, 405, `The requested resource does not support http method '${req.method}'.`);
    } catch (err) {
      httpError(res, 500, 'An error has occurred.', {
        exceptionMessage: (err as Error).message,
        exceptionType: 'System.Exception',
      });
    }
  });

  const resolver =
    (values: Record<string, unknown>) =>
    (path: string[]): unknown => {
      let cur: unknown = values;
      for (const seg of path) {
        if (!cur || typeof cur !== 'object') return undefined;
        cur = (cur as Record<string, unknown>)[seg];
      }
      return cur;
    };

  function list(req: Request, res: Response, ctx: RequestContext, entity: string, select?: Tree, expand?: Tree): void {
    const q = req.query as Record<string, string | undefined>;
    let recs = store.all(entity);
    if (q.$filter) {
      let match: (r: (p: string[]) => unknown) => boolean;
      try {
        const node = parseFilter(q.$filter);
        const def = ctx.contract.entity(entity)!;
        for (const p of filterFields(node)) {
          let schema: SchemaDef | undefined = def;
          for (const seg of p) {
            const f: FieldDef | undefined = schema?.fields.get(seg);
            if (!f) throw new FilterSyntaxError(`'${p.join('/')}' is not a field of ${entity}`);
            schema = f.kind === 'value' ? undefined : ctx.contract.schema(f.schema);
          }
        }
        match = compileFilter(q.$filter);
      } catch (err) {
        if (err instanceof FilterSyntaxError) {
          httpError(res, 400, `The $filter expression is invalid: ${err.message}`);
          return;
        }
        throw err;
      }
      recs = recs.filter((r) => match(resolver(r.values)));
    }
    const skip = q.$skip !== undefined ? Number(q.$skip) : 0;
    const top = q.$top !== undefined ? Number(q.$top) : undefined;
    if (!Number.isInteger(skip) || skip < 0 || (top !== undefined && (!Number.isInteger(top) || top < 0))) {
      httpError(res, 400, 'The request is invalid.', {
        modelState: { query: ['$top and $skip must be non-negative integers'] },
      });
      return;
    }
    recs = recs.slice(skip, top === undefined ? undefined : skip + top);
    res.json(recs.map((r, i) => render(r, ctx, select, expand, i + 1)));
  }

  function findByPath(entity: string, rest: string[]): StoredRecord | undefined {
    const keys = rest.length === 1 && rest[0].includes('|') ? rest[0].split('|') : rest;
    if (keys.length === 1 && GUID.test(keys[0])) return store.byId(entity, keys[0]);
    return store.byKeys(entity, keys);
  }

  function getOne(
    res: Response,
    ctx: RequestContext,
    entity: string,
    rest: string[],
    select?: Tree,
    expand?: Tree,
  ): void {
    const rec = findByPath(entity, rest);
    if (!rec) {
      httpError(res, 404, 'No entity satisfies the condition.');
      return;
    }
    res.json(render(rec, ctx, select, expand));
  }

  function del(res: Response, entity: string, rest: string[]): void {
    const rec = findByPath(entity, rest);
    if (!rec) {
      httpError(res, 404, 'No entity satisfies the condition.');
      return;
    }
    store.delete(entity, rec.id);
    res.status(204).end();
  }

  function adHocSchema(res: Response, def: SchemaDef): void {
    const template = (schema: SchemaDef, depth: number): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [name, f] of schema.fields) {
        if (f.kind === 'value') out[name] = {};
        else if (depth < 1) {
          const sub = schema.contract.schema(f.schema);
          if (sub) out[name] = f.kind === 'detail' ? [template(sub, depth + 1)] : template(sub, depth + 1);
        }
      }
      return out;
    };
    res.json({ id: randomUUID(), rowNumber: 1, note: {}, ...template(def, 0), custom: {}, files: [] });
  }

  function put(req: Request, res: Response, ctx: RequestContext, entity: string, select?: Tree, expand?: Tree): void {
    const def = ctx.contract.entity(entity)!;
    const issues: string[] = [];
    const body = bind(req.body, def, '', issues);
    if (issues.length) {
      httpError(res, 400, `The request is invalid. ${issues.join('; ')}`, { modelState: { entity: issues } });
      return;
    }
    const beh = behaviours[entity] ?? {};
    const keyFields = ENTITY_KEYS[entity] ?? [];
    const auto = AUTO_NUMBERS[entity];
    let existing: StoredRecord | undefined;
    if (typeof body.id === 'string') existing = store.byId(entity, body.id);
    const keyValues = keyFields.map((k) => body[k]);
    const hasKeys = keyFields.length > 0 && keyValues.every((k) => !isBlank(k) && k !== '<NEW>');
    if (!existing && hasKeys) existing = store.byKeys(entity, keyValues);

    const ifNoneMatch = req.header('If-None-Match');
    const ifMatch = req.header('If-Match');
    if (ifNoneMatch === '*' && existing) {
      httpError(
        res,
        412,
        `The ${entity} record cannot be inserted because a record with the same keys already exists.`,
      );
      return;
    }
    if (ifMatch === '*' && !existing) {
      httpError(res, 412, `The ${entity} record cannot be updated because no record with the specified keys exists.`);
      return;
    }

    const isNew = !existing;
    const values: Record<string, unknown> = existing ? structuredClone(existing.values) : {};
    const internal: Record<string, unknown> = existing ? structuredClone(existing.internal) : {};
    mergeInto(
      values,
      body,
      def,
      isNew ? (beh.readOnly ?? []).filter((f) => !keyFields.includes(f)) : [...(beh.readOnly ?? []), ...keyFields],
    );
    if (isNew && auto && (isBlank(values[auto.field]) || values[auto.field] === '<NEW>')) values[auto.field] = '<NEW>';
    beh.prepare?.(values, { internal }, isNew, ctx);
    const errors = beh.validate?.(values, isNew, ctx) ?? [];

    // What to show back: what the caller asked for plus the collections it sent.
    const exp: Tree = expand ? new Map(expand) : new Map();
    for (const [k, f] of def.fields) if (f.kind !== 'value' && k in body && !exp.has(k)) exp.set(k, new Map());

    if (errors.length) {
      const tmp: StoredRecord = { id: existing?.id ?? randomUUID(), entity, values, internal };
      const out = render(tmp, ctx, undefined, exp);
      for (const e of errors) {
        let cur: Record<string, unknown> = out;
        for (const seg of e.path.slice(0, -1)) {
          let next = (cur as Record<string | number, unknown>)[seg];
          if (!next || typeof next !== 'object') (cur as Record<string | number, unknown>)[seg] = next = {};
          cur = next as Record<string, unknown>;
        }
        const leaf = String(e.path[e.path.length - 1]);
        const w = (cur[leaf] && typeof cur[leaf] === 'object' ? cur[leaf] : {}) as Record<string, unknown>;
        if (!('value' in w)) w.value = null;
        w.error = e.message;
        cur[leaf] = w;
      }
      const verb = isNew ? 'Inserting' : 'Updating';
      out.error = `${verb} '${entity}' record raised at least one error. Please review the errors.\n${errors
        .map(
          (e) =>
            `${e.path
              .map((s) => (typeof s === 'number' ? `[${s}]` : s))
              .join('.')
              .replace(/\.\[/g, '[')}: ${e.message}`,
        )
        .join('\n')}`;
      res.status(422).json(out);
      return;
    }

    if (isNew && auto && values[auto.field] === '<NEW>') {
      values[auto.field] = store.nextNumber(entity);
      beh.prepare?.(values, { internal }, false, ctx); // refresh values that copy the number (line OrderNbr)
    }
    let rec: StoredRecord;
    if (existing) {
      existing.values = values;
      existing.internal = internal;
      store.touch(existing);
      rec = existing;
    } else {
      rec = store.insert(entity, values, internal);
    }
    if (body.__note !== undefined) rec.internal.note = body.__note;
    res.status(200).json(render(rec, ctx, select, exp));
  }

  function action(req: Request, res: Response, ctx: RequestContext, entity: string, actionName: string): void {
    if (!ctx.contract.hasAction(entity, actionName)) {
      httpError(
        res,
        404,
        `The action ${actionName} is not defined for ${entity} in the endpoint Default/${ctx.version}.`,
      );
      return;
    }
    const def = ctx.contract.entity(entity)!;
    const issues: string[] = [];
    const inv = (req.body ?? {}) as { entity?: unknown; parameters?: Record<string, unknown> };
    const target = bind(inv.entity ?? {}, def, 'entity', issues);
    if (issues.length) {
      httpError(res, 400, `The request is invalid. ${issues.join('; ')}`, { modelState: { entity: issues } });
      return;
    }
    let rec: StoredRecord | undefined;
    if (typeof target.id === 'string') rec = store.byId(entity, target.id);
    const keyFields = ENTITY_KEYS[entity] ?? [];
    if (!rec && keyFields.length && keyFields.every((k) => !isBlank(target[k])))
      rec = store.byKeys(
        entity,
        keyFields.map((k) => target[k]),
      );
    if (!rec) {
      httpError(res, 404, 'No entity satisfies the condition.');
      return;
    }
    behaviours[entity]?.actions?.[actionName]?.(rec, inv.parameters ?? {});
    store.touch(rec);
    const self = `/entity/Default/${ctx.version}/${entity}/${rec.id}`;
    if (actionPolls <= 0) {
      res.setHeader('Location', self);
      res.status(204).end();
      return;
    }
    const opId = randomUUID();
    operations.set(opId, { remaining: actionPolls, self });
    res.setHeader('Location', `/entity/Default/${ctx.version}/${entity}/${actionName}/status/${opId}`);
    res.status(202).end();
  }

  function actionStatus(res: Response, opId: string): void {
    const op = operations.get(opId);
    if (!op) {
      httpError(res, 404, 'The operation is not found.');
      return;
    }
    if (op.remaining > 0) {
      op.remaining--;
      res.status(202).end();
      return;
    }
    res.setHeader('Location', op.self);
    res.status(204).end();
  }

  // Body parse errors and anything unexpected: HttpError shape.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.parse.failed')
      httpError(res, 400, 'The request is invalid.', { exceptionMessage: err.message });
    else httpError(res, err.status ?? 500, 'An error has occurred.', { exceptionMessage: err.message });
  });

  const listen = (port = 0): Promise<{ url: string; close(): Promise<void> }> =>
    new Promise((resolve, reject) => {
      const server: Server = app.listen(port, '127.0.0.1');
      server.once('error', reject);
      server.once('listening', () => {
        const { port: p } = server.address() as AddressInfo;
        resolve({
          url: `http://127.0.0.1:${p}`,
          close: () =>
            new Promise<void>((done) => {
              server.closeAllConnections();
              server.close(() => done());
            }),
        });
      });
    });

  return {
    app,
    store,
    faults,
    release,
    versions,
    /** Active API sessions (for tests). */
    activeSessions: (): number => sessions.count(),
    /** Successful sign-ins since start/reset. */
    loginCount: (): number => loginCount,
    /** Shifts the simulator clock (session idle expiry, timestamps). */
    advanceClock: (ms: number): void => {
      clockOffsetMs += ms;
    },
    listen,
  };
}

export type AcumaticaSimulator = ReturnType<typeof createAcumaticaSimulator>;
export { acuDate };
