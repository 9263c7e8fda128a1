/**
 * Maps an accepted webhook event to the workflow it starts, and starts it. Shared by the webhook route and
 * the inbox relay, so both start exactly the same workflow under exactly the same ID.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { erpRequestWorkflowId } from '../lib/ids';
import { companyWorkflowOptions } from '../lib/lanes';
import type { erpRequestWorkflow } from '../workflows/erp-request';

export interface StartTarget {
  workflowId: string;
  companyId: string;
  erpRequestId: string;
  /** For the Web UI's list: the company by name. */
  companyName?: string;
}

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

/** Only the accounting-approval event starts a sync; other events are stored and ignored. */
export function startTargetFor(
  event: {
    companyId: string;
    resourceName: string;
    resourceId: string;
    eventType: string;
  },
  companyName?: string,
): StartTarget | null {
  const resource = normalise(event.resourceName);
  const isErpRequest = resource === 'erprequests' || resource === 'erprequest';
  if (!isErpRequest || !normalise(event.eventType).startsWith('create')) return null;
  return {
    workflowId: erpRequestWorkflowId(event.companyId, event.resourceId),
    companyId: event.companyId,
    erpRequestId: event.resourceId,
    companyName,
  };
}

/** Starts the workflow; an already started (or finished) one counts as started. */
export async function startErpRequestWorkflow(client: Client, taskQueue: string, target: StartTarget): Promise<void> {
  try {
    await client.workflow.start<typeof erpRequestWorkflow>('erpRequestWorkflow', {
      ...companyWorkflowOptions(taskQueue, target.companyId, 'approval'),
      workflowId: target.workflowId,
      args: [{ companyId: target.companyId, erpRequestId: target.erpRequestId }],
      // One ERP request, one workflow, ever: operators rerun with "reset" in the Web UI.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `${target.companyName ?? `Company ${target.companyId}`}: Procore ERP request ${target.erpRequestId}`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}

/**
 * Whether Temporal refused the start request itself (gRPC INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND for
 * a namespace), which no retry can fix; unavailability and timeouts are worth retrying.
 */
export function isPermanentStartError(err: unknown): boolean {
  const code = (err as { code?: number; cause?: { code?: number } })?.cause?.code ?? (err as { code?: number })?.code;
  return code === 3 || code === 5 || code === 9;
}
