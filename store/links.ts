/**
 * Links between Procore and Acumatica records, per company. A link is written only after Acumatica committed
 * the record (see activities), so a link always points at something real.
 */
import type { Db } from './db';

export type ProcoreEntity =
  | 'vendor'
  | 'project'
  | 'sub_job'
  | 'work_order_contract'
  | 'purchase_order_contract'
  | 'commitment_line_item'
  | 'commitment_change_order'
  | 'change_order_line_item'
  | 'budget'
  | 'budget_line_item'
  | 'prime_contract'
  | 'prime_contract_line_item'
  | 'prime_change_order'
  | 'prime_change_order_line_item'
  | 'budget_change'
  | 'budget_change_line_item'
  | 'requisition'
  | 'requisition_item'
  | 'cost_code'
  | 'line_item_type'
  | 'direct_cost'
  // A company-level direct cost (one invoice across projects) and its lines: one Acumatica bill and its lines.
  | 'company_level_direct_cost'
  | 'company_level_direct_cost_line'
  | 'contract_payment'
  // A record staged for import in Procore's ERP Integrations tool ("Ready to Import"), until the approver imports it.
  | 'staged_record';

export interface Link {
  procoreCompanyId: string;
  procoreEntity: ProcoreEntity;
  procoreId: string;
  acumaticaEntity: string;
  acumaticaKey: string;
  acumaticaId?: string | null;
  /** Content hash of what an import last wrote (unchanged records are skipped). */
  dataHash?: string | null;
  /** Acumatica branch an imported record came through. */
  branch?: string | null;
  /** What an import last wrote (its mapped payload): a dry run diffs against it. */
  data?: unknown;
}

export async function upsertLink(db: Db, link: Link): Promise<void> {
  await upsertLinks(db, [link]);
}

/**
 * Upserts many links in one statement (an export's lines, an import page). Later duplicates of a key win, as
 * they would one statement at a time.
 */
export async function upsertLinks(db: Db, links: Link[]): Promise<void> {
  const unique = [
    ...new Map(links.map((l) => [`${l.procoreCompanyId}\u0000${l.procoreEntity}\u0000${l.procoreId}`, l])).values(),
  ];
  if (unique.length === 0) return;
  const column = <K extends keyof Link>(k: K) => unique.map((l) => l[k] ?? null);
  await db.query(
    `INSERT INTO links (procore_company_id, procore_entity, procore_id, acumatica_entity, acumatica_key, acumatica_id,
       data_hash, branch, data)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::jsonb[])
     ON CONFLICT (procore_company_id, procore_entity, procore_id) DO UPDATE SET
       acumatica_entity = EXCLUDED.acumatica_entity, acumatica_key = EXCLUDED.acumatica_key,
       acumatica_id = COALESCE(EXCLUDED.acumatica_id, links.acumatica_id),
       data_hash = COALESCE(EXCLUDED.data_hash, links.data_hash), branch = COALESCE(EXCLUDED.branch, links.branch),
       data = COALESCE(EXCLUDED.data, links.data), synced_at = now(), deleted_at = NULL`,
    [
      column('procoreCompanyId'),
      column('procoreEntity'),
      column('procoreId'),
      column('acumaticaEntity'),
      column('acumaticaKey'),
      column('acumaticaId'),
      column('dataHash'),
      column('branch'),
      unique.map((l) => (l.data === undefined ? null : JSON.stringify(l.data))),
    ],
  );
}

export async function findLink(
  db: Db,
  procoreCompanyId: string,
  procoreEntity: ProcoreEntity,
  procoreId: string,
): Promise<Link | undefined> {
  const { rows } = await db.query(
    `SELECT procore_company_id AS "procoreCompanyId", procore_entity AS "procoreEntity", procore_id AS "procoreId",
       acumatica_entity AS "acumaticaEntity", acumatica_key AS "acumaticaKey", acumatica_id AS "acumaticaId",
       data_hash AS "dataHash"
     FROM links WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3 AND deleted_at IS NULL`,
    [procoreCompanyId, procoreEntity, procoreId],
  );
  return rows[0];
}
