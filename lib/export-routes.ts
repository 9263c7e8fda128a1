/**
 * Which export handles an ERP request: Procore's request_name plus the request detail's item_type decide the
 * exporter kind (activities/exporters/index.ts). Plain data; read by the prepare activity (activities/export.ts).
 */
export const EXPORT_ROUTES: Array<{ requestNames: string[]; itemType: string; kind: string; entityLabel: string }> = [
  {
    requestNames: ['create_commitment'],
    itemType: 'work_order_contract',
    kind: 'subcontract',
    entityLabel: 'subcontract',
  },
  {
    requestNames: ['create_commitment'],
    itemType: 'purchase_order_contract',
    kind: 'purchase_order',
    entityLabel: 'purchase order',
  },
  { requestNames: ['create_vendor'], itemType: 'vendor', kind: 'vendor', entityLabel: 'vendor' },
  {
    requestNames: ['create_commitment_change_order'],
    itemType: 'commitment_change_order',
    kind: 'commitment_change_order',
    entityLabel: 'commitment change order',
  },
  { requestNames: ['create_or_update_job'], itemType: 'project', kind: 'project', entityLabel: 'project' },
  { requestNames: ['create_budget', 'update_budget'], itemType: 'budget', kind: 'budget', entityLabel: 'budget' },
  // An approved budget change arrives as an update of its budget naming the change (activities/exporters/budget-changes.ts).
  {
    requestNames: ['update_budget'],
    itemType: 'budget_change',
    kind: 'budget_change',
    entityLabel: 'budget change',
  },
  {
    requestNames: ['create_prime_contract'],
    itemType: 'prime_contract',
    kind: 'prime_contract',
    entityLabel: 'prime contract',
  },
  {
    requestNames: ['create_prime_contract_change_order'],
    itemType: 'prime_change_order',
    kind: 'prime_change_order',
    entityLabel: 'prime contract change order',
  },
  {
    requestNames: ['create_requisitions'],
    itemType: 'requisition',
    kind: 'requisition',
    entityLabel: 'subcontractor invoice',
  },
];

export function exportRouteFor(requestName: string, itemType: string) {
  return EXPORT_ROUTES.find((r) => r.requestNames.includes(requestName) && r.itemType === itemType);
}
