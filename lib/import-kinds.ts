/**
 * The import kinds and what the workflows need to know about them (safe in workflow code). The activities'
 * importers (activities/importers/) implement each kind.
 */
export const IMPORT_KINDS = {
  cost_codes: { branchScoped: false, syncRequest: 'sync_standard_cost_codes' },
  cost_types: { branchScoped: false, syncRequest: 'sync_standard_categories' },
  vendors: { branchScoped: true, syncRequest: 'sync_vendors' },
  // Projects and their tasks, staged for the approver ("Ready to Import"); Procore's Refresh Jobs raises sync_jobs.
  projects: { branchScoped: false, syncRequest: 'sync_jobs' },
  // Budgets are imported on demand only (POST /imports), as Procore's own connector imports them "on request":
  // project teams edit the Procore budget and send it to the ERP (create_budget / update_budget), so a nightly
  // copy from Acumatica would fight their edits. Procore has no Refresh button (sync_* request) for budgets.
  budgets: { branchScoped: false, syncRequest: null },
  // Procore has no Refresh button (ERP request) for direct costs: they come with the nightly import.
  direct_costs: { branchScoped: false, syncRequest: null },
  // Opt-in (US companies only, as Procore's own connector): not in the nightly import; runs on POST /imports
  // or Procore's "Refresh" of contract payments.
  payments: { branchScoped: false, syncRequest: 'sync_contract_payments' },
} as const;

export type ImportKind = keyof typeof IMPORT_KINDS;

export function isImportKind(kind: string): kind is ImportKind {
  return Object.prototype.hasOwnProperty.call(IMPORT_KINDS, kind);
}

/** Procore's "Refresh" buttons raise these ERP requests; each starts the matching import. */
export function importKindForSyncRequest(requestName: string): ImportKind | undefined {
  return (Object.keys(IMPORT_KINDS) as ImportKind[]).find((k) => IMPORT_KINDS[k].syncRequest === requestName);
}

/** Every connected company's nightly import covers these, in this order (cost structure before what uses it). */
export const NIGHTLY_IMPORT_KINDS: ImportKind[] = ['cost_codes', 'cost_types', 'vendors', 'projects', 'direct_costs'];

/** Kinds a company switches on (payments: US companies only); never part of the nightly import by default. */
export const OPT_IN_IMPORT_KINDS: ImportKind[] = ['payments'];

/** Kinds only a person starts (POST /imports), never a schedule: budgets (see IMPORT_KINDS.budgets). */
export const ON_DEMAND_IMPORT_KINDS: ImportKind[] = ['budgets'];

/**
 * Procore raises these when the approver imports a staged record in the ERP Integrations tool; the connector
 * records the link of the new Procore project (sub job) to the Acumatica project (task) it was staged from.
 */
export const STAGED_IMPORT_REQUESTS = ['create_job_in_procore', 'create_sub_job_in_procore'] as const;

export function isStagedImportRequest(requestName: string): boolean {
  return (STAGED_IMPORT_REQUESTS as readonly string[]).includes(requestName);
}
