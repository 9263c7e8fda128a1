/**
 * Adoption of direct costs (rules: mappings/adoption-match.ts `decideDirectCost`). Direct costs are imported
 * (Acumatica -> Procore), so adopting one means: the Procore direct cost keyed by hand gets the link and the
 * origin_ids (header and lines) the import would have given it, and the next import updates it in place
 * instead of creating a second one. Decides only; run.ts writes (nothing in a dry run).
 *
 * Outcomes: a Procore direct cost is adopted, or goes to review, or - matching no transaction - is `unchanged`
 * (a cost entered in Procore only; the import never touches it). A transaction no Procore direct cost adopts is
 * reported `created`: the next import creates it in Procore.
 */
import { norm, resolveContested, type AcumaticaDirectCostFacts, type Decision } from '../mappings/adoption-match';
import { decideDirectCost } from '../mappings/adoption-match';
import type { Link } from '../store/links';
import {
  acumaticaDirectCosts,
  acumaticaKeyOf,
  mapLimit,
  procoreDirectCosts,
  procoreKey,
  type AdoptionContext,
  type CompanyLinks,
  type ProcoreDirectCost,
} from './read';
import type { Adopted, RecordOutcome } from './run';

export interface DirectCostAdoption {
  records: RecordOutcome[];
  links: Link[];
  adopted: Adopted[];
  /** External Data origin_ids of the adopted lines (item_type `item`). */
  originIds: Array<{ item_type: string; item_id: string; origin_id: string }>;
  /** Header origin_ids, written through the project's direct cost sync (External Data has no item type for them). */
  headers: Array<{ projectId: string; id: string; origin_id: string }>;
}

export async function adoptDirectCosts(
  ctx: AdoptionContext,
  input: {
    /** Procore project id -> linked Acumatica project. */
    projects: Map<string, string>;
    /** Procore vendor id -> linked (or now adopted) Acumatica vendor. */
    vendors: Map<string, string>;
    links: CompanyLinks;
    takenAcumatica: (entity: string, key: string) => boolean;
  },
): Promise<DirectCostAdoption> {
  const out: DirectCostAdoption = { records: [], links: [], adopted: [], originIds: [], headers: [] };
  const entity = 'direct_cost';
  const perProject = await mapLimit([...input.projects.keys()], 2, (id) => procoreDirectCosts(ctx, id, input.vendors));
  const costs = perProject.flat();
  const acuProjects = new Set([...input.projects.values()].map(norm));
  const transactions = await acumaticaDirectCosts(ctx, acuProjects);
  const claimed = new Set<string>();

  const decided: Array<{ d: ProcoreDirectCost; decision: Decision<AcumaticaDirectCostFacts> }> = [];
  for (const d of costs) {
    const base = { entity, procoreId: d.id, label: d.label, projectId: d.projectId } as const;
    const linked = input.links.byProcore.get(procoreKey(entity, d.id));
    if (linked) {
      claimed.add(norm(linked.acumaticaKey));
      out.records.push({ ...base, outcome: 'unchanged', rule: 'linked', acumaticaKey: linked.acumaticaKey });
      continue;
    }
    const projectKey = norm(input.projects.get(d.projectId));
    const candidates = transactions.filter(
      (t) => norm(t.projectId) === projectKey && !input.takenAcumatica(t.entity, t.key),
    );
    decided.push({ d, decision: decideDirectCost(d, candidates) });
  }

  for (const { d, decision } of resolveContested(decided)) {
    const base = { entity, procoreId: d.id, label: d.label, projectId: d.projectId } as const;
    if (decision.action === 'create') out.records.push({ ...base, outcome: 'unchanged', rule: 'procore_only' });
    else if (decision.action === 'review') {
      decision.candidates.forEach((k) => claimed.add(norm(k)));
      out.records.push({
        ...base,
        outcome: 'review',
        reason: decision.reason,
        detail: decision.detail,
        candidates: decision.candidates,
      });
    } else {
      const t = decision.target;
      claimed.add(norm(t.key));
      out.records.push({
        ...base,
        outcome: 'adopted',
        rule: decision.rule,
        acumaticaKey: t.key,
        differences: decision.differences,
        unmatchedLines: 0,
      });
      out.links.push({
        procoreCompanyId: ctx.companyId,
        procoreEntity: entity,
        procoreId: d.id,
        acumaticaEntity: 'ProjectTransaction',
        acumaticaKey: t.key,
      });
      out.headers.push({ projectId: d.projectId, id: d.id, origin_id: t.key });
      for (const m of decision.lineMatches)
        out.originIds.push({ item_type: 'item', item_id: m.procoreLineId, origin_id: m.lineNbr });
      out.adopted.push({
        entity,
        id: d.id,
        acuEntity: 'ProjectTransaction',
        key: t.key,
        rule: decision.rule,
        diffs: decision.differences,
      });
    }
  }
  // What the next import creates in Procore: transactions nobody adopted or is reviewing.
  for (const t of transactions)
    if (!claimed.has(norm(t.key)) && !input.links.byAcumatica.has(acumaticaKeyOf(t.entity, t.key)))
      out.records.push({
        entity,
        procoreId: '',
        label: `${t.key} ${t.description}`.trim(),
        outcome: 'created',
        acumaticaKey: t.key,
      });
  return out;
}
