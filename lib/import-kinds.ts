/**
 * The import kinds and what the workflows need to know about them (safe in workflow code). The activities'
 * importers (activities/importers/) implement each kind.
 */
export const IMPORT_KINDS = {
  cost_codes: { branchScoped: false, syncRequest: 'sync_standard_cost_codes', writesAfter: [] },
  cost_types: { branchScoped: false, syncRequest: 'sync_standard_categories', writesAfter: [] },
  vendors: { branchScoped: true, syncRequest: 'sync_vendors', writesAfter: [] },
  // Projects and their tasks, staged for the approver ("Ready to Import"); Procore's Refresh Jobs raises sync_jobs.
  projects: { branchScoped: false, syncRequest: 'sync_jobs', writesAfter: [] },
  // Budgets are imported on demand only (POST /imports), as Procore's own connector imports them "on request":
  // project teams edit the Procore budget and send it to the ERP (create_budget / update_budget), so a nightly
  // copy from Acumatica would fight their edits. Procore has no Refresh button (sync_* request) for budgets.
  budgets: { branchScoped: false, syncRequest: null, writesAfter: ['cost_types', 'projects'] },
  // Procore has no Refresh button (ERP request) for direct costs: they come with the nightly import. Their lines
  // name the project, cost type and (AP) vendor, linked by those imports.
  direct_costs: { branchScoped: false, syncRequest: null, writesAfter: ['cost_types', 'vendors', 'projects'] },
  // Opt-in (US companies only, as Procore's own connector): not in the nightly import; runs on POST /imports
  // or Procore's "Refresh" of contract payments.
  payments: { branchScoped: false, syncRequest: 'sync_contract_payments', writesAfter: [] },
} as const satisfies Record<string, { branchScoped: boolean; syncRequest: string | null; writesAfter: string[] }>;

export type ImportKind = keyof typeof IMPORT_KINDS;

export function isImportKind(kind: string): kind is ImportKind {
  return Object.prototype.hasOwnProperty.call(IMPORT_KINDS, kind);
}

/** A delta run reads from its watermark minus this margin (clock skew, records committed late). */
export const IMPORT_OVERLAP_MS = 5 * 60_000;

/**
 * Acumatica records per import page, by kind. Flat records (vendors, cost codes) come 1,000 at a time, one
 * Procore sync batch per page and fewer calls against the license's per-minute limit; records with detail lines
 * (20 lines per project transaction) 500, which keeps a page's response near 10,000 lines.
 */
export const IMPORT_PAGE_SIZES: Record<ImportKind, number> = {
  cost_codes: 1000,
  cost_types: 500,
  vendors: 1000,
  projects: 500,
  budgets: 500,
  direct_costs: 500,
  payments: 500,
};

/** Procore's "Refresh" buttons raise these ERP requests; each starts the matching import. */
export function importKindForSyncRequest(requestName: string): ImportKind | undefined {
  return (Object.keys(IMPORT_KINDS) as ImportKind[]).find((k) => IMPORT_KINDS[k].syncRequest === requestName);
}

/**
 * Every connected company's nightly import covers these. They run side by side; a kind whose writes resolve
 * records another kind links (writesAfter) reads its pages meanwhile and writes once those have finished.
 */
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
