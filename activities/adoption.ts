/**
 * Activities of issue #15: onboarding (adoption, dry run or not) and the reconciliation report, run by
 * workflows/onboard.ts so that a writing onboarding runs once and shows in the Temporal Web UI.
 */
import { onboard, type OnboardResult } from '../adoption/onboard';
import { reconcile, type ReconcileResult } from '../adoption/reconcile';
import { ValidationError } from '../lib/errors';
import { exportKindFor, isExportKind } from '../lib/export-kinds';
import { IMPORT_KINDS, IMPORT_OVERLAP_MS, IMPORT_PAGE_SIZES, type ImportKind } from '../lib/import-kinds';
import { getConnection } from '../store/connections';
import { getWatermark } from '../store/imports';
import { readErpRequest } from './erp-requests';
import type { ExportDeps } from './export';
import { previewExport, type ExportPreview } from './exporters/preview';
import { importerFor } from './importers';
import { previewImport, type ImportPreviewRecord } from './import-preview';

/** What to preview: an ERP request, or a Procore record by kind (and project). */
export interface ExportPreviewInput {
  companyId: string;
  erpRequestId?: string;
  kind?: string;
  procoreId?: string;
  projectId?: string;
}

export interface ImportPreviewInput {
  companyId: string;
  entities: ImportKind[];
  branch?: string;
  mode: 'delta' | 'full';
}

export interface ImportPreviewResult {
  companyId: string;
  dryRun: true;
  counts: Record<string, Record<ImportPreviewRecord['outcome'], number>>;
  records: ImportPreviewRecord[];
}

/** Export kinds whose record is read from the ERP request itself (its job costs or transactions). */
const FROM_REQUEST = ['budget', 'budget_change'];

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
      const ctx = await context(input.companyId);
      if (input.erpRequestId) {
        const request = await readErpRequest(deps.procore, input.companyId, input.erpRequestId);
        const kind = exportKindFor(request.requestName, request.itemType);
        if (!kind)
          throw new ValidationError(
            `The connector does not export "${request.requestName}" for ${request.itemType || 'this item'}.`,
          );
        return previewExport(ctx, kind, {
          companyId: input.companyId,
          projectId: request.projectId,
          procoreId: request.itemId,
          erpRequestId: input.erpRequestId,
        });
      }
      const kind = input.kind ?? '';
      if (!isExportKind(kind) || !input.procoreId)
        throw new ValidationError('Name an ERP request (erpRequestId), or a record: its kind and procoreId.');
      if (FROM_REQUEST.includes(kind))
        throw new ValidationError(
          `A ${kind.replace('_', ' ')} is read from its ERP request (Procore sends its lines there): preview it by erpRequestId.`,
        );
      return previewExport(ctx, kind, {
        companyId: input.companyId,
        projectId: input.projectId ?? null,
        procoreId: input.procoreId,
        erpRequestId: '',
      });
    },

    /** What an import would do, per record, writing nothing (activities/import-preview.ts). */
    async previewImportActivity(input: ImportPreviewInput): Promise<ImportPreviewResult> {
      const acumatica = await deps.companies.acumatica(input.companyId);
      const ctx = {
        db: deps.db,
        procore: deps.procore,
        acumatica,
        companyId: input.companyId,
        importRunId: `preview-${Date.now()}`,
      };
      const connection = await getConnection(deps.db, input.companyId);
      const records: ImportPreviewRecord[] = [];
      for (const kind of input.entities) {
        const branches = IMPORT_KINDS[kind].branchScoped
          ? input.branch
            ? [input.branch]
            : (connection?.branches ?? [])
          : [null];
        for (const branch of branches) {
          const mark =
            input.mode === 'full' ? undefined : await getWatermark(deps.db, input.companyId, branch ?? '', kind);
          const since = mark ? new Date(mark.getTime() - IMPORT_OVERLAP_MS) : null;
          records.push(
            ...(await previewImport(ctx, importerFor(kind), {
              kind,
              branch,
              since,
              pageSize: IMPORT_PAGE_SIZES[kind],
            })),
          );
        }
      }
      const counts: ImportPreviewResult['counts'] = {};
      for (const r of records) {
        counts[r.kind] ??= { exception: 0, unchanged: 0, would_update: 0, would_adopt: 0, would_create: 0 };
        counts[r.kind][r.outcome]++;
      }
      return { companyId: input.companyId, dryRun: true, counts, records };
    },
  };
}
