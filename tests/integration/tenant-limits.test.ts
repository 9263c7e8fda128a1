/**
 * A tenant's license limits hold across every worker together (#16): with the connection's limit of 2
 * concurrent requests, two workers (one in process, one a child process, each allowed 4 by its own pacer)
 * never have more than 2 requests open at the Acumatica simulator, and when one is SIGKILLed mid-run the other
 * takes over its share once its leases expire.
 */
import { DEMO_VENDORS } from 'simulator-common';
import { PgTenantLimiter } from '../../store/tenant-limiter';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
const saved = process.env.ACUMATICA_MAX_CONCURRENT;
beforeAll(async () => {
  process.env.ACUMATICA_MAX_CONCURRENT = '4';
  stack = await startConnectorStack({ worker: 'none', acumaticaSimulator: { maxApiUsers: 4 } });
  await stack.db.query(
    `UPDATE company_connections SET acumatica_max_concurrent = 2, acumatica_max_per_minute = 1000
     WHERE procore_company_id = $1`,
    [stack.companyId],
  );
});
afterAll(async () => {
  await stack?.killChildWorker();
  await stack?.stop();
  if (saved === undefined) delete process.env.ACUMATICA_MAX_CONCURRENT;
  else process.env.ACUMATICA_MAX_CONCURRENT = saved;
});

const peakInFlight = async () =>
  ((await (await fetch(`${stack.acumaticaUrl}/__admin/request-log`)).json()) as { peakInFlight: number }).peakInFlight;

test('two workers stay within the tenant limit together; a killed worker’s share is taken over', async () => {
  await stack.startInProcessWorker();
  await stack.startChildWorker();
  // Every data call takes a while, so both workers' requests overlap unless something holds them back.
  await stack.inject('acumatica', { path: '/entity/Default/*', kind: 'latency', latencyMs: 150, times: 0 });
  await fetch(`${stack.acumaticaUrl}/__admin/request-log`, { method: 'DELETE' });

  const exportAll = () => Promise.all(DEMO_VENDORS.map((v) => stack.accept(v.procoreId, { item_type: 'vendor' })));
  const allSucceed = async (started: Array<{ workflowId: string }>) => {
    for (const { workflowId } of started)
      expect(await stack.waitForWorkflow(workflowId, 120_000)).toMatchObject({ status: 'success' });
  };

  // Both workers busy: together they use the tenant's 2 slots, never more.
  await allSucceed(await exportAll());
  expect(await peakInFlight()).toBe(2);

  // Again, and one worker is killed mid-run: its leases expire and the other worker finishes everything.
  await fetch(`${stack.acumaticaUrl}/__admin/request-log`, { method: 'DELETE' });
  const second = await exportAll();
  await new Promise((r) => setTimeout(r, 300));
  await stack.killChildWorker();
  await allSucceed(second);
  expect(await peakInFlight()).toBeLessThanOrEqual(2);
});

describe('the shared limiter', () => {
  test('a tenant’s per-minute budget is shared: the request after it waits for the next minute', async () => {
    const key = `test-${Date.now()}`;
    const a = new PgTenantLimiter(stack.db, key, { maxConcurrent: 5, maxPerMinute: 3 });
    const b = new PgTenantLimiter(stack.db, key, { maxConcurrent: 5, maxPerMinute: 3 });
    const { rows } = await stack.db.query(`SELECT extract(second FROM now())::float AS s`);
    if (Number(rows[0].s) > 55) await new Promise((r) => setTimeout(r, 6000)); // stay inside one minute
    for (const limiter of [a, b, a]) expect(await limiter.run(async () => 'ok')).toBe('ok');
    const waiting = b.run(async () => 'too soon', AbortSignal.timeout(500));
    await expect(waiting).rejects.toThrow();
  });

  test('concurrent slots are leased per tenant: a third caller waits for one of two slots', async () => {
    const key = `test-c-${Date.now()}`;
    const limiter = new PgTenantLimiter(stack.db, key, { maxConcurrent: 2 });
    let open = 0;
    let peak = 0;
    const job = () =>
      limiter.run(async () => {
        peak = Math.max(peak, ++open);
        await new Promise((r) => setTimeout(r, 100));
        open--;
      });
    await Promise.all([job(), job(), job(), job()]);
    expect(peak).toBe(2);
  });
});
