/**
 * Onboarding of a company already in flight: `onboard --company ID [--projects P1,P2|--all] [--dry-run]`.
 * Runs, in order, what a first connection needs and this connector can do without an approver: adoption of the
 * projects, of the vendors their commitments use, then of the commitments and their lines (adoption/run.ts).
 * Ends with a report: per entity adopted / created (nothing in Acumatica: the first export creates it) /
 * unchanged / to review, and the review list as CSV. A dry run writes nothing to either system.
 */
import { reviewCsv, runAdoption, type AdoptionReport } from './run';
import type { AdoptionContext } from './read';

export interface OnboardOptions {
  projects?: string[];
  all?: boolean;
  dryRun?: boolean;
  onProgress?: (message: string) => void;
}

export interface OnboardResult {
  report: AdoptionReport;
  reviewCsv: string;
  summary: string;
}

export async function onboard(ctx: AdoptionContext, opts: OnboardOptions): Promise<OnboardResult> {
  if (!opts.all && (!opts.projects || opts.projects.length === 0))
    throw new Error('Say which projects to onboard: --projects P1,P2 (Procore ids or numbers) or --all');
  const report = await runAdoption(ctx, {
    projects: opts.all ? undefined : opts.projects,
    dryRun: Boolean(opts.dryRun),
    onProgress: opts.onProgress,
  });
  return { report, reviewCsv: reviewCsv(report), summary: summarize(report) };
}

export function summarize(report: AdoptionReport): string {
  const verb = report.dryRun ? 'would ' : '';
  const lines = [
    `Onboarding of company ${report.companyId}${report.dryRun ? ' (dry run: nothing written)' : ''}`,
    `entity                    ${verb}adopt  ${verb}create  unchanged  review  differing`,
  ];
  for (const [entity, c] of Object.entries(report.counts))
    lines.push(
      `${entity.padEnd(26)}${String(c.adopted).padStart(6 + verb.length)}  ${String(c.created).padStart(6 + verb.length)}  ${String(c.unchanged).padStart(9)}  ${String(c.review).padStart(6)}  ${String(c.differing).padStart(9)}`,
    );
  lines.push(`adopted by rule: ${JSON.stringify(report.rules)}`);
  return lines.join('\n');
}
