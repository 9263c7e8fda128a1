import { changedFields, sameValue } from '../../mappings/changed-fields';
import { diffLines, lineKeysAfter, type LineIdentity, type Row } from '../../mappings/line-diff';

const wrap = (o: Record<string, unknown>): Row =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'id' ? v : { value: v }])) as Row;

/** Subcontract-like rows: identity by LineNbr. */
const numbered: LineIdentity = {
  collection: 'Details',
  rowKey: (doc, row) => `${doc}:${(row.LineNbr as { value: number }).value}`,
  matchFields: ['CostCode', 'LineDescription', 'Amount'],
  lockedReason: (row) => ((row.Completed as { value?: boolean } | undefined)?.value ? 'it is completed' : undefined),
};

/** Change-order budget rows: identity by task x account group x cost code. */
const budgetKeyed: LineIdentity = {
  collection: 'CostBudget',
  rowKey: (doc, row) =>
    [doc, ...['ProjectTaskID', 'AccountGroup', 'CostCode'].map((f) => (row[f] as { value: string }).value)].join(':'),
  matchFields: ['ProjectTaskID', 'AccountGroup', 'CostCode'],
  keyFields: ['ProjectTaskID', 'AccountGroup', 'CostCode'],
};

const line = (code: string, description: string, amount: number) => ({
  Project: 'RMOB24017',
  Task: '01',
  CostCode: code,
  LineDescription: description,
  Amount: amount,
});
const row = (id: string, nbr: number, l: ReturnType<typeof line>, extra: Record<string, unknown> = {}) =>
  wrap({ id, LineNbr: nbr, ...l, OrderQty: 1, ...extra });

const A = line('03-300', 'Footings', 1000);
const B = line('03-350', 'Finishing', 2000);
const C = line('03-400', 'Curing', 3000);
const D = line('04-200', 'Masonry', 4000);
const rows = [row('r1', 1, A), row('r2', 2, B), row('r3', 3, C)];
const linked = new Map([
  ['pA', 'SC1:1'],
  ['pB', 'SC1:2'],
  ['pC', 'SC1:3'],
]);
const base = { docKey: 'SC1', identity: numbered, rows, linked };

describe('diffLines (numbered rows)', () => {
  it('sends nothing when every line matches its linked row', () => {
    const diff = diffLines({ ...base, desired: [A, B, C], lineIds: ['pA', 'pB', 'pC'], lineLabels: ['a', 'b', 'c'] });
    expect(diff.put).toEqual([]);
    expect(diff.plan).toEqual(['r1', 'r2', 'r3'].map((rowId) => ({ kind: 'row', rowId })));
    expect(diff).toMatchObject({ updated: 0, added: 0, deleted: 0, unlinkLineIds: [], problems: [] });
  });

  it('changes one line, adds one, deletes one and leaves the rest alone', () => {
    const changedB = { ...B, Amount: 2500, LineDescription: 'Finishing, broom' };
    const diff = diffLines({
      ...base,
      desired: [A, changedB, D],
      lineIds: ['pA', 'pB', 'pD'],
      lineLabels: ['a', 'b', 'd'],
    });
    // Deletes first, then the changed fields of changed rows (with their id), then new rows.
    expect(diff.put).toEqual([
      { id: 'r3', delete: true },
      { id: 'r2', LineDescription: 'Finishing, broom', Amount: 2500 },
      D,
    ]);
    expect(diff.plan).toEqual([
      { kind: 'row', rowId: 'r1' },
      { kind: 'row', rowId: 'r2' },
      { kind: 'added', index: 0 },
    ]);
    expect(diff).toMatchObject({ updated: 1, added: 1, deleted: 1, removed: 1, unlinkLineIds: ['pC'] });
  });

  it('refuses to change or delete a completed line, and names it', () => {
    const frozen = [row('r1', 1, A), row('r2', 2, B, { Completed: true }), row('r3', 3, C, { Completed: true })];
    const diff = diffLines({
      ...base,
      rows: frozen,
      desired: [A, { ...B, Amount: 1 }],
      lineIds: ['pA', 'pB'],
      lineLabels: ['Footings', 'Finishing'],
    });
    expect(diff.problems).toEqual([
      'Line SC1:2 ("Finishing") cannot change in Acumatica because it is completed; Procore changed its Amount.',
      'Line SC1:3 was removed in Procore but cannot be deleted in Acumatica because it is completed.',
    ]);
    expect(diff.put).toEqual([]);
  });

  it('an unchanged completed line is no problem', () => {
    const frozen = [row('r1', 1, A, { Completed: true })];
    const diff = diffLines({
      ...base,
      rows: frozen,
      linked: new Map([['pA', 'SC1:1']]),
      desired: [A],
      lineIds: ['pA'],
      lineLabels: ['a'],
    });
    expect(diff.problems).toEqual([]);
    expect(diff.put).toEqual([]);
  });

  it('adopts rows by position when the document has no line links (its first export lost its answer)', () => {
    const diff = diffLines({
      ...base,
      linked: new Map(),
      desired: [A, B, C],
      lineIds: ['pA', 'pB', 'pC'],
      lineLabels: ['a', 'b', 'c'],
    });
    expect(diff.put).toEqual([]);
    expect(diff.plan.map((p) => (p.kind === 'row' ? p.rowId : 'new'))).toEqual(['r1', 'r2', 'r3']);
  });

  it('a retry after Acumatica committed the update adopts the added row and does not delete again', () => {
    // The first attempt changed B, added D and deleted C; its answer was lost. Links are still the old ones.
    const committed = [row('r1', 1, A), row('r2', 2, { ...B, Amount: 2500 }), row('r4', 4, D)];
    const diff = diffLines({
      ...base,
      rows: committed,
      desired: [A, { ...B, Amount: 2500 }, D],
      lineIds: ['pA', 'pB', 'pD'],
      lineLabels: ['a', 'b', 'd'],
    });
    expect(diff.put).toEqual([]);
    expect(diff.plan).toEqual([
      { kind: 'row', rowId: 'r1' },
      { kind: 'row', rowId: 'r2' },
      { kind: 'row', rowId: 'r4' },
    ]);
    expect(diff.unlinkLineIds).toEqual(['pC']);
  });

  it('leaves rows nobody linked (added in Acumatica) alone', () => {
    const withManual = [...rows, row('r9', 9, line('01-500', 'Added in Acumatica', 50))];
    const diff = diffLines({
      ...base,
      rows: withManual,
      desired: [A, B, C],
      lineIds: ['pA', 'pB', 'pC'],
      lineLabels: ['a', 'b', 'c'],
    });
    expect(diff.put).toEqual([]);
  });
});

describe('diffLines (budget-keyed rows)', () => {
  const budget = (task: string, group: string, code: string, amount: number) => ({
    ProjectTaskID: task,
    AccountGroup: group,
    CostCode: code,
    Description: code,
    Amount: amount,
  });
  const x = budget('03', 'SUBCON', '03-300', 100);
  const y = budget('03', 'SUBCON', '26-050', 200);
  const budgetRows = [wrap({ id: 'b1', ...x }), wrap({ id: 'b2', ...y })];
  const budgetLinks = new Map([
    ['p1', 'CO1:03:SUBCON:03-300'],
    ['p2', 'CO1:03:SUBCON:26-050'],
  ]);

  it('updates the amount of a row in place', () => {
    const diff = diffLines({
      docKey: 'CO1',
      identity: budgetKeyed,
      rows: budgetRows,
      linked: budgetLinks,
      desired: [{ ...x, Amount: 150 }, y],
      lineIds: ['p1', 'p2'],
      lineLabels: ['x', 'y'],
    });
    expect(diff.put).toEqual([{ id: 'b1', Amount: 150 }]);
  });

  it('a line moved to another cost code is a new row; its old row is deleted and unlinked', () => {
    const moved = budget('03', 'SUBCON', '03-350', 200);
    const diff = diffLines({
      docKey: 'CO1',
      identity: budgetKeyed,
      rows: budgetRows,
      linked: budgetLinks,
      desired: [x, moved],
      lineIds: ['p1', 'p2'],
      lineLabels: ['x', 'moved'],
    });
    expect(diff.put).toEqual([{ id: 'b2', delete: true }, moved]);
    expect(diff.unlinkLineIds).toEqual(['p2']);
    expect(diff.removed).toBe(0);
  });

  it('a line removed in Procore and added again under the same key reuses the row', () => {
    const again = { ...y, Amount: 250 };
    const diff = diffLines({
      docKey: 'CO1',
      identity: budgetKeyed,
      rows: budgetRows,
      linked: budgetLinks,
      desired: [x, again],
      lineIds: ['p1', 'p3'],
      lineLabels: ['x', 'again'],
    });
    expect(diff.put).toEqual([{ id: 'b2', Amount: 250 }]);
    expect(diff.plan[1]).toEqual({ kind: 'row', rowId: 'b2' });
    expect(diff.unlinkLineIds).toEqual(['p2']);
  });
});

describe('lineKeysAfter', () => {
  it('keys found rows by their id and added rows in the order they were sent', () => {
    const before = [row('r1', 1, A), row('r2', 2, B)];
    const after = [row('r1', 1, A), row('r2', 2, B), row('n1', 5, C), row('n2', 6, D)];
    const keys = lineKeysAfter(
      'SC1',
      numbered,
      [
        { kind: 'added', index: 1 },
        { kind: 'row', rowId: 'r2' },
        { kind: 'added', index: 0 },
      ],
      before,
      after,
    );
    expect(keys).toEqual(['SC1:6', 'SC1:2', 'SC1:5']);
  });

  it('fails loudly when Acumatica answered without a row the connector wrote', () => {
    expect(() => lineKeysAfter('SC1', numbered, [{ kind: 'added', index: 0 }], rows, rows)).toThrow(/lacks a row/);
  });
});

describe('changedFields', () => {
  it('compares dates by day and numbers exactly, and skips collections, linked entities and immutables', () => {
    const existing = wrap({ Date: '2024-03-18T00:00:00+00:00', Amount: 10.5, VendorID: 'V1', Note: 'x' });
    expect(
      changedFields(
        { Date: '2024-03-18', Amount: 10.5, VendorID: 'V2', Note: 'y', Details: [], Contact: { a: 1 } },
        existing,
        ['VendorID'],
      ),
    ).toEqual({ Note: 'y' });
    expect(sameValue(10.5, 10.51)).toBe(false);
    expect(sameValue('2024-03-19', '2024-03-18T00:00:00+00:00')).toBe(false);
  });
});
