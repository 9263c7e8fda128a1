/**
 * Onboarding of a company already in flight (issue #15) and its reconciliation report.
 * onboardWorkflow: first, when asked (`imports`, e.g. ["vendors", "cost_codes"]) and not a dry run, the existing
 * import workflow as a child (full mode: it links by match what exists on both sides and imports the rest), then
 * adoption in one activity: adoption is idempotent (a linked record is reported unchanged), so a retried activity
 * adopts nothing twice. IDs: onboard-<company> (a second start while one runs joins it), its import child
 * onboard-<company>-import; reconcile-<company>-<time>.
 */
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { onboardImportWorkflowId } from '../lib/ids';
import type { Activities } from '../activities';
import type { ExportPreviewInput, ImportPreviewInput, OnboardInput } from '../activities/adoption';
import type { ImportProgress } from './import-messages';
import { upstreamCall } from './activity-options';
import { importWorkflow } from './import';

const upstream = proxyActivities<Activities>({ ...upstreamCall, startToCloseTimeout: '30 minutes' });

export async function onboardWorkflow(input: OnboardInput & { imports?: string[] }) {
  let imports: ImportProgress | undefined;
  if (input.imports && input.imports.length > 0 && !input.dryRun) {
    imports = await executeChild(importWorkflow, {
      workflowId: onboardImportWorkflowId(workflowInfo().workflowId),
      args: [{ companyId: input.companyId, entities: input.imports, mode: 'full' }],
    });
  }
  const { imports: _ignored, ...adoption } = input;
  return { ...(await upstream.onboardCompany(adoption)), imports };
}

export async function reconcileWorkflow(input: { companyId: string; projects?: string[] }) {
  return upstream.reconcileCompany(input);
}

/** A dry run of an import: reads both systems, writes nothing (activities/import-preview.ts). */
export async function importPreviewWorkflow(input: ImportPreviewInput) {
  return upstream.previewImportActivity(input);
}

/** A preview of an export (an ERP request or a Procore record): writes nothing (activities/exporters/preview.ts). */
export async function exportPreviewWorkflow(input: ExportPreviewInput) {
  return upstream.previewExportActivity(input);
}
