/**
 * The contract-based endpoints `/entity/Default/<version>/...` (and `/entity/<Extension>/<version>/...`, a
 * customer's endpoint extension) of the simulator:
 *
 *   GET    <Entity>                  $filter $select $expand $custom $top $skip
 *   GET    <Entity>/<keys...>        or <Entity>/<GUID>; keys may also be joined with '|'
 *   PUT    <Entity>                  upsert by key fields, `id`, or the first record matching `$filter`;
 *                                    If-None-Match:* insert only / If-Match:* update only (else 412)
 *   DELETE <Entity>/<keys|GUID>
 *   POST   <Entity>/<Action>         {entity, parameters}: 202 + Location .../<Action>/status/<guid>, poll -> 204
 *   GET    <Entity>/$adHocSchema
 *   GET    swagger.json              the version's OpenAPI document (with the endpoint extension when enabled)
 *
 * Choices where the documents leave room (documented so tests and clients can rely on them):
 *  - A body field the version's contract does not define, or a field that is not value-wrapped, is answered
 *    400 + HttpError (`modelState` lists each offending path): the request cannot be bound to the contract's
 *    entity model ("400: The data specified in the request is invalid"). 422 is business validation: the entity
 *    comes back with per-field errors. Unknown $select/$expand/$filter/$custom fields are 400 too.
 *  - An action that fails a business rule (releasing a bill on hold) is 422 with the entity and its `error`.
 *  - Records outside the caller's branch (vendor restriction groups) are invisible: absent from lists, 404 by key.
 *    Their keys stay taken: a PUT with the key of such a record is 412 with If-None-Match: *, else 422 with an
 *    error on the key field ("A record with the key ... already exists"); it never updates nor duplicates it.
 *  - System contract 5 (Default/26.200.001): drop-downs are read `{"value": {"id", "description"}}`, written
 *    `{"value": {"id"}}` (a plain string is 400), filtered and addressed (URL keys) by the id (select-lists.ts);
 *    date-only fields are `YYYY-MM-DD`; nested `$expand` is `Parent($expand=Child)` (the slash form is 400); an
 *    expanded linked entity or detail collection with nothing in it is `null`.
 *  - With the Projects feature off every PM screen (Project, ProjectTask, CostCode, ...) is unavailable: 500
 *    HttpError with a PXException naming the feature, like a disabled screen on a real instance.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import express from 'express';
import { rawBodyOf } from 'simulator-common';
import { type EndpointContract, type FieldDef, type SchemaDef, loadDocument } from './contract';
import { FilterSyntaxError, compileFilter, filterFields, parseFilter } from './odata';
import { codeOf, labelOf } from './select-lists';
import {
  type AttachedFile,
  type CustomSelection,
  type Tree,
  checkTree,
  createRepresentation,
  parseCustom,
  parseExpand5,
  parseTree,
} from './representation';
import { ActionError, type EntityBehaviour, type RequestContext, type TenantSettings, isBlank } from './rules';
import type { Session } from './sessions';
import { AUTO_NUMBERS, type AcumaticaStore, ENTITY_KEYS, type StoredRecord } from './store';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function httpError(res: Response, status: number, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ message, ...extra });
}

export interface EndpointDeps {
  versions: readonly string[];
  store: AcumaticaStore;
  rules: Record<string, EntityBehaviour>;
  settings: TenantSettings;
  /** The contract of `<endpoint>/<version>` (Default or the extension), undefined when the instance has none. */
  contractFor(endpoint: string, version: string): EndpointContract | undefined;
  /** The OpenAPI document of the extension endpoint. */
  extensionDocument(endpoint: string, version: string): unknown;
  currentSession(req: Request): Session | undefined;
  branchExists(branch: unknown): boolean;
  /** Status polls answered 202 before 204 (0 = actions answer 204 at once). */
  actionPolls(): number;
  companyStructure(): Array<Record<string, unknown>>;
}

const QUERY_OPTIONS = ['$select', '$filter', '$expand', '$custom', '$skip', '$top'];

interface Query {
  select?: Tree;
  expand?: Tree;
  custom?: CustomSelection;
}

export function createEntityEndpoint(deps: EndpointDeps) {
  const { store, rules, settings } = deps;
  const { render, bindEntity, mergeInto } = createRepresentation((e) => rules[e]);
  /** Long-running actions waiting for their status polls; `complete` runs the action and answers its outcome. */
  const operations = new Map<string, { remaining: number; self: string; complete: (res: Response) => boolean }>();

  const visible = (rec: StoredRecord, ctx: RequestContext): boolean => rules[rec.entity]?.visible?.(rec, ctx) ?? true;

  /** A field's value for `$filter`; contract 5 compares drop-downs by their code. */
  const resolver =
    (values: Record<string, unknown>, def: SchemaDef, c5: boolean) =>
    (path: string[]): unknown => {
      let cur: unknown = values;
      let schema: SchemaDef | undefined = def;
      for (const seg of path) {
        if (!cur || typeof cur !== 'object') return undefined;
        cur = (cur as Record<string, unknown>)[seg];
        const f: FieldDef | undefined = schema?.fields.get(seg);
        if (c5 && f?.kind === 'value' && f.valueType === 'StringSingleSelectValue')
          return codeOf(schema!.name, seg, cur);
        schema = f && f.kind !== 'value' ? def.contract.schema(f.schema) : undefined;
      }
      return cur;
    };

  /** Compiles `$filter` after checking its fields against the contract; throws FilterSyntaxError. */
  const compile = (src: string, ctx: RequestContext, entity: string): ((r: StoredRecord) => boolean) => {
    const node = parseFilter(src);
    const def = ctx.contract.entity(entity)!;
    for (const p of filterFields(node)) {
      let schema: SchemaDef | undefined = def;
      for (const seg of p) {
        const f: FieldDef | undefined = schema?.fields.get(seg);
        if (!f) throw new FilterSyntaxError(`'${p.join('/')}' is not a field of ${entity}`);
        schema = f.kind === 'value' ? undefined : ctx.contract.schema(f.schema);
      }
    }
    const match = compileFilter(src);
    const c5 = ctx.contract.systemContract >= 5;
    return (r) => match(resolver(r.values, def, c5));
  };

  function list(req: Request, res: Response, ctx: RequestContext, entity: string, q: Query): void {
    const raw = req.query as Record<string, string | undefined>;
    let recs = store.all(entity).filter((r) => visible(r, ctx));
    if (raw.$filter) recs = recs.filter(compile(raw.$filter, ctx, entity));
    const skip = raw.$skip !== undefined ? Number(raw.$skip) : 0;
    const top = raw.$top !== undefined ? Number(raw.$top) : undefined;
    if (!Number.isInteger(skip) || skip < 0 || (top !== undefined && (!Number.isInteger(top) || top < 0))) {
      httpError(res, 400, 'The request is invalid.', {
        modelState: { query: ['$top and $skip must be non-negative integers'] },
      });
      return;
    }
    recs = recs.slice(skip, top === undefined ? undefined : skip + top);
    res.json(recs.map((r, i) => render(r, ctx, { ...q, rowNumber: i + 1 })));
  }

  function findByPath(entity: string, rest: string[], ctx: RequestContext): StoredRecord | undefined {
    let keys = rest.length === 1 && rest[0].includes('|') ? rest[0].split('|') : rest;
    // Contract 5 names a drop-down key by its code (PurchaseOrder/RO/PO000001); the label is accepted too.
    if (ctx.contract.systemContract >= 5)
      keys = keys.map((k, i) => {
        const field = (ENTITY_KEYS[entity] ?? [])[i];
        const f = field ? ctx.contract.entity(entity)?.fields.get(field) : undefined;
        return f?.kind === 'value' && f.valueType === 'StringSingleSelectValue' ? labelOf(entity, field, k) : k;
      });
    const rec = keys.length === 1 && GUID.test(keys[0]) ? store.byId(entity, keys[0]) : store.byKeys(entity, keys);
    return rec && visible(rec, ctx) ? rec : undefined;
  }

  function getOne(res: Response, ctx: RequestContext, entity: string, rest: string[], q: Query): void {
    const rec = findByPath(entity, rest, ctx);
    if (!rec) return httpError(res, 404, 'No entity satisfies the condition.');
    res.json(render(rec, ctx, q));
  }

  function del(res: Response, ctx: RequestContext, entity: string, rest: string[]): void {
    const rec = findByPath(entity, rest, ctx);
    if (!rec) return httpError(res, 404, 'No entity satisfies the condition.');
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

  /** Renders a 422: the entity with per-field `error`s and a top-level summary. */
  function unprocessable(
    res: Response,
    rec: StoredRecord,
    ctx: RequestContext,
    q: Query,
    errors: Array<{ path: Array<string | number>; message: string }>,
    summary: string,
  ): void {
    const out = render(rec, ctx, q);
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
    const lines = errors.map(
      (e) =>
        `${e.path
          .map((s) => (typeof s === 'number' ? `[${s}]` : s))
          .join('.')
          .replace(/\.\[/g, '[')}: ${e.message}`,
    );
    out.error = [summary, ...lines].join('\n');
    res.status(422).json(out);
  }

  function put(req: Request, res: Response, ctx: RequestContext, entity: string, q: Query): void {
    const def = ctx.contract.entity(entity)!;
    const issues: string[] = [];
    const body = bindEntity(req.body, def, '', issues);
    if (issues.length)
      return httpError(res, 400, `The request is invalid. ${issues.join('; ')}`, { modelState: { entity: issues } });
    const beh = rules[entity] ?? {};
    const keyFields = ENTITY_KEYS[entity] ?? [];
    const auto = AUTO_NUMBERS[entity];
    for (const [k, v] of Object.entries(beh.keyDefaults ?? {})) if (isBlank(body[k])) body[k] = v;

    // Which record: `id`, then the key fields, then the first match of $filter.
    let existing: StoredRecord | undefined;
    if (typeof body.id === 'string') existing = store.byId(entity, body.id);
    const keyValues = keyFields.map(
      (k) => body[k] ?? (entity === 'ProjectBudget' && k === 'CostCode' ? '' : undefined),
    );
    const hasKeys =
      keyFields.length > 0 &&
      keyValues.every((k) => k !== undefined && k !== null && k !== '<NEW>') &&
      keyValues.some((k) => !isBlank(k));
    if (!existing && hasKeys) existing = store.byKeys(entity, keyValues);
    const filter = (req.query as Record<string, string | undefined>).$filter;
    if (!existing && !hasKeys && filter)
      existing = store
        .all(entity)
        .filter((r) => visible(r, ctx))
        .find(compile(filter, ctx, entity));
    // A record the caller cannot see (a vendor restricted to another branch) still holds its key: it is never
    // updated through this request, and never duplicated either (keys are unique in the database, whatever the
    // restriction groups; keys compare case-insensitively, as Acumatica's do).
    const hidden = existing && !visible(existing, ctx) ? existing : undefined;
    if (hidden) existing = undefined;

    if (req.header('If-None-Match') === '*' && (existing || hidden))
      return httpError(
        res,
        412,
        `The ${entity} record cannot be inserted because a record with the same keys already exists.`,
      );
    if (hidden) {
      const keyText = keyFields.map((k) => String(hidden.values[k])).join(', ');
      const tmp: StoredRecord = { id: randomUUID(), entity, values: body, internal: {} };
      return unprocessable(
        res,
        tmp,
        ctx,
        q,
        [{ path: [keyFields[keyFields.length - 1]], message: `A record with the key '${keyText}' already exists.` }],
        `Inserting '${entity}' record raised at least one error. Please review the errors.`,
      );
    }
    if (req.header('If-Match') === '*' && !existing)
      return httpError(
        res,
        412,
        `The ${entity} record cannot be updated because no record with the specified keys exists.`,
      );

    const isNew = !existing;
    // What to show back: what the caller asked for plus the collections it sent.
    const expand: Tree = q.expand ? new Map(q.expand) : new Map();
    for (const [k, f] of def.fields) if (f.kind !== 'value' && k in body && !expand.has(k)) expand.set(k, new Map());
    const shown = { ...q, expand };

    const refused = existing ? (beh.guardUpdate?.(body, existing, ctx) ?? []) : [];
    if (existing && refused.length)
      return unprocessable(
        res,
        existing,
        ctx,
        shown,
        refused,
        `Updating '${entity}' record raised at least one error. Please review the errors.`,
      );
    const values: Record<string, unknown> = existing ? structuredClone(existing.values) : {};
    const internal: Record<string, unknown> = existing ? structuredClone(existing.internal) : {};
    const readOnly = isNew
      ? (beh.readOnly ?? []).filter((f) => !keyFields.includes(f))
      : [...(beh.readOnly ?? []), ...keyFields];
    mergeInto(values, body, def, readOnly);
    if (isNew && auto && (isBlank(values[auto.field]) || values[auto.field] === '<NEW>')) values[auto.field] = '<NEW>';
    beh.prepare?.(values, { internal }, isNew, ctx);
    const errors = beh.validate?.(values, isNew, ctx) ?? [];

    if (errors.length) {
      const tmp: StoredRecord = { id: existing?.id ?? randomUUID(), entity, values, internal };
      const verb = isNew ? 'Inserting' : 'Updating';
      return unprocessable(
        res,
        tmp,
        ctx,
        shown,
        errors,
        `${verb} '${entity}' record raised at least one error. Please review the errors.`,
      );
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
    res.status(200).json(render(rec, ctx, shown));
  }

  function action(req: Request, res: Response, ctx: RequestContext, entity: string, actionName: string): void {
    if (!ctx.contract.hasAction(entity, actionName))
      return httpError(
        res,
        404,
        `The action ${actionName} is not defined for ${entity} in the endpoint ${ctx.contract.endpointName}/${ctx.version}.`,
      );
    const def = ctx.contract.entity(entity)!;
    const issues: string[] = [];
    const inv = (req.body ?? {}) as { entity?: unknown; parameters?: Record<string, unknown> };
    const target = bindEntity(inv.entity ?? {}, def, 'entity', issues);
    if (issues.length)
      return httpError(res, 400, `The request is invalid. ${issues.join('; ')}`, { modelState: { entity: issues } });
    for (const [k, v] of Object.entries(rules[entity]?.keyDefaults ?? {})) if (isBlank(target[k])) target[k] = v;
    let rec: StoredRecord | undefined;
    if (typeof target.id === 'string') rec = store.byId(entity, target.id);
    const keyFields = ENTITY_KEYS[entity] ?? [];
    if (!rec && keyFields.length && keyFields.every((k) => !isBlank(target[k])))
      rec = store.byKeys(
        entity,
        keyFields.map((k) => target[k]),
      );
    if (!rec || !visible(rec, ctx)) return httpError(res, 404, 'No entity satisfies the condition.');
    const handler = rules[entity]?.actions?.[actionName];
    // Parameters come wrapped like fields ({"AmtToRelease": {"value": 100}}); handlers see plain values.
    const params = Object.fromEntries(
      Object.entries(inv.parameters ?? {}).map(([k, v]) => [
        k,
        v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v,
      ]),
    );
    const target0: StoredRecord = rec;
    /** Runs the action. Handlers check their preconditions before changing anything: a refused one changes nothing. */
    const complete = (out: Response): boolean => {
      if (handler) {
        try {
          handler(target0, params, ctx);
        } catch (err) {
          if (!(err instanceof ActionError)) throw err;
          unprocessable(out, target0, ctx, {}, [], `${actionName}: ${err.message}`);
          return false;
        }
      }
      store.touch(target0);
      return true;
    };
    const base = `/entity/${ctx.contract.endpointName}/${ctx.version}`;
    const self = `${base}/${entity}/${rec.id}`;
    const polls = deps.actionPolls();
    if (polls <= 0) {
      if (!complete(res)) return;
      res.setHeader('Location', self);
      res.status(204).end();
      return;
    }
    // A long-running operation (202): it takes effect when it completes, which is when its status URL is polled
    // for the last time (then 204, or the action's error). A client that never polls sees the record unchanged.
    const opId = randomUUID();
    operations.set(opId, { remaining: polls, self, complete });
    res.setHeader('Location', `${base}/${entity}/${actionName}/status/${opId}`);
    res.status(202).end();
  }

  function actionStatus(res: Response, opId: string): void {
    const op = operations.get(opId);
    if (!op) return httpError(res, 404, 'The operation is not found.');
    if (op.remaining > 0) {
      op.remaining--;
      res.status(202).end();
      return;
    }
    operations.delete(opId);
    if (!op.complete(res)) return;
    res.setHeader('Location', op.self);
    res.status(204).end();
  }

  /**
   * Files attached to records: `PUT files/<graph>/<view>/<record id>/<file name>` (the record's `files:put` link)
   * attaches the request body (a second PUT of the same name replaces it) and answers 204; `GET files/<file id>`
   * answers the bytes. Attached files appear in the record's `files` with their href.
   */
  function files(req: Request, res: Response, rest: string[]): void {
    if (req.method === 'GET' && rest.length === 1) {
      for (const rec of store.records()) {
        const file = ((rec.internal.files as AttachedFile[] | undefined) ?? []).find((f) => f.id === rest[0]);
        if (file) {
          res.type(file.contentType).send(Buffer.from(file.base64, 'base64'));
          return;
        }
      }
      return httpError(res, 404, 'The file is not found.');
    }
    if (req.method !== 'PUT' || rest.length < 3) return httpError(res, 404, 'No entity specified.');
    const filename = rest[rest.length - 1];
    const rec = store.anyById(rest[rest.length - 2]);
    if (!rec) return httpError(res, 404, 'No entity satisfies the condition.');
    const attach = (bytes: Buffer) => {
      const attached = ((rec.internal.files as AttachedFile[] | undefined) ??= []);
      const existing = attached.find((f) => f.filename.toLowerCase() === filename.toLowerCase());
      const content = {
        contentType: req.header('content-type') ?? 'application/octet-stream',
        base64: bytes.toString('base64'),
      };
      if (existing) Object.assign(existing, content);
      else attached.push({ id: randomUUID(), filename, ...content });
      store.touch(rec);
      res.status(204).end();
    };
    const buffered = rawBodyOf(req);
    if (buffered) return attach(buffered);
    express.raw({ type: () => true, limit: '20mb' })(req, res, () =>
      attach(
        Buffer.isBuffer(req.body)
          ? req.body
          : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? '')),
      ),
    );
  }

  const swaggerCache = new Map<string, unknown>();
  function swagger(res: Response, endpoint: string, version: string): void {
    const key = `${endpoint}/${version}`;
    let doc = swaggerCache.get(key);
    if (!doc) {
      doc = endpoint === 'Default' ? loadDocument(version) : deps.extensionDocument(endpoint, version);
      swaggerCache.set(key, doc);
    }
    res.json(doc);
  }

  /** The route handler for /entity/<endpoint>/<version>/... */
  function handle(req: Request, res: Response): void {
    const segs = req.path
      .split('/')
      .slice(2)
      .filter((s, i) => i < 3 || s !== '')
      .map((s) => decodeURIComponent(s));
    const [endpoint, version, entityName, ...rest] = segs;
    const contract = deps.contractFor(endpoint, version);
    if (!contract) return httpError(res, 404, `The endpoint ${endpoint}/${version} is not available on this instance.`);
    const session = deps.currentSession(req);
    if (!session) return httpError(res, 401, 'You are not logged in.');
    if (entityName === 'swagger.json' && req.method === 'GET') {
      // `?company=` names the tenant whose endpoint is described (clients send it; Acumatica's docs write the URL
      // with it). UNVERIFIED: what a real instance answers for another or unknown tenant; here a 404 naming it.
      const company = typeof req.query.company === 'string' ? req.query.company : undefined;
      if (company && company.toLowerCase() !== session.tenant.toLowerCase())
        return httpError(res, 404, `The company '${company}' is not the company of this session (${session.tenant}).`);
      return swagger(res, endpoint, version);
    }
    if (entityName === 'files') return files(req, res, rest);
    if (!entityName) return httpError(res, 404, 'No entity specified.');
    const def = contract.entity(entityName);
    if (!def)
      return httpError(res, 404, `The entity ${entityName} is not defined in the endpoint ${endpoint}/${version}.`);
    if (!settings.projectsFeature && def.screen?.startsWith('PM'))
      return httpError(res, 500, 'An error has occurred.', {
        exceptionMessage: `The form ${def.screen} (${entityName}) is not available: the Projects feature (Project Accounting) is disabled on Enable/Disable Features (CS100000).`,
        exceptionType: 'PX.Data.PXException',
      });
    const headerBranch = req.header('PX-CbApiBranch');
    if (headerBranch && !deps.branchExists(headerBranch))
      return httpError(res, 400, `Branch '${headerBranch}' cannot be found in the system.`);
    const ctx: RequestContext = { version, contract, session, branch: (headerBranch ?? session.branch).toUpperCase() };
    const raw = req.query as Record<string, string | undefined>;
    const bad: string[] = [];
    const q: Query = {
      select: parseTree(raw.$select),
      expand: contract.systemContract >= 5 ? parseExpand5(raw.$expand, bad) : parseTree(raw.$expand),
    };
    // The documents declare $select $filter $expand $custom $skip $top and nothing else (acumatica-api.md §3): no
    // $orderby, no $count. UNVERIFIED: Acumatica's answer to another option; here a 400 naming it, so a client
    // never believes its records came sorted or counted.
    for (const option of Object.keys(raw).filter((k) => k.startsWith('$') && !QUERY_OPTIONS.includes(k)))
      bad.push(`The query option '${option}' is not supported. Supported: ${QUERY_OPTIONS.join(', ')}.`);
    checkTree(q.select, def, '$select', bad);
    checkTree(q.expand, def, '$expand', bad);
    q.custom = parseCustom(raw.$custom, rules[entityName], bad);
    if (bad.length) return httpError(res, 400, 'The request is invalid.', { modelState: { query: bad } });

    try {
      if (entityName === 'CompaniesStructure' && (req.method === 'GET' || req.method === 'PUT') && rest.length === 0) {
        const rec: StoredRecord = {
          id: '00000000-0000-0000-0000-000000000001',
          entity: 'CompaniesStructure',
          values: {
            Results: deps
              .companyStructure()
              .map((r, i) => ({ id: `00000000-0000-0000-0001-${String(i).padStart(12, '0')}`, ...r })),
          },
          internal: {},
        };
        const body = render(rec, ctx, q);
        res.json(req.method === 'GET' ? [body] : body);
        return;
      }
      if (req.method === 'GET' && rest.length === 0) return list(req, res, ctx, entityName, q);
      if (req.method === 'GET' && rest[0] === '$adHocSchema') return adHocSchema(res, def);
      if (req.method === 'GET' && rest.length === 3 && rest[1] === 'status') return actionStatus(res, rest[2]);
      if (req.method === 'GET') return getOne(res, ctx, entityName, rest, q);
      if (req.method === 'PUT' && rest.length === 0) return put(req, res, ctx, entityName, q);
      if (req.method === 'DELETE' && rest.length > 0) return del(res, ctx, entityName, rest);
      if (req.method === 'POST' && rest.length === 1) return action(req, res, ctx, entityName, rest[0]);
      httpError(res, 405, `The requested resource does not support http method '${req.method}'.`);
    } catch (err) {
      if (err instanceof FilterSyntaxError)
        return httpError(res, 400, `The $filter expression is invalid: ${err.message}`);
      httpError(res, 500, 'An error has occurred.', {
        exceptionMessage: (err as Error).message,
        exceptionType: 'System.Exception',
      });
    }
  }

  return { handle, render, clearOperations: () => operations.clear() };
}
