/**
 * The close-out of an export, measured: connector_exports_total and connector_export_latency_seconds (from the
 * webhook's receipt, i.e. the approval, to the request detail closed), plus one info line a person cares about.
 * Called by the finish and abandon activities after the request detail is closed, so a retried close-out that
 * failed before counts once.
 */
import { currentLogger } from '../lib/logger';
import { exportLatency, exportsTotal } from '../lib/metrics';
import type { Db } from '../store/db';
import { receivedAtOfWorkflow } from '../store/inbox';

export async function recordExportOutcome(
  db: Db,
  o: { companyId: string; workflowId: string; entity: string; outcome: 'success' | 'failed'; message?: string },
): Promise<void> {
  const labels = { company: o.companyId, entity: o.entity, outcome: o.outcome };
  exportsTotal.inc(labels);
  const receivedAt = await receivedAtOfWorkflow(db, o.companyId, o.workflowId).catch(() => undefined);
  const latencySeconds = receivedAt ? Math.max(0, (Date.now() - receivedAt.getTime()) / 1000) : undefined;
  if (latencySeconds !== undefined) exportLatency.observe(labels, latencySeconds);
  const log = currentLogger();
  const fields = { entity: o.entity, outcome: o.outcome, latencySeconds, message: o.message };
  if (o.outcome === 'success') log.info(fields, `export done: ${o.message ?? ''}`.trim());
  else log.warn(fields, `export failed: ${o.message ?? ''}`.trim());
}
