/**
 * Acumatica `Check` (AP302000, released) -> Procore contract payments: one per application of the check to an
 * AP bill the connector exported from a Procore subcontractor invoice (requisition). Applications to other
 * bills are not the connector's business and are left out. Pure; unit-tested.
 *
 * The importer adds what a pure mapping cannot know to each application line before it is mapped
 * (`REQUISITION_FIELD`): the requisition the bill was exported from, its project and its commitment.
 * origin_id `<Check ReferenceNbr>:<Bill ReferenceNbr>` makes the payment findable, so it is never created twice.
 */
import { moneyText, roundMoney } from './money';

type Unwrapped = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;

/** Added to each application line (Details[]) by the importer when its bill came from a Procore requisition. */
export const REQUISITION_FIELD = 'ConnectorRequisition';

export interface ExportedRequisitionRef {
  requisitionId: string;
  projectId: string;
  commitmentId: string;
}

export interface ContractPaymentPayload {
  origin_id: string;
  project_id: string;
  contract_id: string;
  requisition_id: string;
  amount: string;
  date?: string;
  check_number: string;
}

export interface CheckPaymentsPayload {
  /** The check's ReferenceNbr. */
  origin_id: string;
  payments: ContractPaymentPayload[];
}

/** The bill applications of a check: [bill ReferenceNbr] (DocType 'Bill' only). */
export function billApplications(check: Unwrapped): string[] {
  const lines = (Array.isArray(check.Details) ? check.Details : []) as Unwrapped[];
  return lines
    .filter((l) => (str(l.DocType) ?? 'Bill') === 'Bill')
    .map((l) => str(l.ReferenceNbr))
    .filter((r): r is string => !!r);
}

const requisitionOf = (l: Unwrapped): ExportedRequisitionRef | undefined => {
  const r = l[REQUISITION_FIELD] as Unwrapped | null | undefined;
  if (!r || typeof r !== 'object') return undefined;
  const requisitionId = str(r.requisitionId);
  const projectId = str(r.projectId);
  const commitmentId = str(r.commitmentId);
  return requisitionId && projectId && commitmentId ? { requisitionId, projectId, commitmentId } : undefined;
};

export function contractPaymentsFrom(
  check: Unwrapped,
): { ok: true; payload: CheckPaymentsPayload } | { ok: false; reason: string } {
  const ref = str(check.ReferenceNbr);
  if (!ref) return { ok: false, reason: 'The check has no Reference Nbr.' };
  const date = str(check.ApplicationDate)?.slice(0, 10);
  const payments: ContractPaymentPayload[] = [];
  const lines = (Array.isArray(check.Details) ? check.Details : []) as Unwrapped[];
  for (const l of lines) {
    if ((str(l.DocType) ?? 'Bill') !== 'Bill') continue;
    const bill = str(l.ReferenceNbr);
    const requisition = requisitionOf(l);
    if (!bill || !requisition) continue; // not a bill the connector exported
    const paid = l.AmountPaid ?? 0;
    if (Number.isNaN(Number(paid))) continue;
    const amount = roundMoney(paid as number | string);
    if (amount.lessThanOrEqualTo(0)) continue;
    payments.push({
      origin_id: `${ref}:${bill}`,
      project_id: requisition.projectId,
      contract_id: requisition.commitmentId,
      requisition_id: requisition.requisitionId,
      amount: moneyText(amount),
      ...(date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { date } : {}),
      check_number: str(check.PaymentRef) ?? ref,
    });
  }
  return { ok: true, payload: { origin_id: ref, payments } };
}
