/**
 * Subcontractor invoice exporter (create_requisitions): Procore requisition -> Acumatica AP `Bill` whose lines
 * bill the exported subcontract's lines. Found again by VendorRef = PROCORE-<requisition id>. An invoice on a
 * subcontract that is not exported yet fails its preflight with a message saying so.
 */
import { val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { and, eq } from '../../clients/acumatica/odata';
import { procoreMarker } from '../../lib/ids';
import { toDecimal } from '../../mappings/money';
import { mapBill, type BillSnapshot, type BillTargets } from '../../mappings/bill';
import { findLink } from '../../store/links';
import { projectBranch, readWithLines, requireVendorAndProject } from './preflight';
import { defaultTaskOf } from './line-placement';
import {
  applyRetainageRelease,
  loadRetainageRelease,
  releasedOf,
  releaseUnsupported,
  type RetainageRelease,
} from './retainage-release';
import { lineTaxCategories } from './tax';
import type { ExportContext, Exporter } from './types';

/** Why a bill takes no more changes: it is released (or otherwise past Balanced / On Hold). */
export function billLockedReason(record: AcumaticaRecord): string | undefined {
  return ['Balanced', 'On Hold'].includes(String(val(record.Status) ?? 'Balanced'))
    ? undefined
    : `bill ${String(val(record.ReferenceNbr))} is ${String(val(record.Status))} in Acumatica (released bills cannot be edited; enter a debit or credit adjustment there)`;
}

/**
 * The bill the connector wrote under `marker` (its VendorRef). A retainage release copies the VendorRef onto the
 * retainage bill it creates: the export's own bill is the first of them.
 */
export async function findBillByMarker(ctx: ExportContext, marker: string): Promise<AcumaticaRecord | undefined> {
  const found = await ctx.acumatica.list('Bill', {
    filter: and(eq('Type', 'Bill'), eq('VendorRef', marker)),
    expand: ['Details'],
  });
  return found.sort((x, y) => String(val(x.ReferenceNbr)).localeCompare(String(val(y.ReferenceNbr))))[0];
}

interface RequisitionSnapshot extends BillSnapshot {
  vendorId: string;
  vendorName: string;
  /** Retainage this pay app releases on the subcontract's earlier bills; null when it releases none. */
  retainageRelease: RetainageRelease | null;
}

export const requisitionExporter: Exporter<RequisitionSnapshot, BillTargets> = {
  procoreEntity: 'requisition',
  externalDataItemType: 'requisition',
  acumaticaEntity: 'Bill',
  expand: ['Details'],
  // A bill's VendorRef is the marker on bills the connector created and the vendor's invoice number on bills it
  // adopted (issue #15); neither is ever rewritten. The description is the AP clerk's once the bill exists.
  immutableFields: ['VendorRef', 'Description'],
  documentLockedReason: billLockedReason,
  lines: {
    procoreEntity: 'requisition_item',
    acumaticaEntity: 'BillDetail',
    externalDataItemType: 'requisition_contract_item',
  },

  async load(ctx, ref) {
    const [projectId, requisition, items] = await readWithLines(ref, (c, p, id) => [
      ctx.procore.getRequisition(c, p, id),
      ctx.procore.listRequisitionItems(c, p, id),
    ]);
    const commitmentId = String(requisition.commitment_id);
    const [contract, contractLines] = await Promise.all([
      ctx.procore.getWorkOrderContract(ref.companyId, projectId, commitmentId),
      ctx.procore.listWorkOrderContractLineItems(ref.companyId, projectId, commitmentId),
    ]);
    const costCodeOf = new Map(
      contractLines.map((l) => [String(l.id), l.cost_code?.full_code ?? l.cost_code?.code ?? null]),
    );
    const taxCodeOf = new Map(contractLines.map((l) => [String(l.id), l.tax_code_id ? String(l.tax_code_id) : null]));
    const number = String(requisition.number ?? requisition.id);
    const label = `${contract.number ?? commitmentId} Pay App #${number}`;
    const retainageRelease = await loadRetainageRelease(
      ctx,
      { companyId: ref.companyId, projectId, commitmentId, requisitionId: ref.procoreId, number: Number(number) },
      items.reduce((s, i) => s.plus(releasedOf(i)), toDecimal(0)),
    );
    return {
      procoreId: String(requisition.id),
      label,
      retainageRelease,
      lineIds: items.map((i) => String(i.id)),
      projectId,
      commitmentId,
      invoiceNumber: requisition.invoice_number ?? null,
      number,
      billingDate: requisition.billing_date ?? null,
      retainagePercent: items[0]?.work_completed_retainage_percent_this_period ?? contract.retainage_percent ?? null,
      vendorId: String(contract.vendor?.id ?? ''),
      vendorName: contract.vendor?.name ?? '(no vendor)',
      items: items.map((i) => ({
        procoreId: String(i.id),
        commitmentLineId: i.line_item_id ?? null,
        costCode: i.line_item_id ? (costCodeOf.get(i.line_item_id) ?? null) : null,
        taxCodeId: i.line_item_id ? (taxCodeOf.get(i.line_item_id) ?? null) : null,
        description: i.description_of_work ?? '',
        amount: i.work_completed_this_period,
        retainage: i.work_completed_retainage_retained_this_period ?? null,
        retainagePercent: i.work_completed_retainage_percent_this_period ?? null,
        // Materials stored this period: those stored now less those carried from the previous application.
        // Their retainage is what is retained on them now (the item has no "this period" field for it;
        // UNVERIFIED beyond the digest's field descriptions; README "Money").
        storedMaterials: toDecimal(i.materials_presently_stored)
          .minus(toDecimal(i.materials_presently_stored_from_previous_progress))
          .toFixed(2),
        storedRetainage: i.materials_stored_retainage_currently_retained ?? null,
      })),
    };
  },

  async preflight(ctx, b) {
    const problems: string[] = [];
    const unsupported = b.retainageRelease && (await releaseUnsupported(ctx, b.retainageRelease, b.label));
    if (unsupported) problems.push(unsupported);
    const subcontract = await findLink(ctx.db, ctx.companyId, 'work_order_contract', b.commitmentId);
    if (!subcontract) {
      problems.push(
        `The subcontract of ${b.label} (Procore id ${b.commitmentId}) has not been exported to Acumatica yet. Export it first, then resend the invoice.`,
      );
    }
    const { vendor, project } = await requireVendorAndProject(
      ctx,
      { ...b, projectLabel: `The project of ${b.label}`, resend: 'the invoice' },
      problems,
    );
    if (!subcontract || 'problem' in vendor || 'problem' in project) return { ok: false, problems };

    const lineNbrs: Record<string, number> = {};
    for (const item of b.items) {
      if (!item.commitmentLineId) continue;
      const link = await findLink(ctx.db, ctx.companyId, 'commitment_line_item', item.commitmentLineId);
      if (link) lineNbrs[item.commitmentLineId] = Number(link.acumaticaKey.split(':').pop());
      else
        problems.push(
          `Invoice line "${item.description}" bills a subcontract line that is not in Acumatica; resend the subcontract first.`,
        );
    }
    if (problems.length > 0) return { ok: false, problems };
    // Each bill line goes to the task of the subcontract line it bills (Acumatica's, so the two always agree); a line
    // billing no subcontract line to the project's default task.
    const [sc] = await ctx.acumatica.list('Subcontract', {
      filter: eq('SubcontractNbr', subcontract.acumaticaKey),
      expand: ['Details'],
      top: 1,
    });
    const taskOfLine = new Map(
      ((sc?.Details as Array<Record<string, unknown>> | undefined) ?? []).map((d) => [
        Number(val(d.LineNbr)),
        String(val(d.Task) ?? ''),
      ]),
    );
    const defaultTask = b.items.some((i) => !i.commitmentLineId) ? await defaultTaskOf(ctx, project.key) : null;
    const lineTasks: string[] = [];
    for (const item of b.items) {
      const task = item.commitmentLineId ? taskOfLine.get(lineNbrs[item.commitmentLineId]) : defaultTask;
      if (task) lineTasks.push(task);
      else
        problems.push(
          item.commitmentLineId
            ? `Invoice line "${item.description}" bills subcontract line ${subcontract.acumaticaKey}:${lineNbrs[item.commitmentLineId]}, which Acumatica no longer has (or has no task); resend the subcontract first.`
            : `Invoice line "${item.description}" bills no subcontract line, and Acumatica project ${project.key} has no default task. Mark a default task on the project in Acumatica, then resend.`,
        );
    }
    const tax = await lineTaxCategories(
      ctx,
      b.items.map((i) => ({ label: i.description, taxCodeId: i.taxCodeId ?? null })),
      'the invoice',
    );
    problems.push(...tax.problems);
    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      notes: tax.notes,
      targets: {
        vendorKey: vendor.key,
        projectKey: project.key,
        subcontractKey: subcontract.acumaticaKey,
        lineNbrs,
        lineTasks,
        branch: await projectBranch(ctx, project.key),
        lineTaxCategories: tax.categories,
      },
    };
  },

  findExisting: (ctx, b) => findBillByMarker(ctx, procoreMarker(b.procoreId)),

  async afterWrite(ctx, b, _targets, key) {
    if (b.retainageRelease) await applyRetainageRelease(ctx, b.retainageRelease, { key, label: b.label });
    return undefined;
  },

  toAcumatica: mapBill,

  readResult(record) {
    const key = String(val(record.ReferenceNbr));
    const details = (record.Details as Array<Record<string, unknown>> | undefined) ?? [];
    return { acumaticaKey: key, acumaticaId: record.id, lineKeys: details.map((_, i) => `${key}:${i + 1}`) };
  },
};
