/**
 * Payment import (company-wide, opt-in: US companies only, as Procore's own connector): released Acumatica
 * checks -> Procore contract payments on the subcontractor invoices the connector exported as AP bills. One
 * payment per application of a check to such a bill (origin_id `<Check ReferenceNbr>:<Bill ReferenceNbr>`);
 * applications to other bills are ignored. Idempotent: each payment is looked up by origin_id before it is
 * created, so a retried page or a changed check never pays twice.
 *
 * The link of a check records the Procore payments it produced (ids, comma-separated), or `none:<check>` when it
 * applies to no exported bill, so an unchanged check is not looked at again.
 */
import { val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { and, eq, gt, or } from '../../clients/acumatica/odata';
import { ConflictError, ConnectorError } from '../../lib/errors';
import {
  billApplications,
  contractPaymentsFrom,
  REQUISITION_FIELD,
  type CheckPaymentsPayload,
  type ContractPaymentPayload,
  type ExportedRequisitionRef,
} from '../../mappings/payment-import';
import { linkedProcoreIds } from './direct-costs';
import type { ImportContext, Importer, WriteOutcome } from './types';

const linesOf = (record: AcumaticaRecord): Array<Record<string, unknown>> =>
  (Array.isArray(record.Details) ? record.Details : []) as Array<Record<string, unknown>>;

/** The requisition each exported bill came from, with its Procore project and commitment. */
async function exportedRequisitions(
  ctx: ImportContext,
  billRefs: string[],
): Promise<Map<string, ExportedRequisitionRef>> {
  const out = new Map<string, ExportedRequisitionRef>();
  const requisitions = await linkedProcoreIds(ctx.db, ctx.companyId, 'requisition', billRefs);
  for (const [billRef, requisitionId] of requisitions) {
    const bill = await ctx.acumatica.get('Bill', ['Bill', billRef]);
    const acumaticaProject = String(val(bill.Project) ?? '');
    const [projectId] = (await linkedProcoreIds(ctx.db, ctx.companyId, 'project', [acumaticaProject])).values();
    if (!projectId) continue; // the project link is gone: nothing to attach the payment to
    const requisition = await ctx.procore.getRequisition(ctx.companyId, projectId, requisitionId);
    out.set(billRef, { requisitionId, projectId, commitmentId: String(requisition.commitment_id) });
  }
  return out;
}

async function recordPayment(ctx: ImportContext, p: ContractPaymentPayload): Promise<string> {
  const existing = await ctx.procore.findContractPaymentByOriginId(
    ctx.companyId,
    p.project_id,
    p.contract_id,
    p.origin_id,
  );
  if (existing) return String(existing.id);
  const { project_id: projectId, ...payment } = p;
  try {
    const created = await ctx.procore.createContractPayment(ctx.companyId, projectId, payment);
    return String(created.id);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    // Created by an earlier attempt that did not see the answer: pick it up.
    const found = await ctx.procore.findContractPaymentByOriginId(ctx.companyId, projectId, p.contract_id, p.origin_id);
    if (!found) throw err;
    return String(found.id);
  }
}

export const paymentImporter: Importer<CheckPaymentsPayload> = {
  procoreEntity: 'contract_payment',
  acumaticaEntity: 'Check',

  async readPage(ctx, _scope, { since, skip, top }) {
    const records = await ctx.acumatica.list('Check', {
      filter: and(
        eq('Type', 'Payment'),
        or(eq('Status', 'Closed'), eq('Status', 'Open')),
        since ? gt('LastModifiedDateTime', since) : undefined,
      ),
      expand: ['Details'],
      top,
      skip,
    });
    const billRefs = [...new Set(records.flatMap((r) => billApplications({ Details: linesOf(r).map(plainLine) })))];
    const exported = await exportedRequisitions(ctx, billRefs);
    for (const r of records) {
      for (const line of linesOf(r)) {
        const ref = exported.get(String(val(line.ReferenceNbr) ?? ''));
        if (ref && String(val(line.DocType) ?? 'Bill') === 'Bill') line[REQUISITION_FIELD] = { ...ref };
      }
    }
    return records;
  },

  keyOf: (record) => String(val(record.ReferenceNbr)),
  map: contractPaymentsFrom,

  async write(ctx, items) {
    const outcomes: WriteOutcome[] = [];
    for (const item of items) {
      try {
        const ids: string[] = [];
        for (const payment of item.payload.payments) ids.push(await recordPayment(ctx, payment));
        outcomes.push({
          acumaticaKey: item.acumaticaKey,
          procoreId: ids.length > 0 ? ids.join(',') : `none:${item.acumaticaKey}`,
        });
      } catch (err) {
        if (!(err instanceof ConnectorError) || err.retryable) throw err;
        outcomes.push({ acumaticaKey: item.acumaticaKey, error: `Procore refused the payment: ${err.message}` });
      }
    }
    return outcomes;
  },
};

function plainLine(line: Record<string, unknown>): Record<string, unknown> {
  return { DocType: val(line.DocType), ReferenceNbr: val(line.ReferenceNbr) };
}
