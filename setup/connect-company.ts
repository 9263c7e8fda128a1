/**
 * Connects a Procore company to its Acumatica tenant: stores the connection, issues a fresh webhook bearer
 * token (only its SHA-256 is kept) and makes sure the company's Procore hook points at the connector with
 * that token and a trigger for `ERP Requests`/create (procore-api.md §5.8 "ERP webhook wiring").
 * Idempotent: running it again rotates the token and reuses the hook and trigger.
 */
import crypto from 'node:crypto';
import type { ProcoreClient } from '../clients/procore/client';
import { upsertConnection, type CompanyConnection } from '../store/connections';
import type { Db } from '../store/db';

/** One namespace per integration, as Procore recommends. */
export const WEBHOOK_NAMESPACE = 'procore-acumatica-connector';
export const ERP_REQUESTS_RESOURCE = 'ERP Requests';

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
  const companyId = connection.procoreCompanyId;
  const webhookToken = crypto.randomBytes(32).toString('base64url');
  await upsertConnection(db, { ...connection, webhookToken });

  const destination = {
    destinationUrl: `${apiPublicUrl.replace(/\/$/, '')}/webhooks/procore`,
    destinationHeaders: { Authorization: `Bearer ${webhookToken}` },
    apiVersion: input.webhookApiVersion ?? 'v2',
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
  return { hookId };
}
