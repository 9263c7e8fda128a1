/**
 * The license's request limits (acumatica-api.md §4, "License Restrictions for API Users"):
 *
 *  - Maximum Number of Concurrent Web Services API Requests (N): every request except sign-out goes into one
 *    queue; N "API processing cores" work on it in parallel, the others wait.
 *  - Maximum Number of Web Services API Requests per Minute (L): once the current minute has used half of L,
 *    each new request is delayed by (time left in the minute) / (requests left in the minute); with none left it
 *    waits for the next minute.
 *  - A request is declined (429) only when more than 20 requests already wait, or it waited more than 10 minutes.
 *    Declined requests do not count. There is no header telling a client it was queued: it just waits.
 *
 * A trial license has neither limit (undefined = unlimited). `windowMs` exists so tests can compress the minute.
 */
import type { NextFunction, Request, Response } from 'express';

export interface RequestLimits {
  maxConcurrent?: number;
  maxPerMinute?: number;
  /** Length of the "minute" (default 60 000 ms). */
  windowMs?: number;
  /** Declined when more than this many already wait (default 20). */
  maxQueued?: number;
  /** Declined after waiting this long (default 10 minutes). */
  maxWaitMs?: number;
}

interface Waiter {
  start: () => void;
  decline: (why: string) => void;
  timer: NodeJS.Timeout;
  delayed?: boolean;
}

export class LicenseRequestLimiter {
  private active = 0;
  private queue: Waiter[] = [];
  private windowStart = 0;
  private windowCount = 0;
  private pumpTimer?: NodeJS.Timeout;
  private declined = 0;
  private peakActive = 0;

  constructor(
    public limits: RequestLimits = {},
    private readonly now: () => number = Date.now,
  ) {}

  configure(limits: RequestLimits): void {
    this.limits = { ...this.limits, ...limits };
    this.pump();
  }

  stats() {
    return {
      ...this.limits,
      active: this.active,
      queued: this.queue.length,
      windowCount: this.windowCount,
      declined: this.declined,
      peakActive: this.peakActive,
    };
  }

  reset(): void {
    for (const w of this.queue) {
      clearTimeout(w.timer);
      w.decline('The simulator was reset.');
    }
    this.queue = [];
    this.windowCount = 0;
    this.windowStart = 0;
    this.declined = 0;
    this.peakActive = this.active;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
  }

  /** Resolves with a release function once the request may run; rejects with the 429 reason when declined. */
  enter(): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (this.queue.length > (this.limits.maxQueued ?? 20)) {
        this.declined++;
        reject(new Error('API request limit: more than 20 requests are already waiting in the queue.'));
        return;
      }
      const waiter: Waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.active--;
            this.pump();
          });
        },
        decline: (why) => reject(new Error(why)),
        timer: setTimeout(
          () => {
            this.queue = this.queue.filter((w) => w !== waiter);
            this.declined++;
            waiter.decline('API request limit: the request waited in the queue for more than 10 minutes.');
          },
          this.limits.maxWaitMs ?? 10 * 60_000,
        ),
      };
      waiter.timer.unref?.();
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Delay the head of the queue must wait before it may start (per-minute rule), in ms. */
  private delay(): number {
    const limit = this.limits.maxPerMinute;
    if (!limit) return 0;
    const windowMs = this.limits.windowMs ?? 60_000;
    const t = this.now();
    if (t - this.windowStart >= windowMs) {
      this.windowStart = t;
      this.windowCount = 0;
    }
    const left = this.windowStart + windowMs - t;
    if (this.windowCount >= limit) return left;
    if (this.windowCount < limit / 2) return 0;
    return left / (limit - this.windowCount);
  }

  private pump(): void {
    if (this.pumpTimer) return;
    while (this.queue.length > 0 && this.active < (this.limits.maxConcurrent ?? Infinity)) {
      const head = this.queue[0];
      const wait = this.delay();
      const exhausted = this.windowCount >= (this.limits.maxPerMinute ?? Infinity);
      // The head waits its delay once; a used-up minute makes it wait for the next one however long it waited.
      if (wait > 0 && (exhausted || !head.delayed)) {
        head.delayed = true;
        this.pumpTimer = setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      const w = this.queue.shift()!;
      this.active++;
      this.peakActive = Math.max(this.peakActive, this.active);
      this.windowCount++;
      w.start();
    }
  }

  /** Express middleware: queues every request except sign-out; 429 HttpError when declined. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.path.startsWith('/__admin') || req.path === '/entity/auth/logout') return next();
      this.enter().then(
        (release) => {
          res.once('finish', release);
          res.once('close', release);
          next();
        },
        (err: Error) => {
          res.status(429).json({ message: err.message, exceptionMessage: err.message });
        },
      );
    };
  }
}
