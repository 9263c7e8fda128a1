/**
 * Acumatica `Project` (PM301000) and its `ProjectTask`s (PM302000) -> Procore staged records for the ERP
 * Integrations tool's "Ready to Import" list (procore-api.md §5.8): one `project`, and one `sub_job` per task
 * (`data.project_origin_id` names the project; Procore translates it when the approver imports). Pure; unit-tested.
 *
 * origin_id is the Project ID for a project and `<Project ID>:<Task ID>` for a task (the key the project export
 * links sub jobs with, so both directions agree). The importer adds the project's tasks to the record
 * (PROJECT_TASKS_FIELD) before mapping, so a changed task changes the project's content hash.
 *
 * Limits: Procore documents none for these fields (neither the digest nor the reference). Names are cut off at
 * 255 characters elsewhere in Procore (vendors), so a longer name is refused; sub job codes are kept to 20
 * characters, the cost code limit, because Procore shows them in the same budget code column.
 */
import { procoreMarker } from '../lib/ids';
import type { StagedRecordInput } from '../clients/procore/client';

/** Added to each project record by the importer: its tasks (unwrapped ProjectTask records). */
export const PROJECT_TASKS_FIELD = 'ConnectorTasks';
export const PROCORE_PROJECT_NAME_MAX = 255;
export const PROCORE_SUB_JOB_CODE_MAX = 20;

type Unwrapped = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const dateOnly = (v: unknown): string | null => {
  const s = str(v);
  return s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
};

/** Statuses in which a project is still worked on (Procore's `active`); Canceled ones are archived. */
const ACTIVE_STATUSES = ['Active', 'In Planning', 'On Hold'];
const MARKER_PREFIX = procoreMarker('');

export interface StagedTaskPayload {
  origin_id: string;
  code: string;
  name: string;
}

export interface ProjectImportPayload {
  origin_id: string;
  name: string;
  /** The Project ID: the job number accountants know, and what a re-export derives the Project ID from. */
  project_number: string;
  active: boolean;
  /** Canceled in Acumatica: staged as archived, so it is never offered for import. */
  archived: boolean;
  start_date: string | null;
  completion_date: string | null;
  /** The Procore project this one was exported from (ExternalRefNbr = PROCORE-<id>): synced, never staged. */
  from_procore: string | null;
  /** ExternalRefNbr when it is not the connector's marker (often the job number used in Procore). */
  external_ref: string | null;
  tasks: StagedTaskPayload[];
}

export function taskOriginId(projectId: string, taskId: string): string {
  return `${projectId}:${taskId}`;
}

export function projectImportFrom(
  p: Unwrapped,
): { ok: true; payload: ProjectImportPayload } | { ok: false; reason: string } {
  const id = str(p.ProjectID);
  if (!id) return { ok: false, reason: 'The project has no Project ID.' };
  const name = str(p.Description);
  if (!name) {
    return {
      ok: false,
      reason: `Project ${id} has no description, and Procore needs a project name. Enter the Description on the Projects form (PM301000), then run the import again.`,
    };
  }
  if (name.length > PROCORE_PROJECT_NAME_MAX) {
    return {
      ok: false,
      reason: `Project ${id}'s description is ${name.length} characters; Procore project names allow ${PROCORE_PROJECT_NAME_MAX}. Shorten it in Acumatica (PM301000).`,
    };
  }
  const tasks: StagedTaskPayload[] = [];
  for (const t of (Array.isArray(p[PROJECT_TASKS_FIELD]) ? p[PROJECT_TASKS_FIELD] : []) as Unwrapped[]) {
    const code = str(t.ProjectTaskID);
    if (!code || str(t.Status) === 'Canceled') continue;
    if (code.length > PROCORE_SUB_JOB_CODE_MAX) {
      return {
        ok: false,
        reason: `Task ${code} of project ${id} has a ${code.length}-character ID; Procore sub job codes allow ${PROCORE_SUB_JOB_CODE_MAX}. Change the Task ID in Acumatica (PM302000), then run the import again.`,
      };
    }
    tasks.push({ origin_id: taskOriginId(id, code), code, name: str(t.Description) ?? code });
  }
  tasks.sort((a, b) => a.code.localeCompare(b.code));

  const ref = str(p.ExternalRefNbr);
  const fromProcore = ref?.startsWith(MARKER_PREFIX) ? ref.slice(MARKER_PREFIX.length) : undefined;
  const status = str(p.Status) ?? 'Active';
  const properties = (p.ProjectProperties as Unwrapped | undefined) ?? {};
  return {
    ok: true,
    payload: {
      origin_id: id,
      name,
      project_number: id,
      active: ACTIVE_STATUSES.includes(status),
      archived: status === 'Canceled',
      start_date: dateOnly(properties.StartDate),
      completion_date: dateOnly(properties.EndDate),
      from_procore: fromProcore && /^\d+$/.test(fromProcore) ? fromProcore : null,
      external_ref: fromProcore ? null : (ref ?? null),
      tasks,
    },
  };
}

/** "2024-017" and "2024017" are the same job number. */
export function normaliseProjectNumber(n: string): string {
  return n.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * Keys identifying the same project on both sides when no link exists: the Procore project it was exported
 * from, else a Procore project carrying the Project ID as origin_id, else one whose project number is the
 * Project ID or the ExternalRefNbr.
 */
export function projectMatchKeys(
  p: Pick<ProjectImportPayload, 'origin_id' | 'external_ref' | 'from_procore'>,
): string[] {
  if (p.from_procore) return [`procore:${p.from_procore}`];
  const numbers = [p.origin_id, p.external_ref].filter((n): n is string => !!n).map(normaliseProjectNumber);
  return [`origin:${p.origin_id}`, ...[...new Set(numbers)].filter(Boolean).map((n) => `number:${n}`)];
}

/** The match keys of a Procore project no link points at (see projectMatchKeys). */
export function procoreProjectMatchKeys(p: {
  id: string;
  project_number: string | null;
  origin_id: string | null;
}): string[] {
  const keys = [`procore:${p.id}`];
  if (p.origin_id) keys.push(`origin:${p.origin_id}`);
  else if (p.project_number && normaliseProjectNumber(p.project_number)) {
    keys.push(`number:${normaliseProjectNumber(p.project_number)}`);
  }
  return keys;
}

export function stagedSubJobRecord(
  projectOriginId: string,
  t: StagedTaskPayload,
  status: 'staged' | 'archived' = 'staged',
): StagedRecordInput {
  return {
    item_type: 'sub_job',
    origin_id: t.origin_id,
    origin_code: t.code,
    parent_origin_id: projectOriginId,
    status,
    data: { project_origin_id: projectOriginId, code: t.code, name: t.name },
  };
}

/** The staged records of a project: the project first, then its tasks as sub jobs. */
export function stagedProjectRecords(p: ProjectImportPayload): StagedRecordInput[] {
  const status = p.archived ? 'archived' : 'staged';
  return [
    {
      item_type: 'project',
      origin_id: p.origin_id,
      origin_code: p.origin_id,
      status,
      data: {
        name: p.name,
        project_number: p.project_number,
        active: p.active,
        start_date: p.start_date,
        completion_date: p.completion_date,
      },
    },
    ...p.tasks.map((t) => stagedSubJobRecord(p.origin_id, t, status)),
  ];
}
