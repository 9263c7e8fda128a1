/** Preflight checks several exporters share. Messages are for the accounting approver: what is wrong, what to do. */
import { eq, or } from '../../clients/acumatica/odata';
import { val } from '../../clients/acumatica/client';
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

/** A project's branch rarely changes: read once per worker and project for this long. */
const BRANCH_TTL_MS = 5 * 60_000;
const projectBranches = new Map<string, { branch: string | null; at: number }>();

/**
 * The branch an Acumatica project belongs to (its billing settings: BillingAndAllocationSettings.Branch, the
 * contract's only project branch field; acumatica-api.md §5): documents of the project are posted to it, not to
 * the connection's login branch. Null when the project names none (Acumatica then uses the login branch).
 */
export async function projectBranch(ctx: ExportContext, projectKey: string): Promise<string | null> {
  const cacheKey = `${ctx.companyId}\n${projectKey}`;
  const cached = projectBranches.get(cacheKey);
  if (cached && Date.now() - cached.at < BRANCH_TTL_MS) return cached.branch;
  const project = await ctx.acumatica.get('Project', projectKey, { expand: ['BillingAndAllocationSettings'] });
  const settings = project.BillingAndAllocationSettings as Record<string, unknown> | null | undefined;
  const branch = (settings && (val(settings.Branch) as string | undefined)) || null;
  projectBranches.set(cacheKey, { branch, at: Date.now() });
  return branch;
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
