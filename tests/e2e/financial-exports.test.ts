/**
 * The project-financials exports end to end: project and tasks, cost types imported then the budget, a budget
 * change as a cost change order, the prime contract as revenue budget, prime and commitment change orders, and a
 * subcontractor invoice as an AP bill.
 * Each runs from the accounting approver's accept in the Procore simulator to the Acumatica simulator and back.
 */
import {
  DEMO_BUDGET,
  DEMO_BUDGET_CHANGES,
  DEMO_COMMITMENT_CHANGE_ORDERS,
  DEMO_COST_TYPES,
  DEMO_PRIME_CHANGE_ORDERS,
  DEMO_PRIME_CONTRACT,
  DEMO_PROJECT,
  DEMO_REQUISITIONS,
  DEMO_SUB_JOBS,
  DEMO_SUBCONTRACTS,
  DEMO_TAX_CODES,
  DEMO_VENDORS,
} from 'simulator-common';
import { removeTaxCategory, setTaxCategory } from '../../store/tax-categories';
import { addDemoCommitment } from 'procore-simulator/src/testing';
import { createCompanyDirectCost } from 'procore-simulator/src/company-direct-costs';
import { addProject } from '../../testing/project-seeds';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

type Result = { status: string; acumaticaKey?: string; messages: string[] };
type Rec = Record<string, { value?: unknown }> & Record<string, unknown>;

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function exportItem(itemType: string, itemId: string): Promise<Result> {
  const { workflowId } = await stack.accept(itemId, { item_type: itemType });
  return stack.waitForWorkflow<Result>(workflowId);
}

async function runImport(entities: string[]): Promise<void> {
  const res = await stack.apiFetch(`/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities }),
  });
  const { workflowId } = (await res.json()) as { workflowId: string };
  await stack.waitForWorkflow(workflowId);
}

test('the project exports to its linked Acumatica project, with one task per sub job', async () => {
  const result = await exportItem('project', DEMO_PROJECT.procoreId);
  expect(result).toMatchObject({ status: 'success', acumaticaKey: DEMO_PROJECT.acumaticaProjectId });
  const tasks = (await stack.acumatica.list('ProjectTask', {
    filter: `ProjectID eq '${DEMO_PROJECT.acumaticaProjectId}'`,
  })) as Rec[];
  expect(tasks.map((t) => t.ProjectTaskID.value).sort()).toEqual(DEMO_SUB_JOBS.map((s) => s.acumaticaTaskId).sort());
  const [project] = (await stack.acumatica.list('Project', {
    filter: `ProjectID eq '${DEMO_PROJECT.acumaticaProjectId}'`,
  })) as Rec[];
  expect(project.ExternalRefNbr.value).toBe(`PROCORE-${DEMO_PROJECT.procoreId}`);
  expect(
    await stack.acumatica.list('Project', { filter: `ExternalRefNbr eq 'PROCORE-${DEMO_PROJECT.procoreId}'` }),
  ).toHaveLength(1);
});

test('the budget fails until cost types are imported, then exports as cost budget lines', async () => {
  const before = await exportItem('budget', DEMO_BUDGET.procoreId);
  expect(before.status).toBe('failed');
  expect(before.messages.join(' ')).toMatch(/no Acumatica account group\. Refresh cost types/);

  await runImport(['cost_codes', 'cost_types']);
  const after = await exportItem('budget', DEMO_BUDGET.procoreId);
  expect(after).toMatchObject({ status: 'success' });
  const lines = (await stack.acumatica.list('ProjectBudget', {
    filter: `ProjectID eq '${DEMO_PROJECT.acumaticaProjectId}' and Type eq 'Cost'`,
  })) as Rec[];
  for (const line of DEMO_BUDGET.lines) {
    const group = DEMO_COST_TYPES.find((t) => t.code === line.costTypeCode)!.acumaticaAccountGroup;
    const match = lines.find(
      (l) =>
        l.CostCode.value === line.costCode &&
        l.ProjectTaskID.value === line.subJobCode &&
        l.AccountGroup.value === group,
    );
    expect(match?.OriginalBudgetedAmount.value).toBe(Number(line.amount));
  }
  // Sending it again rewrites the same lines: no duplicates.
  expect(await exportItem('budget', DEMO_BUDGET.procoreId)).toMatchObject({ status: 'success' });
  const again = await stack.acumatica.list('ProjectBudget', {
    filter: `ProjectID eq '${DEMO_PROJECT.acumaticaProjectId}' and Type eq 'Cost'`,
  });
  expect(again).toHaveLength(lines.length);
  // Each line's original-estimate transaction is marked synced in Procore with the budget line's key.
  const estimates = stack.procoreSim.store.state.erpTransactions.filter(
    (t) => t.type === 'Erp::OriginalEstimateTransaction',
  );
  expect(estimates.map((t) => [t.source_id, t.synced, t.origin_id?.split(':')[0]])).toEqual(
    DEMO_BUDGET.lines.map((l) => [l.procoreId, true, DEMO_PROJECT.acumaticaProjectId]),
  );
});

test('an approved budget change becomes one cost change order; its transactions are marked synced', async () => {
  const change = DEMO_BUDGET_CHANGES[0];
  const { state } = stack.procoreSim.store;
  const group = DEMO_COST_TYPES.find((t) => t.code === 'S')!.acumaticaAccountGroup;
  const changeOrders = async () =>
    (await stack.acumatica.list('ChangeOrder', {
      filter: `ExternalRefNbr eq 'PROCORE-${change.procoreId}'`,
      expand: ['CostBudget'],
    })) as Rec[];

  const result = await exportItem('budget_change', change.procoreId);
  expect(result).toMatchObject({ status: 'success' });
  const [co, ...more] = await changeOrders();
  expect(more).toHaveLength(0);
  const key = String(co.RefNbr.value);
  expect(result.acumaticaKey).toBe(key);
  expect(
    (co.CostBudget as Rec[]).map((l) => [
      l.ProjectTaskID.value,
      l.AccountGroup.value,
      l.CostCode.value,
      l.Amount.value,
    ]),
  ).toEqual(change.lines.map((l) => [l.subJobCode, group, l.costCode, Number(l.amount)]));
  // Procore's ERP keys: every line's transaction is synced with the key of the line it became.
  const keys = change.lines.map((l) => `${key}:${l.subJobCode}:${group}:${l.costCode}`);
  const transactionOf = (lineId: string) =>
    state.erpTransactions.find((t) => t.type === 'Erp::BudgetChangeTransaction' && t.source_id === lineId);
  expect(change.lines.map((l) => [transactionOf(l.procoreId)?.origin_id, transactionOf(l.procoreId)?.synced])).toEqual(
    keys.map((k) => [k, true]),
  );
  const links = await stack.db.query<{ procore_entity: string; acumatica_key: string }>(
    `SELECT procore_entity, acumatica_key FROM links WHERE procore_company_id = $1
       AND procore_entity IN ('budget_change', 'budget_change_line_item') ORDER BY acumatica_key`,
    [stack.companyId],
  );
  expect(links.rows).toEqual([
    { procore_entity: 'budget_change', acumatica_key: key },
    ...keys.map((k) => ({ procore_entity: 'budget_change_line_item', acumatica_key: k })),
  ]);

  // Resent after one line's amount changed in Procore: the same change order, that line updated, still one.
  const line = state.budgetChanges.find((c) => c.id === change.procoreId)!.lines[1];
  line.amount = '21350.00';
  expect(await exportItem('budget_change', change.procoreId)).toMatchObject({ status: 'success', acumaticaKey: key });
  const [again, ...none] = await changeOrders();
  expect(none).toHaveLength(0);
  expect((again.CostBudget as Rec[]).map((l) => l.Amount.value)).toEqual([Number(change.lines[0].amount), 21350]);
});

test('the prime contract exports as revenue budget lines and its change order as a revenue change order', async () => {
  expect(await exportItem('prime_contract', DEMO_PRIME_CONTRACT.procoreId)).toMatchObject({ status: 'success' });
  const revenue = (await stack.acumatica.list('ProjectBudget', {
    filter: `ProjectID eq '${DEMO_PROJECT.acumaticaProjectId}' and Type eq 'Revenue'`,
  })) as Rec[];
  const total = revenue.reduce((sum, l) => sum + Number(l.OriginalBudgetedAmount.value), 0);
  expect(total).toBeCloseTo(
    DEMO_PRIME_CONTRACT.lines.reduce((s, l) => s + Number(l.amount), 0),
    2,
  );

  const pcco = DEMO_PRIME_CHANGE_ORDERS[0];
  const result = await exportItem('prime_change_order', pcco.procoreId);
  expect(result).toMatchObject({ status: 'success' });
  const [co] = (await stack.acumatica.list('ChangeOrder', {
    filter: `ExternalRefNbr eq 'PROCORE-${pcco.procoreId}'`,
    expand: ['RevenueBudget'],
  })) as Rec[];
  expect((co.RevenueBudget as Rec[]).map((l) => l.Amount.value)).toEqual(pcco.lines.map((l) => Number(l.amount)));
});

test('a commitment change order waits for its commitment: it fails with the reason, then exports after it', async () => {
  const cco = DEMO_COMMITMENT_CHANGE_ORDERS[0];
  const early = await exportItem('commitment_change_order', cco.procoreId);
  expect(early.status).toBe('failed');
  expect(early.messages.join(' ')).toMatch(/has not been exported to Acumatica yet\. Export the commitment first/);

  expect(await exportItem('work_order_contract', DEMO_SUBCONTRACTS[0].procoreId)).toMatchObject({ status: 'success' });
  const result = await exportItem('commitment_change_order', cco.procoreId);
  expect(result).toMatchObject({ status: 'success' });
  const [co] = (await stack.acumatica.list('ChangeOrder', {
    filter: `ExternalRefNbr eq 'PROCORE-${cco.procoreId}'`,
    expand: ['Commitments'],
  })) as Rec[];
  const lines = co.Commitments as Rec[];
  expect(lines.map((l) => l.Amount.value)).toEqual(cco.lines.map((l) => Number(l.amount)));
  expect(lines.map((l) => l.POLineNbr.value)).toEqual([3, 4]); // the subcontract lines they change
});

test('a subcontractor invoice becomes one AP bill on the subcontract lines', async () => {
  const requisition = DEMO_REQUISITIONS[0];
  const result = await exportItem('requisition', requisition.procoreId);
  expect(result).toMatchObject({ status: 'success' });
  const bills = (await stack.acumatica.list('Bill', {
    filter: `VendorRef eq 'PROCORE-${requisition.procoreId}'`,
    expand: ['Details'],
  })) as Rec[];
  expect(bills).toHaveLength(1);
  const details = bills[0].Details as Rec[];
  expect(details.map((d) => d.POOrderNbr.value)).toEqual(details.map(() => expect.any(String)));
  const billed = details.reduce((s, d) => s + Number(d.ExtendedCost?.value ?? d.Amount?.value ?? 0), 0);
  const claimed = requisition.items.reduce((s, i) => s + Number(i.workCompletedThisPeriod), 0);
  expect(billed).toBeCloseTo(claimed, 2);
  // Resent: found by its marker, still one bill.
  expect(await exportItem('requisition', requisition.procoreId)).toMatchObject({ status: 'success' });
  expect(
    await stack.acumatica.list('Bill', { filter: `VendorRef eq 'PROCORE-${requisition.procoreId}'` }),
  ).toHaveLength(1);
});

test('a second invoice with 10 % retainage and stored materials: the bill withholds to the cent what Procore does', async () => {
  // Pay app #2 on the same subcontract: odd cents of work, 10 % retainage rounded per line by Procore, and
  // 2,500.00 of materials stored on the first line with 250.00 retained on them.
  const { state } = stack.procoreSim.store;
  const first = state.requisitions.find((r) => r.id === DEMO_REQUISITIONS[0].procoreId)!;
  const second = { ...first, id: '7900199', number: 2, invoice_number: 'ACP-24017-02', billing_date: '2024-05-31' };
  state.requisitions.push(second);
  const items = state.requisitionItems.filter((i) => i.requisition_id === first.id).slice(0, 2);
  const work = ['1234.57', '999.99'];
  const retained = ['123.46', '100.00'];
  items.forEach((i, n) =>
    state.requisitionItems.push({
      ...i,
      id: `88301990${n}`,
      requisition_id: second.id,
      work_completed_this_period: work[n],
      retainage_this_period: retained[n],
      materials_presently_stored: n === 0 ? '2500.00' : '0.00',
      materials_retainage_this_period: n === 0 ? '250.00' : '0.00',
    }),
  );
  expect(await exportItem('requisition', second.id)).toMatchObject({ status: 'success' });
  const [bill] = (await stack.acumatica.list('Bill', {
    filter: `VendorRef eq 'PROCORE-${second.id}'`,
    expand: ['Details'],
    custom: ['Document.RetainageApply', 'Document.CuryRetainageTotal', 'Transactions.CuryRetainageAmt'],
  })) as Rec[];
  type Custom = Record<string, Record<string, { value: unknown }>>;
  const lines = bill.Details as unknown as Rec[];
  expect(
    lines.map((l) => [
      l.TransactionDescription.value,
      l.Amount.value,
      (l.custom as Custom).Transactions.CuryRetainageAmt.value,
    ]),
  ).toEqual([
    [expect.any(String), 1234.57, 123.46],
    [expect.any(String), 999.99, 100],
    [expect.stringMatching(/^Stored materials: /), 2500, 250],
  ]);
  const header = bill.custom as Custom;
  expect(header.Document.RetainageApply.value).toBe(true);
  // Totals: gross 4,734.56 = 1,234.57 + 999.99 + 2,500.00; retained 473.46; the vendor is owed the difference now.
  expect(bill.Amount.value).toBe(4734.56);
  expect(header.Document.CuryRetainageTotal.value).toBe(473.46);
  expect(bill.Balance.value).toBe(4261.1);
});

test('a retention release pay app releases, oldest bill first, what Procore released: once, even when the answer is lost', async () => {
  // Pay app #1 (the demo's) retained 12,243.75, pay app #2 (the test above) 473.46. Pay app #3 bills no work and
  // releases 12,243.75 + 100.00; pay app #4 releases the remaining 373.46.
  type Custom = Record<string, Record<string, { value: unknown }>>;
  const { state } = stack.procoreSim.store;
  const template = state.requisitions.find((r) => r.id === '7900199')!;
  const templateItems = state.requisitionItems.filter((i) => i.requisition_id === template.id);
  const addPayApp = (id: string, number: number, released: string[]) => {
    state.requisitions.push({ ...template, id, number, invoice_number: `ACP-24017-0${number}` });
    templateItems.forEach((i, n) =>
      state.requisitionItems.push({
        ...i,
        id: `${id}${n}`,
        requisition_id: id,
        work_completed_this_period: '0.00',
        retainage_this_period: '0.00',
        materials_presently_stored: '0.00',
        materials_retainage_this_period: '0.00',
        retainage_released_this_period: released[n],
      }),
    );
  };
  const billsOf = async (procoreId: string) => {
    const bills = (await stack.acumatica.list('Bill', {
      filter: `VendorRef eq 'PROCORE-${procoreId}'`,
      custom: ['Document.CuryRetainageTotal', 'Document.CuryRetainageUnreleasedAmt'],
    })) as Rec[];
    const sorted = bills.sort((a, b) => String(a.ReferenceNbr.value).localeCompare(String(b.ReferenceNbr.value)));
    const [own, ...released] = sorted;
    return {
      nbr: String(own.ReferenceNbr.value),
      unreleased: (own.custom as Custom).Document.CuryRetainageUnreleasedAmt?.value,
      releases: released.map((b) => b.Amount.value),
    };
  };
  const first = DEMO_REQUISITIONS[0].procoreId;
  addPayApp('7900299', 3, ['12243.75', '100.00']);

  // The bills holding the retainage are not released in Acumatica yet: nothing is released, and the request detail
  // says which bill to release.
  const early = await exportItem('requisition', '7900299');
  expect(early.status).toBe('failed');
  const bill1 = await billsOf(first);
  expect(early.messages.join(' ')).toContain(`bill ${bill1.nbr} (Pay App #1)`);
  expect(early.messages.join(' ')).toMatch(/not released in Acumatica/);
  expect(bill1).toMatchObject({ unreleased: 12243.75, releases: [] });

  // The AP clerk releases both bills; the resend releases bill 1's retainage in full and 100.00 of bill 2's.
  for (const procoreId of [first, '7900199'])
    await stack.acumatica.invokeAction('Bill', 'ReleaseBill', {
      entity: { Type: 'Bill', ReferenceNbr: (await billsOf(procoreId)).nbr },
    });
  expect(await exportItem('requisition', '7900299')).toMatchObject({ status: 'success' });
  expect(await billsOf(first)).toMatchObject({ unreleased: 0, releases: [12243.75] });
  expect(await billsOf('7900199')).toMatchObject({ unreleased: 373.46, releases: [100] });
  // Resent: Acumatica has released what Procore has; nothing more.
  expect(await exportItem('requisition', '7900299')).toMatchObject({ status: 'success' });
  expect(await billsOf(first)).toMatchObject({ unreleased: 0, releases: [12243.75] });
  expect(await billsOf('7900199')).toMatchObject({ unreleased: 373.46, releases: [100] });

  // Pay app #4 releases the rest, and Acumatica's answer to the release is lost after it committed: the retry
  // finds it released and releases nothing twice.
  addPayApp('7900399', 4, ['0.00', '373.46']);
  await stack.inject('acumatica', {
    method: 'POST',
    path: '/entity/Default/*/Bill/ReleaseRetainage',
    kind: 'commit_then_drop',
    times: 1,
  });
  expect(await exportItem('requisition', '7900399')).toMatchObject({ status: 'success' });
  expect(stack.acumaticaSim.faults.list()).toEqual([]); // the answer was lost
  expect(await billsOf('7900199')).toMatchObject({ unreleased: 0, releases: [100, 373.46] });
  expect(await billsOf(first)).toMatchObject({ unreleased: 0, releases: [12243.75] });
});

test('two budget lines on one budget code are summed into one Acumatica line, never one written over the other', async () => {
  const { state } = stack.procoreSim.store;
  const first = state.budgetLineItems.find((b) => b.id === DEMO_BUDGET.lines[0].procoreId)!;
  const spec = DEMO_BUDGET.lines[0];
  const twin = {
    ...first,
    id: stack.procoreSim.store.newId(),
    description: 'Second line, same budget code',
    original_budget_amount: '1000.005',
    origin_id: null,
    origin_code: null,
    origin_data: null,
  };
  state.budgetLineItems.push(twin);
  const group = DEMO_COST_TYPES.find((t) => t.code === spec.costTypeCode)!.acumaticaAccountGroup;
  const budgetLines = async () =>
    (await stack.acumatica.list('ProjectBudget', {
      filter: `ProjectID eq '${DEMO_PROJECT.acumaticaProjectId}' and Type eq 'Cost' and CostCode eq '${spec.costCode}' and ProjectTaskID eq '${spec.subJobCode}' and AccountGroup eq '${group}'`,
    })) as Rec[];

  expect(await exportItem('budget', DEMO_BUDGET.procoreId)).toMatchObject({ status: 'success' });
  const lines = await budgetLines();
  expect(lines).toHaveLength(1);
  expect(lines[0].OriginalBudgetedAmount.value).toBe(Number(first.original_budget_amount) + 1000.01);
});

test("a subcontract's lines go to their sub jobs' tasks; a line on a sub job without a task fails the preflight", async () => {
  // The project export (first test) linked sub jobs 01, 02 and 03 to their tasks.
  const store = stack.procoreSim.store;
  const subJob = (code: string) =>
    store.state.subJobs.find((s) => s.code === code && s.project_id === DEMO_PROJECT.procoreId)!;
  const placed = addDemoCommitment(store, { type: 'work_order_contract', n: 11, lines: 3, label: 'wbs' });
  const lineOf = (id: string) => store.state.lineItems.find((l) => l.id === id)!;
  lineOf(placed.lineIds[0]).sub_job_id = subJob('02').id;
  lineOf(placed.lineIds[1]).sub_job_id = subJob('03').id;
  lineOf(placed.lineIds[2]).sub_job_id = null; // no sub job: the project's default task

  expect(await exportItem('work_order_contract', placed.id)).toMatchObject({ status: 'success' });
  const [sc] = (await stack.subcontractsFor(placed.id)) as Array<{ Details: Rec[] }>;
  expect(sc.Details.map((d) => d.Task.value)).toEqual(['02', '03', '01']);

  // A sub job the project export has not made a task of yet.
  const now = new Date().toISOString();
  const unlinked = {
    id: store.newId(),
    project_id: DEMO_PROJECT.procoreId,
    code: '04',
    name: 'Landscaping',
    created_at: now,
    updated_at: now,
    origin_id: null,
    origin_code: null,
    origin_data: null,
  };
  store.state.subJobs.push(unlinked);
  const refused = addDemoCommitment(store, { type: 'work_order_contract', n: 12, lines: 2, label: 'wbs' });
  lineOf(refused.lineIds[1]).sub_job_id = unlinked.id;
  const result = await exportItem('work_order_contract', refused.id);
  expect(result.status).toBe('failed');
  expect(result.messages.join(' ')).toMatch(
    /Line "Scope item 2" of SC-WBS-012 is on sub job 04, which is not linked to a task of Acumatica project/,
  );
  expect(await stack.subcontractsFor(refused.id)).toHaveLength(0);
});

test('tax codes: not sent and said so without a mapping; an unmapped code fails naming it; mapped codes become tax categories on subcontract and bill lines', async () => {
  const store = stack.procoreSim.store;
  const [taxable, exempt] = DEMO_TAX_CODES;
  const lineOf = (id: string) => store.state.lineItems.find((l) => l.id === id)!;
  const commitment = (n: number) => {
    const c = addDemoCommitment(store, { type: 'work_order_contract', n, lines: 2, label: 'tax' });
    lineOf(c.lineIds[0]).tax_code_id = taxable.procoreId;
    lineOf(c.lineIds[1]).tax_code_id = exempt.procoreId;
    return c;
  };

  // No mapping configured: exported without tax, and the request detail says why.
  const untaxed = commitment(21);
  const plain = await exportItem('work_order_contract', untaxed.id);
  expect(plain.status).toBe('success');
  expect(plain.messages.join(' ')).toMatch(
    /Tax not sent: lines carry Procore tax codes \(TX-STATE, EXEMPT\) but no tax-category mapping is configured/,
  );
  const [sc1] = (await stack.subcontractsFor(untaxed.id)) as Array<{ Details: Rec[] }>;
  expect(sc1.Details.map((d) => d.TaxCategory?.value ?? null)).toEqual([null, null]);

  // A mapping that misses EXEMPT: the export fails naming the code and the command; nothing is written.
  await setTaxCategory(stack.db, stack.companyId, 'TX-STATE', 'TAXABLE');
  const partly = commitment(22);
  const refused = await exportItem('work_order_contract', partly.id);
  expect(refused.status).toBe('failed');
  expect(refused.messages.join(' ')).toMatch(
    /Procore tax code "EXEMPT" on line "Scope item 2" has no Acumatica tax category mapped\. Map it with npm run connector -- tax-categories --company \d+ --set/,
  );
  expect(await stack.subcontractsFor(partly.id)).toHaveLength(0);

  // Both mapped: each line carries its category, and so does the bill line that bills it.
  await setTaxCategory(stack.db, stack.companyId, 'EXEMPT', 'EXEMPT');
  expect(await exportItem('work_order_contract', partly.id)).toMatchObject({
    status: 'success',
    messages: [expect.any(String)],
  });
  const [sc2] = (await stack.subcontractsFor(partly.id)) as Array<{ Details: Rec[] }>;
  expect(sc2.Details.map((d) => d.TaxCategory.value)).toEqual(['TAXABLE', 'EXEMPT']);

  const template = store.state.requisitions.find((r) => r.id === DEMO_REQUISITIONS[0].procoreId)!;
  const templateItem = store.state.requisitionItems.find((i) => i.requisition_id === template.id)!;
  const requisitionId = store.newId();
  store.state.requisitions.push({ ...template, id: requisitionId, commitment_id: partly.id, number: 1 });
  partly.lineIds.forEach((lineId, n) =>
    store.state.requisitionItems.push({
      ...templateItem,
      id: store.newId(),
      requisition_id: requisitionId,
      line_item_id: lineId,
      cost_code_id: lineOf(lineId).cost_code_id,
      work_completed_this_period: n === 0 ? '1000.00' : '250.00',
      retainage_this_period: '0.00',
      materials_presently_stored: '0.00',
    }),
  );
  expect(await exportItem('requisition', requisitionId)).toMatchObject({ status: 'success' });
  const [bill] = (await stack.acumatica.list('Bill', {
    filter: `VendorRef eq 'PROCORE-${requisitionId}'`,
    expand: ['Details'],
  })) as Rec[];
  expect((bill.Details as unknown as Rec[]).map((d) => [d.Amount.value, d.TaxCategory.value])).toEqual([
    [1000, 'TAXABLE'],
    [250, 'EXEMPT'],
  ]);
  await removeTaxCategory(stack.db, stack.companyId, 'TX-STATE');
  await removeTaxCategory(stack.db, stack.companyId, 'EXEMPT');
});

test('a budget line on a sub job without a task fails the budget preflight, naming the line and the sub job', async () => {
  const { state } = stack.procoreSim.store;
  const landscaping = state.subJobs.find((s) => s.code === '04' && s.project_id === DEMO_PROJECT.procoreId)!;
  const first = state.budgetLineItems.find((b) => b.id === DEMO_BUDGET.lines[0].procoreId)!;
  state.budgetLineItems.push({
    ...first,
    id: stack.procoreSim.store.newId(),
    sub_job_id: landscaping.id,
    description: 'Planting',
    original_budget_amount: '500.00',
  });
  const result = await exportItem('budget', DEMO_BUDGET.procoreId);
  expect(result.status).toBe('failed');
  expect(result.messages.join(' ')).toMatch(/Line "Planting" of .* is on sub job 04, which is not linked to a task/);
});

test('a company-level direct cost becomes one bill across projects; an unexported project fails it until exported, then the resend writes the one bill', async () => {
  const store = stack.procoreSim.store;
  const project = addProject(store, { n: 9101, subJobs: ['A1'] });
  const created = createCompanyDirectCost(store, {
    companyId: stack.companyId,
    vendorId: DEMO_VENDORS[0].procoreId,
    invoiceNumber: 'FUEL-2026-11',
    directCostDate: '2026-11-30',
    description: 'November fuel card',
    lines: [
      {
        projectId: DEMO_PROJECT.procoreId,
        costCodeId: store.state.costCodes.find((c) => c.project_id === DEMO_PROJECT.procoreId)!.id,
        lineItemTypeId: DEMO_COST_TYPES[0].procoreId,
        description: 'Fuel, trucks',
        amount: '1200.00',
      },
      {
        projectId: project.id,
        subJobId: project.subJobIds[0],
        costCodeId: project.costCodes.get('03-300')!,
        lineItemTypeId: DEMO_COST_TYPES[0].procoreId,
        description: 'Fuel, excavator',
        quantity: '310.5',
        unitCost: '4.10',
        uom: 'gal',
      },
    ],
  });
  if ('error' in created) throw new Error(created.error);

  const refused = await exportItem('company_level_direct_cost', created.id);
  expect(refused.status).toBe('failed');
  expect(refused.messages.join(' ')).toMatch(
    new RegExp(
      `Project "Fault matrix project 9101" \\(Procore id ${project.id}\\) is not linked .* Export the project first`,
    ),
  );
  expect(await stack.acumatica.list('Bill', { filter: `VendorRef eq 'PROCORE-DC${created.id}'` })).toHaveLength(0);

  expect(await exportItem('project', project.id)).toMatchObject({ status: 'success' });
  const result = await exportItem('company_level_direct_cost', created.id);
  expect(result).toMatchObject({ status: 'success' });
  const bills = (await stack.acumatica.list('Bill', {
    filter: `VendorRef eq 'PROCORE-DC${created.id}'`,
    expand: ['Details'],
  })) as Rec[];
  expect(bills).toHaveLength(1);
  expect(bills[0].Description.value).toBe(
    'Invoice FUEL-2026-11 - Direct cost FUEL-2026-11 (' + DEMO_VENDORS[0].name + ')',
  );
  expect(
    (bills[0].Details as unknown as Rec[]).map((d) => [d.Project.value, d.ProjectTask.value, d.Amount.value]),
  ).toEqual([
    [DEMO_PROJECT.acumaticaProjectId, expect.any(String), 1200],
    [project.number, 'A1', 1273.05], // 310.5 gal x 4.10: the sub job's task
  ]);
  const cost = store.state.companyDirectCosts.find((d) => d.id === created.id)!;
  expect(cost.origin_id).toBe(result.acumaticaKey);

  // Sent again (the approver resends it): the same bill, not a second one.
  expect(await exportItem('company_level_direct_cost', created.id)).toMatchObject({
    status: 'success',
    acumaticaKey: result.acumaticaKey,
  });
  expect(await stack.acumatica.list('Bill', { filter: `VendorRef eq 'PROCORE-DC${created.id}'` })).toHaveLength(1);
});
