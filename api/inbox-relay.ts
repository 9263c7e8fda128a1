/**
 * Starts the workflows of inbox rows that were accepted but not started (Temporal was down or slow when the
 * webhook arrived). Runs in every API process; concurrent relays are harmless because a second start of the
 * same workflow ID is recognised as "already started".
 */
import type { Client } from '@temporalio/client';
import { logger as rootLogger } from '../lib/logger';
import type { Db } from '../store/db';
import { listPending } from '../store/inbox';
import { StartQueue } from './start-queue';

const logger = rootLogger.child({ component: 'relay' });

/** Leave fresh rows to the webhook handler that is still starting them. */
const MIN_AGE_MS = 3000;

export async function relayPendingDeliveries(
  db: Db,
  client: Client,
  taskQueue: string,
  starts: StartQueue = new StartQueue(db, taskQueue),
): Promise<number> {
  const pending = (await listPending(db, MIN_AGE_MS)).filter((d) => d.workflowId);
  return starts.startAll(
    client,
    pending.map((d) => ({
      companyId: d.procoreCompanyId,
      deliveryId: d.deliveryId,
      target: {
        workflowId: d.workflowId!,
        companyId: d.procoreCompanyId,
        erpRequestId: d.resourceId,
        companyName: d.companyName ?? undefined,
      },
    })),
  );
}

export function startInboxRelay(db: Db, client: () => Client | undefined, taskQueue: string, intervalMs: number) {
  const starts = new StartQueue(db, taskQueue);
  let running = false;
  const timer = setInterval(async () => {
    const c = client();
    if (running || !c) return;
    running = true;
    try {
      const n = await relayPendingDeliveries(db, c, taskQueue, starts);
      if (n > 0) logger.info({ started: n }, `started ${n} queued webhook deliveries`);
    } catch (err) {
      logger.warn({ err }, `relay pass failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}
