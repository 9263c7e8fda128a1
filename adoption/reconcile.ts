/**
 * Reconciliation report: compares the linked commitments of both systems for the projects in scope and lists
 *  - every difference of a linked pair, with both values: total, description, and each linked line's amount;
 *  - every Procore commitment without a link (`procore_only`), and every link whose Acumatica document is gone
 *    (`missing_in_acumatica`);
 *  - every Acumatica commitment on a linked project without a link (`acumatica_only`); `looksLikeProcore` says
 *    whether it carries a PROCORE- marker or the number/description of an unlinked Procore commitment.
 * Commitment change orders the same way (header total and description; `acumatica_only` are change orders with
 * Commitments lines on a linked project). Subcontractor invoices (bills): linked pairs by total, and each
 * system's unlinked bills of the linked subcontracts in scope. Prime contract change orders and budget changes
 * like commitment change orders (`acumatica_only`: change orders with only RevenueBudget, or only CostBudget,
 * lines). Budgets line by line: prime contract lines against the Revenue rows, budget lines against the Cost rows
 * of the linked projects (amounts; unlinked lines, and unlinked rows that carry a budget). Direct costs: linked pairs by total, and each
 * system's unlinked costs (Acumatica: released project transactions on the linked projects). Reads only.
 */
import {
  commitmentDifferences,
  norm,
  type AcumaticaCommitmentFacts,
  type AcumaticaDocument,
  type Difference,
  type ProcoreChangeOrderFacts,
} from '../mappings/adoption-match';
import {
  acumaticaBills,
  acumaticaBudgetChangeOrders,
  acumaticaBudgetRows,
  acumaticaDirectCosts,
  costTypeAccountGroups,
  procoreBudgetChanges,
  procoreBudgetLines,
  procoreDirectCosts,
  procorePrimeChangeOrders,
  procorePrimeContracts,
  type LinkRow,
  acumaticaChangeOrders,
  acumaticaCommitments,
  acumaticaKeyOf,
  COMMITMENT_ENTITIES,
  mapLimit,
  procoreBills,
  procoreChangeOrders,
  procoreCommitments,
  procoreKey,
  procoreProjects,
  readLinks,
  type AdoptionContext,
} from './read';
import { toCsv } from './run';

export interface ReconcileItem {
  kind: 'difference' | 'procore_only' | 'acumatica_only' | 'missing_in_acumatica';
  entity: string;
  projectId?: string;
  procoreId?: string;
  acumaticaKey?: string;
  label: string;
  field?: string;
  procore?: string | number | null;
  acumatica?: string | number | null;
  looksLikeProcore?: boolean;
}

export interface ReconcileResult {
  companyId: string;
  projects: number;
  compared: number;
  items: ReconcileItem[];
}

export async function reconcile(runCtx: AdoptionContext, opts: { projects?: string[] } = {}): Promise<ReconcileResult> {
  const ctx: AdoptionContext = { ...runCtx, reads: new Map() };
  const links = await readLinks(ctx);
  const projects = (await procoreProjects(ctx, opts.projects))
    .map((p) => ({ p, link: links.byProcore.get(procoreKey('project', String(p.id))) }))
    .filter((x) => x.link);
  const acuProjects = new Set(projects.map((x) => norm(x.link!.acumaticaKey)));
  const acu = (await acumaticaCommitments(ctx)).filter((a) => acuProjects.has(norm(a.projectId)));
  const acuByKey = new Map<string, AcumaticaCommitmentFacts>(acu.map((a) => [acumaticaKeyOf(a.entity, a.key), a]));
  const items: ReconcileItem[] = [];
  const unlinkedProcore: Array<{ number: string; title: string }> = [];
  let compared = 0;
  const perProject = await mapLimit(projects, 2, ({ p }) => procoreCommitments(ctx, String(p.id)));
  const commitmentIds = new Set(perProject.flat().map((c) => c.id));
  for (const list of perProject) {
    for (const c of list) {
      const link = links.byProcore.get(procoreKey(c.entity, c.id));
      const base = { entity: c.entity, projectId: c.projectId, procoreId: c.id, label: c.label };
      if (!link) {
        items.push({ ...base, kind: 'procore_only' });
        unlinkedProcore.push({ number: c.number, title: c.title });
        continue;
      }
      const target = COMMITMENT_ENTITIES[c.entity].acumaticaEntity;
      const a = acuByKey.get(acumaticaKeyOf(target, link.acumaticaKey));
      if (!a) {
        items.push({ ...base, kind: 'missing_in_acumatica', acumaticaKey: link.acumaticaKey });
        continue;
      }
      compared++;
      for (const d of commitmentDifferences(c, a))
        items.push({
          ...base,
          kind: 'difference',
          acumaticaKey: a.key,
          field: d.field,
          procore: d.procore,
          acumatica: d.acumatica,
        });
      for (const l of c.lines) {
        const lineLink = links.byProcore.get(procoreKey('commitment_line_item', l.id));
        if (!lineLink) continue;
        const row = a.lines.find((r) => `${a.key}:${r.id}` === lineLink.acumaticaKey);
        if (row && Math.round(row.amount * 100) !== Math.round(l.amount * 100))
          items.push({
            ...base,
            kind: 'difference',
            acumaticaKey: lineLink.acumaticaKey,
            field: `line ${l.position} amount`,
            procore: l.amount,
            acumatica: row.amount,
          });
      }
    }
  }
  const numbers = new Set(unlinkedProcore.map((u) => norm(u.number)));
  const titles = new Set(unlinkedProcore.flatMap((u) => [norm(u.title), norm(`${u.number} ${u.title}`)]));
  for (const a of acu) {
    if (links.byAcumatica.has(acumaticaKeyOf(a.entity, a.key))) continue;
    const looksLikeProcore =
      norm(a.vendorRef).startsWith('PROCORE-') ||
      numbers.has(norm(a.key)) ||
      numbers.has(norm(a.vendorRef)) ||
      titles.has(norm(a.description));
    items.push({
      kind: 'acumatica_only',
      entity: a.entity,
      projectId: a.projectId,
      acumaticaKey: a.key,
      label: a.description,
      looksLikeProcore,
    });
  }
  compared += await reconcileChangeOrders(
    ctx,
    links,
    projects.map((x) => String(x.p.id)),
    acuProjects,
    commitmentIds,
    items,
  );
  const subcontractIds = new Set(
    perProject
      .flat()
      .filter((c) => c.entity === 'work_order_contract')
      .map((c) => c.id),
  );
  compared += await reconcileBills(
    ctx,
    links,
    projects.map((x) => String(x.p.id)),
    subcontractIds,
    new Map(perProject.flat().flatMap((c) => c.lines.map((l) => [l.id, l.costCode] as const))),
    items,
  );
  const projectKeys = new Map(projects.map((x) => [String(x.p.id), x.link!.acumaticaKey]));
  for (const kind of ['prime_change_order', 'budget_change'] as const)
    compared += await reconcileBudgetChangeOrders(ctx, links, projectKeys, kind, items);
  for (const type of ['Revenue', 'Cost'] as const)
    compared += await reconcileBudgetRows(ctx, links, projectKeys, type, items);
  compared += await reconcileDirectCosts(ctx, links, projectKeys, items);
  return { companyId: ctx.companyId, projects: projects.length, compared, items };
}

type Links = Awaited<ReturnType<typeof readLinks>>;
const cents = (n: number) => Math.round(n * 100);

const totalDifference = (p: { total: number }, a: { total: number }): Difference[] =>
  cents(p.total) === cents(a.total) ? [] : [{ field: 'total', procore: p.total, acumatica: a.total }];

/**
 * One entity's Procore records against their linked Acumatica records: a record without a link is `procore_only`
 * (`onUnlinked` sees it), a link whose Acumatica record is gone `missing_in_acumatica`, and each difference of a
 * linked pair is listed with both values. Returns the pairs compared.
 */
function compareLinked<P extends { id: string; projectId: string; label: string }, A extends { key: string }>(
  spec: {
    entity: string;
    acumaticaEntity: string;
    differences: (p: P, a: A) => Difference[];
    onUnlinked?: (p: P) => void;
  },
  procore: P[],
  acu: A[],
  links: Links,
  items: ReconcileItem[],
): number {
  const byKey = new Map(acu.map((a) => [acumaticaKeyOf(spec.acumaticaEntity, a.key), a]));
  let compared = 0;
  for (const p of procore) {
    const base = { entity: spec.entity, projectId: p.projectId, procoreId: p.id, label: p.label };
    const link = links.byProcore.get(procoreKey(spec.entity, p.id));
    if (!link) {
      items.push({ ...base, kind: 'procore_only' });
      spec.onUnlinked?.(p);
      continue;
    }
    const a = byKey.get(acumaticaKeyOf(spec.acumaticaEntity, link.acumaticaKey));
    if (!a) {
      items.push({ ...base, kind: 'missing_in_acumatica', acumaticaKey: link.acumaticaKey });
      continue;
    }
    compared++;
    for (const d of spec.differences(p, a))
      items.push({
        ...base,
        kind: 'difference',
        acumaticaKey: a.key,
        field: d.field,
        procore: d.procore,
        acumatica: d.acumatica,
      });
  }
  return compared;
}

/** Prime contract change orders or budget changes against the change orders of that kind; returns pairs compared. */
async function reconcileBudgetChangeOrders(
  ctx: AdoptionContext,
  links: Links,
  projects: Map<string, string>,
  entity: 'prime_change_order' | 'budget_change',
  items: ReconcileItem[],
): Promise<number> {
  const read = entity === 'prime_change_order' ? procorePrimeChangeOrders : procoreBudgetChanges;
  const procore = (await mapLimit([...projects.keys()], 2, (id) => read(ctx, id))).flat();
  const onProjects = new Set([...projects.values()].map(norm));
  const acu = (
    await acumaticaBudgetChangeOrders(ctx, entity === 'prime_change_order' ? 'RevenueBudget' : 'CostBudget')
  ).filter((a) => onProjects.has(norm(a.projectId)));
  return compareChangeOrders(entity, procore, acu, links, items);
}

/**
 * Budget rows line by line: prime contract lines against Revenue rows, budget lines against Cost rows (linked
 * pairs by amount; unlinked lines; unlinked rows, which look like Procore's when an unlinked line on the project
 * has their cost code). Returns the pairs compared.
 */
async function reconcileBudgetRows(
  ctx: AdoptionContext,
  links: Links,
  projects: Map<string, string>,
  type: 'Revenue' | 'Cost',
  items: ReconcileItem[],
): Promise<number> {
  const entity = type === 'Revenue' ? 'prime_contract_line_item' : 'budget_line_item';
  const accountGroups = type === 'Cost' ? await costTypeAccountGroups(ctx) : new Map<string, string>();
  const lines = (
    await mapLimit([...projects.keys()], 2, async (projectId) =>
      type === 'Revenue'
        ? (await procorePrimeContracts(ctx, projectId)).flatMap((pc) =>
            pc.lines.map((l) => ({ ...l, projectId, label: `${pc.label} line ${l.position}` })),
          )
        : (await procoreBudgetLines(ctx, projectId, accountGroups)).map((l) => ({
            ...l,
            projectId,
            label: `Budget ${projects.get(projectId)} ${l.costCode} ${l.description}`.trim(),
          })),
    )
  ).flat();
  const rowsByProject = await acumaticaBudgetRows(ctx, type);
  const rows = [...projects.values()].flatMap((key) => rowsByProject.get(norm(key)) ?? []);
  const unlinkedCodes = new Set<string>();
  const compared = compareLinked(
    {
      entity,
      acumaticaEntity: 'ProjectBudget',
      differences: (l, row) =>
        cents(row.amount) === cents(l.amount) ? [] : [{ field: 'amount', procore: l.amount, acumatica: row.amount }],
      onUnlinked: (l) => unlinkedCodes.add(`${norm(projects.get(l.projectId))}|${norm(l.costCode)}`),
    },
    lines,
    rows,
    links,
    items,
  );
  for (const r of rows) {
    // A row without budget is one Acumatica added when actual costs were released against it: nothing to compare.
    if (links.byAcumatica.has(acumaticaKeyOf('ProjectBudget', r.key)) || cents(r.amount) === 0) continue;
    items.push({
      kind: 'acumatica_only',
      entity: 'ProjectBudget',
      projectId: r.key.split(':')[0],
      acumaticaKey: r.key,
      label: `${type} budget ${r.costCode} ${r.description}`.trim(),
      looksLikeProcore: unlinkedCodes.has(`${norm(r.key.split(':')[0])}|${norm(r.costCode)}`),
    });
  }
  return compared;
}

/** Direct costs: linked pairs by total; each system's unlinked costs. Returns the pairs compared. */
async function reconcileDirectCosts(
  ctx: AdoptionContext,
  links: Links,
  projects: Map<string, string>,
  items: ReconcileItem[],
): Promise<number> {
  const entity = 'direct_cost';
  const vendors = new Map(
    [...links.byProcore.values()]
      .filter((l: LinkRow) => l.procoreEntity === 'vendor')
      .map((l) => [l.procoreId, l.acumaticaKey]),
  );
  const procore = (await mapLimit([...projects.keys()], 2, (id) => procoreDirectCosts(ctx, id, vendors))).flat();
  const acu = await acumaticaDirectCosts(ctx, new Set([...projects.values()].map(norm)));
  const unlinked = procore.filter((d) => !links.byProcore.has(procoreKey(entity, d.id)));
  const traces = new Set(
    unlinked.flatMap((d) => [norm(d.invoiceNumber), `${d.date}|${cents(d.total)}`]).filter((t) => t !== ''),
  );
  const compared = compareLinked(
    { entity, acumaticaEntity: 'ProjectTransaction', differences: totalDifference },
    procore,
    acu,
    links,
    items,
  );
  for (const a of acu) {
    if (links.byAcumatica.has(acumaticaKeyOf(a.entity, a.key))) continue;
    items.push({
      kind: 'acumatica_only',
      entity: a.entity,
      projectId: a.projectId,
      acumaticaKey: a.key,
      label: a.description,
      looksLikeProcore: traces.has(norm(a.invoiceNumber)) || traces.has(`${a.date}|${cents(a.total)}`),
    });
  }
  return compared;
}

/** Adds the bill items (subcontractor invoices of the given subcontracts); returns the linked pairs compared. */
async function reconcileBills(
  ctx: AdoptionContext,
  links: Links,
  projectIds: string[],
  subcontractIds: Set<string>,
  costCodes: Map<string, string | null>,
  items: ReconcileItem[],
): Promise<number> {
  const entity = 'requisition';
  const procore = (await mapLimit(projectIds, 2, (id) => procoreBills(ctx, id, subcontractIds, costCodes))).flat();
  // The Acumatica subcontracts those invoices bill: the bills against them are the ones in scope.
  const subcontractKeys = new Set(
    [...subcontractIds].flatMap((id) => {
      const link = links.byProcore.get(procoreKey('work_order_contract', id));
      return link ? [norm(link.acumaticaKey)] : [];
    }),
  );
  const acu = (await acumaticaBills(ctx)).filter((a) => a.commitmentKeys.every((k) => subcontractKeys.has(norm(k))));
  // What an unlinked Procore invoice would be found by: its invoice number, or its subcontract and date.
  const subcontractOf = (b: { commitmentId: string }) =>
    norm(links.byProcore.get(procoreKey('work_order_contract', b.commitmentId))?.acumaticaKey);
  const unlinked = procore.filter((b) => !links.byProcore.has(procoreKey(entity, b.id)));
  const traces = new Set(unlinked.flatMap((b) => [norm(b.invoiceNumber), `${subcontractOf(b)}|${b.date}`]));
  const compared = compareLinked(
    { entity, acumaticaEntity: 'Bill', differences: totalDifference },
    procore,
    acu,
    links,
    items,
  );
  for (const a of acu) {
    if (links.byAcumatica.has(acumaticaKeyOf(a.entity, a.key))) continue;
    items.push({
      kind: 'acumatica_only',
      entity: a.entity,
      acumaticaKey: a.key,
      label: a.description,
      looksLikeProcore:
        norm(a.invoiceNumber).startsWith('PROCORE-') ||
        traces.has(norm(a.invoiceNumber)) ||
        a.commitmentKeys.some((k) => traces.has(`${norm(k)}|${a.date}`)),
    });
  }
  return compared;
}

/** Adds the change order items; returns how many linked pairs it compared. */
async function reconcileChangeOrders(
  ctx: AdoptionContext,
  links: Links,
  projectIds: string[],
  acuProjects: Set<string>,
  commitmentIds: Set<string>,
  items: ReconcileItem[],
): Promise<number> {
  const entity = 'commitment_change_order';
  const procore = (await mapLimit(projectIds, 2, (id) => procoreChangeOrders(ctx, id, commitmentIds))).flat();
  const acu = (await acumaticaChangeOrders(ctx)).filter((a) => acuProjects.has(norm(a.projectId)));
  return compareChangeOrders(entity, procore, acu, links, items);
}

/** Change orders (commitment, prime, budget): linked pairs by total and description; both sides' unlinked ones. */
function compareChangeOrders(
  entity: string,
  procore: Array<ProcoreChangeOrderFacts & { projectId: string; label: string }>,
  acu: Array<AcumaticaDocument & { projectId: string; externalRef: string }>,
  links: Links,
  items: ReconcileItem[],
): number {
  const unlinked = procore.filter((co) => !links.byProcore.has(procoreKey(entity, co.id)));
  const names = new Set(unlinked.flatMap((u) => [norm(u.number), norm(u.title), norm(`${u.number} ${u.title}`)]));
  const compared = compareLinked(
    { entity, acumaticaEntity: 'ChangeOrder', differences: commitmentDifferences },
    procore,
    acu,
    links,
    items,
  );
  for (const a of acu) {
    if (links.byAcumatica.has(acumaticaKeyOf(a.entity, a.key))) continue;
    items.push({
      kind: 'acumatica_only',
      entity: a.entity,
      projectId: a.projectId,
      acumaticaKey: a.key,
      label: a.description,
      looksLikeProcore:
        norm(a.externalRef).startsWith('PROCORE-') || names.has(norm(a.externalRef)) || names.has(norm(a.description)),
    });
  }
  return compared;
}

export function reconcileCsv(result: ReconcileResult): string {
  return toCsv(
    [
      'kind',
      'entity',
      'project_id',
      'procore_id',
      'acumatica_key',
      'label',
      'field',
      'procore',
      'acumatica',
      'looks_like_procore',
    ],
    result.items.map((i) => [
      i.kind,
      i.entity,
      i.projectId,
      i.procoreId,
      i.acumaticaKey,
      i.label,
      i.field,
      i.procore,
      i.acumatica,
      i.looksLikeProcore,
    ]),
  );
}
