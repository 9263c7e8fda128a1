/**
 * The line links of one exported document, for line-level re-export (find-or-create.ts). Line keys start with
 * the document's key ("SC000001:3", "CO000004:03:S:03-300"), so a document's links are found by that prefix,
 * including those of Procore lines that have since been deleted in Procore (Procore no longer lists them).
 */
import { recordAudit } from '../../store/audit';
import type { ExportContext, LineLinking } from './types';

/** Procore line id -> row key, for every line the connector linked to the document `docKey`. */
export async function documentLineLinks(
  ctx: ExportContext,
  lines: LineLinking,
  docKey: string,
): Promise<Map<string, string>> {
  const prefix = `${docKey}:`;
  const { rows } = await ctx.db.query<{ procore_id: string; acumatica_key: string }>(
    `SELECT procore_id, acumatica_key FROM links
      WHERE procore_company_id = $1 AND procore_entity = $2 AND acumatica_entity = $3
        AND left(acumatica_key, length($4)) = $4 AND deleted_at IS NULL`,
    [ctx.companyId, lines.procoreEntity, lines.acumaticaEntity, prefix],
  );
  return new Map(rows.map((r) => [r.procore_id, r.acumatica_key]));
}

/**
 * Drops the links of lines whose Acumatica row is gone (deleted by the re-export, or by a person), once Acumatica
 * committed. A hard delete: both sides are gone, the key may be taken by a new row (a budget line added again
 * under the same cost code), and the audit row keeps what was unlinked.
 */
export async function unlinkLines(ctx: ExportContext, lines: LineLinking, procoreIds: string[]): Promise<void> {
  if (procoreIds.length === 0) return;
  const { rows } = await ctx.db.query<{ procore_id: string; acumatica_key: string }>(
    `DELETE FROM links WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = ANY($3)
     RETURNING procore_id, acumatica_key`,
    [ctx.companyId, lines.procoreEntity, procoreIds],
  );
  for (const r of rows) {
    await recordAudit(ctx.db, {
      procoreCompanyId: ctx.companyId,
      action: `link.${lines.procoreEntity}.removed`,
      procoreEntity: lines.procoreEntity,
      procoreId: r.procore_id,
      acumaticaEntity: lines.acumaticaEntity,
      acumaticaKey: r.acumatica_key,
    });
  }
}
