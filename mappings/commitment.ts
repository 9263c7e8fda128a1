/**
 * Procore commitments -> Acumatica commitment documents. Pure: no I/O, so every mapped field is unit-tested
 * (tests/unit/commitment-mapping.test.ts).
 *  - work order contract (subcontract) -> `Subcontract` (SC301000), lines on `Task`;
 *  - purchase order contract -> `PurchaseOrder` of type Normal (PO301000), lines on `ProjectTask`, off hold.
 * Each line's task is the task of its sub job (`lineTasks`, placed by the exporter's preflight), the project's
 * default task only for a line without a sub job.
 * The marker `PROCORE-<id>` goes to VendorRef, which both documents have and the connector searches before
 * any create (lib/ids.ts).
 */
import { procoreMarker } from '../lib/ids';
import {
  documentAmounts,
  linePricing,
  moneyText,
  percent,
  roundMoney,
  sumMoney,
  toDecimal,
  type PricedLine,
} from './money';

export interface CommitmentLine extends PricedLine {
  id: string;
  /** The sub job segment of the line's WBS code (null: no sub job); placed on a task by mappings/line-placement.ts. */
  subJobCode?: string | null;
  /** The Procore tax code id of the line (null: none); its Acumatica category is placed by the preflight. */
  taxCodeId?: string | null;
}

export interface CommitmentSnapshot {
  procoreId: string;
  type: 'work_order_contract' | 'purchase_order_contract';
  projectId: string;
  number: string;
  title: string;
  label: string;
  vendorId: string;
  vendorName: string;
  retainagePercent: string | null;
  contractDate: string | null;
  grandTotal: string | null;
  lineIds: string[];
  lines: CommitmentLine[];
}

export interface CommitmentTargets {
  vendorKey: string;
  projectKey: string;
  /** The project's default task: the task of lines without a placement in `lineTasks`. */
  projectTask: string;
  /** The task of each line, in order (from its sub job; the default task when it has none). */
  lineTasks?: string[];
  /** The project's branch (its billing settings): the document posts there, not to the login branch. */
  branch?: string | null;
  /** The Acumatica tax category of each line, in order (null or absent: none sent). */
  lineTaxCategories?: Array<string | null>;
}

/** Acumatica's description fields hold 256 characters (POOrder.OrderDesc, POLine.TranDesc). */
const DESCRIPTION_MAX = 256;

/**
 * The lines' pricing and amounts under the rounding rule (money.ts): unit-based lines keep quantity x unit cost;
 * amount-based lines (Procore's default) are 1 x amount; the lines add up to the commitment's total, the rounding
 * difference carried on the largest amount-based line.
 */
export function commitmentLineAmounts(c: CommitmentSnapshot): Array<{ qty: number; unitCost: number; amount: number }> {
  const pricing = c.lines.map((l) => linePricing(l));
  const { amounts } = documentAmounts(
    c.lines.map((l, i) => ({ amount: l.amount, fixed: pricing[i].fixed })),
    { total: c.grandTotal },
  );
  return pricing.map((p, i) => ({
    qty: p.qty,
    unitCost: p.fixed ? p.unitCost : amounts[i],
    amount: amounts[i],
  }));
}

function header(c: CommitmentSnapshot, t: CommitmentTargets) {
  return {
    VendorID: t.vendorKey,
    VendorRef: procoreMarker(c.procoreId),
    Description: `${c.number} ${c.title}`.trim().slice(0, DESCRIPTION_MAX),
    ...(c.contractDate ? { Date: c.contractDate } : {}),
    ...(t.branch ? { Branch: t.branch } : {}),
  };
}

const taxCategory = (t: CommitmentTargets, i: number) =>
  t.lineTaxCategories?.[i] ? { TaxCategory: t.lineTaxCategories[i] } : {};

export function mapSubcontract(c: CommitmentSnapshot, t: CommitmentTargets): Record<string, unknown> {
  const retainage = c.retainagePercent ? percent(c.retainagePercent) : 0;
  const priced = commitmentLineAmounts(c);
  return {
    ...header(c, t),
    ...(c.contractDate ? { StartDate: c.contractDate } : {}),
    ApplyRetainage: retainage > 0,
    RetainagePct: retainage,
    Details: c.lines.map((line, i) => {
      const { qty, unitCost, amount } = priced[i];
      return {
        Project: t.projectKey,
        Task: t.lineTasks?.[i] ?? t.projectTask,
        ...(t.branch ? { BranchID: t.branch } : {}),
        CostCode: line.costCode ?? undefined,
        LineDescription: line.description.slice(0, DESCRIPTION_MAX),
        ...taxCategory(t, i),
        OrderQty: qty,
        UnitCost: unitCost,
        Amount: amount,
        RetainagePct: retainage,
      };
    }),
  };
}

/**
 * The PO is taken off hold (Hold = false), as the approved commitment it is in Procore: Acumatica opens it, or,
 * with PO approval on, sends it to its approvers (activities/exporters/po-approval.ts).
 */
export function mapPurchaseOrder(c: CommitmentSnapshot, t: CommitmentTargets): Record<string, unknown> {
  const priced = commitmentLineAmounts(c);
  return {
    Type: 'Normal',
    ...header(c, t),
    Hold: false,
    Project: t.projectKey,
    Details: c.lines.map((line, i) => {
      const { qty, unitCost, amount } = priced[i];
      return {
        Project: t.projectKey,
        ProjectTask: t.lineTasks?.[i] ?? t.projectTask,
        ...(t.branch ? { BranchID: t.branch } : {}),
        CostCode: line.costCode ?? undefined,
        LineDescription: line.description.slice(0, DESCRIPTION_MAX),
        ...taxCategory(t, i),
        UOM: line.uom ?? undefined,
        OrderQty: qty,
        UnitCost: unitCost,
        ExtendedCost: amount,
      };
    }),
  };
}

/**
 * A problem message when the lines do not add up to the commitment's total (beyond the rounding the rule carries),
 * or when the rounding difference has no line to carry it; else undefined.
 */
export function linesTotalProblem(c: CommitmentSnapshot): string | undefined {
  if (c.grandTotal !== null) {
    const lines = sumMoney(c.lines.map((l) => l.amount));
    if (!toDecimal(lines).equals(roundMoney(c.grandTotal)))
      return `The lines of ${c.number} add up to ${lines} but its total is ${moneyText(c.grandTotal)}. Correct the schedule of values in Procore, then resend.`;
  }
  const { problem } = documentAmounts(
    c.lines.map((l) => ({ amount: l.amount, fixed: linePricing(l).fixed })),
    { total: c.grandTotal, labels: c.lines.map((l) => l.description || l.id) },
  );
  return problem ? `${c.number}: ${problem}` : undefined;
}
