/** Where an export's time goes, read from its workflow history (the commitments and month-end benchmarks). */
import type { ConnectorStack } from '../testing/connector-stack';

/**
 * Where the time of one export went, from its workflow history: until the workflow started (webhook, inbox,
 * start), then per activity the wait in its task queue and its run, and the workflow's own steps in between.
 */
export async function stepsOf(stack: ConnectorStack, workflowId: string, acceptedAt: number) {
  const events = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const ms = (e: (typeof events)[number] | undefined) =>
    e?.eventTime ? Number(e.eventTime.seconds) * 1000 + Math.round((e.eventTime.nanos ?? 0) / 1e6) : 0;
  const steps: Record<string, number> = { untilStarted: ms(events[0]) - acceptedAt };
  const scheduled = new Map<string, { name: string; at: number }>();
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a) scheduled.set(String(e.eventId), { name: a.activityType?.name ?? '?', at: ms(e) });
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const s = scheduled.get(String(started.scheduledEventId))!;
      steps[`${s.name}.queued`] = ms(e) - s.at;
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const s = scheduled.get(String(done.scheduledEventId))!;
      steps[`${s.name}.total`] = ms(e) - s.at;
    }
  }
  steps.total = ms(events.at(-1)) - acceptedAt;
  // Workflow tasks: from each activity's completion to the next one's scheduling, and to the workflow's close.
  const inActivities = Object.entries(steps).reduce((n, [k, v]) => (k.endsWith('.total') ? n + v : n), 0);
  steps.betweenActivities = steps.total - steps.untilStarted - inActivities;
  return { workflowId, steps };
}

/** The median of each step over many exports' steps. */
export function medianSteps(all: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(all[0] ?? {})) {
    const sorted = all.map((s) => s[key] ?? 0).sort((a, b) => a - b);
    out[key] = sorted[Math.floor(sorted.length / 2)];
  }
  return out;
}
