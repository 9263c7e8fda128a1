/**
 * `tsx scripts/reconcile.ts --company 4271 [--project IF-001] [--format csv|json]`: compares the linked
 * commitments of both systems (adoption/reconcile.ts) and prints every difference, every record on one side only.
 * Reads only. Environment as scripts/onboard.ts (DATABASE_URL, PROCORE_*). Also GET /companies/:id/reconciliation.
 */
import { Command } from 'commander';
import { withCompanyContext } from '../adoption/context';
import { reconcile, reconcileCsv } from '../adoption/reconcile';
import { runScript } from './run-script';

const program = new Command()
  .name('reconcile')
  .requiredOption('--company <id>', 'Procore company id')
  .option('--project <list>', 'Procore project ids or numbers, comma separated (default: every linked project)')
  .option('--format <format>', 'csv or json', 'csv');

async function main(): Promise<number> {
  program.parse();
  const o = program.opts<{ company: string; project?: string; format: string }>();
  if (!['csv', 'json'].includes(o.format)) throw new Error('--format must be csv or json');
  const projects = o.project?.split(',').map((s) => s.trim());
  const result = await withCompanyContext(o.company, (ctx) => reconcile(ctx, { projects }));
  process.stdout.write(o.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : reconcileCsv(result));
  console.error(`${result.projects} projects, ${result.compared} linked pairs compared, ${result.items.length} items`);
  return 0;
}

runScript(main);
