/**
 * The activities every ERP request runs, whatever the entity (the exporter for `kind` supplies the specifics):
 *   prepare (read request, claim the record, load, preflight)
 *   -> export (find-or-create in Acumatica, links, origin_ids, close the request detail, release the claim)
 *   or finish (close the request detail with what went wrong, release the claim)
 * Each is idempotent: reads are reads; the claim is held by the workflow ID; the Acumatica write looks for the
 * record's marker before any create, so a retry after a lost response finds the first record; links are
 * upserts; External Data sync sets the same origin_ids again; closing a detail twice closes it the same way.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ProcoreClient } from '../clients/procore/client';
import { importKindForSyncRequest, isStagedImportRequest, type ImportKind } from '../lib/import-kinds';
import { currentLogger, withLogContext } from '../lib/logger';
import { recordAudit } from '../store/audit';
import type { Db } from '../store/db';
import { claimExport, releaseExport, type ExportClaimKey } from '../store/export-claims';
import { upsertLinks, type Link } from '../store/links';
import { EXPORT_KINDS, exportKindFor, type ExportKind } from '../lib/export-kinds';
import type { CompanyClients } from './company-clients';
import { recordExportOutcome } from './export-metrics';
import {
  closeRequestDetail,
  readErpRequest,
  type ErpRequestActivityInput,
  type ErpRequestSummary,
  type RequestDetailOutcome,
} from './erp-requests';
import { exporterFor } from './exporters';
import { markErpTransactionsSynced } from './exporters/erp-transactions';
import { findOrCreate } from './exporters/find-or-create';
import type { ExportContext, ExportedRecord, Exporter, ExportSource, Preflight } from './exporters/types';

export interface ExportDeps {
  db: Db;
  procore: ProcoreClient;
  companies: CompanyClients;
  /** Whether a workflow still runs (the holder of an export claim); defaults to the worker's Temporal client. */
  isWorkflowRunning?: (workflowId: string) => Promise<boolean>;
}

/** Kept here for callers that compare header fields (tests/unit/vendor-mapping.test.ts). */
export { changedFields } from '../mappings/changed-fields';

export type PreparedRequest =
  | { action: 'refresh'; request: ErpRequestSummary; importKind: ImportKind }
  /** The approver imported a staged record in Procore (create_job_in_procore...): link it. */
  | { action: 'link_staged'; request: ErpRequestSummary }
  | { action: 'unsupported'; request: ErpRequestSummary; message: string }
  /** Another ERP request workflow is exporting the same record: wait, then prepare again. */
  | { action: 'busy'; request: ErpRequestSummary; holder: string }
  | {
      action: 'export';
      request: ErpRequestSummary;
      kind: ExportKind;
      entityLabel: string;
      source: ExportSource;
      preflight: Preflight<unknown>;
    };

export interface WriteInput {
  kind: ExportKind;
  companyId: string;
  workflowId: string;
  source: ExportSource;
  /** The preflight's targets (what the exporter resolved in Acumatica). */
  targets: unknown;
}

export interface ExportRecordInput extends WriteInput {
  requestDetailId: string;
  claim: ExportClaimKey;
  /** The preflight's notes, added to the success message. */
  notes?: string[];
}

export interface ExportOutcome {
  status: 'success' | 'failed';
  messages: string[];
  acumaticaKey: string;
}

export interface FinishInput extends RequestDetailOutcome {
  /** The record Acumatica committed: its origin_ids are written back to Procore before the detail is closed. */
  exported?: { kind: ExportKind; procoreId: string; lineIds: string[]; result: ExportedRecord };
  /** The export claim to release once the request is closed. */
  claim?: ExportClaimKey;
}

/** Whether a workflow (the holder of an export claim) is still running, through the worker's own client. */
async function workflowRunning(workflowId: string): Promise<boolean> {
  try {
    const { status } = await Context.current().client.workflow.getHandle(workflowId).describe();
    return status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * The activities of an ERP request (workflows/erp-request.ts): prepare (read the request, claim the record, load
 * it, preflight), then either export (Acumatica find-or-create, links, origin_ids, close the request detail,
 * release the claim) or finish (close the request detail `failed` or with a refresh's outcome, release the
 * claim). Two steps for an export on purpose: each one is a round trip through Temporal, and an export's latency
 * should be its API calls.
 */
export function createExportActivities({ db, procore, companies, isWorkflowRunning = workflowRunning }: ExportDeps) {
  const context = async (companyId: string): Promise<ExportContext> => ({
    db,
    procore,
    companyId,
    acumatica: await companies.acumatica(companyId),
  });

  /**
   * Writes the origin_ids back (External Data) of what was exported, closes the request detail, then releases the claim. A
   * Procore refusal of the origin_ids (200 with per-item errors, e.g. an origin_id another record holds) cannot
   * be fixed by retrying: the detail is closed `failed` with Procore's words instead.
   */
  async function finish(input: FinishInput): Promise<{ status: 'success' | 'failed'; messages: string[] }> {
    let outcome: RequestDetailOutcome = input;
    if (input.exported) {
      const refused = await writeOriginIds(procore, exporterFor(input.exported.kind), input.companyId, input.exported);
      if (refused) outcome = { ...input, status: 'failed', messages: [refused] };
    }
    if (outcome.requestDetailId) await closeRequestDetail(db, procore, outcome);
    if (input.claim) await releaseExport(db, input.claim, input.workflowId);
    const entity = input.exported?.kind ?? input.claim?.kind;
    if (entity) {
      await recordExportOutcome(db, {
        companyId: input.companyId,
        workflowId: input.workflowId,
        entity,
        outcome: outcome.status,
        message: outcome.messages.join(' '),
      });
    }
    return { status: outcome.status, messages: outcome.messages };
  }

  /** Find-or-create in Acumatica, then the links: written only after Acumatica committed the record. */
  async function write(input: WriteInput): Promise<ExportedRecord> {
    const { kind, companyId, source } = input;
    const exporter = exporterFor(kind);
    const ctx = await context(companyId);
    let result: ExportedRecord;
    if (exporter.write) {
      result = await exporter.write(ctx, source as never, input.targets as never);
    } else {
      result = await findOrCreate(exporter, ctx, source, input.targets);
      if (exporter.afterWrite) {
        const lineKeys = await exporter.afterWrite(ctx, source as never, input.targets as never, result.acumaticaKey);
        if (lineKeys) result = { ...result, lineKeys };
      }
    }
    await recordExportLinks(db, exporter, { companyId, workflowId: input.workflowId, source, result });
    return result;
  }

  return {
    async prepareErpRequestActivity(input: ErpRequestActivityInput): Promise<PreparedRequest> {
      const { companyId, workflowId } = input;
      const request = await readErpRequest(procore, companyId, input.erpRequestId);
      const importKind = importKindForSyncRequest(request.requestName);
      if (importKind) return { action: 'refresh', request, importKind };
      if (isStagedImportRequest(request.requestName)) return { action: 'link_staged', request };
      const kind = exportKindFor(request.requestName, request.itemType);
      if (!kind) {
        const message = `The connector does not handle "${request.requestName}" for ${request.itemType || 'this item'} yet.`;
        return { action: 'unsupported', request, message };
      }
      const claim = { companyId, kind, procoreId: request.itemId };
      const holder = await claimExport(db, claim, workflowId, isWorkflowRunning);
      if (holder) return { action: 'busy', request, holder };

      const exporter = exporterFor(kind);
      const ctx = await context(companyId);
      const source = await exporter.load(ctx, {
        companyId,
        projectId: request.projectId,
        procoreId: request.itemId,
        erpRequestId: input.erpRequestId,
      });
      const preflight = await exporter.preflight(ctx, source as never);
      return { action: 'export', request, kind, entityLabel: EXPORT_KINDS[kind].label, source, preflight };
    },

    /**
     * The export itself, once the preflight passed: find-or-create in Acumatica, the links (written only after
     * Acumatica committed the record), then the close-out: origin_ids, the request detail closed `success`, the
     * claim released. One activity rather than two on purpose (issue 16): each activity costs a workflow task and
     * a dispatch (~13 ms measured), and a retried close-out only repeats the marker lookup, which finds the
     * record the first attempt created. Acumatica's refusal (ValidationError) is thrown before anything is
     * closed; the workflow then closes the request `failed` with finishErpRequestActivity.
     */
    async exportRecordActivity(input: ExportRecordInput): Promise<ExportOutcome> {
      const { kind, companyId, workflowId, source } = input;
      const result = await write(input);
      // The close-out's log lines (Procore calls, the SDK's completion line excepted) name the Acumatica key too.
      const logContext = { logger: currentLogger().child({ acumaticaKey: result.acumaticaKey }), companyId };
      const closed = await withLogContext(logContext, () =>
        finish({
          companyId,
          workflowId,
          requestDetailId: input.requestDetailId,
          claim: input.claim,
          status: 'success',
          messages: [`Exported to Acumatica as ${result.acumaticaKey}.`, ...(input.notes ?? [])],
          exported: { kind, procoreId: source.procoreId, lineIds: source.lineIds, result },
        }),
      );
      return { ...closed, acumaticaKey: result.acumaticaKey };
    },

    /**
     * The write alone, for workflows started before the export became one activity (they finish with
     * finishErpRequestActivity). Remove once none can be running (workflows/erp-request.ts, EXPORT_IN_ONE_ACTIVITY).
     */
    writeAcumaticaRecordActivity: write,

    /** Closes a request that was not exported (preflight problems, Acumatica's refusal, unsupported, a refresh). */
    finishErpRequestActivity: finish,

    /**
     * The close-out when a workflow ends any other way (retries exhausted, a permanent error in any step,
     * cancellation): the request detail is closed `failed` with the message, so Procore never shows it pending
     * forever, and the record's export claim is released. The request is read again when the workflow failed
     * before it knew the detail.
     */
    async abandonErpRequestActivity(
      input: ErpRequestActivityInput & { requestDetailId?: string; claim?: ExportClaimKey; message: string },
    ): Promise<void> {
      const { companyId, workflowId } = input;
      const requestDetailId =
        input.requestDetailId || (await readErpRequest(procore, companyId, input.erpRequestId)).requestDetailId;
      if (requestDetailId) {
        await closeRequestDetail(db, procore, {
          companyId,
          workflowId,
          requestDetailId,
          status: 'failed',
          messages: [input.message],
        });
      }
      if (input.claim) await releaseExport(db, input.claim, workflowId);
      await recordExportOutcome(db, {
        companyId,
        workflowId,
        entity: input.claim?.kind ?? 'unknown',
        outcome: 'failed',
        message: input.message,
      });
    },
  };
}

/** Links of the record and its lines, and the audit row. Upserts, so a retried write records the same again. */
async function recordExportLinks(
  db: Db,
  exporter: Exporter,
  input: { companyId: string; workflowId: string; source: ExportSource; result: ExportedRecord },
): Promise<void> {
  const { companyId, source, result } = input;
  const header: Link = {
    procoreCompanyId: companyId,
    procoreEntity: exporter.procoreEntity,
    procoreId: source.procoreId,
    acumaticaEntity: exporter.acumaticaEntity,
    acumaticaKey: result.acumaticaKey,
    acumaticaId: result.acumaticaId,
  };
  const { lines } = exporter;
  const lineLinks: Link[] = !lines
    ? []
    : source.lineIds.flatMap((lineId, i) =>
        !result.lineKeys[i]
          ? []
          : [
              {
                procoreCompanyId: companyId,
                procoreEntity: lines.procoreEntity,
                procoreId: lineId,
                acumaticaEntity: lines.acumaticaEntity,
                acumaticaKey: result.lineKeys[i],
              },
            ],
      );
  await upsertLinks(db, [header, ...lineLinks]);
  await recordAudit(db, {
    procoreCompanyId: companyId,
    workflowId: input.workflowId,
    action: `acumatica.${exporter.acumaticaEntity}.${result.created ? 'created' : 'found'}`,
    procoreEntity: exporter.procoreEntity,
    procoreId: source.procoreId,
    acumaticaEntity: exporter.acumaticaEntity,
    acumaticaKey: result.acumaticaKey,
    detail: { lines: source.lineIds.length },
  });
}

/**
 * Marks the record and its lines as synced in Procore (External Data API origin_id). Returns Procore's refusal
 * as a message, or null when every origin_id was taken.
 */
async function writeOriginIds(
  procore: ProcoreClient,
  exporter: Exporter,
  companyId: string,
  exported: NonNullable<FinishInput['exported']>,
): Promise<string | null> {
  const { procoreId, lineIds, result } = exported;
  const refusedTransactions = await markErpTransactionsSynced(procore, companyId, result);
  if (refusedTransactions) return refusedTransactions;
  const headerType = exporter.externalDataItemType;
  if (!headerType) return null;
  const lineType = exporter.lines?.externalDataItemType;
  const lineUpdates = lineType
    ? lineIds.flatMap((id, i) =>
        !result.lineKeys[i] ? [] : [{ item_type: lineType, item_id: id, origin_id: result.lineKeys[i] }],
      )
    : [];
  const { errors } = await procore.syncExternalData(companyId, [
    { item_type: headerType, item_id: procoreId, origin_id: result.acumaticaKey },
    ...lineUpdates,
  ]);
  if (errors.length === 0) return null;
  return `Exported to Acumatica as ${result.acumaticaKey}, but Procore refused the origin_id write-back: ${JSON.stringify(errors).slice(0, 500)}`;
}
