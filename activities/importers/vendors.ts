/**
 * Vendor import, per branch: Acumatica vendors visible to a connected branch -> Procore company directory.
 * Existing Procore vendors are matched by tax id, then normalised name, and linked (their origin_id set)
 * instead of duplicated. A vendor deleted in Acumatica is made inactive in Procore.
 */
import { val } from '../../clients/acumatica/client';
import { gt } from '../../clients/acumatica/odata';
import { procoreVendorFrom, vendorMatchKeys, type ProcoreVendorPayload } from '../../mappings/vendor-import';
import { PROCORE_SYNC_BATCH, writeThroughSync } from './procore-sync';
import type { Importer } from './types';

export const vendorImporter: Importer<ProcoreVendorPayload> = {
  procoreEntity: 'vendor',
  acumaticaEntity: 'Vendor',

  readPage(ctx, scope, { since, skip, top }) {
    return ctx.acumatica.list('Vendor', {
      filter: since ? gt('LastModifiedDateTime', since) : undefined,
      expand: ['MainContact/Address'],
      top,
      skip,
      branch: scope.branch ?? undefined,
    });
  },

  keyOf: (record) => String(val(record.VendorID)),
  map: procoreVendorFrom,
  matchKeys: vendorMatchKeys,

  async buildMatchIndex(ctx) {
    const entries: Array<{ matchKey: string; procoreId: string }> = [];
    for await (const page of ctx.procore.listVendors(ctx.companyId)) {
      for (const v of page) {
        if (v.origin_id) continue;
        const business = v.business_id == null ? null : String(v.business_id);
        for (const matchKey of vendorMatchKeys({ name: v.name, business_id: business })) {
          entries.push({ matchKey, procoreId: String(v.id) });
        }
      }
    }
    return entries;
  },

  write: (ctx, items) => writeThroughSync(items, (updates) => ctx.procore.syncVendors(ctx.companyId, updates)),

  async retire(ctx, procoreIds) {
    for (let i = 0; i < procoreIds.length; i += PROCORE_SYNC_BATCH) {
      const updates = procoreIds.slice(i, i + PROCORE_SYNC_BATCH).map((id) => ({ id, is_active: false }));
      await ctx.procore.syncVendors(ctx.companyId, updates);
    }
  },
};
