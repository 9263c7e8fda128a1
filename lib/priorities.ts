/**
 * Task Queue Priority and Fairness (temporal.md; docs.temporal.io "Task Queue Priority and Fairness"), set here
 * and nowhere else. Every workflow the connector starts carries a priority key and its company as fairness key;
 * activities and child workflows inherit both unless they name their own (only a Refresh's import does).
 *
 *  1  an accounting approval (ERP request): a person waits for it in Procore
 *  3  work an operator or a Procore user asked for now: POST /imports, Procore's Refresh buttons, onboarding
 *  5  scheduled runs: the nightly import and the weekly reconciliation
 *
 * Lower runs first; within one level, fairness dispatches the companies' tasks round-robin (weight 1 each), so a
 * month-end burst of one company cannot starve another's approvals. Fairness must be switched on in the server
 * (self-hosted: dynamic config `matching.enableFairness=true`, which temporal/dev-server.ts sets; Temporal Cloud:
 * the namespace's Fairness setting); without it the keys are carried and ignored, and priority still applies.
 * Plain data, no imports: workflow code uses it.
 */
export const PRIORITY = { approval: 1, onDemand: 3, scheduled: 5 } as const;
export type PriorityLevel = keyof typeof PRIORITY;

/** The shape of Temporal's `Priority` (common/priority.ts), without importing it into workflow code. */
export interface TaskPriority {
  priorityKey: number;
  fairnessKey: string;
}

export function priorityFor(level: PriorityLevel, companyId: string): TaskPriority {
  return { priorityKey: PRIORITY[level], fairnessKey: companyId };
}
