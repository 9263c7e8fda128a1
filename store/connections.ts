/**
 * Connected companies. Each Procore company's Acumatica instance and webhook token are looked up here by
 * activities and the API, so nothing about a connection (least of all a secret) travels in workflow input.
 */
import { DEFAULT_NIGHTLY_IMPORT_CRON, DEFAULT_RECONCILE_CRON, DEFAULT_TIME_ZONE } from '../lib/defaults';
import crypto from 'node:crypto';
import { withTransaction, type Db } from './db';

/**
 * What `disconnect --purge` forgets about a company: links, import state and the exception/adoption lists. The
 * audit log and the webhook inbox are history and stay.
 */
const PURGED_TABLES = [
  'links',
  'import_watermarks',
  'import_exceptions',
  'procore_match_index',
  'procore_match_index_builds',
  'procore_project_cost_codes',
  'export_claims',
  'acumatica_observations',
  'adoptions',
  'adoption_reviews',
  'exception_dismissals',
  'tax_categories',
];

export interface CompanyConnection {
  procoreCompanyId: string;
  name: string;
  acumaticaUrl: string;
  acumaticaTenant: string;
  acumaticaBranch: string | null;
  acumaticaUsername: string;
  /** Where the password lives, e.g. `env:ACUMATICA_PASSWORD_4271`; resolved by lib/secrets.ts. */
  acumaticaPasswordRef: string;
  branches: string[];
  /** Cron of the nightly delta import and of the weekly full reconciliation, in `timeZone` (IANA). */
  nightlyImportCron?: string;
  reconcileCron?: string;
  timeZone?: string;
  /** Pinned Acumatica endpoint (e.g. an extended endpoint); unset = `Default`, version negotiated. */
  acumaticaEndpointName?: string | null;
  acumaticaEndpointVersion?: string | null;
  /** Import kinds the company opted into (payments). */
  optInImports?: string[];
  /**
   * The tenant's license limits, honoured by all workers together (store/tenant-limiter.ts, sessions in
   * store/acumatica-sessions.ts); unset = each worker paces itself with ACUMATICA_MAX_* (lib/config.ts).
   */
  acumaticaMaxPerMinute?: number | null;
  acumaticaMaxConcurrent?: number | null;
  acumaticaMaxSessions?: number | null;
}

export interface NewCompanyConnection extends CompanyConnection {
  /** The bearer token Procore echoes on every webhook delivery; only its SHA-256 is stored. */
  webhookToken: string;
}

export function sha256(value: string): Buffer {
  return crypto.createHash('sha256').update(value, 'utf8').digest();
}

const COLUMNS = `procore_company_id AS "procoreCompanyId", name, acumatica_url AS "acumaticaUrl",
  acumatica_tenant AS "acumaticaTenant", acumatica_branch AS "acumaticaBranch",
  acumatica_username AS "acumaticaUsername", acumatica_password_ref AS "acumaticaPasswordRef", branches,
  nightly_import_cron AS "nightlyImportCron", reconcile_cron AS "reconcileCron", time_zone AS "timeZone",
  acumatica_endpoint_name AS "acumaticaEndpointName", acumatica_endpoint_version AS "acumaticaEndpointVersion",
  opt_in_imports AS "optInImports", acumatica_max_per_minute AS "acumaticaMaxPerMinute",
  acumatica_max_concurrent AS "acumaticaMaxConcurrent", acumatica_max_sessions AS "acumaticaMaxSessions"`;

export async function upsertConnection(db: Db, c: NewCompanyConnection): Promise<void> {
  await db.query(
    `INSERT INTO company_connections (procore_company_id, name, acumatica_url, acumatica_tenant, acumatica_branch,
       acumatica_username, acumatica_password_ref, branches, webhook_token_sha256, nightly_import_cron,
       reconcile_cron, time_zone, acumatica_endpoint_name, acumatica_endpoint_version, opt_in_imports,
       acumatica_max_per_minute, acumatica_max_concurrent, acumatica_max_sessions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, $13), COALESCE($11, $14), COALESCE($12, $15), $16, $17,
       COALESCE($18::text[], '{}'), $19, $20, $21)
     ON CONFLICT (procore_company_id) DO UPDATE SET name = $2, acumatica_url = $3, acumatica_tenant = $4,
       acumatica_branch = $5, acumatica_username = $6, acumatica_password_ref = $7, branches = $8,
       webhook_token_sha256 = $9, nightly_import_cron = COALESCE($10, company_connections.nightly_import_cron),
       reconcile_cron = COALESCE($11, company_connections.reconcile_cron),
       time_zone = COALESCE($12, company_connections.time_zone), acumatica_endpoint_name = $16,
       acumatica_endpoint_version = $17, opt_in_imports = COALESCE($18::text[], company_connections.opt_in_imports),
       acumatica_max_per_minute = $19, acumatica_max_concurrent = $20, acumatica_max_sessions = $21,
       updated_at = now()`,
    [
      c.procoreCompanyId,
      c.name,
      c.acumaticaUrl,
      c.acumaticaTenant,
      c.acumaticaBranch,
      c.acumaticaUsername,
      c.acumaticaPasswordRef,
      c.branches,
      sha256(c.webhookToken),
      c.nightlyImportCron ?? null,
      c.reconcileCron ?? null,
      c.timeZone ?? null,
      DEFAULT_NIGHTLY_IMPORT_CRON,
      DEFAULT_RECONCILE_CRON,
      DEFAULT_TIME_ZONE,
      c.acumaticaEndpointName ?? null,
      c.acumaticaEndpointVersion ?? null,
      c.optInImports ?? null,
      c.acumaticaMaxPerMinute ?? null,
      c.acumaticaMaxConcurrent ?? null,
      c.acumaticaMaxSessions ?? null,
    ],
  );
}

/** A new webhook token for the company (only its SHA-256 is stored); false when the company is not connected. */
export async function setWebhookToken(db: Db, procoreCompanyId: string, webhookToken: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE company_connections SET webhook_token_sha256 = $2, updated_at = now() WHERE procore_company_id = $1',
    [procoreCompanyId, sha256(webhookToken)],
  );
  return rowCount === 1;
}

/**
 * Removes a company's connection (its webhooks are refused from then on). Links, audit and the exception list
 * stay unless `purge`, so reconnecting later finds every record it linked before.
 */
export async function deleteConnection(db: Db, procoreCompanyId: string, purge = false): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    if (purge) {
      for (const table of PURGED_TABLES)
        await tx.query(`DELETE FROM ${table} WHERE procore_company_id = $1`, [procoreCompanyId]);
    }
    const { rowCount } = await tx.query('DELETE FROM company_connections WHERE procore_company_id = $1', [
      procoreCompanyId,
    ]);
    return rowCount === 1;
  });
}

export async function getConnection(db: Db, procoreCompanyId: string): Promise<CompanyConnection | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM company_connections WHERE procore_company_id = $1`, [
    procoreCompanyId,
  ]);
  return rows[0];
}

/**
 * Which company a webhook bearer token belongs to. The lookup is by SHA-256 (so the database never sees the
 * token), then the digests are compared in constant time; equal-length digests make timingSafeEqual safe.
 */
export async function findCompanyByWebhookToken(
  db: Db,
  token: string,
): Promise<{ companyId: string; name: string } | undefined> {
  const digest = sha256(token);
  const { rows } = await db.query(
    'SELECT procore_company_id, name, webhook_token_sha256 FROM company_connections WHERE webhook_token_sha256 = $1',
    [digest],
  );
  const row = rows[0];
  if (!row || !crypto.timingSafeEqual(row.webhook_token_sha256 as Buffer, digest)) return undefined;
  return { companyId: row.procore_company_id as string, name: row.name as string };
}

export async function listConnections(db: Db): Promise<CompanyConnection[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM company_connections ORDER BY procore_company_id`);
  return rows;
}
