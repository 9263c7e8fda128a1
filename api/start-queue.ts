/**
 * Starts the workflows of accepted webhook deliveries, at most `concurrency` (default 4) at once, and records
 * them started in batches (one UPDATE per batch). The webhook route offers each delivery after answering it, so
 * under a burst the answers never wait for Temporal; what does not fit the queue stays pending in the inbox, and
 * the relay hands it back here later.
 *
 * Answers first: while deliveries arrive faster than BURST_PER_SECOND (a month-end burst), starts wait until the
 * burst passes (each at most MAX_DEFER_MS), because every start costs the Temporal server and this process CPU the
 * answers need. Measured with `npm run bench -- intake` (500/s for 20 s, 2 cores shared with the Temporal dev
 * server): starting during the burst, even one at a time, put answer p99 at 3.7 s; deferred, the answers alone
 * take p50 5 ms. The starts catch up after the burst at `concurrency` at once. Normal traffic never waits.
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

/**
 * Deliveries queued or starting in this process, across queues: the relay's pass must not start again what the
 * webhook route's queue still holds (under a burst the queue is longer than the relay's 3 s grace, and every
 * duplicate start is a Temporal round trip taken from the answers).
 */
const inProcess = new Set<string>();
const keyOf = (item: PendingStart) => `${item.companyId}\n${item.deliveryId}`;

/** Above this many deliveries a second, starts wait for the burst to pass. */
const BURST_PER_SECOND = 50;
/** The longest a start waits for a burst to pass. */
const MAX_DEFER_MS = 30_000;
const BUCKET_MS = 100;
/** Deliveries received in each of the last ten 100 ms buckets (process-wide: the route and the relay). */
const arrivals = { buckets: new Array<number>(10).fill(0), current: 0 };

function bucketNow(): number {
  const b = Math.floor(Date.now() / BUCKET_MS);
  if (b !== arrivals.current) {
    const gap = Math.min(b - arrivals.current, 10);
    for (let i = 1; i <= gap; i++) arrivals.buckets[(arrivals.current + i) % 10] = 0;
    arrivals.current = b;
  }
  return b % 10;
}

/** The webhook route calls this for every delivery it receives. */
export function noteDeliveryArrival(): void {
  arrivals.buckets[bucketNow()]++;
}

/**
 * Above this many deliveries in the current 100 ms, starts wait too: a burst is seen within its first few
 * milliseconds instead of after 50 deliveries, whose starts (Temporal round trips) slowed the burst's first answers
 * (`npm run bench -- intake`: p99 of the first second 0.4-0.55 s, later seconds under 40 ms).
 */
const SPIKE_PER_BUCKET = 10;

/** Whether deliveries are arriving faster than BURST_PER_SECOND (over the last second) or spiking right now. */
export function inBurst(): boolean {
  const current = bucketNow();
  return arrivals.buckets[current] > SPIKE_PER_BUCKET || arrivals.buckets.reduce((s, n) => s + n, 0) > BURST_PER_SECOND;
}

export class StartQueue {
  private readonly queue: Array<{ client: Client; item: PendingStart; done: (ok: boolean) => void; at: number }> = [];
  private deferTimer?: NodeJS.Timeout;
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
    const key = keyOf(item);
    if (inProcess.has(key)) return Promise.resolve(false);
    inProcess.add(key);
    return new Promise<boolean>((done) => {
      this.queue.push({ client, item, done, at: Date.now() });
      this.pump();
    }).finally(() => inProcess.delete(key));
  }

  private pump(): void {
    if (this.queue.length > 0 && inBurst() && Date.now() - this.queue[0].at < MAX_DEFER_MS) {
      this.deferTimer ??= setTimeout(() => {
        this.deferTimer = undefined;
        this.pump();
      }, BUCKET_MS);
      return;
    }
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
