/**
 * Every workflow and schedule ID comes from here. Workflow IDs: <kind>-<companyId>-<entity>-<sourceId>, so an ID read in the
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

/** Whether `value` is the marker of another Procore record than `procoreId` (that record is not ours to adopt). */
export function isOtherProcoreMarker(value: unknown, procoreId: string): boolean {
  return (
    typeof value === 'string' &&
    /^PROCORE-/i.test(value.trim()) &&
    value.trim().toUpperCase() !== procoreMarker(procoreId)
  );
}

/** An on-demand import (POST /imports): one per company, entity set, branch and mode, joined while it runs. */
export function importWorkflowId(r: { companyId: string; entities: string[]; branch?: string | null; mode: string }) {
  const entities = [...new Set(r.entities)].sort().join('.');
  return `a2p-${r.companyId}-import-${entities}-${r.branch ?? 'all'}-${r.mode}`;
}

/** The runs of a company's import schedules (Temporal appends the scheduled time). */
export const nightlyImportWorkflowId = (companyId: string) => `a2p-${companyId}-nightly`;
export const reconcileWorkflowId = (companyId: string) => `a2p-${companyId}-reconcile`;

/** A Procore "Refresh" (sync_* request) runs its import as a child of the ERP request workflow. */
export const refreshImportWorkflowId = (erpRequestWorkflowId: string) => `${erpRequestWorkflowId}-import`;

/** One entity × branch of an import run (a child of the run). */
export const importScopeWorkflowId = (importRunId: string, kind: string, branch: string | null) =>
  `${importRunId}-${kind}-${branch ?? 'company'}`;

/** The Temporal Schedules of a company's imports. */
export const nightlyScheduleId = (companyId: string) => `nightly-import-${companyId}`;
export const reconcileScheduleId = (companyId: string) => `weekly-reconcile-${companyId}`;

/**
 * Adopting a company already in flight (adoption/): one writing run per company (a second start joins it), a
 * dry run of its own each time, and the imports it runs first as a child.
 */
export const onboardWorkflowId = (companyId: string, dryRunAt?: number) =>
  dryRunAt === undefined ? `onboard-${companyId}` : `onboard-${companyId}-dryrun-${dryRunAt}`;
export const onboardImportWorkflowId = (onboardWorkflowId: string) => `${onboardWorkflowId}-import`;
/** Retrying one exception-list entry. */
export const onboardRetryWorkflowId = (companyId: string, entity: string, procoreId: string) =>
  `onboard-${companyId}-retry-${entity}-${procoreId}`;
/** One reconciliation report (GET /companies/:id/reconciliation). */
export const reconciliationWorkflowId = (companyId: string, at: number) => `reconcile-${companyId}-${at}`;
/** A dry run of an import, or a preview of an export (each its own run). */
export const previewWorkflowId = (companyId: string, what: 'import' | 'export', at: number) =>
  `preview-${what}-${companyId}-${at}`;

/** Every workflow id the connector starts begins with one of these (GET /syncs answers only for them). */
export const CONNECTOR_WORKFLOW_ID_PREFIXES = ['erp-', 'a2p-', 'onboard-', 'reconcile-', 'preview-'] as const;
