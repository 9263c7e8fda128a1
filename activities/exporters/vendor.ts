/**
 * Vendor exporter (`create_vendor`): Procore company-directory vendor -> Acumatica `Vendor`.
 * An earlier export is found by AccountRef = PROCORE-<vendor id>; failing that, a vendor that already exists
 * in Acumatica under the same name (and tax id, when both have one) is adopted and linked instead of creating
 * a duplicate — the duplicate vendors accountants chase today.
 */
import { val } from '../../clients/acumatica/client';
import { eq } from '../../clients/acumatica/odata';
import { procoreMarker } from '../../lib/ids';
import { mapVendor, type VendorSnapshot } from '../../mappings/vendor';
import type { Exporter } from './types';

export const vendorExporter: Exporter<VendorSnapshot, null> = {
  procoreEntity: 'vendor',
  externalDataItemType: 'vendor',
  acumaticaEntity: 'Vendor',
  expand: ['MainContact'],
  // An adopted vendor keeps its key and the class the accountants gave it.
  immutableFields: ['VendorID', 'VendorClass'],

  async load(ctx, ref) {
    const v = await ctx.procore.getVendor(ref.companyId, ref.procoreId);
    return {
      procoreId: String(v.id),
      label: v.name,
      lineIds: [],
      name: v.name,
      originCode: v.origin_code ?? null,
      tradeName: (v as { trade_name?: string | null }).trade_name ?? null,
      taxId: v.business_id == null ? null : String(v.business_id),
      email: v.email_address ?? null,
      phone: v.business_phone ?? null,
      address: v.address ?? null,
      city: v.city ?? null,
      stateCode: v.state_code ?? null,
      zip: v.zip ?? null,
      countryCode: v.country_code ?? null,
      isActive: v.is_active ?? true,
    };
  },

  async preflight(_ctx, v) {
    if (!v.name.trim()) {
      return {
        ok: false,
        problems: ['The vendor has no name. Enter the company name in the Procore directory, then resend.'],
      };
    }
    return { ok: true, targets: null };
  },

  async findExisting(ctx, v) {
    const [byMarker] = await ctx.acumatica.list('Vendor', {
      filter: eq('AccountRef', procoreMarker(v.procoreId)),
      top: 2,
    });
    if (byMarker) return byMarker;
    const sameName = await ctx.acumatica.list('Vendor', { filter: eq('VendorName', v.name), top: 5 });
    return sameName.find((r) => {
      const taxId = val<string>(r.TaxRegistrationID);
      return !v.taxId || !taxId || taxId === v.taxId;
    });
  },

  toAcumatica: (v) => mapVendor(v),

  readResult(record) {
    return { acumaticaKey: String(val(record.VendorID)), acumaticaId: record.id, lineKeys: [] };
  },
};
