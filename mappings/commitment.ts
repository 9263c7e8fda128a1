/**
 * Procore commitments -> Acumatica commitment documents. Pure: no I/O, so every mapped field is unit-tested
 * (tests/unit/commitment-mapping.test.ts).
 *  - work order contract (subcontract) -> `Subcontract` (SC301000), lines on `Task`;
 *  - purchase order contract -> `PurchaseOrder` of type Normal (PO301000), lines on `ProjectTask`, off hold.
 * The marker `PROCORE-<id>` goes to VendorRef, which both documents have and the connector searches before
 * any create (lib/ids.ts).
 */
import { procoreMarker } from '../lib/ids';
import { money, sumMoney, toDecimal } from './money';

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
  /** Acumatica requires a project task on every project line; Procore sub jobs map to tasks later. */
  projectTask: string;
}

/** Acumatica's description fields hold 256 characters (POOrder.OrderDesc, POLine.TranDesc). */
const DESCRIPTION_MAX = 256;

/** Unit-based lines keep quantity x unit cost; amount-based lines (Procore's default) are 1 x amount. */
function quantityAndCost(line: CommitmentLine): { qty: number; unitCost: number } {
  const unitBased = Boolean(line.quantity && line.unitCost && Number(line.quantity) !== 0);
  return unitBased
    ? { qty: Number(line.quantity), unitCost: money(line.unitCost) }
    : { qty: 1, unitCost: money(line.amount) };
}

function header(c: CommitmentSnapshot, t: CommitmentTargets) {
  return {
    VendorID: t.vendorKey,
    VendorRef: procoreMarker(c.procoreId),
    Description: `${c.number} ${c.title}`.trim().slice(0, DESCRIPTION_MAX),
    ...(c.contractDate ? { Date: c.contractDate } : {}),
  };
}

export function mapSubcontract(c: CommitmentSnapshot, t: CommitmentTargets): Record<string, unknown> {
  const retainage = c.retainagePercent ? money(c.retainagePercent) : 0;
  return {
    ...header(c, t),
    ...(c.contractDate ? { StartDate: c.contractDate } : {}),
    ApplyRetainage: retainage > 0,
    RetainagePct: retainage,
    Details: c.lines.map((line) => {
      const { qty, unitCost } = quantityAndCost(line);
      return {
        Project: t.projectKey,
        Task: t.projectTask,
        CostCode: line.costCode ?? undefined,
        LineDescription: line.description.slice(0, DESCRIPTION_MAX),
        OrderQty: qty,
        UnitCost: unitCost,
        Amount: money(line.amount),
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
  return {
    Type: 'Normal',
    ...header(c, t),
    Hold: false,
    Project: t.projectKey,
    Details: c.lines.map((line) => {
      const { qty, unitCost } = quantityAndCost(line);
      return {
        Project: t.projectKey,
        ProjectTask: t.projectTask,
        CostCode: line.costCode ?? undefined,
        LineDescription: line.description.slice(0, DESCRIPTION_MAX),
        UOM: line.uom ?? undefined,
        OrderQty: qty,
        UnitCost: unitCost,
        ExtendedCost: money(line.amount),
      };
    }),
  };
}

/** A problem message when the lines do not add up to the commitment's total, else undefined. */
export function linesTotalProblem(c: CommitmentSnapshot): string | undefined {
  if (c.grandTotal === null) return undefined;
  const lines = sumMoney(c.lines.map((l) => l.amount));
  if (toDecimal(lines).equals(toDecimal(c.grandTotal))) return undefined;
  return `The lines of ${c.number} add up to ${lines} but its total is ${toDecimal(c.grandTotal).toFixed(2)}. Correct the schedule of values in Procore, then resend.`;
}
