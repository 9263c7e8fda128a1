/**
 * The worker's activity interceptor: every activity runs with a log context, so each log line it (or the
 * clients it calls) writes carries workflowId, runId, activityType, attempt and companyId, and where the input
 * names them the entity, the Procore id and the Acumatica key. No activity passes them by hand:
 *  - the SDK's activity logger (`log` of @temporalio/activity, Context.log, the SDK's own "Activity completed"
 *    / "Activity failed" lines) gets the input's fields through `getLogAttributes`;
 *  - the pino child bound with `withLogContext` serves the clients' request logs (lib/upstream-observer.ts) and
 *    labels their metrics with the company.
 * Inputs carry ids only (ARCHITECTURE.md "No secrets in history"), so nothing secret can reach a log this way.
 */
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { NON_RETRYABLE_ERROR_TYPES } from '../lib/errors';
import { logger, withLogContext } from '../lib/logger';
import { importsTotal } from '../lib/metrics';
import { upstreamCall } from '../workflows/activity-options';

const text = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;

/** Log fields from an activity's input object (first argument): ids and kinds only. */
export function activityLogFields(input: unknown): Record<string, string> {
  if (!input || typeof input !== 'object') return {};
  const a = input as Record<string, Record<string, unknown> | undefined> & Record<string, unknown>;
  const exported = a.exported as
    { kind?: unknown; procoreId?: unknown; result?: { acumaticaKey?: unknown } } | undefined;
  const fields: Record<string, string | undefined> = {
    companyId: text(a.companyId) ?? text(a.claim?.companyId),
    entity: text(a.kind) ?? text(exported?.kind) ?? text(a.claim?.kind),
    procoreId: text(a.procoreId) ?? text(exported?.procoreId) ?? text(a.claim?.procoreId) ?? text(a.source?.procoreId),
    acumaticaKey: text(a.acumaticaKey) ?? text(exported?.result?.acumaticaKey),
    erpRequestId: text(a.erpRequestId),
    branch: text(a.branch),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** The activities an import scope runs: one failing for good fails that entity's import (connector_imports_total). */
const IMPORT_ACTIVITIES = new Set(['importPageActivity', 'flushImportWritesActivity']);

/** A permanent error, or the last attempt the import activities' retry policy allows. */
export function endsTheRun(err: unknown, attempt: number): boolean {
  const name = (err as { name?: string; type?: string })?.type ?? (err as Error)?.name;
  return NON_RETRYABLE_ERROR_TYPES.includes(String(name)) || attempt >= (upstreamCall.retry?.maximumAttempts ?? 0);
}

export const activityLogContext: ActivityInterceptorsFactory = (ctx: Context) => {
  let fields: Record<string, string> = {};
  return {
    inbound: {
      async execute(input, next) {
        fields = activityLogFields(input.args[0]);
        const { info } = ctx;
        const child = logger.child({
          workflowId: info.workflowExecution?.workflowId,
          runId: info.workflowExecution?.runId,
          workflowType: info.workflowType,
          activityType: info.activityType,
          activityId: info.activityId,
          attempt: info.attempt,
          taskQueue: info.taskQueue,
          ...fields,
        });
        return withLogContext({ logger: child, companyId: fields.companyId }, async () => {
          child.debug('Activity started');
          try {
            return await next(input);
          } catch (err) {
            if (IMPORT_ACTIVITIES.has(info.activityType) && endsTheRun(err, info.attempt))
              importsTotal.inc({ company: fields.companyId ?? '', entity: fields.entity ?? '', outcome: 'failure' });
            throw err;
          }
        });
      },
    },
    outbound: {
      getLogAttributes(attributes, next) {
        // The SDK names the run `workflowRunId` in activity lines and `runId` in workflow lines: both here.
        return next({ runId: attributes.workflowRunId, ...attributes, ...fields });
      },
    },
  };
};
