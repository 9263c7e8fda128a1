/**
 * Imports from Acumatica into Procore.
 *
 * importWorkflow: one run over several entities for a company, one child per entity and branch, all reading their
 * pages side by side. A child whose writes resolve records another entity of the run links (IMPORT_KINDS
 * writesAfter: direct costs name vendors, cost types and projects), or the second branch of an entity, queues
 * what it read and is signalled to write once those have finished. Started by the nightly Temporal Schedule
 * (temporal/schedules.ts; ID a2p-<company>-nightly-<time>), by POST /imports (ID a2p-<company>-import-<scope>,
 * joined while running) and by Procore's sync_* ERP requests.
 *
 * importEntityWorkflow: one entity for one branch, page by page (one activity per page, the cursor in workflow
 * state), then the queued writes (activities/import.ts). Delta runs read what changed since the watermark minus
 * an overlap margin (clock skew, records committed late); full runs read everything and then retire what
 * Acumatica deleted. Continues as new before its history grows long, carrying the cursor.
 */
import {
  condition,
  continueAsNew,
  defineSignal,
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ImportPageResult } from '../activities/import';
import { importScopeWorkflowId } from '../lib/ids';
import { IMPORT_OVERLAP_MS, IMPORT_PAGE_SIZES, type ImportKind } from '../lib/import-kinds';
import { priorityFor, type PriorityLevel } from '../lib/priorities';
import { database, upstreamCall } from './activity-options';
import { planImportScopes, scopeLabel, type ImportScope } from './import-plan';
import { addTotals, emptyTotals, importProgressQuery, type ImportProgress, type ImportTotals } from './import-messages';

/** Calls to Procore and Acumatica, in the company's lane (lib/lanes.ts). */
const upstream = proxyActivities<Activities>(upstreamCall);
const store = proxyActivities<Activities>(database);

/** Re-read this far behind the watermark: LastModifiedDateTime is the writer's clock, commits land late. */
/** Continue as new well before Temporal's 10,240-event warning; each page adds about 6 events. */
const MAX_HISTORY_EVENTS = 3000;

export type ImportMode = 'delta' | 'full';

/** The parent tells an entity that the entities its writes depend on have finished. */
export const dependenciesDoneSignal = defineSignal('dependenciesDone');

export interface ImportInput {
  companyId: string;
  entities: string[];
  /** Only this branch (branch-scoped entities); all connected branches when omitted. */
  branch?: string | null;
  mode?: ImportMode;
  /** Priority of its scopes and their activities (lib/priorities.ts); on demand unless a schedule says so. */
  priority?: PriorityLevel;
}

export interface ImportEntityInput {
  kind: string;
  companyId: string;
  branch: string | null;
  mode: ImportMode;
  /** The parent import run (its workflow ID): the match index is built once per run. */
  importRunId: string;
  /** Write only after dependenciesDoneSignal (entities this one's writes resolve run in the same import). */
  waitForDependencies?: boolean;
  cursor?: { since: string | null; skip: number; maxModified: string | null; totals: ImportTotals; started: boolean };
}

export async function importWorkflow(input: ImportInput): Promise<ImportProgress> {
  const mode = input.mode ?? 'delta';
  const progress: ImportProgress = { ...emptyTotals(), scopes: {} };
  setHandler(importProgressQuery, () => progress);

  const branches = input.branch
    ? [input.branch]
    : await store.loadCompanyBranchesActivity({ companyId: input.companyId });
  const scopes = planImportScopes(input.entities, branches);
  for (const s of scopes) progress.scopes[s.label] = 'pending';
  setCurrentDetails(`Importing ${input.entities.join(', ')} (${mode})`);

  const importRunId = workflowInfo().workflowId;
  const done = new Set<string>(); // scope labels, and kinds whose scopes are all done
  const runScope = async (scope: ImportScope) => {
    const { kind, branch, label, waitFor } = scope;
    const siblings = scopes.filter((s) => s.kind === kind);
    progress.scopes[label] = 'running';
    try {
      const child = await startChild(importEntityWorkflow, {
        workflowId: importScopeWorkflowId(importRunId, kind, branch),
        args: [
          { kind, companyId: input.companyId, branch, mode, importRunId, waitForDependencies: waitFor.length > 0 },
        ],
        typedSearchAttributes: workflowInfo().typedSearchAttributes,
        priority: priorityFor(input.priority ?? 'onDemand', input.companyId),
      });
      if (waitFor.length > 0) {
        await condition(() => waitFor.every((d) => done.has(d)));
        // By ID, not run: the child may have continued as new meanwhile.
        await getExternalWorkflowHandle(child.workflowId).signal(dependenciesDoneSignal);
      }
      Object.assign(progress, addTotals(progress, await child.result()));
      progress.scopes[label] = 'done';
    } catch (err) {
      progress.scopes[label] = 'failed';
      throw err;
    }
    done.add(label);
    if (siblings.every((s) => done.has(s.label))) done.add(kind);
  };
  await Promise.all(scopes.map(runScope));
  setCurrentDetails(
    `Done: ${progress.written} written, ${progress.unchanged} unchanged, ${progress.exceptions} exceptions`,
  );
  return progress;
}

export async function importEntityWorkflow(input: ImportEntityInput): Promise<ImportTotals> {
  const { kind, companyId, branch, mode } = input;
  const workflowId = workflowInfo().workflowId;
  let cursor = input.cursor;
  if (!cursor) {
    const watermark = mode === 'delta' ? await store.getImportWatermarkActivity({ companyId, branch, kind }) : null;
    const since = watermark ? new Date(new Date(watermark).getTime() - IMPORT_OVERLAP_MS).toISOString() : null;
    cursor = { since, skip: 0, maxModified: null, totals: emptyTotals(), started: true };
  }
  let totals = cursor.totals;
  let dependenciesDone = !input.waitForDependencies;
  setHandler(dependenciesDoneSignal, () => void (dependenciesDone = true));
  setHandler(importProgressQuery, () => ({ ...totals, scopes: { [scopeLabel(kind, branch)]: 'running' } }));

  // While the writes wait for other entities, read what they will need (a project's cost codes) beside the page
  // reads, a chunk at a time. Once those entities are in, preparing stops: the writes go out at once and read
  // the rest themselves, which costs Procore the same calls.
  let queuedPages = input.cursor ? 1 : 0; // a continued run: what earlier runs queued may still need reading
  let preparedPages = 0;
  let stopPreparing = false;
  const prepareLoop = async () => {
    for (;;) {
      await condition(() => dependenciesDone || stopPreparing || preparedPages < queuedPages);
      if (dependenciesDone || stopPreparing) return;
      const upTo = queuedPages;
      const { more } = await upstream.prepareQueuedWritesActivity({
        kind,
        companyId,
        workflowId,
        importRunId: input.importRunId,
      });
      if (!more) preparedPages = upTo;
    }
  };
  const preparing = input.waitForDependencies ? prepareLoop() : Promise.resolve();
  preparing.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  for (;;) {
    const page: ImportPageResult = await upstream.importPageActivity({
      kind,
      companyId,
      branch,
      workflowId,
      importRunId: input.importRunId,
      since: cursor.since,
      skip: cursor.skip,
      top: IMPORT_PAGE_SIZES[kind as ImportKind],
      trackSeen: mode === 'full',
      writeFullBatches: dependenciesDone,
    });
    totals = addTotals(totals, { ...page, pages: 1 });
    const maxModified: string | null =
      page.maxModified && (!cursor.maxModified || page.maxModified > cursor.maxModified)
        ? page.maxModified
        : cursor.maxModified;
    cursor = { ...cursor, skip: cursor.skip + page.read, maxModified, totals };
    if (page.prepare) queuedPages++;
    setCurrentDetails(`${kind}@${branch ?? 'company'}: ${totals.read} read, ${totals.pages} pages`);
    if (!page.hasMore) break;
    if (workflowInfo().historyLength > MAX_HISTORY_EVENTS || workflowInfo().continueAsNewSuggested) {
      stopPreparing = true;
      await preparing;
      await continueAsNew<typeof importEntityWorkflow>({
        ...input,
        cursor,
        waitForDependencies: !dependenciesDone,
      });
    }
  }

  if (!dependenciesDone) {
    setCurrentDetails(`${kind}@${branch ?? 'company'}: pages read; writing once the entities it refers to are in`);
  }
  await condition(() => dependenciesDone);
  await preparing;
  const flushed = await upstream.flushImportWritesActivity({
    kind,
    companyId,
    branch,
    workflowId,
    importRunId: input.importRunId,
  });
  totals = addTotals(totals, flushed);
  if (mode === 'full') {
    const retired = await store.reconcileDeletionsActivity({
      kind,
      companyId,
      branch,
      workflowId,
      importRunId: input.importRunId,
    });
    totals = addTotals(totals, { retired });
  }
  if (cursor.maxModified) {
    await store.advanceImportWatermarkActivity({ companyId, branch, kind, to: cursor.maxModified });
  }
  return totals;
}
