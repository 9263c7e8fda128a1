/**
 * Reconciliation report: compares the linked commitments of both systems for the projects in scope and lists
 *  - every difference of a linked pair, with both values: total, description, and each linked line's amount;
 *  - every Procore commitment without a link (`procore_only`), and every link whose Acumatica document is gone
 *    (`missing_in_acumatica`);
 *  - every Acumatica commitment on a linked project without a link (`acumatica_only`); `looksLikeProcore` says
 *    whether it carries a PROCORE- marker or the number/description of an unlinked Procore commitment.
 * Commitment change orders the same way (header total and description; `acumatica_only` are change orders with
 * Commitments lines on a linked project). Subcontractor invoices (bills): linked pairs by total, and each
 * system's unlinked bills of the linked subcontracts in scope. Reads only. Budgets and direct costs are not
 * compared yet.
 */
import { commitmentDifferences, norm, type AcumaticaCommitmentFacts } from '../mappings/adoption-match';
import {
  acumaticaBills,
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

export async function reconcile(ctx: AdoptionContext, opts: { projects?: string[] } = {}): Promise<ReconcileResult> {
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
  return { companyId: ctx.companyId, projects: projects.length, compared, items };
}

/** Adds the bill items (subcontractor invoices of the given subcontracts); returns the linked pairs compared. */
async function reconcileBills(
  ctx: AdoptionContext,
  links: Awaited<ReturnType<typeof readLinks>>,
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
  const byKey = new Map(acu.map((a) => [acumaticaKeyOf(a.entity, a.key), a]));
  // What an unlinked Procore invoice would be found by: its invoice number, or its subcontract and date.
  const subcontractOf = (b: { commitmentId: string }) =>
    norm(links.byProcore.get(procoreKey('work_order_contract', b.commitmentId))?.acumaticaKey);
  const unlinked = procore.filter((b) => !links.byProcore.has(procoreKey(entity, b.id)));
  const traces = new Set(unlinked.flatMap((b) => [norm(b.invoiceNumber), `${subcontractOf(b)}|${b.date}`]));
  let compared = 0;
  for (const b of procore) {
    const base = { entity, projectId: b.projectId, procoreId: b.id, label: b.label };
    const link = links.byProcore.get(procoreKey(entity, b.id));
    if (!link) {
      items.push({ ...base, kind: 'procore_only' });
      continue;
    }
    const a = byKey.get(acumaticaKeyOf('Bill', link.acumaticaKey));
    if (!a) {
      items.push({ ...base, kind: 'missing_in_acumatica', acumaticaKey: link.acumaticaKey });
      continue;
    }
    compared++;
    if (Math.round(a.total * 100) !== Math.round(b.total * 100))
      items.push({
        ...base,
        kind: 'difference',
        acumaticaKey: a.key,
        field: 'total',
        procore: b.total,
        acumatica: a.total,
      });
  }
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
  links: Awaited<ReturnType<typeof readLinks>>,
  projectIds: string[],
  acuProjects: Set<string>,
  commitmentIds: Set<string>,
  items: ReconcileItem[],
): Promise<number> {
  const entity = 'commitment_change_order';
  const procore = (await mapLimit(projectIds, 2, (id) => procoreChangeOrders(ctx, id, commitmentIds))).flat();
  const acu = (await acumaticaChangeOrders(ctx)).filter((a) => acuProjects.has(norm(a.projectId)));
  const byKey = new Map(acu.map((a) => [acumaticaKeyOf(a.entity, a.key), a]));
  let compared = 0;
  const unlinked = procore.filter((co) => !links.byProcore.has(procoreKey(entity, co.id)));
  const names = new Set(unlinked.flatMap((u) => [norm(u.number), norm(u.title), norm(`${u.number} ${u.title}`)]));
  for (const co of procore) {
    const base = { entity, projectId: co.projectId, procoreId: co.id, label: co.label };
    const link = links.byProcore.get(procoreKey(entity, co.id));
    if (!link) {
      items.push({ ...base, kind: 'procore_only' });
      continue;
    }
    const a = byKey.get(acumaticaKeyOf('ChangeOrder', link.acumaticaKey));
    if (!a) {
      items.push({ ...base, kind: 'missing_in_acumatica', acumaticaKey: link.acumaticaKey });
      continue;
    }
    compared++;
    for (const d of commitmentDifferences(co, a))
      items.push({
        ...base,
        kind: 'difference',
        acumaticaKey: a.key,
        field: d.field,
        procore: d.procore,
        acumatica: d.acumatica,
      });
  }
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
