/**
 * Adoption run: for the projects in scope, links what already exists on both sides - projects, the vendors
 * their commitments use, the commitments and their lines, the commitments' change orders (change-orders.ts), the
 * subcontractor invoices (bills.ts), prime contracts and budget lines (budgets.ts), prime contract change orders
 * and budget changes (budget-change-orders.ts), then the projects' direct costs (direct-costs.ts) (rules:
 * mappings/adoption-match.ts). With
 * `dryRun: true` it reads both systems, decides and reports, and writes nothing anywhere (not even links).
 *
 * What an adoption writes (dryRun false), per adopted record:
 *  - the link (store/links.ts; line links "SC000001:2"), and an `adoptions` row with the rule and differences;
 *  - the Procore origin_id (External Data), header and matched lines;
 *  - for a commitment whose VendorRef is empty, the marker VendorRef = PROCORE-<id>, for a change order whose
 *    ExternalRefNbr is empty, ExternalRefNbr = PROCORE-<id> (nothing else is sent).
 * Records not decided go to the review list (adoption_reviews); a dismissed review stays dismissed.
 * Re-running is safe: linked records are reported `unchanged`.
 */
import { procoreMarker } from '../lib/ids';
import {
  decideCommitment,
  norm,
  resolveContested,
  type AcumaticaCommitmentFacts,
  type Decision,
  type Difference,
} from '../mappings/adoption-match';
import { upsertLinks, type Link, type ProcoreEntity } from '../store/links';
import { adoptBills } from './bills';
import { adoptBudgetChangeOrders } from './budget-change-orders';
import { adoptBudgetLines, adoptPrimeContracts } from './budgets';
import { adoptChangeOrders } from './change-orders';
import { adoptDirectCosts } from './direct-costs';
import {
  acumaticaCommitments,
  acumaticaKeyOf,
  acumaticaProjects,
  acumaticaVendors,
  COMMITMENT_ENTITIES,
  mapLimit,
  procoreCommitments,
  procoreKey,
  procoreProjects,
  procoreVendors,
  readLinks,
  type AdoptionContext,
  type ProcoreCommitment,
} from './read';

export type Outcome = 'adopted' | 'created' | 'unchanged' | 'review';
export type ReportEntity =
  | 'project'
  | 'vendor'
  | 'work_order_contract'
  | 'purchase_order_contract'
  | 'commitment_change_order'
  | 'requisition'
  | 'prime_contract'
  | 'prime_change_order'
  | 'budget_change'
  | 'budget_line_item'
  | 'direct_cost';

/** An adopted record, as the `adoptions` table keeps it. */
export interface Adopted {
  entity: string;
  id: string;
  acuEntity: string;
  key: string;
  rule: string;
  diffs: Difference[];
}

export interface RecordOutcome {
  entity: ReportEntity;
  procoreId: string;
  label: string;
  projectId?: string;
  /** adopted (or would adopt), created = nothing in Acumatica: the first export creates it, unchanged, review. */
  outcome: Outcome;
  rule?: string;
  acumaticaKey?: string;
  reason?: string;
  detail?: string;
  candidates?: string[];
  differences?: Difference[];
  unmatchedLines?: number;
}

export interface EntityCounts {
  adopted: number;
  created: number;
  unchanged: number;
  review: number;
  differing: number;
}

export interface AdoptionReport {
  companyId: string;
  dryRun: boolean;
  projects: string[];
  counts: Record<ReportEntity, EntityCounts>;
  /** Adopted records per entity and rule. */
  rules: Partial<Record<ReportEntity, Record<string, number>>>;
  records: RecordOutcome[];
}

export interface AdoptionOptions {
  /** Procore project ids or numbers; empty/undefined: every project. */
  projects?: string[];
  dryRun: boolean;
  onProgress?: (message: string) => void;
}

const emptyCounts = (): EntityCounts => ({ adopted: 0, created: 0, unchanged: 0, review: 0, differing: 0 });

/** Decides a project or vendor: existing link, else exactly one unlinked Acumatica record by the rule. */
function decideSimple(
  linkedKey: string | undefined,
  candidates: string[],
  rule: string,
): { outcome: Outcome; key?: string; rule?: string; reason?: string; detail?: string; candidates?: string[] } {
  if (linkedKey) return { outcome: 'unchanged', key: linkedKey, rule: 'linked' };
  const unique = [...new Set(candidates)];
  if (unique.length === 1) return { outcome: 'adopted', key: unique[0], rule };
  if (unique.length > 1)
    return {
      outcome: 'review',
      reason: 'ambiguous',
      detail: `${unique.length} Acumatica records match by ${rule}: ${unique.join(', ')}`,
      candidates: unique,
    };
  return { outcome: 'created' };
}

/** An Acumatica record two Procore records would adopt: both go to review (never guessed). */
function uncontested<T extends { d: ReturnType<typeof decideSimple> }>(items: T[]): T[] {
  const claims = new Map<string, number>();
  for (const i of items) if (i.d.outcome === 'adopted') claims.set(norm(i.d.key), (claims.get(norm(i.d.key)) ?? 0) + 1);
  return items.map((i) =>
    i.d.outcome === 'adopted' && (claims.get(norm(i.d.key)) ?? 0) > 1
      ? {
          ...i,
          d: {
            outcome: 'review' as const,
            reason: 'ambiguous',
            detail: `Acumatica ${i.d.key} would be adopted by more than one Procore record`,
            candidates: [i.d.key!],
          },
        }
      : i,
  );
}

function simpleOutcome(d: ReturnType<typeof decideSimple>) {
  const { key, ...rest } = d;
  return { ...rest, acumaticaKey: key };
}

export async function runAdoption(runCtx: AdoptionContext, opts: AdoptionOptions): Promise<AdoptionReport> {
  const ctx: AdoptionContext = { ...runCtx, reads: new Map() };
  const progress = opts.onProgress ?? (() => undefined);
  const links = await readLinks(ctx);
  const report: AdoptionReport = {
    companyId: ctx.companyId,
    dryRun: opts.dryRun,
    projects: [],
    counts: {
      project: emptyCounts(),
      vendor: emptyCounts(),
      work_order_contract: emptyCounts(),
      purchase_order_contract: emptyCounts(),
      commitment_change_order: emptyCounts(),
      requisition: emptyCounts(),
      prime_contract: emptyCounts(),
      prime_change_order: emptyCounts(),
      budget_change: emptyCounts(),
      budget_line_item: emptyCounts(),
      direct_cost: emptyCounts(),
    },
    rules: {},
    records: [],
  };
  const record = (r: RecordOutcome) => {
    report.records.push(r);
    report.counts[r.entity][r.outcome === 'review' ? 'review' : r.outcome]++;
    if (r.differences && r.differences.length > 0) report.counts[r.entity].differing++;
    if (r.outcome === 'adopted' && r.rule) {
      const rules = (report.rules[r.entity] ??= {});
      rules[r.rule] = (rules[r.rule] ?? 0) + 1;
    }
  };
  const takenAcumatica = (entity: string, key: string) => links.byAcumatica.has(acumaticaKeyOf(entity, key));

  // --- projects -------------------------------------------------------------------------------------------
  progress('Reading projects');
  const [projects, acuProjects] = await Promise.all([procoreProjects(ctx, opts.projects), acumaticaProjects(ctx)]);
  const projectMap = new Map<string, string>();
  const newLinks: Link[] = [];
  const adoptions: Adopted[] = [];
  const reviews: RecordOutcome[] = [];
  const originIds: Array<{ item_type: string; item_id: string; origin_id: string }> = [];
  /** Records a project or vendor decision; an adopted one is linked, and its origin_id written after the run. */
  const applySimple = (
    entity: 'project' | 'vendor',
    procoreId: string,
    label: string,
    d: ReturnType<typeof decideSimple>,
    keys: Map<string, string>,
  ) => {
    const acumaticaEntity = entity === 'project' ? 'Project' : 'Vendor';
    record({ entity, procoreId, label, ...simpleOutcome(d) });
    if (d.key) keys.set(procoreId, d.key);
    if (d.outcome === 'adopted') {
      newLinks.push({
        procoreCompanyId: ctx.companyId,
        procoreEntity: entity,
        procoreId,
        acumaticaEntity,
        acumaticaKey: d.key!,
      });
      adoptions.push({ entity, id: procoreId, acuEntity: acumaticaEntity, key: d.key!, rule: d.rule!, diffs: [] });
      originIds.push({ item_type: entity, item_id: procoreId, origin_id: d.key! });
    }
    if (d.outcome === 'review') reviews.push(report.records[report.records.length - 1]);
  };
  const projectDecisions = uncontested(
    projects.map((p) => {
      const id = String(p.id);
      const number = norm(p.project_number);
      const origin = norm(p.origin_id);
      const candidates = acuProjects
        .filter((a) => !takenAcumatica('Project', a.projectId))
        .filter(
          (a) =>
            (origin !== '' && norm(a.projectId) === origin) ||
            (number !== '' && (norm(a.projectId) === number || norm(a.externalRef) === number)),
        )
        .map((a) => a.projectId);
      return {
        p,
        d: decideSimple(links.byProcore.get(procoreKey('project', id))?.acumaticaKey, candidates, 'project_number'),
      };
    }),
  );
  for (const { p, d } of projectDecisions) {
    applySimple('project', String(p.id), `${p.project_number ?? ''} ${p.name}`.trim(), d, projectMap);
  }
  report.projects = [...projectMap.keys()];

  // --- commitments of the linked projects (read first: they name the vendors to adopt) -----------------------
  progress(`Reading commitments of ${projectMap.size} projects`);
  const commitments: ProcoreCommitment[] = [];
  for (const list of await mapLimit([...projectMap.keys()], 2, (id) => procoreCommitments(ctx, id)))
    commitments.push(...list);
  const acuCommitments = await acumaticaCommitments(ctx);

  // --- vendors the commitments use --------------------------------------------------------------------------
  progress('Matching vendors');
  const [vendors, acuVendors] = await Promise.all([procoreVendors(ctx), acumaticaVendors(ctx)]);
  const vendorMap = new Map<string, string>();
  const vendorDecisions = uncontested(
    [...new Set(commitments.map((c) => c.vendorId).filter(Boolean))].map((vendorId) => {
      const v = vendors.get(vendorId);
      const origin = norm(v?.origin_id);
      const free = acuVendors.filter((a) => !takenAcumatica('Vendor', a.vendorId));
      const byOrigin = origin ? free.filter((a) => norm(a.vendorId) === origin) : [];
      const byName = free.filter((a) => norm(a.name) !== '' && norm(a.name) === norm(v?.name));
      const linked = links.byProcore.get(procoreKey('vendor', vendorId))?.acumaticaKey;
      const d =
        byOrigin.length > 0
          ? decideSimple(
              linked,
              byOrigin.map((a) => a.vendorId),
              'origin_id',
            )
          : decideSimple(
              linked,
              byName.map((a) => a.vendorId),
              'name',
            );
      return { vendorId, v, d };
    }),
  );
  for (const { vendorId, v, d } of vendorDecisions) applySimple('vendor', vendorId, v?.name ?? vendorId, d, vendorMap);

  // --- commitments ------------------------------------------------------------------------------------------
  progress(`Matching ${commitments.length} commitments against ${acuCommitments.length} Acumatica documents`);
  const decided = commitments.map((c) => {
    const target = COMMITMENT_ENTITIES[c.entity];
    const linked = links.byProcore.get(procoreKey(c.entity, c.id));
    if (linked) return { c, decision: { action: 'unchanged', key: linked.acumaticaKey } as const };
    const vendorKey = vendorMap.get(c.vendorId);
    const projectKey = projectMap.get(c.projectId)!;
    if (!vendorKey)
      return {
        c,
        decision: {
          action: 'review',
          reason: 'vendor_not_linked',
          detail: `Vendor "${c.vendorName}" has no Acumatica vendor`,
          candidates: [],
        } as Decision,
      };
    const candidates = acuCommitments.filter(
      (a: AcumaticaCommitmentFacts) =>
        a.entity === target.acumaticaEntity &&
        norm(a.vendorId) === norm(vendorKey) &&
        norm(a.projectId) === norm(projectKey) &&
        !takenAcumatica(a.entity, a.key),
    );
    return { c, decision: decideCommitment(c, candidates) };
  });
  const resolved = resolveContested(
    decided.filter((d): d is { c: ProcoreCommitment; decision: Decision } => d.decision.action !== 'unchanged'),
  );
  const markers: Array<{ entity: string; id: string; fields: Record<string, unknown> }> = [];
  /** Procore commitment id -> its Acumatica document (linked before, or adopted now): change orders match on it. */
  const commitmentKeys = new Map<string, string>();
  for (const d of decided.filter((x) => x.decision.action === 'unchanged')) {
    record({
      entity: d.c.entity,
      procoreId: d.c.id,
      label: d.c.label,
      projectId: d.c.projectId,
      outcome: 'unchanged',
      rule: 'linked',
      acumaticaKey: (d.decision as { key: string }).key,
    });
    commitmentKeys.set(d.c.id, (d.decision as { key: string }).key);
  }
  for (const { c, decision } of resolved) {
    const base = { entity: c.entity, procoreId: c.id, label: c.label, projectId: c.projectId } as const;
    if (decision.action === 'create') record({ ...base, outcome: 'created' });
    else if (decision.action === 'review') {
      record({
        ...base,
        outcome: 'review',
        reason: decision.reason,
        detail: decision.detail,
        candidates: decision.candidates,
      });
      reviews.push(report.records[report.records.length - 1]);
    } else {
      const t = decision.target;
      const ent = COMMITMENT_ENTITIES[c.entity];
      record({
        ...base,
        outcome: 'adopted',
        rule: decision.rule,
        acumaticaKey: t.key,
        differences: decision.differences,
        unmatchedLines: decision.unmatchedLines.length,
      });
      commitmentKeys.set(c.id, t.key);
      newLinks.push({
        procoreCompanyId: ctx.companyId,
        procoreEntity: c.entity,
        procoreId: c.id,
        acumaticaEntity: t.entity,
        acumaticaKey: t.key,
        acumaticaId: t.id,
      });
      originIds.push({ item_type: c.entity, item_id: c.id, origin_id: t.key });
      for (const m of decision.lineMatches) {
        const lineKey = `${t.key}:${m.lineNbr}`;
        newLinks.push({
          procoreCompanyId: ctx.companyId,
          procoreEntity: 'commitment_line_item' as ProcoreEntity,
          procoreId: m.procoreLineId,
          acumaticaEntity: ent.lineEntity,
          acumaticaKey: lineKey,
        });
        originIds.push({ item_type: 'line_item', item_id: m.procoreLineId, origin_id: lineKey });
      }
      adoptions.push({
        entity: c.entity,
        id: c.id,
        acuEntity: t.entity,
        key: t.key,
        rule: decision.rule,
        diffs: decision.differences,
      });
      if (!t.vendorRef && t.id)
        markers.push({ entity: t.entity, id: t.id, fields: { VendorRef: procoreMarker(c.id) } });
    }
  }

  // --- commitment change orders ------------------------------------------------------------------------------
  progress('Matching commitment change orders');
  const changeOrders = await adoptChangeOrders(ctx, {
    projects: projectMap,
    commitments: commitmentKeys,
    links,
    takenAcumatica,
  });
  // --- subcontractor invoices (bills) of the linked subcontracts -------------------------------------------------
  progress('Matching subcontractor invoices');
  const subcontracts = new Map(
    [...commitmentKeys].filter(([id]) => commitments.some((c) => c.id === id && c.entity === 'work_order_contract')),
  );
  const bills = await adoptBills(ctx, {
    projects: projectMap,
    subcontracts,
    lineCostCodes: new Map(commitments.flatMap((c) => c.lines.map((l) => [l.id, l.costCode] as const))),
    links,
    takenAcumatica,
  });
  // --- budgets: prime contracts (revenue), their change orders, budget changes and budget lines (cost) ----------
  progress('Matching prime contracts, budgets and their change orders');
  const budgetInput = { projects: projectMap, links, takenAcumatica };
  const budgetParts = [
    await adoptPrimeContracts(ctx, budgetInput),
    await adoptBudgetChangeOrders(ctx, 'prime_change_order', budgetInput),
    await adoptBudgetChangeOrders(ctx, 'budget_change', budgetInput),
    await adoptBudgetLines(ctx, budgetInput),
  ];
  for (const part of [changeOrders, bills, ...budgetParts]) {
    for (const r of part.records) {
      record(r);
      if (r.outcome === 'review') reviews.push(r);
    }
    newLinks.push(...part.links);
    adoptions.push(...part.adopted);
    originIds.push(...part.originIds);
    markers.push(...part.markers);
  }

  // --- direct costs (imported: the Procore ones keyed by hand get the import's link and origin_ids) -----------
  progress('Matching direct costs');
  const vendorLinks = new Map<string, string>(vendorMap);
  for (const l of links.byProcore.values())
    if (l.procoreEntity === 'vendor' && !vendorLinks.has(l.procoreId)) vendorLinks.set(l.procoreId, l.acumaticaKey);
  const directCosts = await adoptDirectCosts(ctx, {
    projects: projectMap,
    vendors: vendorLinks,
    links,
    takenAcumatica,
  });
  for (const r of directCosts.records) {
    record(r);
    if (r.outcome === 'review') reviews.push(r);
  }
  newLinks.push(...directCosts.links);
  adoptions.push(...directCosts.adopted);
  originIds.push(...directCosts.originIds);

  if (opts.dryRun) {
    progress('Dry run: nothing written');
    return report;
  }

  // --- writes -------------------------------------------------------------------------------------------------
  progress(`Writing ${newLinks.length} links, ${reviews.length} review items, ${markers.length} markers`);
  await upsertLinks(ctx.db, newLinks);
  await saveAdoptions(ctx, adoptions);
  await saveReviews(ctx, reviews);
  for (let i = 0; i < originIds.length; i += 100) {
    const { errors } = await ctx.procore.syncExternalData(ctx.companyId, originIds.slice(i, i + 100));
    if (errors.length > 0) progress(`Procore refused some origin_ids: ${JSON.stringify(errors).slice(0, 300)}`);
  }
  // Three at once: the client paces them to the tenant's license either way.
  await mapLimit(markers, 3, (m) => ctx.acumatica.put(m.entity, { id: m.id, ...m.fields }, { mode: 'update' }));
  for (const [projectId, headers] of groupBy(directCosts.headers, (h) => h.projectId)) {
    const { errors } = await ctx.procore.syncDirectCosts(
      ctx.companyId,
      projectId,
      headers.map((h) => ({ id: h.id, origin_id: h.origin_id })),
    );
    if (errors.length > 0)
      progress(`Procore refused some direct cost origin_ids: ${JSON.stringify(errors).slice(0, 300)}`);
  }
  progress('Adoption written');
  return report;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}

async function saveAdoptions(ctx: AdoptionContext, rows: Adopted[]): Promise<void> {
  if (rows.length === 0) return;
  await ctx.db.query(
    `INSERT INTO adoptions (procore_company_id, procore_entity, procore_id, acumatica_entity, acumatica_key, rule, differences)
     SELECT $1, e, i, ae, k, r, d::jsonb FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS t(e, i, ae, k, r, d)
     ON CONFLICT (procore_company_id, procore_entity, procore_id) DO UPDATE SET acumatica_entity = EXCLUDED.acumatica_entity,
       acumatica_key = EXCLUDED.acumatica_key, rule = EXCLUDED.rule, differences = EXCLUDED.differences, adopted_at = now()`,
    [
      ctx.companyId,
      rows.map((r) => r.entity),
      rows.map((r) => r.id),
      rows.map((r) => r.acuEntity),
      rows.map((r) => r.key),
      rows.map((r) => r.rule),
      rows.map((r) => JSON.stringify(r.diffs)),
    ],
  );
  await ctx.db.query(
    `UPDATE adoption_reviews SET status = 'resolved', updated_at = now()
     WHERE procore_company_id = $1 AND (procore_entity, procore_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
    [ctx.companyId, rows.map((r) => r.entity), rows.map((r) => r.id)],
  );
}

async function saveReviews(ctx: AdoptionContext, rows: RecordOutcome[]): Promise<void> {
  for (const r of rows)
    await ctx.db.query(
      `INSERT INTO adoption_reviews (procore_company_id, procore_entity, procore_id, label, project_id, reason, detail, candidates)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (procore_company_id, procore_entity, procore_id) DO UPDATE SET label = EXCLUDED.label,
         reason = EXCLUDED.reason, detail = EXCLUDED.detail, candidates = EXCLUDED.candidates, updated_at = now(),
         status = CASE WHEN adoption_reviews.status = 'dismissed' THEN 'dismissed' ELSE 'open' END`,
      [
        ctx.companyId,
        r.entity,
        r.procoreId,
        r.label,
        r.projectId ?? null,
        r.reason ?? '',
        r.detail ?? '',
        r.candidates ?? [],
      ],
    );
}

const csvCell = (v: unknown): string => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** The review list of a report, as CSV. */
export function reviewCsv(report: AdoptionReport): string {
  return toCsv(
    ['entity', 'procore_id', 'label', 'project_id', 'reason', 'detail', 'candidates'],
    report.records
      .filter((r) => r.outcome === 'review')
      .map((r) => [r.entity, r.procoreId, r.label, r.projectId, r.reason, r.detail, (r.candidates ?? []).join(' ')]),
  );
}
