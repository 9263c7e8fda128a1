/**
 * Vendor import, per branch: Acumatica vendors visible to a connected branch -> Procore company directory.
 * Existing Procore vendors are matched by tax id, then normalised name, and linked (their origin_id set)
 * instead of duplicated. A vendor deleted in Acumatica is made inactive in Procore.
 */
import { val } from '../../clients/acumatica/client';
import { gt } from '../../clients/acumatica/odata';
import { procoreVendorFrom, vendorMatchKeys, type ProcoreVendorPayload } from '../../mappings/vendor-import';
import type { Importer, WriteOutcome } from './types';

/** Procore's /sync endpoints take up to 1,000 items a call (procore-api.md §3). */
export const PROCORE_SYNC_BATCH = 1000;

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

  async write(ctx, items) {
    const outcomes: WriteOutcome[] = [];
    for (let i = 0; i < items.length; i += PROCORE_SYNC_BATCH) {
      const batch = items.slice(i, i + PROCORE_SYNC_BATCH);
      // Sending both id and origin_id is how Procore links an existing record (procore-api.md §3).
      const updates = batch.map((item) => (item.procoreId ? { id: item.procoreId, ...item.payload } : item.payload));
      const { entities, errors } = await ctx.procore.syncVendors(ctx.companyId, updates);
      const byOrigin = new Map<string, string>(
        entities.map((e: { id: unknown; origin_id?: unknown }) => [String(e.origin_id), String(e.id)]),
      );
      for (const item of batch) {
        const procoreId = byOrigin.get(item.acumaticaKey);
        const error = errors.find(
          (e: Record<string, unknown>) => String((e as { origin_id?: unknown }).origin_id) === item.acumaticaKey,
        );
        outcomes.push(
          procoreId
            ? { acumaticaKey: item.acumaticaKey, procoreId }
            : {
                acumaticaKey: item.acumaticaKey,
                error: error ? JSON.stringify(error).slice(0, 500) : 'Procore did not return the vendor',
              },
        );
      }
    }
    return outcomes;
  },

  async retire(ctx, procoreIds) {
    for (let i = 0; i < procoreIds.length; i += PROCORE_SYNC_BATCH) {
      const updates = procoreIds.slice(i, i + PROCORE_SYNC_BATCH).map((id) => ({ id, is_active: false }));
      await ctx.procore.syncVendors(ctx.companyId, updates);
    }
  },
};
