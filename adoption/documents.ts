/**
 * What adopting an exported document (a commitment change order, a bill) writes, from the decisions: one shape for
 * every such entity, so each entity module only reads and decides (change-orders.ts, bills.ts). run.ts writes the
 * result (nothing in a dry run).
 */
import { resolveContested, type AcumaticaDocument, type Decision } from '../mappings/adoption-match';
import type { Link, ProcoreEntity } from '../store/links';
import type { AdoptionContext } from './read';
import type { Adopted, RecordOutcome, ReportEntity } from './run';

export interface DocumentAdoption {
  records: RecordOutcome[];
  links: Link[];
  adopted: Adopted[];
  originIds: Array<{ item_type: string; item_id: string; origin_id: string }>;
  markers: Array<{ entity: string; id: string; fields: Record<string, unknown> }>;
}

export const emptyAdoption = (): DocumentAdoption => ({
  records: [],
  links: [],
  adopted: [],
  originIds: [],
  markers: [],
});

export interface DocumentSpec<T> {
  entity: ReportEntity & ProcoreEntity;
  /** External Data item type of the header (the exporter's); none: Procore keeps no origin_id for it. */
  originItemType?: string;
  acumaticaEntity: string;
  lineEntity: ProcoreEntity;
  acumaticaLineEntity: string;
  /** The marker fields to write where nothing was keyed (a typed reference is never overwritten); none: no marker. */
  marker?: (procoreId: string, target: T) => Record<string, unknown> | undefined;
}

/** Records the decisions (ties across records resolved to review) and what an adoption writes for each. */
export function applyDocumentDecisions<T extends AcumaticaDocument & { id?: string }>(
  ctx: AdoptionContext,
  spec: DocumentSpec<T>,
  decided: Array<{ doc: { id: string; label: string; projectId: string }; decision: Decision<T> }>,
  out: DocumentAdoption,
): DocumentAdoption {
  for (const { doc, decision } of resolveContested(decided)) {
    const base = { entity: spec.entity, procoreId: doc.id, label: doc.label, projectId: doc.projectId } as const;
    if (decision.action === 'create') out.records.push({ ...base, outcome: 'created' });
    else if (decision.action === 'review')
      out.records.push({
        ...base,
        outcome: 'review',
        reason: decision.reason,
        detail: decision.detail,
        candidates: decision.candidates,
      });
    else {
      const t = decision.target;
      out.records.push({
        ...base,
        outcome: 'adopted',
        rule: decision.rule,
        acumaticaKey: t.key,
        differences: decision.differences,
        unmatchedLines: decision.unmatchedLines.length,
      });
      const link = { procoreCompanyId: ctx.companyId, procoreEntity: spec.entity, procoreId: doc.id };
      out.links.push({ ...link, acumaticaEntity: spec.acumaticaEntity, acumaticaKey: t.key, acumaticaId: t.id });
      // Line keys as the exporters write them: the document's key and the row's position (`CO000042:1`) or, for
      // budget rows, its budget key (`CO000042:01:REVENUE:03-300`).
      for (const m of decision.lineMatches)
        out.links.push({
          ...link,
          procoreEntity: spec.lineEntity,
          procoreId: m.procoreLineId,
          acumaticaEntity: spec.acumaticaLineEntity,
          acumaticaKey: `${t.key}:${m.lineNbr}`,
        });
      if (spec.originItemType)
        out.originIds.push({ item_type: spec.originItemType, item_id: doc.id, origin_id: t.key });
      out.adopted.push({
        entity: spec.entity,
        id: doc.id,
        acuEntity: spec.acumaticaEntity,
        key: t.key,
        rule: decision.rule,
        diffs: decision.differences,
      });
      const fields = t.id ? spec.marker?.(doc.id, t) : undefined;
      if (fields) out.markers.push({ entity: spec.acumaticaEntity, id: t.id!, fields });
    }
  }
  return out;
}
