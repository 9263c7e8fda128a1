/**
 * Commitment exporters: Procore work order contracts -> Acumatica `Subcontract`, purchase order contracts ->
 * `PurchaseOrder` (type Normal). Both are found again by VendorRef = PROCORE-<commitment id>.
 * Re-export is line by line (find-or-create.ts): rows are identified by their LineNbr, which the line links
 * hold ("SC000001:3"); Acumatica numbers lines from a counter and never reuses a number. A completed, closed or
 * canceled line, or a closed document, cannot change: the export says which line and changes nothing.
 * Each line goes to the task of its sub job (the WBS code's sub job segment, through the sub job <-> task link), the
 * project's default task only when it has none; a line on a sub job without a task fails the preflight.
 * Purchase orders are exported ready to use (Hold = false), so PO approval must be off in Acumatica; how that is
 * checked, when the contract cannot read the setting: po-approval.ts.
 */
import { documentName } from '../../mappings/document';
import { pricedLineOf } from '../../mappings/money';
import { val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { and, eq } from '../../clients/acumatica/odata';
import type { CommitmentLineItem, WorkOrderContract } from '../../clients/procore/client';
import { parseWbsFlatCode } from '../../clients/procore/schemas-financial';
import { procoreMarker } from '../../lib/ids';
import {
  linesTotalProblem,
  mapPurchaseOrder,
  mapSubcontract,
  type CommitmentSnapshot,
  type CommitmentTargets,
} from '../../mappings/commitment';
import type { LineIdentity } from '../../mappings/line-diff';
import { lineTasks } from './line-placement';
import { checkPoApproval, poApprovalProblem } from './po-approval';
import {
  missingCostCodes,
  missingCostCodesProblem,
  projectBranch,
  readWithLines,
  requireVendorAndProject,
} from './preflight';
import { lineTaxCategories } from './tax';
import type { ExportContext, Exporter, ExportRef } from './types';

/** The task of a line nothing placed (every line is placed by the preflight: line-placement.ts). */
export const DEFAULT_PROJECT_TASK = '01';

function snapshot(
  type: CommitmentSnapshot['type'],
  projectId: string,
  contract: WorkOrderContract,
  lines: CommitmentLineItem[],
): CommitmentSnapshot {
  return {
    procoreId: String(contract.id),
    type,
    projectId,
    ...documentName(contract),
    vendorId: String(contract.vendor?.id ?? ''),
    vendorName: contract.vendor?.name ?? '(no vendor)',
    retainagePercent: contract.retainage_percent ?? null,
    contractDate: contract.contract_date ?? null,
    grandTotal: contract.grand_total ?? null,
    lineIds: lines.map((l) => String(l.id)),
    lines: lines.map((l) => ({
      id: String(l.id),
      subJobCode: parseWbsFlatCode(l.wbs_code?.flat_code).subJobCode,
      taxCodeId: l.tax_code_id ? String(l.tax_code_id) : null,
      ...pricedLineOf(l),
    })),
  };
}

async function commitmentPreflight(ctx: ExportContext, c: CommitmentSnapshot) {
  const problems: string[] = [];
  const { vendor, project } = await requireVendorAndProject(
    ctx,
    { ...c, projectLabel: `The project of ${c.number} (Procore id ${c.projectId})`, resend: 'the commitment' },
    problems,
  );
  const total = linesTotalProblem(c);
  if (total) problems.push(total);
  // The Acumatica reads are independent of each other: side by side, so the export waits for one, not three.
  const [missing, placement, tax] = await Promise.all([
    missingCostCodes(
      ctx,
      c.lines.map((l) => l.costCode),
    ),
    'problem' in project
      ? undefined
      : Promise.all([
          projectBranch(ctx, project.key),
          lineTasks(ctx, {
            procoreProjectId: c.projectId,
            projectKey: project.key,
            documentLabel: c.number,
            lines: c.lines.map((l) => ({ label: l.description || l.id, subJobCode: l.subJobCode ?? null })),
          }),
        ]),
    lineTaxCategories(
      ctx,
      c.lines.map((l) => ({ label: l.description || l.id, taxCodeId: l.taxCodeId ?? null })),
      'the commitment',
    ),
  ]);
  const costCodes = missingCostCodesProblem(missing);
  if (costCodes) problems.push(costCodes);
  let tasks: string[] = [];
  let branch: string | null = null;
  if (placement) {
    const [projectBranchName, placed] = placement;
    branch = projectBranchName;
    if (placed.ok) tasks = placed.tasks;
    else problems.push(...placed.problems);
  }
  problems.push(...tax.problems);
  return { problems, vendor, project, tasks, branch, tax };
}

function targetsOrProblems(result: Awaited<ReturnType<typeof commitmentPreflight>>, extra: string[] = []) {
  const problems = [...result.problems, ...extra];
  if (problems.length > 0 || 'problem' in result.vendor || 'problem' in result.project) {
    return { ok: false as const, problems };
  }
  const targets: CommitmentTargets = {
    vendorKey: result.vendor.key,
    projectKey: result.project.key,
    projectTask: DEFAULT_PROJECT_TASK,
    lineTasks: result.tasks,
    branch: result.branch,
    lineTaxCategories: result.tax.categories,
  };
  return { ok: true as const, targets, notes: result.tax.notes };
}

/** The row flags that freeze a commitment line in Acumatica, and how to say so. */
function frozenBy(flags: Record<string, string>): (row: AcumaticaRecord) => string | undefined {
  return (row) => {
    const flag = Object.keys(flags).find((f) => val(row[f]) === true);
    return flag ? `it is ${flags[flag]}` : undefined;
  };
}

function numberedLines(amountField: string, flags: Record<string, string>): LineIdentity {
  return {
    collection: 'Details',
    rowKey: (docKey, row) => `${docKey}:${val(row.LineNbr)}`,
    matchFields: ['CostCode', 'LineDescription', amountField],
    lockedReason: frozenBy(flags),
  };
}

/** Document statuses in which Acumatica takes no more changes. */
function closedDocument(statuses: string[]): (record: AcumaticaRecord) => string | undefined {
  return (record) => {
    const status = String(val(record.Status) ?? '');
    return statuses.includes(status) ? `its status in Acumatica is ${status}` : undefined;
  };
}

function lineKeys(record: AcumaticaRecord, key: string): string[] {
  const details = (record.Details as AcumaticaRecord[] | undefined) ?? [];
  return details.map((d) => `${key}:${val(d.LineNbr)}`);
}

export const subcontractExporter: Exporter<CommitmentSnapshot, CommitmentTargets> = {
  procoreEntity: 'work_order_contract',
  externalDataItemType: 'work_order_contract',
  acumaticaEntity: 'Subcontract',
  expand: ['Details'],
  lines: {
    procoreEntity: 'commitment_line_item',
    acumaticaEntity: 'SubcontractDetail',
    externalDataItemType: 'line_item',
  },
  lineIdentity: numberedLines('Amount', { Completed: 'completed', Closed: 'closed', Canceled: 'canceled' }),
  documentLockedReason: closedDocument(['Closed', 'Completed', 'Canceled']),

  async load(ctx: ExportContext, ref: ExportRef) {
    const [projectId, contract, lines] = await readWithLines(ref, (c, p, id) => [
      ctx.procore.getWorkOrderContract(c, p, id),
      ctx.procore.listWorkOrderContractLineItems(c, p, id),
    ]);
    return snapshot('work_order_contract', projectId, contract, lines);
  },

  async preflight(ctx, c) {
    const extra: string[] = [];
    if (!(await ctx.acumatica.hasEntity('Subcontract'))) {
      extra.push(
        'This Acumatica release has no Subcontract entity on its Default endpoint (it arrives with 2023 R2). Install the connector\'s Subcontract endpoint extension (clients/acumatica/README.md, "Acumatica releases before 2023 R2") or upgrade, then resend.',
      );
    }
    return targetsOrProblems(await commitmentPreflight(ctx, c), extra);
  },

  async findExisting(ctx, c) {
    const found = await ctx.acumatica.list('Subcontract', {
      filter: eq('VendorRef', procoreMarker(c.procoreId)),
      expand: ['Details'],
      top: 2,
    });
    return found[0];
  },

  toAcumatica: mapSubcontract,

  readResult(record) {
    const key = String(val(record.SubcontractNbr));
    return { acumaticaKey: key, acumaticaId: record.id, lineKeys: lineKeys(record, key) };
  },
};

export const purchaseOrderExporter: Exporter<CommitmentSnapshot, CommitmentTargets> = {
  procoreEntity: 'purchase_order_contract',
  externalDataItemType: 'purchase_order_contract',
  acumaticaEntity: 'PurchaseOrder',
  expand: ['Details'],
  lines: {
    procoreEntity: 'commitment_line_item',
    acumaticaEntity: 'PurchaseOrderDetail',
    externalDataItemType: 'line_item',
  },
  lineIdentity: numberedLines('ExtendedCost', { Completed: 'completed', Cancelled: 'canceled' }),
  documentLockedReason: closedDocument(['Closed', 'Completed', 'Cancelled']),

  async load(ctx, ref) {
    const [projectId, contract, lines] = await readWithLines(ref, (c, p, id) => [
      ctx.procore.getPurchaseOrderContract(c, p, id),
      ctx.procore.listPurchaseOrderContractLineItems(c, p, id),
    ]);
    return snapshot('purchase_order_contract', projectId, contract, lines);
  },

  async preflight(ctx, c) {
    const [checks, approval] = await Promise.all([commitmentPreflight(ctx, c), poApprovalProblem(ctx)]);
    return targetsOrProblems(checks, approval ? [approval] : []);
  },

  async findExisting(ctx, c) {
    const found = await ctx.acumatica.list('PurchaseOrder', {
      filter: and(eq('Type', 'Normal'), eq('VendorRef', procoreMarker(c.procoreId))),
      expand: ['Details'],
      top: 2,
    });
    return found[0];
  },

  toAcumatica: mapPurchaseOrder,
  // PO approval must be off in Acumatica (po-approval.ts).
  verifyWritten: (ctx, _c, record) => checkPoApproval(ctx, record),

  readResult(record) {
    const key = String(val(record.OrderNbr));
    return { acumaticaKey: key, acumaticaId: record.id, lineKeys: lineKeys(record, key) };
  },
};
