/**
 * Company lanes (#16): every upstream activity (a call to Procore or Acumatica) runs on a task queue of its
 * company's own, `<task queue>/company/<Procore company id>`, which every worker polls with a few slots
 * (workers/company-lanes.ts, WORKER_ACTIVITIES_PER_COMPANY).
 *
 * Why: an activity waiting for its Acumatica tenant's budget holds a worker slot. On one shared queue, a company
 * whose 1,000 approvals wait on a 100-a-minute license would hold every slot of every worker, and another
 * company's export would wait behind it for a slot however fair the queue is. In its own lane, the burst's
 * backlog waits in Temporal's queue, and the others' activities find free slots in theirs. Workflows stay on the
 * one task queue (priority and fairness by company order them there: lib/priorities.ts).
 *
 * Imported by workflow code: nothing here may do I/O.
 */
export function laneTaskQueue(taskQueue: string, companyId: string): string {
  return `${taskQueue}/company/${companyId}`;
}
