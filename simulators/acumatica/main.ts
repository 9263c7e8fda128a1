/**
 * `npm run sim:acumatica`: runs the Acumatica simulator standalone.
 *   ACUMATICA_SIM_PORT (default 4020), ACUMATICA_SIM_RELEASE (default 2024R1),
 *   ACUMATICA_SIM_SUBCONTRACT_EXTENSION=1 (Subcontract on 20/22 endpoints), ACUMATICA_SIM_MAX_API_USERS (default 2).
 */
import { DEMO_COMPANY } from '../demo-data';
import { RELEASES, type AcumaticaRelease } from './contract';
import { createAcumaticaSimulator } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.ACUMATICA_SIM_PORT ?? 4020);
  const release = (process.env.ACUMATICA_SIM_RELEASE ?? '2024R1') as AcumaticaRelease;
  if (!RELEASES.includes(release)) {
    console.error(`ACUMATICA_SIM_RELEASE must be one of ${RELEASES.join(', ')}`);
    process.exit(2);
  }
  const sim = createAcumaticaSimulator({
    release,
    subcontractExtension: ['1', 'true', 'yes'].includes(
      String(process.env.ACUMATICA_SIM_SUBCONTRACT_EXTENSION ?? '').toLowerCase(),
    ),
    maxApiUsers: process.env.ACUMATICA_SIM_MAX_API_USERS ? Number(process.env.ACUMATICA_SIM_MAX_API_USERS) : undefined,
  });
  const { url, close } = await sim.listen(port);
  console.log(`Acumatica simulator (${release}) listening on ${url}`);
  console.log(`  Default endpoints: ${sim.versions.map((v) => `${url}/entity/Default/${v}/`).join('  ')}`);
  console.log(`  Tenant: ${DEMO_COMPANY.acumaticaTenant}`);
  console.log(`  Branches: ${DEMO_COMPANY.branches.map((b) => `${b.branchId} (${b.name})`).join(', ')}`);
  console.log(`  Demo login: ${DEMO_COMPANY.acumaticaLogin.name} / ${DEMO_COMPANY.acumaticaLogin.password}`);
  console.log(`  Admin: ${url}/__admin/state, /__admin/faults, /__admin/reset, /__admin/snapshot, /__admin/clock`);
  const stop = async (): Promise<void> => {
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
