/** Helpers to read activity failures in workflow code (no I/O; safe in the sandbox). */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** The ApplicationFailure type of a failed activity (the connector error class name), if any. */
export function failureType(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
  return undefined;
}

/** A message an accountant can act on: the upstream message without Temporal's wrapping. */
export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
