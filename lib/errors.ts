/**
 * The connector's closed set of error kinds. Class names double as Temporal `ApplicationFailure` types, so
 * retry policies can list the permanent ones in `nonRetryableErrorTypes` (see workflows/activity-options.ts).
 *
 * Messages never contain secrets: API clients build them from the method, the path (no query string with
 * tokens) and the provider's own error text.
 */

export type UpstreamSystem = 'procore' | 'acumatica';

interface UpstreamDetails {
  system: UpstreamSystem;
  status?: number;
  /** "GET /rest/v1.0/vendors/12": what the connector asked for, never headers or bodies with secrets. */
  request?: string;
  /** Per-field messages (Acumatica 422) keyed by field path. */
  fieldErrors?: Record<string, string>;
}

abstract class ConnectorError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly details?: UpstreamDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input or the remote data is wrong; retrying will not help until a person fixes it. */
export class ValidationError extends ConnectorError {
  readonly retryable = false;
}

/** Credentials are missing, wrong or revoked (after one refresh attempt). */
export class AuthError extends ConnectorError {
  readonly retryable = false;
}

/** The remote record does not exist. */
export class NotFoundError extends ConnectorError {
  readonly retryable = false;
}

/** A precondition or uniqueness rule failed (HTTP 409/412). */
export class ConflictError extends ConnectorError {
  readonly retryable = false;
}

/** Too many requests; `retryAfterMs` tells Temporal when to try again. */
export class RateLimitError extends ConnectorError {
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    details?: UpstreamDetails,
  ) {
    super(message, details);
  }
}

/**
 * 5xx, timeouts, connection resets: try again with back-off. A 503 that says when to come back (Retry-After, as
 * Procore and Acumatica send during maintenance) carries that wait as `retryAfterMs`, used as Temporal's next
 * retry delay instead of the policy's back-off.
 */
export class TransientUpstreamError extends ConnectorError {
  readonly retryable = true;
  constructor(
    message: string,
    details?: UpstreamDetails,
    readonly retryAfterMs?: number,
  ) {
    super(message, details);
  }
}

/** The permanent kinds, by class name: workflows list them as non-retryable (workflows/activity-options.ts). */
export const NON_RETRYABLE_ERROR_TYPES = ['ValidationError', 'AuthError', 'NotFoundError', 'ConflictError'];

export function isConnectorError(err: unknown): err is ConnectorError {
  return err instanceof ConnectorError;
}

export { ConnectorError };

/**
 * Turns an HTTP status into the right error kind. Shared by both API clients. `retryAfterMs` is the provider's
 * stated wait (Retry-After), if it gave one: a 429 without one waits 1 s, a 503 without one backs off as usual.
 */
export function errorForStatus(
  status: number,
  message: string,
  details: UpstreamDetails,
  retryAfterMs?: number,
): ConnectorError {
  if (status === 429) return new RateLimitError(message, retryAfterMs ?? 1000, details);
  if (status === 503) return new TransientUpstreamError(message, details, retryAfterMs);
  if (status === 401 || status === 403) return new AuthError(message, details);
  if (status === 404) return new NotFoundError(message, details);
  if (status === 409 || status === 412) return new ConflictError(message, details);
  if (status >= 500 || status === 408) return new TransientUpstreamError(message, details);
  return new ValidationError(message, details);
}
