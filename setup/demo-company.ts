/**
 * The demo company on the simulators: its connection and the links a first vendor/project import would have
 * recorded (Procore vendor <-> Acumatica VendorID, project <-> ProjectID). Used by `npm start` and the tests.
 */
import { DEMO_COMPANY, DEMO_PROJECT, DEMO_VENDORS } from 'simulator-common';
import type { CompanyConnection } from '../store/connections';
import type { Db } from '../store/db';
import { upsertLink } from '../store/links';

/** The environment variable the demo connection's Acumatica password is read from. */
export const DEMO_PASSWORD_ENV = `ACUMATICA_PASSWORD_${DEMO_COMPANY.procoreCompanyId}`;

export function demoConnection(
  acumaticaUrl: string,
  companyId: string = DEMO_COMPANY.procoreCompanyId,
): CompanyConnection {
  return {
    procoreCompanyId: companyId,
    name: DEMO_COMPANY.name,
    acumaticaUrl,
    acumaticaTenant: DEMO_COMPANY.acumaticaTenant,
    acumaticaBranch: DEMO_COMPANY.branches[0].branchId,
    acumaticaUsername: DEMO_COMPANY.acumaticaLogin.name,
    acumaticaPasswordRef: `env:${DEMO_PASSWORD_ENV}`,
    branches: DEMO_COMPANY.branches.map((b) => b.branchId),
    // A US company: contract payments are imported (on demand and nightly).
    optInImports: ['payments'],
  };
}

/** `idBase`: a company the Procore simulator added with ProcoreStore.addCompany (its ids are idBase + demo id). */
export async function seedDemoLinks(
  db: Db,
  companyId: string = DEMO_COMPANY.procoreCompanyId,
  idBase = 0n,
): Promise<void> {
  const id = (demoId: string) => (idBase + BigInt(demoId)).toString();
  for (const v of DEMO_VENDORS) {
    if (!v.acumaticaVendorId) continue;
    await upsertLink(db, {
      procoreCompanyId: companyId,
      procoreEntity: 'vendor',
      procoreId: id(v.procoreId),
      acumaticaEntity: 'Vendor',
      acumaticaKey: v.acumaticaVendorId,
    });
  }
  await upsertLink(db, {
    procoreCompanyId: companyId,
    procoreEntity: 'project',
    procoreId: id(DEMO_PROJECT.procoreId),
    acumaticaEntity: 'Project',
    acumaticaKey: DEMO_PROJECT.acumaticaProjectId,
  });
}
