/**
 * Client-side pacing for one Acumatica tenant, so the connector stays inside the license's request limits instead
 * of discovering them through queueing and 429s (acumatica-api.md §4).
 *
 * A connection that names its tenant's limits (`connect --acumatica-*`) is paced across all workers together by
 * shared-limiter.ts (PostgreSQL); this pacer then only caps what one process sends at once. Without them, the two
 * layers below apply, with per-process numbers from ACUMATICA_MAX_*:
 *
 * How it combines across worker processes (the mechanism, in two layers):
 *
 *  1. Across processes: Temporal's task-queue rate limit. Each company's Acumatica activities run in its lane
 *     (lib/lanes.ts), a task queue whose workers set `maxTaskQueueActivitiesPerSecond`; the Temporal server enforces it for the whole queue,
 *     however many worker processes poll it. Set it to (tenant per-minute limit x share) / 60 - e.g. 100/min and
 *     a 0.8 share -> 1.33 activities/s - so the sum of all processes' activity starts stays under the minute
 *     budget. An activity makes a few requests (find + create + read back), so budget per request, not per
 *     activity: maxTaskQueueActivitiesPerSecond = perMinute x share / 60 / requestsPerActivity.
 *  2. Inside a process: this limiter. It caps requests in flight (`maxConcurrent`, at most the license's
 *     concurrent-request limit divided by the number of worker processes, at least 1) and spends the per-minute
 *     budget (`maxPerMinute`, the tenant's limit divided by the number of worker processes) the way the license
 *     does: freely up to half the minute's budget, then spacing each request by (time left in the minute) /
 *     (requests left), and waiting for the next minute when none are left. Smoothing the second half keeps
 *     bursts from one process from filling Acumatica's shared queue (which declines at > 20 waiting requests).
 *
 * Layer 1 alone cannot bound concurrency (an activity's requests overlap) and layer 2 alone cannot see other
 * processes; together they keep every process within the tenant's limits. A 429 that still happens (another
 * integration on the same tenant) is a RateLimitError, which Temporal retries with back-off.
 */

export interface PacingOptions {
  /** Requests in flight at once from this process (default 4). */
  maxConcurrent?: number;
  /** Requests per minute from this process (default: unlimited). */
  maxPerMinute?: number;
  /** Length of the budget window (default 60 000 ms; tests shorten it). */
  windowMs?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class RequestPacer {
  private active = 0;
  private readonly queue: Waiter[] = [];
  private windowStart = 0;
  private windowCount = 0;
  private nextAt = 0;
  private timer?: NodeJS.Timeout;
  /** Highest number of requests in flight seen (for tests and metrics). */
  peakActive = 0;
  readonly maxConcurrent: number;
  readonly maxPerMinute?: number;
  private readonly windowMs: number;

  constructor(
    opts: PacingOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 4);
    this.maxPerMinute = opts.maxPerMinute;
    this.windowMs = opts.windowMs ?? 60_000;
  }

  /** Runs `fn` when the pacing allows; the slot is held until `fn` settles. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.active--;
      this.pump();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('Aborted'));
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal.reason ?? new Error('Aborted'));
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.pump();
    });
  }

  /** Milliseconds until the next request may start under the per-minute rule (0 = now). */
  private wait(): number {
    const limit = this.maxPerMinute;
    if (!limit) return 0;
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t;
      this.windowCount = 0;
      this.nextAt = 0;
    }
    const left = this.windowStart + this.windowMs - t;
    if (this.windowCount >= limit) return left;
    if (this.windowCount < limit / 2) return 0;
    return Math.max(0, this.nextAt - t);
  }

  private pump(): void {
    if (this.timer) return;
    while (this.queue.length > 0 && this.active < this.maxConcurrent) {
      const wait = this.wait();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        this.timer.unref?.();
        return;
      }
      const w = this.queue.shift()!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      this.active++;
      this.peakActive = Math.max(this.peakActive, this.active);
      this.windowCount++;
      const limit = this.maxPerMinute;
      if (limit && this.windowCount >= limit / 2) {
        // Second half of the budget: space the next request by (time left) / (requests left).
        const t = this.now();
        const left = this.windowStart + this.windowMs - t;
        this.nextAt = t + left / Math.max(1, limit - this.windowCount);
      }
      w.resolve();
    }
  }
}
