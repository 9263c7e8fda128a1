/**
 * Starts the workflows of accepted webhook deliveries, at most `concurrency` (default 4) at once, and records
 * them started in batches (one UPDATE per batch). The webhook route offers each delivery after answering it, so
 * under a burst the answers never wait for Temporal; what does not fit the queue stays pending in the inbox, and
 * the relay hands it back here later. Few starts at once leave a burst's CPU to the answers (bench intake: p95
 * ~220 ms with 4, ~1.1 s with 16, on 2 cores shared with the Temporal dev server); the starts catch up after.
 * A start that fails is recorded with its back-off (store/inbox.ts) for the relay to retry.
 */
import type { Client } from '@temporalio/client';
import { logger as rootLogger } from '../lib/logger';
import { markStartedMany, markStartFailed } from '../store/inbox';
import type { Db } from '../store/db';
import { isPermanentStartError, startErpRequestWorkflow, type StartTarget } from './workflow-starter';

/** Procore waits 5 s for an answer; a start slower than this is left to the relay. */
const START_BUDGET_MS = 2500;
const FLUSH_MS = 50;
const FLUSH_SIZE = 200;
const logger = rootLogger.child({ component: 'webhook-starts' });

export interface PendingStart {
  companyId: string;
  deliveryId: string;
  target: StartTarget;
}

export class StartQueue {
  private readonly queue: Array<{ client: Client; item: PendingStart; done: (ok: boolean) => void }> = [];
  private active = 0;
  private started: PendingStart[] = [];
  private flushing?: Promise<void>;
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly taskQueue: string,
    private readonly opts: { concurrency?: number; maxQueued?: number } = {},
  ) {}

  /** Queues a start; false when the queue is full (the delivery stays pending for the relay). */
  offer(client: Client, item: PendingStart): boolean {
    if (this.queue.length >= (this.opts.maxQueued ?? 2000)) return false;
    void this.enqueue(client, item);
    return true;
  }

  /** Starts every item (queued behind what is waiting) and resolves with how many started. */
  async startAll(client: Client, items: PendingStart[]): Promise<number> {
    const results = await Promise.all(items.map((item) => this.enqueue(client, item)));
    await this.flush();
    return results.filter(Boolean).length;
  }

  private enqueue(client: Client, item: PendingStart): Promise<boolean> {
    return new Promise((done) => {
      this.queue.push({ client, item, done });
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < (this.opts.concurrency ?? 4) && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.active++;
      void this.startOne(next.client, next.item)
        .then(next.done)
        .finally(() => {
          this.active--;
          this.pump();
        });
    }
  }

  private async startOne(client: Client, item: PendingStart): Promise<boolean> {
    try {
      await withTimeout(startErpRequestWorkflow(client, this.taskQueue, item.target), START_BUDGET_MS);
      this.started.push(item);
      if (this.started.length >= FLUSH_SIZE) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), FLUSH_MS);
      return true;
    } catch (err) {
      const permanent = isPermanentStartError(err);
      logger[permanent ? 'error' : 'warn'](
        { companyId: item.companyId, deliveryId: item.deliveryId, workflowId: item.target.workflowId, err },
        `could not start ${item.target.workflowId}: ${(err as Error).message}`,
      );
      await markStartFailed(this.db, item.companyId, item.deliveryId, (err as Error).message, permanent).catch(
        () => undefined,
      ); // the row stays pending: the relay picks it up
      return false;
    }
  }

  /** Records the started deliveries (a failed write leaves them pending: the relay's start is a no-op). */
  private async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flushing;
    const batch = this.started;
    this.started = [];
    if (batch.length === 0) return;
    this.flushing = markStartedMany(this.db, batch).catch(() => undefined);
    await this.flushing;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Temporal within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
