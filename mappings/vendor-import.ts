/**
 * Acumatica `Vendor` -> Procore company-directory vendor (PATCH /vendors/sync payload). Pure; unit-tested.
 * `origin_id` and `origin_code` carry the Acumatica Vendor ID: origin_id makes Procore match the record on
 * the next sync (and locks it as ERP-managed), origin_code is the id people see.
 */
export interface ProcoreVendorPayload {
  origin_id: string;
  origin_code: string;
  name: string;
  is_active: boolean;
  business_id?: string;
  email_address?: string;
  business_phone?: string;
  address?: string;
  city?: string;
  state_code?: string;
  zip?: string;
  country_code?: string;
}

/** Procore's vendor name column holds 255 characters. */
const PROCORE_NAME_MAX = 255;

type Unwrapped = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function procoreVendorFrom(
  vendor: Unwrapped,
): { ok: true; payload: ProcoreVendorPayload } | { ok: false; reason: string } {
  const id = str(vendor.VendorID);
  const name = str(vendor.VendorName);
  if (!id) return { ok: false, reason: 'The vendor has no Vendor ID.' };
  if (!name) return { ok: false, reason: `Vendor ${id} has no name; enter the Vendor Name in Acumatica (AP303000).` };
  if (name.length > PROCORE_NAME_MAX) {
    return {
      ok: false,
      reason: `Vendor ${id}'s name is ${name.length} characters; Procore allows ${PROCORE_NAME_MAX}.`,
    };
  }
  const contact = (vendor.MainContact as Unwrapped | undefined) ?? {};
  const address = (contact.Address as Unwrapped | undefined) ?? {};
  return {
    ok: true,
    payload: {
      origin_id: id,
      origin_code: id,
      name,
      is_active: str(vendor.Status) !== 'Inactive',
      business_id: str(vendor.TaxRegistrationID),
      email_address: str(contact.Email),
      business_phone: str(contact.Phone1),
      address: str(address.AddressLine1),
      city: str(address.City),
      state_code: str(address.State),
      zip: str(address.PostalCode),
      country_code: str(address.Country),
    },
  };
}

/** Keys that identify the same company on both sides when no link exists yet: tax id, then name. */
export function vendorMatchKeys(v: { name: string; business_id?: string | null }): string[] {
  const keys: string[] = [];
  if (v.business_id) keys.push(`tax:${v.business_id.replace(/[^0-9A-Za-z]/g, '').toUpperCase()}`);
  keys.push(`name:${normaliseName(v.name)}`);
  return keys;
}

/** "O'Brien & Sons Masonry, LLC" and "OBrien and Sons Masonry" match. */
export function normaliseName(name: string): string {
  return name
    .toUpperCase()
    .replace(/&/g, ' AND ')
    .replace(/[^A-Z0-9 ]/g, '')
    .replace(/\b(LLC|INC|CO|CORP|CORPORATION|LTD|COMPANY)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
