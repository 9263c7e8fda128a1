/**
 * The API's one error shape: `{ "error": { "code", "message", "issues"?: [{ "path", "message" }] } }`.
 * Codes are stable; messages say what was wrong and what to do.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { NextFunction, Request, Response } from 'express';
import type { ZodError } from 'zod';
import { logger } from '../lib/logger';

export type ApiErrorCode =
  | 'unauthorized'
  | 'invalid_request'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  invalid_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: Array<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

export function zodIssues(err: ZodError): Array<{ path: string; message: string }> {
  return err.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

export function sendError(res: Response, err: ApiError): void {
  res.status(STATUS[err.code]).json({ error: { code: err.code, message: err.message, issues: err.issues } });
}

/** Last middleware: known errors keep their code; anything else is a 500 without internals. */
export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof ApiError) return sendError(res, err);
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.too.large') {
    return sendError(res, new ApiError('payload_too_large', 'Request body is larger than the 256 kB limit.'));
  }
  if (e.type === 'entity.parse.failed') {
    return sendError(res, new ApiError('invalid_request', 'Request body is not valid JSON.'));
  }
  logger.error({ err, component: 'api' }, 'unhandled error');
  sendError(res, new ApiError('internal', 'Internal error; the operation was not completed. Try again.'));
}

/**
 * A workflow the API ran for its answer (a preview) failed on input the caller can fix - a ValidationError or
 * NotFoundError raised by its activity: that error as a 400 with its message. Anything else: undefined (a 500).
 */
export function refusedByWorkflow(err: unknown): ApiError | undefined {
  if (!(err instanceof WorkflowFailedError)) return undefined;
  let cause: unknown = err.cause;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure) && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure && (cause.type === 'ValidationError' || cause.type === 'NotFoundError'))
    return new ApiError('invalid_request', cause.message);
  return undefined;
}
