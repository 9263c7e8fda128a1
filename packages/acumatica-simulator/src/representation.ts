/**
 * The JSON representation of the contract-based API, version by version: rendering stored records
 * (value-wrapped fields, `id`, `rowNumber`, `note`, `custom`, `files`, `_links`; linked and detail entities only
 * when expanded; `$select`; `$custom` fields), and binding request bodies to the version's contract (unknown or
 * unwrapped fields are collected as issues, answered 400 by the server).
 *
 * Custom fields (outside the contract) are stored in `__custom` ({View: {Field: value}}) on the record's values
 * and on detail lines, and shown only when `$custom=View.Field` asks for them, like Acumatica.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EndpointContract, FieldDef, SchemaDef } from './contract';
import type { CustomFieldType, EntityBehaviour } from './rules';
import { labelOf, selectValue } from './select-lists';
import { type StoredLine, type StoredRecord, sameKey } from './store';

export type Tree = Map<string, Tree>;

export const META_KEYS = new Set(['id', 'rowNumber', 'note', 'custom', 'files', '_links', 'error', 'delete']);

/** Parsed `$custom`: view -> field names. */
export type CustomSelection = Map<string, Set<string>>;

export function parseCustom(
  list: string | undefined,
  beh: EntityBehaviour | undefined,
  bad: string[],
): CustomSelection | undefined {
  if (!list || !list.trim()) return undefined;
  const out: CustomSelection = new Map();
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [view, field] = item.split('.');
    if (!field || !beh?.custom?.fields[`${view}.${field}`]) {
      bad.push(`$custom: '${item}' is not a field of the entity's screen`);
      continue;
    }
    if (!out.has(view)) out.set(view, new Set());
    out.get(view)!.add(field);
  }
  return out;
}

const customType = (beh: EntityBehaviour | undefined, view: string, field: string): CustomFieldType =>
  beh?.custom?.fields[`${view}.${field}`] ?? 'CustomStringField';

function renderCustom(
  stored: unknown,
  views: string[],
  sel: CustomSelection | undefined,
  beh: EntityBehaviour | undefined,
): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  if (!sel) return out;
  const data = (stored ?? {}) as Record<string, Record<string, unknown>>;
  for (const view of views) {
    const fields = sel.get(view);
    if (!fields) continue;
    out[view] = {};
    for (const f of fields) {
      const v = data[view]?.[f];
      out[view][f] = { type: customType(beh, view, f), ...(v === undefined || v === null ? {} : { value: v }) };
    }
  }
  return out;
}

/** Reads a body's `custom` block: {View: {Field: {type, value}}} -> {View: {Field: value}}; unknown fields are issues. */
export function bindCustom(
  raw: unknown,
  views: string[],
  beh: EntityBehaviour | undefined,
  path: string,
  issues: string[],
): Record<string, Record<string, unknown>> | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [view, fields] of Object.entries(raw as Record<string, unknown>)) {
    if (!fields || typeof fields !== 'object') continue;
    for (const [f, w] of Object.entries(fields as Record<string, unknown>)) {
      if (!views.includes(view) || !beh?.custom?.fields[`${view}.${f}`]) {
        issues.push(`${path}custom.${view}.${f}: the field is not defined on the screen`);
        continue;
      }
      (out[view] ??= {})[f] = (w as { value?: unknown } | null)?.value ?? null;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

export interface RenderOptions {
  select?: Tree;
  expand?: Tree;
  custom?: CustomSelection;
  rowNumber?: number;
}

export const parseTree = (list: string | undefined): Tree | undefined => {
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

/**
 * System contract 5 writes nested `$expand` as `Parent($expand=Child,Other($expand=Deeper))` (the slash form of
 * contract 4 is refused). Options other than `$expand` inside the parentheses (`$select`) are accepted and not
 * applied.
 */
export const parseExpand5 = (list: string | undefined, bad: string[]): Tree | undefined => {
  if (list === undefined || list.trim() === '') return undefined;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(why);
  };
  const items = (): Tree => {
    const out: Tree = new Map();
    for (;;) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*/.exec(list.slice(i));
      if (!m) fail(`'${list.slice(i)}' is not an entity name`);
      i += m![0].length;
      const name = m![1];
      if (list[i] === '/')
        fail(`'${name}/...': contract 5 writes nested entities as ${name}($expand=...), not with '/'`);
      const node: Tree = out.get(name) ?? new Map();
      out.set(name, node);
      if (list[i] === '(') {
        i++;
        for (;;) {
          const opt = /^\s*(\$[a-z]+)=/.exec(list.slice(i));
          if (!opt) fail(`expected $expand=... inside ${name}(...)`);
          i += opt![0].length;
          if (opt![1] === '$expand') for (const [k, v] of items()) node.set(k, v);
          else {
            let depth = 0;
            while (i < list.length && !(depth === 0 && (list[i] === ';' || list[i] === ')'))) {
              if (list[i] === '(') depth++;
              if (list[i] === ')') depth--;
              i++;
            }
          }
          if (list[i] === ';') {
            i++;
            continue;
          }
          if (list[i] !== ')') fail(`missing ')' after ${name}(`);
          i++;
          break;
        }
      }
      while (list[i] === ' ') i++;
      if (list[i] === ',') {
        i++;
        continue;
      }
      return out;
    }
  };
  try {
    const tree = items();
    if (i < list.length) fail(`unexpected '${list.slice(i)}'`);
    return tree;
  } catch (err) {
    bad.push(`$expand: ${(err as Error).message}`);
    return undefined;
  }
};

export const checkTree = (
  tree: Tree | undefined,
  schema: SchemaDef,
  param: string,
  bad: string[],
  prefix = '',
): void => {
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

/** A file attached to a record (PUT to its `files:put` link), kept in the record's internal state. */
export interface AttachedFile {
  id: string;
  filename: string;
  contentType: string;
  base64: string;
}

/** A GUID that is the same every time for the linked entity `field` of the record or line `ownerId`. */
function linkedEntityId(ownerId: string, field: string): string {
  const h = createHash('sha1').update(`${ownerId}/${field}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function createRepresentation(rulesOf: (entity: string) => EntityBehaviour | undefined) {
  /** Contract 5: drop-downs are `{id, description}`, date-only fields `YYYY-MM-DD`. */
  const renderValue = (v: unknown, f: FieldDef & { kind: 'value' }, schema: string, c5: boolean) => {
    if (v === null || v === undefined) return {};
    if (c5 && f.valueType === 'StringSingleSelectValue') return { value: selectValue(schema, f.name, v) };
    if (c5 && f.valueType === 'DateOnlyValue') return { value: String(v).slice(0, 10) };
    return { value: v };
  };

  const renderObject = (
    values: Record<string, unknown>,
    schema: SchemaDef,
    select: Tree | undefined,
    expand: Tree | undefined,
    custom?: { sel?: CustomSelection; beh?: EntityBehaviour },
    c5 = false,
    ownerId = '',
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, f] of schema.fields) {
      const sel = select?.get(name);
      if (select && !sel) continue;
      if (!(name in values) || ((values[name] === null || values[name] === undefined) && f.kind === 'detail')) {
        // An expanded detail collection with nothing in it is `[]`; contract 5 may answer null for it and for an
        // empty linked entity (contract/README.md).
        if (f.kind !== 'value' && expand?.has(name)) {
          if (c5) out[name] = null;
          else if (f.kind === 'detail') out[name] = [];
        }
        continue;
      }
      const v = values[name];
      if (f.kind === 'value') {
        out[name] = renderValue(v, f, schema.name, c5);
        continue;
      }
      const exp = expand?.get(name);
      if (!exp) continue;
      const sub = schema.contract.schema(f.schema);
      if (!sub) continue;
      const subSelect = sel && sel.size > 0 ? sel : undefined;
      if (c5 && (v === null || v === undefined)) {
        out[name] = null;
        continue;
      }
      if (f.kind === 'linked' && v && typeof v === 'object') {
        // A linked entity has its own id and note like any entity (the contract declares note a StringValue); one
        // stored without an id gets a stable one derived from its owner.
        const id = (v as { id?: string }).id ?? linkedEntityId(ownerId, name);
        out[name] = {
          id,
          rowNumber: 1,
          note: { value: '' },
          ...renderObject(v as Record<string, unknown>, sub, subSelect, exp, undefined, c5, id),
          custom: {},
        };
      } else if (f.kind === 'detail' && Array.isArray(v)) {
        const view = custom?.beh?.custom?.details?.[name];
        out[name] = (v as StoredLine[]).map((line, i) => ({
          id: line.id,
          rowNumber: i + 1,
          note: { value: (line.__note as string) ?? '' },
          ...renderObject(line, sub, subSelect, exp, undefined, c5, line.id),
          custom: view ? renderCustom(line.__custom, [view], custom?.sel, custom?.beh) : {},
        }));
      }
    }
    return out;
  };

  const renderEntity = (
    rec: StoredRecord,
    ctx: { version: string; contract: EndpointContract },
    select: Tree | undefined,
    expand: Tree | undefined,
    rowNumber = 1,
    customSel?: CustomSelection,
  ): Record<string, unknown> => {
    const def = ctx.contract.entity(rec.entity)!;
    const beh = rulesOf(rec.entity);
    const graph = beh?.graph ?? `PX.Objects.${rec.entity}Maint/Document`;
    const files = (rec.internal.files as AttachedFile[] | undefined) ?? [];
    const base = `/entity/${ctx.contract.endpointName}/${ctx.version}`;
    return {
      id: rec.id,
      rowNumber,
      note: { value: (rec.internal.note as string) ?? '' },
      ...renderObject(
        rec.values,
        def,
        select,
        expand,
        { sel: customSel, beh },
        ctx.contract.systemContract >= 5,
        rec.id,
      ),
      custom: beh?.custom ? renderCustom(rec.values.__custom, [beh.custom.header], customSel, beh) : {},
      files: files.map((f) => ({ id: f.id, filename: f.filename, href: `${base}/files/${f.id}` })),
      _links: {
        self: `${base}/${rec.entity}/${rec.id}`,
        'files:put': `${base}/files/${graph}/${rec.id}/{filename}`,
      },
    };
  };

  // ---------------------------------------------------------------- body binding
  const coerce = (
    f: FieldDef & { kind: 'value' },
    raw: unknown,
    path: string,
    issues: string[],
    schema: SchemaDef,
  ): unknown => {
    if (raw === null || raw === undefined) return null;
    switch (f.valueType) {
      case 'StringSingleSelectValue': {
        const id = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { id?: unknown }).id : undefined;
        if (typeof id !== 'string') {
          issues.push(`${path}: a single-select value {"value": {"id": "..."}} is expected`);
          return raw;
        }
        return labelOf(schema.name, f.name, id);
      }
      case 'DateOnlyValue':
        if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(Date.parse(raw))) {
          issues.push(`${path}: '${String(raw)}' is not a valid date (YYYY-MM-DD)`);
          return raw;
        }
        return `${raw.slice(0, 10)}T00:00:00+00:00`;
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

  /** `customView`: the screen view whose custom fields this object may carry (header or detail line). */
  const bind = (
    body: unknown,
    schema: SchemaDef,
    path: string,
    issues: string[],
    beh?: EntityBehaviour,
    customView?: string,
  ): Record<string, unknown> => {
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
        if (k === 'custom') {
          const c = bindCustom(v, customView ? [customView] : [], beh, path ? `${path}.` : '', issues);
          if (c) out.__custom = c;
        }
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
        out[k] = coerce(f, (v as { value: unknown }).value, p, issues, schema);
      } else {
        const sub = schema.contract.schema(f.schema);
        if (!sub) continue;
        if (f.kind === 'linked') out[k] = bind(v, sub, p, issues);
        else if (!Array.isArray(v)) issues.push(`${p}: an array is expected`);
        else out[k] = v.map((line, i) => bind(line, sub, `${p}[${i}]`, issues, beh, beh?.custom?.details?.[k]));
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
      if (k === '__custom') {
        const cur = (target.__custom ??= {}) as Record<string, Record<string, unknown>>;
        for (const [view, fields] of Object.entries(v as Record<string, Record<string, unknown>>))
          cur[view] = { ...cur[view], ...fields };
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

  const render = (
    rec: StoredRecord,
    ctx: { version: string; contract: EndpointContract },
    o: RenderOptions = {},
  ): Record<string, unknown> => renderEntity(rec, ctx, o.select, o.expand, o.rowNumber ?? 1, o.custom);

  /** Binds a PUT body or an action's `entity` to the entity's contract (and its custom fields). */
  const bindEntity = (body: unknown, def: SchemaDef, path: string, issues: string[]): Record<string, unknown> => {
    const beh = rulesOf(def.name);
    return bind(body, def, path, issues, beh, beh?.custom?.header);
  };

  return { render, bindEntity, mergeInto };
}
