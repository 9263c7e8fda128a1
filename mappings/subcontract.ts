/**
 * Procore work order contract (subcontract) -> Acumatica `Subcontract` (SC301000). Pure: no I/O, so every
 * mapped field is unit-tested (tests/unit/subcontract-mapping.test.ts).
 */
import { commitmentMarker } from '../lib/ids';
import { money } from './money';

export interface CommitmentLine {
  id: string;
  costCode: string | null;
  description: string;
  amount: string;
  quantity: string | null;
  unitCost: string | null;
  uom: string | null;
}

export interface CommitmentSnapshot {
  id: string;
  projectId: string;
  number: string;
  title: string;
  vendorId: string;
  vendorName: string;
  retainagePercent: string | null;
  contractDate: string | null;
  grandTotal: string | null;
  lines: CommitmentLine[];
}

export interface SubcontractTargets {
  vendorKey: string;
  projectKey: string;
  /** Acumatica requires a project task on every project line; Procore sub jobs map to tasks later. */
  projectTask: string;
}

/** Acumatica's Description field holds 256 characters (SC301000 POOrder.OrderDesc). */
const DESCRIPTION_MAX = 256;

export function mapSubcontract(c: CommitmentSnapshot, t: SubcontractTargets): Record<string, unknown> {
  const retainage = c.retainagePercent ? money(c.retainagePercent) : 0;
  return {
    VendorID: t.vendorKey,
    VendorRef: commitmentMarker(c.id),
    Description: `${c.number} ${c.title}`.slice(0, DESCRIPTION_MAX),
    ...(c.contractDate ? { Date: c.contractDate, StartDate: c.contractDate } : {}),
    ApplyRetainage: retainage > 0,
    RetainagePct: retainage,
    Details: c.lines.map((line) => {
      // Unit-based lines keep quantity x unit cost; amount-based lines (Procore's default) are 1 x amount.
      const unitBased = Boolean(line.quantity && line.unitCost && Number(line.quantity) !== 0);
      return {
        Project: t.projectKey,
        Task: t.projectTask,
        CostCode: line.costCode ?? undefined,
        LineDescription: line.description.slice(0, DESCRIPTION_MAX),
        OrderQty: unitBased ? Number(line.quantity) : 1,
        UnitCost: unitBased ? money(line.unitCost) : money(line.amount),
        Amount: money(line.amount),
        RetainagePct: retainage,
      };
    }),
  };
}
