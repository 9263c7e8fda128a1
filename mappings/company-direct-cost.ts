/**
 * Procore company-level direct cost (create_company_level_direct_cost) -> one Acumatica AP `Bill` (AP301000) whose
 * lines post to several projects. Pure; unit-tested.
 *
 * Each Procore line becomes one bill line, in order, on its own project, task (placed by the exporter's
 * preflight) and cost code, with Procore's line total as 1 x the amount (the rounding rule of money.ts: the
 * lines add up to the invoice's total, any difference carried on the largest line). The marker
 * PROCORE-DC<id> goes to VendorRef ("DC": direct cost ids and invoice ids are separate Procore sequences and
 * could meet); the vendor's invoice number goes to the description, as on every bill the connector writes.
 *
 * Not sent: the cost type. A bill line has no account group field in any Default contract; Acumatica derives the
 * line's account group from its expense account (the vendor's default), as on a bill the AP clerk keys.
 */
import { procoreMarker } from '../lib/ids';
import { documentAmounts, moneyText, roundMoney, sumMoney, toDecimal } from './money';

export interface CompanyDirectCostLine {
  procoreId: string;
  /** The Procore project of the line, and its name for messages. */
  projectId: string;
  projectName: string;
  /** Procore's ERP key of the job (the project's origin_id), used when the project has no link. */
  jobOriginId: string | null;
  subJobCode: string | null;
  costCode: string | null;
  description: string;
  amount: string;
}

export interface CompanyDirectCostSnapshot {
  procoreId: string;
  label: string;
  lineIds: string[];
  vendorId: string;
  vendorName: string;
  invoiceNumber: string | null;
  date: string | null;
  /** Procore's invoice total (the sum of its lines), the figure the bill must equal. */
  total: string | null;
  lines: CompanyDirectCostLine[];
}

export interface CompanyDirectCostTargets {
  vendorKey: string;
  /** Per line, in order: its Acumatica project, task and the project's branch (null: the login branch). */
  lines: Array<{ projectKey: string; task: string; branch: string | null }>;
}

const DESCRIPTION_MAX = 256;

/** Why the lines cannot make Procore's total (they must, to the cent, once rounded), if they cannot. */
export function companyDirectCostTotalProblem(s: CompanyDirectCostSnapshot): string | undefined {
  if (s.lines.length === 0) return `${s.label} has no lines. Add its lines in Procore, then resend.`;
  if (s.total === null) return undefined;
  const lines = sumMoney(s.lines.map((l) => l.amount));
  if (toDecimal(lines).equals(roundMoney(s.total))) return undefined;
  return `The lines of ${s.label} add up to ${lines} but its total is ${moneyText(s.total)}. Correct the direct cost in Procore, then resend.`;
}

/** The marker of a company-level direct cost's bill. */
export function companyDirectCostMarker(procoreId: string): string {
  return procoreMarker(`DC${procoreId}`);
}

export function mapCompanyDirectCost(
  s: CompanyDirectCostSnapshot,
  t: CompanyDirectCostTargets,
): Record<string, unknown> {
  const { amounts } = documentAmounts(
    s.lines.map((l) => ({ amount: l.amount })),
    { total: s.total },
  );
  const branches = [...new Set(t.lines.map((l) => l.branch))];
  return {
    Type: 'Bill',
    Vendor: t.vendorKey,
    VendorRef: companyDirectCostMarker(s.procoreId),
    Description: `${s.invoiceNumber ? `Invoice ${s.invoiceNumber} - ` : ''}${s.label}`.slice(0, DESCRIPTION_MAX),
    ...(s.date ? { Date: s.date } : {}),
    // One branch for the whole bill when every project posts to the same one; else each line says its own.
    ...(branches.length === 1 && branches[0] ? { BranchID: branches[0] } : {}),
    Details: s.lines.map((l, n) => ({
      Project: t.lines[n].projectKey,
      ProjectTask: t.lines[n].task,
      ...(t.lines[n].branch ? { Branch: t.lines[n].branch } : {}),
      CostCode: l.costCode ?? undefined,
      TransactionDescription: (l.description || `${l.projectName} direct cost`).slice(0, DESCRIPTION_MAX),
      Qty: 1,
      UnitCost: amounts[n],
      ExtendedCost: amounts[n],
    })),
  };
}
