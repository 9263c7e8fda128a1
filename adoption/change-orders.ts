/**
 * Adoption of commitment change orders (rules: mappings/adoption-match.ts `decideChangeOrder`). Runs after the
 * commitments: a Procore CCO is only matched when its commitment is linked (already, or adopted in this run), and
 * only against change orders whose Commitments lines are all against that commitment's Acumatica document.
 * Decides only; the adoption run (run.ts) writes what is decided, so a dry run writes nothing.
 */
import { procoreMarker } from '../lib/ids';
import { decideChangeOrder, norm, resolveContested, type Decision } from '../mappings/adoption-match';
import type { AcumaticaChangeOrderFacts } from '../mappings/adoption-match';
import type { Link, ProcoreEntity } from '../store/links';
import {
  acumaticaChangeOrders,
  mapLimit,
  procoreChangeOrders,
  procoreKey,
  type AdoptionContext,
  type CompanyLinks,
  type ProcoreChangeOrder,
} from './read';
import type { Adopted, RecordOutcome } from './run';

export interface ChangeOrderAdoption {
  records: RecordOutcome[];
  links: Link[];
  adopted: Adopted[];
  originIds: Array<{ item_type: string; item_id: string; origin_id: string }>;
  markers: Array<{ entity: string; id: string; fields: Record<string, unknown> }>;
}

export async function adoptChangeOrders(
  ctx: AdoptionContext,
  input: {
    /** Procore project id -> linked Acumatica project. */
    projects: Map<string, string>;
    /** Procore commitment id -> its linked (or now adopted) Acumatica document number. */
    commitments: Map<string, string>;
    links: CompanyLinks;
    takenAcumatica: (entity: string, key: string) => boolean;
  },
): Promise<ChangeOrderAdoption> {
  const out: ChangeOrderAdoption = { records: [], links: [], adopted: [], originIds: [], markers: [] };
  const commitmentIds = new Set(input.commitments.keys());
  const perProject = await mapLimit([...input.projects.keys()], 2, (id) => procoreChangeOrders(ctx, id, commitmentIds));
  const changeOrders = perProject.flat();
  if (changeOrders.length === 0) return out;
  const acumatica = await acumaticaChangeOrders(ctx);

  const entity = 'commitment_change_order';
  const decided: Array<{ co: ProcoreChangeOrder; decision: Decision<AcumaticaChangeOrderFacts> }> = [];
  for (const co of changeOrders) {
    const base = { entity, procoreId: co.id, label: co.label, projectId: co.projectId } as const;
    const linked = input.links.byProcore.get(procoreKey(entity, co.id));
    if (linked) {
      out.records.push({ ...base, outcome: 'unchanged', rule: 'linked', acumaticaKey: linked.acumaticaKey });
      continue;
    }
    const projectKey = norm(input.projects.get(co.projectId));
    const commitmentKey = norm(input.commitments.get(co.commitmentId));
    const candidates = acumatica.filter(
      (a) =>
        norm(a.projectId) === projectKey &&
        a.commitmentKeys.length > 0 &&
        a.commitmentKeys.every((k) => norm(k) === commitmentKey) &&
        !input.takenAcumatica(a.entity, a.key),
    );
    decided.push({ co, decision: decideChangeOrder(co, candidates) });
  }

  for (const { co, decision } of resolveContested(decided)) {
    const base = { entity, procoreId: co.id, label: co.label, projectId: co.projectId } as const;
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
      const link = { procoreCompanyId: ctx.companyId, procoreEntity: entity as ProcoreEntity, procoreId: co.id };
      out.links.push({ ...link, acumaticaEntity: 'ChangeOrder', acumaticaKey: t.key, acumaticaId: t.id });
      // Line keys as the exporter writes them: the change order's key and the row's position.
      for (const m of decision.lineMatches)
        out.links.push({
          ...link,
          procoreEntity: 'change_order_line_item' as ProcoreEntity,
          procoreId: m.procoreLineId,
          acumaticaEntity: 'ChangeOrderCommitment',
          acumaticaKey: `${t.key}:${m.lineNbr}`,
        });
      out.originIds.push({ item_type: 'change_order', item_id: co.id, origin_id: t.key });
      out.adopted.push({
        entity,
        id: co.id,
        acuEntity: 'ChangeOrder',
        key: t.key,
        rule: decision.rule,
        diffs: decision.differences,
      });
      // The marker only where nothing was keyed: a typed reference is never overwritten by adoption.
      if (!t.externalRef && t.id)
        out.markers.push({ entity: 'ChangeOrder', id: t.id, fields: { ExternalRefNbr: procoreMarker(co.id) } });
    }
  }
  return out;
}
