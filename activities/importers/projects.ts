/**
 * Project import (company-wide): Acumatica projects and their tasks -> Procore staged records ("Ready to
 * Import" in the ERP Integrations tool), a `project` and a `sub_job` per task. The approver imports them in
 * Procore, which raises create_job_in_procore / create_sub_job_in_procore; activities/staged-imports.ts then
 * turns the link of the staged project into a link of the Procore project.
 *
 * What a project's link decides (linkEntities):
 *  - none, and no Procore project matches: the project and its tasks are staged (sync by item_type + origin_id,
 *    so a retried page stages the same records again, never a second copy);
 *  - a staged record: restaged when Acumatica changed it; staged sub jobs of removed tasks are archived;
 *  - a Procore project (imported, or adopted): it is synced, never staged again. Its tasks without a sub job link
 *    are linked to the Procore sub job of the same code, or staged as sub jobs of that project;
 *  - exported from Procore (ExternalRefNbr = PROCORE-<id>): Procore is the source; nothing is staged.
 * Where this connector goes further: a Procore project that exists without a link (same project number as the
 * Project ID or ExternalRefNbr, or the Project ID as origin_id) is adopted: its origin_id is set and it is linked,
 * instead of a duplicate being staged.
 *
 * A delta run reads the projects changed since the watermark and those whose tasks changed (Acumatica does not
 * touch a project when only a task changes). A full run archives the staged records of deleted projects.
 */
import { val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { eq, gt, or } from '../../clients/acumatica/odata';
import type { StagedRecordInput, StagedRecordStatusUpdate } from '../../clients/procore/client';
import {
  PROJECT_TASKS_FIELD,
  procoreProjectMatchKeys,
  projectImportFrom,
  projectMatchKeys,
  stagedProjectRecords,
  stagedSubJobRecord,
  type ProjectImportPayload,
  type StagedTaskPayload,
} from '../../mappings/project-import';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors';
import { upsertLink } from '../../store/links';
import { linkedProcoreIds } from './direct-costs';
import type { ImportContext, Importer, WriteItem, WriteOutcome } from './types';

/** Projects whose tasks changed are named in the delta filter; past this many the page reads every project. */
const MAX_PROJECTS_IN_FILTER = 50;
/** ProjectIDs per task query (keeps the $filter URL short). */
const TASK_QUERY_CHUNK = 25;

type Item = WriteItem<ProjectImportPayload>;

async function deltaFilter(ctx: ImportContext, since: Date | null): Promise<string | undefined> {
  if (!since) return undefined;
  const changedTasks = await ctx.acumatica.list('ProjectTask', {
    filter: gt('LastModifiedDateTime', since),
    select: ['ProjectID'],
  });
  const projects = [...new Set(changedTasks.map((t) => String(val(t.ProjectID) ?? '')))].filter(Boolean);
  if (projects.length > MAX_PROJECTS_IN_FILTER) return undefined; // the content hashes skip unchanged ones
  return or(gt('LastModifiedDateTime', since), ...projects.map((p) => eq('ProjectID', p)));
}

/** Tasks per page when a run reads every task (a first or full run). */
const TASK_PAGE = 1000;

/**
 * Adds each project's tasks; its LastModifiedDateTime becomes the newest of the project's and its tasks'. Reads
 * every task (1,000 a page) or just the page's projects' tasks (25 projects a query, a short $filter URL).
 */
async function attachTasks(ctx: ImportContext, projects: AcumaticaRecord[], everyTask: boolean): Promise<void> {
  const ids = projects.map((p) => String(val(p.ProjectID) ?? '')).filter(Boolean);
  const tasks: AcumaticaRecord[] = [];
  if (everyTask) {
    for (let skip = 0; ; skip += TASK_PAGE) {
      const page = await ctx.acumatica.list('ProjectTask', { top: TASK_PAGE, skip });
      tasks.push(...page);
      if (page.length < TASK_PAGE) break;
    }
  } else {
    for (let i = 0; i < ids.length; i += TASK_QUERY_CHUNK) {
      const chunk = ids.slice(i, i + TASK_QUERY_CHUNK);
      tasks.push(...(await ctx.acumatica.list('ProjectTask', { filter: or(...chunk.map((p) => eq('ProjectID', p))) })));
    }
  }
  const modified = (r: AcumaticaRecord) => String(val(r.LastModifiedDateTime) ?? '');
  for (const project of projects) {
    const mine = tasks.filter((t) => val(t.ProjectID) === val(project.ProjectID));
    (project as Record<string, unknown>)[PROJECT_TASKS_FIELD] = mine;
    const newest = [project, ...mine]
      .map(modified)
      .filter(Boolean)
      .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
    if (newest) (project as Record<string, unknown>).LastModifiedDateTime = { value: newest };
  }
}

function procoreError(errors: Array<Record<string, unknown>>, itemType: string, originId: string) {
  const e = errors.find((x) => x.item_type === itemType && String(x.origin_id ?? '') === originId);
  return e ? JSON.stringify(e.errors ?? e).slice(0, 400) : undefined;
}

/** Stages new and changed projects with their tasks, and archives the staged sub jobs of removed tasks. */
async function stageProjects(ctx: ImportContext, items: Item[]): Promise<WriteOutcome[]> {
  const records: Array<StagedRecordInput | StagedRecordStatusUpdate> = items.flatMap((i) =>
    stagedProjectRecords(i.payload),
  );
  const restaged = items.filter((i) => i.linkedAs === 'staged_record');
  if (restaged.length > 0) {
    const current = new Set(restaged.flatMap((i) => i.payload.tasks.map((t) => t.origin_id)));
    const projects = new Set(restaged.map((i) => i.payload.origin_id));
    for (const s of await ctx.procore.listStagedRecords(ctx.companyId, { itemType: 'sub_job' })) {
      const project = String(s.data?.project_origin_id ?? '');
      if (!['staged', 'invalid'].includes(s.status) || !projects.has(project)) continue;
      if (!current.has(String(s.origin_id))) records.push({ id: String(s.id), status: 'archived' });
    }
  }
  const { entities, errors } = await ctx.procore.syncStagedRecords(ctx.companyId, records);
  return items.map((item) => {
    const key = item.acumaticaKey;
    const staged = entities.find((e) => e.item_type === 'project' && e.origin_id === key);
    const problem =
      procoreError(errors, 'project', key) ??
      item.payload.tasks.map((t) => procoreError(errors, 'sub_job', t.origin_id)).find(Boolean);
    if (!staged || problem) {
      return { acumaticaKey: key, error: `Procore did not stage project ${key}: ${problem ?? 'not returned'}` };
    }
    return { acumaticaKey: key, procoreId: String(staged.id) };
  });
}

/**
 * Tasks of a project that is a Procore project: linked already, linked to the Procore sub job of the same code
 * (origin_id set), or staged as new sub jobs of it. Returns whether anything was written.
 */
async function syncTasksOfProject(ctx: ImportContext, projectId: string, p: ProjectImportPayload): Promise<boolean> {
  const linked = await linkedProcoreIds(
    ctx.db,
    ctx.companyId,
    'sub_job',
    p.tasks.map((t) => t.origin_id),
  );
  const missing = p.tasks.filter((t) => !linked.has(t.origin_id));
  if (missing.length === 0) return false;
  const taken = new Set(linked.values());
  const subJobs = await ctx.procore.listSubJobs(ctx.companyId, projectId);
  const adopt: Array<{ task: StagedTaskPayload; subJobId: string }> = [];
  const stage: StagedTaskPayload[] = [];
  for (const task of missing) {
    const same = subJobs.find(
      (s) =>
        !taken.has(String(s.id)) &&
        (!s.origin_id || s.origin_id === task.origin_id) &&
        (s.code ?? '').trim().toUpperCase() === task.code.toUpperCase(),
    );
    if (same) {
      taken.add(String(same.id));
      adopt.push({ task, subJobId: String(same.id) });
    } else stage.push(task);
  }
  if (adopt.length > 0) {
    const result = await ctx.procore.syncExternalData(
      ctx.companyId,
      adopt.map((a) => ({
        item_type: 'sub_job',
        item_id: a.subJobId,
        origin_id: a.task.origin_id,
        origin_code: a.task.code,
      })),
    );
    if (result.errors.length > 0) {
      throw new ValidationError(`Procore refused sub job origin_ids: ${JSON.stringify(result.errors).slice(0, 400)}`);
    }
    for (const a of adopt) {
      await upsertLink(ctx.db, {
        procoreCompanyId: ctx.companyId,
        procoreEntity: 'sub_job',
        procoreId: a.subJobId,
        acumaticaEntity: 'ProjectTask',
        acumaticaKey: a.task.origin_id,
      });
    }
  }
  if (stage.length > 0) {
    // Procore resolves data.project_origin_id to the project on import: the project must carry that origin_id.
    const project = await ctx.procore.getProject(ctx.companyId, projectId);
    if (project.origin_id !== p.origin_id) await setProjectOrigin(ctx, projectId, p.origin_id);
    const { errors } = await ctx.procore.syncStagedRecords(
      ctx.companyId,
      stage.map((t) => stagedSubJobRecord(p.origin_id, t)),
    );
    if (errors.length > 0)
      throw new ValidationError(`Procore did not stage sub jobs: ${JSON.stringify(errors).slice(0, 400)}`);
  }
  return true;
}

async function setProjectOrigin(ctx: ImportContext, projectId: string, originId: string): Promise<void> {
  const { errors } = await ctx.procore.syncExternalData(ctx.companyId, [
    { item_type: 'project', item_id: projectId, origin_id: originId, origin_code: originId },
  ]);
  if (errors.length > 0) {
    throw new ValidationError(
      `Procore refused origin_id ${originId}: ${JSON.stringify(errors[0].errors ?? errors[0]).slice(0, 400)}`,
    );
  }
}

/** A project that is (or is now adopted as) a Procore project: link it; its tasks follow. */
async function syncProcoreProject(ctx: ImportContext, item: Item): Promise<WriteOutcome> {
  const key = item.acumaticaKey;
  const projectId = item.procoreId!;
  const outcome = { acumaticaKey: key, procoreId: projectId, procoreEntity: 'project' as const };
  // Exported from Procore: Procore is the source of the project and its sub jobs.
  if (item.payload.from_procore) return { ...outcome, unchanged: true };
  try {
    const adopted = !item.linkedAs;
    if (adopted) await setProjectOrigin(ctx, projectId, key);
    const wroteTasks = await syncTasksOfProject(ctx, projectId, item.payload);
    return { ...outcome, unchanged: !adopted && !wroteTasks };
  } catch (err) {
    // Refusals a retry cannot fix go to the exception list; anything transient fails the page, which is retried.
    if (!(err instanceof ValidationError || err instanceof ConflictError || err instanceof NotFoundError)) throw err;
    return { acumaticaKey: key, error: `Procore project ${projectId} could not be linked: ${err.message}` };
  }
}

export const projectImporter: Importer<ProjectImportPayload> = {
  procoreEntity: 'staged_record',
  linkEntities: ['staged_record', 'project'],
  acumaticaEntity: 'Project',

  async readPage(ctx, _scope, { since, skip, top }) {
    const projects = await ctx.acumatica.list('Project', {
      filter: await deltaFilter(ctx, since),
      expand: ['ProjectProperties'],
      top,
      skip,
    });
    // Without a watermark the page names many projects: reading every task beats asking for them 25 projects a call.
    await attachTasks(ctx, projects, since === null && projects.length > 2 * TASK_QUERY_CHUNK);
    return projects;
  },

  keyOf: (record) => String(val(record.ProjectID)),
  map: projectImportFrom,
  matchKeys: projectMatchKeys,

  // Procore projects no link points at (a linked one is never adopted a second time).
  async buildMatchIndex(ctx) {
    const { rows } = await ctx.db.query(
      `SELECT procore_id FROM links WHERE procore_company_id = $1 AND procore_entity = 'project' AND deleted_at IS NULL`,
      [ctx.companyId],
    );
    const linked = new Set(rows.map((r) => r.procore_id as string));
    return (await ctx.procore.listProjects(ctx.companyId))
      .filter((p) => !linked.has(String(p.id)))
      .flatMap((p) =>
        procoreProjectMatchKeys({
          id: String(p.id),
          project_number: p.project_number ?? null,
          origin_id: p.origin_id ?? null,
        }).map((matchKey) => ({ matchKey, procoreId: String(p.id) })),
      );
  },

  async write(ctx, items) {
    const outcomes: WriteOutcome[] = [];
    const toStage: Item[] = [];
    for (const item of items) {
      if (item.procoreId && item.linkedAs !== 'staged_record') outcomes.push(await syncProcoreProject(ctx, item));
      else if (item.payload.from_procore) {
        outcomes.push({
          acumaticaKey: item.acumaticaKey,
          error: `Project ${item.acumaticaKey} was exported from Procore project ${item.payload.from_procore}, which the connector has no link to; send the Procore project to the ERP again (ERP Integrations) to link it.`,
        });
      } else toStage.push(item);
    }
    if (toStage.length > 0) outcomes.push(...(await stageProjects(ctx, toStage)));
    return outcomes;
  },

  // A project deleted in Acumatica: its staged record, and its staged sub jobs, are archived.
  async retire(ctx, stagedIds) {
    const staged = await ctx.procore.listStagedRecords(ctx.companyId);
    const retired = new Set(stagedIds);
    const projects = new Set(staged.filter((s) => retired.has(String(s.id))).map((s) => String(s.origin_id)));
    const subJobs = staged.filter(
      (s) =>
        s.item_type === 'sub_job' &&
        ['staged', 'invalid'].includes(s.status) &&
        projects.has(String(s.data?.project_origin_id ?? '')),
    );
    const ids = [...stagedIds, ...subJobs.map((s) => String(s.id))];
    await ctx.procore.syncStagedRecords(
      ctx.companyId,
      ids.map((id) => ({ id, status: 'archived' as const })),
    );
  },
};
