/**
 * Activities of issue #15: onboarding (adoption, dry run or not), the reconciliation report, and the previews (an
 * import's dry run, an export's preview), run by workflows/onboard.ts so that each shows in the Temporal Web UI.
 */
import { onboard, type OnboardResult } from '../adoption/onboard';
import { reconcile, type ReconcileResult } from '../adoption/reconcile';
import type { ExportDeps } from './export';
import { previewExportOf, type ExportPreview, type ExportPreviewInput } from './exporters/preview';
import { previewImports, type ImportPreviewInput, type ImportPreviewResult } from './import-preview';

export type { ExportPreviewInput, ImportPreviewInput };

export interface OnboardInput {
  companyId: string;
  projects?: string[];
  all?: boolean;
  dryRun?: boolean;
}

export function createAdoptionActivities(deps: ExportDeps) {
  const context = async (companyId: string) => ({
    db: deps.db,
    procore: deps.procore,
    acumatica: await deps.companies.acumatica(companyId),
    companyId,
  });
  return {
    async onboardCompany(input: OnboardInput): Promise<OnboardResult> {
      return onboard(await context(input.companyId), input);
    },
    async reconcileCompany(input: { companyId: string; projects?: string[] }): Promise<ReconcileResult> {
      return reconcile(await context(input.companyId), { projects: input.projects });
    },

    /** What an export would do, writing nothing (activities/exporters/preview.ts). */
    async previewExportActivity(input: ExportPreviewInput): Promise<ExportPreview> {
      return previewExportOf(await context(input.companyId), input);
    },

    /** What an import would do, per record, writing nothing (activities/import-preview.ts). */
    async previewImportActivity(input: ImportPreviewInput): Promise<ImportPreviewResult> {
      return previewImports({ ...(await context(input.companyId)), importRunId: `preview-${Date.now()}` }, input);
    },
  };
}
