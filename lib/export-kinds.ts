/**
 * The export kinds: which Procore ERP request (request_name + the request detail's item_type) each handles, and
 * how people call the record. Plain data, safe in workflow code. `activities/exporters/index.ts` maps every kind
 * to its exporter as a `Record<ExportKind, Exporter>`, so a kind added here without an exporter fails the type check.
 */
export const EXPORT_KINDS = {
  subcontract: { requestNames: ['create_commitment'], itemType: 'work_order_contract', label: 'subcontract' },
  purchase_order: { requestNames: ['create_commitment'], itemType: 'purchase_order_contract', label: 'purchase order' },
  vendor: { requestNames: ['create_vendor'], itemType: 'vendor', label: 'vendor' },
  commitment_change_order: {
    requestNames: ['create_commitment_change_order'],
    itemType: 'commitment_change_order',
    label: 'commitment change order',
  },
  project: { requestNames: ['create_or_update_job'], itemType: 'project', label: 'project' },
  budget: { requestNames: ['create_budget', 'update_budget'], itemType: 'budget', label: 'budget' },
  // An approved budget change arrives as an update of its budget naming the change (activities/exporters/budget-changes.ts).
  budget_change: { requestNames: ['update_budget'], itemType: 'budget_change', label: 'budget change' },
  prime_contract: { requestNames: ['create_prime_contract'], itemType: 'prime_contract', label: 'prime contract' },
  prime_change_order: {
    requestNames: ['create_prime_contract_change_order'],
    itemType: 'prime_change_order',
    label: 'prime contract change order',
  },
  requisition: { requestNames: ['create_requisitions'], itemType: 'requisition', label: 'subcontractor invoice' },
  company_direct_cost: {
    requestNames: ['create_company_level_direct_cost'],
    itemType: 'company_level_direct_cost',
    label: 'company-level direct cost',
  },
} as const satisfies Record<string, { requestNames: readonly string[]; itemType: string; label: string }>;

export type ExportKind = keyof typeof EXPORT_KINDS;

export function isExportKind(kind: string): kind is ExportKind {
  return Object.prototype.hasOwnProperty.call(EXPORT_KINDS, kind);
}

/** The kind that handles an ERP request, or undefined when the connector does not export it. */
export function exportKindFor(requestName: string, itemType: string): ExportKind | undefined {
  return (Object.keys(EXPORT_KINDS) as ExportKind[]).find((kind) => {
    const def = EXPORT_KINDS[kind];
    return def.itemType === itemType && (def.requestNames as readonly string[]).includes(requestName);
  });
}
