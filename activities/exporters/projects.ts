/**
 * Project exporter (create_or_update_job): Procore project + sub jobs -> Acumatica `Project` + `ProjectTask`s.
 * Found again through its link or by ExternalRefNbr = PROCORE-<project id>; failing that, a project that already
 * exists in Acumatica under the derived Project ID is adopted (projects that existed on both sides before the connection, which
 * Procore's own connector cannot sync). Tasks are upserts by project + task ID, so a retry rewrites them.
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
import { procoreMarker } from '../../lib/ids';
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
    return sameId;
  },

  toAcumatica: mapProject,

  readResult: (record) => ({ acumaticaKey: String(val(record.ProjectID)), acumaticaId: record.id, lineKeys: [] }),

  async afterWrite(ctx, p, _targets, projectKey) {
    const keys: string[] = [];
    for (const task of mapProjectTasks(p)) {
      const saved = await ctx.acumatica.put('ProjectTask', { ...task, ProjectID: projectKey });
      keys.push(`${projectKey}:${val(saved.ProjectTaskID)}`);
    }
    // Sub job i -> task i; a project without sub jobs has only the default task and no line to link.
    return p.subJobs.length > 0 ? keys : [];
  },
};
