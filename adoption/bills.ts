/**
 * Adoption of subcontractor invoices (Procore requisition -> Acumatica AP Bill; rules: mappings/adoption-match.ts
 * `decideBill`). Runs after the commitments: an invoice is only matched when its subcontract is linked (already,
 * or adopted in this run), and only against bills whose every line bills that subcontract's Acumatica document.
 * No marker is written: a bill's VendorRef is where the vendor's invoice number was keyed, and the export finds an
 * adopted bill through its adoption (export-hook.ts). Decides only; run.ts writes (nothing in a dry run).
 */
import { decideBill, norm, type AcumaticaBillFacts, type Decision } from '../mappings/adoption-match';
import { applyDocumentDecisions, emptyAdoption, type DocumentAdoption } from './documents';
import {
  acumaticaBills,
  mapLimit,
  procoreBills,
  procoreKey,
  type AdoptionContext,
  type CompanyLinks,
  type ProcoreBill,
} from './read';

export async function adoptBills(
  ctx: AdoptionContext,
  input: {
    /** Procore project id -> linked Acumatica project. */
    projects: Map<string, string>;
    /** Procore subcontract id -> its linked (or now adopted) Acumatica Subcontract number. */
    subcontracts: Map<string, string>;
    /** Procore commitment line id -> its cost code (an invoice line's cost code is its commitment line's). */
    lineCostCodes: Map<string, string | null>;
    links: CompanyLinks;
    takenAcumatica: (entity: string, key: string) => boolean;
  },
): Promise<DocumentAdoption> {
  const out = emptyAdoption();
  const ids = new Set(input.subcontracts.keys());
  const perProject = await mapLimit([...input.projects.keys()], 2, (id) =>
    procoreBills(ctx, id, ids, input.lineCostCodes),
  );
  const bills = perProject.flat();
  if (bills.length === 0) return out;
  const acumatica = await acumaticaBills(ctx);

  const entity = 'requisition' as const;
  const decided: Array<{ doc: ProcoreBill; decision: Decision<AcumaticaBillFacts> }> = [];
  for (const bill of bills) {
    const linked = input.links.byProcore.get(procoreKey(entity, bill.id));
    if (linked) {
      out.records.push({
        entity,
        procoreId: bill.id,
        label: bill.label,
        projectId: bill.projectId,
        outcome: 'unchanged',
        rule: 'linked',
        acumaticaKey: linked.acumaticaKey,
      });
      continue;
    }
    const subcontract = norm(input.subcontracts.get(bill.commitmentId));
    const candidates = acumatica.filter(
      (a) => a.commitmentKeys.every((k) => norm(k) === subcontract) && !input.takenAcumatica(a.entity, a.key),
    );
    decided.push({ doc: bill, decision: decideBill(bill, candidates) });
  }
  return applyDocumentDecisions(
    ctx,
    {
      entity,
      originItemType: 'requisition',
      acumaticaEntity: 'Bill',
      lineEntity: 'requisition_item',
      acumaticaLineEntity: 'BillDetail',
    },
    decided,
    out,
  );
}
