/**
 * Onboarding of a company already in flight (issue #15) and its reconciliation report, each one activity:
 * adoption is idempotent (a linked record is reported unchanged), so a retried activity adopts nothing twice.
 * IDs: onboard-<company> (one at a time per company: a second start while one runs is refused by Temporal),
 * reconcile-<company>-<time>.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { OnboardInput } from '../activities/adoption';
import { upstreamCall } from './activity-options';

const upstream = proxyActivities<Activities>({ ...upstreamCall, startToCloseTimeout: '30 minutes' });

export async function onboardWorkflow(input: OnboardInput) {
  return upstream.onboardCompany(input);
}

export async function reconcileWorkflow(input: { companyId: string; projects?: string[] }) {
  return upstream.reconcileCompany(input);
}
