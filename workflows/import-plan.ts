/**
 * The plan of an import run (pure, safe in workflow code): which scopes (entity × branch) run, and which other
 * scopes or entities each scope's writes must wait for. Reads all start at once; only writes wait.
 */
import { IMPORT_KINDS, isImportKind } from '../lib/import-kinds';

export interface ImportScope {
  kind: string;
  /** The branch of a branch-scoped entity (vendors); null for company-wide entities. */
  branch: string | null;
  /** "vendors@HQ", "cost_codes@company": how progress and dependencies name the scope. */
  label: string;
  /**
   * Scope labels and entity kinds whose completion this scope's writes wait for: the entities its records refer
   * to (IMPORT_KINDS writesAfter, when they are part of the run) and the previous branch of the same entity (a
   * vendor two branches see is then written by the first and found unchanged by the second).
   */
  waitFor: string[];
}

export const scopeLabel = (kind: string, branch: string | null): string => `${kind}@${branch ?? 'company'}`;

export function planImportScopes(entities: string[], branches: string[]): ImportScope[] {
  const scopes = entities.flatMap((kind): Array<{ kind: string; branch: string | null }> =>
    isImportKind(kind) && IMPORT_KINDS[kind].branchScoped
      ? branches.map((branch) => ({ kind, branch }))
      : [{ kind, branch: null }],
  );
  return scopes.map(({ kind, branch }, i) => {
    const after: readonly string[] = isImportKind(kind) ? IMPORT_KINDS[kind].writesAfter : [];
    const previous = scopes
      .slice(0, i)
      .filter((s) => s.kind === kind)
      .pop();
    return {
      kind,
      branch,
      label: scopeLabel(kind, branch),
      waitFor: [
        ...after.filter((k) => entities.includes(k)),
        ...(previous ? [scopeLabel(previous.kind, previous.branch)] : []),
      ],
    };
  });
}
