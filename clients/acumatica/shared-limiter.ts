/**
 * A tenant's license limits enforced across every worker process (store/tenant-limiter.ts keeps the count in
 * PostgreSQL): requests in flight and requests per minute. The per-process pacer (limiter.ts) still runs in
 * front of it, so one process never queues more than it could send.
 */
export interface SharedRequestLimiter {
  /** Runs `fn` once the tenant has a free concurrent-request slot and budget left in the current minute. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}
