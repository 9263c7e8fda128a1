/**
 * The activities every import runs, whatever the entity (the importer for `kind` supplies the specifics).
 * One call = one page, so a killed worker loses at most a page; the workflow keeps the cursor.
 *  - Delta only: a record whose mapped content hashes the same as its link's data_hash causes no write.
 *  - Few calls: changed records are queued in PostgreSQL by write group (store/import-queue.ts) and written in
 *    Procore's 1,000-record sync batches, a group's batch as soon as it fills, the rest after the last page.
 *  - Never duplicated: linked records are updated by Procore id; unlinked ones matched by the match index are
 *    linked (id + origin_id); only the rest are created, and Procore's sync matches them by origin_id, so a
 *    retried write re-sends the same origin_ids and creates nothing twice.
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
  ensureMatchIndex,
  lookupMatches,
  recordExceptions,
  type ImportException,
} from '../store/imports';
import { getConnection } from '../store/connections';
import {
  closeQueue,
  dropWrittenMeanwhile,
  enqueueWrites,
  markWritten,
  queuedGroups,
  takeQueued,
  type QueuedWrite,
  type QueueScope,
  type WriteOutcomeKind,
} from '../store/import-queue';
import { upsertLinks, type Link, type ProcoreEntity } from '../store/links';
import type { CompanyClients } from './company-clients';
import { importerFor } from './importers';
import { PROCORE_SYNC_BATCH } from './importers/procore-sync';
import type { ImportContext, Importer } from './importers/types';
import { countImportRecords, recordImportScopeDone } from './import-metrics';

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
  /** The import run (the parent import workflow): the match index is built once per run. */
  importRunId: string;
  /** ISO time; records modified after it are read. Null reads everything (full reconciliation). */
  since: string | null;
  skip: number;
  top: number;
  /** Record the keys seen, for deletion reconciliation at the end of a full run. */
  trackSeen: boolean;
  /** Write groups that fill a batch now; false while the scope waits for the imports its writes depend on. */
  writeFullBatches: boolean;
}

/** A page's counts; what its records' writes did is counted once the scope is written (flush). */
export interface ImportPageResult {
  read: number;
  unchanged: number;
  exceptions: number;
  /** Newest LastModifiedDateTime on the page (ISO), for the watermark. */
  maxModified: string | null;
  hasMore: boolean;
  /** Records were queued whose writes need something read first (prepareQueuedWritesActivity). */
  prepare: boolean;
}

/** Write groups one preparing call reads for: a few seconds of Procore calls, so it stops soon when told to. */
const PREPARE_CHUNK = 20;
/** Write groups written at the same time by one flush. */
const GROUPS_AT_ONCE = 4;

function lastModified(record: Record<string, unknown>): string | null {
  const v = (record.LastModifiedDateTime as { value?: string } | undefined)?.value;
  return v ? new Date(v).toISOString() : null;
}

export function createImportActivities({ db, procore, companies }: ImportDeps) {
  const context = async (companyId: string, importRunId: string): Promise<ImportContext> => ({
    db,
    procore,
    companyId,
    importRunId,
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

    async importPageActivity(input: ImportPageInput): Promise<ImportPageResult> {
      const importer = importerFor(input.kind);
      const ctx = await context(input.companyId, input.importRunId);
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
      const items: QueuedWrite[] = [];
      for (const [key, { payload, hash }] of candidates) {
        const link = links.get(key);
        if (link?.dataHash === hash) continue;
        const groupKey = importer.writeGroupOf?.(payload) ?? '';
        const linkedAs = link?.procoreEntity as ProcoreEntity | undefined;
        items.push({ groupKey, acumaticaKey: key, procoreId: link?.procoreId, linkedAs, payload, hash });
      }
      const unmatched = items.filter((i) => !i.procoreId);
      if (importer.matchKeys && importer.buildMatchIndex && unmatched.length > 0) {
        // Built once per import run, and only when a record without a link needs it.
        const buildIndex = importer.buildMatchIndex.bind(importer, ctx);
        const key = { companyId: input.companyId, entity: importer.procoreEntity, runId: input.importRunId };
        await ensureMatchIndex(db, key, buildIndex);
        const matchKeys = unmatched.flatMap((i) => importer.matchKeys!(i.payload));
        const matches = await lookupMatches(db, input.companyId, importer.procoreEntity, matchKeys);
        for (const item of unmatched) {
          const hit = importer.matchKeys(item.payload).find((k) => matches.has(k));
          if (hit) item.procoreId = matches.get(hit);
        }
      }

      const queue = { workflowId: input.workflowId, kind: input.kind };
      await enqueueWrites(db, queue, items);
      await recordExceptions(db, input.companyId, input.workflowId, exceptions);
      // Groups that filled a Procore sync batch are written now (counted when the scope's writes are done); the
      // rest wait for the end of the pages.
      if (input.writeFullBatches && items.length > 0) {
        await writeQueued(ctx, importer, { ...input, queue }, 'full batches');
      }
      countImportRecords(input.companyId, input.kind, {
        read: records.length,
        unchanged: candidates.size - items.length,
        exception: exceptions.length,
      });
      return {
        read: records.length,
        unchanged: candidates.size - items.length,
        exceptions: exceptions.length,
        maxModified,
        hasMore: records.length === input.top,
        prepare: importer.prepareWrites !== undefined && items.length > 0,
      };
    },

    /**
     * Reads part of what the queued writes will need (see Importer.prepareWrites), beside the page reads. `more`:
     * something is left for another call.
     */
    async prepareQueuedWritesActivity(input: {
      kind: string;
      companyId: string;
      workflowId: string;
      importRunId: string;
    }): Promise<{ more: boolean }> {
      const importer = importerFor(input.kind);
      const groups = await queuedGroups(db, { workflowId: input.workflowId, kind: input.kind });
      if (!importer.prepareWrites || groups.length === 0) return { more: false };
      const ctx = await context(input.companyId, input.importRunId);
      const { remaining } = await importer.prepareWrites(ctx, groups, PREPARE_CHUNK);
      return { more: remaining > 0 };
    },

    /**
     * End of the pages: writes what is still queued, group by group (a retry resumes with what is left), and
     * counts what became of every record the scope queued.
     */
    async flushImportWritesActivity(input: {
      kind: string;
      companyId: string;
      branch: string | null;
      workflowId: string;
      importRunId: string;
    }): Promise<{ written: number; unchanged: number; exceptions: number }> {
      const importer = importerFor(input.kind);
      const queue = { workflowId: input.workflowId, kind: input.kind };
      const ctx = await context(input.companyId, input.importRunId);
      await writeQueued(ctx, importer, { ...input, queue }, 'everything');
      const counts = await closeQueue(db, queue);
      countImportRecords(input.companyId, input.kind, {
        written: counts.written,
        unchanged: counts.unchanged,
        exception: counts.failed,
      });
      recordImportScopeDone(input.companyId, input.kind, input.branch, counts);
      return { written: counts.written, unchanged: counts.unchanged, exceptions: counts.failed };
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
      importRunId: string;
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
      if (procoreIds.length > 0 && importer.retire) {
        await importer.retire(await context(input.companyId, input.importRunId), procoreIds);
      }
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

/**
 * Writes queued records to Procore a batch at a time (the importer's write batch, Procore's sync limit by
 * default), records links with the content hash, and marks each record's outcome in the queue. `full batches`
 * writes only groups that fill a batch, so records of a project spread over many pages go out in one call.
 */
async function writeQueued(
  ctx: ImportContext,
  importer: Importer,
  input: { companyId: string; branch: string | null; workflowId: string; kind: string; queue: QueueScope },
  what: 'full batches' | 'everything',
): Promise<void> {
  const { db } = ctx;
  const batch = importer.writeBatch ?? PROCORE_SYNC_BATCH;
  const writeGroup = async (group: string) => {
    for (;;) {
      const queued = await takeQueued(db, input.queue, group, batch);
      if (queued.length === 0 || (what === 'full batches' && queued.length < batch)) return;
      const outcomes = new Map((await importer.write(ctx, queued)).map((o) => [o.acumaticaKey, o]));
      const links: Link[] = [];
      const exceptions: ImportException[] = [];
      const marks: Array<{ acumaticaKey: string; outcome: WriteOutcomeKind }> = [];
      for (const item of queued) {
        const outcome = outcomes.get(item.acumaticaKey);
        if (!outcome?.procoreId) {
          const reason = outcome?.error ?? 'Procore did not return it';
          exceptions.push({ entity: input.kind, acumaticaKey: item.acumaticaKey, reason });
          marks.push({ acumaticaKey: item.acumaticaKey, outcome: 'failed' });
          continue;
        }
        links.push({
          procoreCompanyId: input.companyId,
          procoreEntity: outcome.procoreEntity ?? importer.procoreEntity,
          procoreId: outcome.procoreId,
          acumaticaEntity: importer.acumaticaEntity,
          acumaticaKey: item.acumaticaKey,
          dataHash: item.hash,
          branch: input.branch,
          data: item.payload,
        });
        marks.push({ acumaticaKey: item.acumaticaKey, outcome: outcome.unchanged ? 'unchanged' : 'written' });
      }
      await upsertLinks(db, links);
      await recordExceptions(db, input.companyId, input.workflowId, exceptions);
      await markWritten(db, input.queue, marks);
    }
  };
  // Another scope of the run (the first branch) may have written the same content since it was queued.
  await dropWrittenMeanwhile(db, input.queue, {
    companyId: input.companyId,
    procoreEntities: importer.linkEntities ?? [importer.procoreEntity],
    acumaticaEntity: importer.acumaticaEntity,
  });
  // A few groups at once, so many small groups (a project's direct costs) go out at Procore's rate limit rather
  // than one round trip after another; the Procore client paces them all. All settle before a failure is thrown,
  // so a retry starts from a queue no write is still changing.
  const groups = await queuedGroups(db, input.queue, what === 'full batches' ? batch : 1);
  const next = () => groups.shift();
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(GROUPS_AT_ONCE, groups.length) }, async () => {
      for (let group = next(); group !== undefined; group = next()) await writeGroup(group);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
