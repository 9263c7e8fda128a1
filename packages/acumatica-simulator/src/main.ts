/**
 * `npm run sim:acumatica`: runs the Acumatica simulator standalone, seeded with the demo tenant.
 *   ACUMATICA_SIM_PORT (default 4020), ACUMATICA_SIM_RELEASE (default 2024R1; 2022R1 ... 2026R2),
 *   ACUMATICA_SIM_EXTENSION_ENDPOINT=<name> (a customer's endpoint extension <name>/<newest Default version> with
 *   Default's entities plus Subcontract where Default lacks it), ACUMATICA_SIM_MAX_API_USERS (default 2),
 *   ACUMATICA_SIM_SIZE (demo | small | large), ACUMATICA_SIM_MAX_CONCURRENT / ACUMATICA_SIM_MAX_PER_MINUTE
 *   (license request limits; default none), ACUMATICA_SIM_PO_APPROVAL=1.
 */
import { DEMO_COMPANY } from 'simulator-common';
import { RELEASES, type AcumaticaRelease } from './contract';
import { SEED_SIZES, type SeedSize } from './seed';
import { createAcumaticaSimulator, DEMO_OAUTH_CLIENT } from './server';

const flag = (v: string | undefined): boolean => ['1', 'true', 'yes'].includes(String(v ?? '').toLowerCase());
const num = (v: string | undefined): number | undefined => (v ? Number(v) : undefined);

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.ACUMATICA_SIM_PORT ?? 4020);
  const release = (env.ACUMATICA_SIM_RELEASE ?? '2024R1') as AcumaticaRelease;
  const size = (env.ACUMATICA_SIM_SIZE ?? 'demo') as SeedSize;
  if (!RELEASES.includes(release)) {
    console.error(`ACUMATICA_SIM_RELEASE must be one of ${RELEASES.join(', ')}`);
    process.exit(2);
  }
  if (!SEED_SIZES.includes(size)) {
    console.error(`ACUMATICA_SIM_SIZE must be one of ${SEED_SIZES.join(', ')}`);
    process.exit(2);
  }
  const sim = createAcumaticaSimulator({
    release,
    size,
    extensionEndpoint: env.ACUMATICA_SIM_EXTENSION_ENDPOINT
      ? { name: env.ACUMATICA_SIM_EXTENSION_ENDPOINT }
      : undefined,
    maxApiUsers: num(env.ACUMATICA_SIM_MAX_API_USERS),
    limits: {
      maxConcurrent: num(env.ACUMATICA_SIM_MAX_CONCURRENT),
      maxPerMinute: num(env.ACUMATICA_SIM_MAX_PER_MINUTE),
    },
    settings: { poApprovalRequired: flag(env.ACUMATICA_SIM_PO_APPROVAL) },
  });
  const { url, close } = await sim.listen(port);
  console.log(`Acumatica simulator (${release}, ${size} seed) listening on ${url}`);
  console.log(`  Default endpoints: ${sim.versions.map((v) => `${url}/entity/Default/${v}/`).join('  ')}`);
  if (sim.extension)
    console.log(
      `  Extension endpoint (listed to signed-in callers): ${url}/entity/${sim.extension.name}/${sim.extension.version}/`,
    );
  console.log(`  Tenant: ${DEMO_COMPANY.acumaticaTenant}`);
  console.log(`  Branches: ${DEMO_COMPANY.branches.map((b) => `${b.branchId} (${b.name})`).join(', ')}`);
  console.log(`  Demo login: ${DEMO_COMPANY.acumaticaLogin.name} / ${DEMO_COMPANY.acumaticaLogin.password}`);
  console.log(`  OAuth client: ${DEMO_OAUTH_CLIENT.clientId} / ${DEMO_OAUTH_CLIENT.clientSecret}`);
  console.log(`  Admin: ${url}/__admin/state, /__admin/faults, /__admin/reset, /__admin/snapshot, /__admin/config`);
  const stop = async (): Promise<void> => {
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
