/**
 * Activity timeout and retry profiles. Activities heartbeat every 2 s (activities/wrap.ts), so a killed
 * worker is detected after HEARTBEAT_TIMEOUT and the attempt moves to another worker; start-to-close stays
 * long because Acumatica may queue a request for up to 10 minutes under its license limits
 * (acumatica-api.md §4).
 */
import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../lib/errors';

/** Calls to Procore or Acumatica: retried with back-off for ~15 minutes, then the export fails visibly. */
export const upstreamCall: ActivityOptions = {
  startToCloseTimeout: '11 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
};

/** The connector's own database. */
export const database: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 30 },
};
