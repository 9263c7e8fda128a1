/**
 * Each connected company's import schedules, created or updated idempotently whenever the API starts:
 *  - nightly-import-<company>: delta import of the nightly kinds (cron in the company's time zone);
 *  - weekly-reconcile-<company>: full read that also retires what Acumatica deleted (it keeps no tombstones).
 * Overlap SKIP: a run never starts while the previous one is still going. Catch-up window: a run missed while
 * Temporal was down is made up within 6 hours, later ones are dropped (the next night covers them).
 * Both show in the Web UI's Schedules page and `temporal schedule list`, where they can be paused or triggered.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { DEFAULT_NIGHTLY_IMPORT_CRON, DEFAULT_RECONCILE_CRON, DEFAULT_TIME_ZONE } from '../lib/defaults';
import { nightlyImportWorkflowId, nightlyScheduleId, reconcileScheduleId, reconcileWorkflowId } from '../lib/ids';
import { NIGHTLY_IMPORT_KINDS } from '../lib/import-kinds';
import { laneTaskQueue } from '../lib/lanes';
import { ProcoreCompanyId } from '../lib/search-attributes';
import type { CompanyConnection } from '../store/connections';
import type { importWorkflow } from '../workflows/import';

function scheduleOptions(
  scheduleId: string,
  workflowId: string,
  connection: CompanyConnection,
  cron: string,
  mode: 'delta' | 'full',
  taskQueue: string,
): ScheduleOptions {
  const companyId = connection.procoreCompanyId;
  return {
    scheduleId,
    spec: { cronExpressions: [cron], timezone: connection.timeZone ?? DEFAULT_TIME_ZONE },
    action: {
      type: 'startWorkflow',
      workflowType: 'importWorkflow',
      taskQueue: laneTaskQueue(taskQueue, companyId),
      workflowId,
      // Schedule actions take no priority in SDK 1.24: the run passes its level to its scopes and activities.
      args: [{ companyId, entities: NIGHTLY_IMPORT_KINDS, mode, priority: 'scheduled' }] satisfies Parameters<
        typeof importWorkflow
      >,
      typedSearchAttributes: [{ key: ProcoreCompanyId, value: companyId }],
      staticSummary: `${mode === 'full' ? 'Weekly reconciliation' : 'Nightly import'} for ${connection.name}`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours' },
    typedSearchAttributes: [{ key: ProcoreCompanyId, value: companyId }],
    memo: { company: connection.name },
  };
}

async function createOrUpdate(client: Client, options: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
    return 'updated';
  }
}

export async function ensureImportSchedules(client: Client, connection: CompanyConnection, taskQueue: string) {
  const id = connection.procoreCompanyId;
  return {
    nightly: await createOrUpdate(
      client,
      scheduleOptions(
        nightlyScheduleId(id),
        nightlyImportWorkflowId(id),
        connection,
        connection.nightlyImportCron ?? DEFAULT_NIGHTLY_IMPORT_CRON,
        'delta',
        taskQueue,
      ),
    ),
    reconcile: await createOrUpdate(
      client,
      scheduleOptions(
        reconcileScheduleId(id),
        reconcileWorkflowId(id),
        connection,
        connection.reconcileCron ?? DEFAULT_RECONCILE_CRON,
        'full',
        taskQueue,
      ),
    ),
  };
}
