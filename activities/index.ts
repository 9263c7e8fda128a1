/**
 * Every activity the worker registers, built from its dependencies (samples-typescript's
 * activities-dependency-injection). Workflows type their proxies with `Activities` and import nothing else.
 */
import { createCommitmentExportActivities, type CommitmentExportDeps } from './commitment-export';
import { createErpRequestActivities } from './erp-requests';
import { wrapAll } from './wrap';

export type ActivityDeps = CommitmentExportDeps;

export function createActivities(deps: ActivityDeps) {
  return wrapAll({
    ...createErpRequestActivities(deps),
    ...createCommitmentExportActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
