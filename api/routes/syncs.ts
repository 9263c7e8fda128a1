/** GET /syncs/:workflowId: status of one sync, with its result or failure message. */
import express, { type Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { CONNECTOR_WORKFLOW_ID_PREFIXES } from '../../lib/ids';
import { importProgressQuery } from '../../workflows/import-messages';
import { ApiError, sendError } from '../errors';

const WORKFLOW_ID = /^[A-Za-z0-9._:-]{1,255}$/;

export function syncsRouter(temporal: () => Client | undefined): Router {
  const router = express.Router();
  router.get('/syncs/:workflowId', async (req, res, next) => {
    const { workflowId } = req.params;
    if (!WORKFLOW_ID.test(workflowId)) {
      return sendError(res, new ApiError('invalid_request', 'workflowId may contain letters, digits and ._:- only.'));
    }
    // Only the connector's own syncs: other workflows on the same namespace are none of this API's business.
    if (!CONNECTOR_WORKFLOW_ID_PREFIXES.some((prefix) => workflowId.startsWith(prefix))) {
      return sendError(res, new ApiError('not_found', `No sync with workflow id "${workflowId}".`));
    }
    const client = temporal();
    if (!client) return sendError(res, new ApiError('unavailable', 'Temporal is not reachable; try again shortly.'));
    try {
      const handle = client.workflow.getHandle(workflowId);
      const d = await handle.describe();
      const status = d.status.name;
      const body: Record<string, unknown> = {
        workflowId,
        runId: d.runId,
        type: d.type,
        status,
        startTime: d.startTime,
        closeTime: d.closeTime ?? null,
        searchAttributes: Object.fromEntries(
          d.typedSearchAttributes.getAll().map((pair) => [pair.key.name, pair.value]),
        ),
      };
      if (status === 'RUNNING' && d.type === 'importWorkflow') {
        body.progress = await handle.query(importProgressQuery).catch(() => null);
      }
      if (status === 'COMPLETED') body.result = await handle.result();
      if (status === 'FAILED' || status === 'TERMINATED' || status === 'TIMED_OUT' || status === 'CANCELLED') {
        body.failure = await handle.result().then(
          () => null,
          (err: Error) => (err.cause as Error | undefined)?.message ?? err.message,
        );
      }
      res.json(body);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        return sendError(res, new ApiError('not_found', `No sync with workflow id "${workflowId}".`));
      }
      next(err);
    }
  });
  return router;
}
