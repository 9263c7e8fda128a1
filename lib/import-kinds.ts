/**
 * The import kinds and what the workflows need to know about them (safe in workflow code). The activities'
 * importers (activities/importers/) implement each kind.
 */
export const IMPORT_KINDS = {
  cost_codes: { branchScoped: false, syncRequest: 'sync_standard_cost_codes' },
  cost_types: { branchScoped: false, syncRequest: 'sync_standard_categories' },
  vendors: { branchScoped: true, syncRequest: 'sync_vendors' },
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
export const NIGHTLY_IMPORT_KINDS: ImportKind[] = ['cost_codes', 'cost_types', 'vendors'];
