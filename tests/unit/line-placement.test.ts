/**
 * Line placement (issue #12 item 1): a line's task is its sub job's linked task; only a line without a sub job goes
 * to the project's default task; a line on a sub job without a task is a problem naming the line and the sub job.
 */
import { mapBill, type BillSnapshot } from '../../mappings/bill';
import { mapCommitmentChangeOrder, type ChangeOrderSnapshot } from '../../mappings/change-order';
import { mapPurchaseOrder, mapSubcontract, type CommitmentSnapshot } from '../../mappings/commitment';
import { placeLines, taskOfLinkKey } from '../../mappings/line-placement';

const inputs = {
  taskOfSubJob: new Map<string, string | undefined>([
    ['02', '02'],
    ['03', '03'],
    ['04', undefined],
  ]),
  defaultTask: '01',
  documentLabel: 'SC-24017-009',
  projectKey: 'RMOB24017',
};

describe('placeLines', () => {
  it('puts each line on its sub job task, and only lines without a sub job on the default task', () => {
    expect(
      placeLines(
        [
          { label: 'Drywall', subJobCode: '02' },
          { label: 'Paving', subJobCode: '03' },
          { label: 'General', subJobCode: null },
        ],
        inputs,
      ),
    ).toEqual({ ok: true, tasks: ['02', '03', '01'] });
  });

  it('refuses a line whose sub job is not linked to a task, naming the line and the sub job', () => {
    const placed = placeLines(
      [
        { label: 'Drywall', subJobCode: '02' },
        { label: 'Landscaping', subJobCode: '04' },
        { label: 'Fencing', subJobCode: '04' },
      ],
      inputs,
    );
    expect(placed).toEqual({
      ok: false,
      problems: [
        'Lines "Landscaping", "Fencing" of SC-24017-009 are on sub job 04, which is not linked to a task of Acumatica project RMOB24017. Export the project again (it creates a task per sub job) or import the task into Procore, then resend.',
      ],
    });
  });

  it('refuses a sub job the project does not have, and a line without sub job when there is no default task', () => {
    const placed = placeLines(
      [
        { label: 'Curbs', subJobCode: '09' },
        { label: 'General', subJobCode: null },
      ],
      { ...inputs, defaultTask: null },
    );
    expect(placed.ok).toBe(false);
    const problems = (placed as { problems: string[] }).problems;
    expect(problems[0]).toMatch(/Line "Curbs" of SC-24017-009 names sub job 09, which the project does not have/);
    expect(problems[1]).toMatch(
      /Line "General" of SC-24017-009 has no sub job, and Acumatica project RMOB24017 has no default task/,
    );
  });

  it('reads the task off a sub job link key of the same project only', () => {
    expect(taskOfLinkKey('RMOB24017:02', 'RMOB24017')).toBe('02');
    expect(taskOfLinkKey('OTHER:02', 'RMOB24017')).toBeUndefined();
    expect(taskOfLinkKey('02', 'RMOB24017')).toBeUndefined();
  });
});

describe('the mappings put each line on its placed task', () => {
  const line = (id: string, subJobCode: string | null) => ({
    id,
    subJobCode,
    costCode: '03-300',
    description: `Line ${id}`,
    amount: '100.00',
    quantity: null,
    unitCost: null,
    uom: null,
  });
  const commitment: CommitmentSnapshot = {
    procoreId: '1',
    type: 'work_order_contract',
    projectId: '562001',
    number: 'SC-1',
    title: 'Two sub jobs',
    label: 'SC-1 Two sub jobs',
    vendorId: '31001',
    vendorName: 'Acme',
    retainagePercent: null,
    contractDate: null,
    grandTotal: '200.00',
    lineIds: ['a', 'b'],
    lines: [line('a', '02'), line('b', '03')],
  };
  const targets = { vendorKey: 'V', projectKey: 'P', projectTask: '01', lineTasks: ['02', '03'] };

  it('subcontract (Task) and purchase order (ProjectTask)', () => {
    expect((mapSubcontract(commitment, targets).Details as Array<{ Task: string }>).map((d) => d.Task)).toEqual([
      '02',
      '03',
    ]);
    expect(
      (mapPurchaseOrder(commitment, targets).Details as Array<{ ProjectTask: string }>).map((d) => d.ProjectTask),
    ).toEqual(['02', '03']);
  });

  it('commitment change order (ProjectTaskID) and bill (ProjectTask)', () => {
    const cco: ChangeOrderSnapshot = {
      procoreId: '2',
      label: 'CCO-1',
      lineIds: ['x', 'y'],
      projectId: '562001',
      commitmentId: '1',
      commitmentType: 'work_order_contract',
      number: 'CCO-1',
      date: null,
      lines: ['x', 'y'].map((procoreId) => ({
        procoreId,
        costCode: null,
        description: procoreId,
        amount: '5',
        quantity: null,
        unitCost: null,
        uom: null,
        commitmentLineId: null,
      })),
    };
    const coLines = mapCommitmentChangeOrder(cco, {
      projectKey: 'P',
      commitmentKey: 'SC1',
      vendorKey: 'V',
      lineNbrs: {},
      lineTasks: ['03', '01'],
    }).Commitments as Array<{ ProjectTaskID: string }>;
    expect(coLines.map((l) => l.ProjectTaskID)).toEqual(['03', '01']);

    const bill: BillSnapshot = {
      procoreId: '3',
      label: 'Pay app 1',
      lineIds: ['x'],
      projectId: '562001',
      commitmentId: '1',
      invoiceNumber: null,
      number: '1',
      billingDate: null,
      retainagePercent: null,
      items: [
        {
          procoreId: 'x',
          commitmentLineId: 'a',
          costCode: null,
          description: 'x',
          amount: '10',
          retainage: null,
        },
      ],
    };
    const billLines = mapBill(bill, {
      vendorKey: 'V',
      projectKey: 'P',
      subcontractKey: 'SC1',
      lineNbrs: { a: 1 },
      lineTasks: ['02'],
    }).Details as Array<{ ProjectTask: string }>;
    expect(billLines.map((l) => l.ProjectTask)).toEqual(['02']);
  });
});
