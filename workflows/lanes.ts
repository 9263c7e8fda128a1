/**
 * Activities proxied to their company's lane (lib/lanes.ts): each call runs on the task queue of the company
 * its input names.
 */
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { laneTaskQueue } from '../lib/lanes';

export function laneActivities(options: ActivityOptions): Activities {
  return new Proxy({} as Activities, {
    get(_target, name: string) {
      return (input: { companyId?: string }) => {
        // A programming error, not a retryable condition: the activity would wait for ever in a lane nobody polls.
        if (!input?.companyId) throw new TypeError(`Activity ${name} was called without a companyId`);
        const taskQueue = laneTaskQueue(workflowInfo().taskQueue, input.companyId);
        const activity = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>({
          ...options,
          taskQueue,
        })[name];
        return activity(input);
      };
    },
  });
}
