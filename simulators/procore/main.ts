/** `npm run sim:procore`: the Procore simulator on its own, on PROCORE_SIM_PORT (default 4010). */
import { DEMO_PROCORE_CLIENT } from '../demo-data';
import { createProcoreSimulator } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.PROCORE_SIM_PORT ?? 4010);
  const compression = Number(process.env.PROCORE_SIM_WEBHOOK_TIME_COMPRESSION ?? 1);
  const sim = createProcoreSimulator({ webhookTimeCompression: compression });
  const { url, close } = await sim.listen(port);
  console.log(`Procore simulator listening on ${url}`);
  console.log(`  client_id:     ${DEMO_PROCORE_CLIENT.clientId}`);
  console.log(`  client_secret: ${DEMO_PROCORE_CLIENT.clientSecret}`);
  console.log(`  company id:    ${sim.store.demoCompanyId}`);
  console.log(`  admin:         ${url}/__admin/state`);
  const shutdown = () => void close().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
