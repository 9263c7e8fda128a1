/**
 * `tsx scripts/reconcile.ts --company 4271 [--project IF-001] [--format csv|json]`: compares the linked
 * commitments of both systems (adoption/reconcile.ts) and prints every difference, every record on one side only.
 * Reads only. Environment as scripts/onboard.ts (DATABASE_URL, PROCORE_*). Also GET /companies/:id/reconciliation.
 */
import { Command } from 'commander';
import { companyContext } from '../adoption/context';
import { reconcile, reconcileCsv } from '../adoption/reconcile';

const program = new Command()
  .name('reconcile')
  .requiredOption('--company <id>', 'Procore company id')
  .option('--project <list>', 'Procore project ids or numbers, comma separated (default: every linked project)')
  .option('--format <format>', 'csv or json', 'csv');

async function main(): Promise<number> {
  program.parse();
  const o = program.opts<{ company: string; project?: string; format: string }>();
  if (!['csv', 'json'].includes(o.format)) throw new Error('--format must be csv or json');
  const { ctx, close } = await companyContext(o.company);
  try {
    const result = await reconcile(ctx, { projects: o.project?.split(',').map((s) => s.trim()) });
    process.stdout.write(o.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : reconcileCsv(result));
    console.error(
      `${result.projects} projects, ${result.compared} linked pairs compared, ${result.items.length} items`,
    );
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
