/**
 * Benchmark "intake" (#16): webhook deliveries at 500/s for 20 s from two companies, as Procore would send them
 * during a month-end burst. The load comes from a worker thread (its own event loop, open loop: requests leave on
 * schedule whatever the answers do). Reports accepted deliveries, answer time p50/p95/p99, how long until every
 * delivery's workflow was started (the starts run beside the answers, the relay catches up), and that every
 * delivery started exactly one workflow. No worker runs: the scenario measures intake, not exports.
 */
import { Worker } from 'node:worker_threads';
import { OTHER_COMPANY } from 'procore-simulator/src/store';
import { setWebhookToken, upsertConnection } from '../store/connections';
import { demoConnection } from '../setup/demo-company';
import type { ConnectorStack } from '../testing/connector-stack';

interface Options {
  ratePerSecond: number;
  seconds: number;
}

const LOAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, companies, rate, seconds } = workerData;
const total = rate * seconds;
const times = [];
const statuses = {};
let sent = 0;
let done = 0;
const t0 = performance.now();
function fire(i) {
  const c = companies[i % companies.length];
  const body = JSON.stringify({
    id: 9000000000 + i, ulid: String(i).padStart(26, '0'), timestamp: new Date().toISOString(),
    company_id: Number(c.id), project_id: null, user_id: null, api_version: 'v2',
    event_type: 'create', resource_name: 'ERP Requests', resource_id: 8000000000 + i,
  });
  const start = performance.now();
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + c.token }, body })
    .then(async (r) => { await r.arrayBuffer(); return r.status; }, () => 'error')
    .then((status) => {
      times.push(performance.now() - start);
      statuses[status] = (statuses[status] || 0) + 1;
      if (++done === total) parentPort.postMessage({ times, statuses, wallMs: performance.now() - t0 });
    });
}
// Every 10 ms, the requests due by now (open loop).
const timer = setInterval(() => {
  const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
  while (sent < due) fire(sent++);
  if (sent >= total) clearInterval(timer);
}, 10);
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchmarkIntake(stack: ConnectorStack, opts: Options) {
  const companies = [
    { id: stack.companyId, token: 'bench-token-a' },
    { id: OTHER_COMPANY.id, token: 'bench-token-b' },
  ];
  await upsertConnection(stack.db, {
    ...demoConnection(stack.acumaticaUrl, OTHER_COMPANY.id),
    name: OTHER_COMPANY.name,
    webhookToken: companies[1].token,
  });
  await setWebhookToken(stack.db, stack.companyId, companies[0].token);

  const load = new Worker(LOAD, {
    eval: true,
    workerData: { url: `${stack.apiUrl}/webhooks/procore`, companies, rate: opts.ratePerSecond, seconds: opts.seconds },
  });
  const t0 = Date.now();
  const result = await new Promise<{ times: number[]; statuses: Record<string, number>; wallMs: number }>(
    (resolve, reject) => {
      load.once('message', resolve);
      load.once('error', reject);
    },
  );
  await load.terminate();
  const sent = opts.ratePerSecond * opts.seconds;
  const sorted = [...result.times].sort((a, b) => a - b);
  process.stderr.write(
    `intake: answers in, p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms; waiting for the starts\n`,
  );

  // Every accepted delivery's workflow started (by the route, or by the relay for what the route could not).
  let pending = sent;
  while (pending > 0 && Date.now() - t0 < 10 * 60_000) {
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM webhook_inbox WHERE status <> 'started'`);
    pending = rows[0].n;
    if (pending > 0) await new Promise((r) => setTimeout(r, 250));
  }
  const allStartedMs = Date.now() - t0;
  const { rows } = await stack.db.query(
    `SELECT count(*)::int AS deliveries, count(DISTINCT workflow_id)::int AS workflow_ids FROM webhook_inbox`,
  );
  const workflows = await stack.client.workflow.count(
    `TaskQueue = "${stack.taskQueue}" AND WorkflowType = "erpRequestWorkflow"`,
  );
  const times = [...result.times].sort((a, b) => a - b);
  return {
    scenario: 'intake',
    deliveries: { sent, answered: result.statuses, wallSeconds: +(result.wallMs / 1000).toFixed(1) },
    answerMs: {
      p50: +percentile(times, 50).toFixed(1),
      p95: +percentile(times, 95).toFixed(1),
      p99: +percentile(times, 99).toFixed(1),
      max: +times[times.length - 1].toFixed(1),
    },
    sustainedPerSecond: +(sent / (result.wallMs / 1000)).toFixed(0),
    allWorkflowsStartedAfterSeconds: +(allStartedMs / 1000).toFixed(1),
    inboxRows: rows[0].deliveries,
    distinctWorkflowIds: rows[0].workflow_ids,
    workflowsInTemporal: workflows.count,
    exactlyOneWorkflowPerDelivery:
      rows[0].deliveries === sent && workflows.count === sent && rows[0].workflow_ids === sent,
  };
}
