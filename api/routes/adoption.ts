/**
 * Issue #15 routes (the API calls neither system: what reads Procore and Acumatica runs in a workflow):
 *   POST /companies/:id/onboarding        {"projects"?: [...], "all"?: true, "dryRun"?: true} -> 202 {workflowId};
 *                                          ?wait=true answers 200 with the report. ID onboard-<company> for a
 *                                          writing run (a second one while it runs joins it), a dry run gets its own.
 *   GET  /companies/:id/reconciliation    ?project=P&format=csv|json: runs the reconcile workflow, answers its report
 *   POST /companies/:id/exports/preview   {"erpRequestId"} or {"kind", "procoreId", "projectId"?}: what the export
 *                                          would do (create, update with the field diff, unchanged, exception)
 *   GET  /companies/:id/exceptions        import exceptions, failed exports and the adoption review list (open)
 *   POST /companies/:id/exceptions/:exceptionId/dismiss
 */
import express, { type Router } from 'express';
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { z } from 'zod';
import { dismissException, listExceptions, retryFailedExport } from '../../adoption/exceptions';
import { reconcileCsv, type ReconcileResult } from '../../adoption/reconcile';
import { IMPORT_KINDS, type ImportKind } from '../../lib/import-kinds';
import { EXPORT_KINDS, type ExportKind } from '../../lib/export-kinds';
import { onboardRetryWorkflowId, onboardWorkflowId, previewWorkflowId, reconciliationWorkflowId } from '../../lib/ids';
import { companyWorkflowOptions } from '../../lib/lanes';
import type { Db } from '../../store/db';
import type { exportPreviewWorkflow, onboardWorkflow, reconcileWorkflow } from '../../workflows/onboard';
import { ApiError, refusedByWorkflow, sendError, zodIssues } from '../errors';

const companyId = z.string().regex(/^\d+$/);
/** The body of POST /companies/:id/onboarding (also its OpenAPI schema, api/openapi.ts). */
export const onboardBody = z
  .object({
    projects: z.array(z.string().min(1)).optional(),
    all: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    /** Import kinds to run first (the existing import workflow, full mode), e.g. ["vendors", "cost_codes"]. */
    imports: z.array(z.enum(Object.keys(IMPORT_KINDS) as [ImportKind, ...ImportKind[]])).optional(),
  })
  .strict()
  .refine((b) => b.all || (b.projects && b.projects.length > 0), 'name the projects, or all: true');

/** The body of POST /companies/:id/exports/preview (also its OpenAPI schema, api/openapi.ts). */
export const exportPreviewBody = z
  .object({
    erpRequestId: z.string().regex(/^\d+$/).optional(),
    kind: z.enum(Object.keys(EXPORT_KINDS) as [ExportKind, ...ExportKind[]]).optional(),
    procoreId: z.string().regex(/^\d+$/).optional(),
    projectId: z.string().regex(/^\d+$/).optional(),
  })
  .strict()
  .refine((b) => b.erpRequestId || (b.kind && b.procoreId), 'name an erpRequestId, or a kind and a procoreId');

export function adoptionRouter(db: Db, temporal: () => Client | undefined, taskQueue: string): Router {
  const router = express.Router();
  const company = (id: string) => (companyId.safeParse(id).success ? id : undefined);

  router.post('/companies/:id/onboarding', express.json({ limit: '64kb' }), async (req, res, next) => {
    const id = company(req.params.id);
    const parsed = onboardBody.safeParse(req.body ?? {});
    if (!id || !parsed.success)
      return sendError(
        res,
        new ApiError('invalid_request', 'Invalid onboarding request.', parsed.success ? [] : zodIssues(parsed.error)),
      );
    const client = temporal();
    if (!client) return sendError(res, new ApiError('unavailable', 'Temporal is not reachable; try again shortly.'));
    try {
      const workflowId = onboardWorkflowId(id, parsed.data.dryRun ? Date.now() : undefined);
      const handle = await client.workflow.start<typeof onboardWorkflow>('onboardWorkflow', {
        ...companyWorkflowOptions(taskQueue, id, 'onDemand'),
        workflowId,
        args: [{ companyId: id, ...parsed.data }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: `Onboarding${parsed.data.dryRun ? ' (dry run)' : ''} of company ${id}`,
      });
      if (req.query.wait === 'true') return res.json({ workflowId, ...(await handle.result()) });
      res.status(202).json({ workflowId, status: `/syncs/${workflowId}` });
    } catch (err) {
      next(err);
    }
  });

  router.post('/companies/:id/exports/preview', express.json({ limit: '16kb' }), async (req, res, next) => {
    const id = company(req.params.id);
    const parsed = exportPreviewBody.safeParse(req.body ?? {});
    if (!id || !parsed.success)
      return sendError(
        res,
        new ApiError(
          'invalid_request',
          'Invalid export preview request.',
          parsed.success ? [] : zodIssues(parsed.error),
        ),
      );
    const client = temporal();
    if (!client) return sendError(res, new ApiError('unavailable', 'Temporal is not reachable; try again shortly.'));
    try {
      const workflowId = previewWorkflowId(id, 'export', Date.now());
      const preview = await client.workflow.execute<typeof exportPreviewWorkflow>('exportPreviewWorkflow', {
        ...companyWorkflowOptions(taskQueue, id, 'onDemand'),
        workflowId,
        args: [{ companyId: id, ...parsed.data }],
        staticSummary: `Preview of an export for company ${id}`,
      });
      res.json({ workflowId, ...preview });
    } catch (err) {
      const refused = refusedByWorkflow(err);
      if (refused) return sendError(res, refused);
      next(err);
    }
  });

  router.get('/companies/:id/reconciliation', async (req, res, next) => {
    const id = company(req.params.id);
    if (!id) return sendError(res, new ApiError('invalid_request', 'The company id must be numeric.'));
    const client = temporal();
    if (!client) return sendError(res, new ApiError('unavailable', 'Temporal is not reachable; try again shortly.'));
    try {
      const project = typeof req.query.project === 'string' ? req.query.project.split(',') : undefined;
      const result: ReconcileResult = await client.workflow.execute<typeof reconcileWorkflow>('reconcileWorkflow', {
        ...companyWorkflowOptions(taskQueue, id, 'onDemand'),
        workflowId: reconciliationWorkflowId(id, Date.now()),
        args: [{ companyId: id, projects: project }],
      });
      if (req.query.format === 'csv') return res.type('text/csv').send(reconcileCsv(result));
      res.json(result);
    } catch (err) {
      next(err);
    }
  });

  router.get('/companies/:id/exceptions', async (req, res, next) => {
    const id = company(req.params.id);
    if (!id) return sendError(res, new ApiError('invalid_request', 'The company id must be numeric.'));
    try {
      res.json({ companyId: id, exceptions: await listExceptions(db, id) });
    } catch (err) {
      next(err);
    }
  });

  router.post('/companies/:id/exceptions/:exceptionId/dismiss', async (req, res, next) => {
    const id = company(req.params.id);
    if (!id) return sendError(res, new ApiError('invalid_request', 'The company id must be numeric.'));
    try {
      const dismissed = await dismissException(db, id, req.params.exceptionId);
      res.json({ id: req.params.exceptionId, dismissed });
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('Unknown exception id'))
        return sendError(res, new ApiError('invalid_request', err.message));
      next(err);
    }
  });
  router.post('/companies/:id/exceptions/:exceptionId/retry', async (req, res, next) => {
    const id = company(req.params.id);
    if (!id) return sendError(res, new ApiError('invalid_request', 'The company id must be numeric.'));
    const client = temporal();
    if (!client) return sendError(res, new ApiError('unavailable', 'Temporal is not reachable; try again shortly.'));
    const exceptionId = req.params.exceptionId;
    try {
      if (exceptionId.startsWith('export:')) return res.json(await retryFailedExport(client, db, id, exceptionId));
      if (exceptionId.startsWith('review:')) {
        // Re-runs adoption of the record's project as an onboarding workflow (it calls both systems).
        const [, entity, procoreId] = exceptionId.split(':');
        const { rows } = await db.query(
          `SELECT project_id FROM adoption_reviews WHERE procore_company_id = $1 AND procore_entity = $2 AND procore_id = $3`,
          [id, entity, procoreId],
        );
        if (rows.length === 0 || !rows[0].project_id)
          return sendError(res, new ApiError('not_found', `No review item ${exceptionId}.`));
        const result = await client.workflow.execute<typeof onboardWorkflow>('onboardWorkflow', {
          ...companyWorkflowOptions(taskQueue, id, 'onDemand'),
          workflowId: onboardRetryWorkflowId(id, entity, procoreId),
          args: [{ companyId: id, projects: [String(rows[0].project_id)] }],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        });
        const record = result.report.records.find((r) => r.entity === entity && r.procoreId === procoreId);
        return res.json({ id: exceptionId, outcome: record?.outcome ?? 'not_found', record });
      }
      sendError(res, new ApiError('invalid_request', 'Import exceptions are retried by running the import again.'));
    } catch (err) {
      next(err);
    }
  });
  return router;
}
