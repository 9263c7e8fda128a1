/**
 * POST /imports: start an on-demand import. Body: {"companyId": "4271", "entities": ["vendors"],
 * "branch": "HQ"?, "mode": "delta" | "full"?, "dryRun": true?}. Answers 202 with the workflow id and a status URL
 * (a dry run: 200 with what the import would do per record, having written nothing); 400 for an
 * opt-in kind (payments) the company has not opted into. A request
 * for a scope that is already importing joins the running import (same workflow id, USE_EXISTING) instead of
 * starting another.
 */
import { importWorkflowId, previewWorkflowId } from '../../lib/ids';
import express, { type Router } from 'express';
import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { IMPORT_KINDS, OPT_IN_IMPORT_KINDS, type ImportKind } from '../../lib/import-kinds';
import { companyWorkflowOptions } from '../../lib/lanes';
import { getConnection } from '../../store/connections';
import type { Db } from '../../store/db';
import type { importWorkflow } from '../../workflows/import';
import type { importPreviewWorkflow } from '../../workflows/onboard';
import { ApiError, refusedByWorkflow, sendError, zodIssues } from '../errors';

const kinds = Object.keys(IMPORT_KINDS) as [ImportKind, ...ImportKind[]];

/** The body of POST /imports (also its OpenAPI schema, api/openapi.ts). */
export const importRequest = z
  .object({
    companyId: z.string().regex(/^\d+$/, 'must be the numeric Procore company id'),
    // Bounded, then de-duplicated: a kind named twice is imported once (and makes the same workflow id).
    entities: z
      .array(z.enum(kinds))
      .min(1, `name at least one of: ${kinds.join(', ')}`)
      .max(kinds.length * 2, `name each kind once (at most ${kinds.length})`)
      .transform((list) => [...new Set(list)]),
    branch: z.string().min(1).max(30).optional(),
    mode: z.enum(['delta', 'full']).default('delta'),
    /** Reads both systems and answers 200 with what the import would do, per record; writes nothing. */
    dryRun: z.boolean().optional(),
  })
  .strict();

export function importsRouter(db: Db, temporal: () => Client | undefined, taskQueue: string): Router {
  const router = express.Router();
  router.post('/imports', express.json({ limit: '16kb' }), async (req, res, next) => {
    const parsed = importRequest.safeParse(req.body);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      return sendError(
        res,
        new ApiError(
          'invalid_request',
          `Invalid import request: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
          issues,
        ),
      );
    }
    const request = parsed.data;
    const client = temporal();
    if (!client) return sendError(res, new ApiError('unavailable', 'Temporal is not reachable; try again shortly.'));
    try {
      const connection = await getConnection(db, request.companyId);
      if (!connection) {
        return sendError(res, new ApiError('not_found', `Procore company ${request.companyId} is not connected.`));
      }
      const notOptedIn = request.entities.filter(
        (k) => OPT_IN_IMPORT_KINDS.includes(k) && !(connection.optInImports ?? []).includes(k),
      );
      if (notOptedIn.length) {
        return sendError(
          res,
          new ApiError(
            'invalid_request',
            `${notOptedIn.join(', ')} ${notOptedIn.length > 1 ? 'are' : 'is'} opt-in and company ${request.companyId} has not opted in: connect it again with --opt-in ${notOptedIn.join(',')} (npm run connector -- connect).`,
          ),
        );
      }
      if (request.branch && !connection.branches.includes(request.branch)) {
        return sendError(
          res,
          new ApiError(
            'invalid_request',
            `Branch ${request.branch} is not connected; connected: ${connection.branches.join(', ')}.`,
          ),
        );
      }
      if (request.dryRun) {
        const previewId = previewWorkflowId(request.companyId, 'import', Date.now());
        const result = await client.workflow.execute<typeof importPreviewWorkflow>('importPreviewWorkflow', {
          ...companyWorkflowOptions(taskQueue, request.companyId, 'onDemand'),
          workflowId: previewId,
          args: [
            { companyId: request.companyId, entities: request.entities, branch: request.branch, mode: request.mode },
          ],
          staticSummary: `Dry run of a ${request.mode} import of ${request.entities.join(', ')} for ${connection.name}`,
        });
        return res.json({ workflowId: previewId, ...result });
      }
      const workflowId = importWorkflowId(request);
      const running = await client.workflow
        .getHandle(workflowId)
        .describe()
        .then(
          (d) => d.status.name === 'RUNNING',
          (err) => {
            if (err instanceof WorkflowNotFoundError) return false;
            throw err;
          },
        );
      await client.workflow.start<typeof importWorkflow>('importWorkflow', {
        ...companyWorkflowOptions(taskQueue, request.companyId, 'onDemand'),
        workflowId,
        args: [
          { companyId: request.companyId, entities: request.entities, branch: request.branch, mode: request.mode },
        ],
        // A second request while this scope imports joins it; a finished one may run again.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        staticSummary: `On-demand ${request.mode} import of ${request.entities.join(', ')} for ${connection.name}`,
      });
      res.status(202).json({ workflowId, statusUrl: `/syncs/${workflowId}`, joined: running });
    } catch (err) {
      const refused = refusedByWorkflow(err);
      if (refused) return sendError(res, refused);
      next(err);
    }
  });
  return router;
}
