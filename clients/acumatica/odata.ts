/**
 * A small OData v3 `$filter` builder for Acumatica's contract-based API. Values are rendered as literals:
 * strings quoted with single quotes doubled (`O'Brien` -> 'O''Brien'), numbers and booleans bare, dates as
 * datetimeoffset'<ISO 8601>' literals. The client URL-encodes the whole expression, so `&`, `+` and `:` survive.
 *
 *   and(eq('VendorRef', marker), gt('LastModifiedDateTime', since))
 */

export type ODataValue = string | number | boolean | Date | null;

/** A field path, e.g. 'VendorID' or 'MainContact/Email'. */
export type ODataField = string;

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

function field(name: ODataField): string {
  if (!FIELD.test(name)) throw new Error(`Invalid OData field path: ${JSON.stringify(name)}`);
  return name;
}

/** `datetimeoffset'2024-07-15T10:31:28.402+00:00'` */
export function datetimeoffset(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid date for OData literal: ${String(d)}`);
  return `datetimeoffset'${date.toISOString().replace('Z', '+00:00')}'`;
}

/** Renders a value as an OData literal. */
export function literal(v: ODataValue): string {
  if (v === null) return 'null';
  if (v instanceof Date) return datetimeoffset(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Invalid number for OData literal: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `'${v.replace(/'/g, "''")}'`;
}

const cmp =
  (op: string) =>
  (f: ODataField, v: ODataValue): string =>
    `${field(f)} ${op} ${literal(v)}`;

export const eq = cmp('eq');
export const ne = cmp('ne');
export const gt = cmp('gt');
export const ge = cmp('ge');
export const lt = cmp('lt');
export const le = cmp('le');

type Part = string | undefined | null | false;

function join(op: 'and' | 'or', parts: Part[]): string {
  const list = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  if (list.length === 0) throw new Error(`${op}() needs at least one expression`);
  if (list.length === 1) return list[0];
  return list.map((p) => `(${p})`).join(` ${op} `);
}

/** Conjunction; falsy parts are skipped so optional conditions can be inlined. */
export function and(...parts: Part[]): string {
  return join('and', parts);
}

export function or(...parts: Part[]): string {
  return join('or', parts);
}

export function not(expr: string): string {
  return `not (${expr})`;
}

export function startswith(f: ODataField, prefix: string): string {
  return `startswith(${field(f)}, ${literal(prefix)})`;
}

export function endswith(f: ODataField, suffix: string): string {
  return `endswith(${field(f)}, ${literal(suffix)})`;
}

/** True when `f` contains `needle` (OData v3 argument order: needle first). */
export function substringof(needle: string, f: ODataField): string {
  return `substringof(${literal(needle)}, ${field(f)})`;
}
