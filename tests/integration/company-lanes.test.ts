/**
 * Company lanes (lib/lanes.ts, #16): a company whose Acumatica tenant keeps every one of its exports waiting holds
 * only its own lane's slots, so another company's approvals go through meanwhile, their workflows and activities
 * all in their own lane; and a company connected after the worker started gets its lane.
 */
import { temporal } from '@temporalio/proto';
import { addDemoCommitment } from 'procore-simulator/src/testing';
import { val } from '../../clients/acumatica/client';
import { procoreMarker } from '../../lib/ids';
import { laneTaskQueue } from '../../lib/lanes';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack({ worker: 'none' });
});
afterAll(async () => {
  await stack?.stop();
});

/** Company A's tenant answers every call this late: its exports hold their slots all that time. */
const STALLED_MS = 10_000;
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
/** More of A's exports than a worker has slots on its main queue (20) or in a lane (10). */
const A_EXPORTS = 25;

const commitment = (n: number, companyIdBase?: bigint) =>
  addDemoCommitment(stack.procoreSim.store, { type: 'work_order_contract', n, lines: 2, label: 'lane', companyIdBase })
    .id;

test("one company's stalled backlog leaves another company's approvals their slots", async () => {
  await stack.startInProcessWorker();
  // Connected after the worker started: the worker picks up its lane (workers/company-lanes.ts).
  const idBase = 100_000_000_000n;
  const b = await stack.addCompany({ name: 'Company B', idBase });

  await stack.inject('acumatica', { path: '/entity/*', kind: 'latency', latencyMs: STALLED_MS, times: 0 });
  const stalled = await Promise.all(Array.from({ length: A_EXPORTS }, (_, i) => stack.accept(commitment(i + 1))));
  // Wait until A's exports have taken every slot of its lane.
  const runningActivities = async () => {
    let n = 0;
    for (const { workflowId } of stalled) {
      const { raw } = await stack.client.workflow.getHandle(workflowId).describe();
      n += (raw.pendingActivities ?? []).filter((a) => a.state === STARTED).length;
    }
    return n;
  };
  for (let i = 0; i < 100 && (await runningActivities()) < 10; i++) await new Promise((r) => setTimeout(r, 200));
  expect(await runningActivities()).toBe(10);

  // B's approvals all succeed while every one of A's exports still waits for its tenant ...
  const ofB = [1, 2, 3].map((n) => commitment(n, idBase));
  const approvals = await Promise.all(ofB.map((id) => stack.accept(id, { company_id: b.companyId })));
  for (const { workflowId } of approvals)
    expect(await stack.waitForWorkflow(workflowId, 60_000)).toMatchObject({ status: 'success' });
  // ... before any of A's activities finished: B never waited for a slot A held.
  for (const { workflowId } of stalled) {
    const { events } = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    expect(events!.filter((e) => e.activityTaskCompletedEventAttributes)).toHaveLength(0);
  }
  // B's workflows and every one of their activities ran in B's lane (an activity on its workflow's own queue is
  // what lets the server dispatch it eagerly).
  for (const { workflowId } of approvals) {
    const { events } = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const queues = events!.flatMap((e) => [
      ...(e.workflowExecutionStartedEventAttributes ? [e.workflowExecutionStartedEventAttributes.taskQueue?.name] : []),
      ...(e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.taskQueue?.name] : []),
    ]);
    expect(queues.length).toBeGreaterThanOrEqual(3); // the start, then prepare and export
    expect(new Set(queues)).toEqual(new Set([laneTaskQueue(stack.taskQueue, b.companyId)]));
  }
  // Each of B's commitments is one subcontract in B's tenant.
  for (const id of ofB) {
    const inB = b.acumaticaSim.store.all('Subcontract').filter((r) => val(r.values.VendorRef) === procoreMarker(id));
    expect(inB).toHaveLength(1);
  }

  // Once A's tenant answers promptly again, A's backlog drains from Temporal's queue: every export succeeds.
  await fetch(`${stack.acumaticaUrl}/__admin/faults`, { method: 'DELETE' });
  for (const { workflowId } of stalled)
    expect(await stack.waitForWorkflow(workflowId, 120_000)).toMatchObject({ status: 'success' });
});
