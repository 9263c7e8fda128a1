/** The per-record audit trail: one row for every effect the connector had on either system. */
import type { Db } from './db';

export interface AuditEntry {
  procoreCompanyId: string;
  workflowId?: string;
  action: string;
  procoreEntity?: string;
  procoreId?: string;
  acumaticaEntity?: string;
  acumaticaKey?: string;
  detail?: Record<string, unknown>;
}

export async function recordAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (procore_company_id, workflow_id, action, procore_entity, procore_id, acumatica_entity,
       acumatica_key, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.procoreCompanyId,
      e.workflowId ?? null,
      e.action,
      e.procoreEntity ?? null,
      e.procoreId ?? null,
      e.acumaticaEntity ?? null,
      e.acumaticaKey ?? null,
      e.detail ?? null,
    ],
  );
}
