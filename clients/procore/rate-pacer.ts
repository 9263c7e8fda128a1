/**
 * Client-side pacing from Procore's rate-limit headers (X-Rate-Limit-Limit / -Remaining / -Reset, which
 * describe whichever window, hourly or 10-second spike, runs out first).
 *
 *  - While the window's state is unknown (first call, or after its reset) one request goes out as a probe and the
 *    rest wait for the next answer, which tells them how much room there is: a burst of concurrent calls cannot
 *    overrun the limit. Requests still in flight from the previous window do not hold the probe back: one slow
 *    call (an import's large sync) would otherwise stall every company's calls at each reset (issue 16).
 *  - Known and used up: wait for the reset when it is near (the spike window), else throw RateLimitError with
 *    the delay without sending anything (the hourly window: Temporal should schedule the retry, not a sleep).
 *  - Background calls (reads ahead of need) count a window as used up while less than BACKGROUND_RESERVE of it is
 *    left, so a prefetch never delays the writes an import is waiting on.
 */
import { RateLimitError } from '../../lib/errors';

/** The share of each window background calls leave to the others. */
const BACKGROUND_RESERVE = 0.3;

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  /** Epoch ms when the reported window resets. */
  resetAtMs: number;
}

export class RatePacer {
  private state: RateLimitSnapshot | undefined;
  private inFlight = 0;
  /** A request sent while the window's state was unknown is out; its answer tells the others. */
  private probing = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly now: () => number,
    /** Longest wait done in process before giving the delay to the caller instead. */
    private readonly maxWaitMs: number,
  ) {}

  get snapshot(): RateLimitSnapshot | undefined {
    return this.state && { ...this.state };
  }

  /** Resolves when a request may be sent; call the returned release with the response headers (or none). */
  async acquire(request: string, opts: { background?: boolean } = {}): Promise<(headers?: Headers) => void> {
    let probe = false;
    for (;;) {
      const s = this.state;
      const known = s !== undefined && this.now() < s.resetAtMs;
      if (!known) {
        if (!this.probing) {
          this.probing = true;
          probe = true;
          break;
        }
        await this.nextResponse();
        continue;
      }
      const reserve = opts.background ? Math.ceil(s.limit * BACKGROUND_RESERVE) : 0;
      if (s.remaining - this.inFlight > reserve) break;
      const wait = s.resetAtMs - this.now();
      if (wait > this.maxWaitMs) {
        throw new RateLimitError(
          `Procore ${request}: rate limit of ${s.limit} used up; it resets in ${Math.ceil(wait / 1000)} s`,
          wait,
          { system: 'procore', status: 429, request },
        );
      }
      // A little past the reset second, so the next window has surely started on Procore's side.
      await sleep(wait + 50);
    }
    this.inFlight++;
    let released = false;
    return (headers?: Headers) => {
      if (released) return;
      released = true;
      this.inFlight--;
      if (probe) this.probing = false;
      if (headers) this.observe(headers);
      this.waiters.splice(0).forEach((w) => w());
    };
  }

  /** Records the window a response describes. */
  observe(headers: Headers): void {
    const limit = int(headers.get('x-rate-limit-limit'));
    const remaining = int(headers.get('x-rate-limit-remaining'));
    const reset = int(headers.get('x-rate-limit-reset'));
    if (limit === undefined || remaining === undefined || reset === undefined) return;
    const resetAtMs = reset * 1000;
    const s = this.state;
    // Answers can arrive out of order: within one window the lowest remaining is the truth.
    if (s && s.resetAtMs === resetAtMs && s.limit === limit) s.remaining = Math.min(s.remaining, remaining);
    else if (!s || resetAtMs >= s.resetAtMs || this.now() >= s.resetAtMs) this.state = { limit, remaining, resetAtMs };
  }

  private nextResponse(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

function int(v: string | null): number | undefined {
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
