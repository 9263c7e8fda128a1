/**
 * Procore subcontractor invoice (requisition) -> Acumatica AP `Bill` (AP301000). Pure; unit-tested.
 * Each invoice item becomes a bill line on the subcontract line it bills (POOrderType/POOrderNbr/POLine), with
 * project, task (the billed subcontract line's, placed by the exporter's preflight) and cost code; retainage
 * withheld goes to the AP retainage custom fields, because the Bill contract has none of its own before
 * 23.200.001 (acumatica-api.md §5.1). Taxes are not synced, as in
 * Procore's connector. The marker PROCORE-<id> goes to VendorRef; the vendor's invoice number goes to the
 * description.
 */
import { procoreMarker } from '../lib/ids';
import { documentAmounts, percent } from './money';
import { DEFAULT_TASK } from './project';

export interface BillItem {
  procoreId: string;
  commitmentLineId: string | null;
  costCode: string | null;
  description: string;
  /** Work completed this period (gross). */
  amount: string;
  /** Retainage withheld this period. */
  retainage: string | null;
}

export interface BillSnapshot {
  procoreId: string;
  label: string;
  lineIds: string[];
  projectId: string;
  commitmentId: string;
  invoiceNumber: string | null;
  number: string;
  billingDate: string | null;
  retainagePercent: string | null;
  items: BillItem[];
}

export interface BillTargets {
  vendorKey: string;
  projectKey: string;
  subcontractKey: string;
  /** Procore commitment line id -> Acumatica subcontract line number. */
  lineNbrs: Record<string, number>;
  /** The task of each item, in order: the task of the subcontract line it bills (the default task without one). */
  lineTasks?: string[];
  /** The project's branch (its billing settings): the bill posts there, not to the login branch. */
  branch?: string | null;
}

const DESCRIPTION_MAX = 256;

export function mapBill(b: BillSnapshot, t: BillTargets): Record<string, unknown> {
  const retainagePct = b.retainagePercent ? percent(b.retainagePercent) : 0;
  // The rounding rule (money.ts): the bill's lines add up to the invoice's work completed this period, and its
  // retainage lines to the retainage withheld, each difference carried on the largest line.
  const { amounts } = documentAmounts(b.items.map((i) => ({ amount: i.amount })));
  const retainage = documentAmounts(b.items.map((i) => ({ amount: i.retainage })));
  return {
    Type: 'Bill',
    Vendor: t.vendorKey,
    VendorRef: procoreMarker(b.procoreId),
    Description: `${b.invoiceNumber ? `Invoice ${b.invoiceNumber} - ` : ''}${b.label}`.slice(0, DESCRIPTION_MAX),
    ...(b.billingDate ? { Date: b.billingDate } : {}),
    Project: t.projectKey,
    ...(t.branch ? { BranchID: t.branch } : {}),
    Details: b.items.map((i, n) => ({
      Project: t.projectKey,
      ProjectTask: t.lineTasks?.[n] ?? DEFAULT_TASK.code,
      ...(t.branch ? { Branch: t.branch } : {}),
      CostCode: i.costCode ?? undefined,
      TransactionDescription: i.description.slice(0, DESCRIPTION_MAX),
      Qty: 1,
      UnitCost: amounts[n],
      ExtendedCost: amounts[n],
      POOrderType: 'Subcontract',
      POOrderNbr: t.subcontractKey,
      POLine: i.commitmentLineId ? t.lineNbrs[i.commitmentLineId] : undefined,
      ...(retainagePct > 0 || i.retainage
        ? {
            custom: {
              Transactions: {
                RetainagePct: { type: 'CustomDecimalField', value: retainagePct },
                CuryRetainageAmt: { type: 'CustomDecimalField', value: retainage.amounts[n] },
              },
            },
          }
        : {}),
    })),
  };
}
