/**
 * Benchmark "commitments" (issue 5): 200 accepted commitments, subcontracts and purchase orders mixed, 5-50
 * lines each, with simulated API latencies of 80 ms (Procore) and 150 ms (Acumatica) on every call. Reports
 * approval-to-success latency (p50/p95) against the critical path of the flow's API calls, throughput, API calls
 * per export against the minimum the flow needs, and the worker's peak RSS.
 */
import fs from 'node:fs';
import { addDemoCommitment } from 'procore-simulator/src/testing';
import type { ConnectorStack } from '../testing/connector-stack';
import { medianSteps, stepsOf } from './history-steps';

const PROCORE_MS = 80;
const ACUMATICA_MS = 150;
/**
 * Sequential round trips on one export's path: Procore GET ERP request, GET contract || GET lines, PATCH External
 * Data, PATCH request detail (4); Acumatica cost-code check, marker lookup, PUT (3).
 */
const CRITICAL_PATH_MS = 4 * PROCORE_MS + 3 * ACUMATICA_MS;
/** Calls one export needs: Procore 5 (request, contract, lines, External Data, close), Acumatica 3. */
const MIN_CALLS = { procore: 5, acumatica: 3 };

interface Options {
  count: number;
  ratePerSecond: number;
}

/** `count` accepted commitments (a third of them POs) with 5..50 lines, spread evenly; `companyIdBase`: see addDemoCommitment. */
export function seedCommitments(
  stack: ConnectorStack,
  count: number,
  label = 'bench',
  companyIdBase?: bigint,
): Array<{ id: string; type: string }> {
  return Array.from({ length: count }, (_, i) => {
    const type = i % 3 === 2 ? 'purchase_order_contract' : 'work_order_contract';
    const { id } = addDemoCommitment(stack.procoreSim.store, {
      type,
      n: i + 1,
      lines: 5 + ((i * 17) % 46),
      label,
      companyIdBase,
    });
    return { id, type };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function counts(url: string): Promise<number> {
  const body = (await (await fetch(`${url}/__admin/requests`)).json()) as Record<string, number>;
  return Object.values(body).reduce((a, b) => a + b, 0);
}

export async function benchmarkCommitments(stack: ConnectorStack, opts: Options) {
  const commitments = seedCommitments(stack, opts.count);
  await stack.inject('procore', { method: '*', path: '/rest/*', kind: 'latency', latencyMs: PROCORE_MS, times: 0 });
  await stack.inject('acumatica', {
    method: '*',
    path: '/entity/*',
    kind: 'latency',
    latencyMs: ACUMATICA_MS,
    times: 0,
  });
  await fetch(`${stack.procoreUrl}/__admin/requests`, { method: 'DELETE' });
  await fetch(`${stack.acumaticaUrl}/__admin/requests`, { method: 'DELETE' });

  let peakRss = rssMb(stack.childWorkerPid());
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(stack.childWorkerPid()))), 250);
  const started = Date.now();
  const runs: Array<Promise<{ ms: number; ok: boolean }>> = [];
  const accepted: Array<{ workflowId: string; t0: number }> = [];
  const failures: string[] = [];
  for (const [i, c] of commitments.entries()) {
    const due = started + (i * 1000) / opts.ratePerSecond;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    const t0 = Date.now();
    const { workflowId } = await stack.accept(c.id, { item_type: c.type });
    accepted.push({ workflowId, t0 });
    runs.push(
      stack.waitForWorkflow<{ status: string; messages: string[] }>(workflowId, 600_000).then(async (r) => {
        if (r.status !== 'success') failures.push(r.messages.join(' '));
        // Approval (accept) to success (the ERP workflow's close, after the request detail was closed).
        const closed = (await stack.client.workflow.getHandle(workflowId).describe()).closeTime!;
        return { ms: closed.getTime() - t0, ok: r.status === 'success' };
      }),
    );
  }
  const results = await Promise.all(runs);
  const wall = (Date.now() - started) / 1000;
  clearInterval(sampler);

  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  const steps = await Promise.all(
    accepted.map(async (a) => ({ t0: a.t0, steps: (await stepsOf(stack, a.workflowId, a.t0)).steps })),
  );
  const slowest = [...steps]
    .sort((a, b) => b.steps.total - a.steps.total)
    .slice(0, Math.max(1, Math.ceil(steps.length / 20)));
  const procoreCalls = await counts(stack.procoreUrl);
  const acumaticaCalls = await counts(stack.acumaticaUrl);
  return {
    scenario: 'commitments',
    exports: results.length,
    succeeded: results.filter((r) => r.ok).length,
    acceptRatePerSecond: opts.ratePerSecond,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1) },
    criticalPathMs: CRITICAL_PATH_MS,
    p95OverCriticalPath: Number((percentile(latencies, 95) / CRITICAL_PATH_MS).toFixed(2)),
    throughputPerSecond: Number((results.length / wall).toFixed(2)),
    callsPerExport: {
      procore: Number((procoreCalls / results.length).toFixed(2)),
      acumatica: Number((acumaticaCalls / results.length).toFixed(2)),
      minimum: MIN_CALLS,
    },
    // Where an export's time goes (median of each step, from the histories): over all exports, and over the
    // slowest 5% (what the p95 is made of), with when those were accepted (seconds into the run).
    medianStepsMs: medianSteps(steps.map((s) => s.steps)),
    slowestFivePercent: {
      medianStepsMs: medianSteps(slowest.map((s) => s.steps)),
      acceptedAtSeconds: slowest.map((s) => Number(((s.t0 - started) / 1000).toFixed(1))),
    },
    // The first exports after the worker started (cold: sign-in, first lookups, connections, JIT), one by one.
    firstExportsMs: steps.slice(0, 5).map((s) => s.steps),
    workerPeakRssMb: Math.round(peakRss),
    failures: [...new Set(failures)].slice(0, 5),
  };
}
