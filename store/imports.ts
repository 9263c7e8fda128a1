/** Import state: watermarks, the exception list and the match index (see migrations/002_imports.sql). */
import { withTransaction, type Db } from './db';

export async function getWatermark(db: Db, companyId: string, branch: string, entity: string): Promise<Date | null> {
  const { rows } = await db.query(
    'SELECT watermark FROM import_watermarks WHERE procore_company_id = $1 AND branch = $2 AND entity = $3',
    [companyId, branch, entity],
  );
  return rows[0]?.watermark ?? null;
}

/** Moves the watermark forward only (a replayed or out-of-order page never moves it back). */
export async function advanceWatermark(db: Db, companyId: string, branch: string, entity: string, to: Date) {
  await db.query(
    `INSERT INTO import_watermarks (procore_company_id, branch, entity, watermark) VALUES ($1, $2, $3, $4)
     ON CONFLICT (procore_company_id, branch, entity) DO UPDATE
       SET watermark = GREATEST(import_watermarks.watermark, EXCLUDED.watermark), updated_at = now()`,
    [companyId, branch, entity, to],
  );
}

export interface ImportException {
  entity: string;
  acumaticaKey: string;
  reason: string;
}

export async function recordExceptions(db: Db, companyId: string, workflowId: string, list: ImportException[]) {
  const unique = [...new Map(list.map((e) => [`${e.entity}\u0000${e.acumaticaKey}`, e])).values()];
  if (unique.length === 0) return;
  await db.query(
    `INSERT INTO import_exceptions (procore_company_id, workflow_id, entity, acumatica_key, reason)
     SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[])
     ON CONFLICT (procore_company_id, workflow_id, entity, acumatica_key) DO UPDATE SET reason = EXCLUDED.reason`,
    [
      companyId,
      workflowId,
      unique.map((e) => e.entity),
      unique.map((e) => e.acumaticaKey),
      unique.map((e) => e.reason),
    ],
  );
}

/**
 * Builds the company's match index of `entity` once per import run: the first caller of the run builds it, under
 * an advisory lock, so branches importing side by side do not list Procore twice. One statement per step whatever
 * the size (a large company has 10,000 vendors), in one transaction so no import sees a half-built index.
 */
export async function ensureMatchIndex(
  db: Db,
  key: { companyId: string; entity: string; runId: string },
  build: () => Promise<Array<{ matchKey: string; procoreId: string }>>,
): Promise<void> {
  const { companyId, entity, runId } = key;
  await withTransaction(db, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`match-index:${companyId}:${entity}`]);
    const built = await client.query(
      'SELECT 1 FROM procore_match_index_builds WHERE procore_company_id = $1 AND entity = $2 AND import_run_id = $3',
      [companyId, entity, runId],
    );
    if (built.rows.length > 0) return;
    const entries = await build();
    await client.query('DELETE FROM procore_match_index WHERE procore_company_id = $1 AND entity = $2', [
      companyId,
      entity,
    ]);
    await client.query(
      `INSERT INTO procore_match_index (procore_company_id, entity, match_key, procore_id)
       SELECT $1, $2, k, p FROM unnest($3::text[], $4::text[]) AS e(k, p)
       ON CONFLICT DO NOTHING`,
      [companyId, entity, entries.map((e) => e.matchKey), entries.map((e) => e.procoreId)],
    );
    await client.query(
      `INSERT INTO procore_match_index_builds (procore_company_id, entity, import_run_id) VALUES ($1, $2, $3)
       ON CONFLICT (procore_company_id, entity) DO UPDATE SET import_run_id = EXCLUDED.import_run_id, built_at = now()`,
      [companyId, entity, runId],
    );
  });
}

export async function lookupMatches(db: Db, companyId: string, entity: string, keys: string[]) {
  if (keys.length === 0) return new Map<string, string>();
  const { rows } = await db.query(
    `SELECT match_key, procore_id FROM procore_match_index
     WHERE procore_company_id = $1 AND entity = $2 AND match_key = ANY($3)`,
    [companyId, entity, keys],
  );
  return new Map(rows.map((r) => [r.match_key as string, r.procore_id as string]));
}

/**
 * Links of one entity (or any of several) for a company: Acumatica key -> Procore id, entity and content hash.
 */
export async function importedLinks(db: Db, companyId: string, entity: string | string[], acumaticaKeys: string[]) {
  const { rows } = await db.query(
    `SELECT acumatica_key, procore_id, procore_entity, data_hash FROM links
     WHERE procore_company_id = $1 AND procore_entity = ANY($2) AND acumatica_key = ANY($3) AND deleted_at IS NULL`,
    [companyId, Array.isArray(entity) ? entity : [entity], acumaticaKeys],
  );
  return new Map(
    rows.map((r) => [
      r.acumatica_key as string,
      {
        procoreId: r.procore_id as string,
        procoreEntity: r.procore_entity as string,
        dataHash: r.data_hash as string | null,
      },
    ]),
  );
}

export interface PromotedLink {
  companyId: string;
  acumaticaEntity: string;
  acumaticaKey: string;
  procoreEntity: string;
  procoreId: string;
}

/**
 * The approver imported a staged record: the Acumatica record's link moves from the staged record to the new
 * Procore record, keeping its content hash (the next import then sees the record unchanged); a record the
 * connector never staged gets a new link. Idempotent. Refuses (returns what holds it) when the Procore record
 * is linked to another Acumatica record, or the Acumatica record to another Procore record.
 */
export async function promoteStagedLink(
  db: Db,
  l: PromotedLink,
): Promise<{ ok: true } | { ok: false; heldBy: { procoreEntity: string; procoreId: string; acumaticaKey: string } }> {
  return withTransaction(db, async (client) => {
    const { rows } = await client.query(
      `SELECT procore_entity, procore_id, acumatica_key, deleted_at FROM links
       WHERE procore_company_id = $1
         AND ((procore_entity = $2 AND procore_id = $3) OR (acumatica_entity = $4 AND acumatica_key = $5))
       FOR UPDATE`,
      [l.companyId, l.procoreEntity, l.procoreId, l.acumaticaEntity, l.acumaticaKey],
    );
    const held = rows.find(
      (r) =>
        r.deleted_at === null &&
        r.procore_entity !== 'staged_record' &&
        !(r.procore_entity === l.procoreEntity && r.procore_id === l.procoreId && r.acumatica_key === l.acumaticaKey),
    );
    if (held) {
      return {
        ok: false as const,
        heldBy: { procoreEntity: held.procore_entity, procoreId: held.procore_id, acumaticaKey: held.acumatica_key },
      };
    }
    // The Procore id's own row (a soft-deleted one) goes, so the Acumatica record's row can take its key.
    await client.query(
      `DELETE FROM links WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3
         AND NOT (acumatica_entity = $4 AND acumatica_key = $5)`,
      [l.companyId, l.procoreEntity, l.procoreId, l.acumaticaEntity, l.acumaticaKey],
    );
    await client.query(
      `INSERT INTO links (procore_company_id, procore_entity, procore_id, acumatica_entity, acumatica_key)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (procore_company_id, acumatica_entity, acumatica_key) DO UPDATE
         SET procore_entity = EXCLUDED.procore_entity, procore_id = EXCLUDED.procore_id, synced_at = now(),
             deleted_at = NULL`,
      [l.companyId, l.procoreEntity, l.procoreId, l.acumaticaEntity, l.acumaticaKey],
    );
    return { ok: true as const };
  });
}
