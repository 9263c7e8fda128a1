/**
 * Company-level direct cost exporter (create_company_level_direct_cost, procore-api.md §5.9): one vendor invoice
 * whose lines span several projects -> one Acumatica AP `Bill` with each line on its project's task and cost code
 * (mappings/company-direct-cost.ts). The invoice is read from the ERP request itself, as the events dictionary
 * delivers it (there is no public route to read it). Found again by VendorRef = PROCORE-DC<id>, so a retried or
 * redelivered export updates the one bill.
 */
import { companyDirectCostSchema } from '../../clients/procore/schemas-financial';
import { ValidationError } from '../../lib/errors';
import {
  companyDirectCostMarker,
  companyDirectCostTotalProblem,
  mapCompanyDirectCost,
  type CompanyDirectCostSnapshot,
  type CompanyDirectCostTargets,
} from '../../mappings/company-direct-cost';
import { findLink } from '../../store/links';
import { lineTasks } from './line-placement';
import { missingCostCodes, missingCostCodesProblem, projectBranch, requireLink } from './preflight';
import { billLockedReason, findBillByMarker, requisitionExporter } from './requisitions';
import type { Exporter } from './types';

export const companyDirectCostExporter: Exporter<CompanyDirectCostSnapshot, CompanyDirectCostTargets> = {
  procoreEntity: 'company_level_direct_cost',
  externalDataItemType: 'company_level_direct_cost',
  acumaticaEntity: 'Bill',
  expand: ['Details'],
  // As for invoices: the bill's VendorRef and description are never rewritten once it exists.
  immutableFields: ['VendorRef', 'Description'],
  documentLockedReason: billLockedReason,
  lines: { procoreEntity: 'company_level_direct_cost_line', acumaticaEntity: 'BillDetail' },

  async load(ctx, ref) {
    const request = await ctx.procore.getErpRequest(ref.companyId, ref.erpRequestId);
    const parsed = companyDirectCostSchema.safeParse((request.request_data as Record<string, unknown>).direct_cost);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ValidationError(
        `ERP request ${ref.erpRequestId} carries no readable company-level direct cost (${issue.path.join('.')}: ${issue.message}).`,
      );
    }
    const d = parsed.data;
    const label = `Direct cost ${d.invoice_number ?? d.id}${d.vendor?.name ? ` (${d.vendor.name})` : ''}`;
    return {
      procoreId: d.id,
      label,
      lineIds: d.line_items.map((l) => l.id),
      vendorId: d.vendor?.id ?? '',
      vendorName: d.vendor?.name ?? '(no vendor)',
      invoiceNumber: d.invoice_number ?? null,
      date: d.accounting_date ?? d.direct_cost_date ?? null,
      total: d.line_item_total ?? null,
      lines: d.line_items.map((l) => ({
        procoreId: l.id,
        projectId: l.project.id,
        projectName: l.project.name ?? l.project.id,
        jobOriginId: l.job_origin_id ?? null,
        subJobCode: l.subJobCode,
        // Procore's ERP key of the cost code is Acumatica's CostCodeID; the WBS code's segment otherwise.
        costCode: l.cost_code_origin_id ?? l.costCode,
        description: l.description ?? '',
        amount: l.total_amount,
      })),
    };
  },

  async preflight(ctx, s) {
    const problems: string[] = [];
    const total = companyDirectCostTotalProblem(s);
    if (total) problems.push(total);
    const vendor = await requireLink(
      ctx,
      'vendor',
      s.vendorId,
      `Vendor "${s.vendorName}"`,
      'Import or export the vendor first, then resend the direct cost.',
    );
    if ('problem' in vendor) problems.push(vendor.problem);
    const missing = missingCostCodesProblem(
      await missingCostCodes(
        ctx,
        s.lines.map((l) => l.costCode),
      ),
    );
    if (missing) problems.push(missing);

    // Each project once: its Acumatica key (the link, else Procore's ERP key of the job), branch and line tasks.
    const placed = new Map<number, { projectKey: string; task: string; branch: string | null }>();
    for (const projectId of [...new Set(s.lines.map((l) => l.projectId))]) {
      const indexes = s.lines.flatMap((l, i) => (l.projectId === projectId ? [i] : []));
      const first = s.lines[indexes[0]];
      const projectKey =
        (await findLink(ctx.db, ctx.companyId, 'project', projectId))?.acumaticaKey ?? first.jobOriginId;
      if (!projectKey) {
        problems.push(
          `Project "${first.projectName}" (Procore id ${projectId}) is not linked to an Acumatica project. Export the project first, then resend the direct cost.`,
        );
        continue;
      }
      const tasks = await lineTasks(ctx, {
        procoreProjectId: projectId,
        projectKey,
        documentLabel: s.label,
        lines: indexes.map((i) => ({
          label: s.lines[i].description || s.lines[i].procoreId,
          subJobCode: s.lines[i].subJobCode,
        })),
      });
      if (!tasks.ok) {
        problems.push(...tasks.problems);
        continue;
      }
      const branch = await projectBranch(ctx, projectKey);
      indexes.forEach((i, n) => placed.set(i, { projectKey, task: tasks.tasks[n], branch }));
    }
    if (problems.length > 0 || 'problem' in vendor) return { ok: false, problems };
    return { ok: true, targets: { vendorKey: vendor.key, lines: s.lines.map((_, i) => placed.get(i)!) } };
  },

  findExisting: (ctx, s) => findBillByMarker(ctx, companyDirectCostMarker(s.procoreId)),
  toAcumatica: mapCompanyDirectCost,
  readResult: requisitionExporter.readResult,
};
