/**
 * erpRequestWorkflow: handles one Procore ERP request (the `ERP Requests` webhook only carries its id).
 *
 * Started by: the webhook API (api/routes/procore-webhooks.ts) and its inbox relay.
 * Workflow ID: erp-<companyId>-request-<erpRequestId>, with REJECT_DUPLICATE reuse, so a redelivered webhook
 * never starts a second export.
 * It reads the request, tags itself for the Web UI, and runs the matching export as a child workflow keyed by
 * the Procore record (exportRecordWorkflow), which serialises all exports of one record.
 */
import {
  executeChild,
  proxyActivities,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { exportWorkflowId } from '../lib/ids';
import { ProcoreEntityType, ProcoreId, ProcoreProjectId } from '../lib/search-attributes';
import { upstreamCall } from './activity-options';
import { importKindForSyncRequest, isStagedImportRequest, type ImportKind } from '../lib/import-kinds';
import { exportRouteFor } from './erp-routing';
import { importWorkflow } from './import';
import { exportRecordWorkflow, type ExportResult } from './export-record';

const procore = proxyActivities<Activities>(upstreamCall);

export interface ErpRequestInput {
  companyId: string;
  erpRequestId: string;
}

/** While another export of the same record runs, wait this long before trying again. */
const BUSY_RECORD_RETRY = '30 seconds';

export async function erpRequestWorkflow(input: ErpRequestInput): Promise<ExportResult> {
  const { companyId, erpRequestId } = input;
  const request = await procore.loadErpRequestActivity({ companyId, erpRequestId });
  upsertSearchAttributes([
    { key: ProcoreEntityType, value: request.itemType },
    { key: ProcoreId, value: request.itemId },
    ...(request.projectId ? [{ key: ProcoreProjectId, value: request.projectId }] : []),
  ]);
  setCurrentDetails(`${request.requestName}: ${request.title}`);

  const importKind = importKindForSyncRequest(request.requestName);
  if (importKind) return runRefresh(companyId, importKind, request.requestDetailId);
  // The approver imported a staged record in Procore (create_job_in_procore...): link it, close the detail.
  if (isStagedImportRequest(request.requestName)) {
    return procore.linkImportedStagedRecordActivity({ companyId, erpRequestId, workflowId: workflowInfo().workflowId });
  }

  const route = exportRouteFor(request.requestName, request.itemType);
  if (!route) {
    const message = `The connector does not handle "${request.requestName}" for ${request.itemType || 'this item'} yet.`;
    await procore.closeErpRequestDetailActivity({
      companyId,
      workflowId: workflowInfo().workflowId,
      requestDetailId: request.requestDetailId,
      status: 'failed',
      messages: [message],
    });
    return { status: 'failed', messages: [message] };
  }

  for (;;) {
    try {
      return await executeChild(exportRecordWorkflow, {
        workflowId: exportWorkflowId(companyId, route.kind, request.itemId),
        args: [
          {
            kind: route.kind,
            companyId,
            projectId: request.projectId,
            procoreId: request.itemId,
            erpRequestId,
            requestDetailId: request.requestDetailId,
          },
        ],
        staticSummary: `Export ${route.entityLabel} ${request.title} to Acumatica`,
        typedSearchAttributes: workflowInfo().typedSearchAttributes,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      setCurrentDetails(`Waiting: another export of ${route.entityLabel} ${request.itemId} is running`);
      await sleep(BUSY_RECORD_RETRY);
    }
  }
}

/**
 * A Procore "Refresh" button (sync_* request): run the matching import now, then close the request detail (some
 * sync requests have none) with what it did.
 */
async function runRefresh(companyId: string, kind: ImportKind, requestDetailId: string): Promise<ExportResult> {
  setCurrentDetails(`Refreshing ${kind} from Acumatica`);
  const workflowId = workflowInfo().workflowId;
  let result: ExportResult;
  try {
    const totals = await executeChild(importWorkflow, {
      workflowId: `${workflowId}-import`,
      args: [{ companyId, entities: [kind], mode: 'delta' }],
      typedSearchAttributes: workflowInfo().typedSearchAttributes,
    });
    result = {
      status: 'success',
      messages: [
        `Refreshed ${kind} from Acumatica: ${totals.written} written, ${totals.unchanged} unchanged, ${totals.exceptions} exceptions.`,
      ],
    };
  } catch (err) {
    result = { status: 'failed', messages: [`Refreshing ${kind} from Acumatica failed: ${(err as Error).message}`] };
  }
  if (requestDetailId) {
    await procore.closeErpRequestDetailActivity({ companyId, workflowId, requestDetailId, ...result });
  }
  return result;
}
