/**
 * Procore commitment change order -> Acumatica `ChangeOrder` (PM308000) with Commitments lines against the
 * exported subcontract or purchase order. Pure; unit-tested.
 * A CCO line that changes an existing commitment line carries that line's number (POLineNbr); a new scope
 * line leaves it empty and Acumatica adds a line to the commitment. Found again by ExternalRefNbr.
 */
import { procoreMarker } from '../lib/ids';
import { money } from './money';
import { DEFAULT_TASK } from './project';

export interface ChangeOrderLine {
  procoreId: string;
  costCode: string | null;
  description: string;
  amount: string;
  quantity: string | null;
  unitCost: string | null;
  uom: string | null;
  /** The Procore commitment line this line changes, when Procore says. */
  commitmentLineId: string | null;
}

export interface ChangeOrderSnapshot {
  procoreId: string;
  label: string;
  lineIds: string[];
  projectId: string;
  commitmentId: string;
  commitmentType: 'work_order_contract' | 'purchase_order_contract';
  number: string;
  date: string | null;
  lines: ChangeOrderLine[];
}

export interface ChangeOrderTargets {
  projectKey: string;
  /** The commitment's Acumatica document number (Subcontract or PurchaseOrder). */
  commitmentKey: string;
  vendorKey: string;
  /** Procore commitment line id -> Acumatica line number of the exported commitment. */
  lineNbrs: Record<string, number>;
}

const DESCRIPTION_MAX = 256;

export function poTypeOf(commitmentType: ChangeOrderSnapshot['commitmentType']): 'Subcontract' | 'Normal' {
  return commitmentType === 'work_order_contract' ? 'Subcontract' : 'Normal';
}

export function mapCommitmentChangeOrder(c: ChangeOrderSnapshot, t: ChangeOrderTargets): Record<string, unknown> {
  return {
    ProjectID: t.projectKey,
    ExternalRefNbr: procoreMarker(c.procoreId),
    Description: c.label.slice(0, DESCRIPTION_MAX),
    ...(c.date ? { ChangeDate: c.date } : {}),
    Commitments: c.lines.map((l) => {
      const unitBased = Boolean(l.quantity && l.unitCost && Number(l.quantity) !== 0);
      return {
        POType: poTypeOf(c.commitmentType),
        PONbr: t.commitmentKey,
        POLineNbr: l.commitmentLineId ? t.lineNbrs[l.commitmentLineId] : undefined,
        Vendor: t.vendorKey,
        ProjectTaskID: DEFAULT_TASK.code,
        CostCode: l.costCode ?? undefined,
        Description: l.description.slice(0, DESCRIPTION_MAX),
        Qty: unitBased ? Number(l.quantity) : 1,
        UnitCost: unitBased ? money(l.unitCost) : money(l.amount),
        Amount: money(l.amount),
      };
    }),
  };
}
