/**
 * Benchmark "onboard" (issue #15): onboarding of the `inflight` company (30 projects in flight, 120 commitments,
 * 20 commitment change orders, 12 subcontractor invoices, 15 direct costs, 11 prime contracts, 8 PCCOs, 6 budget
 * changes and 20 budget lines keyed in both systems) under both systems' rate limits: the dry run,
 * then the run that writes. Reports per run the API calls against the floor the data and the APIs allow, the wall
 * time against the floor the rate limits impose, and requests refused (must be 0).
 *
 * The floor counts what any onboarding must read with these APIs: Procore has no company-wide list of
 * commitments, change orders, invoices or direct costs, so one list per project and kind, and one read of the line
 * items per document; Acumatica lists each
 * entity once (pages of 1,000: the whole seed fits in one page each). Writes: one marker PUT per adopted record
 * whose reference was empty, one Procore sync call per project and item type with origin_ids to write.
 */
import { AcumaticaClient } from '../clients/acumatica/client';
import { onboard } from '../adoption/onboard';
import { INFLIGHT_PROJECTS } from 'simulator-common';
import { DEMO_COMPANY } from 'simulator-common';
import type { ConnectorStack } from '../testing/connector-stack';
import { ACUMATICA_LIMITS, PROCORE_LIMITS, timeFloorSeconds } from './nightly-import';

type Counts = Record<string, number>;

async function requestCounts(url: string): Promise<Counts> {
  return (await (await fetch(`${url}/__admin/requests`)).json()) as Counts;
}
async function resetCounts(stack: ConnectorStack): Promise<void> {
  await fetch(`${stack.procoreUrl}/__admin/requests`, { method: 'DELETE' });
  await fetch(`${stack.acumaticaUrl}/__admin/requests`, { method: 'DELETE' });
}
const total = (o: Counts) => Object.values(o).reduce((n, c) => n + c, 0);
/** Calls that change something (sign-ins are counted with the reads). */
const writes = (o: Counts) =>
  Object.entries(o).reduce((n, [route, c]) => n + (/^(GET|HEAD)\b|oauth\/token|auth\/login/.test(route) ? 0 : c), 0);

/** The reads any onboarding of these projects needs (see the header), from the Procore simulator's data. */
function readFloor(stack: ConnectorStack) {
  const state = stack.procoreSim.store.state;
  const numbers = new Set(INFLIGHT_PROJECTS.map((p) => p.projectNumber));
  const projects = state.projects.filter(
    (p) => p.company_id === stack.companyId && numbers.has(p.project_number ?? ''),
  );
  const ids = new Set(projects.map((p) => p.id));
  const commitments = [...state.workOrderContracts, ...state.purchaseOrderContracts].filter((c) =>
    ids.has(c.project_id),
  ).length;
  const changeOrders = state.changeOrders.filter((c) => ids.has(c.project_id) && c.kind === 'commitment').length;
  const directCosts = state.directCosts.filter((d) => ids.has(d.project_id) && !d.origin_id).length;
  const invoices = state.requisitions.filter((r) => ids.has(r.project_id)).length;
  const primeContracts = state.primeContracts.filter((c) => ids.has(c.project_id)).length;
  const primeChangeOrders = state.changeOrders.filter((c) => ids.has(c.project_id) && c.kind === 'prime').length;
  const budgetChanges = state.budgetChanges.filter((c) => ids.has(c.project_id) && c.status === 'approved').length;
  return {
    // The token, projects, vendors and cost types lists, then per project: two commitment lists, change orders,
    // invoices, direct costs, prime contracts, prime change orders, budget changes, the budget view and its rows;
    // per document its line items (a direct cost's lines decide lines_differ; a budget change's come with it).
    procore:
      4 +
      projects.length * 10 +
      commitments +
      changeOrders +
      invoices +
      directCosts +
      primeContracts +
      primeChangeOrders +
      budgetChanges,
    // GET /entity and the sign-in; Project, Vendor, Subcontract, PurchaseOrder, ChangeOrder, Bill,
    // ProjectTransaction, ProjectBudget.
    acumatica: 2 + 8,
  };
}

async function run(stack: ConnectorStack, acumatica: AcumaticaClient, dryRun: boolean) {
  await resetCounts(stack);
  const rejectedBefore = stack.procoreSim.rateLimiter.rejected;
  const started = Date.now();
  const result = await onboard(
    { db: stack.db, procore: stack.procore, acumatica, companyId: stack.companyId },
    { projects: INFLIGHT_PROJECTS.map((p) => p.projectNumber), dryRun },
  );
  const seconds = (Date.now() - started) / 1000;
  const procore = await requestCounts(stack.procoreUrl);
  const acu = await requestCounts(stack.acumaticaUrl);
  const state = (await (await fetch(`${stack.acumaticaUrl}/__admin/state`)).json()) as {
    limits: { declined: number };
  };
  const floor = readFloor(stack);
  // Writes are counted as made: each is one a decision needs (a marker PUT per adopted record whose reference was
  // empty, origin_ids batched per project and item type); a dry run must make none.
  const floorCalls = floor.procore + floor.acumatica + writes(procore) + writes(acu);
  const floorSeconds = timeFloorSeconds(floor.procore + writes(procore), floor.acumatica + writes(acu));
  return {
    label: dryRun ? 'dry run' : 'onboard (writes)',
    seconds: Number(seconds.toFixed(1)),
    counts: result.report.counts,
    calls: {
      procore: total(procore),
      acumatica: total(acu),
      procoreWrites: writes(procore),
      acumaticaWrites: writes(acu),
    },
    callsByRoute: { procore, acumatica: acu },
    floorCalls,
    callsOverFloor: Number(((total(procore) + total(acu)) / floorCalls).toFixed(3)),
    floorSeconds: Number(floorSeconds.toFixed(1)),
    timeOverFloor: floorSeconds > 0 ? Number((seconds / floorSeconds).toFixed(2)) : null,
    refused: { procore429: stack.procoreSim.rateLimiter.rejected - rejectedBefore, acumatica: state.limits.declined },
  };
}

export async function benchmarkOnboard(stack: ConnectorStack) {
  // Paced to the license as a worker is (the stack's own client is unpaced: tests read with it freely).
  const acumatica = new AcumaticaClient({
    baseUrl: stack.acumaticaUrl,
    tenant: DEMO_COMPANY.acumaticaTenant,
    username: DEMO_COMPANY.acumaticaLogin.name,
    password: DEMO_COMPANY.acumaticaLogin.password,
    maxConcurrent: ACUMATICA_LIMITS.maxConcurrent,
    maxPerMinute: ACUMATICA_LIMITS.maxPerMinute,
  });
  try {
    const dry = await run(stack, acumatica, true);
    const real = await run(stack, acumatica, false);
    return { scenario: 'onboard', limits: { procore: PROCORE_LIMITS, acumatica: ACUMATICA_LIMITS }, dry, real };
  } finally {
    await acumatica.close();
  }
}
