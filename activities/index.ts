/**
 * Every activity the worker registers, built from its dependencies (samples-typescript's
 * activities-dependency-injection). Workflows type their proxies with `Activities` and import nothing else.
 */
import { createAdoptionActivities } from './adoption';
import { createExportActivities, type ExportDeps } from './export';
import { createImportActivities } from './import';
import { createStagedImportActivities } from './staged-imports';
import { wrapAll } from './wrap';

export type ActivityDeps = ExportDeps;

export function createActivities(deps: ActivityDeps) {
  return wrapAll({
    ...createExportActivities(deps),
    ...createImportActivities(deps),
    ...createStagedImportActivities(deps),
    ...createAdoptionActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
