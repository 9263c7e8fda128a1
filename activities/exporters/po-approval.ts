/**
 * Purchase order approval (feature map: "PO approval must be off in Acumatica: check it before exporting and say
 * so clearly").
 *
 * The connector exports a purchase order ready to use (Hold = false): the accounting approver has approved it in
 * Procore already. With approval on in Acumatica (Purchase Orders Preferences, PO101000, "Require Approval"),
 * Acumatica sends such a PO to its own approvers ('Pending Approval') instead of opening it. The Default contract
 * has no PO preferences entity (acumatica-api.md, "Hold/approval"), so the setting cannot be read. What the
 * connector can see, and does:
 *  - after the write: the PO Acumatica committed is 'Pending Approval'. The PO exists, once (a resend finds it by
 *    its marker), but the export fails with a message that names the setting and the PO, no links or origin_id are
 *    written, and the PO is remembered for the company (store/acumatica-observations.ts);
 *  - before the next PO export (preflight): while the remembered PO is still 'Pending Approval', every PO export
 *    of the company fails before writing, with the same message, so no second PO is left waiting. Once that PO is
 *    approved, cancelled or deleted in Acumatica the memory is cleared and PO exports go ahead; if approval is
 *    still on, the next PO shows it again.
 * One extra Acumatica read per PO export only while a PO is remembered; none otherwise.
 */
import { val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { and, eq } from '../../clients/acumatica/odata';
import { ValidationError } from '../../lib/errors';
import { clearObservation, findObservation, recordObservation } from '../../store/acumatica-observations';
import type { ExportContext } from './types';

export const PENDING_APPROVAL = 'Pending Approval';

function whatToDo(orderNbr: string): string {
  return (
    `The connector exports purchase orders ready to use and needs PO approval off: in Acumatica, open Purchase ` +
    `Orders Preferences (PO101000) and clear Require Approval, then approve or cancel ${orderNbr} ` +
    `(Purchase Orders, PO301000) and resend. The resend finds ${orderNbr} and links it; no second purchase order ` +
    `is created.`
  );
}

/** The preflight problem while a PO the connector exported still waits for Acumatica's approvers, else undefined. */
export async function poApprovalProblem(ctx: ExportContext): Promise<string | undefined> {
  const seen = await findObservation(ctx.db, ctx.companyId, 'po_approval_required');
  if (!seen) return undefined;
  const [po] = await ctx.acumatica.list('PurchaseOrder', {
    filter: and(eq('Type', 'Normal'), eq('OrderNbr', seen.acumaticaKey)),
    select: ['OrderNbr', 'Status'],
    top: 1,
  });
  if (po && val(po.Status) === PENDING_APPROVAL) {
    return `Purchase order ${seen.acumaticaKey}, exported earlier, is still waiting in '${PENDING_APPROVAL}' in Acumatica because purchase order approval is on. ${whatToDo(seen.acumaticaKey)}`;
  }
  await clearObservation(ctx.db, ctx.companyId, 'po_approval_required', seen.acumaticaKey);
  return undefined;
}

/** After the write: a PO Acumatica left in 'Pending Approval' fails the export and is remembered. */
export async function checkPoApproval(ctx: ExportContext, record: AcumaticaRecord): Promise<void> {
  const orderNbr = String(val(record.OrderNbr));
  const status =
    val<string>(record.Status) ??
    val<string>((await ctx.acumatica.get('PurchaseOrder', ['Normal', orderNbr], { select: ['Status'] })).Status);
  if (status !== PENDING_APPROVAL) return;
  await recordObservation(ctx.db, ctx.companyId, 'po_approval_required', {
    acumaticaEntity: 'PurchaseOrder',
    acumaticaKey: orderNbr,
  });
  throw new ValidationError(
    `it holds the order as purchase order ${orderNbr} in '${PENDING_APPROVAL}' because purchase order approval is on. ${whatToDo(orderNbr)}`,
    { system: 'acumatica', request: `PUT PurchaseOrder ${orderNbr}` },
  );
}
