/**
 * Procore company-directory vendor -> Acumatica `Vendor` (AP303000). Pure; unit-tested.
 *
 * Vendor ID rule: the ERP id the approver typed in Procore (`origin_code`) when there is one, else `PC` + the
 * Procore vendor id (e.g. PC31007): deterministic, unique per Procore vendor, and outside Acumatica's own
 * numbering, so it never collides with a vendor created in Acumatica.
 * Vendor class: `SUPPLIER` for material suppliers (Procore trade name mentions supply/supplier/materials),
 * otherwise `SUBCON`.
 * The marker `PROCORE-<id>` goes to AccountRef, which the connector searches before any create.
 */
import { procoreMarker } from '../lib/ids';

export interface VendorSnapshot {
  procoreId: string;
  label: string;
  lineIds: string[];
  name: string;
  originCode: string | null;
  tradeName: string | null;
  taxId: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  city: string | null;
  stateCode: string | null;
  zip: string | null;
  countryCode: string | null;
  isActive: boolean;
}

/** Acumatica's AcctCD holds 30 characters; VendorName (AcctName) 255. */
const VENDOR_ID_MAX = 30;
const NAME_MAX = 255;

export function vendorIdFor(v: VendorSnapshot): string {
  const given = v.originCode?.trim().toUpperCase();
  return (given || `PC${v.procoreId}`).slice(0, VENDOR_ID_MAX);
}

export function vendorClassFor(v: VendorSnapshot): 'SUPPLIER' | 'SUBCON' {
  return /suppl|material/i.test(v.tradeName ?? '') ? 'SUPPLIER' : 'SUBCON';
}

export function mapVendor(v: VendorSnapshot): Record<string, unknown> {
  return {
    VendorID: vendorIdFor(v),
    VendorName: v.name.slice(0, NAME_MAX),
    VendorClass: vendorClassFor(v),
    Status: v.isActive ? 'Active' : 'Inactive',
    AccountRef: procoreMarker(v.procoreId),
    TaxRegistrationID: v.taxId ?? undefined,
    MainContact: {
      Email: v.email ?? undefined,
      Phone1: v.phone ?? undefined,
      Address: {
        AddressLine1: v.address ?? undefined,
        City: v.city ?? undefined,
        State: v.stateCode ?? undefined,
        PostalCode: v.zip ?? undefined,
        Country: v.countryCode ?? undefined,
      },
    },
  };
}
