/**
 * Acumatica cost structure -> Procore. Pure; unit-tested.
 *  - `CostCode` -> a standard cost code of the company's ERP list (one company-level list, as Procore's
 *    connector keeps it);
 *  - expense `AccountGroup` -> a line item type (cost type). Procore's base type is read from the account
 *    group's id or description (labor, material, equipment, subcontract), otherwise "other".
 * origin_id carries the Acumatica key, so exports can map Procore's values back (mappings/budget.ts).
 */
type Unwrapped = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Procore cost code `code` column: 20 characters (longer codes go to the exception list). */
export const PROCORE_COST_CODE_MAX = 20;

export interface ProcoreStandardCostCodePayload {
  origin_id: string;
  code: string;
  name: string;
}

export function standardCostCodeFrom(
  c: Unwrapped,
): { ok: true; payload: ProcoreStandardCostCodePayload } | { ok: false; reason: string } {
  const id = str(c.CostCodeID);
  if (!id) return { ok: false, reason: 'The cost code has no ID.' };
  if (id.length > PROCORE_COST_CODE_MAX) {
    return {
      ok: false,
      reason: `Cost code ${id} is ${id.length} characters; Procore allows ${PROCORE_COST_CODE_MAX}.`,
    };
  }
  return { ok: true, payload: { origin_id: id, code: id, name: str(c.Description) ?? id } };
}

export interface ProcoreLineItemTypePayload {
  origin_id: string;
  name: string;
  base_type: 'labor' | 'material' | 'equipment' | 'commitment' | 'other';
}

export function baseTypeFor(idAndName: string): ProcoreLineItemTypePayload['base_type'] {
  if (/labou?r|payroll/i.test(idAndName)) return 'labor';
  if (/material/i.test(idAndName)) return 'material';
  if (/equip/i.test(idAndName)) return 'equipment';
  if (/subcon/i.test(idAndName)) return 'commitment';
  return 'other';
}

export function lineItemTypeFrom(
  g: Unwrapped,
): { ok: true; payload: ProcoreLineItemTypePayload } | { ok: false; reason: string } {
  const id = str(g.AccountGroupID);
  if (!id) return { ok: false, reason: 'The account group has no ID.' };
  const name = str(g.Description) ?? id;
  return { ok: true, payload: { origin_id: id, name, base_type: baseTypeFor(`${id} ${name}`) } };
}

/** Procore line item type codes are short: the first letters of the account group id. */
export function lineItemTypeCode(originId: string): string {
  return originId
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 10)
    .toUpperCase();
}
