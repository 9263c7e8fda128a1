/**
 * Project and budget imports, end to end (Acumatica simulator -> worker -> Procore simulator):
 *  - projects: Acumatica projects and tasks become staged records ("Ready to Import") through POST /imports and
 *    Procore's Refresh Jobs (sync_jobs); the approver imports them in Procore and the connector links the new
 *    project and sub jobs (create_job_in_procore / create_sub_job_in_procore); projects that exist on both sides
 *    are adopted, exported ones left alone, bad data goes to the exception list, deleted ones are archived;
 *  - budgets: Acumatica cost budget lines become budget line items of the linked Procore project.
 * The tests run in order on one stack; each builds on the state the previous ones left.
 */
import type { StagedRecord } from '../../clients/procore/client';
import { erpRequestWorkflowId } from '../../lib/ids';
import { DEMO_BUDGET, DEMO_COST_TYPES, DEMO_PROJECT, DEMO_SUB_JOBS } from 'simulator-common';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

type Totals = { read: number; written: number; unchanged: number; exceptions: number; retired: number };
type Result = { status: string; acumaticaKey?: string; messages: string[] };

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function runImport(entities: string[], mode: 'delta' | 'full' = 'delta'): Promise<Totals> {
  const res = await stack.apiFetch(`/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities, mode }),
  });
  expect(res.status).toBe(202);
  const { workflowId } = (await res.json()) as { workflowId: string };
  return stack.waitForWorkflow<Totals>(workflowId);
}

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.procoreUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Procore API calls since the last reset, by "METHOD /path". */
async function procoreCalls(): Promise<Record<string, number>> {
  return admin('GET', '/__admin/requests');
}
const resetCalls = () => admin('DELETE', '/__admin/requests');

async function staged(itemType: string, originId: string): Promise<StagedRecord | undefined> {
  const records = await stack.procore.listStagedRecords(stack.companyId, { itemType });
  return records.find((r) => r.origin_id === originId);
}

/** The approver imports a staged record; returns the new Procore id and the connector's result. */
async function approve(record: StagedRecord): Promise<{ procoreId: string; erpRequestId: string; result: Result }> {
  const { procore_id, erp_request_id } = await admin<{ procore_id: string; erp_request_id: string }>(
    'POST',
    `/__admin/erp/staged_records/${record.id}/import`,
    { company_id: stack.companyId },
  );
  const result = await stack.waitForWorkflow<Result>(erpRequestWorkflowId(stack.companyId, String(erp_request_id)));
  return { procoreId: String(procore_id), erpRequestId: String(erp_request_id), result };
}

async function link(procoreEntity: string, acumaticaKey: string): Promise<{ procore_id: string } | undefined> {
  const { rows } = await stack.db.query(
    `SELECT procore_id FROM links WHERE procore_company_id = $1 AND procore_entity = $2 AND acumatica_key = $3
       AND deleted_at IS NULL`,
    [stack.companyId, procoreEntity, acumaticaKey],
  );
  return rows[0];
}

async function exceptionReasons(acumaticaKey: string): Promise<string> {
  const { rows } = await stack.db.query(
    `SELECT reason FROM import_exceptions WHERE procore_company_id = $1 AND acumatica_key = $2`,
    [stack.companyId, acumaticaKey],
  );
  return rows.map((r) => r.reason).join(' | ');
}

async function acumaticaProject(id: string, description: string | null, tasks: Array<[string, string]>) {
  await stack.acumatica.put('Project', {
    ProjectID: id,
    ...(description ? { Description: description } : {}),
    Hold: false,
    BillingAndAllocationSettings: { Branch: 'HQ' },
  });
  for (const [task, name] of tasks) {
    await stack.acumatica.put('ProjectTask', { ProjectID: id, ProjectTaskID: task, Description: name });
  }
}

/** A Procore project as someone created it in Procore (no origin_id: created by origin_id, then unmarked). */
async function procoreProject(name: string, projectNumber: string): Promise<string> {
  const temporary = `TMP-${projectNumber}`;
  const { entities } = await stack.procore.syncProjects(stack.companyId, [
    { origin_id: temporary, name, project_number: projectNumber },
  ]);
  const id = String(entities[0].id);
  await stack.procore.deleteExternalData(stack.companyId, 'project', [id]);
  return id;
}

let adoptedProcoreId: string;

describe('projects', () => {
  test('first import stages new projects with their tasks, adopts a project that exists in Procore, and lists bad data', async () => {
    await acumaticaProject('WH24031', 'Commerce City Distribution Warehouse', [
      ['01', 'Site Work'],
      ['02', 'Building Shell'],
    ]);
    await acumaticaProject('NODESC01', null, [['01', 'General']]);
    await acumaticaProject('LONGTASK1', 'Longmont Library Renovation', [['PHASE-ONE-SITE-PREP-WORK', 'Site prep']]);
    await acumaticaProject('ADOPT24050', 'Greeley Fire Station 4', [['01', 'Apparatus Bay']]);
    adoptedProcoreId = await procoreProject('Greeley Fire Station #4', 'ADOPT-24050');

    const totals = await runImport(['projects']);
    // WH24031 staged, ADOPT24050 adopted, the demo project's tasks linked to its sub jobs of the same code.
    expect(totals).toMatchObject({ written: 3, exceptions: 2 });

    const project = await staged('project', 'WH24031');
    expect(project).toMatchObject({
      status: 'staged',
      data: { name: 'Commerce City Distribution Warehouse', project_number: 'WH24031' },
    });
    for (const [task, name] of [
      ['01', 'Site Work'],
      ['02', 'Building Shell'],
    ]) {
      expect(await staged('sub_job', `WH24031:${task}`)).toMatchObject({
        status: 'staged',
        data: { project_origin_id: 'WH24031', code: task, name },
      });
    }
    expect(await link('staged_record', 'WH24031')).toEqual({ procore_id: String(project!.id) });

    // Adopted: linked and marked synced in Procore, not staged a second time; its task is staged as a sub job.
    expect(await staged('project', 'ADOPT24050')).toBeUndefined();
    expect(await link('project', 'ADOPT24050')).toEqual({ procore_id: adoptedProcoreId });
    expect((await stack.procore.getProject(stack.companyId, adoptedProcoreId)).origin_id).toBe('ADOPT24050');
    expect(await staged('sub_job', 'ADOPT24050:01')).toMatchObject({ data: { project_origin_id: 'ADOPT24050' } });

    // The demo project was linked already: nothing staged; its Acumatica tasks now link its Procore sub jobs.
    expect(await staged('project', DEMO_PROJECT.acumaticaProjectId)).toBeUndefined();
    for (const s of DEMO_SUB_JOBS) {
      expect(await link('sub_job', `${DEMO_PROJECT.acumaticaProjectId}:${s.acumaticaTaskId}`)).toEqual({
        procore_id: s.procoreId,
      });
    }

    expect(await exceptionReasons('NODESC01')).toMatch(/has no description, and Procore needs a project name/);
    expect(await exceptionReasons('LONGTASK1')).toMatch(/PHASE-ONE-SITE-PREP-WORK .* 24-character ID/);
    expect(await staged('project', 'NODESC01')).toBeUndefined();
    expect(await staged('project', 'LONGTASK1')).toBeUndefined();
  });

  test('a rerun with no changes writes nothing; a changed project, or only a changed task, is the one write', async () => {
    await resetCalls();
    const rerun = await runImport(['projects']);
    expect(rerun).toMatchObject({ written: 0, exceptions: 2 });
    const calls = await procoreCalls();
    expect(calls[`PATCH /rest/v1.0/companies/${stack.companyId}/staged_records/sync`]).toBeUndefined();
    expect(calls[`PATCH /rest/v1.0/companies/${stack.companyId}/external_data/sync`]).toBeUndefined();

    await stack.acumatica.put('Project', { ProjectID: 'WH24031', Description: 'Commerce City Distribution Center' });
    const renamed = await runImport(['projects']);
    expect(renamed.written).toBe(1);
    expect((await staged('project', 'WH24031'))?.data).toMatchObject({ name: 'Commerce City Distribution Center' });

    await stack.acumatica.put('ProjectTask', {
      ProjectID: 'WH24031',
      ProjectTaskID: '02',
      Description: 'Shell and Core',
    });
    await resetCalls();
    const retasked = await runImport(['projects']);
    expect(retasked.written).toBe(1);
    expect((await procoreCalls())[`PATCH /rest/v1.0/companies/${stack.companyId}/staged_records/sync`]).toBe(1);
    expect((await staged('sub_job', 'WH24031:02'))?.data).toMatchObject({ name: 'Shell and Core' });
  });

  test('a task added to a project Acumatica last changed long ago is found by the delta and staged as a sub job', async () => {
    // The demo project was last modified in 2024, far behind the watermark; Acumatica leaves it untouched when a
    // task is added, so only the delta's look at changed tasks can find it.
    await stack.acumatica.put('ProjectTask', {
      ProjectID: DEMO_PROJECT.acumaticaProjectId,
      ProjectTaskID: '04',
      Description: 'Landscaping',
    });
    const totals = await runImport(['projects']);
    expect(totals.written).toBe(1);
    expect(await staged('sub_job', `${DEMO_PROJECT.acumaticaProjectId}:04`)).toMatchObject({
      status: 'staged',
      data: { project_origin_id: DEMO_PROJECT.acumaticaProjectId, code: '04', name: 'Landscaping' },
    });
    // Procore resolves the sub job's project by origin_id on import: the linked project now carries it.
    expect((await stack.procore.getProject(stack.companyId, DEMO_PROJECT.procoreId)).origin_id).toBe(
      DEMO_PROJECT.acumaticaProjectId,
    );
  });

  test("Procore's Refresh Jobs button runs the import and closes its request detail", async () => {
    await acumaticaProject('RF24033', 'Aurora Retail Pad', [['01', 'Pad Site']]);
    const { erp_request_id, request_detail_id } = await admin<{ erp_request_id: string; request_detail_id: string }>(
      'POST',
      '/__admin/erp/refresh',
      { company_id: stack.companyId, request_name: 'sync_jobs' },
    );
    expect(request_detail_id).toBeTruthy();
    const result = await stack.waitForWorkflow<Result>(erpRequestWorkflowId(stack.companyId, String(erp_request_id)));
    expect(result.status).toBe('success');
    expect(result.messages.join(' ')).toMatch(/Refreshed projects from Acumatica: 1 written/);
    const detail = await stack.procore.getErpRequestDetail(stack.companyId, String(request_detail_id));
    expect(detail.status).toBe('success');
    expect(await staged('project', 'RF24033')).toMatchObject({ status: 'staged' });
  });

  test('the approver imports the staged project and its sub jobs: the connector links them and closes the requests', async () => {
    const project = await approve((await staged('project', 'WH24031'))!);
    expect(project.result).toMatchObject({ status: 'success', acumaticaKey: 'WH24031' });
    expect(await link('project', 'WH24031')).toEqual({ procore_id: project.procoreId });
    expect(await link('staged_record', 'WH24031')).toBeUndefined(); // the link moved to the Procore project
    const procoreProjectRecord = await stack.procore.getProject(stack.companyId, project.procoreId);
    expect(procoreProjectRecord).toMatchObject({ origin_id: 'WH24031', name: 'Commerce City Distribution Center' });
    const request = await stack.procore.getErpRequest(stack.companyId, project.erpRequestId);
    expect(request.request_name).toBe('create_job_in_procore');
    const detail = await stack.procore.getErpRequestDetail(stack.companyId, String(request.request_details[0].id));
    expect(detail).toMatchObject({ status: 'success', messages: [expect.stringMatching(/Acumatica project WH24031/)] });

    for (const task of ['01', '02']) {
      const subJob = await approve((await staged('sub_job', `WH24031:${task}`))!);
      expect(subJob.result.status).toBe('success');
      expect(await link('sub_job', `WH24031:${task}`)).toEqual({ procore_id: subJob.procoreId });
    }
    const subJobs = await stack.procore.listSubJobs(stack.companyId, project.procoreId);
    expect(subJobs.map((s) => [s.code, s.origin_id]).sort()).toEqual([
      ['01', 'WH24031:01'],
      ['02', 'WH24031:02'],
    ]);

    // Synced now: the next import writes nothing; a task added in Acumatica is staged as a sub job of the project.
    expect(await runImport(['projects'])).toMatchObject({ written: 0 });
    await stack.acumatica.put('ProjectTask', { ProjectID: 'WH24031', ProjectTaskID: '03', Description: 'Paving' });
    expect(await runImport(['projects'])).toMatchObject({ written: 1 });
    expect((await staged('project', 'WH24031'))?.status).toBe('imported');
    const added = await approve((await staged('sub_job', 'WH24031:03'))!);
    expect(added.result.status).toBe('success');
    expect(await link('sub_job', 'WH24031:03')).toEqual({ procore_id: added.procoreId });
  });

  test('a project exported from Procore is synced, never staged', async () => {
    const procoreId = await procoreProject('Pueblo Clinic', 'PC-2401');
    const { workflowId } = await stack.accept(procoreId, { item_type: 'project' });
    const exported = await stack.waitForWorkflow<Result>(workflowId);
    expect(exported).toMatchObject({ status: 'success', acumaticaKey: 'PC2401' });

    const totals = await runImport(['projects']);
    expect(totals.written).toBe(0);
    expect(await staged('project', 'PC2401')).toBeUndefined();
    expect(await staged('sub_job', 'PC2401:01')).toBeUndefined(); // the export's default task stays in Acumatica
    expect(await link('project', 'PC2401')).toEqual({ procore_id: procoreId });
  });

  test('a project deleted in Acumatica: the full reconciliation archives its staged records', async () => {
    await acumaticaProject('DEL24060', 'Castle Rock Clubhouse', [['01', 'Clubhouse']]);
    expect((await runImport(['projects'])).written).toBe(1);
    expect(await staged('project', 'DEL24060')).toMatchObject({ status: 'staged' });

    await stack.acumatica.delete('ProjectTask', ['DEL24060', '01']);
    await stack.acumatica.delete('Project', ['DEL24060']);
    expect((await runImport(['projects'])).retired).toBe(0); // a delta cannot see deletions
    const full = await runImport(['projects'], 'full');
    expect(full.retired).toBe(1);
    expect((await staged('project', 'DEL24060'))?.status).toBe('archived');
    expect((await staged('sub_job', 'DEL24060:01'))?.status).toBe('archived');
    expect(await link('staged_record', 'DEL24060')).toBeUndefined();
    // Still offered for import: staged records of projects that exist.
    expect((await staged('project', 'RF24033'))?.status).toBe('staged');
  });
});

describe('budgets', () => {
  const P = DEMO_PROJECT.acumaticaProjectId;
  const typeId = (code: string) => DEMO_COST_TYPES.find((t) => t.code === code)!.procoreId;
  const subJobId = (code: string) => DEMO_SUB_JOBS.find((s) => s.code === code)!.procoreId;

  async function procoreBudget() {
    const [view] = await stack.procore.listBudgetViews(stack.companyId, DEMO_PROJECT.procoreId);
    return stack.procore.listBudgetDetailRows(stack.companyId, DEMO_PROJECT.procoreId, String(view.id));
  }
  const lineAt = (rows: Awaited<ReturnType<typeof procoreBudget>>, subJob: string, costCode: string, type: string) =>
    rows.filter(
      (r) =>
        r.biller_id === subJobId(subJob) && r.cost_code?.startsWith(`${costCode} `) && r.category_id === typeId(type),
    );

  test('cost budget lines become budget lines of the linked Procore project; unplaceable ones are exceptions', async () => {
    expect((await runImport(['cost_types'])).exceptions).toBe(0); // cost types link the account groups
    await stack.acumatica.put('ProjectBudget', {
      ProjectID: P,
      ProjectTaskID: '03',
      AccountGroup: 'EQUIPMENT',
      CostCode: '01-500',
      Type: 'Cost',
      Description: 'Site equipment',
      OriginalBudgetedAmount: 15000,
    });
    // Budgeted the same on both sides: adopted, not written.
    await stack.acumatica.put('ProjectBudget', {
      ProjectID: P,
      ProjectTaskID: '02',
      AccountGroup: 'SUBCONTR',
      CostCode: '09-250',
      Type: 'Cost',
      OriginalBudgetedAmount: 184300,
    });
    await acumaticaProject('UNL24070', 'Parker Water Tank', [['01', 'Tank']]);
    await stack.acumatica.put('ProjectBudget', {
      ProjectID: 'UNL24070',
      ProjectTaskID: '01',
      AccountGroup: 'SUBCONTR',
      CostCode: '22-100',
      Type: 'Cost',
      OriginalBudgetedAmount: 90000,
    });
    const before = await procoreBudget();

    await resetCalls();
    const totals = await runImport(['budgets']);
    // Written: the new line plus the three the seeded transactions created at 0.00 (01 x LABOR x 01-500 and
    // 03-100, 01 x OTHER x 26-050). Exceptions: the unlinked project, and two seeded 0.00 lines whose budget code
    // Procore already budgets with another amount.
    expect(totals).toMatchObject({ written: 4, unchanged: 1, exceptions: 3 });
    expect((await procoreCalls())['POST /rest/v1.0/budget_line_items/sync']).toBe(1);

    const after = await procoreBudget();
    expect(after).toHaveLength(before.length + 4);
    expect(lineAt(after, '03', '01-500', 'E')).toMatchObject([{ original_budget_amount: '15000.00' }]);
    expect(lineAt(after, '01', '01-500', 'L')).toMatchObject([{ original_budget_amount: '0.00' }]);
    // Never overwritten: the Procore budget of 01 x 01-500 x Other stays; the conflict is listed.
    expect(lineAt(after, '01', '01-500', 'O')).toMatchObject([
      { id: DEMO_BUDGET.lines[0].procoreId, original_budget_amount: DEMO_BUDGET.lines[0].amount },
    ]);
    expect(await exceptionReasons(`${P}:01:OTHER:01-500:Cost`)).toMatch(
      /already budgets 286500.00 .* Acumatica budgets 0.00/,
    );
    expect(await exceptionReasons('UNL24070:01:SUBCONTR:22-100:Cost')).toMatch(/not linked to a Procore project/);

    const adopted = DEMO_BUDGET.lines.find((l) => l.costCode === '09-250')!;
    expect(await link('budget_line_item', `${P}:02:SUBCONTR:09-250:Cost`)).toEqual({ procore_id: adopted.procoreId });
    const written = lineAt(after, '03', '01-500', 'E')[0];
    expect(await link('budget_line_item', `${P}:03:EQUIPMENT:01-500:Cost`)).toEqual({ procore_id: String(written.id) });
  });

  test('a rerun with no changes writes nothing; one changed line is the one write', async () => {
    await resetCalls();
    // The delta re-reads only lines changed since the watermark (less the overlap): this test's own lines.
    const rerun = await runImport(['budgets']);
    expect(rerun).toMatchObject({ written: 0, exceptions: 1 });
    expect((await procoreCalls())['POST /rest/v1.0/budget_line_items/sync']).toBeUndefined();

    await stack.acumatica.put('ProjectBudget', {
      ProjectID: P,
      ProjectTaskID: '03',
      AccountGroup: 'EQUIPMENT',
      CostCode: '01-500',
      Type: 'Cost',
      OriginalBudgetedAmount: 17500,
    });
    await resetCalls();
    const changed = await runImport(['budgets']);
    expect(changed).toMatchObject({ written: 1, exceptions: 1 });
    expect((await procoreCalls())['POST /rest/v1.0/budget_line_items/sync']).toBe(1);
    const rows = await procoreBudget();
    expect(lineAt(rows, '03', '01-500', 'E')).toMatchObject([{ original_budget_amount: '17500.00' }]);
  });
});
