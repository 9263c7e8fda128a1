/**
 * Both simulators with the demo company, the database migrated, and the demo company connected to them.
 * `npm start` runs it on fixed ports; tests run it on random ports. Returns the environment the worker needs
 * (Procore credentials, the Acumatica password under the connection's secret reference).
 */
import { ProcoreClient } from '../clients/procore/client';
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY, DEMO_PROCORE_CLIENT } from 'simulator-common';
import { createProcoreSimulator } from 'procore-simulator/src/server';
import { createPool, migrate } from '../store/db';
import { connectCompany } from '../connections/connect';
import { DEMO_PASSWORD_ENV, demoConnection, seedDemoLinks } from './demo-company';

export interface DemoStackOptions {
  databaseUrl: string;
  procorePort?: number;
  acumaticaPort?: number;
  apiPublicUrl: string;
  procoreSimulator?: Parameters<typeof createProcoreSimulator>[0];
  acumaticaSimulator?: Parameters<typeof createAcumaticaSimulator>[0];
}

export async function setupDemoStack(opts: DemoStackOptions) {
  const procoreSim = createProcoreSimulator(opts.procoreSimulator);
  const acumaticaSim = createAcumaticaSimulator(opts.acumaticaSimulator);
  const procoreServer = await procoreSim.listen(opts.procorePort ?? 0);
  const acumaticaServer = await acumaticaSim.listen(opts.acumaticaPort ?? 0);

  const db = createPool(opts.databaseUrl, 2);
  await migrate(db);
  const procore = new ProcoreClient({
    baseUrl: procoreServer.url,
    clientId: DEMO_PROCORE_CLIENT.clientId,
    clientSecret: DEMO_PROCORE_CLIENT.clientSecret,
  });
  await connectCompany({
    db,
    procore,
    connection: demoConnection(acumaticaServer.url),
    apiPublicUrl: opts.apiPublicUrl,
  });
  await seedDemoLinks(db);
  await db.end();

  return {
    companyId: DEMO_COMPANY.procoreCompanyId,
    tenant: DEMO_COMPANY.acumaticaTenant,
    branches: DEMO_COMPANY.branches.map((b) => b.branchId),
    procoreUrl: procoreServer.url,
    acumaticaUrl: acumaticaServer.url,
    procoreSim,
    acumaticaSim,
    env: {
      PROCORE_API_URL: procoreServer.url,
      PROCORE_CLIENT_ID: DEMO_PROCORE_CLIENT.clientId,
      PROCORE_CLIENT_SECRET: DEMO_PROCORE_CLIENT.clientSecret,
      [DEMO_PASSWORD_ENV]: DEMO_COMPANY.acumaticaLogin.password,
    } as Record<string, string>,
    async close() {
      await procoreServer.close();
      await acumaticaServer.close();
    },
  };
}
