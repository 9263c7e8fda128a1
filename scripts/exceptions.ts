/**
 * `tsx scripts/exceptions.ts list --company 4271 [--json]`
 * `tsx scripts/exceptions.ts retry --company 4271 --id review:work_order_contract:123`
 * `tsx scripts/exceptions.ts dismiss --company 4271 --id import:42`
 * The exception list (adoption/exceptions.ts): import exceptions, failed exports, the adoption review list.
 * list/dismiss need DATABASE_URL only; retry of a review also the Procore settings (as scripts/onboard.ts); retry
 * of a failed export goes through the API (POST /companies/:id/exceptions/:id/retry: a reset of its workflow).
 */
import { localOperatorHeaders } from './local-operator-key';
import { Command } from 'commander';
import { withCompanyContext } from '../adoption/context';
import { dismissException, listExceptions, retryException } from '../adoption/exceptions';
import { toCsv } from '../adoption/run';
import { createPool } from '../store/db';
import { LOCAL_PORTS } from './local-ports';
import { runScript } from './run-script';

async function withDb<T>(fn: (db: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const db = createPool(process.env.DATABASE_URL, 1);
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

const program = new Command().name('exceptions');
program
  .command('list')
  .requiredOption('--company <id>', 'Procore company id')
  .option('--json', 'JSON instead of CSV')
  .action(async (o: { company: string; json?: boolean }) => {
    const items = await withDb((db) => listExceptions(db, o.company));
    if (o.json) console.log(JSON.stringify(items, null, 2));
    else
      process.stdout.write(
        toCsv(
          ['id', 'kind', 'entity', 'label', 'reason', 'detail', 'at'],
          items.map((i) => [i.id, i.kind, i.entity, i.label, i.reason, i.detail, i.at]),
        ),
      );
  });
program
  .command('dismiss')
  .requiredOption('--company <id>', 'Procore company id')
  .requiredOption('--id <exceptionId>', 'exception id from list')
  .action(async (o: { company: string; id: string }) => {
    const done = await withDb((db) => dismissException(db, o.company, o.id));
    console.log(done ? `Dismissed ${o.id}` : `${o.id} was not open`);
  });
program
  .command('retry')
  .requiredOption('--company <id>', 'Procore company id')
  .requiredOption('--id <exceptionId>', 'exception id from list')
  .option(
    '--api <url>',
    'connector API (failed exports are retried by resetting their workflow)',
    `http://127.0.0.1:${LOCAL_PORTS.api}`,
  )
  .action(async (o: { company: string; id: string; api: string }) => {
    if (o.id.startsWith('export:')) {
      const res = await fetch(`${o.api}/companies/${o.company}/exceptions/${encodeURIComponent(o.id)}/retry`, {
        method: 'POST',
        headers: localOperatorHeaders(),
      });
      if (!res.ok) throw new Error(`retry failed: ${res.status} ${await res.text()}`);
      const r = (await res.json()) as { outcome: string; message: string };
      console.log(`${o.id}: ${r.outcome}. ${r.message}`);
      return;
    }
    const r = await withCompanyContext(o.company, (ctx) => retryException(ctx, o.id));
    console.log(`${o.id}: ${r.outcome}. ${r.message}`);
  });

runScript(async () => {
  await program.parseAsync();
  return 0;
});
