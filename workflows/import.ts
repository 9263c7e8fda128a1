/**
 * Imports from Acumatica into Procore.
 *
 * importWorkflow: one run over several entities for a company; branch-scoped entities (vendors) fan out to one
 * child per connected branch. Started by the nightly Temporal Schedule (temporal/schedules.ts; ID
 * a2p-<company>-nightly-<time>), by POST /imports (ID a2p-<company>-import-<scope>, joined while running) and by
 * Procore's sync_* ERP requests.
 *
 * importEntityWorkflow: one entity for one branch, page by page (one activity per page, the cursor in workflow
 * state). Delta runs read what changed since the watermark minus an overlap margin (clock skew, records
 * committed late); full runs read everything and then retire what Acumatica deleted. Continues as new before
 * its history grows long, carrying the cursor.
 */
import {
  continueAsNew,
  executeChild,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ImportPageResult } from '../activities/import';
import { IMPORT_KINDS, isImportKind } from '../lib/import-kinds';
import { database, upstreamCall } from './activity-options';
import { addTotals, emptyTotals, importProgressQuery, type ImportProgress, type ImportTotals } from './import-messages';

const upstream = proxyActivities<Activities>(upstreamCall);
const store = proxyActivities<Activities>(database);

/** Acumatica has no count and no $orderby: pages of 500 keep each request short (acumatica-api.md §3.2). */
const PAGE_SIZE = 500;
/** Re-read this far behind the watermark: LastModifiedDateTime is the writer's clock, commits land late. */
const OVERLAP_MS = 5 * 60_000;
/** Continue as new well before Temporal's 10,240-event warning; each page adds about 6 events. */
const MAX_HISTORY_EVENTS = 3000;

export type ImportMode = 'delta' | 'full';

export interface ImportInput {
  companyId: string;
  entities: string[];
  /** Only this branch (branch-scoped entities); all connected branches when omitted. */
  branch?: string | null;
  mode?: ImportMode;
}

export interface ImportEntityInput {
  kind: string;
  companyId: string;
  branch: string | null;
  mode: ImportMode;
  cursor?: { since: string | null; skip: number; maxModified: string | null; totals: ImportTotals; started: boolean };
}

export async function importWorkflow(input: ImportInput): Promise<ImportProgress> {
  const mode = input.mode ?? 'delta';
  const progress: ImportProgress = { ...emptyTotals(), scopes: {} };
  setHandler(importProgressQuery, () => progress);

  const branches = input.branch
    ? [input.branch]
    : await store.loadCompanyBranchesActivity({ companyId: input.companyId });
  type Scope = { kind: string; branch: string | null };
  const scopes = input.entities.flatMap((kind): Scope[] =>
    isImportKind(kind) && IMPORT_KINDS[kind].branchScoped
      ? branches.map((branch) => ({ kind, branch }))
      : [{ kind, branch: null }],
  );
  for (const s of scopes) progress.scopes[`${s.kind}@${s.branch ?? 'company'}`] = 'pending';
  setCurrentDetails(`Importing ${input.entities.join(', ')} (${mode})`);

  // Branches of one entity run side by side; entities one after the other (cost codes before budgets...).
  for (const kind of input.entities) {
    await Promise.all(
      scopes
        .filter((s) => s.kind === kind)
        .map(async ({ branch }) => {
          const label = `${kind}@${branch ?? 'company'}`;
          progress.scopes[label] = 'running';
          try {
            const totals = await executeChild(importEntityWorkflow, {
              workflowId: `${workflowInfo().workflowId}-${kind}-${branch ?? 'company'}`,
              args: [{ kind, companyId: input.companyId, branch, mode }],
              typedSearchAttributes: workflowInfo().typedSearchAttributes,
            });
            Object.assign(progress, addTotals(progress, totals));
            progress.scopes[label] = 'done';
          } catch (err) {
            progress.scopes[label] = 'failed';
            throw err;
          }
        }),
    );
  }
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
    const since = watermark ? new Date(new Date(watermark).getTime() - OVERLAP_MS).toISOString() : null;
    await upstream.buildMatchIndexActivity({ kind, companyId });
    cursor = { since, skip: 0, maxModified: null, totals: emptyTotals(), started: true };
  }
  let totals = cursor.totals;
  setHandler(importProgressQuery, () => ({ ...totals, scopes: { [`${kind}@${branch ?? 'company'}`]: 'running' } }));

  for (;;) {
    const page: ImportPageResult = await upstream.importPageActivity({
      kind,
      companyId,
      branch,
      workflowId,
      since: cursor.since,
      skip: cursor.skip,
      top: PAGE_SIZE,
      trackSeen: mode === 'full',
    });
    totals = addTotals(totals, { ...page, pages: 1 });
    const maxModified: string | null =
      page.maxModified && (!cursor.maxModified || page.maxModified > cursor.maxModified)
        ? page.maxModified
        : cursor.maxModified;
    cursor = { ...cursor, skip: cursor.skip + page.read, maxModified, totals };
    setCurrentDetails(`${kind}@${branch ?? 'company'}: ${totals.read} read, ${totals.written} written`);
    if (!page.hasMore) break;
    if (workflowInfo().historyLength > MAX_HISTORY_EVENTS || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof importEntityWorkflow>({ ...input, cursor });
    }
  }

  if (mode === 'full') {
    const retired = await store.reconcileDeletionsActivity({ kind, companyId, branch, workflowId });
    totals = addTotals(totals, { retired });
  }
  if (cursor.maxModified) {
    await store.advanceImportWatermarkActivity({ companyId, branch, kind, to: cursor.maxModified });
  }
  return totals;
}
