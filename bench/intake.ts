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

/** Deliveries sent before the burst at 20 a second, not measured (a live connector is warm). */
const WARMUP = 40;

const LOAD = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, companies, rate, seconds, warmup } = workerData;
const target = new URL(url);
// Keep-alive connections (as fetch kept them before); node:http costs the load generator (which
// shares this machine's two cores with the connector) far less CPU per request than fetch.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const total = rate * seconds;
const times = [];
const sentAt = [];
const statuses = {};
let sent = 0;
let done = 0;
let t0 = performance.now();
function post(i, onDone) {
  const c = companies[i % companies.length];
  const body = JSON.stringify({
    id: 9000000000 + i, ulid: String(i).padStart(26, '0'), timestamp: new Date().toISOString(),
    company_id: Number(c.id), project_id: null, user_id: null, api_version: 'v2',
    event_type: 'create', resource_name: 'ERP Requests', resource_id: 8000000000 + i,
  });
  const start = performance.now();
  const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer ' + c.token, 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.resume();
    res.on('end', () => onDone(start, res.statusCode));
  });
  req.on('error', () => onDone(start, 'error'));
  req.end(body);
}
function record(start, status) {
  times.push(performance.now() - start);
  sentAt.push(start - t0);
  statuses[status] = (statuses[status] || 0) + 1;
  if (++done === total) parentPort.postMessage({ times, sentAt, statuses, wallMs: performance.now() - t0 });
}
function burst() {
  t0 = performance.now();
  // Every 10 ms, the requests due by now (open loop).
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    while (sent < due) post(sent++, record);
    if (sent >= total) clearInterval(timer);
  }, 10);
}
// Warm-up: a running connector has served deliveries before a burst; these (20 a second, ids after the burst's)
// are answered before the burst starts and are not measured.
let warmSent = 0;
let warmDone = 0;
if (warmup === 0) burst();
const warmTimer = setInterval(() => {
  if (warmSent >= warmup) return clearInterval(warmTimer);
  post(total + warmSent++, () => { if (++warmDone === warmup) burst(); });
}, 50);
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function p99BySecond(times: number[], sentAt: number[]): number[] {
  const seconds: number[][] = [];
  times.forEach((t, i) => (seconds[Math.floor(sentAt[i] / 1000)] ??= []).push(t));
  return seconds.map(
    (s) =>
      +percentile(
        [...s].sort((a, b) => a - b),
        99,
      ).toFixed(0),
  );
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
    workerData: {
      url: `${stack.apiUrl}/webhooks/procore`,
      companies,
      rate: opts.ratePerSecond,
      seconds: opts.seconds,
      warmup: WARMUP,
    },
  });
  const t0 = Date.now();
  const result = await new Promise<{
    times: number[];
    sentAt: number[];
    statuses: Record<string, number>;
    wallMs: number;
  }>((resolve, reject) => {
    load.once('message', resolve);
    load.once('error', reject);
  });
  await load.terminate();
  const sent = opts.ratePerSecond * opts.seconds + WARMUP;
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
  // Visibility (what count reads) follows the starts a little later: count until it settles on `sent`.
  const countWorkflows = () =>
    stack.client.workflow.count(`TaskQueue STARTS_WITH "${stack.taskQueue}" AND WorkflowType = "erpRequestWorkflow"`);
  let workflows = await countWorkflows();
  for (let i = 0; i < 60 && workflows.count !== sent; i++) {
    await new Promise((r) => setTimeout(r, 500));
    workflows = await countWorkflows();
  }
  const times = [...result.times].sort((a, b) => a - b);
  return {
    scenario: 'intake',
    deliveries: {
      measured: opts.ratePerSecond * opts.seconds,
      warmup: WARMUP,
      answered: result.statuses,
      wallSeconds: +(result.wallMs / 1000).toFixed(1),
    },
    answerMs: {
      p50: +percentile(times, 50).toFixed(1),
      p95: +percentile(times, 95).toFixed(1),
      p99: +percentile(times, 99).toFixed(1),
      max: +times[times.length - 1].toFixed(1),
    },
    /** p99 of the deliveries sent in each second of the burst: a cold start shows in the first, a stall where it is. */
    p99BySecond: p99BySecond(result.times, result.sentAt),
    /** The ten slowest answers and when in the burst they were sent (ms). */
    slowest: result.times
      .map((ms, i) => ({ sentAtMs: Math.round(result.sentAt[i]), ms: Math.round(ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10),
    sustainedPerSecond: +((opts.ratePerSecond * opts.seconds) / (result.wallMs / 1000)).toFixed(0),
    allWorkflowsStartedAfterSeconds: +(allStartedMs / 1000).toFixed(1),
    inboxRows: rows[0].deliveries,
    distinctWorkflowIds: rows[0].workflow_ids,
    workflowsInTemporal: workflows.count,
    exactlyOneWorkflowPerDelivery:
      rows[0].deliveries === sent && workflows.count === sent && rows[0].workflow_ids === sent,
  };
}
