/**
 * The activities every import runs, whatever the entity (the importer for `kind` supplies the specifics).
 * One call = one page, so a killed worker loses at most a page; the workflow keeps the cursor.
 *  - Delta only: a record whose mapped content hashes the same as its link's data_hash causes no write.
 *  - Never duplicated: linked records are updated by Procore id; unlinked ones matched by the match index are
 *    linked (id + origin_id); only the rest are created, and Procore's sync matches them by origin_id, so a
 *    retried page re-sends the same origin_ids and creates nothing twice.
 *  - Bad data goes to the exception list; the rest of the page is written.
 */
import { unwrap } from '../clients/acumatica/client';
import type { ProcoreClient } from '../clients/procore/client';
import { contentHash } from '../lib/hash';
import type { Db } from '../store/db';
import {
  advanceWatermark,
  getWatermark,
  importedLinks,
  lookupMatches,
  recordExceptions,
  replaceMatchIndex,
  type ImportException,
} from '../store/imports';
import { getConnection } from '../store/connections';
import { upsertLink, type ProcoreEntity } from '../store/links';
import type { CompanyClients } from './company-clients';
import { importerFor } from './importers';
import type { ImportContext, WriteItem } from './importers/types';

export interface ImportDeps {
  db: Db;
  procore: ProcoreClient;
  companies: CompanyClients;
}

export interface ImportPageInput {
  kind: string;
  companyId: string;
  branch: string | null;
  workflowId: string;
  /** ISO time; records modified after it are read. Null reads everything (full reconciliation). */
  since: string | null;
  skip: number;
  top: number;
  /** Record the keys seen, for deletion reconciliation at the end of a full run. */
  trackSeen: boolean;
}

export interface ImportPageResult {
  read: number;
  written: number;
  unchanged: number;
  exceptions: number;
  /** Newest LastModifiedDateTime on the page (ISO), for the watermark. */
  maxModified: string | null;
  hasMore: boolean;
}

function lastModified(record: Record<string, unknown>): string | null {
  const v = (record.LastModifiedDateTime as { value?: string } | undefined)?.value;
  return v ? new Date(v).toISOString() : null;
}

export function createImportActivities({ db, procore, companies }: ImportDeps) {
  const context = async (companyId: string): Promise<ImportContext> => ({
    db,
    procore,
    companyId,
    acumatica: await companies.acumatica(companyId),
  });

  return {
    async loadCompanyBranchesActivity(input: { companyId: string }): Promise<string[]> {
      const connection = await getConnection(db, input.companyId);
      return connection?.branches ?? [];
    },

    async getImportWatermarkActivity(input: { companyId: string; branch: string | null; kind: string }) {
      const mark = await getWatermark(db, input.companyId, input.branch ?? '', input.kind);
      return mark ? mark.toISOString() : null;
    },

    async advanceImportWatermarkActivity(input: {
      companyId: string;
      branch: string | null;
      kind: string;
      to: string;
    }) {
      await advanceWatermark(db, input.companyId, input.branch ?? '', input.kind, new Date(input.to));
    },

    async buildMatchIndexActivity(input: { kind: string; companyId: string }): Promise<number> {
      const importer = importerFor(input.kind);
      if (!importer.buildMatchIndex) return 0;
      const entries = await importer.buildMatchIndex(await context(input.companyId));
      await replaceMatchIndex(db, input.companyId, importer.procoreEntity, entries);
      return entries.length;
    },

    async importPageActivity(input: ImportPageInput): Promise<ImportPageResult> {
      const importer = importerFor(input.kind);
      const ctx = await context(input.companyId);
      const scope = { companyId: input.companyId, branch: input.branch };
      const records = await importer.readPage(ctx, scope, {
        since: input.since ? new Date(input.since) : null,
        skip: input.skip,
        top: input.top,
      });

      const exceptions: ImportException[] = [];
      const candidates = new Map<string, { payload: unknown; hash: string }>();
      let maxModified: string | null = null;
      for (const record of records) {
        const key = importer.keyOf(record);
        const plain = unwrap(record);
        const modified = lastModified(record);
        if (modified && (!maxModified || modified > maxModified)) maxModified = modified;
        const mapped = importer.map(plain);
        if (!mapped.ok) {
          exceptions.push({ entity: input.kind, acumaticaKey: key, reason: mapped.reason });
          continue;
        }
        candidates.set(key, { payload: mapped.payload, hash: contentHash(mapped.payload) }); // later duplicates win
      }
      if (input.trackSeen && records.length > 0) {
        const keys = records.map((r) => importer.keyOf(r));
        await db.query(
          `INSERT INTO import_seen_keys (workflow_id, entity, acumatica_key) SELECT $1, $2, unnest($3::text[])
           ON CONFLICT DO NOTHING`,
          [input.workflowId, input.kind, keys],
        );
      }

      const keys = [...candidates.keys()];
      const links = await importedLinks(db, input.companyId, importer.linkEntities ?? importer.procoreEntity, keys);
      const items: Array<WriteItem<unknown> & { hash: string }> = [];
      const unmatched: string[] = [];
      for (const [key, { payload, hash }] of candidates) {
        const link = links.get(key);
        if (link?.dataHash === hash) continue;
        const linkedAs = link?.procoreEntity as ProcoreEntity | undefined;
        items.push({ acumaticaKey: key, procoreId: link?.procoreId, linkedAs, payload, hash });
        if (!link) unmatched.push(key);
      }
      if (importer.matchKeys && unmatched.length > 0) {
        const wanted = items.filter((i) => !i.procoreId);
        const matchKeys = wanted.flatMap((i) => importer.matchKeys!(i.payload));
        const matches = await lookupMatches(db, input.companyId, importer.procoreEntity, matchKeys);
        for (const item of wanted) {
          const hit = importer.matchKeys(item.payload).find((k) => matches.has(k));
          if (hit) item.procoreId = matches.get(hit);
        }
      }

      const outcomes = items.length > 0 ? await importer.write(ctx, items) : [];
      let written = 0;
      let unchangedInProcore = 0;
      for (const outcome of outcomes) {
        const item = items.find((i) => i.acumaticaKey === outcome.acumaticaKey)!;
        if (!outcome.procoreId) {
          exceptions.push({
            entity: input.kind,
            acumaticaKey: outcome.acumaticaKey,
            reason: outcome.error ?? 'not written',
          });
          continue;
        }
        await upsertLink(db, {
          procoreCompanyId: input.companyId,
          procoreEntity: outcome.procoreEntity ?? importer.procoreEntity,
          procoreId: outcome.procoreId,
          acumaticaEntity: importer.acumaticaEntity,
          acumaticaKey: outcome.acumaticaKey,
          dataHash: item.hash,
          branch: input.branch,
        });
        if (outcome.unchanged) unchangedInProcore++;
        else written++;
      }
      await recordExceptions(db, input.companyId, input.workflowId, exceptions);
      return {
        read: records.length,
        written,
        unchanged: candidates.size - items.length + unchangedInProcore,
        exceptions: exceptions.length,
        maxModified,
        hasMore: records.length === input.top,
      };
    },

    /**
     * End of a full run: links of this entity (and branch) whose Acumatica key was not seen were deleted in
     * Acumatica. Retire them in Procore and soft-delete the links. Returns how many.
     */
    async reconcileDeletionsActivity(input: {
      kind: string;
      companyId: string;
      branch: string | null;
      workflowId: string;
    }) {
      const importer = importerFor(input.kind);
      const { rows } = await db.query(
        `SELECT procore_id FROM links l
         WHERE l.procore_company_id = $1 AND l.procore_entity = $2 AND l.acumatica_entity = $3
           AND l.deleted_at IS NULL AND l.data_hash IS NOT NULL AND l.branch IS NOT DISTINCT FROM $4
           AND NOT EXISTS (SELECT 1 FROM import_seen_keys s
                           WHERE s.workflow_id = $5 AND s.entity = $6 AND s.acumatica_key = l.acumatica_key)`,
        [input.companyId, importer.procoreEntity, importer.acumaticaEntity, input.branch, input.workflowId, input.kind],
      );
      const procoreIds = rows.map((r) => r.procore_id as string);
      if (procoreIds.length > 0 && importer.retire) await importer.retire(await context(input.companyId), procoreIds);
      if (procoreIds.length > 0) {
        await db.query(
          `UPDATE links SET deleted_at = now() WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = ANY($3)`,
          [input.companyId, importer.procoreEntity, procoreIds],
        );
      }
      await db.query('DELETE FROM import_seen_keys WHERE workflow_id = $1 AND entity = $2', [
        input.workflowId,
        input.kind,
      ]);
      return procoreIds.length;
    },
  };
}
