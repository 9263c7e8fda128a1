/**
 * The worker process is SIGKILLed in the middle of a vendor import: the first page's 1,000 vendors are queued and
 * their sync has been applied in Procore, but its answer has not arrived. A new worker picks the page up
 * after the heartbeat timeout, sends the same origin_ids again (Procore's sync matches them, so nothing is
 * created twice), links them, and finishes the import. Every Acumatica vendor ends up in Procore exactly once.
 */
import { val } from '../../clients/acumatica/client';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

/** Enough vendors in one branch for two pages of 1,000 (lib/import-kinds.ts IMPORT_PAGE_SIZES). */
const EXTRA_VENDORS = 1200;
const BRANCH = 'HQ';

let stack: ConnectorStack;
let hqVendors: string[];

beforeAll(async () => {
  // The killed worker never logs out of Acumatica: its session holds an API-user slot until the idle timeout.
  stack = await startConnectorStack({ worker: 'child-process', acumaticaSimulator: { maxApiUsers: 4 } });
  for (let i = 0; i < EXTRA_VENDORS; i++) {
    const id = `V9${String(i).padStart(5, '0')}`;
    stack.acumaticaSim.store.insertRaw(
      'Vendor',
      {
        VendorID: id,
        VendorName: `Crash Test Supply ${i}`,
        Status: 'Active',
        VendorClass: 'SUPPLIER',
        LastModifiedDateTime: '2024-03-01T15:00:00.000+00:00',
      },
      { branches: [BRANCH] },
    );
  }
  const visible = await stack.acumatica.list('Vendor', { select: ['VendorID'], branch: BRANCH });
  hqVendors = visible.map((v) => String(val(v.VendorID)));
});
afterAll(async () => {
  await stack?.stop();
});

/** Procore vendors per Acumatica VendorID (origin_id), straight from the Procore simulator's store. */
function procoreVendorsByOrigin(): Map<string, number> {
  const wanted = new Set(hqVendors);
  const counts = new Map<string, number>();
  for (const v of stack.procoreSim.store.state.vendors) {
    if (v.origin_id && wanted.has(v.origin_id)) counts.set(v.origin_id, (counts.get(v.origin_id) ?? 0) + 1);
  }
  return counts;
}

async function importLinks(): Promise<number> {
  const { rows } = await stack.db.query(
    `SELECT count(*)::int AS n FROM links WHERE procore_company_id = $1 AND procore_entity = 'vendor'
       AND data_hash IS NOT NULL AND branch = $2 AND deleted_at IS NULL`,
    [stack.companyId, BRANCH],
  );
  return rows[0].n;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('killing the worker while import pages are written, then restarting it, imports every vendor exactly once', async () => {
  expect(hqVendors.length).toBeGreaterThan(1000); // two pages
  // Page one fills a 1,000-vendor sync batch: Procore applies it, and its answer hangs until it is lost.
  await stack.inject('procore', {
    method: 'PATCH',
    path: '/rest/v1.0/vendors/sync',
    kind: 'commit_then_drop',
    latencyMs: 30_000,
  });

  const res = await stack.apiFetch(`/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities: ['vendors'], branch: BRANCH }),
  });
  expect(res.status).toBe(202);
  const { workflowId } = (await res.json()) as { workflowId: string };

  // Mid-import: page one's batch committed in Procore (1,000 vendors there), nothing linked yet; then the kill.
  await until('the first batch is applied in Procore', () => procoreVendorsByOrigin().size >= 1000);
  await stack.killChildWorker();
  expect(procoreVendorsByOrigin().size).toBe(1000);
  expect(await importLinks()).toBe(0);

  await stack.startChildWorker();
  const totals = await stack.waitForWorkflow<{ read: number; written: number; exceptions: number; pages: number }>(
    workflowId,
    150_000,
  );

  const byOrigin = procoreVendorsByOrigin();
  expect(byOrigin.size).toBe(hqVendors.length); // every Acumatica vendor is in Procore...
  expect([...byOrigin.values()].filter((n) => n !== 1)).toEqual([]); // ...exactly once
  expect(await importLinks()).toBe(hqVendors.length);
  // The killed attempt's page counts once: the page was retried, not added.
  expect(totals).toMatchObject({ read: hqVendors.length, written: hqVendors.length, exceptions: 0, pages: 2 });
}, 240_000);
