/**
 * Procore project cost codes by code, read once per import run (procore_project_cost_codes, migration 005). The
 * direct cost import prefetches the projects its queued costs go to while its writes wait for other imports (as
 * background calls: they use the rate limit those imports leave) and looks them up when it writes; a code missing
 * from the copy is read afresh before a line is refused, so a cost code added meanwhile is not missed.
 */
import type { ImportContext } from './types';

/** Projects read at once when prefetching: the Procore client paces them. */
const READS_AT_ONCE = 4;

type Codes = Map<string, string>;

async function readFromProcore(ctx: ImportContext, projectId: string, background: boolean): Promise<Codes> {
  const codes: Codes = new Map();
  for (const c of await ctx.procore.listProjectCostCodes(ctx.companyId, projectId, { background })) {
    for (const code of [c.full_code, c.code]) if (code) codes.set(code.toUpperCase(), String(c.id));
  }
  await ctx.db.query(
    `INSERT INTO procore_project_cost_codes (procore_company_id, procore_project_id, import_run_id, codes)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (procore_company_id, procore_project_id) DO UPDATE SET import_run_id = EXCLUDED.import_run_id,
       codes = EXCLUDED.codes, read_at = now()`,
    [ctx.companyId, projectId, ctx.importRunId, JSON.stringify(Object.fromEntries(codes))],
  );
  return codes;
}

async function cached(ctx: ImportContext, projectIds: string[]): Promise<Map<string, Codes>> {
  const { rows } = await ctx.db.query(
    `SELECT procore_project_id, codes FROM procore_project_cost_codes
     WHERE procore_company_id = $1 AND procore_project_id = ANY($2) AND import_run_id = $3`,
    [ctx.companyId, projectIds, ctx.importRunId],
  );
  return new Map(rows.map((r) => [r.procore_project_id as string, new Map(Object.entries(r.codes as object))]));
}

/** Reads the cost codes of up to `limit` projects this run has not read yet; returns how many are left. */
export async function prefetchProjectCostCodes(
  ctx: ImportContext,
  projectIds: string[],
  limit: number,
): Promise<{ remaining: number }> {
  const have = await cached(ctx, projectIds);
  const missing = [...new Set(projectIds)].filter((p) => !have.has(p));
  const now = missing.slice(0, limit);
  await Promise.all(
    Array.from({ length: Math.min(READS_AT_ONCE, now.length) }, async () => {
      for (let p = now.shift(); p !== undefined; p = now.shift()) await readFromProcore(ctx, p, true);
    }),
  );
  return { remaining: Math.max(0, missing.length - limit) };
}

/** A project's cost codes: this run's copy, or read now. `fresh` skips the copy. */
export async function projectCostCodes(ctx: ImportContext, projectId: string, fresh = false): Promise<Codes> {
  if (!fresh) {
    const copy = (await cached(ctx, [projectId])).get(projectId);
    if (copy) return copy;
  }
  return readFromProcore(ctx, projectId, false);
}
