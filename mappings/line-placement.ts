/**
 * Line placement (issue #12 item 1): the Acumatica project task of each exported line. Pure; unit-tested.
 *
 * A line's task comes from its Procore sub job (the sub job segment of the line's WBS / budget code), through the
 * sub job <-> task link (store/links.ts, written by the project export or the project import). Only a line without
 * a sub job goes to the project's default task. A line whose sub job is not linked to a task is a preflight
 * problem naming the line and the sub job: never posted to some other task.
 */

export interface LineToPlace {
  /** A label for people: the line's description, else its Procore id. */
  label: string;
  /** The sub job code of the line's WBS code, or null when the line has none. */
  subJobCode: string | null;
}

export interface PlacementInputs {
  /** The linked task of each sub job code of the project (undefined: the sub job exists but is not linked). */
  taskOfSubJob: Map<string, string | undefined>;
  /** The project's default task, or null when the project has none the connector could find. */
  defaultTask: string | null;
  /** For messages: the record being exported, e.g. "SC-24017-003". */
  documentLabel: string;
  /** For messages: the Acumatica project. */
  projectKey: string;
}

export function placeLines(
  lines: LineToPlace[],
  inputs: PlacementInputs,
): { ok: true; tasks: string[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const tasks: string[] = [];
  const unlinked = new Map<string, string[]>();
  let noDefault: string[] = [];
  for (const line of lines) {
    if (!line.subJobCode) {
      if (inputs.defaultTask) tasks.push(inputs.defaultTask);
      else noDefault = [...noDefault, line.label];
      continue;
    }
    const task = inputs.taskOfSubJob.get(line.subJobCode) ?? inputs.taskOfSubJob.get(line.subJobCode.toUpperCase());
    if (task) tasks.push(task);
    else unlinked.set(line.subJobCode, [...(unlinked.get(line.subJobCode) ?? []), line.label]);
  }
  for (const [code, labels] of unlinked) {
    const known = inputs.taskOfSubJob.has(code) || inputs.taskOfSubJob.has(code.toUpperCase());
    problems.push(
      `${labels.length > 1 ? 'Lines' : 'Line'} ${labels.map((l) => `"${l}"`).join(', ')} of ${inputs.documentLabel} ` +
        (known
          ? `${labels.length > 1 ? 'are' : 'is'} on sub job ${code}, which is not linked to a task of Acumatica project ${inputs.projectKey}. Export the project again (it creates a task per sub job) or import the task into Procore, then resend.`
          : `${labels.length > 1 ? 'name' : 'names'} sub job ${code}, which the project does not have in Procore. Correct the line's budget code, then resend.`),
    );
  }
  if (noDefault.length > 0) {
    problems.push(
      `${noDefault.length > 1 ? 'Lines' : 'Line'} ${noDefault.map((l) => `"${l}"`).join(', ')} of ${inputs.documentLabel} ` +
        `${noDefault.length > 1 ? 'have' : 'has'} no sub job, and Acumatica project ${inputs.projectKey} has no default task. ` +
        `Put the ${noDefault.length > 1 ? 'lines' : 'line'} on a sub job in Procore, or mark a default task on the project in Acumatica, then resend.`,
    );
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, tasks };
}

/** The task ID in a sub job link's Acumatica key ("<Project ID>:<Task ID>"), if the link is to `projectKey`. */
export function taskOfLinkKey(acumaticaKey: string, projectKey: string): string | undefined {
  const at = acumaticaKey.indexOf(':');
  if (at < 0) return undefined;
  const project = acumaticaKey.slice(0, at);
  return project.toUpperCase() === projectKey.toUpperCase() ? acumaticaKey.slice(at + 1) : undefined;
}
