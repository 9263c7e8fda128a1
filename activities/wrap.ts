/**
 * Applied to every activity by createActivities:
 *  - heartbeats while the activity runs, so a killed worker is noticed within the heartbeat timeout instead of
 *    the (long) start-to-close timeout that slow Acumatica calls need;
 *  - casts the connector's errors into ApplicationFailures whose `type` is the error class name, permanent
 *    ones non-retryable, and rate limits and 503s with the provider's stated wait as the next retry delay.
 * Unknown errors pass through unchanged (Temporal retries them).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isConnectorError, RateLimitError, TransientUpstreamError, ValidationError } from '../lib/errors';

const HEARTBEAT_EVERY_MS = 2000;

/**
 * A PostgreSQL integrity-constraint violation (SQLSTATE class 23: a duplicate link, a missing parent row) is the
 * same on every retry: it becomes a permanent ValidationError naming the constraint, never a retry loop.
 */
function fromConstraintViolation(err: unknown): ValidationError | undefined {
  const pg = err as { code?: unknown; constraint?: unknown; detail?: unknown; message?: unknown };
  if (typeof pg?.code !== 'string' || !pg.code.startsWith('23')) return undefined;
  const what = typeof pg.detail === 'string' ? ` ${pg.detail}` : '';
  return new ValidationError(
    `The connector's database refused the change (${String(pg.constraint ?? pg.code)}):${what} ` +
      'Another Procore record is already linked to this Acumatica record; link or rename one of them, then resend.',
  );
}

export function toApplicationFailure(err: unknown): unknown {
  err = fromConstraintViolation(err) ?? err;
  if (!isConnectorError(err)) return err;
  return ApplicationFailure.create({
    type: err.name,
    message: err.message,
    nonRetryable: !err.retryable,
    nextRetryDelay:
      err instanceof RateLimitError || err instanceof TransientUpstreamError ? err.retryAfterMs : undefined,
    details: err.details?.fieldErrors ? [err.details.fieldErrors] : undefined,
    cause: err,
  });
}

export function wrapActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const ctx = Context.current();
      timer = setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS);
    } catch {
      // Called outside an activity (unit tests): nothing to heartbeat.
    }
    try {
      return await fn(...args);
    } catch (err) {
      throw toApplicationFailure(err);
    } finally {
      if (timer) clearInterval(timer);
    }
  };
}

type AnyAsync = (...args: never[]) => Promise<unknown>;

export function wrapAll<T extends Record<string, AnyAsync>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [name, wrapActivity(fn as (...a: unknown[]) => Promise<unknown>)]),
  ) as unknown as T;
}
