/**
 * The import path's one call into adoption: an Acumatica record that an open adoption review names as a
 * candidate (a near miss, a tie, lines that do not pair up) is held back from the import, so the import does not
 * create a second Procore record next to the hand-keyed one while someone decides. Resolving or dismissing the
 * review releases it to the next import.
 */
import type { Db } from '../store/db';

/** The subset of `acumaticaKeys` under an open adoption review of `procoreEntity`. */
export async function keysUnderReview(
  db: Db,
  companyId: string,
  procoreEntity: string,
  acumaticaKeys: string[],
): Promise<Set<string>> {
  if (acumaticaKeys.length === 0) return new Set();
  const { rows } = await db.query(
    `SELECT DISTINCT k FROM adoption_reviews, unnest(candidates) AS k
     WHERE procore_company_id = $1 AND procore_entity = $2 AND status = 'open' AND k = ANY($3)`,
    [companyId, procoreEntity, acumaticaKeys],
  );
  return new Set(rows.map((r) => r.k as string));
}

export function underReviewReason(acumaticaKey: string): string {
  return `${acumaticaKey} may already exist in Procore, keyed by hand: it is on the adoption review list. Resolve the review (npm run connector -- exceptions list / retry / dismiss), then run the import again.`;
}
