/**
 * Entity rules of the Acumatica simulator, over HTTP through the real client: vendors and branch visibility,
 * purchase orders and the PO-approval setting, project budgets, change orders (cost, revenue, commitments) and
 * their release, bills with subcontract lines and retainage ($custom), checks paying bills, project transactions,
 * PUT matching (keys, id, $filter), the Projects feature switch, seeds and sizes.
 */
import { AcumaticaClient, val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { and, eq } from '../../clients/acumatica/odata';
import { ConflictError, ValidationError } from '../../lib/errors';
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY, DEMO_PROJECT } from 'simulator-common';

const P = DEMO_PROJECT.acumaticaProjectId;
type Sim = ReturnType<typeof createAcumaticaSimulator>;

let sim: Sim;
let server: { url: string; close(): Promise<void> };
let c: AcumaticaClient;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const admin = async (path: string, body?: unknown): Promise<Json> => {
  const res = await fetch(server.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status === 204 ? undefined : res.json();
};

beforeAll(async () => {
  sim = createAcumaticaSimulator({ release: '2024R1', actionPolls: 0 });
  server = await sim.listen(0);
  c = new AcumaticaClient({
    baseUrl: server.url,
    tenant: DEMO_COMPANY.acumaticaTenant,
    branch: 'HQ',
    username: DEMO_COMPANY.acumaticaLogin.name,
    password: DEMO_COMPANY.acumaticaLogin.password,
    pollIntervalMs: 5,
  });
});
afterAll(async () => {
  await c.close();
  await server.close();
});
beforeEach(async () => {
  await admin('/__admin/reset', {});
});

const fieldErrors = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a 422');
    },
    (e: ValidationError) => e.details?.fieldErrors,
  );

describe('seed', () => {
  it('demo tenant: vendors, project with tasks, cost codes, account groups, AP history released by the rules', async () => {
    const state = await admin('/__admin/state');
    expect(state.counts).toMatchObject({
      Vendor: 6,
      Project: 1,
      ProjectTask: 3,
      CostCode: 12,
      AccountGroup: 6,
      Bill: 3,
      Check: 2,
    });
    const bills = await c.list('Bill', { expand: ['Applications'] });
    const byNbr = Object.fromEntries(bills.map((b) => [val(b.ReferenceNbr), b]));
    expect(val(byNbr['000101'].Status)).toBe('Closed');
    expect(val(byNbr['000102'].Status)).toBe('Open');
    expect(val(byNbr['000102'].Balance)).toBe(6680.4);
    expect((byNbr['000102'].Applications as AcumaticaRecord[]).map((a) => val(a.ReferenceNbr))).toEqual(['000202']);
    const trans = await c.list('ProjectTransaction', { expand: ['Details'] });
    expect(trans.map((t) => val(t.Module)).sort()).toEqual(['AP', 'AP', 'AP', 'EP', 'PR']);
    expect(trans.every((t) => val(t.Status) === 'Released')).toBe(true);
    // Released transactions became budget actuals.
    const labor = await c.list('ProjectBudget', { filter: and(eq('AccountGroup', 'LABOR'), eq('CostCode', '01-500')) });
    expect(val(labor[0].ActualAmount)).toBe(9840);
  });

  it('sizes: small adds generated vendors, cost codes, projects and 2,000 transaction lines', async () => {
    await admin('/__admin/reset', { size: 'small' });
    const state = await admin('/__admin/state');
    expect(state.size).toBe('small');
    expect(state.counts.Vendor).toBe(206);
    expect(state.counts.CostCode).toBe(112);
    expect(state.counts.Project).toBe(11);
    const trans = await c.list('ProjectTransaction', { filter: eq('Status', 'Released'), expand: ['Details'] });
    expect(trans.reduce((n, t) => n + (t.Details as unknown[]).length, 0)).toBe(2000 + 6);
  });
});

describe('vendors', () => {
  it('class and status are validated; LastModifiedDateTime moves on every change', async () => {
    expect(
      await fieldErrors(c.put('Vendor', { VendorID: 'VX1', VendorName: 'X', VendorClass: 'BOGUS', Status: 'Zombie' })),
    ).toEqual({
      VendorClass: "Vendor Class 'BOGUS' cannot be found in the system.",
      Status: "'Zombie' is not a valid vendor status.",
    });
    const before = val<string>((await c.get('Vendor', 'V100231')).LastModifiedDateTime)!;
    sim.advanceClock(60_000);
    const after = await c.put('Vendor', { VendorID: 'V100231', Status: 'On Hold' });
    expect(val(after.Status)).toBe('On Hold');
    expect(Date.parse(val<string>(after.LastModifiedDateTime)!)).toBeGreaterThan(Date.parse(before));
    const changed = await c.list('Vendor', { filter: `LastModifiedDateTime gt datetimeoffset'${before}'` });
    expect(changed.map((v) => val(v.VendorID))).toEqual(['V100231']);
  });

  it('branch visibility: the vendor list follows PX-CbApiBranch; restriction groups are admin-settable', async () => {
    const ids = async (branch: string) => (await c.list('Vendor', { branch })).map((v) => val(v.VendorID)).sort();
    expect(await ids('HQ')).toEqual(['V100231', 'V100245', 'V100262', 'V100301']);
    expect(await ids('WEST')).toEqual(['V100278', 'V100290']);
    await admin('/__admin/vendor-branches', { vendorId: 'V100231', branches: [] });
    expect(await ids('WEST')).toEqual(['V100231', 'V100278', 'V100290']);
  });
});

describe('purchase orders', () => {
  const po = (extra: Record<string, unknown> = {}) => ({
    VendorID: 'V100301',
    VendorRef: 'PC-PO-1',
    Details: [
      {
        Project: P,
        ProjectTask: '01',
        CostCode: '06-100',
        OrderQty: 120,
        UnitCost: 8.75,
        LineDescription: '2x6 studs',
      },
      {
        Project: P,
        ProjectTask: '01',
        CostCode: '06-100',
        OrderQty: 40,
        UnitCost: 32.5,
        LineDescription: 'OSB sheathing',
      },
    ],
    ...extra,
  });

  it('type Normal, auto OrderNbr, totals; on hold by default, Open when released without approval', async () => {
    const created = await c.put('PurchaseOrder', po(), { expand: ['Details'] });
    expect(val(created.Type)).toBe('Normal');
    expect(val(created.OrderNbr)).toMatch(/^PO\d{6}$/);
    expect(val(created.OrderNbr)).not.toBe('PO000001'); // seeded
    expect(val(created.Status)).toBe('On Hold');
    expect(val(created.OrderTotal)).toBe(2350);
    expect((created.Details as AcumaticaRecord[]).map((d) => val(d.LineNbr))).toEqual([1, 2]);
    const open = await c.put('PurchaseOrder', { Type: 'Normal', OrderNbr: val(created.OrderNbr), Hold: false });
    expect(val(open.Status)).toBe('Open');
    const found = await c.list('PurchaseOrder', { filter: and(eq('Type', 'Normal'), eq('VendorRef', 'PC-PO-1')) });
    expect(found).toHaveLength(1);
  });

  it('with the tenant setting poApprovalRequired a PO taken off hold waits in Pending Approval', async () => {
    await admin('/__admin/config', { poApprovalRequired: true });
    const created = await c.put('PurchaseOrder', po({ Hold: false }));
    expect(val(created.Status)).toBe('Pending Approval');
    await admin('/__admin/config', { poApprovalRequired: false });
  });

  it('a PO waiting for approval stays so until an approver approves it, even after approval is turned off', async () => {
    await admin('/__admin/config', { poApprovalRequired: true });
    const created = await c.put('PurchaseOrder', po({ Hold: false }));
    await admin('/__admin/config', { poApprovalRequired: false });
    const nbr = String(val(created.OrderNbr));
    const saved = await c.put('PurchaseOrder', { Type: 'Normal', OrderNbr: nbr, Description: 'still waiting' });
    expect(val(saved.Status)).toBe('Pending Approval');
    expect(await admin('/__admin/approve-purchase-order', { orderNbr: nbr })).toEqual({
      orderNbr: nbr,
      status: 'Open',
    });
    expect(val((await c.get('PurchaseOrder', ['Normal', nbr])).Status)).toBe('Open');
  });

  it('lines are numbered from a counter (never reused); completed lines and closed orders cannot change', async () => {
    const created = await c.put('PurchaseOrder', po(), { expand: ['Details'] });
    const nbr = String(val(created.OrderNbr));
    const [first, second] = created.Details as AcumaticaRecord[];
    const afterDelete = await c.put(
      'PurchaseOrder',
      { Type: 'Normal', OrderNbr: nbr, Details: [{ id: second.id, delete: true }, { ...po().Details[0] }] },
      { expand: ['Details'] },
    );
    expect((afterDelete.Details as AcumaticaRecord[]).map((d) => val(d.LineNbr))).toEqual([1, 3]);

    await c.put('PurchaseOrder', { Type: 'Normal', OrderNbr: nbr, Details: [{ id: first.id, Completed: true }] });
    expect(
      await fieldErrors(
        c.put('PurchaseOrder', { Type: 'Normal', OrderNbr: nbr, Details: [{ id: first.id, UnitCost: 9 }] }),
      ),
    ).toEqual({ 'Details[0].UnitCost': 'The line cannot be changed because it is completed.' });
    expect(
      await fieldErrors(
        c.put('PurchaseOrder', { Type: 'Normal', OrderNbr: nbr, Details: [{ id: first.id, delete: true }] }),
      ),
    ).toEqual({ 'Details[0].LineNbr': 'The line cannot be deleted because it is completed.' });
    const lines = (await c.get('PurchaseOrder', ['Normal', nbr], { expand: ['Details'] })).Details as AcumaticaRecord[];
    expect(lines.map((d) => val(d.UnitCost))).toEqual([8.75, 8.75]);
  });

  it('422 for unknown vendor, missing task and unknown cost code on lines', async () => {
    expect(
      await fieldErrors(
        c.put(
          'PurchaseOrder',
          po({ VendorID: 'NOPE', Details: [{ Project: P, CostCode: '99-999', OrderQty: 1, UnitCost: 1 }] }),
        ),
      ),
    ).toEqual({
      VendorID: "'Vendor' cannot be found in the system.",
      'Details[0].ProjectTask': "'Project Task' cannot be empty.",
      'Details[0].CostCode': "Cost Code '99-999' cannot be found in the system.",
    });
  });
});

describe('project budget', () => {
  it('upserts by ProjectID+ProjectTaskID+AccountGroup+CostCode+InventoryID; a task is required; Type matches the group', async () => {
    const line = { ProjectID: P, ProjectTaskID: '02', AccountGroup: 'SUBCONTR', CostCode: '09-250', Type: 'Cost' };
    const a = await c.put('ProjectBudget', { ...line, OriginalBudgetedAmount: 184300 });
    const b = await c.put('ProjectBudget', { ...line, OriginalBudgetedAmount: 190000 });
    expect(b.id).toBe(a.id);
    expect(val(b.InventoryID)).toBe('<N/A>');
    expect(val(b.RevisedBudgetedAmount)).toBe(190000);
    const rev = await c.put('ProjectBudget', {
      ProjectID: P,
      ProjectTaskID: '01',
      AccountGroup: 'REVENUE',
      Type: 'Revenue',
      OriginalBudgetedAmount: 4083400,
    });
    const rev2 = await c.put('ProjectBudget', {
      ProjectID: P,
      ProjectTaskID: '01',
      AccountGroup: 'REVENUE',
      Type: 'Revenue',
      OriginalBudgetedAmount: 4100000,
    });
    expect(rev2.id).toBe(rev.id);
    expect(
      await fieldErrors(
        c.put('ProjectBudget', { ProjectID: P, AccountGroup: 'REVENUE', CostCode: '03-300', Type: 'Cost' }),
      ),
    ).toEqual({
      ProjectTaskID: "'Project Task' cannot be empty.",
      AccountGroup: "Account Group 'REVENUE' is not of the expense type.",
    });
  });
});

describe('change orders', () => {
  it('cost, revenue and commitment lines; release moves budgets and the subcontract; actions per version', async () => {
    const sc = await c.put(
      'Subcontract',
      {
        VendorID: 'V100231',
        VendorRef: 'PC-7700101',
        Details: [{ Project: P, Task: '01', CostCode: '03-300', Amount: 212750 }],
      },
      { expand: ['Details'] },
    );
    const co = await c.put(
      'ChangeOrder',
      {
        ProjectID: P,
        ExternalRefNbr: 'PC-CCO-003-001',
        Description: 'Thickened slab at mechanical room',
        CostBudget: [{ ProjectTaskID: '01', AccountGroup: 'SUBCONTR', CostCode: '03-300', Amount: 16200 }],
        RevenueBudget: [{ ProjectTaskID: '01', AccountGroup: 'REVENUE', Amount: 18650 }],
        Commitments: [
          {
            PONbr: val(sc.SubcontractNbr),
            POType: 'Subcontract',
            POLineNbr: 1,
            ProjectTaskID: '01',
            CostCode: '03-300',
            Amount: 9800,
          },
          {
            PONbr: val(sc.SubcontractNbr),
            POType: 'Subcontract',
            ProjectTaskID: '01',
            CostCode: '03-300',
            Amount: 1500,
            Description: 'New scope',
          },
        ],
      },
      { expand: ['Commitments'] },
    );
    expect(val(co.RefNbr)).toMatch(/^CO\d{6}$/);
    expect(val(co.Status)).toBe('On Hold');
    expect(val(co.CommitmentsChangeTotal)).toBe(11300);
    expect(val(co.GrossMarginAmount)).toBe(2450);
    expect((co.Commitments as AcumaticaRecord[]).map((l) => val(l.Vendor))).toEqual(['V100231', 'V100231']);
    expect(await c.list('ChangeOrder', { filter: eq('ExternalRefNbr', 'PC-CCO-003-001') })).toHaveLength(1);

    const release = () => c.invokeAction('ChangeOrder', 'ReleaseChangeOrder', { entity: { RefNbr: val(co.RefNbr) } });
    await expect(release()).rejects.toThrow(/cannot be released: its status is 'On Hold'/);
    await c.invokeAction('ChangeOrder', 'RemoveChangeOrderFromHold', { entity: { RefNbr: val(co.RefNbr) } });
    await release();
    expect(val((await c.get('ChangeOrder', String(val(co.RefNbr)))).Status)).toBe('Closed');

    const after = await c.get('Subcontract', String(val(sc.SubcontractNbr)), { expand: ['Details'] });
    expect((after.Details as AcumaticaRecord[]).map((d) => val(d.Amount))).toEqual([222550, 1500]);
    expect(val(after.SubcontractTotal)).toBe(224050);
    const [budget] = await c.list('ProjectBudget', {
      filter: and(eq('ProjectTaskID', '01'), eq('AccountGroup', 'SUBCONTR'), eq('CostCode', '03-300')),
    });
    expect(val(budget.BudgetedCOAmount)).toBe(16200);
    const [revenue] = await c.list('ProjectBudget', { filter: eq('AccountGroup', 'REVENUE') });
    expect(val(revenue.Type)).toBe('Revenue');
    expect(val(revenue.BudgetedCOAmount)).toBe(18650);
  });

  it('budget lines are unique per task, account group and cost code; a released change order cannot change', async () => {
    const costLine = { ProjectTaskID: '01', AccountGroup: 'SUBCONTR', CostCode: '03-300', Amount: 100 };
    expect(
      await fieldErrors(c.put('ChangeOrder', { ProjectID: P, CostBudget: [costLine, { ...costLine, Amount: 5 }] })),
    ).toEqual({
      'CostBudget[1].CostCode': 'A line with the same project task, account group and cost code already exists.',
    });
    const co = await c.put('ChangeOrder', { ProjectID: P, Hold: false, CostBudget: [costLine] });
    await c.invokeAction('ChangeOrder', 'ReleaseChangeOrder', { entity: { RefNbr: val(co.RefNbr) } });
    const err = await c.put('ChangeOrder', { RefNbr: val(co.RefNbr), Description: 'later' }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/The change order is released and cannot be changed/);
  });

  it('commitment lines must reference an existing PO or subcontract line', async () => {
    expect(
      await fieldErrors(
        c.put('ChangeOrder', {
          ProjectID: P,
          Commitments: [
            { PONbr: 'PO999999', ProjectTaskID: '01', Amount: 1 },
            { PONbr: 'PO000001', POType: 'Normal', POLineNbr: 7, ProjectTaskID: '01', Amount: 1 },
          ],
        }),
      ),
    ).toEqual({
      'Commitments[0].PONbr': "Commitment 'PO999999' cannot be found in the system.",
      'Commitments[1].POLineNbr': "Line 7 of commitment 'PO000001' cannot be found.",
    });
  });
});

describe('bills and checks', () => {
  it('a bill against subcontract lines with retainage ($custom), released, then paid by a check', async () => {
    const sc = await c.put(
      'Subcontract',
      {
        VendorID: 'V100231',
        VendorRef: 'PC-SC-B',
        Details: [{ Project: P, Task: '01', CostCode: '03-100', Amount: 64250 }],
      },
      { expand: ['Details'] },
    );
    const custom = [
      'Document.RetainageApply',
      'Document.CuryRetainageTotal',
      'Transactions.RetainagePct',
      'Transactions.CuryRetainageAmt',
    ];
    const bill = await c.put(
      'Bill',
      {
        Vendor: 'V100231',
        VendorRef: 'PC-REQ-1',
        Date: '2024-04-30',
        custom: {
          Document: {
            RetainageApply: { type: 'CustomBooleanField', value: true },
            DefRetainagePct: { type: 'CustomDecimalField', value: 10 },
          },
        },
        Details: [
          { POOrderType: 'Subcontract', POOrderNbr: val(sc.SubcontractNbr), POLine: 1, Qty: 1, UnitCost: 48187.5 },
        ],
      },
      { expand: ['Details'], custom },
    );
    expect(val(bill.Type)).toBe('Bill');
    expect(val(bill.ReferenceNbr)).toMatch(/^\d{6}$/);
    expect(val(bill.Status)).toBe('Balanced');
    expect(val(bill.Amount)).toBe(48187.5);
    expect(val(bill.Balance)).toBe(43368.75);
    expect(bill.custom).toEqual({
      Document: {
        RetainageApply: { type: 'CustomBooleanField', value: true },
        CuryRetainageTotal: { type: 'CustomDecimalField', value: 4818.75 },
      },
    });
    const line = (bill.Details as AcumaticaRecord[])[0];
    expect([val(line.Project), val(line.ProjectTask), val(line.CostCode)]).toEqual([P, '01', '03-100']);
    expect(line.custom).toEqual({
      Transactions: {
        RetainagePct: { type: 'CustomDecimalField', value: 10 },
        CuryRetainageAmt: { type: 'CustomDecimalField', value: 4818.75 },
      },
    });
    expect(await c.list('Bill', { filter: eq('VendorRef', 'PC-REQ-1') })).toHaveLength(1);

    const nbr = String(val(bill.ReferenceNbr));
    // Not released yet: a check cannot pay it.
    expect(
      await fieldErrors(c.put('Check', { Vendor: 'V100231', Details: [{ ReferenceNbr: nbr, AmountPaid: 100 }] })),
    ).toEqual({
      'Details[0].ReferenceNbr': 'Only released, open documents can be paid.',
    });
    await c.invokeAction('Bill', 'ReleaseBill', { entity: { Type: 'Bill', ReferenceNbr: nbr } });
    const check = await c.put('Check', { Vendor: 'V100231', PaymentRef: '10501', Details: [{ ReferenceNbr: nbr }] });
    expect(val(check.PaymentAmount)).toBe(43368.75);
    await c.invokeAction('Check', 'ReleaseCheck', { entity: { id: check.id } });
    const paid = await c.get('Bill', ['Bill', nbr], { expand: ['Applications'] });
    expect(val(paid.Balance)).toBe(0);
    expect(val(paid.Status)).toBe('Open'); // retainage still open
    expect((paid.Applications as AcumaticaRecord[]).map((a) => [val(a.DocType), val(a.AmountPaid)])).toEqual([
      ['Payment', 43368.75],
    ]);
    // Releasing retainage: part, then the rest; each release is a retainage bill of its own (same VendorRef),
    // and more than is unreleased is refused. (RetainageDocuments lists them from contract 25.200.001.)
    const unreleased = async () => {
      const b = await c.get('Bill', ['Bill', nbr], { custom: ['Document.CuryRetainageUnreleasedAmt'] });
      return (b.custom as Record<string, Record<string, { value: unknown }>>).Document.CuryRetainageUnreleasedAmt.value;
    };
    const release = (amount: number) =>
      c.invokeAction('Bill', 'ReleaseRetainage', {
        entity: { Type: 'Bill', ReferenceNbr: nbr },
        parameters: { AmtToRelease: amount },
      });
    await release(1000);
    expect(await unreleased()).toBe(3818.75);
    await expect(release(3818.76)).rejects.toThrow(/no more than the unreleased retainage \(3818\.75\)/);
    await release(3818.75);
    expect(await unreleased()).toBe(0);
    expect(val((await c.get('Bill', ['Bill', nbr])).Status)).toBe('Closed');
    const retainageBills = await c.list('Bill', { filter: eq('VendorRef', 'PC-REQ-1') });
    expect(retainageBills.map((b) => [val(b.Amount), val(b.Balance), val(b.Status)])).toEqual([
      [48187.5, 0, 'Closed'],
      [1000, 1000, 'Open'],
      [3818.75, 3818.75, 'Open'],
    ]);
    await expect(release(1)).rejects.toThrow(/no unreleased retainage/);
  });

  it('bill rules: vendor ref required, unknown custom field is 400, releasing twice is 422', async () => {
    expect(await fieldErrors(c.put('Bill', { Vendor: 'V100231', Details: [{ Qty: 1, UnitCost: 5 }] }))).toEqual({
      VendorRef: "'Vendor Ref.' cannot be empty.",
    });
    await expect(
      c.put('Bill', {
        Vendor: 'V100231',
        VendorRef: 'x',
        custom: { Document: { Nope: { type: 'CustomStringField', value: 1 } } },
      }),
    ).rejects.toThrow(/custom\.Document\.Nope/);
    await expect(c.list('Bill', { custom: ['Document.Nope'] })).rejects.toThrow(/HTTP 400/);
    await expect(
      c.invokeAction('Bill', 'ReleaseBill', { entity: { Type: 'Bill', ReferenceNbr: '000101' } }),
    ).rejects.toThrow(/already released/);
  });
});

describe('project transactions', () => {
  it('lines need project, task and account group; release adds actuals to the budget', async () => {
    expect(await fieldErrors(c.put('ProjectTransaction', { Details: [{ Project: P, Amount: 5 }] }))).toEqual({
      'Details[0].ProjectTask': "'Project Task' cannot be empty.",
      'Details[0].AccountGroup': "'Account Group' cannot be empty.",
    });
    const t = await c.put('ProjectTransaction', {
      Description: 'Crane rental',
      Details: [{ Project: P, ProjectTask: '02', CostCode: '05-120', AccountGroup: 'EQUIPMENT', Amount: 4200 }],
    });
    expect(val(t.Module)).toBe('PM');
    expect(val(t.Status)).toBe('Balanced');
    await c.invokeAction('ProjectTransaction', 'ReleaseTransactions', { entity: { id: t.id } });
    const [b] = await c.list('ProjectBudget', {
      filter: and(eq('AccountGroup', 'EQUIPMENT'), eq('CostCode', '05-120')),
    });
    expect(val(b.ActualAmount)).toBe(4200);
  });
});

describe('PUT matching', () => {
  it('by keys, by id, by $filter, auto number when no key; If-None-Match/If-Match 412; detail delete', async () => {
    const byKeys = await c.put('Vendor', { VendorID: 'V100231', VendorName: 'Acme (renamed)' });
    const byId = await c.put('Vendor', { id: byKeys.id, Terms: '45D' });
    expect(byId.id).toBe(byKeys.id);
    const byFilter = await c.put('Vendor', { Terms: '60D' }, { filter: eq('VendorName', 'Acme (renamed)') });
    expect(byFilter.id).toBe(byKeys.id);
    expect(val(byFilter.Terms)).toBe('60D');
    await expect(c.put('Vendor', { VendorID: 'V100231' }, { mode: 'insert' })).rejects.toBeInstanceOf(ConflictError);
    await expect(c.put('Vendor', { VendorID: 'NEW1', VendorName: 'n' }, { mode: 'update' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    const a = await c.put('ChangeOrder', { ProjectID: P, Description: 'a' });
    const b = await c.put('ChangeOrder', { ProjectID: P, Description: 'b' });
    expect(val(a.RefNbr)).not.toBe(val(b.RefNbr));
    const po = await c.put(
      'PurchaseOrder',
      {
        VendorID: 'V100301',
        Details: [
          { OrderQty: 1, UnitCost: 1 },
          { OrderQty: 2, UnitCost: 2 },
        ],
      },
      { expand: ['Details'] },
    );
    const [first] = po.Details as AcumaticaRecord[];
    const after = await c.put(
      'PurchaseOrder',
      { Type: 'Normal', OrderNbr: val(po.OrderNbr), Details: [{ id: first.id, delete: true }] },
      { expand: ['Details'] },
    );
    expect((after.Details as AcumaticaRecord[]).map((d) => val(d.LineNbr))).toEqual([2]);
    expect(val(after.OrderTotal)).toBe(4);
  });
});

describe('Projects feature switched off', () => {
  it('every PM entity fails with a non-retryable message naming the feature; vendors still work', async () => {
    await admin('/__admin/config', { projectsFeature: false });
    try {
      const err = await c.list('Project', { top: 1 }).catch((e) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.message).toMatch(/Projects feature \(Project Accounting\) is disabled/);
      await expect(c.list('CostCode')).rejects.toThrow(/PM209500/);
      expect(await c.list('Vendor', { top: 1 })).toHaveLength(1);
    } finally {
      await admin('/__admin/config', { projectsFeature: true });
    }
  });
});

describe('records the imports read', () => {
  it('vendors per branch, tasks, expense account groups, budget actuals, checks, transactions', async () => {
    const ids = (records: AcumaticaRecord[], field: string) => records.map((r) => val(r[field]));
    expect(ids(await c.list('Vendor', { branch: 'WEST' }), 'VendorID')).toEqual(['V100278', 'V100290']);
    expect(val((await c.get('Vendor', 'V100231')).VendorName)).toBe('Acme Concrete & Paving, LLC');
    expect(ids(await c.list('ProjectTask', { filter: eq('ProjectID', P) }), 'ProjectTaskID')).toEqual([
      '01',
      '02',
      '03',
    ]);
    expect(ids(await c.list('AccountGroup', { filter: eq('Type', 'Expense') }), 'AccountGroupID')).toContain(
      'SUBCONTR',
    );
    const line = await c.put('ProjectBudget', {
      ProjectID: P,
      ProjectTaskID: '01',
      AccountGroup: 'OTHER',
      CostCode: '01-500',
      Type: 'Cost',
      OriginalBudgetedAmount: 286500,
    });
    expect(val(line.ActualAmount)).toBe(9062.35); // seeded AP bill 8,450 + expense claim 612.35
    const checks = await c.list('Check', { expand: ['Details'] });
    expect(checks.map((k) => [val(k.ReferenceNbr), val(k.Status)])).toEqual([
      ['000201', 'Closed'],
      ['000202', 'Closed'],
    ]);
    expect(await c.list('ProjectTransaction', { expand: ['Details'] })).toHaveLength(5);
  });
});

describe('capabilities of the negotiated version', () => {
  it.each([
    ['2022R1' as const, false, { legalName: false, subcontract: false, release: '2022 R1' }],
    ['2023R1' as const, true, { legalName: true, subcontract: true, release: '2023 R1' }],
    ['2024R2' as const, false, { legalName: true, subcontract: true, release: '2024 R2' }],
  ])(
    '%s (extension %s): entities, fields and actions from the instance OpenAPI document',
    async (release, ext, want) => {
      const s = createAcumaticaSimulator({
        release,
        extensionEndpoint: ext ? { name: 'ProcoreConnector' } : undefined,
      });
      const srv = await s.listen(0);
      const cl = new AcumaticaClient({
        baseUrl: srv.url,
        endpointName: ext ? 'ProcoreConnector' : undefined,
        tenant: DEMO_COMPANY.acumaticaTenant,
        username: DEMO_COMPANY.acumaticaLogin.name,
        password: DEMO_COMPANY.acumaticaLogin.password,
      });
      try {
        const caps = await cl.capabilities();
        expect(caps.hasField('Vendor', 'LegalName')).toBe(want.legalName);
        expect(caps.hasEntity('Subcontract')).toBe(want.subcontract);
        expect(caps.hasAction('Subcontract', 'ReleaseFromHold')).toBe(want.subcontract);
        expect(caps.fieldsOf('Bill')).toContain('Applications');
        expect(caps.entities()).toContain('ProjectBudget');
        expect(await cl.hasEntity('Subcontract')).toBe(want.subcontract);
        expect(await cl.release()).toBe(want.release);
      } finally {
        await cl.close();
        await srv.close();
      }
    },
  );
});
