/**
 * Acumatica observations (migration 004): settings of a company's tenant the connector inferred from what
 * Acumatica did, because the contract-based API cannot read them, each with the record that showed it.
 */
import type { Db } from './db';

export type ObservationKind = 'po_approval_required';

export interface Observation {
  acumaticaEntity: string;
  acumaticaKey: string;
  observedAt: Date;
}

export async function recordObservation(
  db: Db,
  companyId: string,
  kind: ObservationKind,
  evidence: { acumaticaEntity: string; acumaticaKey: string },
): Promise<void> {
  await db.query(
    `INSERT INTO acumatica_observations (procore_company_id, observation, acumatica_entity, acumatica_key)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (procore_company_id, observation) DO UPDATE SET acumatica_entity = $3, acumatica_key = $4,
       observed_at = now()`,
    [companyId, kind, evidence.acumaticaEntity, evidence.acumaticaKey],
  );
}

export async function findObservation(
  db: Db,
  companyId: string,
  kind: ObservationKind,
): Promise<Observation | undefined> {
  const { rows } = await db.query<Observation>(
    `SELECT acumatica_entity AS "acumaticaEntity", acumatica_key AS "acumaticaKey", observed_at AS "observedAt"
       FROM acumatica_observations WHERE procore_company_id = $1 AND observation = $2`,
    [companyId, kind],
  );
  return rows[0];
}

/** Forgets the observation, but only if it still rests on `acumaticaKey` (a newer one is kept). */
export async function clearObservation(db: Db, companyId: string, kind: ObservationKind, acumaticaKey: string) {
  await db.query(
    `DELETE FROM acumatica_observations WHERE procore_company_id = $1 AND observation = $2 AND acumatica_key = $3`,
    [companyId, kind, acumaticaKey],
  );
}
