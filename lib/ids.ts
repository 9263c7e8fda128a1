/**
 * Every workflow ID comes from here. Shape: <kind>-<companyId>-<entity>-<sourceId>, so an ID read in the
 * Web UI says what it is, and the same business event always maps to the same ID (Temporal then refuses a
 * second start: that is the de-duplication of redelivered webhooks).
 * Safe to import from workflow code.
 */

/** One workflow per Procore ERP request: redeliveries of its webhook land on the same execution. */
export function erpRequestWorkflowId(companyId: string, erpRequestId: string): string {
  return `erp-${companyId}-request-${erpRequestId}`;
}

/**
 * The marker written into the Acumatica record (VendorRef on commitments and bills, AccountRef on vendors,
 * ExternalRefNbr on projects and change orders) so that a retried create finds the first record.
 */
export function procoreMarker(procoreId: string): string {
  return `PROCORE-${procoreId}`;
}
