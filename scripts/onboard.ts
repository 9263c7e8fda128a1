/**
 * `tsx scripts/onboard.ts --company 4271 (--projects IF-001,IF-002 | --all) [--dry-run] [--csv review.csv]`:
 * adopts what already exists in both systems (adoption/onboard.ts), printing progress and the report.
 * A writing run goes through the API (POST /companies/:id/onboarding?wait=true): it runs as the Temporal workflow
 * onboard-<company>, once, visible in the Web UI. A dry run (or --local) runs here and needs DATABASE_URL,
 * PROCORE_API_URL, PROCORE_CLIENT_ID, PROCORE_CLIENT_SECRET (as the worker).
 */
import { localOperatorHeaders } from './local-operator-key';
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { withCompanyContext } from '../adoption/context';
import { onboard, summarize, type OnboardResult } from '../adoption/onboard';
import { LOCAL_PORTS } from './local-ports';
import { runScript } from './run-script';

const program = new Command()
  .name('onboard')
  .requiredOption('--company <id>', 'Procore company id')
  .option('--projects <list>', 'Procore project ids or numbers, comma separated')
  .option('--all', 'every project of the company')
  .option('--dry-run', 'read both systems and report; write nothing')
  .option('--csv <file>', 'write the review list as CSV to this file (default: stdout after the report)')
  .option('--json', 'print the full report as JSON')
  .option('--imports <kinds>', 'import kinds to run first through the import workflow, e.g. vendors,cost_codes')
  .option('--local', 'run a writing onboarding in this process instead of as a Temporal workflow')
  .option('--api <url>', 'connector API', `http://127.0.0.1:${LOCAL_PORTS.api}`);

async function throughApi(api: string, company: string, body: Record<string, unknown>): Promise<OnboardResult> {
  const res = await fetch(`${api}/companies/${company}/onboarding?wait=true`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...localOperatorHeaders(),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`onboarding failed: ${res.status} ${await res.text()}`);
  const result = (await res.json()) as OnboardResult & { workflowId: string };
  console.error(`- ran as Temporal workflow ${result.workflowId}`);
  return { ...result, summary: summarize(result.report) };
}

async function main(): Promise<number> {
  program.parse();
  const o = program.opts<{
    company: string;
    projects?: string;
    all?: boolean;
    dryRun?: boolean;
    csv?: string;
    json?: boolean;
    local?: boolean;
    imports?: string;
    api: string;
  }>();
  const input = { projects: o.projects?.split(',').map((s) => s.trim()), all: o.all, dryRun: o.dryRun };
  const result =
    o.dryRun || o.local
      ? await withCompanyContext(o.company, (ctx) =>
          onboard(ctx, { ...input, onProgress: (m) => console.error(`- ${m}`) }),
        )
      : await throughApi(o.api, o.company, { ...input, imports: o.imports?.split(',') });
  if (o.json) console.log(JSON.stringify(result.report, null, 2));
  else console.log(result.summary);
  if (o.csv) writeFileSync(o.csv, result.reviewCsv);
  else console.log(`\nReview list (CSV):\n${result.reviewCsv}`);
  return 0;
}

runScript(main);
