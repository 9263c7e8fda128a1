/**
 * `connect`, `check`, `rotate-token` and `disconnect`: a company's connection, from the command line. The
 * Procore DMSA credentials, Temporal and the API's public URL come from the environment (lib/config.ts), as the
 * API and worker read them; passwords only as references (env:NAME or file:/path), never as values.
 */
import type { Command } from 'commander';
import { acumaticaClientFor } from '../activities/company-clients';
import { ProcoreClient } from '../clients/procore/client';
import { CHECKS, runChecks, webhookCheck, type CheckResult } from '../connections/checks';
import { connectCompany, disconnectCompany, rotateWebhookToken } from '../connections/connect';
import { loadConfig, type Config } from '../lib/config';
import { OPT_IN_IMPORT_KINDS } from '../lib/import-kinds';
import { secretRefProblem } from '../lib/secrets';
import { getConnection, listConnections, type CompanyConnection } from '../store/connections';
import { ensureImportSchedules } from '../temporal/schedules';
import { fail, out, withDb, withTemporal } from './io';

/** The environment the connection commands need: Procore credentials and the API's public URL. */
function connectorConfig(): Config & { apiPublicUrl: string } {
  const config = loadConfig();
  return { ...config, apiPublicUrl: config.API_PUBLIC_URL ?? `http://127.0.0.1:${config.API_PORT}` };
}

function procoreClient(config: Config): ProcoreClient {
  return new ProcoreClient({
    baseUrl: config.PROCORE_API_URL,
    authUrl: config.PROCORE_AUTH_URL,
    clientId: config.PROCORE_CLIENT_ID,
    clientSecret: config.PROCORE_CLIENT_SECRET,
  });
}

function checkLines(results: CheckResult[]): string[] {
  return results.flatMap((r) => [
    `  ${r.status.toUpperCase().padEnd(4)}  ${CHECKS[r.check]}: ${r.detail}`,
    ...(r.fix ? [`        fix: ${r.fix}`] : []),
  ]);
}

const failed = (results: CheckResult[]) => results.filter((r) => r.status === 'fail');
const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

interface ConnectOptions {
  company: string;
  name: string;
  acumaticaUrl: string;
  tenant: string;
  username: string;
  passwordRef: string;
  branches: string[];
  loginBranch?: string;
  endpoint?: string;
  endpointVersion?: string;
  timeZone?: string;
  nightlyCron?: string;
  reconcileCron?: string;
  optIn: string[];
  acumaticaPerMinute: number;
  acumaticaConcurrent: number;
  acumaticaSessions: number;
  force?: boolean;
  json?: boolean;
}

/** What the options name, or the list of what is wrong with them. */
function connectionFrom(o: ConnectOptions): CompanyConnection | string[] {
  const problems: string[] = [];
  if (!/^\d{1,20}$/.test(o.company))
    problems.push(`--company must be the numeric Procore company id, got "${o.company}"`);
  if (!/^https?:\/\/[^\s]+$/.test(o.acumaticaUrl))
    problems.push(`--acumatica-url must be the instance URL, e.g. https://acme.acumatica.com`);
  const refProblem = secretRefProblem(o.passwordRef);
  if (refProblem) problems.push(`--password-ref: ${refProblem}`);
  if (o.branches.length === 0) problems.push('--branches must name at least one Acumatica Branch ID');
  const unknownOptIns = o.optIn.filter((k) => !OPT_IN_IMPORT_KINDS.includes(k as never));
  if (unknownOptIns.length)
    problems.push(`--opt-in ${unknownOptIns.join(', ')}: only ${OPT_IN_IMPORT_KINDS.join(', ')} can be opted into`);
  for (const [flag, value] of [
    ['--acumatica-per-minute', o.acumaticaPerMinute],
    ['--acumatica-concurrent', o.acumaticaConcurrent],
    ['--acumatica-sessions', o.acumaticaSessions],
  ] as const)
    if (!Number.isInteger(value) || value < 1) problems.push(`${flag} must be a whole number of at least 1`);
  if (problems.length) return problems;
  return {
    procoreCompanyId: o.company,
    name: o.name,
    acumaticaUrl: o.acumaticaUrl.replace(/\/+$/, ''),
    acumaticaTenant: o.tenant,
    acumaticaBranch: o.loginBranch ?? o.branches[0],
    acumaticaUsername: o.username,
    acumaticaPasswordRef: o.passwordRef,
    branches: o.branches,
    acumaticaEndpointName: o.endpoint && o.endpoint !== 'Default' ? o.endpoint : null,
    acumaticaEndpointVersion: o.endpointVersion ?? null,
    nightlyImportCron: o.nightlyCron,
    reconcileCron: o.reconcileCron,
    timeZone: o.timeZone,
    optInImports: o.optIn,
    acumaticaMaxPerMinute: o.acumaticaPerMinute,
    acumaticaMaxConcurrent: o.acumaticaConcurrent,
    acumaticaMaxSessions: o.acumaticaSessions,
  };
}

export function addConnectionCommands(program: Command): void {
  program
    .command('connect')
    .description(
      "Connect a Procore company to its Acumatica tenant: run the checks, store the connection, register Procore's webhook, create its import schedules",
    )
    .requiredOption('--company <id>', 'Procore company id')
    .requiredOption('--name <name>', 'company name shown in the Web UI')
    .requiredOption('--acumatica-url <url>', 'Acumatica instance URL, e.g. https://acme.acumatica.com')
    .requiredOption('--tenant <tenant>', 'tenant login name (SM203520)')
    .requiredOption('--username <user>', 'Acumatica API user')
    .requiredOption(
      '--password-ref <ref>',
      'where the worker reads the password: env:NAME or file:/path (never the password)',
    )
    .requiredOption('--branches <ids>', 'Acumatica Branch IDs this company posts to, comma-separated', list)
    .option('--login-branch <id>', 'branch to sign in to (default: the first of --branches)')
    .option('--endpoint <name>', 'endpoint name, e.g. an extended endpoint (default Default)')
    .option('--endpoint-version <version>', 'pin the endpoint version (default: the newest supported one offered)')
    .option('--time-zone <iana>', 'time zone of the schedules, e.g. America/Denver')
    .option('--nightly-cron <cron>', 'cron of the nightly delta import')
    .option('--reconcile-cron <cron>', 'cron of the weekly full reconciliation')
    .option('--opt-in <kinds>', `import kinds to switch on (${OPT_IN_IMPORT_KINDS.join(', ')})`, list, [])
    // License limits (SM604000); defaults: a standard tier as published by third parties (acumatica-api.md §4,
    // UNVERIFIED) and one API-user slot, leaving the trial's second to people and other integrations.
    .option('--acumatica-per-minute <n>', "the license's API requests per minute, shared by all workers", Number, 100)
    .option('--acumatica-concurrent <n>', "the license's concurrent API requests, shared by all workers", Number, 3)
    .option('--acumatica-sessions <n>', 'API-user slots the connector may hold (shared by all workers)', Number, 1)
    .option('--force', 'store the connection even when checks fail')
    .option('--json', 'machine-readable output')
    .action(async (o: ConnectOptions) => {
      const connection = connectionFrom(o);
      if (Array.isArray(connection)) return fail(`connect: ${connection.join('; ')}`);
      const config = connectorConfig();
      const procore = procoreClient(config);
      const checks = await runChecks({ connection, procore, acumatica: () => acumaticaClientFor(connection) });
      if (failed(checks).length && !o.force) {
        out(!!o.json, { companyId: o.company, stored: false, checks }, () => [
          `Company ${o.company} (${o.name}): checks failed, nothing stored.`,
          ...checkLines(checks),
          'Fix what failed and run connect again (or add --force to store it anyway).',
        ]);
        process.exitCode = 1;
        return;
      }
      // The schedules follow what is stored (a reconnect without --nightly-cron keeps the stored cron).
      const { hookId, stored } = await withDb(async (db) => {
        const { hookId } = await connectCompany({ db, procore, connection, apiPublicUrl: config.apiPublicUrl });
        return { hookId, stored: (await getConnection(db, o.company))! };
      });
      const schedules = await withTemporal(config, (client) =>
        ensureImportSchedules(client, stored, config.TEMPORAL_TASK_QUEUE),
      ).catch((err: Error) => ({ error: `${err.message}; the API creates them when it next starts` }));
      const all = [...checks, await webhookCheck(procore, o.company, config.apiPublicUrl)];
      out(!!o.json, { companyId: o.company, stored: true, hookId, schedules, checks: all }, () => [
        `Company ${o.company} (${o.name}) is connected${failed(checks).length ? ' (--force: checks failed)' : ''}.`,
        ...checkLines(all),
        `  Webhook hook ${hookId}; import schedules: ${JSON.stringify(schedules)}`,
      ]);
      if (failed(all).length || 'error' in schedules) process.exitCode = 1;
    });

  program
    .command('check')
    .description('Run the onboarding checks against a connected company (every company without --company)')
    .option('--company <id>', 'Procore company id')
    .option('--json', 'machine-readable output')
    .action(async (o: { company?: string; json?: boolean }) => {
      const config = connectorConfig();
      const procore = procoreClient(config);
      const connections = await withDb(async (db) =>
        o.company ? [await getConnection(db, o.company)].filter((c) => c !== undefined) : listConnections(db),
      );
      if (connections.length === 0)
        return fail(
          o.company
            ? `Company ${o.company} is not connected; see npm run connector -- list.`
            : 'No company is connected.',
        );
      const report: Array<{ companyId: string; name: string; checks: CheckResult[] }> = [];
      for (const connection of connections) {
        const checks = await runChecks({
          connection,
          procore,
          acumatica: () => acumaticaClientFor(connection),
          apiPublicUrl: config.apiPublicUrl,
        });
        report.push({ companyId: connection.procoreCompanyId, name: connection.name, checks });
      }
      out(!!o.json, report, () =>
        report.flatMap((r) => [`Company ${r.companyId} (${r.name})`, ...checkLines(r.checks)]),
      );
      if (report.some((r) => failed(r.checks).length)) process.exitCode = 1;
    });

  program
    .command('rotate-token <companyId>')
    .description('Issue a new webhook token for the company and set it on its Procore hook (the old one stops working)')
    .option('--json', 'machine-readable output')
    .action(async (companyId: string, o: { json?: boolean }) => {
      const config = connectorConfig();
      const { hookId } = await withDb((db) =>
        rotateWebhookToken({ db, procore: procoreClient(config), companyId, apiPublicUrl: config.apiPublicUrl }),
      );
      out(!!o.json, { companyId, hookId, rotated: true }, () => [
        `Company ${companyId}: new webhook token set on Procore hook ${hookId} (the token itself is never shown).`,
      ]);
    });

  program
    .command('disconnect <companyId>')
    .description(
      'Stop a company: delete its schedules and Procore hook and its connection; links are kept unless --purge',
    )
    .option('--purge', 'also forget its links, import state and exception list')
    .option('--json', 'machine-readable output')
    .action(async (companyId: string, o: { purge?: boolean; json?: boolean }) => {
      const config = connectorConfig();
      const result = await withTemporal(config, (temporal) =>
        withDb((db) => disconnectCompany({ db, procore: procoreClient(config), temporal, companyId, purge: o.purge })),
      );
      out(!!o.json, { companyId, ...result }, () => [
        result.connectionDeleted
          ? `Company ${companyId} is disconnected.`
          : `Company ${companyId} had no stored connection; removed what was left.`,
        `  schedules deleted: ${result.schedulesDeleted.join(', ') || 'none'}`,
        `  Procore hooks deleted: ${result.hooksDeleted.join(', ') || 'none'}`,
        `  links and import state: ${result.purged ? 'purged' : 'kept (reconnecting finds them)'}`,
      ]);
    });
}
