/**
 * The exception list, in one place: import exceptions (records an import could not map), failed exports (the
 * message the approver saw on the ERP request detail) and the adoption review list. Each has an id
 * "<kind>:<key>":
 *   import:<import_exceptions.id>   export:<audit_log.id>   review:<procore entity>:<procore id>
 * list: the open ones (not dismissed; a failed export whose workflow later succeeded is not listed).
 * dismiss: hides it (a review is marked dismissed; the others get a row in exception_dismissals).
 * retry (reviews): re-runs adoption of the record's project after the data was fixed; a record already linked
 * is reported unchanged, so a retry adopts a record at most once. Retrying imports and exports is done by
 * re-running the import or resending from Procore (not here).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../store/db';
import type { AdoptionContext } from './read';
import { runAdoption, type RecordOutcome } from './run';

export interface ExceptionItem {
  id: string;
  kind: 'import' | 'export' | 'review';
  entity: string;
  key: string;
  label: string;
  reason: string;
  detail: string;
  at: string;
  workflowId?: string;
  projectId?: string;
}

export async function listExceptions(db: Db, companyId: string): Promise<ExceptionItem[]> {
  const imports = await db.query(
    `SELECT e.id, e.entity, e.acumatica_key, e.reason, e.workflow_id, e.at FROM import_exceptions e
     WHERE e.procore_company_id = $1 AND NOT EXISTS (SELECT 1 FROM exception_dismissals d
       WHERE d.procore_company_id = e.procore_company_id AND d.exception_id = 'import:' || e.id)
     ORDER BY e.id`,
    [companyId],
  );
  const exports = await db.query(
    `SELECT a.id, a.procore_id, a.workflow_id, a.detail, a.at FROM audit_log a
     WHERE a.procore_company_id = $1 AND a.action = 'procore.request_detail.failed'
       AND NOT EXISTS (SELECT 1 FROM audit_log s WHERE s.procore_company_id = a.procore_company_id
         AND s.workflow_id = a.workflow_id AND s.action = 'procore.request_detail.success' AND s.id > a.id)
       AND NOT EXISTS (SELECT 1 FROM exception_dismissals d
         WHERE d.procore_company_id = a.procore_company_id AND d.exception_id = 'export:' || a.id)
     ORDER BY a.id`,
    [companyId],
  );
  const reviews = await db.query(
    `SELECT procore_entity, procore_id, label, project_id, reason, detail, updated_at FROM adoption_reviews
     WHERE procore_company_id = $1 AND status = 'open' ORDER BY procore_entity, label`,
    [companyId],
  );
  return [
    ...imports.rows.map((r): ExceptionItem => ({
      id: `import:${r.id}`,
      kind: 'import',
      entity: r.entity,
      key: r.acumatica_key,
      label: `${r.entity} ${r.acumatica_key}`,
      reason: 'import_exception',
      detail: r.reason,
      at: new Date(r.at).toISOString(),
      workflowId: r.workflow_id,
    })),
    ...exports.rows.map((r): ExceptionItem => ({
      id: `export:${r.id}`,
      kind: 'export',
      entity: 'erp_request_detail',
      key: r.procore_id,
      label: `ERP request detail ${r.procore_id}`,
      reason: 'export_failed',
      detail: ((r.detail?.messages as string[] | undefined) ?? []).join(' '),
      at: new Date(r.at).toISOString(),
      workflowId: r.workflow_id,
    })),
    ...reviews.rows.map((r): ExceptionItem => ({
      id: `review:${r.procore_entity}:${r.procore_id}`,
      kind: 'review',
      entity: r.procore_entity,
      key: r.procore_id,
      label: r.label,
      reason: r.reason,
      detail: r.detail,
      at: new Date(r.updated_at).toISOString(),
      projectId: r.project_id ?? undefined,
    })),
  ];
}

function parseId(id: string): { kind: string; rest: string[] } {
  const [kind, ...rest] = id.split(':');
  if (!['import', 'export', 'review'].includes(kind) || rest.length === 0)
    throw new Error(`Unknown exception id "${id}": expected import:<id>, export:<id> or review:<entity>:<id>`);
  return { kind, rest };
}

export async function dismissException(db: Db, companyId: string, id: string, note?: string): Promise<boolean> {
  const { kind, rest } = parseId(id);
  if (kind === 'review') {
    const r = await db.query(
      `UPDATE adoption_reviews SET status = 'dismissed', updated_at = now()
       WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3 AND status = 'open'`,
      [companyId, rest[0], rest[1]],
    );
    return (r.rowCount ?? 0) > 0;
  }
  const r = await db.query(
    `INSERT INTO exception_dismissals (procore_company_id, exception_id, note) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [companyId, id, note ?? null],
  );
  return (r.rowCount ?? 0) > 0;
}

export interface RetryResult {
  id: string;
  outcome: RecordOutcome['outcome'] | 'not_found' | 'exported' | 'failed';
  record?: RecordOutcome;
  message: string;
}

/** Re-runs adoption of one reviewed record (its project), writing what it decides. */
export async function retryException(ctx: AdoptionContext, id: string): Promise<RetryResult> {
  const { kind, rest } = parseId(id);
  if (kind !== 'review')
    return {
      id,
      outcome: 'not_found',
      message:
        kind === 'export'
          ? 'Resend the record from Procore (ERP Integrations) or reset its workflow in the Temporal Web UI.'
          : 'Run the import again (npm run import) after fixing the record in Acumatica.',
    };
  const [entity, procoreId] = rest;
  const { rows } = await ctx.db.query(
    `SELECT project_id FROM adoption_reviews WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3`,
    [ctx.companyId, entity, procoreId],
  );
  if (rows.length === 0) return { id, outcome: 'not_found', message: `No review item ${id}` };
  const projectId = rows[0].project_id as string | null;
  const report = await runAdoption(ctx, { projects: projectId ? [projectId] : undefined, dryRun: false });
  const record = report.records.find((r) => r.entity === entity && r.procoreId === procoreId);
  if (!record) return { id, outcome: 'not_found', message: `The record ${procoreId} was not found again` };
  const message =
    record.outcome === 'adopted'
      ? `Adopted as ${record.acumaticaKey} (${record.rule})`
      : record.outcome === 'unchanged'
        ? `Already linked to ${record.acumaticaKey}`
        : record.outcome === 'review'
          ? `Still to review: ${record.detail}`
          : 'Nothing in Acumatica matches: the first export will create it';
  if (record.outcome === 'created')
    await ctx.db.query(
      `UPDATE adoption_reviews SET status = 'resolved', updated_at = now()
       WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3`,
      [ctx.companyId, entity, procoreId],
    );
  return { id, outcome: record.outcome, record, message };
}

/**
 * Retries a failed export after the data was fixed: resets its ERP request workflow to the first workflow task
 * (what the Web UI's Reset does), so the same workflow exports the record again, with its exactly-once
 * guarantees (claim, marker). An export that has succeeded since is not reset again.
 */
export async function retryFailedExport(temporal: Client, db: Db, companyId: string, id: string): Promise<RetryResult> {
  const { kind, rest } = parseId(id);
  if (kind !== 'export') return { id, outcome: 'not_found', message: 'Not a failed export' };
  const { rows } = await db.query(
    `SELECT a.workflow_id, EXISTS (SELECT 1 FROM audit_log s WHERE s.procore_company_id = a.procore_company_id
       AND s.workflow_id = a.workflow_id AND s.action = 'procore.request_detail.success' AND s.id > a.id) AS succeeded
     FROM audit_log a WHERE a.procore_company_id = $1 AND a.id = $2 AND a.action = 'procore.request_detail.failed'`,
    [companyId, rest[0]],
  );
  if (rows.length === 0 || !rows[0].workflow_id) return { id, outcome: 'not_found', message: `No failed export ${id}` };
  const workflowId = String(rows[0].workflow_id);
  if (rows[0].succeeded) return { id, outcome: 'unchanged', message: `${workflowId} has succeeded since` };
  const handle = temporal.workflow.getHandle(workflowId);
  const history = await handle.fetchHistory();
  const firstTask = history.events?.find((e) => e.workflowTaskCompletedEventAttributes);
  if (!firstTask) return { id, outcome: 'not_found', message: `${workflowId} has no completed workflow task` };
  const { runId } = await handle.describe();
  const reset = await temporal.workflowService.resetWorkflowExecution({
    namespace: temporal.options.namespace,
    workflowExecution: { workflowId, runId },
    workflowTaskFinishEventId: firstTask.eventId,
    requestId: randomUUID(),
    reason: `exceptions retry ${id}`,
  });
  const result = (await temporal.workflow.getHandle(workflowId, reset.runId ?? undefined).result()) as {
    status: string;
    acumaticaKey?: string;
    messages?: string[];
  };
  return result.status === 'success'
    ? { id, outcome: 'exported', message: `Exported as ${result.acumaticaKey}` }
    : { id, outcome: 'failed', message: (result.messages ?? []).join(' ') };
}
