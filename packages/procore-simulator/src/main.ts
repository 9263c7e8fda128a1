/**
 * `npm run sim:procore`: the Procore simulator on its own, seeded with the demo company.
 *
 *   PROCORE_SIM_PORT                      port (default 4010)
 *   PROCORE_SIM_SIZE                      demo (default) | small | large
 *   PROCORE_SIM_SEED                      PRNG seed for small/large (default 1)
 *   PROCORE_SIM_WEBHOOK_TIME_COMPRESSION  divides webhook retry back-off (default 1)
 */
import { DEMO_PROCORE_CLIENT } from 'simulator-common';
import type { SeedSize } from './seed';
import { createProcoreSimulator } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.PROCORE_SIM_PORT ?? 4010);
  const compression = Number(process.env.PROCORE_SIM_WEBHOOK_TIME_COMPRESSION ?? 1);
  const size = (process.env.PROCORE_SIM_SIZE ?? 'demo') as SeedSize;
  if (!['demo', 'small', 'large', 'inflight'].includes(size))
    throw new Error(`PROCORE_SIM_SIZE must be demo, small, large or inflight`);
  const sim = createProcoreSimulator({
    webhookTimeCompression: compression,
    seed: { size, seed: Number(process.env.PROCORE_SIM_SEED ?? 1) },
  });
  const { url, close } = await sim.listen(port);
  // The demo credentials are public (also in the README): the simulator holds no real secrets.
  console.log(`Procore simulator listening on ${url} (${size} data)`);
  console.log(`  client_id:     ${DEMO_PROCORE_CLIENT.clientId}`);
  console.log(`  client_secret: ${DEMO_PROCORE_CLIENT.clientSecret}`);
  console.log(`  company id:    ${sim.store.demoCompanyId}`);
  console.log(`  token:         POST ${url}/oauth/token (grant_type=client_credentials)`);
  console.log(`  admin:         ${url}/__admin/state`);
  const shutdown = () => void close().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
