/** Preflight checks several exporters share. Messages are for the accounting approver: what is wrong, what to do. */
import { eq, or } from '../../clients/acumatica/odata';
import { val } from '../../clients/acumatica/client';
import { PromiseCache } from '../../lib/promise-cache';
import { findLink, type ProcoreEntity } from '../../store/links';
import type { ExportContext, ExportRef } from './types';

/** A project document and its lines, read side by side (the `load` of every flow with lines). */
export async function readWithLines<D, L>(
  ref: ExportRef,
  read: (companyId: string, projectId: string, id: string) => [Promise<D>, Promise<L[]>],
): Promise<[projectId: string, doc: D, lines: L[]]> {
  const projectId = ref.projectId ?? '';
  const [doc, lines] = await Promise.all(read(ref.companyId, projectId, ref.procoreId));
  return [projectId, doc, lines];
}

/** The Acumatica key linked to a Procore record, or a problem message saying how to link it. */
export async function requireLink(
  ctx: ExportContext,
  entity: ProcoreEntity,
  procoreId: string,
  what: string,
  howToFix: string,
): Promise<{ key: string } | { problem: string }> {
  const link = procoreId ? await findLink(ctx.db, ctx.companyId, entity, procoreId) : undefined;
  if (link) return { key: link.acumaticaKey };
  return { problem: `${what} is not linked to an Acumatica ${entity.replace(/_/g, ' ')}. ${howToFix}` };
}

/**
 * A project's branch and default task rarely change: read once per worker and project for this long (and once
 * for all the exports of a project that ask at the same time). A month-end burst of one project's commitments
 * then costs Acumatica the three calls each export needs (cost codes, marker lookup, write), not five.
 */
const PROJECT_FACTS_TTL_MS = 5 * 60_000;

/**
 * A cache of one fact per project, kept per Acumatica client (one per connection and worker): a reconnected
 * company, or a test's new simulator, starts with none.
 */
export function projectFactCache(): (
  ctx: ExportContext,
  projectKey: string,
  read: () => Promise<string | null>,
) => Promise<string | null> {
  const caches = new WeakMap<object, PromiseCache<string | null>>();
  return (ctx, projectKey, read) => {
    let cache = caches.get(ctx.acumatica);
    if (!cache) caches.set(ctx.acumatica, (cache = new PromiseCache(PROJECT_FACTS_TTL_MS)));
    return cache.get(projectKey, read);
  };
}
const projectBranches = projectFactCache();

/**
 * The branch an Acumatica project belongs to (its billing settings: BillingAndAllocationSettings.Branch, the
 * contract's only project branch field; acumatica-api.md §5): documents of the project are posted to it, not to
 * the connection's login branch. Null when the project names none (Acumatica then uses the login branch).
 */
export function projectBranch(ctx: ExportContext, projectKey: string): Promise<string | null> {
  return projectBranches(ctx, projectKey, async () => {
    const project = await ctx.acumatica.get('Project', projectKey, { expand: ['BillingAndAllocationSettings'] });
    const settings = project.BillingAndAllocationSettings as Record<string, unknown> | null | undefined;
    return (settings && (val(settings.Branch) as string | undefined)) || null;
  });
}

/**
 * The links a vendor document needs: its vendor and its project (each a key, or a problem pushed onto
 * `problems` saying how to link it).
 */
export async function requireVendorAndProject(
  ctx: ExportContext,
  doc: { vendorId: string; vendorName: string; projectId: string; projectLabel: string; resend: string },
  problems: string[],
) {
  const vendor = await requireLink(
    ctx,
    'vendor',
    doc.vendorId,
    `Vendor "${doc.vendorName}"`,
    `Import or export the vendor first, then resend ${doc.resend}.`,
  );
  if ('problem' in vendor) problems.push(vendor.problem);
  const project = await requireLink(
    ctx,
    'project',
    doc.projectId,
    doc.projectLabel,
    `Export the project first, then resend ${doc.resend}.`,
  );
  if ('problem' in project) problems.push(project.problem);
  return { vendor, project };
}

/** Cost codes the lines use that Acumatica does not have. */
export async function missingCostCodes(ctx: ExportContext, codes: Array<string | null>): Promise<string[]> {
  const wanted = [...new Set(codes.filter((c): c is string => Boolean(c)))];
  if (wanted.length === 0) return [];
  const found = await ctx.acumatica.list('CostCode', {
    filter: or(...wanted.map((c) => eq('CostCodeID', c))),
    select: ['CostCodeID'],
  });
  const have = new Set(found.map((r) => String(val(r.CostCodeID)).toUpperCase()));
  return wanted.filter((c) => !have.has(c.toUpperCase()));
}

export function missingCostCodesProblem(missing: string[]): string | undefined {
  if (missing.length === 0) return undefined;
  return `Cost code${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in Acumatica's cost code list. Add ${missing.length > 1 ? 'them' : 'it'} in Acumatica (Cost Codes, PM209500) or correct the lines in Procore, then resend.`;
}

/**
 * The checks every project-level document shares: its project is linked, and Acumatica has its cost codes.
 * Returns the project's Acumatica key (when linked) and every problem found.
 */
export async function projectAndCostCodes(
  ctx: ExportContext,
  projectId: string,
  label: string,
  costCodes: Array<string | null>,
): Promise<{ projectKey?: string; problems: string[] }> {
  const problems: string[] = [];
  const project = await requireLink(
    ctx,
    'project',
    projectId,
    `The project of ${label}`,
    'Export the project first, then resend.',
  );
  if ('problem' in project) problems.push(project.problem);
  const missing = missingCostCodesProblem(await missingCostCodes(ctx, costCodes));
  if (missing) problems.push(missing);
  return { projectKey: 'key' in project ? project.key : undefined, problems };
}
