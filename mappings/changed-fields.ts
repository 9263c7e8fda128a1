/**
 * What a re-export must send for one Acumatica record or detail row: the scalar fields whose mapped value
 * differs from what Acumatica holds. A PUT writes only what it carries (acumatica-api.md §3.3), so an update that
 * sends only these changes nothing else. Pure; unit-tested.
 */

/** Acumatica answers dates as date-times ("2024-03-18T00:00:00+00:00") for the "2024-03-18" we send. */
export function sameValue(desired: unknown, current: unknown): boolean {
  if (desired === current) return true;
  if (typeof desired === 'number' && typeof current === 'number') return Math.abs(desired - current) < 1e-9;
  return typeof desired === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(desired) && String(current).startsWith(desired);
}

/** A value-wrapped field's value (`{value: 12}` -> 12); plain values pass through. */
export function currentValue(field: unknown): unknown {
  if (field !== null && typeof field === 'object' && !Array.isArray(field)) return (field as { value?: unknown }).value;
  return field;
}

/**
 * Scalar fields of `desired` that differ from `existing` (Acumatica's value-wrapped record or row). Detail
 * collections, linked entities, undefined values and `immutable` fields are left out.
 */
export function changedFields(
  desired: Record<string, unknown>,
  existing: Record<string, unknown>,
  immutable: string[] = [],
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(desired)) {
    if (Array.isArray(value) || value === undefined || immutable.includes(field)) continue;
    if (typeof value === 'object' && value !== null) continue; // linked entities are left as they are
    if (!sameValue(value, currentValue(existing[field]))) changed[field] = value;
  }
  return changed;
}
