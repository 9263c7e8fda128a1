/**
 * The JSON shape of Acumatica's contract-based API: value-wrapped fields (`{"value": ...}`), system fields
 * (`id`, `rowNumber`, `note`, `custom`, `files`, `_links`), linked entities as objects and detail collections as
 * arrays; plus the per-field `error`s of a 422.
 */

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

const SYSTEM_KEYS = new Set(['id', 'rowNumber', 'custom', 'files', '_links', 'error', 'delete']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
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

/** Reads a `$custom` field of a record or row: `customVal(bill, 'Document', 'CuryRetainageTotal')` -> 473.46. */
export function customVal<T = unknown>(record: AcumaticaRecord, view: string, field: string): T | undefined {
  const custom = record.custom as Record<string, Record<string, unknown>> | undefined;
  return val<T>(custom?.[view]?.[field]);
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
