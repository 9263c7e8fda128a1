/**
 * Procore subcontractor invoice (requisition) -> Acumatica AP `Bill` (AP301000). Pure; unit-tested.
 * Each invoice item becomes a bill line on the subcontract line it bills (POOrderType/POOrderNbr/POLine), with
 * project, task (the billed subcontract line's, placed by the exporter's preflight) and cost code; retainage
 * withheld goes to the AP retainage custom fields (Document.RetainageApply and per line RetainagePct and
 * CuryRetainageAmt), because no Default contract has Bill retainage fields of its own. Materials presently stored
 * are their own bill lines after the work lines, with their own retainage. Taxes are not synced, as in
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
  /** Retainage withheld this period on the work, and its percent. */
  retainage: string | null;
  retainagePercent?: string | null;
  /** Materials presently stored (gross), and the retainage withheld on them this period. */
  storedMaterials?: string | null;
  storedRetainage?: string | null;
  /** The Procore tax code id of the commitment line the item bills (null: none). */
  taxCodeId?: string | null;
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
  /** The Acumatica tax category of each item, in order (that of the commitment line it bills; null: none). */
  lineTaxCategories?: Array<string | null>;
}

const DESCRIPTION_MAX = 256;

/** One bill line: an invoice item's work, or the materials it has stored (their own line, with their retainage). */
interface BillLine {
  item: BillItem;
  stored: boolean;
  amount: string;
  retainage: string | null;
  percent: string | null;
}

const isPositive = (v: string | null | undefined) => Boolean(v) && Number(v) !== 0;

/** The bill's lines: every item's work in order (line n is item n, as the line links pair them), then stored materials. */
export function billLines(b: BillSnapshot): BillLine[] {
  const work = b.items.map((item) => ({
    item,
    stored: false,
    amount: item.amount,
    retainage: item.retainage,
    percent: item.retainagePercent ?? b.retainagePercent,
  }));
  const stored = b.items
    .filter((item) => isPositive(item.storedMaterials))
    .map((item) => ({
      item,
      stored: true,
      amount: item.storedMaterials!,
      retainage: item.storedRetainage ?? null,
      percent: item.retainagePercent ?? b.retainagePercent,
    }));
  return [...work, ...stored];
}

export function mapBill(b: BillSnapshot, t: BillTargets): Record<string, unknown> {
  const lines = billLines(b);
  const retains = lines.some((l) => isPositive(l.retainage)) || isPositive(b.retainagePercent);
  // The rounding rule (money.ts): the bill's lines add up to the invoice's work completed and materials stored this
  // period, and their retainage to the retainage withheld, each difference carried on the largest line.
  const { amounts } = documentAmounts(lines.map((l) => ({ amount: l.amount })));
  const retainage = documentAmounts(lines.map((l) => ({ amount: l.retainage })));
  const taskOf = new Map(b.items.map((i, n) => [i, t.lineTasks?.[n] ?? DEFAULT_TASK.code]));
  const taxOf = new Map(b.items.map((i, n) => [i, t.lineTaxCategories?.[n] ?? null]));
  return {
    Type: 'Bill',
    Vendor: t.vendorKey,
    VendorRef: procoreMarker(b.procoreId),
    Description: `${b.invoiceNumber ? `Invoice ${b.invoiceNumber} - ` : ''}${b.label}`.slice(0, DESCRIPTION_MAX),
    ...(b.billingDate ? { Date: b.billingDate } : {}),
    Project: t.projectKey,
    ...(t.branch ? { BranchID: t.branch } : {}),
    // Retainage applies only with the document's flag on: without it Acumatica zeroes every line's retainage.
    ...(retains
      ? {
          custom: {
            Document: {
              RetainageApply: { type: 'CustomBooleanField', value: true },
              DefRetainagePct: { type: 'CustomDecimalField', value: percent(b.retainagePercent ?? 0) },
            },
          },
        }
      : {}),
    Details: lines.map((l, n) => ({
      Project: t.projectKey,
      ProjectTask: taskOf.get(l.item),
      ...(t.branch ? { Branch: t.branch } : {}),
      CostCode: l.item.costCode ?? undefined,
      ...(taxOf.get(l.item) ? { TaxCategory: taxOf.get(l.item) } : {}),
      TransactionDescription: (l.stored ? `Stored materials: ${l.item.description}` : l.item.description).slice(
        0,
        DESCRIPTION_MAX,
      ),
      Qty: 1,
      UnitCost: amounts[n],
      ExtendedCost: amounts[n],
      POOrderType: 'Subcontract',
      POOrderNbr: t.subcontractKey,
      POLine: l.item.commitmentLineId ? t.lineNbrs[l.item.commitmentLineId] : undefined,
      // Procore's retainage amount is sent as such (Acumatica derives the line's percent from an entered amount),
      // so the bill withholds exactly what the invoice does, not a percent recomputed and rounded again.
      ...(retains
        ? {
            custom: {
              Transactions: {
                RetainagePct: { type: 'CustomDecimalField', value: percent(l.percent ?? 0) },
                CuryRetainageAmt: { type: 'CustomDecimalField', value: retainage.amounts[n] },
              },
            },
          }
        : {}),
    })),
  };
}
