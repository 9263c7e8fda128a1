/**
 * `npm run connector -- preview --company 4271 (--request R | --kind subcontract --id X [--project P]) [--json]`:
 * what exporting an ERP request (or a Procore record) would do in Acumatica - create (with the fields it would
 * send), update (each field: Acumatica's value -> the export's; lines added, updated, deleted), unchanged, or the
 * preflight's problems - writing nothing. Runs as a workflow through the connector's API
 * (POST /companies/:id/exports/preview); activities/exporters/preview.ts decides.
 */
import { Command } from 'commander';
import type { ExportPreview } from '../activities/exporters/preview';
import { localOperatorHeaders } from './local-operator-key';
import { LOCAL_PORTS } from './local-ports';
import { runScript } from './run-script';

const program = new Command()
  .name('preview')
  .requiredOption('--company <id>', 'Procore company id')
  .option('--request <id>', 'the ERP request to preview')
  .option('--kind <kind>', 'or a Procore record: its export kind (subcontract, purchase_order, vendor...)')
  .option('--id <id>', 'the Procore record id')
  .option('--project <id>', 'its Procore project id')
  .option('--json', 'print the whole preview as JSON')
  .option('--api <url>', 'connector API', `http://127.0.0.1:${LOCAL_PORTS.api}`);

function describe(p: ExportPreview): string[] {
  const lines = [`${p.label} (${p.kind}): ${p.outcome.replace('_', ' ')}${p.acumaticaKey ? ` ${p.acumaticaKey}` : ''}`];
  for (const problem of p.problems ?? []) lines.push(`  problem: ${problem}`);
  for (const [field, value] of Object.entries(p.fields ?? {})) lines.push(`  ${field}: ${JSON.stringify(value)}`);
  for (const c of p.changes ?? []) lines.push(`  ${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`);
  if (p.lines) lines.push(`  lines: ${p.lines.added} added, ${p.lines.updated} updated, ${p.lines.deleted} deleted`);
  return lines;
}

async function main(): Promise<number> {
  program.parse();
  const o = program.opts<{
    company: string;
    request?: string;
    kind?: string;
    id?: string;
    project?: string;
    json?: boolean;
    api: string;
  }>();
  if (!o.request && !(o.kind && o.id)) throw new Error('Name --request, or --kind and --id');
  const body = o.request ? { erpRequestId: o.request } : { kind: o.kind, procoreId: o.id, projectId: o.project };
  const res = await fetch(`${o.api}/companies/${o.company}/exports/preview`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...localOperatorHeaders() },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as ExportPreview & { error?: { message: string } };
  if (!res.ok) {
    console.error(`Preview refused: ${answer.error?.message ?? res.status}`);
    return 1;
  }
  console.log(o.json ? JSON.stringify(answer, null, 2) : describe(answer).join('\n'));
  return 0;
}

runScript(main);
