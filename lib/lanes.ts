/**
 * Company lanes (#16): everything of one company, its workflows and their activities, runs on a task queue of
 * its own, `<task queue>/company/<Procore company id>`, which every worker polls with a few activity slots and a
 * workflow cache of its own (workers/company-lanes.ts, WORKER_ACTIVITIES_PER_COMPANY). Every place that starts
 * a workflow for a company takes its lane, priority and search attribute from companyWorkflowOptions below (the
 * schedules, whose actions take no priority, its lane from laneTaskQueue); child workflows and activities stay on
 * their parent's queue.
 *
 * Why a lane per company: an activity waiting for its Acumatica tenant's budget holds a worker slot. On one
 * shared queue, a company whose 1,000 approvals wait on a 100-a-minute license would hold every slot of every
 * worker, and another company's export would wait behind it for a slot however fair the queue is. In its own
 * lane, the burst's backlog waits in Temporal's queue, and the others' tasks find free slots in theirs.
 * Why workflows too: with a workflow and its activities on one queue, the server hands the next activity to the
 * worker in the answer to the workflow task that scheduled it (eager dispatch), a trip through matching less per
 * step. Within a lane, priority (lib/priorities.ts) still puts approvals ahead of imports.
 */
import { priorityFor, type PriorityLevel } from './priorities';
import { ProcoreCompanyId } from './search-attributes';

export function laneTaskQueue(taskQueue: string, companyId: string): string {
  return `${taskQueue}/company/${companyId}`;
}

/**
 * The start options every workflow of a company shares: its lane, its priority and fairness key (lib/priorities.ts),
 * and its company as search attribute (the Web UI's filter).
 */
export function companyWorkflowOptions(taskQueue: string, companyId: string, level: PriorityLevel) {
  return {
    taskQueue: laneTaskQueue(taskQueue, companyId),
    priority: priorityFor(level, companyId),
    typedSearchAttributes: [{ key: ProcoreCompanyId, value: companyId }],
  };
}
