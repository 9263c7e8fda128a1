/**
 * exportRecordWorkflow: one Procore record -> one Acumatica document, for every export kind (subcontract,
 * purchase order, ...; activities/exporters/ says what each kind does).
 *
 * Started by: erpRequestWorkflow, when an accounting approver accepts an item in Procore.
 * Workflow ID: p2a-<companyId>-<kind>-<procoreId> (lib/ids.ts), so exports of one record never overlap.
 * Idempotency: the Acumatica record is found by its marker before any create; links and Procore's origin_id are
 * written only after Acumatica committed; the request detail is closed last.
 * Outcome: the request detail is closed `success` with the Acumatica key, or `failed` with messages the approver
 * can act on (preflight problems, Acumatica validation errors). Permanent failures end the workflow without
 * retry loops: the approver fixes the data and resends. Transient failures are retried (activity-options.ts);
 * if they outlast the retry policy the workflow fails visibly and can be reset from the Web UI.
 */
import {
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { AcumaticaKey } from '../lib/search-attributes';
import { localDatabase, upstreamCall } from './activity-options';
import { failureMessage, failureType } from './failures';

const upstream = proxyActivities<Activities>(upstreamCall);
const store = proxyLocalActivities<Activities>(localDatabase);

export interface ExportRecordInput {
  kind: string;
  companyId: string;
  projectId: string | null;
  procoreId: string;
  erpRequestId: string;
  requestDetailId: string;
}

export interface ExportResult {
  status: 'success' | 'failed';
  acumaticaKey?: string;
  messages: string[];
}

export async function exportRecordWorkflow(input: ExportRecordInput): Promise<ExportResult> {
  const { kind, companyId, requestDetailId } = input;
  const workflowId = workflowInfo().workflowId;

  const close = async (result: ExportResult): Promise<ExportResult> => {
    await upstream.closeErpRequestDetailActivity({
      companyId,
      workflowId,
      requestDetailId,
      status: result.status,
      messages: result.messages,
    });
    setCurrentDetails(`**${result.status}**: ${result.messages.join(' ')}`);
    return result;
  };

  setCurrentDetails(`Loading ${kind} ${input.procoreId} from Procore`);
  const source = await upstream.loadExportSourceActivity({
    kind,
    companyId,
    projectId: input.projectId,
    procoreId: input.procoreId,
    erpRequestId: input.erpRequestId,
  });

  setCurrentDetails(`Checking ${source.label}`);
  const preflight = await upstream.preflightExportActivity({ kind, companyId, source });
  if (!preflight.ok) return close({ status: 'failed', messages: preflight.problems });

  setCurrentDetails(`Writing ${source.label} to Acumatica`);
  let result;
  try {
    result = await upstream.upsertAcumaticaRecordActivity({ kind, companyId, source, targets: preflight.targets });
  } catch (err) {
    if (failureType(err) !== 'ValidationError') throw err;
    return close({ status: 'failed', messages: [`Acumatica rejected ${source.label}: ${failureMessage(err)}`] });
  }
  upsertSearchAttributes([{ key: AcumaticaKey, value: result.acumaticaKey }]);

  await store.recordExportLinksActivity({ kind, companyId, workflowId, source, result });
  await upstream.writeProcoreOriginIdsActivity({ kind, companyId, source, result });
  return close({
    status: 'success',
    acumaticaKey: result.acumaticaKey,
    messages: [`Exported to Acumatica as ${result.acumaticaKey}.`],
  });
}
