/**
 * Connecting, re-keying and disconnecting a Procore company (`npm run connector -- connect | rotate-token |
 * disconnect`). Connecting stores the connection, issues a fresh webhook bearer token (only its SHA-256 is kept)
 * and makes sure the company's Procore hook posts to the connector with that token and a trigger for
 * `ERP Requests`/create (procore-api.md §5.8 "ERP webhook wiring"), then creates or updates its import
 * schedules. Idempotent: running it again rotates the token and reuses the hook and trigger.
 */
import crypto from 'node:crypto';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { ProcoreClient } from '../clients/procore/client';
import { nightlyScheduleId, reconcileScheduleId } from '../lib/ids';
import { deleteConnection, setWebhookToken, upsertConnection, type CompanyConnection } from '../store/connections';
import type { Db } from '../store/db';

/** One namespace per integration, as Procore recommends. */
export const WEBHOOK_NAMESPACE = 'procore-acumatica-connector';
export const ERP_REQUESTS_RESOURCE = 'ERP Requests';

/** Where Procore posts: <apiPublicUrl>/webhooks/procore. */
export function webhookUrl(apiPublicUrl: string): string {
  return `${apiPublicUrl.replace(/\/+$/, '')}/webhooks/procore`;
}

export interface ConnectCompanyInput {
  db: Db;
  procore: ProcoreClient;
  connection: CompanyConnection;
  /** The connector's public base URL; the hook posts to <apiPublicUrl>/webhooks/procore. */
  apiPublicUrl: string;
  webhookApiVersion?: 'v2' | 'v3' | 'v4';
}

export async function connectCompany(input: ConnectCompanyInput): Promise<{ hookId: string }> {
  const { db, procore, connection, apiPublicUrl } = input;
  const webhookToken = newWebhookToken();
  await upsertConnection(db, { ...connection, webhookToken });
  const hookId = await pointHook(
    procore,
    connection.procoreCompanyId,
    apiPublicUrl,
    webhookToken,
    input.webhookApiVersion,
  );
  return { hookId };
}

/**
 * A new webhook token: stored (hashed) and set on the hook. Deliveries already queued by Procore with the old
 * token are refused (401) and retried by Procore with the hook's new headers (UNVERIFIED: Procore's docs do not
 * say whether a retry re-reads the hook's headers; if not, those deliveries are lost and `sync` recovers them).
 */
export async function rotateWebhookToken(input: {
  db: Db;
  procore: ProcoreClient;
  companyId: string;
  apiPublicUrl: string;
}): Promise<{ hookId: string }> {
  const webhookToken = newWebhookToken();
  if (!(await setWebhookToken(input.db, input.companyId, webhookToken)))
    throw new Error(`Company ${input.companyId} is not connected; see npm run connector -- list.`);
  return { hookId: await pointHook(input.procore, input.companyId, input.apiPublicUrl, webhookToken) };
}

export interface DisconnectResult {
  schedulesDeleted: string[];
  hooksDeleted: string[];
  connectionDeleted: boolean;
  purged: boolean;
}

/**
 * Stops a company: deletes its schedules, removes the connector's hook from Procore and deletes the connection
 * (webhooks for it are refused from then on). Links are kept unless `purge`, so a reconnect finds its records.
 * Each step tolerates what is already gone, so a disconnect that stopped halfway can simply be run again.
 */
export async function disconnectCompany(input: {
  db: Db;
  procore: ProcoreClient;
  temporal: Client;
  companyId: string;
  purge?: boolean;
}): Promise<DisconnectResult> {
  const { companyId } = input;
  const schedulesDeleted: string[] = [];
  for (const scheduleId of [nightlyScheduleId(companyId), reconcileScheduleId(companyId)]) {
    try {
      await input.temporal.schedule.getHandle(scheduleId).delete();
      schedulesDeleted.push(scheduleId);
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  const hooksDeleted: string[] = [];
  for (const hook of await input.procore.listHooks(companyId, WEBHOOK_NAMESPACE)) {
    await input.procore.deleteHook(companyId, String(hook.id));
    hooksDeleted.push(String(hook.id));
  }
  const connectionDeleted = await deleteConnection(input.db, companyId, input.purge);
  return { schedulesDeleted, hooksDeleted, connectionDeleted, purged: !!input.purge };
}

function newWebhookToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The company's one hook in our namespace posts to the connector with this token, and has the ERP trigger. */
async function pointHook(
  procore: ProcoreClient,
  companyId: string,
  apiPublicUrl: string,
  webhookToken: string,
  apiVersion: 'v2' | 'v3' | 'v4' = 'v2',
): Promise<string> {
  const destination = {
    destinationUrl: webhookUrl(apiPublicUrl),
    destinationHeaders: { Authorization: `Bearer ${webhookToken}` },
    apiVersion,
  };
  const [existing] = await procore.listHooks(companyId, WEBHOOK_NAMESPACE);
  const hook = existing
    ? await procore.updateHook(companyId, String(existing.id), destination)
    : await procore.createHook(companyId, { namespace: WEBHOOK_NAMESPACE, ...destination });
  const hookId = String(hook.id);

  const triggers = await procore.listTriggers(companyId, hookId);
  const hasTrigger = triggers.some((t) => t.resource_name === ERP_REQUESTS_RESOURCE && t.event_type === 'create');
  if (!hasTrigger)
    await procore.createTrigger(companyId, hookId, { resourceName: ERP_REQUESTS_RESOURCE, eventType: 'create' });
  return hookId;
}
