/**
 * importWorkflow and importEntityWorkflow with stub activities: the scope plan (branches, writes after the
 * entities they refer to), delta and full runs (watermark with overlap, deletions), paging, preparing while
 * writes wait, and a failing scope failing the run.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { importWorkflow } from '../../workflows/import';
import { failure, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness([
    'loadCompanyBranchesActivity',
    'getImportWatermarkActivity',
    'importPageActivity',
    'prepareQueuedWritesActivity',
    'flushImportWritesActivity',
    'reconcileDeletionsActivity',
    'advanceImportWatermarkActivity',
  ]);
}, 120_000);
afterAll(() => h?.close());

type PageInput = { kind: string; branch: string | null; since: string | null; skip: number; trackSeen: boolean };
const page = (over: Record<string, unknown> = {}) => ({
  read: 2,
  unchanged: 1,
  exceptions: 0,
  maxModified: '2026-11-30T10:00:00.000Z',
  hasMore: false,
  prepare: false,
  ...over,
});
const baseStubs = {
  loadCompanyBranchesActivity: async () => ['HQ', 'WEST'],
  getImportWatermarkActivity: async () => '2026-11-29T02:00:00.000Z',
  importPageActivity: async () => page(),
  prepareQueuedWritesActivity: async () => ({ more: false }),
  flushImportWritesActivity: async () => ({ written: 1 }),
  reconcileDeletionsActivity: async () => 3,
  advanceImportWatermarkActivity: async () => undefined,
};
const run = (entities: string[], mode: 'delta' | 'full' = 'delta') =>
  h.env.client.workflow.execute(importWorkflow, {
    taskQueue: h.taskQueue,
    workflowId: `a2p-4271-import-test-${Math.random().toString(36).slice(2)}`,
    args: [{ companyId: '4271', entities, mode }],
  });
const scopeOf = (input: unknown) => {
  const i = input as { kind: string; branch: string | null };
  return `${i.kind}@${i.branch ?? 'company'}`;
};
const flushOrder = () => h.calls.filter((c) => c.name === 'flushImportWritesActivity').map((c) => scopeOf(c.input));

describe('importWorkflow', () => {
  it('plans one scope per branch for branch-scoped entities and totals every scope', async () => {
    h.stub(baseStubs);
    const progress = await run(['vendors', 'cost_codes']);
    expect(progress.scopes).toEqual({ 'vendors@HQ': 'done', 'vendors@WEST': 'done', 'cost_codes@company': 'done' });
    expect(progress).toMatchObject({ read: 6, unchanged: 3, written: 3, pages: 3, retired: 0 });
  });

  it('writes wait for the entities they refer to and for the previous branch; reads do not', async () => {
    let releaseCostTypes: () => void = () => undefined;
    const costTypesMayFlush = new Promise<void>((r) => (releaseCostTypes = r));
    h.stub({
      ...baseStubs,
      flushImportWritesActivity: async (input) => {
        if (scopeOf(input) === 'cost_types@company') await costTypesMayFlush;
        return { written: 1 };
      },
    });
    const done = run(['direct_costs', 'vendors', 'cost_types']);
    // every scope reads its pages at once, while cost types hold their writes back
    while (h.calls.filter((c) => c.name === 'importPageActivity').length < 4)
      await new Promise((r) => setTimeout(r, 20));
    expect(flushOrder()).not.toContain('direct_costs@company');
    releaseCostTypes();
    await done;
    const order = flushOrder();
    expect(order.indexOf('vendors@WEST')).toBeGreaterThan(order.indexOf('vendors@HQ'));
    for (const dep of ['vendors@HQ', 'vendors@WEST', 'cost_types@company']) {
      expect(order.indexOf('direct_costs@company')).toBeGreaterThan(order.indexOf(dep));
    }
  });

  it('delta: reads from the watermark minus 5 minutes, page by page, and moves the watermark to the newest record', async () => {
    let pages = 0;
    h.stub({
      ...baseStubs,
      importPageActivity: async () =>
        ++pages === 1 ? page({ hasMore: true, maxModified: '2026-11-30T11:00:00.000Z' }) : page(),
    });
    const progress = await run(['cost_codes']);
    expect(progress.pages).toBe(2);
    const reads = h.calls.filter((c) => c.name === 'importPageActivity').map((c) => c.input as PageInput);
    expect(reads.map((r) => [r.since, r.skip, r.trackSeen])).toEqual([
      ['2026-11-29T01:55:00.000Z', 0, false],
      ['2026-11-29T01:55:00.000Z', 2, false],
    ]);
    const advanced = h.calls.find((c) => c.name === 'advanceImportWatermarkActivity')!.input;
    expect(advanced).toMatchObject({ kind: 'cost_codes', to: '2026-11-30T11:00:00.000Z' });
    expect(h.calls.some((c) => c.name === 'reconcileDeletionsActivity')).toBe(false);
  });

  it('full: reads everything, records what it saw and retires what Acumatica deleted', async () => {
    h.stub(baseStubs);
    const progress = await run(['cost_codes'], 'full');
    expect(h.calls.some((c) => c.name === 'getImportWatermarkActivity')).toBe(false);
    const read = h.calls.find((c) => c.name === 'importPageActivity')!.input as PageInput;
    expect(read).toMatchObject({ since: null, trackSeen: true });
    expect(progress.retired).toBe(3);
  });

  it('while its writes wait, a scope prepares what its queued records need', async () => {
    let releaseVendors: () => void = () => undefined;
    const vendorsMayFlush = new Promise<void>((r) => (releaseVendors = r));
    h.stub({
      ...baseStubs,
      loadCompanyBranchesActivity: async () => ['HQ'],
      importPageActivity: async (input) => page({ prepare: (input as PageInput).kind === 'direct_costs' }),
      flushImportWritesActivity: async (input) => {
        if (scopeOf(input) === 'vendors@HQ') await vendorsMayFlush;
        return { written: 1 };
      },
    });
    const done = run(['direct_costs', 'vendors']);
    while (!h.calls.some((c) => c.name === 'prepareQueuedWritesActivity')) await new Promise((r) => setTimeout(r, 20));
    releaseVendors();
    await done;
    expect(flushOrder()).toEqual(['vendors@HQ', 'direct_costs@company']);
  });

  it('a scope that fails fails the run', async () => {
    h.stub({
      ...baseStubs,
      importPageActivity: async (input) => {
        if ((input as PageInput).kind === 'vendors') throw failure('AuthError', 'Acumatica refused the login.');
        return page();
      },
    });
    await expect(run(['vendors', 'cost_codes'])).rejects.toBeInstanceOf(WorkflowFailedError);
  });
});
