/**
 * `npm run import -- --company 4271 --entities vendors [--branch HQ] [--mode full] [--api URL]`: starts an
 * import through the connector's API and shows a progress bar until it ends. Exits 0 when it completed.
 * `--dry-run`: reads both systems and prints what the import would do, per kind and per record (would create /
 * would update with the field diff / would adopt / unchanged / exception), writing nothing; `--json` prints it all.
 */
import { parseArgs } from 'node:util';
import type { ImportPreviewResult } from '../activities/import-preview';
import { localOperatorHeaders } from './local-operator-key';
import { LOCAL_PORTS } from './local-ports';
import { runScript } from './run-script';

const { values } = parseArgs({
  options: {
    company: { type: 'string', default: '4271' },
    entities: { type: 'string', default: 'vendors' },
    branch: { type: 'string' },
    mode: { type: 'string', default: 'delta' },
    api: { type: 'string', default: `http://127.0.0.1:${LOCAL_PORTS.api}` },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

/** Prints a dry run's counts per kind, then every record the import would change or refuse. */
function printDryRun(result: ImportPreviewResult & { workflowId: string }): void {
  if (values.json) return void console.log(JSON.stringify(result, null, 2));
  console.log(`Dry run ${result.workflowId}: nothing was written.`);
  console.log('kind          would create  would update  would adopt  unchanged  exception');
  for (const [kind, c] of Object.entries(result.counts))
    console.log(
      `${kind.padEnd(14)}${String(c.would_create).padStart(12)}  ${String(c.would_update).padStart(12)}  ${String(c.would_adopt).padStart(11)}  ${String(c.unchanged).padStart(9)}  ${String(c.exception).padStart(9)}`,
    );
  for (const r of result.records.filter((x) => x.outcome !== 'unchanged')) {
    const detail =
      r.outcome === 'exception'
        ? r.reason
        : r.outcome === 'would_adopt'
          ? `Procore ${r.procoreId} (match ${r.matchKey})`
          : r.outcome === 'would_update'
            ? (r.changes ?? [])
                .map((c) => `${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`)
                .join('; ') || 'changed (the previous content was not recorded)'
            : '';
    console.log(`${r.kind} ${r.acumaticaKey}: ${r.outcome.replace('_', ' ')}${detail ? ` - ${detail}` : ''}`);
  }
}

interface Progress {
  read: number;
  written: number;
  unchanged: number;
  exceptions: number;
  scopes?: Record<string, string>;
}

function bar(p: Progress): string {
  const scopes = Object.values(p.scopes ?? {});
  const done = scopes.filter((s) => s === 'done').length;
  const width = 30;
  const filled = scopes.length ? Math.round((done / scopes.length) * width) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${scopes.length} scopes  read ${p.read}  written ${p.written}  unchanged ${p.unchanged}  exceptions ${p.exceptions}`;
}

async function main(): Promise<number> {
  const res = await fetch(`${values.api}/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...localOperatorHeaders() },
    body: JSON.stringify({
      companyId: values.company,
      entities: values.entities!.split(','),
      branch: values.branch,
      mode: values.mode,
      ...(values['dry-run'] ? { dryRun: true } : {}),
    }),
  });
  if (values['dry-run']) {
    const answer = (await res.json()) as ImportPreviewResult & { workflowId: string; error?: { message: string } };
    if (!res.ok) {
      console.error(`Dry run refused: ${answer.error?.message ?? res.status}`);
      return 1;
    }
    printDryRun(answer);
    return 0;
  }
  const started = (await res.json()) as {
    workflowId?: string;
    statusUrl?: string;
    joined?: boolean;
    error?: { message: string };
  };
  if (!res.ok || !started.statusUrl) {
    console.error(`Import not started: ${started.error?.message ?? res.status}`);
    return 1;
  }
  console.log(`${started.joined ? 'Joined running' : 'Started'} import ${started.workflowId}`);
  for (;;) {
    const res = await fetch(`${values.api}${started.statusUrl}`, { headers: localOperatorHeaders() });
    if (!res.ok) {
      // Not visible yet right after the start (or Temporal briefly unreachable): ask again.
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    const status = (await res.json()) as {
      status: string;
      progress?: Progress;
      result?: Progress;
      failure?: string;
    };
    const p = status.result ?? status.progress;
    if (p && process.stdout.isTTY) process.stdout.write(`\r${bar(p)}`);
    if (status.status !== 'RUNNING') {
      if (p) process.stdout.write(`${process.stdout.isTTY ? '\r' : ''}${bar(p)}\n`);
      console.log(status.status === 'COMPLETED' ? 'Import completed.' : `Import ${status.status}: ${status.failure}`);
      return status.status === 'COMPLETED' ? 0 : 1;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

runScript(main, { stack: true });
