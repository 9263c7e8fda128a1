/**
 * Which export handles an ERP request: Procore's request_name plus the request detail's item_type decide the
 * exporter kind (activities/exporters/index.ts). Plain data, safe in workflow code.
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
];

export function exportRouteFor(requestName: string, itemType: string) {
  return EXPORT_ROUTES.find((r) => r.requestNames.includes(requestName) && r.itemType === itemType);
}
