/**
 * Benchmark "month-end" (#16): three connected companies share one deployment (one API, one task queue, three
 * worker processes, one Temporal server, one Procore app).
 *  - Company A accepts 1,000 commitments in 2 minutes; its Acumatica tenant allows 100 requests a minute, 3 at once.
 *  - Company B accepts 20 commitments spread over the same window; its tenant allows 300 a minute (6 at once).
 *  - Company C runs its nightly import of the large seeds at the same time; its tenant allows 300 a minute (6).
 * B's 20 are first exported on a quiet system, for the baseline its burst-time latency is compared with; then
 * C's twin (a fourth company with C's seeds and a tenant of its own) runs the same import alone, C's baseline.
 *
 * Each tenant is an Acumatica simulator of its own with those license limits; the connections carry the same
 * limits, which every worker honours together (store/tenant-limiter.ts). Procore is one simulator holding the
 * three companies (ProcoreStore.addCompany) with its per-app limit raised out of the way: at 3,600 an hour A's
 * 5,000 Procore calls alone would take 83 minutes, and the scenario measures the tenants' limits. Every Acumatica
 * data call of A and B takes 150 ms, as in the commitments benchmark (none is added to C's). The tier numbers
 * (6 concurrent for a 300-a-minute license) are UNVERIFIED third-party claims (acumatica-api.md §4).
 *
 * Reports, per company: approval-to-success p50/p95/max; A's throughput against the floor its tenant allows (3
 * Acumatica calls per export, paced as the license paces them); C's import time against the floor its limits
 * impose (bench/nightly-import.ts's call floor at C's limits) and against its twin's time alone; requests refused
 * (429) and logins refused; duplicates (documents per commitment in Acumatica); each worker process's peak RSS
 * and CPU seconds; and where the time of B's slowest export went (queue waits and runs, from its history).
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { val } from '../clients/acumatica/client';
import { DEFAULT_PER_PAGE } from '../clients/procore/http';
import { IMPORT_PAGE_SIZES } from '../lib/import-kinds';
import { freePort } from '../testing/free-port';
import type { ConnectorStack, StackOptions } from '../testing/connector-stack';
import { stepsOf } from './history-steps';
import { seedCommitments } from './export-commitments';
import { callFloor, linkExportedProjects, timeFloorSeconds, triggerNightly } from './nightly-import';

export const TENANTS = {
  A: { maxConcurrent: 3, maxPerMinute: 100 },
  B: { maxConcurrent: 6, maxPerMinute: 300 },
  C: { maxConcurrent: 6, maxPerMinute: 300 },
};
/** Procore's per-app limit, out of the way (see above). */
const PROCORE_LIMITS = { limitPerHour: 1_000_000, spikeLimit: 100_000, spikeWindowSeconds: 10 };
const ACUMATICA_MS = 150;
/** Acumatica calls one commitment export needs at least: cost-code check, marker lookup, PUT. */
const ACUMATICA_CALLS_PER_EXPORT = 3;
/** Companies B and C: the demo company seeded again at these id bases (ProcoreStore.addCompany). */
const ID_BASE = { B: 100_000_000_000n, C: 200_000_000_000n, C2: 300_000_000_000n };
const WORKERS = 3;

export const MONTH_END_STACK: StackOptions = {
  worker: 'none',
  acumaticaSimulator: { limits: TENANTS.A, maxApiUsers: 5 },
  procoreSimulator: { rateLimit: PROCORE_LIMITS },
};

export interface MonthEndOptions {
  /** Company A's commitments and the window they are accepted in (default 1,000 in 120 s). */
  commitments: number;
  windowSeconds: number;
  /** C's nightly import during the burst (default); without it, B's latency shows A's burst alone. */
  withImport: boolean;
}

type Tenant = { companyId: string; acumaticaUrl: string; acumaticaSim: ConnectorStack['acumaticaSim'] };

async function acumaticaState(url: string) {
  return (await (await fetch(`${url}/__admin/state`)).json()) as {
    sessions: { refusedLogins: number; logins: number };
    limits: { declined: number; peakActive: number };
  };
}

function percentiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return { p50: at(50), p95: at(95), max: sorted.at(-1) ?? 0 };
}

/** Resident set and CPU seconds (user + system) of a process, from /proc. */
function processStats(pid: number): { rssMb: number; cpuSeconds: number } {
  try {
    const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat (12 and 13 after the command), in clock ticks (100 a second).
    return { rssMb: rss, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
  } catch {
    return { rssMb: 0, cpuSeconds: 0 };
  }
}

/** Requests a simulator answered since its count was reset. */
async function requestCount(url: string): Promise<number> {
  const byRoute = (await (await fetch(`${url}/__admin/requests`)).json()) as Record<string, number>;
  return Object.values(byRoute).reduce((x, y) => x + y, 0);
}

/** The machine's busy and total CPU time so far (jiffies, from /proc/stat). */
function machineCpu(): { busy: number; total: number } {
  const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = fields.map(Number);
  const idle = n[3] + n[4]; // idle + iowait
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** A worker's event-loop lag since it started (prom-client's default metrics on WORKER_METRICS_PORT). */
async function eventLoopLag(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} ([0-9.e-]+)`, 'm').exec(text)?.[1] ?? NaN) * 1000;
  return {
    p50: Math.round(metric('nodejs_eventloop_lag_p50_seconds')),
    p99: Math.round(metric('nodejs_eventloop_lag_p99_seconds')),
    max: Math.round(metric('nodejs_eventloop_lag_max_seconds')),
  };
}

/** Accepts each commitment at its time; resolves with each export's approval-to-success time. */
async function exportOnSchedule(
  stack: ConnectorStack,
  companyId: string,
  commitments: Array<{ id: string; type: string }>,
  windowSeconds: number,
) {
  const started = Date.now();
  const runs: Array<
    Promise<{ ms: number; ok: boolean; closedAt: number; message?: string; workflowId: string; t0: number }>
  > = [];
  for (const [i, c] of commitments.entries()) {
    const due = started + (i * windowSeconds * 1000) / commitments.length;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    const t0 = Date.now();
    const { workflowId } = await stack.accept(c.id, { item_type: c.type, company_id: companyId });
    runs.push(
      stack.waitForWorkflow<{ status: string; messages: string[] }>(workflowId, 3_600_000).then(async (r) => {
        const closed = (await stack.client.workflow.getHandle(workflowId).describe()).closeTime!.getTime();
        const message = r.messages.join(' ');
        return { ms: closed - t0, ok: r.status === 'success', closedAt: closed, message, workflowId, t0 };
      }),
    );
  }
  const results = await Promise.all(runs);
  const failures = [...new Set(results.filter((r) => !r.ok).map((r) => r.message))].slice(0, 5);
  const slowest = results.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    slowest: await stepsOf(stack, slowest.workflowId, slowest.t0),
    exports: results.length,
    succeeded: results.filter((r) => r.ok).length,
    latencyMs: percentiles(results.map((r) => r.ms)),
    seconds: (Math.max(...results.map((r) => r.closedAt)) - started) / 1000,
    failures,
  };
}

/** Documents in Acumatica per commitment marker: more than one would be a duplicate. */
function duplicates(sim: ConnectorStack['acumaticaSim']): number {
  const perMarker = new Map<string, number>();
  for (const entity of ['Subcontract', 'PurchaseOrder']) {
    for (const r of sim.store.all(entity)) {
      const marker = String(val(r.values.VendorRef) ?? '');
      if (marker.startsWith('PROCORE-')) perMarker.set(marker, (perMarker.get(marker) ?? 0) + 1);
    }
  }
  return [...perMarker.values()].filter((n) => n > 1).length;
}

async function runNightly(stack: ConnectorStack, companyId: string) {
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  const workflowId = await triggerNightly(stack, companyId);
  const totals = (await stack.client.workflow.getHandle(workflowId).result()) as Record<string, unknown>;
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    workflowId,
    seconds,
    totals: { ...totals, scopes: undefined },
    // This process's CPU over wall time while the import ran (1 = one core busy all along): it runs the
    // simulators and the API, which then answer every company late, whatever the connector does.
    simulatorsProcessCpu: Number(((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)),
  };
}

export async function benchmarkMonthEnd(stack: ConnectorStack, opts: MonthEndOptions) {
  await stack.setTenantLimits(stack.companyId, TENANTS.A);
  const a: Tenant = {
    companyId: stack.companyId,
    acumaticaUrl: stack.acumaticaUrl,
    acumaticaSim: stack.acumaticaSim,
  };
  const b = await stack.addCompany({ name: 'Company B', idBase: ID_BASE.B, limits: TENANTS.B });
  const c = await stack.addCompany({ name: 'Company C', idBase: ID_BASE.C, size: 'large', limits: TENANTS.C });
  await linkExportedProjects({ ...c, db: stack.db, procoreSim: stack.procoreSim });
  // C's twin (the same seeds, its own tenant): its import alone on the quiet system is C's baseline.
  const twin = opts.withImport
    ? await stack.addCompany({ name: 'Company C (alone)', idBase: ID_BASE.C2, size: 'large', limits: TENANTS.C })
    : undefined;
  if (twin) await linkExportedProjects({ ...twin, db: stack.db, procoreSim: stack.procoreSim });
  const floor = callFloor(
    { db: stack.db, companyId: c.companyId, procoreSim: stack.procoreSim, acumaticaSim: c.acumaticaSim },
    { acumaticaPage: IMPORT_PAGE_SIZES, procorePerPage: DEFAULT_PER_PAGE },
  );
  const sum = (o: Record<string, number>) => Object.values(o).reduce((x, y) => x + y, 0);
  const importFloorSeconds = timeFloorSeconds(
    sum(floor.procoreReads) + sum(floor.procoreWrites),
    sum(floor.acumaticaReads),
    { procore: PROCORE_LIMITS, acumatica: TENANTS.C },
  );
  for (const t of [a, b])
    await fetch(`${t.acumaticaUrl}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/entity/*', kind: 'latency', latencyMs: ACUMATICA_MS, times: 0 }),
    });

  const commitmentsA = seedCommitments(stack, opts.commitments, 'a');
  const commitmentsB = seedCommitments(stack, 40, 'b', ID_BASE.B);
  const metricsPorts: number[] = [];
  for (let i = 0; i < WORKERS; i++) {
    metricsPorts.push(await freePort());
    await stack.startChildWorker({ WORKER_METRICS_PORT: String(metricsPorts[i]) });
  }
  const pids = stack.childWorkerPids();

  // B alone, on a quiet system: its baseline.
  const quietB = await exportOnSchedule(stack, b.companyId, commitmentsB.slice(0, 20), 30);
  // C's import alone (its twin's), on the quiet system.
  const aloneC = twin && (await runNightly(stack, twin.companyId));

  // The month end: A's burst, B's usual approvals and C's nightly import, all at once.
  const cpuBefore = pids.map((pid) => processStats(pid).cpuSeconds);
  const peakRss = pids.map(() => 0);
  const sampler = setInterval(
    () => pids.forEach((pid, i) => (peakRss[i] = Math.max(peakRss[i], processStats(pid).rssMb))),
    500,
  );
  // This process runs the simulators and the API: how late its event loop runs shows what of B's time is theirs.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuAtStart = machineCpu();
  await fetch(`${a.acumaticaUrl}/__admin/requests`, { method: 'DELETE' });
  const started = Date.now();
  const [burstA, busyB, importC] = await Promise.all([
    exportOnSchedule(stack, a.companyId, commitmentsA, opts.windowSeconds),
    exportOnSchedule(stack, b.companyId, commitmentsB.slice(20), opts.windowSeconds),
    opts.withImport ? runNightly(stack, c.companyId) : undefined,
  ]);
  const wallSeconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  loopDelay.disable();
  const cpuAtEnd = machineCpu();

  const floorA = Math.max(
    opts.windowSeconds,
    timeFloorSeconds(0, opts.commitments * ACUMATICA_CALLS_PER_EXPORT, {
      procore: PROCORE_LIMITS,
      acumatica: TENANTS.A,
    }),
  );
  const refused = async (t: Tenant) => {
    const s = await acumaticaState(t.acumaticaUrl);
    return { acumatica429: s.limits.declined, refusedLogins: s.sessions.refusedLogins, logins: s.sessions.logins };
  };
  const r2 = (n: number) => Number(n.toFixed(2));
  return {
    scenario: 'month-end',
    tenants: TENANTS,
    workers: WORKERS,
    procore429: stack.procoreSim.rateLimiter.rejected,
    A: {
      ...burstA,
      floorSeconds: r2(floorA),
      throughputPerMinute: r2((burstA.exports / burstA.seconds) * 60),
      floorPerMinute: r2((opts.commitments / floorA) * 60),
      throughputOverFloor: r2(floorA / burstA.seconds),
      acumaticaCallsPerExport: r2((await requestCount(a.acumaticaUrl)) / burstA.exports),
      ...(await refused(a)),
      duplicates: duplicates(a.acumaticaSim),
    },
    B: {
      quiet: quietB,
      duringBurst: busyB,
      p95OverQuiet: r2(busyB.latencyMs.p95 / quietB.latencyMs.p95),
      ...(await refused(b)),
      duplicates: duplicates(b.acumaticaSim),
    },
    C: importC && {
      ...importC,
      // Neither limit binds this import (Procore's is out of the way, its ~30 Acumatica pages fit in the first
      // half-minute of 300): the floor the limits impose is ~0 s, so the import is compared with itself alone.
      floorSeconds: r2(importFloorSeconds),
      aloneSeconds: aloneC && r2(aloneC.seconds),
      overAlone: aloneC && r2(importC.seconds / aloneC.seconds),
      ...(await refused(c)),
    },
    wallSeconds: r2(wallSeconds),
    machineCpuBusy: r2((cpuAtEnd.busy - cpuAtStart.busy) / (cpuAtEnd.total - cpuAtStart.total)),
    simulatorsEventLoopDelayMs: {
      p50: r2(loopDelay.percentile(50) / 1e6),
      p99: r2(loopDelay.percentile(99) / 1e6),
      max: r2(loopDelay.max / 1e6),
    },
    workerProcesses: await Promise.all(
      pids.map(async (pid, i) => ({
        pid,
        peakRssMb: Math.round(peakRss[i]),
        cpuSeconds: r2(processStats(pid).cpuSeconds - cpuBefore[i]),
        eventLoopLagMs: await eventLoopLag(metricsPorts[i]),
      })),
    ),
  };
}
