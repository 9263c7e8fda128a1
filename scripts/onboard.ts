/**
 * `tsx scripts/onboard.ts --company 4271 (--projects IF-001,IF-002 | --all) [--dry-run] [--csv review.csv]`:
 * adopts what already exists in both systems (adoption/onboard.ts), printing progress and the report.
 * Environment: DATABASE_URL, PROCORE_API_URL, PROCORE_CLIENT_ID, PROCORE_CLIENT_SECRET (as the worker).
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { companyContext } from '../adoption/context';
import { onboard } from '../adoption/onboard';

const program = new Command()
  .name('onboard')
  .requiredOption('--company <id>', 'Procore company id')
  .option('--projects <list>', 'Procore project ids or numbers, comma separated')
  .option('--all', 'every project of the company')
  .option('--dry-run', 'read both systems and report; write nothing')
  .option('--csv <file>', 'write the review list as CSV to this file (default: stdout after the report)')
  .option('--json', 'print the full report as JSON');

async function main(): Promise<number> {
  program.parse();
  const o = program.opts<{
    company: string;
    projects?: string;
    all?: boolean;
    dryRun?: boolean;
    csv?: string;
    json?: boolean;
  }>();
  const { ctx, close } = await companyContext(o.company);
  try {
    const result = await onboard(ctx, {
      projects: o.projects?.split(',').map((s) => s.trim()),
      all: o.all,
      dryRun: o.dryRun,
      onProgress: (m) => console.error(`- ${m}`),
    });
    if (o.json) console.log(JSON.stringify(result.report, null, 2));
    else console.log(result.summary);
    if (o.csv) writeFileSync(o.csv, result.reviewCsv);
    else console.log(`\nReview list (CSV):\n${result.reviewCsv}`);
    return 0;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
