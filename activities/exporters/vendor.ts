/**
 * Vendor exporter (`create_vendor`): Procore company-directory vendor -> Acumatica `Vendor`.
 * An earlier export is found by its link (a vendor import or onboarding linked it) or AccountRef = PROCORE-<vendor
 * id>; failing that, a vendor that already exists
 * in Acumatica under the same name (and tax id, when both have one) is adopted and linked instead of creating
 * a duplicate — the duplicate vendors accountants chase today — unless that vendor carries another Procore vendor's
 * marker. A new vendor is inserted only (If-None-Match: *): a Vendor ID Acumatica already has (another case, another
 * branch's restricted vendor) fails the export naming that vendor; it is never updated (find-or-create.ts).
 */
import { val } from '../../clients/acumatica/client';
import { eq } from '../../clients/acumatica/odata';
import { NotFoundError } from '../../lib/errors';
import { isOtherProcoreMarker, procoreMarker } from '../../lib/ids';
import { findLink } from '../../store/links';
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
    // Linked (by the vendor import or onboarding): that vendor is this one's, whatever its marker.
    const linked = await findLink(ctx.db, ctx.companyId, 'vendor', v.procoreId);
    if (linked) {
      const [byLink] = await ctx.acumatica.list('Vendor', { filter: eq('VendorID', linked.acumaticaKey), top: 1 });
      if (byLink) return byLink;
    }
    const [byMarker] = await ctx.acumatica.list('Vendor', {
      filter: eq('AccountRef', procoreMarker(v.procoreId)),
      top: 2,
    });
    if (byMarker) return byMarker;
    const sameName = await ctx.acumatica.list('Vendor', { filter: eq('VendorName', v.name), top: 5 });
    return sameName.find((r) => {
      // A vendor exported for another Procore vendor is that vendor's: never adopted (nor renamed) here.
      if (isOtherProcoreMarker(val(r.AccountRef), v.procoreId)) return false;
      const taxId = val<string>(r.TaxRegistrationID);
      return !v.taxId || !taxId || taxId === v.taxId;
    });
  },

  async insertConflict(ctx, v, desired) {
    const vendorId = String(desired.VendorID);
    // Not found by key although the key is taken: the vendor is restricted to a branch the connection cannot see.
    const existing = await ctx.acumatica.get('Vendor', [vendorId]).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    const typed = v.originCode?.trim() ? `typed in Procore as "${v.originCode.trim()}"` : 'derived from its Procore id';
    const who = existing
      ? `vendor ${String(val(existing.VendorID))} "${String(val(existing.VendorName) ?? '')}"` +
        (isOtherProcoreMarker(val(existing.AccountRef), v.procoreId)
          ? ` (exported from Procore vendor ${String(val(existing.AccountRef)).replace(/^PROCORE-/i, '')})`
          : '')
      : `vendor ${vendorId} (restricted to a branch the connection cannot see)`;
    return (
      `Vendor ID ${vendorId} (${typed}) already belongs to Acumatica ${who}, which this export did not create. ` +
      `Nothing was changed in Acumatica. If it is the same company, link it: import Acumatica's vendors into Procore ` +
      `(Refresh vendors in the ERP Integrations tool) or run the connector's onboarding; otherwise type another ` +
      `Vendor ID for "${v.name}" in Procore. Then resend.`
    );
  },

  toAcumatica: (v) => mapVendor(v),

  readResult(record) {
    return { acumaticaKey: String(val(record.VendorID)), acumaticaId: record.id, lineKeys: [] };
  },
};
