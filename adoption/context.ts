/** The clients of one connected company, for the onboard / reconcile / exceptions scripts. */
import { CompanyClients } from '../activities/company-clients';
import { ProcoreClient } from '../clients/procore/client';
import { createPool } from '../store/db';
import type { AdoptionContext } from './read';

export async function companyContext(
  companyId: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ctx: AdoptionContext; close(): Promise<void> }> {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const db = createPool(env.DATABASE_URL, 2);
  const companies = new CompanyClients(db);
  const procore = new ProcoreClient({
    baseUrl: env.PROCORE_API_URL ?? 'https://api.procore.com',
    authUrl: env.PROCORE_AUTH_URL,
    clientId: env.PROCORE_CLIENT_ID ?? '',
    clientSecret: env.PROCORE_CLIENT_SECRET ?? '',
  });
  const acumatica = await companies.acumatica(companyId);
  return {
    ctx: { db, procore, acumatica, companyId },
    async close() {
      await companies.closeAll();
      await db.end();
    },
  };
}

/** Runs `use` with the company's clients and closes them after, whatever the outcome. */
export async function withCompanyContext<T>(companyId: string, use: (ctx: AdoptionContext) => Promise<T>): Promise<T> {
  const { ctx, close } = await companyContext(companyId);
  try {
    return await use(ctx);
  } finally {
    await close();
  }
}
