/**
 * The export path's one call into adoption: before looking for its marker, an exporter finds the Acumatica
 * document an adoption linked to the Procore record, so the export updates it instead of creating a duplicate
 * (find-or-create.ts). Only records adopted (table `adoptions`) are looked up here.
 */
import type { AcumaticaRecord } from '../clients/acumatica/client';
import { and, eq } from '../clients/acumatica/odata';
import type { ExportContext, Exporter, ExportSource } from '../activities/exporters/types';

/** How an adopted document is read back by its key. */
const KEY_FILTERS: Record<string, (key: string) => string> = {
  Subcontract: (key) => eq('SubcontractNbr', key),
  PurchaseOrder: (key) => and(eq('Type', 'Normal'), eq('OrderNbr', key)),
  ChangeOrder: (key) => eq('RefNbr', key),
  Bill: (key) => and(eq('Type', 'Bill'), eq('ReferenceNbr', key)),
};

export async function findAdopted(
  exporter: Exporter,
  ctx: ExportContext,
  source: ExportSource,
): Promise<AcumaticaRecord | undefined> {
  const filter = KEY_FILTERS[exporter.acumaticaEntity];
  if (!filter) return undefined;
  const { rows } = await ctx.db.query(
    `SELECT acumatica_key FROM adoptions
     WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3 AND acumatica_entity = $4`,
    [ctx.companyId, exporter.procoreEntity, source.procoreId, exporter.acumaticaEntity],
  );
  if (rows.length === 0) return undefined;
  const found = await ctx.acumatica.list(exporter.acumaticaEntity, {
    filter: filter(String(rows[0].acumatica_key)),
    expand: exporter.expand,
    top: 2,
  });
  return found[0];
}
