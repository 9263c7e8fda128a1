/**
 * `npm run demo -- --all` (#12) over the simulators: the second demo project, shaped like a real one, exported
 * document by document; every Acumatica figure is checked against its Procore source under the rounding rule.
 * The figures asserted here are the ones real-project-data.ts derives by hand in its header.
 */
import { REAL_PROJECT } from 'simulator-common';
import { val } from '../../clients/acumatica/client';
import { eq } from '../../clients/acumatica/odata';
import { ruleAmounts, runDemoAll, verifyAll } from '../../setup/demo-all';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack({ procoreSimulator: { seed: { realProject: true } } });
});
afterAll(async () => {
  await stack?.stop();
});

test('the rule: half cents rounded up, the difference to the rounded total carried on the largest line', () => {
  expect(ruleAmounts(['84317.455', '15682.545', '23046.875'], '123046.88').map(String)).toEqual([
    '84317.45',
    '15682.55',
    '23046.88',
  ]);
  expect(ruleAmounts(['0.005', '0.005']).map(String)).toEqual(['0', '0.01']);
});

test('demo --all exports every document of the real-shaped project and every figure equals Procore', async () => {
  const printed: string[] = [];
  const result = await runDemoAll({
    procore: stack.procore,
    acumatica: stack.acumatica,
    companyId: stack.companyId,
    exportItem: async (itemType, itemId) => {
      const { workflowId } = await stack.accept(itemId, { item_type: itemType });
      return stack.waitForWorkflow(workflowId);
    },
    runImport: async (entities) => {
      const res = await stack.apiFetch('/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ companyId: stack.companyId, entities }),
      });
      await stack.waitForWorkflow(((await res.json()) as { workflowId: string }).workflowId);
    },
    log: (line) => printed.push(line),
  });
  expect(result).toEqual({ ok: true, failures: [] });
  const out = printed.join('\n');
  expect(out).toMatch(/amount 84317\.45 \(Procore 84317\.455, rule 84317\.45\)/);
  expect(out).toMatch(/Stored materials/);
  expect(out).toContain('Every figure equals its Procore source under the documented rule.');
  // The company-level direct cost: one bill, lines on both projects, the cent carried on the largest line.
  expect(out).toMatch(
    /project GJL25031 {2}task 01 {2}branch WEST {2}amount 5460\.00 \(Procore 5460\.005, rule 5460\.00\)/,
  );
  expect(out).toMatch(/project RMOB24017 {2}task \S+ {2}branch HQ {2}amount 865\.00/);

  // Independently of the demo's own check: the subcontract holds Procore's total, on two sub jobs' tasks, in WEST.
  const [sc] = await stack.acumatica.list('Subcontract', {
    filter: eq('VendorRef', `PROCORE-${REAL_PROJECT.subcontract.procoreId}`),
    expand: ['Details'],
  });
  const lines = sc.Details as Array<Record<string, unknown>>;
  expect(lines.map((l) => [val(l.Task), val(l.BranchID), val(l.Amount)])).toEqual([
    ['01', 'WEST', 84317.45],
    ['01', 'WEST', 15682.55],
    ['02', 'WEST', 23046.88],
  ]);
  const [budgetLine] = await stack.acumatica.list('ProjectBudget', {
    filter: `ProjectID eq '${REAL_PROJECT.acumaticaProjectId}' and CostCode eq '03-300'`,
  });
  expect(val(budgetLine.OriginalBudgetedAmount)).toBe(89317.46);

  // A wrong figure is caught: the demo's check fails once Acumatica's subcontract differs by a cent.
  await stack.acumatica.put('Subcontract', {
    SubcontractNbr: val(sc.SubcontractNbr),
    Details: [{ id: lines[1].id, UnitCost: 15682.56, Amount: 15682.56 }],
  });
  const [tampered] = await stack.acumatica.list('Subcontract', {
    filter: eq('SubcontractNbr', String(val(sc.SubcontractNbr))),
    expand: ['Details'],
  });
  expect(val((tampered.Details as Array<Record<string, unknown>>)[1].Amount)).toBe(15682.56);
  const again = await verifyAll({
    procore: stack.procore,
    acumatica: stack.acumatica,
    companyId: stack.companyId,
    exportItem: () => Promise.reject(new Error('verifying only')),
    runImport: () => Promise.reject(new Error('verifying only')),
    log: () => undefined,
  });
  expect(again.ok).toBe(false);
  expect(again.failures).toContain('subcontract line 2');
});
