/**
 * The import write queue (migration 005): records an import run mapped and must still write to Procore, by write
 * group. Payloads live here, not in workflow history; the workflow only carries counts.
 */
import type { Db } from './db';
import type { ProcoreEntity } from './links';

export interface QueuedWrite {
  groupKey: string;
  acumaticaKey: string;
  procoreId?: string;
  linkedAs?: ProcoreEntity;
  payload: unknown;
  hash: string;
}

export interface QueueScope {
  workflowId: string;
  kind: string;
}

/**
 * Queues writes; a record queued again (a retried page, an overlap re-read) replaces its earlier row, and is
 * written again only if its content changed.
 */
export async function enqueueWrites(db: Db, scope: QueueScope, writes: QueuedWrite[]): Promise<void> {
  const unique = [...new Map(writes.map((w) => [w.acumaticaKey, w])).values()];
  if (unique.length === 0) return;
  await db.query(
    `INSERT INTO import_write_queue (workflow_id, kind, group_key, acumatica_key, procore_id, linked_as, payload, hash)
     SELECT $1, $2, g, k, p, l, d, h FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[])
       AS w(g, k, p, l, d, h)
     ON CONFLICT (workflow_id, kind, acumatica_key) DO UPDATE SET group_key = EXCLUDED.group_key,
       procore_id = EXCLUDED.procore_id, linked_as = EXCLUDED.linked_as, payload = EXCLUDED.payload,
       hash = EXCLUDED.hash, queued_at = now(),
       outcome = CASE WHEN import_write_queue.hash = EXCLUDED.hash THEN import_write_queue.outcome END`,
    [
      scope.workflowId,
      scope.kind,
      unique.map((w) => w.groupKey),
      unique.map((w) => w.acumaticaKey),
      unique.map((w) => w.procoreId ?? null),
      unique.map((w) => w.linkedAs ?? null),
      unique.map((w) => JSON.stringify(w.payload)),
      unique.map((w) => w.hash),
    ],
  );
}

/** Write groups holding at least `minimum` records still to write, largest first. */
export async function queuedGroups(db: Db, scope: QueueScope, minimum = 1): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT group_key FROM import_write_queue WHERE workflow_id = $1 AND kind = $2 AND outcome IS NULL
     GROUP BY group_key HAVING count(*) >= $3 ORDER BY count(*) DESC, group_key`,
    [scope.workflowId, scope.kind, minimum],
  );
  return rows.map((r) => r.group_key as string);
}

/** Up to `limit` records of one group still to write, oldest first. */
export async function takeQueued(db: Db, scope: QueueScope, groupKey: string, limit: number): Promise<QueuedWrite[]> {
  const { rows } = await db.query(
    `SELECT group_key, acumatica_key, procore_id, linked_as, payload, hash FROM import_write_queue
     WHERE workflow_id = $1 AND kind = $2 AND group_key = $3 AND outcome IS NULL
     ORDER BY queued_at, acumatica_key LIMIT $4`,
    [scope.workflowId, scope.kind, groupKey, limit],
  );
  return rows.map((r) => ({
    groupKey: r.group_key,
    acumaticaKey: r.acumatica_key,
    procoreId: r.procore_id ?? undefined,
    linkedAs: r.linked_as ?? undefined,
    payload: r.payload,
    hash: r.hash,
  }));
}

export type WriteOutcomeKind = 'written' | 'unchanged' | 'failed';

/** Records what became of written records (they are no longer to write). */
export async function markWritten(
  db: Db,
  scope: QueueScope,
  outcomes: Array<{ acumaticaKey: string; outcome: WriteOutcomeKind }>,
): Promise<void> {
  if (outcomes.length === 0) return;
  await db.query(
    `UPDATE import_write_queue q SET outcome = o.outcome FROM unnest($3::text[], $4::text[]) AS o(key, outcome)
     WHERE q.workflow_id = $1 AND q.kind = $2 AND q.acumatica_key = o.key`,
    [scope.workflowId, scope.kind, outcomes.map((o) => o.acumaticaKey), outcomes.map((o) => o.outcome)],
  );
}

/** The scope is written: how it went, record by record, and the queue emptied. */
export async function closeQueue(db: Db, scope: QueueScope): Promise<Record<WriteOutcomeKind, number>> {
  const { rows } = await db.query(
    `DELETE FROM import_write_queue WHERE workflow_id = $1 AND kind = $2 AND outcome IS NOT NULL RETURNING outcome`,
    [scope.workflowId, scope.kind],
  );
  const counts: Record<WriteOutcomeKind, number> = { written: 0, unchanged: 0, failed: 0 };
  for (const r of rows) counts[r.outcome as WriteOutcomeKind]++;
  return counts;
}

/**
 * Marks unchanged the queued records whose link now carries the queued content hash (another scope of the run
 * wrote them meanwhile, e.g. a vendor two branches see). Returns how many. Keys first, then the links by key: a
 * join would be planned on the statistics of a table filled seconds ago, and can degrade to a nested scan.
 */
export async function dropWrittenMeanwhile(
  db: Db,
  scope: QueueScope,
  links: { companyId: string; procoreEntities: string[]; acumaticaEntity: string },
): Promise<number> {
  const queued = await db.query(
    'SELECT acumatica_key, hash FROM import_write_queue WHERE workflow_id = $1 AND kind = $2 AND outcome IS NULL',
    [scope.workflowId, scope.kind],
  );
  if (queued.rows.length === 0) return 0;
  const { rows } = await db.query(
    `SELECT acumatica_key, data_hash FROM links
     WHERE procore_company_id = $1 AND acumatica_entity = $2 AND acumatica_key = ANY($3) AND procore_entity = ANY($4)
       AND deleted_at IS NULL`,
    [links.companyId, links.acumaticaEntity, queued.rows.map((r) => r.acumatica_key), links.procoreEntities],
  );
  const linked = new Map(rows.map((r) => [r.acumatica_key as string, r.data_hash as string | null]));
  const written = queued.rows.filter((r) => linked.get(r.acumatica_key) === r.hash);
  await markWritten(
    db,
    scope,
    written.map((r) => ({ acumaticaKey: r.acumatica_key as string, outcome: 'unchanged' })),
  );
  return written.length;
}
