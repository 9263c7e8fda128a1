/**
 * Procore commitment change order -> Acumatica `ChangeOrder` (PM308000) with Commitments lines against the
 * exported subcontract or purchase order. Pure; unit-tested.
 * A CCO line that changes an existing commitment line carries that line's number (POLineNbr); a new scope
 * line leaves it empty and Acumatica adds a line to the commitment. Found again by ExternalRefNbr.
 */
import { procoreMarker } from '../lib/ids';
import { documentAmounts, linePricing, type PricedLine } from './money';
import { DEFAULT_TASK } from './project';

export interface ChangeOrderLine extends PricedLine {
  procoreId: string;
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
  /** The task of each line, in order: the changed commitment line's task, else the project's default task. */
  lineTasks?: string[];
}

const DESCRIPTION_MAX = 256;

export function poTypeOf(commitmentType: ChangeOrderSnapshot['commitmentType']): 'Subcontract' | 'Normal' {
  return commitmentType === 'work_order_contract' ? 'Subcontract' : 'Normal';
}

export function mapCommitmentChangeOrder(c: ChangeOrderSnapshot, t: ChangeOrderTargets): Record<string, unknown> {
  // The rounding rule (money.ts): the lines add up to the change order's exact total, the difference carried on the
  // largest amount-based line.
  const pricing = c.lines.map((l) => linePricing(l));
  const { amounts } = documentAmounts(c.lines.map((l, i) => ({ amount: l.amount, fixed: pricing[i].fixed })));
  return {
    ProjectID: t.projectKey,
    ExternalRefNbr: procoreMarker(c.procoreId),
    Description: c.label.slice(0, DESCRIPTION_MAX),
    ...(c.date ? { ChangeDate: c.date } : {}),
    Commitments: c.lines.map((l, i) => {
      const { qty, unitCost, fixed } = pricing[i];
      return {
        POType: poTypeOf(c.commitmentType),
        PONbr: t.commitmentKey,
        POLineNbr: l.commitmentLineId ? t.lineNbrs[l.commitmentLineId] : undefined,
        Vendor: t.vendorKey,
        ProjectTaskID: t.lineTasks?.[i] ?? DEFAULT_TASK.code,
        CostCode: l.costCode ?? undefined,
        Description: l.description.slice(0, DESCRIPTION_MAX),
        Qty: qty,
        UnitCost: fixed ? unitCost : amounts[i],
        Amount: amounts[i],
      };
    }),
  };
}

/** The rounding rule's refusal (money.ts) when only quantity x unit cost lines could carry the difference. */
export function changeOrderRoundingProblem(c: ChangeOrderSnapshot): string | undefined {
  const { problem } = documentAmounts(
    c.lines.map((l) => ({ amount: l.amount, fixed: linePricing(l).fixed })),
    { labels: c.lines.map((l) => l.description || l.procoreId) },
  );
  return problem ? `${c.number}: ${problem}` : undefined;
}
