/**
 * Drop-down lists as system contract 5 (Default/26.200.001) shows them: a `StringSingleSelectValue` field is
 * `{"value": {"id": "<stored code>", "description": "<label>"}}`, is written `{"value": {"id": "<code>"}}` and is
 * filtered by the code. Contract 4 shows and takes the label (`{"value": "On Hold"}`), which is what the store keeps.
 *
 * The codes are the ones Acumatica's DACs store (PX.Objects POOrderType, POOrderStatus, APDocType, APDocStatus,
 * VendorStatus, ProjectStatus, ProjectTaskStatus, GL AccountType, ChangeOrderStatus, PMRegister status). They are
 * not in the OpenAPI documents; taken from Acumatica's list attributes as publicly documented, not checked against
 * a 2026 R2 instance. A label without a known code is shown with the label as its id (and an unknown id is
 * stored as given, so the entity rules answer "is not a valid ...").
 */

type List = ReadonlyArray<readonly [id: string, label: string]>;

const PO_ORDER_TYPE: List = [
  ['RO', 'Normal'],
  ['DP', 'Drop-Ship'],
  ['BL', 'Blanket'],
  ['SB', 'Standard'],
  ['PD', 'Project Drop-Ship'],
  ['RS', 'Subcontract'],
];
const PO_ORDER_STATUS: List = [
  ['H', 'On Hold'],
  ['P', 'Pending Approval'],
  ['N', 'Open'],
  ['D', 'Pending Printing'],
  ['E', 'Pending Email'],
  ['M', 'Completed'],
  ['C', 'Closed'],
  ['L', 'Canceled'],
  ['R', 'Rejected'],
];
const PO_LINE_TYPE: List = [
  ['GI', 'Goods for IN'],
  ['GS', 'Goods for SO'],
  ['GP', 'Goods for Project'],
  ['NS', 'Non-Stock'],
  ['NP', 'Non-Stock for Project'],
  ['SV', 'Service'],
  ['FT', 'Freight'],
  ['DN', 'Description'],
];
const AP_DOC_TYPE: List = [
  ['INV', 'Bill'],
  ['ACR', 'Credit Adj.'],
  ['ADR', 'Debit Adj.'],
  ['PPM', 'Prepayment'],
  ['CHK', 'Payment'],
  ['VCK', 'Voided Payment'],
  ['REF', 'Vendor Refund'],
  ['QCK', 'Cash Purchase'],
];
const AP_DOC_STATUS: List = [
  ['H', 'On Hold'],
  ['B', 'Balanced'],
  ['V', 'Voided'],
  ['S', 'Scheduled'],
  ['N', 'Open'],
  ['C', 'Closed'],
  ['P', 'Printed'],
  ['K', 'Prebooked'],
  ['E', 'Pending Approval'],
  ['R', 'Rejected'],
  ['Z', 'Reserved'],
];
const VENDOR_STATUS: List = [
  ['A', 'Active'],
  ['H', 'On Hold'],
  ['C', 'Credit Hold'],
  ['P', 'Hold Payments'],
  ['I', 'Inactive'],
  ['T', 'One-Time'],
];
const PROJECT_STATUS: List = [
  ['D', 'In Planning'],
  ['I', 'Pending Approval'],
  ['A', 'Active'],
  ['H', 'On Hold'],
  ['E', 'Suspended'],
  ['C', 'Completed'],
  ['X', 'Canceled'],
  ['R', 'Rejected'],
];
const TASK_STATUS: List = [
  ['D', 'Planned'],
  ['A', 'Active'],
  ['C', 'Completed'],
  ['X', 'Canceled'],
  ['I', 'Inactive'],
];
const ACCOUNT_TYPE: List = [
  ['A', 'Asset'],
  ['L', 'Liability'],
  ['I', 'Income'],
  ['E', 'Expense'],
  ['O', 'Off-Balance'],
];
/** ProjectBudget.Type: the GL account type of the line's account group (Expense = cost, Income = revenue). */
const BUDGET_TYPE: List = [
  ['E', 'Cost'],
  ['I', 'Revenue'],
];
const CHANGE_ORDER_STATUS: List = [
  ['H', 'On Hold'],
  ['A', 'Pending Approval'],
  ['O', 'Open'],
  ['C', 'Closed'],
  ['R', 'Rejected'],
];
const REGISTER_STATUS: List = [
  ['H', 'On Hold'],
  ['B', 'Balanced'],
  ['R', 'Released'],
];

/** `<schema>.<field>` -> list. Schemas are the document's type names (detail lines have their own). */
const FIELDS: Record<string, List> = {
  'Vendor.Status': VENDOR_STATUS,
  'Project.Status': PROJECT_STATUS,
  'ProjectTask.Status': TASK_STATUS,
  'ProjectBudget.Type': BUDGET_TYPE,
  'AccountGroup.Type': ACCOUNT_TYPE,
  'Subcontract.Status': PO_ORDER_STATUS,
  'SubcontractDetail.OrderType': PO_ORDER_TYPE,
  'PurchaseOrder.Type': PO_ORDER_TYPE,
  'PurchaseOrder.Status': PO_ORDER_STATUS,
  'PurchaseOrderDetail.LineType': PO_LINE_TYPE,
  'PurchaseOrderDetail.OrigPOType': PO_ORDER_TYPE,
  'ChangeOrder.Status': CHANGE_ORDER_STATUS,
  'ChangeOrderCommitment.POType': PO_ORDER_TYPE,
  'ChangeOrderCommitment.Status': PO_ORDER_STATUS,
  'Bill.Type': AP_DOC_TYPE,
  'Bill.Status': AP_DOC_STATUS,
  'BillDetail.POOrderType': PO_ORDER_TYPE,
  'BillRetainageDocument.Type': AP_DOC_TYPE,
  'BillRetainageDocument.Status': AP_DOC_STATUS,
  'Check.Type': AP_DOC_TYPE,
  'Check.Status': AP_DOC_STATUS,
  'CheckDetail.DocType': AP_DOC_TYPE,
  'ProjectTransaction.Status': REGISTER_STATUS,
};

const norm = (s: unknown): string =>
  String(s ?? '')
    .trim()
    .toUpperCase();

/** The stored label -> `{id, description}` (contract 5 rendering). */
export function selectValue(schema: string, field: string, label: unknown): { id: string; description: string } {
  const text = String(label);
  const hit = FIELDS[`${schema}.${field}`]?.find(([, l]) => norm(l) === norm(text));
  return hit ? { id: hit[0], description: hit[1] } : { id: text, description: text };
}

/** The code a contract-5 request sends -> the label the store keeps (unknown codes stay as sent). */
export function labelOf(schema: string, field: string, id: unknown): string {
  const hit = FIELDS[`${schema}.${field}`]?.find(([code]) => norm(code) === norm(id));
  return hit ? hit[1] : String(id);
}

/** The code of a stored label (contract-5 `$filter` compares codes). */
export function codeOf(schema: string, field: string, label: unknown): unknown {
  if (label === null || label === undefined) return label;
  return selectValue(schema, field, label).id;
}
