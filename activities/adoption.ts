/**
 * Activities of issue #15: onboarding (adoption, dry run or not) and the reconciliation report, run by
 * workflows/onboard.ts so that a writing onboarding runs once and shows in the Temporal Web UI.
 */
import { onboard, type OnboardResult } from '../adoption/onboard';
import { reconcile, type ReconcileResult } from '../adoption/reconcile';
import type { ExportDeps } from './export';

export interface OnboardInput {
  companyId: string;
  projects?: string[];
  all?: boolean;
  dryRun?: boolean;
}

export function createAdoptionActivities(deps: ExportDeps) {
  const context = async (companyId: string) => ({
    db: deps.db,
    procore: deps.procore,
    acumatica: await deps.companies.acumatica(companyId),
    companyId,
  });
  return {
    async onboardCompany(input: OnboardInput): Promise<OnboardResult> {
      return onboard(await context(input.companyId), input);
    },
    async reconcileCompany(input: { companyId: string; projects?: string[] }): Promise<ReconcileResult> {
      return reconcile(await context(input.companyId), { projects: input.projects });
    },
  };
}
