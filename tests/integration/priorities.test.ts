/**
 * Every workflow the connector starts carries its priority and its company as fairness key (lib/priorities.ts):
 * approvals 1, on-demand imports and Procore's Refresh 3, scheduled runs 5 (their scopes; a schedule action
 * takes no priority in SDK 1.24). Activities and child workflows inherit them.
 */
import { DEMO_SUBCONTRACTS } from 'simulator-common';
import { nightlyScheduleId } from '../../lib/ids';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

const priorityOf = async (workflowId: string) =>
  (await stack.client.workflow.getHandle(workflowId).describe()).priority;

async function childrenOf(workflowId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of stack.client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}-"` }))
    ids.push(w.workflowId);
  return ids;
}

test('an approval runs at priority 1, fairness key its company; its activities inherit it', async () => {
  const { workflowId } = await stack.accept(DEMO_SUBCONTRACTS[0].procoreId);
  await stack.waitForWorkflow(workflowId);
  expect(await priorityOf(workflowId)).toMatchObject({ priorityKey: 1, fairnessKey: stack.companyId });
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = history.events!.filter((e) => e.activityTaskScheduledEventAttributes);
  expect(scheduled.length).toBeGreaterThan(0);
  for (const e of scheduled) {
    // Unset on the activity means "inherit the workflow's" (Temporal's Priority semantics).
    const p = e.activityTaskScheduledEventAttributes!.priority;
    expect(p?.priorityKey ?? 0).toBe(0);
    expect(p?.fairnessKey ?? '').toBe('');
  }
});

test('an on-demand import runs at priority 3, its scopes too', async () => {
  const res = await stack.apiFetch('/imports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities: ['cost_types'] }),
  });
  const { workflowId } = (await res.json()) as { workflowId: string };
  await stack.waitForWorkflow(workflowId);
  expect(await priorityOf(workflowId)).toMatchObject({ priorityKey: 3, fairnessKey: stack.companyId });
  const children = await childrenOf(workflowId);
  expect(children.length).toBeGreaterThan(0);
  for (const id of children)
    expect(await priorityOf(id)).toMatchObject({ priorityKey: 3, fairnessKey: stack.companyId });
});

test("the nightly schedule's scopes run at priority 5", async () => {
  const handle = stack.client.schedule.getHandle(nightlyScheduleId(stack.companyId));
  await handle.trigger();
  let runId: string | undefined;
  const deadline = Date.now() + 30_000;
  while (!runId && Date.now() < deadline) {
    runId = (await handle.describe()).info.recentActions.at(-1)?.action.workflow.workflowId;
    if (!runId) await new Promise((r) => setTimeout(r, 200));
  }
  await stack.waitForWorkflow(runId!);
  const children = await childrenOf(runId!);
  expect(children.length).toBeGreaterThan(0);
  for (const id of children)
    expect(await priorityOf(id)).toMatchObject({ priorityKey: 5, fairnessKey: stack.companyId });
});
