/**
 * The import kinds and what the workflows need to know about them (safe in workflow code). The activities'
 * importers (activities/importers/) implement each kind.
 */
export const IMPORT_KINDS = {
  cost_codes: { branchScoped: false, syncRequest: 'sync_standard_cost_codes' },
  cost_types: { branchScoped: false, syncRequest: 'sync_standard_categories' },
  vendors: { branchScoped: true, syncRequest: 'sync_vendors' },
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
export const NIGHTLY_IMPORT_KINDS: ImportKind[] = ['cost_codes', 'cost_types', 'vendors', 'direct_costs'];

/** Kinds a company switches on (payments: US companies only); never part of the nightly import by default. */
export const OPT_IN_IMPORT_KINDS: ImportKind[] = ['payments'];
