/**
 * Benchmark "nightly-import" (issue 6): the nightly import of a large company — Acumatica's large seed (10,000
 * vendors, 2,000 cost codes, 200 projects, 100,000 cost transaction lines in 5,000 released batches) into
 * Procore's large company — with both systems' rate limits on, then the same import again with nothing changed.
 *
 * The company has used the connector for a while: its 200 Procore projects were exported to Acumatica (linked,
 * origin_id set, ExternalRefNbr marker in Acumatica) and carry the cost codes their Acumatica budgets use, so the
 * 100,000 transaction lines can land as direct costs. Vendors, cost codes and cost types come in with this run.
 *
 * Reports, per run: API calls against the floor (pages the import must read at the connector's page sizes, plus
 * the writes the changed records need at Procore's 1,000-item sync batches), wall time against the floor the rate
 * limits impose, requests refused (429), the worker's peak RSS and the longest workflow history.
 */
import fs from 'node:fs';
import { val } from '../clients/acumatica/client';
import { nightlyScheduleId } from '../lib/ids';
import { upsertLinks, type Link } from '../store/links';
import { procoreMarker } from '../lib/ids';
import type { ConnectorStack } from '../testing/connector-stack';

/** Procore: the simulator's defaults (3,600 an hour, 100 per 10 s; procore-api.md §2). */
export const PROCORE_LIMITS = { limitPerHour: 3600, spikeLimit: 100, spikeWindowSeconds: 10 };
/** Acumatica: a standard license as third parties describe it (acumatica-api.md §4): 3 concurrent, 100 a minute. */
export const ACUMATICA_LIMITS = { maxConcurrent: 3, maxPerMinute: 100 };

const PROCORE_SYNC_BATCH = 1000;

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function requestCounts(url: string): Promise<Record<string, number>> {
  return (await (await fetch(`${url}/__admin/requests`)).json()) as Record<string, number>;
}

async function resetCounts(stack: ConnectorStack): Promise<void> {
  await fetch(`${stack.procoreUrl}/__admin/requests`, { method: 'DELETE' });
  await fetch(`${stack.acumaticaUrl}/__admin/requests`, { method: 'DELETE' });
}

const sum = (o: Record<string, number>, match: (route: string) => boolean = () => true) =>
  Object.entries(o).reduce((n, [route, c]) => n + (match(route) ? c : 0), 0);

/** One company's side of a stack: its id, the simulators holding its data, the connector's database. */
export type ImportCompany = Pick<ConnectorStack, 'db' | 'procoreSim' | 'acumaticaSim'> & { companyId: string };

/** Links the 200 generated projects of both seeds as if Procore had exported them, with their cost codes. */
export async function linkExportedProjects(stack: ImportCompany): Promise<number> {
  const acuProjects = stack.acumaticaSim.store
    .all('Project')
    .filter((r) => /^PRJ\d{5}$/.test(String(r.values.ProjectID)))
    .sort((a, b) => String(a.values.ProjectID).localeCompare(String(b.values.ProjectID)));
  const pcState = stack.procoreSim.store.state;
  const pcProjects = pcState.projects
    .filter((p) => p.company_id === stack.companyId && /^G-\d{4}$/.test(p.project_number ?? ''))
    .sort((a, b) => (a.project_number ?? '').localeCompare(b.project_number ?? ''));
  const codesOf = new Map<string, Set<string>>();
  for (const b of stack.acumaticaSim.store.all('ProjectBudget')) {
    const project = String(b.values.ProjectID);
    if (!codesOf.has(project)) codesOf.set(project, new Set());
    codesOf.get(project)!.add(String(b.values.CostCode));
  }
  const links: Link[] = [];
  acuProjects.forEach((acu, i) => {
    const pc = pcProjects[i];
    if (!pc) return;
    const projectId = String(acu.values.ProjectID);
    pc.origin_id = projectId;
    acu.values.ExternalRefNbr = procoreMarker(pc.id);
    links.push({
      procoreCompanyId: stack.companyId,
      procoreEntity: 'project',
      procoreId: pc.id,
      acumaticaEntity: 'Project',
      acumaticaKey: projectId,
    });
    let position = 100;
    for (const code of codesOf.get(projectId) ?? []) {
      pcState.costCodes.push({
        id: stack.procoreSim.store.newId(),
        project_id: pc.id,
        code,
        full_code: code,
        name: `Cost code ${code}`,
        position: position++,
        standard_cost_code_id: null,
        sub_job_id: null,
        line_item_type_ids: [],
        created_at: pc.created_at,
        updated_at: pc.updated_at,
        origin_id: null,
        origin_data: null,
        origin_code: null,
      } as (typeof pcState.costCodes)[number]);
    }
  });
  await upsertLinks(stack.db, links);
  return links.length;
}

/** What the import must read and write at least, from the two simulators' data. */
export function callFloor(
  stack: ImportCompany,
  opts: { acumaticaPage: Record<string, number>; procorePerPage: number },
) {
  const acu = stack.acumaticaSim.store;
  const pages = (n: number, size: number) => Math.floor(n / size) + 1; // the last page is short (or empty)
  const vendors = acu.all('Vendor');
  const visibleTo = (branch: string) =>
    vendors.filter((v) => {
      const only = (v.internal as { branches?: string[] }).branches;
      return !only || only.includes(branch);
    }).length;
  const onlyIn = (branch: string) =>
    vendors.filter((v) => (v.internal as { branches?: string[] }).branches?.includes(branch)).length;
  const expenseGroups = acu.all('AccountGroup').filter((g) => g.values.Expense === true && g.values.Active !== false);
  const released = acu.all('ProjectTransaction').filter((t) => t.values.Status === 'Released');
  const projectsWithCosts = new Set(
    released.flatMap((t) => ((t.values.Details as Array<Record<string, unknown>>) ?? []).map((l) => val(l.Project))),
  );
  const p = opts.acumaticaPage;
  const acumaticaReads = {
    cost_codes: pages(acu.all('CostCode').length, p.cost_codes),
    cost_types: pages(expenseGroups.length, p.cost_types),
    vendors: pages(visibleTo('HQ'), p.vendors) + pages(visibleTo('WEST'), p.vendors),
    projects: pages(acu.all('Project').length, p.projects) + pages(acu.all('ProjectTask').length, 1000),
    direct_costs: pages(released.length, p.direct_costs),
  };
  const state = stack.procoreSim.store.state;
  const pc = (n: number) => Math.max(1, Math.ceil(n / opts.procorePerPage));
  const mine = <T extends { company_id?: string }>(xs: T[]) => xs.filter((x) => x.company_id === stack.companyId);
  const lists = new Set(mine(state.standardCostCodeLists).map((l) => l.id));
  const standardCodes = state.standardCostCodes.filter((c) => lists.has(c.list_id)).length;
  // Match indexes (Procore records without a link) and the project cost codes each project's direct costs need.
  const procoreReads = {
    vendors: pc(mine(state.vendors).length),
    cost_codes: 1 + pc(standardCodes),
    cost_types: pc(mine(state.lineItemTypes).length),
    projects: pc(mine(state.projects).length),
    direct_costs: projectsWithCosts.size,
  };
  const writes = (n: number) => Math.ceil(n / PROCORE_SYNC_BATCH);
  const procoreWrites = {
    // Branches import one after the other: vendors both branches see are written by the first (HQ) only.
    vendors: writes(visibleTo('HQ')) + writes(onlyIn('WEST')),
    cost_codes: writes(acu.all('CostCode').length),
    cost_types: writes(expenseGroups.length),
    direct_costs: projectsWithCosts.size,
  };
  return { acumaticaReads, procoreReads, procoreWrites };
}

/**
 * Seconds the rate limits alone impose on the calls, each system's allowance used from the first instant:
 * Procore's first window is free, then a window per 100 calls; Acumatica's license answers the first half of a
 * minute's limit at once and delays each later request by (time left in the minute) / (requests left).
 */
export function timeFloorSeconds(
  procoreCalls: number,
  acumaticaCalls: number,
  limits: { procore: typeof PROCORE_LIMITS; acumatica: { maxPerMinute: number } } = {
    procore: PROCORE_LIMITS,
    acumatica: ACUMATICA_LIMITS,
  },
): number {
  const procore =
    Math.floor(Math.max(0, procoreCalls - 1) / limits.procore.spikeLimit) * limits.procore.spikeWindowSeconds;
  const perMinute = limits.acumatica.maxPerMinute;
  let t = 0;
  for (let n = 0, used = 0, minute = 0; n < acumaticaCalls; n++) {
    if (t >= minute + 60) [minute, used] = [Math.floor(t / 60) * 60, 0];
    if (used >= perMinute) [t, minute, used] = [minute + 60, minute + 60, 0];
    if (used >= perMinute / 2) t += (minute + 60 - t) / (perMinute - used);
    used++;
  }
  return Math.max(procore, t);
}

/** Triggers a company's nightly schedule now; resolves with the import workflow it started. */
export async function triggerNightly(stack: ConnectorStack, companyId: string): Promise<string> {
  const started = Date.now();
  await stack.client.schedule.getHandle(nightlyScheduleId(companyId)).trigger();
  for (;;) {
    for await (const w of stack.client.workflow.list({
      query: `WorkflowType = "importWorkflow" AND WorkflowId STARTS_WITH "a2p-${companyId}-nightly" AND StartTime > "${new Date(started - 1000).toISOString()}"`,
    }))
      return w.workflowId;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runNightly(stack: ConnectorStack, label: string) {
  await resetCounts(stack);
  const rejectedBefore = stack.procoreSim.rateLimiter.rejected;
  let peakRss = rssMb(stack.childWorkerPid());
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(stack.childWorkerPid()))), 250);
  const started = Date.now();
  const workflowId = await triggerNightly(stack, stack.companyId);
  const totals = (await stack.client.workflow.getHandle(workflowId).result()) as Record<string, unknown>;
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  // How long each entity (and branch) took: where the time of a run goes.
  const scopeSeconds: Record<string, number> = {};
  for await (const w of stack.client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}-"` })) {
    scopeSeconds[w.workflowId.slice(workflowId.length + 1)] = Number(
      (((w.closeTime?.getTime() ?? Date.now()) - w.startTime.getTime()) / 1000).toFixed(1),
    );
  }
  const procore = await requestCounts(stack.procoreUrl);
  const acumatica = await requestCounts(stack.acumaticaUrl);
  const acumaticaState = (await (await fetch(`${stack.acumaticaUrl}/__admin/state`)).json()) as {
    limits: { declined: number };
  };
  return {
    label,
    workflowId,
    seconds: Number(seconds.toFixed(1)),
    scopeSeconds,
    totals: { ...totals, scopes: undefined },
    calls: { procore: sum(procore), acumatica: sum(acumatica) },
    callsByRoute: { procore, acumatica },
    refused: {
      procore429: stack.procoreSim.rateLimiter.rejected - rejectedBefore,
      acumatica: acumaticaState.limits.declined,
    },
    workerPeakRssMb: Math.round(peakRss),
  };
}

async function longestHistory(stack: ConnectorStack): Promise<{ workflowId: string; events: number }> {
  let longest = { workflowId: '', events: 0 };
  for await (const w of stack.client.workflow.list({ query: `TaskQueue STARTS_WITH "${stack.taskQueue}"` })) {
    const events = Number(w.historyLength ?? 0);
    if (events > longest.events) longest = { workflowId: w.workflowId, events };
  }
  return longest;
}

export async function benchmarkNightlyImport(
  stack: ConnectorStack,
  opts: { acumaticaPage: Record<string, number>; procorePerPage: number },
) {
  const linkedProjects = await linkExportedProjects(stack);
  const floor = callFloor(stack, opts);
  const first = await runNightly(stack, 'first run (everything new)');
  const rerun = await runNightly(stack, 'rerun (nothing changed)');

  const floorCalls = sum(floor.acumaticaReads) + sum(floor.procoreReads) + sum(floor.procoreWrites);
  // The rerun reads each scope's one delta page (the overlap margin's few records), plus for projects the tasks
  // changed since the watermark and the tasks of the projects re-read; it needs no Procore call at all.
  const rerunFloor = { acumatica: Object.keys(floor.acumaticaReads).length + 1 + 2, procore: 0 };
  const firstFloorTime = timeFloorSeconds(
    sum(floor.procoreReads) + sum(floor.procoreWrites),
    sum(floor.acumaticaReads),
  );
  const report = (run: Awaited<ReturnType<typeof runNightly>>, calls: number, time: number) => ({
    ...run,
    floorCalls: calls,
    callsOverFloor: Number(((run.calls.procore + run.calls.acumatica) / calls).toFixed(3)),
    floorSeconds: Number(time.toFixed(1)),
    // Nothing to wait for (a rerun within the allowances): the time is reported, with no ratio.
    timeOverFloor: time > 0 ? Number((run.seconds / time).toFixed(2)) : null,
  });
  return {
    scenario: 'nightly-import',
    limits: { procore: PROCORE_LIMITS, acumatica: ACUMATICA_LIMITS },
    pageSizes: opts,
    linkedProjects,
    floor,
    first: report(first, floorCalls, firstFloorTime),
    rerun: report(
      rerun,
      rerunFloor.acumatica + rerunFloor.procore,
      timeFloorSeconds(rerunFloor.procore, rerunFloor.acumatica),
    ),
    longestHistory: await longestHistory(stack),
  };
}
