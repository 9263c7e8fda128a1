import {
  decideChangeOrder,
  decideCommitment,
  decideBill,
  decideDirectCost,
  budgetLineDifferences,
  matchBudgetLines,
  matchLines,
  resolveContested,
  type AcumaticaBudgetChangeOrderFacts,
  type BudgetRowFacts,
  type ProcoreBudgetLine,
  type AcumaticaBillFacts,
  type AcumaticaChangeOrderFacts,
  type AcumaticaCommitmentFacts,
  type AcumaticaDirectCostFacts,
  type Decision,
  type ProcoreChangeOrderFacts,
  type ProcoreCommitmentFacts,
  type ProcoreDirectCostFacts,
} from '../../mappings/adoption-match';

const procore: ProcoreCommitmentFacts = {
  id: '77',
  entity: 'work_order_contract',
  number: 'SC-001',
  title: 'Concrete package',
  total: 15000,
  lines: [
    { id: 'p1', position: 1, costCode: '03-300', amount: 10000 },
    { id: 'p2', position: 2, costCode: '09-250', amount: 5000 },
  ],
};
const acu = (over: Partial<AcumaticaCommitmentFacts>): AcumaticaCommitmentFacts => ({
  entity: 'Subcontract',
  key: 'SC000001',
  vendorId: 'V1',
  projectId: 'P1',
  vendorRef: '',
  description: 'Something else',
  total: 15000,
  lines: [
    { id: '1', position: 1, costCode: '03-300', amount: 10000 },
    { id: '2', position: 2, costCode: '09-250', amount: 5000 },
  ],
  ...over,
});

test('rules in order: marker, number, VendorRef, description and total', () => {
  expect(decideCommitment(procore, [acu({ vendorRef: 'PROCORE-77' })])).toMatchObject({ rule: 'marker' });
  expect(decideCommitment(procore, [acu({ key: 'sc-001' })])).toMatchObject({ action: 'adopt', rule: 'number' });
  expect(decideCommitment(procore, [acu({ vendorRef: 'SC-001' })])).toMatchObject({ rule: 'vendor_ref' });
  expect(decideCommitment(procore, [acu({ description: 'concrete  package' })])).toMatchObject({
    rule: 'description_total',
    differences: [],
  });
  expect(decideCommitment(procore, [acu({ description: 'SC-001 Concrete package' })])).toMatchObject({
    rule: 'description_total',
  });
});

test('an identifier match adopts despite a different total, and reports the difference', () => {
  const d = decideCommitment(procore, [acu({ vendorRef: 'SC-001', total: 16000, description: 'Concrete package' })]);
  expect(d).toMatchObject({ action: 'adopt', differences: [{ field: 'total', procore: 15000, acumatica: 16000 }] });
});

test('ties and near misses are never guessed', () => {
  const tie = decideCommitment(procore, [
    acu({ key: 'A', description: 'Concrete package' }),
    acu({ key: 'B', description: 'Concrete package' }),
  ]);
  expect(tie).toMatchObject({ action: 'review', reason: 'ambiguous', candidates: ['A', 'B'] });
  const near = decideCommitment(procore, [acu({ description: 'Concrete package', total: 15250 })]);
  expect(near).toMatchObject({ action: 'review', reason: 'near_miss' });
  expect(decideCommitment(procore, [acu({})])).toEqual({ action: 'create' });
  expect(decideCommitment(procore, [])).toEqual({ action: 'create' });
});

test('a document two Procore records would adopt goes to review for both', () => {
  const target = acu({ key: 'X' });
  const d: Decision = {
    action: 'adopt',
    rule: 'number',
    target,
    differences: [],
    lineMatches: [],
    unmatchedLines: [],
  };
  const out = resolveContested([
    { id: 1, decision: d },
    { id: 2, decision: d },
  ]);
  expect(out.map((o) => o.decision.action)).toEqual(['review', 'review']);
});

test('lines match by cost code and amount, else by line number with the same cost code', () => {
  const rows = [
    { id: '1', position: 1, costCode: '03-300', amount: 11000 },
    { id: '2', position: 2, costCode: '09-250', amount: 5000 },
  ];
  expect(matchLines(procore.lines, rows)).toEqual({
    matches: [
      { procoreLineId: 'p1', lineNbr: '1' },
      { procoreLineId: 'p2', lineNbr: '2' },
    ],
    unmatched: [],
  });
  expect(matchLines(procore.lines, [{ id: '5', position: 1, costCode: '01-500', amount: 10000 }]).unmatched).toEqual([
    'p1',
    'p2',
  ]);
});

describe('commitment change orders', () => {
  const cco: ProcoreChangeOrderFacts = {
    id: '501',
    number: 'CO-7',
    title: 'Added footing',
    total: 1250.5,
    lines: [{ id: 'l1', position: 1, costCode: '03-300', amount: 1250.5 }],
  };
  const co = (over: Partial<AcumaticaChangeOrderFacts>): AcumaticaChangeOrderFacts => ({
    entity: 'ChangeOrder',
    key: 'CO000042',
    projectId: 'P1',
    externalRef: '',
    description: 'Something else',
    total: 1250.5,
    commitmentKeys: ['SC000001'],
    lines: [{ id: '1', position: 1, costCode: '03-300', amount: 1250.5 }],
    ...over,
  });

  test('rules in order: marker, number in ExternalRefNbr, description and total', () => {
    expect(decideChangeOrder(cco, [co({ externalRef: 'PROCORE-501' })])).toMatchObject({ rule: 'marker' });
    expect(decideChangeOrder(cco, [co({ externalRef: 'co-7' })])).toMatchObject({ action: 'adopt', rule: 'number' });
    expect(decideChangeOrder(cco, [co({ description: 'CO-7 Added footing' })])).toMatchObject({
      rule: 'description_total',
      lineMatches: [{ procoreLineId: 'l1', lineNbr: '1' }],
    });
    // Acumatica's own auto-number is never compared with the Procore number.
    expect(decideChangeOrder(cco, [co({ key: 'CO-7' })])).toEqual({ action: 'create' });
  });

  test('a different total is a near miss, two equal candidates are ambiguous: both go to review', () => {
    expect(decideChangeOrder(cco, [co({ description: 'Added footing', total: 1250.51 })])).toMatchObject({
      action: 'review',
      reason: 'near_miss',
    });
    expect(
      decideChangeOrder(cco, [
        co({ description: 'Added footing' }),
        co({ key: 'CO000043', description: 'Added footing' }),
      ]),
    ).toMatchObject({ action: 'review', reason: 'ambiguous', candidates: ['CO000042', 'CO000043'] });
  });
});

describe('direct costs', () => {
  const lines = [
    { id: 'p1', position: 1, costCode: '03-300', amount: 2000.25 },
    { id: 'p2', position: 2, costCode: '09-250', amount: 500 },
  ];
  const cost: ProcoreDirectCostFacts = {
    id: '9001',
    originId: '',
    type: 'Invoice',
    date: '2024-03-10',
    invoiceNumber: '',
    vendor: 'V1',
    total: 2500.25,
    lines,
  };
  const tx = (over: Partial<AcumaticaDirectCostFacts>): AcumaticaDirectCostFacts => ({
    entity: 'ProjectTransaction',
    key: 'AP:AP000001',
    description: 'Invoice',
    type: 'Invoice',
    date: '2024-03-10',
    invoiceNumber: '000101',
    vendor: 'V1',
    total: 2500.25,
    lines: [
      { id: 'AP:AP000001:1', position: 1, costCode: '03-300', amount: 2000.25 },
      { id: 'AP:AP000001:2', position: 2, costCode: '09-250', amount: 500 },
    ],
    ...over,
  });

  test('origin_id, then invoice number, then type + date + total; the line origin_ids come from the match', () => {
    expect(decideDirectCost({ ...cost, originId: 'AP:AP000001' }, [tx({ date: '2024-01-01' })])).toMatchObject({
      rule: 'origin_id',
    });
    expect(decideDirectCost({ ...cost, invoiceNumber: '000101' }, [tx({ total: 9 })])).toMatchObject({
      action: 'adopt',
      rule: 'invoice_number',
      differences: [{ field: 'total', procore: 2500.25, acumatica: 9 }],
    });
    expect(decideDirectCost(cost, [tx({})])).toMatchObject({
      rule: 'date_total',
      lineMatches: [
        { procoreLineId: 'p1', lineNbr: 'AP:AP000001:1' },
        { procoreLineId: 'p2', lineNbr: 'AP:AP000001:2' },
      ],
    });
    // Another vendor never matches.
    expect(decideDirectCost(cost, [tx({ vendor: 'V2' })])).toEqual({ action: 'create' });
  });

  test('near misses, ties and lines that do not pair up go to review', () => {
    expect(decideDirectCost(cost, [tx({ total: 2500.26 })])).toMatchObject({ reason: 'near_miss' });
    expect(decideDirectCost(cost, [tx({}), tx({ key: 'AP:AP000002' })])).toMatchObject({ reason: 'ambiguous' });
    const oneLine = { ...cost, lines: [{ id: 'p1', position: 1, costCode: '03-300', amount: 2500.25 }] };
    expect(decideDirectCost(oneLine, [tx({})])).toMatchObject({ action: 'review', reason: 'lines_differ' });
  });
});

describe('bills (subcontractor invoices)', () => {
  const invoice = {
    id: '501',
    type: 'Bill',
    date: '2024-03-31',
    invoiceNumber: 'INV-42',
    vendor: '',
    total: 2542,
    lines: [{ id: 'r1', position: 1, costCode: '03-300', amount: 2542 }],
  };
  const bill = (over: Partial<AcumaticaBillFacts>): AcumaticaBillFacts => ({
    entity: 'Bill',
    key: '000101',
    type: 'Bill',
    date: '2024-03-31',
    invoiceNumber: 'SCAN-7',
    vendor: '',
    description: 'SC900042 Work this period',
    total: 2542,
    commitmentKeys: ['SC900042'],
    lines: [{ id: '1', position: 1, costCode: '03-300', amount: 2542 }],
    ...over,
  });

  test('rules in order: marker (VendorRef), invoice number (VendorRef), date and total', () => {
    expect(decideBill(invoice, [bill({ invoiceNumber: 'PROCORE-501', date: '2024-01-01' })])).toMatchObject({
      rule: 'marker',
    });
    expect(decideBill(invoice, [bill({ invoiceNumber: 'inv-42', total: 99, lines: [] })])).toMatchObject({
      action: 'review',
      reason: 'lines_differ',
    });
    expect(
      decideBill(invoice, [
        bill({
          invoiceNumber: 'INV-42',
          total: 2500,
          lines: [{ id: '1', position: 1, costCode: '03-300', amount: 2500 }],
        }),
      ]),
    ).toMatchObject({
      action: 'adopt',
      rule: 'invoice_number',
      differences: [{ field: 'total', procore: 2542, acumatica: 2500 }],
      lineMatches: [{ procoreLineId: 'r1', lineNbr: '1' }],
    });
    expect(decideBill(invoice, [bill({})])).toMatchObject({ action: 'adopt', rule: 'date_total' });
    expect(decideBill(invoice, [bill({ date: '2024-04-01' })])).toEqual({ action: 'create' });
  });

  test('a near miss and a tie go to review', () => {
    expect(decideBill(invoice, [bill({ total: 2582 })])).toMatchObject({ action: 'review', reason: 'near_miss' });
    expect(decideBill(invoice, [bill({}), bill({ key: '000102' })])).toMatchObject({
      action: 'review',
      reason: 'ambiguous',
      candidates: ['000101', '000102'],
    });
  });
});

describe('budget lines (rule budget_code)', () => {
  const row = (costCode: string, accountGroup: string, amount: number, task = '01'): BudgetRowFacts => ({
    key: `P1:${task}:${accountGroup}:${costCode}:Cost`,
    task,
    accountGroup,
    costCode,
    amount,
    description: '',
  });
  const line = (
    id: string,
    costCode: string,
    amount: number,
    accountGroup: string | null = null,
  ): ProcoreBudgetLine => ({
    id,
    position: Number(id),
    costCode,
    accountGroup,
    amount,
    description: '',
  });

  test('a line takes the one row of its cost code; an amount that differs is reported, not refused', () => {
    const r = matchBudgetLines(
      [line('1', '03-300', 100), line('2', '09-250', 50.25)],
      [row('03-300', 'LABOR', 100), row('09-250', 'MATERIAL', 50.2)],
    );
    expect(r.matches.map((m) => [m.line.id, m.row.key])).toEqual([
      ['1', 'P1:01:LABOR:03-300:Cost'],
      ['2', 'P1:01:MATERIAL:09-250:Cost'],
    ]);
    expect(budgetLineDifferences(r.matches)).toEqual([{ field: 'line 2 amount', procore: 50.25, acumatica: 50.2 }]);
  });

  test('two rows of the cost code are never guessed, unless the cost type names the account group', () => {
    const rows = [row('03-300', 'LABOR', 100), row('03-300', 'MATERIAL', 100)];
    const unknown = matchBudgetLines([line('1', '03-300', 100)], rows);
    expect(unknown.matches).toEqual([]);
    expect(unknown.ambiguous.map((a) => a.rows.length)).toEqual([2]);
    const known = matchBudgetLines([line('1', '03-300', 100, 'MATERIAL')], rows);
    expect(known.matches.map((m) => m.row.accountGroup)).toEqual(['MATERIAL']);
  });

  test('a row is matched once; a line without a row is left for the export to create', () => {
    const r = matchBudgetLines(
      [line('1', '03-300', 100, 'LABOR'), line('2', '03-300', 100, 'LABOR')],
      [row('03-300', 'LABOR', 100)],
    );
    expect(r.matches.map((m) => m.line.id)).toEqual(['1']);
    expect(r.unmatched.map((l) => l.id)).toEqual(['2']);
  });
});

describe('change orders of a budget (PCCOs, budget changes)', () => {
  const pcco: ProcoreChangeOrderFacts = {
    id: '501',
    number: 'PCCO-3',
    title: 'Owner change 3',
    total: 8200,
    lines: [{ id: 'l1', position: 1, costCode: '03-300', amount: 8200 }],
  };
  const co = (over: Partial<AcumaticaBudgetChangeOrderFacts>): AcumaticaBudgetChangeOrderFacts => ({
    entity: 'ChangeOrder',
    key: 'CO000010',
    projectId: 'P1',
    externalRef: '',
    description: '',
    total: 8200,
    lines: [{ id: '01:REVENUE:03-300', position: 1, costCode: '03-300', amount: 8200 }],
    ...over,
  });

  test('by number, then description and total; rows link by their budget key', () => {
    const byNumber = decideChangeOrder(pcco, [co({ externalRef: 'PCCO-3' }), co({ key: 'CO000011' })]);
    expect(byNumber).toMatchObject({ action: 'adopt', rule: 'number', target: { key: 'CO000010' } });
    expect(byNumber.action === 'adopt' && byNumber.lineMatches).toEqual([
      { procoreLineId: 'l1', lineNbr: '01:REVENUE:03-300' },
    ]);
    expect(decideChangeOrder(pcco, [co({ description: 'Owner change 3' })])).toMatchObject({
      action: 'adopt',
      rule: 'description_total',
    });
  });

  test('the same description with another total is a near miss; two equal ones are ambiguous', () => {
    expect(decideChangeOrder(pcco, [co({ description: 'Owner change 3', total: 8260 })])).toMatchObject({
      action: 'review',
      reason: 'near_miss',
    });
    expect(
      decideChangeOrder(pcco, [
        co({ description: 'Owner change 3' }),
        co({ key: 'CO000011', description: 'Owner change 3' }),
      ]),
    ).toMatchObject({ action: 'review', reason: 'ambiguous', candidates: ['CO000010', 'CO000011'] });
  });
});
