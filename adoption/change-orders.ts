/**
 * Adoption of commitment change orders (rules: mappings/adoption-match.ts `decideChangeOrder`). Runs after the
 * commitments: a Procore CCO is only matched when its commitment is linked (already, or adopted in this run), and
 * only against change orders whose Commitments lines are all against that commitment's Acumatica document.
 * Decides only; the adoption run (run.ts) writes what is decided, so a dry run writes nothing.
 */
import { procoreMarker } from '../lib/ids';
import { decideChangeOrder, norm, type Decision } from '../mappings/adoption-match';
import type { AcumaticaChangeOrderFacts } from '../mappings/adoption-match';
import {
  acumaticaChangeOrders,
  mapLimit,
  procoreChangeOrders,
  procoreKey,
  type AdoptionContext,
  type CompanyLinks,
  type ProcoreChangeOrder,
} from './read';
import { applyDocumentDecisions, emptyAdoption, type DocumentAdoption } from './documents';

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
): Promise<DocumentAdoption> {
  const out = emptyAdoption();
  const commitmentIds = new Set(input.commitments.keys());
  const perProject = await mapLimit([...input.projects.keys()], 2, (id) => procoreChangeOrders(ctx, id, commitmentIds));
  const changeOrders = perProject.flat();
  if (changeOrders.length === 0) return out;
  const acumatica = await acumaticaChangeOrders(ctx);

  const entity = 'commitment_change_order' as const;
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

  return applyDocumentDecisions(
    ctx,
    {
      entity,
      originItemType: 'change_order',
      acumaticaEntity: 'ChangeOrder',
      lineEntity: 'change_order_line_item',
      acumaticaLineEntity: 'ChangeOrderCommitment',
      marker: (id, t) => (t.externalRef ? undefined : { ExternalRefNbr: procoreMarker(id) }),
    },
    decided.map(({ co, decision }) => ({ doc: co, decision })),
    out,
  );
}
