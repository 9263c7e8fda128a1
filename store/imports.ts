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
  for (const e of list) {
    await db.query(
      `INSERT INTO import_exceptions (procore_company_id, workflow_id, entity, acumatica_key, reason)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (procore_company_id, workflow_id, entity, acumatica_key) DO UPDATE SET reason = EXCLUDED.reason`,
      [companyId, workflowId, e.entity, e.acumaticaKey, e.reason],
    );
  }
}

export async function replaceMatchIndex(
  db: Db,
  companyId: string,
  entity: string,
  entries: Array<{ matchKey: string; procoreId: string }>,
): Promise<void> {
  // One statement per step, whatever the size (a large company has 10,000 vendors), in one transaction so a
  // concurrent import never sees a half-built index.
  await withTransaction(db, async (client) => {
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

/** Links of one entity imported for a company (optionally one branch): Acumatica key -> hash and Procore id. */
export async function importedLinks(db: Db, companyId: string, entity: string, acumaticaKeys: string[]) {
  const { rows } = await db.query(
    `SELECT acumatica_key, procore_id, data_hash FROM links
     WHERE procore_company_id = $1 AND procore_entity = $2 AND acumatica_key = ANY($3) AND deleted_at IS NULL`,
    [companyId, entity, acumaticaKeys],
  );
  return new Map(
    rows.map((r) => [
      r.acumatica_key as string,
      { procoreId: r.procore_id as string, dataHash: r.data_hash as string | null },
    ]),
  );
}
