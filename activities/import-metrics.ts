/** Import counters (connector_import_records_total, connector_imports_total) and the scope-done log line. */
import { currentLogger } from '../lib/logger';
import { importLastSuccess, importRecords, importsTotal } from '../lib/metrics';

export function countImportRecords(
  companyId: string,
  kind: string,
  counts: Partial<Record<'read' | 'written' | 'unchanged' | 'exception', number>>,
): void {
  for (const [result, n] of Object.entries(counts)) {
    if (n) importRecords.inc({ company: companyId, entity: kind, result }, n);
  }
}

/** A scope (entity x branch) wrote everything it queued: the import of that entity finished for this run. */
export function recordImportScopeDone(
  companyId: string,
  kind: string,
  branch: string | null,
  counts: { written: number; unchanged: number; failed: number },
): void {
  importsTotal.inc({ company: companyId, entity: kind, outcome: 'success' });
  importLastSuccess.set({ company: companyId, entity: kind }, Date.now() / 1000);
  currentLogger().info(
    { entity: kind, branch, written: counts.written, unchanged: counts.unchanged, exceptions: counts.failed },
    `import ${kind}${branch ? `@${branch}` : ''} written: ${counts.written} written, ${counts.unchanged} unchanged, ${counts.failed} exceptions`,
  );
}
