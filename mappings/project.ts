/**
 * Procore project + sub jobs -> Acumatica `Project` (PM301000) + `ProjectTask`s (PM302000). Pure; unit-tested.
 *
 * Project ID rule: the Procore project number, upper-cased, letters and digits only, cut to 10 characters
 * (Acumatica's default PROJECT segment length), else `P` + the last 9 digits of the Procore id.
 * Tasks: one per sub job (task ID = sub job code); a project without sub jobs gets the default task, because
 * Acumatica needs a task on every budget and commitment line.
 */
import { procoreMarker } from '../lib/ids';

export interface SubJob {
  procoreId: string;
  code: string;
  name: string;
}

export interface ProjectSnapshot {
  procoreId: string;
  label: string;
  /** Sub job ids (the project's "lines"). */
  lineIds: string[];
  name: string;
  projectNumber: string | null;
  startDate: string | null;
  completionDate: string | null;
  subJobs: SubJob[];
}

export interface ProjectTargets {
  /** Acumatica branch the project's billing settings use (the company connection's branch). */
  branch: string;
  customer?: string;
  templateId?: string;
}

export const DEFAULT_TASK = { code: '01', name: 'General' } as const;
const PROJECT_ID_MAX = 10;
const DESCRIPTION_MAX = 256;

export function projectIdFor(p: Pick<ProjectSnapshot, 'procoreId' | 'projectNumber'>): string {
  const fromNumber = (p.projectNumber ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return fromNumber ? fromNumber.slice(0, PROJECT_ID_MAX) : `P${p.procoreId.slice(-9)}`;
}

/** The task ID a sub job becomes (its code, upper-cased, 30 characters at most). */
export function taskIdFor(subJob: Pick<SubJob, 'code'>): string {
  return subJob.code.trim().toUpperCase().slice(0, 30);
}

export function mapProject(p: ProjectSnapshot, t: ProjectTargets): Record<string, unknown> {
  return {
    ProjectID: projectIdFor(p),
    Description: p.name.slice(0, DESCRIPTION_MAX),
    ExternalRefNbr: procoreMarker(p.procoreId),
    Customer: t.customer,
    ProjectTemplateID: t.templateId,
    BillingAndAllocationSettings: { Branch: t.branch },
  };
}

export function mapProjectTasks(p: ProjectSnapshot): Array<Record<string, unknown>> {
  const projectId = projectIdFor(p);
  if (p.subJobs.length === 0) {
    return [{ ProjectID: projectId, ProjectTaskID: DEFAULT_TASK.code, Description: DEFAULT_TASK.name }];
  }
  return p.subJobs.map((s) => ({
    ProjectID: projectId,
    ProjectTaskID: taskIdFor(s),
    Description: s.name.slice(0, DESCRIPTION_MAX),
    ExternalRefNbr: procoreMarker(s.procoreId),
  }));
}
