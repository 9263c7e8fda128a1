/**
 * Export claims (migration 003): which ERP request workflow is exporting a Procore record right now. A claim is
 * held by a workflow ID, so a retried activity or a workflow reset from the Web UI (same ID) still holds it.
 */
import type { Db } from './db';

export interface ExportClaimKey {
  companyId: string;
  kind: string;
  procoreId: string;
}

/**
 * Claims the record for `workflowId`. Returns null when the claim is ours, or the ID of the workflow that holds
 * it while that workflow still runs. A claim left by a closed workflow is taken over (compare-and-set on the
 * holder, so two takers cannot both win).
 */
export async function claimExport(
  db: Db,
  key: ExportClaimKey,
  workflowId: string,
  isRunning: (workflowId: string) => Promise<boolean>,
): Promise<string | null> {
  const pk = [key.companyId, key.kind, key.procoreId];
  const { rows } = await db.query(
    `INSERT INTO export_claims (procore_company_id, kind, procore_id, workflow_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (procore_company_id, kind, procore_id) DO UPDATE SET claimed_at = now()
       WHERE export_claims.workflow_id = EXCLUDED.workflow_id
     RETURNING workflow_id`,
    [...pk, workflowId],
  );
  if (rows.length > 0) return null;
  const held = await db.query(
    'SELECT workflow_id FROM export_claims WHERE procore_company_id = $1 AND kind = $2 AND procore_id = $3',
    pk,
  );
  const holder = held.rows[0]?.workflow_id as string | undefined;
  if (holder === undefined) return claimExport(db, key, workflowId, isRunning); // released meanwhile
  if (await isRunning(holder)) return holder;
  const taken = await db.query(
    `UPDATE export_claims SET workflow_id = $4, claimed_at = now()
     WHERE procore_company_id = $1 AND kind = $2 AND procore_id = $3 AND workflow_id = $5`,
    [...pk, workflowId, holder],
  );
  return taken.rowCount === 1 ? null : claimExport(db, key, workflowId, isRunning);
}

/** Releases the claim if `workflowId` holds it (a no-op otherwise, so a retry is harmless). */
export async function releaseExport(db: Db, key: ExportClaimKey, workflowId: string): Promise<void> {
  await db.query(
    'DELETE FROM export_claims WHERE procore_company_id = $1 AND kind = $2 AND procore_id = $3 AND workflow_id = $4',
    [key.companyId, key.kind, key.procoreId, workflowId],
  );
}
