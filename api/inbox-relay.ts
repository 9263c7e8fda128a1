/**
 * Starts the workflows of inbox rows that were accepted but not started (Temporal was down or slow when the
 * webhook arrived). Runs in every API process; concurrent relays are harmless because a second start of the
 * same workflow ID is recognised as "already started".
 */
import type { Client } from '@temporalio/client';
import { logger as rootLogger } from '../lib/logger';
import type { Db } from '../store/db';
import { listPending, markStarted, markStartFailed } from '../store/inbox';
import { isPermanentStartError, startErpRequestWorkflow } from './workflow-starter';

const logger = rootLogger.child({ component: 'relay' });

/** Leave fresh rows to the webhook handler that is still starting them. */
const MIN_AGE_MS = 3000;

export async function relayPendingDeliveries(db: Db, client: Client, taskQueue: string): Promise<number> {
  let started = 0;
  for (const d of await listPending(db, MIN_AGE_MS)) {
    if (!d.workflowId) continue;
    try {
      await startErpRequestWorkflow(client, taskQueue, {
        workflowId: d.workflowId,
        companyId: d.procoreCompanyId,
        erpRequestId: d.resourceId,
      });
      await markStarted(db, d.procoreCompanyId, d.deliveryId);
      started++;
    } catch (err) {
      const permanent = isPermanentStartError(err);
      logger[permanent ? 'error' : 'warn'](
        { companyId: d.procoreCompanyId, deliveryId: d.deliveryId, workflowId: d.workflowId, err },
        `could not start ${d.workflowId}: ${(err as Error).message}`,
      );
      await markStartFailed(db, d.procoreCompanyId, d.deliveryId, (err as Error).message, permanent);
    }
  }
  return started;
}

export function startInboxRelay(db: Db, client: () => Client | undefined, taskQueue: string, intervalMs: number) {
  let running = false;
  const timer = setInterval(async () => {
    const c = client();
    if (running || !c) return;
    running = true;
    try {
      const n = await relayPendingDeliveries(db, c, taskQueue);
      if (n > 0) logger.info({ started: n }, `started ${n} queued webhook deliveries`);
    } catch (err) {
      logger.warn({ err }, `relay pass failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}
