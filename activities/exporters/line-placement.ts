/**
 * Reads what line placement needs (mappings/line-placement.ts): the project's sub jobs and their task links, and
 * the Acumatica project's default task. Read only when a line needs it: a document without sub jobs on its lines
 * asks for the default task only, and one whose lines all have linked sub jobs does not ask for it at all.
 */
import { val } from '../../clients/acumatica/client';
import { eq } from '../../clients/acumatica/odata';
import { findLink } from '../../store/links';
import { projectFactCache } from './preflight';
import { DEFAULT_TASK } from '../../mappings/project';
import { placeLines, taskOfLinkKey, type LineToPlace } from '../../mappings/line-placement';
import type { ExportContext } from './types';

const defaultTasks = projectFactCache();

/**
 * The project's default task in Acumatica: the task flagged Default, else task `01` (the task the project export
 * creates for a project without sub jobs) when the project has it, else null. Read once per worker and project
 * for a few minutes, as the project's branch is (preflight.ts).
 */
export function defaultTaskOf(ctx: ExportContext, projectKey: string): Promise<string | null> {
  return defaultTasks(ctx, projectKey, async () => {
    const tasks = await ctx.acumatica.list('ProjectTask', {
      filter: eq('ProjectID', projectKey),
      select: ['ProjectTaskID', 'Default'],
    });
    const flagged = tasks.find((t) => val(t.Default) === true);
    if (flagged) return String(val(flagged.ProjectTaskID));
    const general = tasks.find((t) => String(val(t.ProjectTaskID)).toUpperCase() === DEFAULT_TASK.code);
    return general ? String(val(general.ProjectTaskID)) : null;
  });
}

/** The task of each line, or the problems naming the lines that have none. */
export async function lineTasks(
  ctx: ExportContext,
  input: { procoreProjectId: string; projectKey: string; documentLabel: string; lines: LineToPlace[] },
): Promise<{ ok: true; tasks: string[] } | { ok: false; problems: string[] }> {
  const taskOfSubJob = new Map<string, string | undefined>();
  if (input.lines.some((l) => l.subJobCode)) {
    const subJobs = await ctx.procore.listSubJobs(ctx.companyId, input.procoreProjectId);
    const wanted = new Set(input.lines.map((l) => l.subJobCode).filter((c): c is string => !!c));
    for (const s of subJobs) {
      const code = s.code ?? String(s.id);
      if (!wanted.has(code)) continue;
      const link = await findLink(ctx.db, ctx.companyId, 'sub_job', String(s.id));
      taskOfSubJob.set(code, link ? taskOfLinkKey(link.acumaticaKey, input.projectKey) : undefined);
    }
  }
  const defaultTask = input.lines.some((l) => !l.subJobCode) ? await defaultTaskOf(ctx, input.projectKey) : null;
  return placeLines(input.lines, {
    taskOfSubJob,
    defaultTask,
    documentLabel: input.documentLabel,
    projectKey: input.projectKey,
  });
}
