/**
 * erpRequestWorkflow: handles one Procore ERP request (the `ERP Requests` webhook only carries its id): an export
 * of one Procore record to Acumatica, a "Refresh" (sync_*) that runs an import, or the approval of a staged record
 * (create_*_in_procore) that links the record Procore created.
 *
 * Started by: the webhook API (api/routes/procore-webhooks.ts) and its inbox relay.
 * Workflow ID: erp-<companyId>-request-<erpRequestId>, with REJECT_DUPLICATE reuse, so a redelivered webhook
 * never starts a second export. Search attributes name the company, project, entity, Procore id and Acumatica
 * key, so the Web UI finds every export of a record.
 * Export steps (activities/export.ts): prepare -> export (write, links, origin_ids, close), two activities so
 * that an export's latency is its API calls, not Temporal round trips; finish closes what was not exported.
 * Idempotency: prepare claims the record (store/export-claims.ts), so two requests for the same record never
 * race — the second waits and then reads the record afresh; the Acumatica record is found by its marker before
 * any create; links and Procore's origin_id are written only after Acumatica committed; the request detail is
 * closed last.
 * Outcome: the request detail is closed `success` with the Acumatica key, or `failed` with messages the approver
 * can act on (preflight problems, Acumatica validation errors). Permanent failures end the workflow without
 * retry loops: the approver fixes the data and resends. Transient failures are retried (activity-options.ts).
 * Whatever else ends the workflow (retries exhausted, a permanent error in any step, cancellation), the request
 * detail is closed `failed` with a message first, and the workflow then fails visibly and can be reset from the
 * Web UI: no request stays pending in Procore.
 */
import {
  CancellationScope,
  executeChild,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ErpRequestSummary } from '../activities/erp-requests';
import type { PreparedRequest } from '../activities/export';
import type { ImportKind } from '../lib/import-kinds';
import { AcumaticaKey, ProcoreEntityType, ProcoreId, ProcoreProjectId } from '../lib/search-attributes';
import { upstreamCall } from './activity-options';
import { NON_RETRYABLE_ERROR_TYPES } from '../lib/errors';
import { priorityFor } from '../lib/priorities';
import { refreshImportWorkflowId } from '../lib/ids';
import { failureMessage, failureType } from './failures';
import { importWorkflow } from './import';

/** Calls to Procore and Acumatica, in the company's lane (lib/lanes.ts). */
const upstream = proxyActivities<Activities>(upstreamCall);

export interface ErpRequestInput {
  companyId: string;
  erpRequestId: string;
}

export interface ExportResult {
  status: 'success' | 'failed';
  acumaticaKey?: string;
  messages: string[];
}

/** Patch id: an export's write and close-out run as one activity (exportRecordActivity). */
const EXPORT_IN_ONE_ACTIVITY = 'export-in-one-activity';

/** While another export of the same record runs, wait this long before trying again. */
const BUSY_RECORD_RETRY = '5 seconds';

/** What the close-out needs to know if the workflow ends early; filled in as the request is handled. */
interface CloseOut {
  requestDetailId?: string;
  claim?: { companyId: string; kind: string; procoreId: string };
  label?: string;
  /** The request detail is closed (by finish, the refresh or the staged-record link). */
  closed: boolean;
}

export async function erpRequestWorkflow(input: ErpRequestInput): Promise<ExportResult> {
  const closeOut: CloseOut = { closed: false };
  try {
    return await handleErpRequest(input, closeOut);
  } catch (err) {
    if (!closeOut.closed) await abandon(input, closeOut, err);
    throw err;
  }
}

/** Closes the request detail `failed` with what happened; never hides the workflow's own failure. */
async function abandon(input: ErpRequestInput, closeOut: CloseOut, err: unknown): Promise<void> {
  const workflowId = workflowInfo().workflowId;
  const what = closeOut.label ?? 'this item';
  let message: string;
  if (isCancellation(err)) {
    message = `The export of ${what} was cancelled by the connector's operator before it finished. Send it to the ERP again to export it; a record that already reached Acumatica is found again, not duplicated.`;
  } else if (failureType(err) && NON_RETRYABLE_ERROR_TYPES.includes(failureType(err)!)) {
    message = `The export of ${what} failed: ${failureMessage(err)}`;
  } else {
    message = `The export of ${what} did not finish: ${failureMessage(err)}. The connector stopped retrying; once the cause is fixed, your connector administrator can reset workflow ${workflowId} in the Temporal Web UI, or you can send the item to the ERP again.`;
  }
  try {
    await CancellationScope.nonCancellable(() =>
      upstream.abandonErpRequestActivity({
        companyId: input.companyId,
        erpRequestId: input.erpRequestId,
        workflowId,
        requestDetailId: closeOut.requestDetailId,
        claim: closeOut.claim,
        message,
      }),
    );
    setCurrentDetails(`**failed**: ${message}`);
    log.warn('ERP request closed failed after the workflow failed', {
      companyId: input.companyId,
      erpRequestId: input.erpRequestId,
      message,
    });
  } catch {
    // Procore is unreachable too: the workflow's own failure stays the visible outcome.
  }
}

async function handleErpRequest(input: ErpRequestInput, closeOut: CloseOut): Promise<ExportResult> {
  const { companyId, erpRequestId } = input;
  const workflowId = workflowInfo().workflowId;
  const prepare = () => upstream.prepareErpRequestActivity({ companyId, erpRequestId, workflowId });

  let prepared: PreparedRequest = await prepare();
  tagForWebUi(prepared.request);
  while (prepared.action === 'busy') {
    setCurrentDetails(`Waiting: ${prepared.holder} is exporting the same record`);
    await sleep(BUSY_RECORD_RETRY);
    prepared = await prepare();
  }
  const { request } = prepared;
  closeOut.requestDetailId = request.requestDetailId;
  closeOut.label = request.title;
  const closedWith = (closed: { status: string; messages: string[] }) => {
    // Replay-safe (the SDK drops it on replay); goes out through the worker's logger with the workflow's ids.
    log.info(`ERP request closed ${closed.status}`, { companyId, erpRequestId, status: closed.status });
    setCurrentDetails(`**${closed.status}** ${closeOut.label ?? ''}: ${closed.messages.join(' ')}`);
  };
  const finish = async (outcome: Omit<Parameters<Activities['finishErpRequestActivity']>[0], 'companyId'>) => {
    const closed = await upstream.finishErpRequestActivity({ companyId, ...outcome });
    closeOut.closed = true;
    closedWith(closed);
    return closed;
  };

  if (prepared.action === 'refresh') {
    const refreshed = await runRefresh(companyId, prepared.importKind, request.requestDetailId);
    closeOut.closed = true;
    return refreshed;
  }
  // The approver imported a staged record in Procore (create_job_in_procore...): link it, close the detail.
  if (prepared.action === 'link_staged') {
    const linked = await upstream.linkImportedStagedRecordActivity({ companyId, erpRequestId, workflowId });
    closeOut.closed = true;
    return linked;
  }
  if (prepared.action === 'unsupported') {
    return finish({
      workflowId,
      requestDetailId: request.requestDetailId,
      status: 'failed',
      messages: [prepared.message],
    });
  }

  const { kind, source, preflight } = prepared;
  const claim = { companyId, kind, procoreId: request.itemId };
  closeOut.claim = claim;
  closeOut.label = source.label;
  const base = { workflowId, requestDetailId: request.requestDetailId, claim };
  if (!preflight.ok) return finish({ ...base, status: 'failed', messages: preflight.problems });

  setCurrentDetails(`Writing ${source.label} to Acumatica`);
  // Workflows started before the export became one activity replay (and finish) the way they began: write, then
  // finish. Remove that path and writeAcumaticaRecordActivity (deprecatePatch first) once none can be running.
  const inOneActivity = patched(EXPORT_IN_ONE_ACTIVITY);
  const target = { kind, companyId, workflowId, source, targets: preflight.targets };
  let written;
  try {
    written = inOneActivity
      ? await upstream.exportRecordActivity({ ...target, ...base, notes: preflight.notes })
      : await upstream.writeAcumaticaRecordActivity(target);
  } catch (err) {
    if (failureType(err) !== 'ValidationError') throw err;
    const messages = [`Acumatica rejected ${source.label}: ${failureMessage(err)}`];
    return finish({ ...base, status: 'failed', messages });
  }
  upsertSearchAttributes([{ key: AcumaticaKey, value: written.acumaticaKey }]);
  if ('status' in written) {
    // exportRecordActivity closed the request itself.
    closeOut.closed = true;
    closedWith(written);
    return written;
  }
  const closed = await finish({
    ...base,
    status: 'success',
    messages: [`Exported to Acumatica as ${written.acumaticaKey}.`, ...(preflight.notes ?? [])],
    exported: { kind, procoreId: source.procoreId, lineIds: source.lineIds, result: written },
  });
  return { ...closed, acumaticaKey: written.acumaticaKey };
}

function tagForWebUi(request: ErpRequestSummary): void {
  upsertSearchAttributes([
    { key: ProcoreEntityType, value: request.itemType },
    { key: ProcoreId, value: request.itemId },
    ...(request.projectId ? [{ key: ProcoreProjectId, value: request.projectId }] : []),
  ]);
  setCurrentDetails(`${request.requestName}: ${request.title}`);
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
      workflowId: refreshImportWorkflowId(workflowId),
      args: [{ companyId, entities: [kind], mode: 'delta' }],
      typedSearchAttributes: workflowInfo().typedSearchAttributes,
      // A Refresh is asked for now, but is no approval: it runs behind them (lib/priorities.ts).
      priority: priorityFor('onDemand', companyId),
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
  if (!requestDetailId) return result;
  return upstream.finishErpRequestActivity({ companyId, workflowId, requestDetailId, ...result });
}
