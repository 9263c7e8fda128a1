/**
 * `npm run connector -- <command>`: the operator's command line (commander). Every command has --help and
 * --json; no command prints a secret except `api-keys create`, which shows the new key once.
 *
 * Settings come from the environment as the API and worker read them (lib/config.ts); against `npm start`, the
 * variables it wrote to .data/local.env fill what the environment leaves unset (scripts/local-env.ts).
 */
import type { ScheduleHandle } from '@temporalio/client';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../lib/config';
import { logger, setLogDestination } from '../lib/logger';
import { nightlyScheduleId, reconcileScheduleId } from '../lib/ids';
import { loadLocalEnv } from '../scripts/local-env';
import { createApiKey, listApiKeys, revokeApiKey } from '../store/api-keys';
import { getConnection, listConnections } from '../store/connections';
import { addConnectionCommands } from './connections';
import { addTaxCategoryCommand } from './tax-categories';
import { out, withDb, withTemporal } from './io';

export function buildCli(): Command {
  const program = new Command('connector')
    .description('Operate the Procore <-> Acumatica connector: connections, checks, schedules, API keys.')
    .showHelpAfterError();

  const keys = program.command('api-keys').description('Operator API keys for the management API');
  keys
    .command('create')
    .description('Create a key; it is shown once, store it in your secret manager')
    .requiredOption('--name <name>', 'who or what uses the key, e.g. "ops-dashboard"')
    .option('--json', 'machine-readable output')
    .action(async (opts: { name: string; json?: boolean }) => {
      const created = await withDb((db) => createApiKey(db, opts.name));
      out(!!opts.json, { id: created.id, name: opts.name, key: created.key }, () => [
        `Created API key ${created.id} (${opts.name}). It is shown only now:`,
        '',
        `  ${created.key}`,
        '',
        'Send it as "Authorization: Bearer <key>". Revoke it with: npm run connector -- api-keys revoke ' + created.id,
      ]);
    });
  keys
    .command('list')
    .description('List keys (ids and names, never the keys)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const list = await withDb(listApiKeys);
      out(!!opts.json, list, () =>
        list.length === 0
          ? ['No API keys. Create one with: npm run connector -- api-keys create --name <name>']
          : list.map(
              (k) =>
                `${k.id}  ${k.revokedAt ? 'revoked ' + k.revokedAt : 'active '}  ${k.name}  (created ${k.createdAt}, last used ${k.lastUsedAt ?? 'never'})`,
            ),
      );
    });
  keys
    .command('revoke <id>')
    .description('Revoke a key by its id (see api-keys list)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const revoked = await withDb((db) => revokeApiKey(db, id));
      out(!!opts.json, { id, revoked }, () => [
        revoked ? `Revoked API key ${id}.` : `No active API key ${id}; see npm run connector -- api-keys list.`,
      ]);
      if (!revoked) process.exitCode = 1;
    });

  program
    .command('list')
    .description('List connected companies')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const list = await withDb(listConnections);
      const rows = list.map(({ procoreCompanyId, name, acumaticaUrl, acumaticaTenant, branches, optInImports }) => ({
        procoreCompanyId,
        name,
        acumaticaUrl,
        acumaticaTenant,
        branches,
        optInImports,
      }));
      out(!!opts.json, rows, () =>
        rows.length === 0
          ? ['No company is connected.']
          : rows.map(
              (c) =>
                `${c.procoreCompanyId}  ${c.name}  ${c.acumaticaUrl} (${c.acumaticaTenant}; ${c.branches.join(', ')})`,
            ),
      );
    });
  program
    .command('show <companyId>')
    .description("Show one company's connection (secrets are references, never values)")
    .option('--json', 'machine-readable output')
    .action(async (companyId: string, opts: { json?: boolean }) => {
      const connection = await withDb((db) => getConnection(db, companyId));
      if (!connection) {
        console.error(`Company ${companyId} is not connected; see npm run connector -- list.`);
        process.exitCode = 1;
        return;
      }
      out(!!opts.json, connection, () => Object.entries(connection).map(([k, v]) => `${k.padEnd(22)} ${v ?? ''}`));
    });
  addConnectionCommands(program);
  addTaxCategoryCommand(program);
  // In-flight adoption, reconciliation and the exception list (adoption/): their own scripts, run as subcommands.
  for (const [name, description] of [
    ['onboard', 'Adopt what already exists in both systems; --dry-run reports without writing'],
    ['reconcile', 'Compare linked records of both systems and list every difference'],
    ['preview', 'What exporting an ERP request or a Procore record would do in Acumatica; writes nothing'],
    ['exceptions', 'List, retry or dismiss import exceptions, failed exports and the adoption review list'],
  ] as const) {
    program.command(name, description, { executableFile: path.join(__dirname, `../scripts/${name}.ts`) });
  }

  const schedules = program
    .command('schedules')
    .description("A company's import schedules (nightly delta import, weekly full reconciliation)");
  const scheduleAction = (name: string, description: string, act: (handle: ScheduleHandle) => Promise<unknown>) =>
    schedules
      .command(`${name}`)
      .description(description)
      .requiredOption('--company <id>', 'Procore company id')
      .option('--json', 'machine-readable output')
      .action(async (opts: { company: string; json?: boolean }) => {
        const rows = await withTemporal(temporalConfig(), async (client) => {
          const result = [];
          for (const scheduleId of [nightlyScheduleId(opts.company), reconcileScheduleId(opts.company)]) {
            const handle = client.schedule.getHandle(scheduleId);
            await act(handle);
            const d = await handle.describe();
            result.push({
              scheduleId,
              paused: d.state.paused,
              timeZone: d.spec.timezone ?? null,
              nextRun: d.info.nextActionTimes[0]?.toISOString() ?? null,
              recentRuns: d.info.recentActions.length,
            });
          }
          return result;
        });
        out(!!opts.json, rows, () =>
          rows.map(
            (r) =>
              `${r.scheduleId}  ${r.paused ? 'paused ' : 'active '}  ${r.timeZone ?? ''}  next run ${r.nextRun ?? '-'}  (${r.recentRuns} recent runs)`,
          ),
        );
      });
  scheduleAction('list', 'Show the schedules, paused or not, and their next run', async () => undefined);
  scheduleAction('pause', 'Pause both schedules', (h) => h.pause('paused with npm run connector -- schedules pause'));
  scheduleAction('resume', 'Resume both schedules', (h) =>
    h.unpause('resumed with npm run connector -- schedules resume'),
  );
  scheduleAction('trigger', 'Run both schedules now (an import already running is not overlapped)', (h) => h.trigger());
  return program;
}

/** Temporal settings only: the schedule commands need no Procore credentials. */
function temporalConfig() {
  return loadConfig({ PROCORE_CLIENT_ID: '-', PROCORE_CLIENT_SECRET: '-', ...process.env });
}

if (require.main === module) {
  loadLocalEnv();
  setLogDestination(process.stderr); // stdout carries the commands' output (--json)
  buildCli()
    .parseAsync(process.argv)
    .catch((err: Error) => {
      logger.error({ err, component: 'cli' }, `connector: ${err.message}`);
      process.exit(1);
    });
}
