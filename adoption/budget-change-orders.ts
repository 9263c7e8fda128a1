/**
 * Adoption of the change orders of a budget (rules: mappings/adoption-match.ts `decideChangeOrder`):
 *  - prime contract change orders -> `ChangeOrder` with RevenueBudget lines only;
 *  - budget changes -> `ChangeOrder` with CostBudget lines only.
 * Candidates are the change orders of that kind on the linked project that nothing is linked to. An adopted change
 * order gets its links, the marker ExternalRefNbr = PROCORE-<id> where nothing was keyed there, and (PCCOs only:
 * Procore keeps no origin_id on budget changes) its origin_id. A later export finds it through its adoption
 * (export-hook.ts). Decides only; run.ts writes (nothing in a dry run).
 */
import { procoreMarker } from '../lib/ids';
import {
  decideChangeOrder,
  norm,
  type AcumaticaBudgetChangeOrderFacts,
  type Decision,
} from '../mappings/adoption-match';
import { applyDocumentDecisions, emptyAdoption, type DocumentAdoption, type DocumentSpec } from './documents';
import {
  acumaticaBudgetChangeOrders,
  mapLimit,
  procoreBudgetChanges,
  procoreKey,
  procorePrimeChangeOrders,
  type AdoptionContext,
  type CompanyLinks,
  type ProcoreBudgetChangeOrder,
} from './read';

const KINDS = {
  prime_change_order: {
    read: procorePrimeChangeOrders,
    collection: 'RevenueBudget',
    spec: {
      entity: 'prime_change_order',
      originItemType: 'change_order',
      acumaticaEntity: 'ChangeOrder',
      lineEntity: 'prime_change_order_line_item',
      acumaticaLineEntity: 'ChangeOrderRevenueBudget',
    },
  },
  budget_change: {
    read: procoreBudgetChanges,
    collection: 'CostBudget',
    spec: {
      entity: 'budget_change',
      acumaticaEntity: 'ChangeOrder',
      lineEntity: 'budget_change_line_item',
      acumaticaLineEntity: 'ChangeOrderCostBudget',
    },
  },
} as const;

export async function adoptBudgetChangeOrders(
  ctx: AdoptionContext,
  kind: keyof typeof KINDS,
  input: {
    /** Procore project id -> linked Acumatica project. */
    projects: Map<string, string>;
    links: CompanyLinks;
    takenAcumatica: (entity: string, key: string) => boolean;
  },
): Promise<DocumentAdoption> {
  const def = KINDS[kind];
  const out = emptyAdoption();
  const docs = (await mapLimit([...input.projects.keys()], 2, (id) => def.read(ctx, id))).flat();
  if (docs.length === 0) return out;
  const acumatica = await acumaticaBudgetChangeOrders(ctx, def.collection);
  const decided: Array<{ doc: ProcoreBudgetChangeOrder; decision: Decision<AcumaticaBudgetChangeOrderFacts> }> = [];
  for (const doc of docs) {
    const linked = input.links.byProcore.get(procoreKey(kind, doc.id));
    if (linked) {
      out.records.push({
        entity: kind,
        procoreId: doc.id,
        label: doc.label,
        projectId: doc.projectId,
        outcome: 'unchanged',
        rule: 'linked',
        acumaticaKey: linked.acumaticaKey,
      });
      continue;
    }
    const project = norm(input.projects.get(doc.projectId));
    const candidates = acumatica.filter((a) => norm(a.projectId) === project && !input.takenAcumatica(a.entity, a.key));
    decided.push({ doc, decision: decideChangeOrder(doc, candidates) });
  }
  const spec: DocumentSpec<AcumaticaBudgetChangeOrderFacts> = {
    ...def.spec,
    marker: (id, t) => (t.externalRef ? undefined : { ExternalRefNbr: procoreMarker(id) }),
  };
  return applyDocumentDecisions(ctx, spec, decided, out);
}
