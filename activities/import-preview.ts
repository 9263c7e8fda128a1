/**
 * Dry run of an import (issue #15): reads Acumatica's records the way the import would (every page, or those
 * changed since the watermark), maps them, and decides per record what the import would do - and writes nothing,
 * to either system or to the connector's own tables (no links, no queue, no match index, no watermark):
 *  - exception:     the mapping refuses it (the reason the import's exception list would show);
 *  - unchanged:     linked, and its content is what the import last wrote (same content hash);
 *  - would_update:  linked, content changed: the field diff against what the import last wrote (links.data);
 *  - would_adopt:   not linked, and one Procore record without an origin_id has its match key (e.g. a vendor's
 *                   tax id or name): the import would link and update it instead of creating one;
 *  - would_create:  nothing in Procore matches.
 * Deletions (records a full run would retire) are not previewed.
 */
import { unwrap } from '../clients/acumatica/client';
import { contentHash } from '../lib/hash';
import { IMPORT_KINDS, IMPORT_OVERLAP_MS, IMPORT_PAGE_SIZES, type ImportKind } from '../lib/import-kinds';
import { getConnection } from '../store/connections';
import { getWatermark } from '../store/imports';
import { importerFor } from './importers';
import type { ImportContext, Importer } from './importers/types';

export interface ImportPreviewInput {
  companyId: string;
  entities: ImportKind[];
  branch?: string;
  mode: 'delta' | 'full';
}

export interface ImportPreviewResult {
  companyId: string;
  dryRun: true;
  counts: Record<string, Record<ImportPreviewOutcome, number>>;
  records: ImportPreviewRecord[];
}

export type ImportPreviewOutcome = 'exception' | 'unchanged' | 'would_update' | 'would_adopt' | 'would_create';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface ImportPreviewRecord {
  kind: ImportKind;
  branch: string | null;
  acumaticaKey: string;
  outcome: ImportPreviewOutcome;
  procoreId?: string;
  /** would_adopt: the match key that found the Procore record. */
  matchKey?: string;
  /** would_update: what changes (empty when the previous content was not recorded: links before this version). */
  changes?: FieldChange[];
  reason?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The top-level fields that differ; a list (lines) is one field, shown by its item counts when they differ. */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const out: FieldChange[] = [];
  for (const field of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
    if (same(b[field], a[field])) continue;
    const list = Array.isArray(b[field]) || Array.isArray(a[field]);
    out.push(
      list
        ? {
            field,
            from: `${(b[field] as unknown[] | undefined)?.length ?? 0} items`,
            to: `${(a[field] as unknown[] | undefined)?.length ?? 0} items (changed)`,
          }
        : { field, from: b[field] ?? null, to: a[field] ?? null },
    );
  }
  return out;
}

export async function previewImport(
  ctx: ImportContext,
  importer: Importer,
  input: { kind: ImportKind; branch: string | null; since: Date | null; pageSize: number },
): Promise<ImportPreviewRecord[]> {
  const out: ImportPreviewRecord[] = [];
  const mapped = new Map<string, unknown>();
  for (let skip = 0; ; skip += input.pageSize) {
    const page = await importer.readPage(
      ctx,
      { companyId: ctx.companyId, branch: input.branch },
      { since: input.since, skip, top: input.pageSize },
    );
    for (const record of page) {
      const key = importer.keyOf(record);
      const m = importer.map(unwrap(record));
      if (m.ok) mapped.set(key, m.payload);
      else
        out.push({ kind: input.kind, branch: input.branch, acumaticaKey: key, outcome: 'exception', reason: m.reason });
    }
    if (page.length < input.pageSize) break;
  }
  const keys = [...mapped.keys()];
  const { rows } = await ctx.db.query(
    `SELECT acumatica_key, procore_id, data_hash, data FROM links
     WHERE procore_company_id = $1 AND procore_entity = ANY($2) AND acumatica_key = ANY($3) AND deleted_at IS NULL`,
    [ctx.companyId, importer.linkEntities ?? [importer.procoreEntity], keys],
  );
  const links = new Map(rows.map((r) => [r.acumatica_key as string, r]));
  // The match index, built in memory (the import keeps it in a table; a dry run writes nothing).
  const unlinked = keys.filter((k) => !links.has(k));
  const index = new Map<string, string>();
  if (unlinked.length > 0 && importer.matchKeys && importer.buildMatchIndex)
    for (const { matchKey, procoreId } of await importer.buildMatchIndex(ctx))
      if (!index.has(matchKey)) index.set(matchKey, procoreId);
  for (const [key, payload] of mapped) {
    const base = { kind: input.kind, branch: input.branch, acumaticaKey: key };
    const link = links.get(key);
    if (link) {
      const procoreId = String(link.procore_id);
      if (link.data_hash === contentHash(payload)) out.push({ ...base, outcome: 'unchanged', procoreId });
      else
        out.push({
          ...base,
          outcome: 'would_update',
          procoreId,
          changes: link.data == null ? [] : fieldChanges(link.data, payload),
        });
      continue;
    }
    const hit = importer.matchKeys?.(payload).find((k) => index.has(k));
    if (hit) out.push({ ...base, outcome: 'would_adopt', procoreId: index.get(hit), matchKey: hit });
    else out.push({ ...base, outcome: 'would_create' });
  }
  return out;
}

/** The dry run of an import of these kinds (each branch of a branch-scoped kind; delta from its watermark). */
export async function previewImports(ctx: ImportContext, input: ImportPreviewInput): Promise<ImportPreviewResult> {
  const connection = await getConnection(ctx.db, input.companyId);
  const records: ImportPreviewRecord[] = [];
  for (const kind of input.entities) {
    const branches = IMPORT_KINDS[kind].branchScoped
      ? input.branch
        ? [input.branch]
        : (connection?.branches ?? [])
      : [null];
    for (const branch of branches) {
      const mark = input.mode === 'full' ? undefined : await getWatermark(ctx.db, input.companyId, branch ?? '', kind);
      const since = mark ? new Date(mark.getTime() - IMPORT_OVERLAP_MS) : null;
      const pageSize = IMPORT_PAGE_SIZES[kind];
      records.push(...(await previewImport(ctx, importerFor(kind), { kind, branch, since, pageSize })));
    }
  }
  const counts: ImportPreviewResult['counts'] = {};
  for (const r of records) {
    counts[r.kind] ??= { exception: 0, unchanged: 0, would_update: 0, would_adopt: 0, would_create: 0 };
    counts[r.kind][r.outcome]++;
  }
  return { companyId: input.companyId, dryRun: true, counts, records };
}
