/**
 * The webhook inbox. A delivery is inserted before Procore gets its 2xx; the unique key (company, delivery id)
 * turns Procore's at-least-once redeliveries into no-ops.
 */
import type { Db } from './db';

export interface InboxDelivery {
  procoreCompanyId: string;
  deliveryId: string;
  resourceName: string;
  resourceId: string;
  eventType: string;
  /** The workflow this delivery starts, or null when no flow handles the event (stored as 'ignored'). */
  workflowId: string | null;
  payload: unknown;
}

export interface PendingDelivery extends InboxDelivery {
  startAttempts: number;
  /** The company's name (for the workflow's summary); null once it is disconnected. */
  companyName: string | null;
}

/**
 * Stores deliveries in one statement (store/inbox-writer.ts batches them). Returns the keys
 * (`<company>\u0000<delivery id>`) it inserted: a delivery already stored is left as it is (a redelivery).
 */
export async function insertDeliveries(db: Db, deliveries: InboxDelivery[]): Promise<Set<string>> {
  const column = (f: (d: InboxDelivery) => string | null) => deliveries.map(f);
  const { rows } = await db.query(
    `INSERT INTO webhook_inbox (procore_company_id, delivery_id, payload, resource_name, resource_id, event_type,
       workflow_id, status)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (procore_company_id, delivery_id) DO NOTHING
     RETURNING procore_company_id, delivery_id`,
    [
      column((d) => d.procoreCompanyId),
      column((d) => d.deliveryId),
      column((d) => JSON.stringify(d.payload)),
      column((d) => d.resourceName),
      column((d) => d.resourceId),
      column((d) => d.eventType),
      column((d) => d.workflowId),
      column((d) => (d.workflowId ? 'pending' : 'ignored')),
    ],
  );
  return new Set(rows.map((r) => `${r.procore_company_id}\u0000${r.delivery_id}`));
}

/** Deliveries whose workflow started, in one statement. */
export async function markStartedMany(
  db: Db,
  deliveries: Array<{ companyId: string; deliveryId: string }>,
): Promise<void> {
  await db.query(
    `UPDATE webhook_inbox AS w SET status = 'started', workflow_started_at = now(),
       start_attempts = w.start_attempts + 1, last_error = NULL
     FROM unnest($1::text[], $2::text[]) AS s(company_id, delivery_id)
     WHERE w.procore_company_id = s.company_id AND w.delivery_id = s.delivery_id`,
    [deliveries.map((d) => d.companyId), deliveries.map((d) => d.deliveryId)],
  );
}

/** Longest wait between two starts of one delivery. */
const MAX_BACKOFF_SECONDS = 600;

/**
 * A start that failed: tried again after 2^attempts seconds (at most 10 minutes), so a delivery Temporal keeps
 * refusing never holds up the newer ones. `permanent`: it can never succeed (Temporal refused the request
 * itself): the row is marked failed with its error, for an operator to look at.
 */
export async function markStartFailed(
  db: Db,
  procoreCompanyId: string,
  deliveryId: string,
  error: string,
  permanent = false,
) {
  await db.query(
    `UPDATE webhook_inbox SET start_attempts = start_attempts + 1, last_error = $3,
       status = CASE WHEN $4 THEN 'failed' ELSE status END,
       next_attempt_at = now() + make_interval(secs => LEAST(power(2, start_attempts + 1), $5))
     WHERE procore_company_id = $1 AND delivery_id = $2`,
    [procoreCompanyId, deliveryId, error.slice(0, 1000), permanent, MAX_BACKOFF_SECONDS],
  );
}

/** Deliveries accepted but not yet handed to Temporal, oldest first, older than `minAgeMs`. */
export async function listPending(db: Db, minAgeMs: number, limit = 100): Promise<PendingDelivery[]> {
  const { rows } = await db.query(
    `SELECT w.procore_company_id AS "procoreCompanyId", delivery_id AS "deliveryId", resource_name AS "resourceName",
       resource_id AS "resourceId", event_type AS "eventType", workflow_id AS "workflowId", payload,
       start_attempts AS "startAttempts", c.name AS "companyName"
     FROM webhook_inbox w LEFT JOIN company_connections c ON c.procore_company_id = w.procore_company_id
     WHERE status = 'pending' AND received_at < now() - make_interval(secs => $1)
       AND (next_attempt_at IS NULL OR next_attempt_at <= now())
     ORDER BY received_at LIMIT $2`,
    [minAgeMs / 1000, limit],
  );
  return rows;
}

/** For metrics: deliveries waiting for a start, the oldest one's age, and those failed for good. */
export async function inboxStats(db: Db): Promise<{ pending: number; oldestPendingSeconds: number; failed: number }> {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
       COALESCE(EXTRACT(EPOCH FROM now() - min(received_at) FILTER (WHERE status = 'pending')), 0)::float8
         AS "oldestPendingSeconds",
       count(*) FILTER (WHERE status = 'failed')::int AS failed
     FROM webhook_inbox WHERE status IN ('pending', 'failed')`,
  );
  return rows[0];
}

/** When the first delivery that started this workflow was received (the approval), if it came by webhook. */
export async function receivedAtOfWorkflow(
  db: Db,
  procoreCompanyId: string,
  workflowId: string,
): Promise<Date | undefined> {
  const { rows } = await db.query(
    `SELECT min(received_at) AS "receivedAt" FROM webhook_inbox WHERE procore_company_id = $1 AND workflow_id = $2`,
    [procoreCompanyId, workflowId],
  );
  return rows[0]?.receivedAt ?? undefined;
}
