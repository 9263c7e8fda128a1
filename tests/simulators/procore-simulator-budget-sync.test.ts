/**
 * The Procore simulator's WBS codes and budget line items sync, through the connector's client: budget codes
 * are sub job (or project) x cost code x assigned cost type; a sync row matches its line by id, else by WBS
 * code, so a resent row never adds a second line; a bad row or a locked budget writes nothing.
 */
import { ProcoreClient, type WbsCode } from '../../clients/procore/client';
import { ValidationError } from '../../lib/errors';
import { DEMO_BUDGET, DEMO_COST_TYPES, DEMO_PROJECT, DEMO_PROJECT_COST_CODES, DEMO_SUB_JOBS } from 'simulator-common';
import { startProcoreSimulator, type RunningProcoreSimulator } from 'procore-simulator/src/testing';

let sim: RunningProcoreSimulator;
let procore: ProcoreClient;
const P = DEMO_PROJECT.procoreId;

beforeEach(async () => {
  sim = await startProcoreSimulator();
  procore = new ProcoreClient({
    baseUrl: sim.url,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
  });
});
afterEach(async () => {
  await sim.close();
});

/** The WBS code of sub job (or project) x cost code x cost type, by their Procore ids. */
function codeOf(codes: WbsCode[], subJobId: string | null, costCodeId: string, typeId: string): WbsCode | undefined {
  return codes.find((c) => {
    const ids = (type: string) => c.segment_items.filter((i) => i.segment?.type === type).map((i) => i.id);
    return (
      JSON.stringify(ids('sub_job')) === JSON.stringify(subJobId ? [subJobId] : []) &&
      ids('cost_code')[0] === costCodeId &&
      ids('cost_type')[0] === typeId
    );
  });
}

async function budgetRows() {
  const [view] = await procore.listBudgetViews(sim.companyId, P);
  return procore.listBudgetDetailRows(sim.companyId, P, String(view.id));
}

test('a project has one budget code per sub job (and the project) x cost code x assigned cost type', async () => {
  const codes = await procore.listWbsCodes(sim.companyId, P);
  expect(codes).toHaveLength((DEMO_SUB_JOBS.length + 1) * DEMO_PROJECT_COST_CODES.length * DEMO_COST_TYPES.length);
  const code = codeOf(
    codes,
    DEMO_SUB_JOBS[0].procoreId,
    DEMO_PROJECT_COST_CODES[0].procoreId,
    DEMO_COST_TYPES[4].procoreId,
  );
  expect(code?.flat_code).toBe(
    `${DEMO_SUB_JOBS[0].code}.${DEMO_PROJECT_COST_CODES[0].code}.${DEMO_COST_TYPES[4].code}`,
  );
  // Stable ids: listing again materialises nothing new.
  expect((await procore.listWbsCodes(sim.companyId, P)).map((c) => c.id)).toEqual(codes.map((c) => c.id));
});

test('a row without id updates the line of its budget code, or creates one; resending it changes nothing', async () => {
  const codes = await procore.listWbsCodes(sim.companyId, P);
  const [seeded] = DEMO_BUDGET.lines; // sub job 01 x 01-500 x Other
  const seededCode = codeOf(
    codes,
    DEMO_SUB_JOBS[0].procoreId,
    DEMO_PROJECT_COST_CODES[0].procoreId,
    DEMO_COST_TYPES[4].procoreId,
  )!;
  const freeCode = codeOf(codes, null, DEMO_PROJECT_COST_CODES[1].procoreId, DEMO_COST_TYPES[2].procoreId)!;
  const before = await budgetRows();

  const rows = [
    { wbs_code_id: seededCode.id, original_budget_amount: '290000.00' },
    { wbs_code_id: freeCode.id, original_budget_amount: '4200.50' },
  ];
  const first = await procore.syncBudgetLineItems(sim.companyId, P, rows);
  expect(first.map((l) => [l.wbs_code?.id, l.original_budget_amount])).toEqual([
    [seededCode.id, '290000.00'],
    [freeCode.id, '4200.50'],
  ]);
  expect(first[0].id).toBe(seeded.procoreId);
  const again = await procore.syncBudgetLineItems(sim.companyId, P, rows);
  expect(again.map((l) => l.id)).toEqual(first.map((l) => l.id));
  const after = await budgetRows();
  expect(after).toHaveLength(before.length + 1);
  expect(after.find((r) => r.id === first[1].id)).toMatchObject({
    biller_type: 'Project',
    original_budget_amount: '4200.50',
  });
});

test('an unknown budget code fails the whole request and writes nothing; a locked budget refuses changes', async () => {
  const codes = await procore.listWbsCodes(sim.companyId, P);
  const before = await budgetRows();
  await expect(
    procore.syncBudgetLineItems(sim.companyId, P, [
      { wbs_code_id: codes[0].id, original_budget_amount: '10.00' },
      { wbs_code_id: '1', original_budget_amount: '10.00' },
    ]),
  ).rejects.toThrow(ValidationError);
  expect(await budgetRows()).toEqual(before);

  sim.store.budgetOf(sim.store.demoId(P))!.locked = true;
  await expect(
    procore.syncBudgetLineItems(sim.companyId, P, [{ wbs_code_id: codes[0].id, original_budget_amount: '10.00' }]),
  ).rejects.toThrow(/locked/);
});
