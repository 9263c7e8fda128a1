/**
 * Project exporter (create_or_update_job): Procore project + sub jobs -> Acumatica `Project` + `ProjectTask`s.
 * Found again through its link or by ExternalRefNbr = PROCORE-<project id>; failing that, a project that already
 * exists in Acumatica under the derived Project ID is adopted (projects that existed on both sides before the connection, which
 * Procore's own connector cannot sync) unless another Procore project's marker is on it. The project is created
 * insert-only (If-None-Match: *): a Project ID Acumatica already has fails the export naming that project. Tasks are
 * inserted, or updated when the task ID is there already and not another sub job's (writeTask), so a retry rewrites
 * them.
 */
import { val } from '../../clients/acumatica/client';
import { eq } from '../../clients/acumatica/odata';
import { getConnection } from '../../store/connections';
import { findLink } from '../../store/links';
import {
  mapProject,
  mapProjectTasks,
  projectIdFor,
  type ProjectSnapshot,
  type ProjectTargets,
} from '../../mappings/project';
import { isOtherProcoreMarker, procoreMarker } from '../../lib/ids';
import { ConflictError, ValidationError } from '../../lib/errors';
import type { AcumaticaRecord } from '../../clients/acumatica/client';
import type { ExportContext } from './types';
import type { Exporter } from './types';

export const projectExporter: Exporter<ProjectSnapshot, ProjectTargets> = {
  procoreEntity: 'project',
  externalDataItemType: 'project',
  acumaticaEntity: 'Project',
  expand: [],
  immutableFields: ['ProjectID', 'Customer', 'ProjectTemplateID'],
  lines: { procoreEntity: 'sub_job', acumaticaEntity: 'ProjectTask', externalDataItemType: 'sub_job' },

  async load(ctx, ref) {
    const [project, subJobs] = await Promise.all([
      ctx.procore.getProject(ref.companyId, ref.procoreId),
      ctx.procore.listSubJobs(ref.companyId, ref.procoreId),
    ]);
    return {
      procoreId: String(project.id),
      label: `${project.project_number ?? ''} ${project.name}`.trim(),
      lineIds: subJobs.map((s) => String(s.id)),
      name: project.name,
      projectNumber: project.project_number ?? null,
      startDate: project.start_date ?? null,
      completionDate: project.completion_date ?? null,
      subJobs: subJobs.map((s) => ({ procoreId: String(s.id), code: s.code ?? String(s.id), name: s.name })),
    };
  },

  async preflight(ctx, p) {
    if (!(await ctx.acumatica.hasEntity('Project'))) {
      return {
        ok: false,
        problems: [
          'Acumatica does not expose projects: turn on the Projects feature (Enable/Disable Features, CS100000), then resend.',
        ],
      };
    }
    const connection = await getConnection(ctx.db, ctx.companyId);
    const branch = connection?.acumaticaBranch ?? connection?.branches[0];
    if (!branch) return { ok: false, problems: ['The company connection names no Acumatica branch for new projects.'] };
    if (!p.name.trim()) return { ok: false, problems: ['The project has no name. Name it in Procore, then resend.'] };
    return { ok: true, targets: { branch } };
  },

  async findExisting(ctx, p) {
    const linked = await findLink(ctx.db, ctx.companyId, 'project', p.procoreId);
    if (linked) {
      const [byLink] = await ctx.acumatica.list('Project', { filter: eq('ProjectID', linked.acumaticaKey), top: 1 });
      if (byLink) return byLink;
    }
    const [byMarker] = await ctx.acumatica.list('Project', {
      filter: eq('ExternalRefNbr', procoreMarker(p.procoreId)),
      top: 2,
    });
    if (byMarker) return byMarker;
    const [sameId] = await ctx.acumatica.list('Project', { filter: eq('ProjectID', projectIdFor(p)), top: 1 });
    // A project exported for another Procore project is that project's: never adopted here.
    return sameId && !isOtherProcoreMarker(val(sameId.ExternalRefNbr), p.procoreId) ? sameId : undefined;
  },

  async insertConflict(ctx, p, desired) {
    const projectId = String(desired.ProjectID);
    const [existing] = await ctx.acumatica.list('Project', { filter: eq('ProjectID', projectId), top: 1 });
    const marker = existing ? val(existing.ExternalRefNbr) : undefined;
    const who = existing
      ? `project ${projectId} "${String(val(existing.Description) ?? '')}"` +
        (isOtherProcoreMarker(marker, p.procoreId)
          ? ` (exported from Procore project ${String(marker).replace(/^PROCORE-/i, '')})`
          : '')
      : `project ${projectId}`;
    return (
      `Project ID ${projectId} (from the Procore project number "${p.projectNumber ?? ''}") already belongs to ` +
      `Acumatica ${who}, which this export did not create. Nothing was changed in Acumatica. Link the Procore ` +
      `project to it (the connector's onboarding), or give "${p.name}" another project number in Procore, then resend.`
    );
  },

  toAcumatica: mapProject,

  readResult: (record) => ({ acumaticaKey: String(val(record.ProjectID)), acumaticaId: record.id, lineKeys: [] }),

  async afterWrite(ctx, p, _targets, projectKey) {
    const keys: string[] = [];
    for (const task of mapProjectTasks(p)) {
      const saved = await writeTask(ctx, { ...task, ProjectID: projectKey });
      keys.push(`${projectKey}:${val(saved.ProjectTaskID)}`);
    }
    // Sub job i -> task i; a project without sub jobs has only the default task and no line to link.
    return p.subJobs.length > 0 ? keys : [];
  },
};

/**
 * A task is inserted only (If-None-Match: *). When the project already has the task ID (a retry after the first
 * attempt committed, or a task of an adopted project), it is updated only if no other Procore sub job's marker is on
 * it; a task another sub job exported (two sub job codes that differ only in case) fails the export naming both.
 */
async function writeTask(ctx: ExportContext, task: Record<string, unknown>): Promise<AcumaticaRecord> {
  try {
    return await ctx.acumatica.put('ProjectTask', task, { mode: 'insert' });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
  const existing = await ctx.acumatica.get('ProjectTask', [String(task.ProjectID), String(task.ProjectTaskID)]);
  const marker = val(existing.ExternalRefNbr);
  const ours = String(task.ExternalRefNbr ?? '');
  if (ours && isOtherProcoreMarker(marker, ours.replace(/^PROCORE-/, ''))) {
    throw new ValidationError(
      `Task ${String(task.ProjectTaskID)} of project ${String(task.ProjectID)} already belongs to Procore sub job ` +
        `${String(marker).replace(/^PROCORE-/i, '')}; sub job ${ours.replace(/^PROCORE-/, '')} has the same code. ` +
        `Nothing was changed in Acumatica: give one of the sub jobs another code in Procore, then resend.`,
      { system: 'acumatica', status: 412, request: 'PUT ProjectTask (If-None-Match: *)' },
    );
  }
  return ctx.acumatica.put('ProjectTask', task, { mode: 'update' });
}
