import {
  importKindForSyncRequest,
  IMPORT_KINDS,
  isStagedImportRequest,
  NIGHTLY_IMPORT_KINDS,
  ON_DEMAND_IMPORT_KINDS,
} from '../../lib/import-kinds';
import {
  budgetCodeKey,
  budgetLineFrom,
  budgetLineKey,
  existingLineDecision,
  PROCORE_PROJECT_FIELD,
  resolveBudgetLine,
  subJobForTask,
  type BudgetLinePayload,
  type BudgetTargets,
} from '../../mappings/budget-import';
import {
  normaliseProjectNumber,
  PROCORE_SUB_JOB_CODE_MAX,
  procoreProjectMatchKeys,
  projectImportFrom,
  projectMatchKeys,
  PROJECT_TASKS_FIELD,
  stagedProjectRecords,
  type ProjectImportPayload,
} from '../../mappings/project-import';

describe('projectImportFrom', () => {
  const warehouse = {
    ProjectID: 'WH24031',
    Description: 'Commerce City Distribution Warehouse',
    Status: 'Active',
    ExternalRefNbr: '2024-031',
    ProjectProperties: { StartDate: '2024-06-03T00:00:00+00:00', EndDate: '2025-04-30T00:00:00+00:00' },
    [PROJECT_TASKS_FIELD]: [
      { ProjectID: 'WH24031', ProjectTaskID: '02', Description: 'Shell', Status: 'Active' },
      { ProjectID: 'WH24031', ProjectTaskID: '01', Description: 'Site Work', Status: 'Planned' },
      { ProjectID: 'WH24031', ProjectTaskID: '99', Description: 'Dropped scope', Status: 'Canceled' },
      { ProjectID: 'WH24031', ProjectTaskID: '03', Status: 'Active' },
    ],
  };

  it('maps the project and its tasks (sorted, canceled ones left out, a task without description named by its ID)', () => {
    expect(projectImportFrom(warehouse)).toEqual({
      ok: true,
      payload: {
        origin_id: 'WH24031',
        name: 'Commerce City Distribution Warehouse',
        project_number: 'WH24031',
        active: true,
        archived: false,
        start_date: '2024-06-03',
        completion_date: '2025-04-30',
        from_procore: null,
        external_ref: '2024-031',
        tasks: [
          { origin_id: 'WH24031:01', code: '01', name: 'Site Work' },
          { origin_id: 'WH24031:02', code: '02', name: 'Shell' },
          { origin_id: 'WH24031:03', code: '03', name: '03' },
        ],
      },
    });
  });

  it('reads status: completed projects are inactive, canceled ones archived', () => {
    const completed = projectImportFrom({ ...warehouse, Status: 'Completed' });
    expect(completed.ok && [completed.payload.active, completed.payload.archived]).toEqual([false, false]);
    const canceled = projectImportFrom({ ...warehouse, Status: 'Canceled' });
    expect(canceled.ok && [canceled.payload.active, canceled.payload.archived]).toEqual([false, true]);
  });

  it("recognises a project exported from Procore by the connector's marker", () => {
    const exported = projectImportFrom({ ...warehouse, ExternalRefNbr: 'PROCORE-562001' });
    expect(exported.ok && [exported.payload.from_procore, exported.payload.external_ref]).toEqual(['562001', null]);
  });

  it('refuses bad data with what to fix', () => {
    expect(projectImportFrom({ ...warehouse, ProjectID: ' ' })).toEqual({
      ok: false,
      reason: 'The project has no Project ID.',
    });
    expect(projectImportFrom({ ...warehouse, Description: '' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/WH24031 has no description.*Description on the Projects form \(PM301000\)/),
    });
    expect(projectImportFrom({ ...warehouse, Description: 'x'.repeat(256) })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/256 characters; Procore project names allow 255/),
    });
    const longTask = 'T'.repeat(PROCORE_SUB_JOB_CODE_MAX + 1);
    expect(
      projectImportFrom({ ...warehouse, [PROJECT_TASKS_FIELD]: [{ ProjectTaskID: longTask, Description: 'Long' }] }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(new RegExp(`Task ${longTask} of project WH24031 has a 21-character ID.*PM302000`)),
    });
  });
});

describe('project matching', () => {
  it('normalises job numbers', () => {
    expect(normaliseProjectNumber('2024-017')).toBe('2024017');
    expect(normaliseProjectNumber(' rmob 24017 ')).toBe('RMOB24017');
  });

  it('matches by the exporting Procore project, else by origin_id, Project ID or ExternalRefNbr as job number', () => {
    expect(projectMatchKeys({ origin_id: 'WH24031', external_ref: null, from_procore: '562001' })).toEqual([
      'procore:562001',
    ]);
    expect(projectMatchKeys({ origin_id: 'WH24031', external_ref: '2024-031', from_procore: null })).toEqual([
      'origin:WH24031',
      'number:WH24031',
      'number:2024031',
    ]);
    expect(procoreProjectMatchKeys({ id: '77', project_number: '2024-031', origin_id: null })).toEqual([
      'procore:77',
      'number:2024031',
    ]);
    // A project another integration's origin_id holds is matched by that origin_id only, never by number.
    expect(procoreProjectMatchKeys({ id: '78', project_number: 'WH24031', origin_id: 'WH24031' })).toEqual([
      'procore:78',
      'origin:WH24031',
    ]);
  });
});

describe('stagedProjectRecords', () => {
  const payload: ProjectImportPayload = {
    origin_id: 'WH24031',
    name: 'Warehouse',
    project_number: 'WH24031',
    active: true,
    archived: false,
    start_date: '2024-06-03',
    completion_date: null,
    from_procore: null,
    external_ref: null,
    tasks: [{ origin_id: 'WH24031:01', code: '01', name: 'Site Work' }],
  };

  it('stages the project and each task as a sub job of it (project_origin_id, parent_origin_id)', () => {
    expect(stagedProjectRecords(payload)).toEqual([
      {
        item_type: 'project',
        origin_id: 'WH24031',
        origin_code: 'WH24031',
        status: 'staged',
        data: {
          name: 'Warehouse',
          project_number: 'WH24031',
          active: true,
          start_date: '2024-06-03',
          completion_date: null,
        },
      },
      {
        item_type: 'sub_job',
        origin_id: 'WH24031:01',
        origin_code: '01',
        parent_origin_id: 'WH24031',
        status: 'staged',
        data: { project_origin_id: 'WH24031', code: '01', name: 'Site Work' },
      },
    ]);
  });

  it('archives a canceled project with its tasks', () => {
    expect(stagedProjectRecords({ ...payload, archived: true }).map((r) => r.status)).toEqual(['archived', 'archived']);
  });
});

describe('budgetLineFrom', () => {
  const line = {
    ProjectID: 'RMOB24017',
    ProjectTaskID: '03',
    AccountGroup: 'EQUIPMENT',
    CostCode: '01-500',
    InventoryID: '<N/A>',
    Type: 'Cost',
    OriginalBudgetedAmount: 15000,
    OriginalBudgetedQty: 0,
    UnitRate: 0,
    UOM: 'EA',
    [PROCORE_PROJECT_FIELD]: '562001',
  };

  it('keys the line as the budget export does and maps its amount', () => {
    expect(budgetLineKey(line)).toBe('RMOB24017:03:EQUIPMENT:01-500:Cost');
    expect(budgetLineFrom(line)).toEqual({
      ok: true,
      payload: {
        project_id: '562001',
        acumatica_project: 'RMOB24017',
        task: '03',
        account_group: 'EQUIPMENT',
        cost_code: '01-500',
        original_budget_amount: '15000.00',
      },
    });
  });

  it('sends quantity, unit cost and UOM when Acumatica budgets by them', () => {
    const byUnit = budgetLineFrom({ ...line, OriginalBudgetedQty: 40, UnitRate: 375.5, OriginalBudgetedAmount: 15020 });
    expect(byUnit.ok && byUnit.payload).toMatchObject({
      original_budget_amount: '15020.00',
      quantity: '40',
      unit_cost: '375.50',
      uom: 'EA',
    });
  });

  it('puts lines it cannot place on the exception list with what to do', () => {
    expect(budgetLineFrom({ ...line, [PROCORE_PROJECT_FIELD]: undefined })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/RMOB24017, which is not linked to a Procore project/),
    });
    expect(budgetLineFrom({ ...line, CostCode: '' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/has no cost code/),
    });
    expect(budgetLineFrom({ ...line, InventoryID: 'CONCRETE4K' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/inventory item CONCRETE4K/),
    });
    expect(budgetLineFrom({ ...line, Type: 'Revenue' })).toMatchObject({ ok: false });
    expect(budgetLineFrom({ ...line, ProjectTaskID: null })).toMatchObject({ ok: false });
  });
});

describe('resolving a budget line in Procore', () => {
  const payload: BudgetLinePayload = {
    project_id: '562001',
    acumatica_project: 'RMOB24017',
    task: '03',
    account_group: 'EQUIPMENT',
    cost_code: '01-500',
    original_budget_amount: '15000.00',
  };
  const targets = (over: Partial<BudgetTargets> = {}): BudgetTargets => ({
    subJobs: new Map([['03', '9300003']]),
    costCodes: new Map([['01-500', '9100001']]),
    costTypes: new Map([['EQUIPMENT', '9200004']]),
    wbsCodes: new Map([[budgetCodeKey('9300003', '9100001', '9200004'), '7001']]),
    ...over,
  });

  it('finds the sub job of a task: its link, else the same code, else the project when it has none', () => {
    const subJobs = [{ id: '9300003', code: '03' }];
    expect(subJobForTask('P:03', '03', { linked: new Map([['P:03', '42']]), subJobs })).toBe('42');
    expect(subJobForTask('P:03', '03', { linked: new Map(), subJobs })).toBe('9300003');
    expect(subJobForTask('P:01', '01', { linked: new Map(), subJobs: [] })).toBeNull();
    expect(subJobForTask('P:09', '09', { linked: new Map(), subJobs })).toBeUndefined();
  });

  it('gives the sync row of the budget code', () => {
    expect(resolveBudgetLine(payload, targets())).toEqual({
      ok: true,
      budgetCode: '9300003|9100001|9200004',
      row: { wbs_code_id: '7001', original_budget_amount: '15000.00' },
    });
    const byUnit = resolveBudgetLine({ ...payload, quantity: '40', unit_cost: '375.00', uom: 'EA' }, targets());
    expect(byUnit.ok && byUnit.row).toEqual({
      wbs_code_id: '7001',
      original_budget_amount: '15000.00',
      quantity: '40',
      unit_cost: '375.00',
      uom: 'EA',
    });
  });

  it.each([
    ['a task that is no sub job', { subJobs: new Map([['03', undefined]]) }, /Task 03 .* is not a sub job/],
    ['a cost code missing from the project', { costCodes: new Map() }, /Cost code 01-500 is not on Procore project/],
    [
      'an account group without cost type',
      { costTypes: new Map() },
      /Account group EQUIPMENT has no Procore cost type/,
    ],
    ['no budget code', { wbsCodes: new Map() }, /has no budget code for sub job 03, cost code 01-500/],
  ])('refuses %s', (_label, over, reason) => {
    expect(resolveBudgetLine(payload, targets(over as Partial<BudgetTargets>))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(reason),
    });
  });

  it('adopts an unlinked Procore line of the same amount and never overwrites a different one', () => {
    expect(existingLineDecision(payload, { id: '9410001', amount: '15000' })).toEqual({ adopt: '9410001' });
    expect(existingLineDecision(payload, { id: '9410001', amount: '286500.00' })).toMatchObject({
      conflict: expect.stringMatching(/already budgets 286500.00 .* Acumatica budgets 15000.00/),
    });
  });
});

describe('import kinds', () => {
  it("projects run nightly and on Procore's Refresh Jobs; budgets only on demand", () => {
    expect(importKindForSyncRequest('sync_jobs')).toBe('projects');
    expect(NIGHTLY_IMPORT_KINDS).toContain('projects');
    expect(NIGHTLY_IMPORT_KINDS).not.toContain('budgets');
    expect(ON_DEMAND_IMPORT_KINDS).toEqual(['budgets']);
    expect(IMPORT_KINDS.budgets.syncRequest).toBeNull();
  });

  it('knows the requests Procore raises when a staged record is imported', () => {
    expect(isStagedImportRequest('create_job_in_procore')).toBe(true);
    expect(isStagedImportRequest('create_sub_job_in_procore')).toBe(true);
    expect(isStagedImportRequest('create_or_update_job')).toBe(false);
  });
});
