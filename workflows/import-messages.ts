/** Queries of the import workflows, shared by the API, the CLI and tests. */
import { defineQuery } from '@temporalio/workflow';

export interface ImportTotals {
  read: number;
  written: number;
  unchanged: number;
  exceptions: number;
  retired: number;
  pages: number;
}

export interface ImportProgress extends ImportTotals {
  /** Per entity and branch, e.g. "vendors@HQ": done or running. */
  scopes: Record<string, 'pending' | 'running' | 'done' | 'failed'>;
}

export const importProgressQuery = defineQuery<ImportProgress>('importProgress');

export function emptyTotals(): ImportTotals {
  return { read: 0, written: 0, unchanged: 0, exceptions: 0, retired: 0, pages: 0 };
}

export function addTotals(a: ImportTotals, b: Partial<ImportTotals>): ImportTotals {
  return {
    read: a.read + (b.read ?? 0),
    written: a.written + (b.written ?? 0),
    unchanged: a.unchanged + (b.unchanged ?? 0),
    exceptions: a.exceptions + (b.exceptions ?? 0),
    retired: a.retired + (b.retired ?? 0),
    pages: a.pages + (b.pages ?? 0),
  };
}
