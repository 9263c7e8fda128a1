/**
 * Issue #15, end to end over the `inflight` seeds of both simulators: onboarding's dry run writes nothing and
 * reports the seed's truth; onboarding adopts every unambiguous record, creates nothing, lists the ambiguous and
 * differing ones; an export of an adopted subcontract updates it in place; reconcile lists the seeded differences.
 */
import { val } from '../../clients/acumatica/client';
import { onboard } from '../../adoption/onboard';
import { reconcile } from '../../adoption/reconcile';
import { retryException, type ExceptionItem } from '../../adoption/exceptions';
import { DEMO_SUBCONTRACTS } from 'simulator-common';
import { INFLIGHT_PROJECTS, INFLIGHT_TRUTH, inflightDataset } from 'simulator-common';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
const projects = INFLIGHT_PROJECTS.map((p) => p.projectNumber);
const truth = INFLIGHT_TRUTH;
const seed = inflightDataset();

beforeAll(async () => {
  stack = await startConnectorStack({
    procoreSimulator: { seed: { size: 'inflight' } },
    acumaticaSimulator: { size: 'inflight' },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const ctx = () => ({
  db: stack.db,
  procore: stack.procore,
  acumatica: stack.acumatica,
  companyId: stack.companyId,
});

async function requests(url: string): Promise<Array<{ method: string; path: string }>> {
  const res = await fetch(`${url}/__admin/request-log`);
  return ((await res.json()) as { requests: Array<{ method: string; path: string }> }).requests;
}
async function clearRequests(url: string): Promise<void> {
  await fetch(`${url}/__admin/request-log`, { method: 'DELETE' });
}
async function tableCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['links', 'adoptions', 'adoption_reviews', 'audit_log']) {
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM ${t}`);
    out[t] = rows[0].n;
  }
  return out;
}
async function acumaticaCommitmentCount(): Promise<number> {
  const subs = await stack.acumatica.list('Subcontract', { select: ['SubcontractNbr'] });
  const pos = await stack.acumatica.list('PurchaseOrder', { select: ['OrderNbr'] });
  return subs.length + pos.length;
}
/** Adopted per rule over both commitment kinds. */
const commitmentRules = (r: Awaited<ReturnType<typeof onboard>>['report']) => {
  const out: Record<string, number> = {};
  for (const e of ['work_order_contract', 'purchase_order_contract'] as const)
    for (const [rule, n] of Object.entries(r.rules[e] ?? {})) out[rule] = (out[rule] ?? 0) + n;
  return out;
};
const changeOrderCounts = (r: Awaited<ReturnType<typeof onboard>>['report']) => {
  const { adopted, created, unchanged, review, differing } = r.counts.commitment_change_order;
  return { adopted, created, unchanged, review, differing };
};
const billCounts = (r: Awaited<ReturnType<typeof onboard>>['report']) => {
  const { adopted, created, unchanged, review, differing } = r.counts.requisition;
  return { adopted, created, unchanged, review, differing };
};
type Report = Awaited<ReturnType<typeof onboard>>['report'];
const countsOf = (r: Report, entity: keyof Report['counts']) => {
  const { adopted, created, unchanged, review, differing } = r.counts[entity];
  return { adopted, created, unchanged, review, differing };
};
/** The budget entities: seed truth per report entity. */
const budgetTruth = {
  prime_contract: truth.primeContracts,
  prime_change_order: truth.primeChangeOrders,
  budget_change: truth.budgetChanges,
  budget_line_item: truth.budgetLines,
} as const;
const budgetReviews = Object.values(budgetTruth).reduce((n, t) => n + t.review, 0);
const directCostCounts = (r: Awaited<ReturnType<typeof onboard>>['report']) => {
  const { adopted, created, unchanged, review, differing } = r.counts.direct_cost;
  return { adopted, created, unchanged, review, differing };
};
const commitments = (r: {
  counts: Record<string, { adopted: number; created: number; unchanged: number; review: number; differing: number }>;
}) => {
  const a = r.counts.work_order_contract;
  const b = r.counts.purchase_order_contract;
  return {
    adopted: a.adopted + b.adopted,
    created: a.created + b.created,
    unchanged: a.unchanged + b.unchanged,
    review: a.review + b.review,
    differing: a.differing + b.differing,
  };
};

test('onboard --dry-run reads both systems, writes nothing, and reports the seed truth', async () => {
  const before = await tableCounts();
  const commitmentsBefore = await acumaticaCommitmentCount();
  await clearRequests(stack.procoreUrl);
  await clearRequests(stack.acumaticaUrl);

  const { report, reviewCsv } = await onboard(ctx(), { projects, dryRun: true });

  expect(report.counts.project).toEqual({ ...truth.projects, differing: 0 });
  expect(report.counts.vendor).toEqual({ ...truth.vendors, differing: 0 });
  expect(commitments(report)).toEqual({
    adopted: truth.commitments.adopted,
    created: truth.commitments.created,
    unchanged: truth.commitments.unchanged,
    review: truth.commitments.review,
    differing: truth.commitments.differing,
  });
  expect(commitmentRules(report)).toEqual(truth.commitments.adoptedByRule);
  const reviews = report.records.filter(
    (r) => r.outcome === 'review' && (r.entity === 'work_order_contract' || r.entity === 'purchase_order_contract'),
  );
  expect(reviews.filter((r) => r.reason === 'ambiguous')).toHaveLength(truth.commitments.reviewReasons.ambiguous);
  expect(reviews.filter((r) => r.reason === 'near_miss')).toHaveLength(truth.commitments.reviewReasons.near_miss);
  // The review list names exactly the seeded ambiguous and near-miss commitments.
  const expectedReview = seed.commitments
    .filter((c) => c.category === 'ambiguous' || c.category === 'near_miss')
    .map((c) => `${c.number} ${c.title}`)
    .sort();
  expect(reviews.map((r) => r.label).sort()).toEqual(expectedReview);

  // Commitment change orders: matched against the change orders of their commitment's Acumatica document.
  const co = truth.changeOrders;
  expect(changeOrderCounts(report)).toEqual({
    adopted: co.adopted,
    created: co.created,
    unchanged: 0,
    review: co.review,
    differing: co.differing,
  });
  expect(report.rules.commitment_change_order).toEqual(co.adoptedByRule);
  const coRecords = report.records.filter((r) => r.entity === 'commitment_change_order');
  const coOutcome = (c: (typeof seed.changeOrders)[number]) =>
    coRecords.find((r) => r.label === `${c.number} ${c.title}`);
  for (const c of seed.changeOrders) {
    const r = coOutcome(c)!;
    const expected = {
      number: { outcome: 'adopted', rule: 'number', acumaticaKey: c.acumatica[0]?.refNbr },
      description_total: { outcome: 'adopted', rule: 'description_total', acumaticaKey: c.acumatica[0]?.refNbr },
      near_miss: { outcome: 'review', reason: 'near_miss' },
      ambiguous: { outcome: 'review', reason: 'ambiguous' },
      procore_only: { outcome: 'created' },
    }[c.category];
    expect({ category: c.category, ...r }).toMatchObject({ category: c.category, ...expected });
  }

  // Subcontractor invoices: matched against the bills of their subcontract's Acumatica document.
  const bl = truth.bills;
  expect(billCounts(report)).toEqual({
    adopted: bl.adopted,
    created: bl.created,
    unchanged: 0,
    review: bl.review,
    differing: bl.differing,
  });
  expect(report.rules.requisition).toEqual(bl.adoptedByRule);
  const billRecords = report.records.filter((r) => r.entity === 'requisition');
  for (const b of seed.bills) {
    const r = billRecords.find((x) => x.label === `Invoice ${b.invoiceNumber} ${b.date}`)!;
    const expected = {
      invoice_number: { outcome: 'adopted', rule: 'invoice_number', acumaticaKey: b.acumatica[0]?.refNbr },
      date_total: { outcome: 'adopted', rule: 'date_total', acumaticaKey: b.acumatica[0]?.refNbr },
      near_miss: { outcome: 'review', reason: 'near_miss' },
      ambiguous: { outcome: 'review', reason: 'ambiguous' },
      procore_only: { outcome: 'created' },
    }[b.category];
    expect({ category: b.category, ...r }).toMatchObject({ category: b.category, ...expected });
  }

  // Direct costs keyed by hand in Procore, against Acumatica's released AP transactions.
  const dc = truth.directCosts;
  expect(directCostCounts(report)).toEqual({
    adopted: dc.adopted,
    created: dc.created,
    unchanged: dc.unchanged,
    review: dc.review,
    differing: dc.differing,
  });
  expect(report.rules.direct_cost).toEqual(dc.adoptedByRule);
  const dcReviews = report.records.filter((r) => r.entity === 'direct_cost' && r.outcome === 'review');
  expect(
    Object.fromEntries(Object.keys(dc.reviewReasons).map((k) => [k, dcReviews.filter((r) => r.reason === k).length])),
  ).toEqual(dc.reviewReasons);
  expect(
    report.records
      .filter((r) => r.entity === 'direct_cost' && r.outcome === 'created')
      .map((r) => r.acumaticaKey)
      .sort(),
  ).toEqual(
    seed.directCosts.filter((d) => d.category === 'acumatica_only').map((d) => `AP:${d.acumatica[0].referenceNbr}`),
  );
  // Budgets: prime contracts and budget lines against ProjectBudget rows, PCCOs and budget changes against change
  // orders of the revenue or cost budget.
  for (const [entity, t] of Object.entries(budgetTruth)) {
    expect({ entity, ...countsOf(report, entity as keyof typeof budgetTruth) }).toEqual({
      entity,
      adopted: t.adopted,
      created: t.created,
      unchanged: 0,
      review: t.review,
      differing: t.differing,
    });
    expect({ entity, rules: report.rules[entity as keyof typeof budgetTruth] }).toEqual({
      entity,
      rules: t.adoptedByRule,
    });
  }
  for (const c of [...seed.primeChangeOrders, ...seed.budgetChanges]) {
    const label = c.kind === 'budget_change' ? `Budget change #${c.number} ${c.title}` : `${c.number} ${c.title}`;
    const r = report.records.find((x) => x.entity === c.kind && x.label === label && x.projectId !== undefined);
    const expected = {
      number: { outcome: 'adopted', rule: 'number', acumaticaKey: c.acumatica[0]?.refNbr },
      description_total: { outcome: 'adopted', rule: 'description_total', acumaticaKey: c.acumatica[0]?.refNbr },
      near_miss: { outcome: 'review', reason: 'near_miss' },
      ambiguous: { outcome: 'review', reason: 'ambiguous' },
      procore_only: { outcome: 'created' },
    }[c.category];
    expect({ kind: c.kind, j: c.j, ...r }).toMatchObject({ kind: c.kind, j: c.j, ...expected });
  }
  const primeRecords = report.records.filter((r) => r.entity === 'prime_contract');
  for (const pc of seed.primeContracts) {
    const mine = primeRecords.filter((r) => pc.contracts.some((c) => r.label === `${c.number} ${c.title}`));
    const expected = {
      same: [{ outcome: 'adopted', differences: [] }],
      changed: [{ outcome: 'adopted', differences: [{ field: 'total' }, { field: 'line 2 amount' }] }],
      procore_only: [{ outcome: 'created' }],
      two_contracts: [
        { outcome: 'review', reason: 'ambiguous' },
        { outcome: 'review', reason: 'ambiguous' },
      ],
    }[pc.category];
    expect({ p: pc.p, mine }).toMatchObject({ p: pc.p, mine: expected });
  }
  expect(
    report.records
      .filter((r) => r.entity === 'budget_line_item' && (r.differences ?? []).length > 0)
      .map((r) => r.differences![0].procore)
      .sort(),
  ).toEqual(
    seed.budgets
      .filter((b) => b.category === 'changed')
      .map((b) => b.lines[0].amount)
      .sort(),
  );
  expect(reviewCsv.trim().split('\n')).toHaveLength(
    1 + truth.commitments.review + co.review + bl.review + dc.review + budgetReviews,
  );

  // Nothing written: only reads (and sign-in/sign-out) in both simulators' request logs, tables unchanged.
  const isRead = (r: { method: string; path: string }) =>
    r.method === 'GET' || /\/(auth\/login|auth\/logout|oauth\/token)$/.test(r.path);
  const procoreWrites = (await requests(stack.procoreUrl)).filter((r) => !isRead(r));
  const acumaticaWrites = (await requests(stack.acumaticaUrl)).filter((r) => !isRead(r));
  expect(procoreWrites).toEqual([]);
  expect(acumaticaWrites).toEqual([]);
  expect(await tableCounts()).toEqual(before);
  expect(await acumaticaCommitmentCount()).toBe(commitmentsBefore);
});

let adoptedSubcontract: { procoreId: string; acumaticaKey: string };

test('onboard adopts every unambiguous record, creates nothing, lists the ambiguous and differing ones', async () => {
  const commitmentsBefore = await acumaticaCommitmentCount();
  // A writing onboarding runs as the Temporal workflow onboard-<company> (through the API).
  const res = await stack.apiFetch(`/companies/${stack.companyId}/onboarding?wait=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ projects }),
  });
  expect(res.status).toBe(200);
  const { report, workflowId } = (await res.json()) as Awaited<ReturnType<typeof onboard>> & { workflowId: string };
  expect(workflowId).toBe(`onboard-${stack.companyId}`);
  const described = await stack.client.workflow.getHandle(workflowId).describe();
  expect(described.status.name).toBe('COMPLETED');
  expect(commitments(report)).toEqual({
    adopted: truth.commitments.adopted,
    created: truth.commitments.created,
    unchanged: 0,
    review: truth.commitments.review,
    differing: truth.commitments.differing,
  });
  expect(await acumaticaCommitmentCount()).toBe(commitmentsBefore);
  expect(changeOrderCounts(report)).toMatchObject({
    adopted: truth.changeOrders.adopted,
    review: truth.changeOrders.review,
  });

  const { rows: adoptions } = await stack.db.query(
    `SELECT count(*)::int AS n FROM adoptions WHERE procore_entity IN ('work_order_contract', 'purchase_order_contract')`,
  );
  expect(adoptions[0].n).toBe(truth.commitments.adopted);
  const { rows: reviews } = await stack.db.query(`SELECT reason FROM adoption_reviews WHERE status = 'open'`);
  expect(reviews).toHaveLength(
    truth.commitments.review +
      truth.changeOrders.review +
      truth.bills.review +
      truth.directCosts.review +
      budgetReviews,
  );
  // Budgets: every adopted record linked; the prime contracts' lines and the budget lines to their rows.
  for (const [entity, t] of Object.entries(budgetTruth))
    expect({ entity, ...countsOf(report, entity as keyof typeof budgetTruth) }).toMatchObject({
      entity,
      adopted: t.adopted,
      review: t.review,
    });
  const { rows: budgetLinks } = await stack.db.query(
    `SELECT procore_entity, count(*)::int AS n FROM links
     WHERE procore_entity IN ('prime_contract', 'prime_contract_line_item', 'prime_change_order', 'budget_change', 'budget_line_item')
     GROUP BY procore_entity ORDER BY procore_entity`,
  );
  expect(budgetLinks).toEqual([
    { procore_entity: 'budget_change', n: truth.budgetChanges.adopted },
    { procore_entity: 'budget_line_item', n: truth.budgetLines.adopted },
    { procore_entity: 'prime_change_order', n: truth.primeChangeOrders.adopted },
    { procore_entity: 'prime_contract', n: truth.primeContracts.adopted },
    { procore_entity: 'prime_contract_line_item', n: truth.primeContracts.lineLinks },
  ]);
  // Prime contracts carry their origin_id; the adopted change orders their marker where nothing was keyed.
  const firstProject = (await stack.procore.listProjects(stack.companyId)).find((p) => p.project_number === 'IF-001')!;
  const [prime] = await stack.procore.listPrimeContracts(stack.companyId, String(firstProject.id));
  expect(prime.origin_id).toBe('IF001:revenue-budget');
  const budgetCos = await stack.acumatica.list('ChangeOrder', { select: ['RefNbr', 'ExternalRefNbr'] });
  for (const c of [...seed.primeChangeOrders, ...seed.budgetChanges].filter((x) => x.category !== 'procore_only')) {
    const ref = (nbr: string) => val(budgetCos.find((x) => val(x.RefNbr) === nbr)!.ExternalRefNbr);
    if (c.category === 'number') expect(ref(c.acumatica[0].refNbr)).toBe(c.number);
    if (c.category === 'description_total') expect(ref(c.acumatica[0].refNbr)).toMatch(/^PROCORE-\d+$/);
    if (c.category === 'near_miss' || c.category === 'ambiguous')
      for (const a of c.acumatica) expect(ref(a.refNbr) ?? null).toBeNull();
  }
  // Adopted bills: linked (header and line), nothing written to them in Acumatica (their VendorRef is the vendor's).
  expect(billCounts(report)).toMatchObject({ adopted: truth.bills.adopted, review: truth.bills.review });
  const { rows: billLinks } = await stack.db.query(
    `SELECT acumatica_entity, count(*)::int AS n FROM links WHERE procore_entity IN ('requisition', 'requisition_item')
     GROUP BY acumatica_entity ORDER BY acumatica_entity`,
  );
  expect(billLinks).toEqual([
    { acumatica_entity: 'Bill', n: truth.bills.adopted },
    { acumatica_entity: 'BillDetail', n: truth.bills.adopted },
  ]);

  // Adopted change orders: linked, and the marker written only where no ExternalRefNbr was keyed.
  const { rows: coLinks } = await stack.db.query(
    `SELECT count(*)::int AS n FROM links WHERE procore_entity = 'commitment_change_order' AND acumatica_entity = 'ChangeOrder'`,
  );
  expect(coLinks[0].n).toBe(truth.changeOrders.adopted);
  const acuChangeOrders = await stack.acumatica.list('ChangeOrder', { select: ['RefNbr', 'ExternalRefNbr'] });
  const refOf = (nbr: string) => val(acuChangeOrders.find((c) => val(c.RefNbr) === nbr)!.ExternalRefNbr);
  for (const c of seed.changeOrders.filter((x) => x.category === 'number'))
    expect(refOf(c.acumatica[0].refNbr)).toBe(c.number);
  for (const c of seed.changeOrders.filter((x) => x.category === 'description_total'))
    expect(refOf(c.acumatica[0].refNbr)).toMatch(/^PROCORE-\d+$/);

  // Origin ids in Procore; the marker only where VendorRef was empty.
  const sc = report.records.find((r) => r.entity === 'work_order_contract' && r.rule === 'number')!;
  adoptedSubcontract = { procoreId: sc.procoreId, acumaticaKey: sc.acumaticaKey! };
  const project = (await stack.procore.listProjects(stack.companyId)).find((p) => p.project_number === 'IF-011')!;
  const contracts = await stack.procore.listWorkOrderContracts(stack.companyId, String(project.id));
  expect(contracts.every((c) => c.origin_id)).toBe(true);

  // A second run changes nothing: everything linked is unchanged.
  const again = await onboard(ctx(), { projects, dryRun: true });
  expect(commitments(again.report)).toEqual({
    adopted: 0,
    created: truth.commitments.created,
    unchanged: truth.commitments.adopted,
    review: truth.commitments.review,
    differing: 0,
  });
  expect(changeOrderCounts(again.report)).toEqual({
    adopted: 0,
    created: truth.changeOrders.created,
    unchanged: truth.changeOrders.adopted,
    review: truth.changeOrders.review,
    differing: 0,
  });
  for (const [entity, t] of Object.entries(budgetTruth))
    expect({ entity, ...countsOf(again.report, entity as keyof typeof budgetTruth) }).toEqual({
      entity,
      adopted: 0,
      created: t.created,
      unchanged: t.adopted,
      review: t.review,
      differing: 0,
    });
});

test('the direct cost import after onboarding updates adopted costs in place and holds back those under review', async () => {
  const inflight = (await stack.procore.listProjects(stack.companyId)).filter((p) =>
    projects.includes(p.project_number ?? ''),
  );
  const procoreCosts = async () => {
    const out = [];
    for (const p of inflight) {
      for (const d of await stack.procore.listDirectCosts(stack.companyId, String(p.id)))
        out.push({
          ...d,
          lines: await stack.procore.listDirectCostLineItems(stack.companyId, String(p.id), String(d.id)),
        });
    }
    return out;
  };
  const before = await procoreCosts();
  expect(before).toHaveLength(truth.directCosts.procore);
  // Adoption wrote the import's origin_ids onto the adopted costs and their lines.
  const adopted = before.filter((d) => d.origin_id);
  expect(adopted).toHaveLength(truth.directCosts.adopted);
  expect(adopted.every((d) => d.lines.every((l) => l.origin_id?.startsWith(`${d.origin_id}:`)))).toBe(true);

  const res = await stack.apiFetch(`/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities: ['direct_costs'] }),
  });
  expect(res.status).toBe(202);
  const { workflowId } = (await res.json()) as { workflowId: string };
  await stack.waitForWorkflow(workflowId);

  const after = await procoreCosts();
  // Only the Acumatica-only transactions were created; nothing adopted was duplicated.
  expect(after).toHaveLength(truth.directCosts.procore + truth.directCosts.created);
  for (const d of seed.directCosts.filter((x) => x.category === 'invoice_changed')) {
    const key = `AP:${d.acumatica[0].referenceNbr}`;
    const cost = after.find((c) => c.origin_id === key)!;
    // Acumatica is the source of imported costs: the hand-keyed line now carries its amount, on the same line.
    expect(cost.lines.map((l) => Number(l.amount)).sort()).toEqual(d.acumatica[0].lines.map((l) => l.amount).sort());
    expect(cost.lines).toHaveLength(2);
  }
  // The transactions under review are held back as import exceptions, naming the review list.
  const { rows } = await stack.db.query(
    `SELECT DISTINCT acumatica_key, reason FROM import_exceptions WHERE procore_company_id = $1 AND workflow_id LIKE $2`,
    [stack.companyId, `${workflowId}%`],
  );
  const held = seed.directCosts
    .filter((d) => ['near_miss', 'ambiguous', 'lines_differ'].includes(d.category))
    .flatMap((d) => d.acumatica.map((t) => `AP:${t.referenceNbr}`))
    .sort();
  expect(
    rows
      .filter((r) => /adoption review list/.test(r.reason))
      .map((r) => r.acumatica_key)
      .sort(),
  ).toEqual(held);
});

test('reconcile after onboarding lists exactly the seeded differences', async () => {
  const result = await reconcile(ctx(), { projects });
  const commitmentEntities = ['work_order_contract', 'purchase_order_contract', 'Subcontract', 'PurchaseOrder'];
  const byKind = (k: string) => result.items.filter((i) => i.kind === k && commitmentEntities.includes(i.entity));
  expect(byKind('difference').filter((i) => i.field === 'total')).toHaveLength(truth.reconcile.totalDifferences);
  expect(byKind('difference').filter((i) => i.field === 'description')).toHaveLength(
    truth.reconcile.descriptionDifferences,
  );
  expect(byKind('procore_only')).toHaveLength(truth.reconcile.procoreOnly);
  expect(byKind('acumatica_only')).toHaveLength(truth.reconcile.acumaticaOnly);
  expect(byKind('missing_in_acumatica')).toHaveLength(0);
  // Every difference is a seeded one: totals of changed_total, descriptions of description_differs.
  const seededTotals = seed.commitments
    .filter((c) => c.category === 'changed_total')
    .map((c) => `${c.number} ${c.title}`);
  expect(
    byKind('difference')
      .filter((i) => i.field === 'total')
      .map((i) => i.label)
      .sort(),
  ).toEqual(seededTotals.sort());

  // Commitment change orders: every adopted one compared without a difference; the unlinked ones on both sides.
  const coItems = (k: string) =>
    result.items.filter(
      (i) =>
        i.kind === k &&
        (i.entity === 'commitment_change_order' || (i.entity === 'ChangeOrder' && i.acumaticaKey!.startsWith('CO9'))),
    );
  const coTruth = truth.reconcile.changeOrders;
  expect(coItems('difference')).toHaveLength(coTruth.differences);
  expect(coItems('procore_only')).toHaveLength(coTruth.procoreOnly);
  expect(coItems('acumatica_only')).toHaveLength(coTruth.acumaticaOnly);
  expect(coItems('acumatica_only').every((i) => i.looksLikeProcore)).toBe(true);
  expect(coItems('missing_in_acumatica')).toHaveLength(0);

  // Bills: the adopted ones agree; the unlinked ones on both sides, each Acumatica one traced to an invoice.
  const billItems = (k: string) =>
    result.items.filter((i) => i.kind === k && (i.entity === 'requisition' || i.entity === 'Bill'));
  const billTruth = truth.reconcile.bills;
  expect(billItems('difference')).toHaveLength(billTruth.differences);
  expect(billItems('procore_only')).toHaveLength(billTruth.procoreOnly);
  expect(
    billItems('acumatica_only')
      .map((i) => i.acumaticaKey)
      .sort(),
  ).toEqual(
    seed.bills
      .filter((b) => b.category === 'near_miss' || b.category === 'ambiguous')
      .flatMap((b) => b.acumatica.map((a) => a.refNbr))
      .sort(),
  );
  expect(billItems('acumatica_only').every((i) => i.looksLikeProcore)).toBe(true);
  expect(billItems('missing_in_acumatica')).toHaveLength(0);
  // Budgets and direct costs: each entity's items against the seed truth.
  const entityItems = (entities: string[], k: string) =>
    result.items.filter((i) => i.kind === k && entities.includes(i.entity));
  const checks = [
    { name: 'primeChangeOrders', entities: ['prime_change_order'], acumatica: 'RevenueBudget' },
    { name: 'budgetChanges', entities: ['budget_change'], acumatica: 'CostBudget' },
    { name: 'primeContractLines', entities: ['prime_contract_line_item'], acumatica: 'Revenue' },
    { name: 'budgetLines', entities: ['budget_line_item'], acumatica: 'Cost' },
    { name: 'directCosts', entities: ['direct_cost', 'ProjectTransaction'], acumatica: '' },
  ] as const;
  for (const c of checks) {
    const t = truth.reconcile[c.name];
    expect({
      name: c.name,
      differences: entityItems([...c.entities], 'difference').length,
      procoreOnly: entityItems([...c.entities], 'procore_only').length,
      missing: entityItems([...c.entities], 'missing_in_acumatica').length,
    }).toEqual({ name: c.name, differences: t.differences, procoreOnly: t.procoreOnly, missing: 0 });
  }
  // Acumatica-only change orders of budgets, and budget rows, told apart by the keys the seed gave them.
  const acuOnly = result.items.filter((i) => i.kind === 'acumatica_only');
  const seededKeys = (cos: typeof seed.primeChangeOrders) =>
    cos
      .filter((x) => x.category === 'near_miss' || x.category === 'ambiguous')
      .flatMap((x) => x.acumatica.map((a) => a.refNbr))
      .sort();
  expect(
    acuOnly
      .filter((i) => i.entity === 'ChangeOrder' && i.acumaticaKey!.startsWith('CO8'))
      .map((i) => i.acumaticaKey)
      .sort(),
  ).toEqual(seededKeys(seed.primeChangeOrders));
  expect(
    acuOnly
      .filter((i) => i.entity === 'ChangeOrder' && i.acumaticaKey!.startsWith('CO7'))
      .map((i) => i.acumaticaKey)
      .sort(),
  ).toEqual(seededKeys(seed.budgetChanges));
  expect(acuOnly.filter((i) => i.entity === 'ProjectBudget' && i.acumaticaKey!.endsWith(':Revenue'))).toHaveLength(
    truth.reconcile.primeContractLines.acumaticaOnly,
  );
  expect(
    acuOnly.filter((i) => i.entity === 'ProjectBudget' && i.acumaticaKey!.endsWith(':Cost')).map((i) => i.acumaticaKey),
  ).toEqual(['IF001:01:OTHER:26-050:Cost']);
  expect(acuOnly.filter((i) => i.entity === 'ProjectTransaction')).toHaveLength(
    truth.reconcile.directCosts.acumaticaOnly,
  );
  const r = truth.reconcile;
  expect(result.compared).toBe(
    truth.commitments.adopted +
      coTruth.compared +
      billTruth.compared +
      r.primeChangeOrders.compared +
      r.budgetChanges.compared +
      r.primeContractLines.compared +
      r.budgetLines.compared +
      r.directCosts.compared,
  );

  // The same report through the API (run as a workflow), as JSON and CSV.
  const api = await stack.apiFetch(`/companies/${stack.companyId}/reconciliation?project=${projects.join(',')}`);
  expect(api.status).toBe(200);
  expect(((await api.json()) as { items: unknown[] }).items).toHaveLength(result.items.length);
  const csv = await stack.apiFetch(
    `/companies/${stack.companyId}/reconciliation?project=${projects.join(',')}&format=csv`,
  );
  expect((await csv.text()).trim().split('\n')).toHaveLength(1 + result.items.length);
});

test('exceptions: the review list is visible; retry after fixing a near miss adopts it once; dismiss hides one', async () => {
  const list = async () => {
    const res = await stack.apiFetch(`/companies/${stack.companyId}/exceptions`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { exceptions: ExceptionItem[] }).exceptions;
  };
  const open = await list();
  const reviewCount =
    truth.commitments.review +
    truth.changeOrders.review +
    truth.bills.review +
    truth.directCosts.review +
    budgetReviews;
  expect(open.filter((e) => e.kind === 'review')).toHaveLength(reviewCount);

  // Fix the seeded near miss (k = 2) in Acumatica: its first line gets the Procore amount back.
  const nearMiss = seed.commitments.find((c) => c.category === 'near_miss')!;
  const item = open.find((e) => e.label === `${nearMiss.number} ${nearMiss.title}`)!;
  const acuNbr = nearMiss.acumatica[0].nbr;
  const [doc] = await stack.acumatica.list('Subcontract', {
    filter: `SubcontractNbr eq '${acuNbr}'`,
    expand: ['Details'],
  });
  const line = (doc.Details as Array<{ id: string }>)[0];
  await stack.acumatica.put(
    'Subcontract',
    { id: doc.id, Details: [{ id: line.id, Amount: nearMiss.lines[0].amount, UnitCost: nearMiss.lines[0].amount }] },
    { mode: 'update' },
  );

  const first = await retryException(ctx(), item.id);
  expect(first).toMatchObject({ outcome: 'adopted', record: { acumaticaKey: acuNbr, rule: 'description_total' } });
  const second = await retryException(ctx(), item.id);
  expect(second.outcome).toBe('unchanged');
  const links = await stack.db.query(
    `SELECT count(*)::int AS n FROM links WHERE acumatica_entity = 'Subcontract' AND acumatica_key = $1`,
    [acuNbr],
  );
  expect(links.rows[0].n).toBe(1);

  const ambiguous = (await list()).filter((e) => e.kind === 'review');
  expect(ambiguous).toHaveLength(reviewCount - 1);
  const dismissed = await stack.apiFetch(
    `/companies/${stack.companyId}/exceptions/${encodeURIComponent(ambiguous[0].id)}/dismiss`,
    { method: 'POST' },
  );
  expect(dismissed.status).toBe(200);
  expect((await list()).filter((e) => e.kind === 'review')).toHaveLength(reviewCount - 2);
});

test('an export of an adopted subcontract updates it in place', async () => {
  const before = await acumaticaCommitmentCount();
  const { workflowId } = await stack.accept(adoptedSubcontract.procoreId);
  const result = await stack.waitForWorkflow<{ status: string; acumaticaKey?: string; messages: string[] }>(workflowId);
  expect(result).toMatchObject({ status: 'success', acumaticaKey: adoptedSubcontract.acumaticaKey });
  expect(await acumaticaCommitmentCount()).toBe(before);
  const found = await stack.acumatica.list('Subcontract', {
    filter: `SubcontractNbr eq '${adoptedSubcontract.acumaticaKey}'`,
  });
  expect(found).toHaveLength(1);
  expect(val(found[0].VendorRef)).toBe(`PROCORE-${adoptedSubcontract.procoreId}`);
});

test('an export of an adopted commitment change order updates it in place', async () => {
  const seeded = seed.changeOrders.find((c) => c.category === 'number')!;
  const { rows } = await stack.db.query(
    `SELECT procore_id FROM links WHERE procore_entity = 'commitment_change_order' AND acumatica_key = $1`,
    [seeded.acumatica[0].refNbr],
  );
  expect(rows).toHaveLength(1);
  const count = async () => (await stack.acumatica.list('ChangeOrder', { select: ['RefNbr'] })).length;
  const before = await count();
  const { workflowId } = await stack.accept(rows[0].procore_id, { item_type: 'commitment_change_order' });
  const result = await stack.waitForWorkflow<{ status: string; acumaticaKey?: string }>(workflowId);
  expect(result).toMatchObject({ status: 'success', acumaticaKey: seeded.acumatica[0].refNbr });
  expect(await count()).toBe(before);
  const [doc] = await stack.acumatica.list('ChangeOrder', {
    filter: `RefNbr eq '${seeded.acumatica[0].refNbr}'`,
    expand: ['Commitments'],
  });
  // The export takes the record over (its marker), and leaves its one commitment line as it was.
  expect(val(doc.ExternalRefNbr)).toBe(`PROCORE-${rows[0].procore_id}`);
  expect((doc.Commitments as unknown[]).length).toBe(1);
});

test('exceptions retry of a failed export, after the fix, exports the record once', async () => {
  const glazing = DEMO_SUBCONTRACTS[2]; // its vendor is in Procore only: the export fails
  const { workflowId } = await stack.accept(glazing.procoreId);
  expect((await stack.waitForWorkflow<{ status: string }>(workflowId)).status).toBe('failed');
  const list = async () => {
    const res = await stack.apiFetch(`/companies/${stack.companyId}/exceptions`);
    return ((await res.json()) as { exceptions: ExceptionItem[] }).exceptions.filter((e) => e.kind === 'export');
  };
  const [failed] = await list();
  expect(failed).toMatchObject({ workflowId, reason: 'export_failed' });
  expect(failed.detail).toMatch(/is not linked/);

  // The fix: export the vendor; then retry the failed export, twice.
  const vendor = await stack.accept(glazing.vendorProcoreId, { item_type: 'vendor' });
  expect((await stack.waitForWorkflow<{ status: string }>(vendor.workflowId)).status).toBe('success');
  const retry = () =>
    stack
      .apiFetch(`/companies/${stack.companyId}/exceptions/${encodeURIComponent(failed.id)}/retry`, {
        method: 'POST',
      })
      .then((r) => r.json() as Promise<{ outcome: string }>);
  expect((await retry()).outcome).toBe('exported');
  expect(await stack.subcontractsFor(glazing.procoreId)).toHaveLength(1);
  expect((await retry()).outcome).toBe('unchanged');
  expect(await stack.subcontractsFor(glazing.procoreId)).toHaveLength(1);
  expect(await list()).toHaveLength(0);
});

test('an export of an adopted bill finds it, and never overwrites the vendor invoice number keyed on it', async () => {
  const seeded = seed.bills.find((b) => b.category === 'invoice_number')!;
  const refNbr = seeded.acumatica[0].refNbr;
  const { rows } = await stack.db.query(
    `SELECT procore_id FROM links WHERE procore_entity = 'requisition' AND acumatica_key = $1`,
    [refNbr],
  );
  expect(rows).toHaveLength(1);
  const count = async () => (await stack.acumatica.list('Bill', { select: ['ReferenceNbr'] })).length;
  const before = await count();
  await clearRequests(stack.acumaticaUrl);
  const { workflowId } = await stack.accept(rows[0].procore_id, { item_type: 'requisition' });
  const result = await stack.waitForWorkflow<{ status: string; acumaticaKey?: string; messages: string[] }>(workflowId);
  expect(result).toMatchObject({ status: 'success', acumaticaKey: refNbr });
  expect(await count()).toBe(before);
  // Its amounts agree and it is released: nothing is sent to it.
  expect((await requests(stack.acumaticaUrl)).filter((r) => r.method !== 'GET' && r.path.endsWith('/Bill'))).toEqual(
    [],
  );
  const [doc] = await stack.acumatica.list('Bill', { filter: `ReferenceNbr eq '${refNbr}'`, expand: ['Details'] });
  expect(val(doc.VendorRef)).toBe(seeded.invoiceNumber);
  expect((doc.Details as unknown[]).length).toBe(1);
});

test('an export of an adopted prime contract change order updates it in place', async () => {
  const seeded = seed.primeChangeOrders.find((c) => c.category === 'description_total')!;
  const refNbr = seeded.acumatica[0].refNbr;
  const { rows } = await stack.db.query(
    `SELECT procore_id FROM links WHERE procore_entity = 'prime_change_order' AND acumatica_key = $1`,
    [refNbr],
  );
  expect(rows).toHaveLength(1);
  const count = async () => (await stack.acumatica.list('ChangeOrder', { select: ['RefNbr'] })).length;
  const before = await count();
  const { workflowId } = await stack.accept(rows[0].procore_id, { item_type: 'prime_change_order' });
  const result = await stack.waitForWorkflow<{ status: string; acumaticaKey?: string; messages: string[] }>(workflowId);
  expect(result).toMatchObject({ status: 'success', acumaticaKey: refNbr });
  expect(await count()).toBe(before);
  const [doc] = await stack.acumatica.list('ChangeOrder', {
    filter: `RefNbr eq '${refNbr}'`,
    expand: ['RevenueBudget'],
  });
  expect(val(doc.ExternalRefNbr)).toBe(`PROCORE-${rows[0].procore_id}`);
  const lines = doc.RevenueBudget as Array<Record<string, unknown>>;
  expect(lines.map((l) => [val(l.CostCode), Number(val(l.Amount))])).toEqual([
    [seeded.line.costCode, seeded.line.amount],
  ]);
});

test('an export of an adopted prime contract rewrites its revenue rows in place, with the Procore amounts', async () => {
  const seeded = seed.primeContracts.find((p) => p.category === 'changed')!;
  const projectKey = INFLIGHT_PROJECTS[seeded.p].acumaticaProjectId;
  const { rows } = await stack.db.query(
    `SELECT procore_id FROM links WHERE procore_entity = 'prime_contract' AND acumatica_key = $1`,
    [`${projectKey}:revenue-budget`],
  );
  expect(rows).toHaveLength(1);
  const revenueRows = async () =>
    (await stack.acumatica.list('ProjectBudget', { filter: `ProjectID eq '${projectKey}' and Type eq 'Revenue'` }))
      .map((r) => [val(r.CostCode), Number(val(r.OriginalBudgetedAmount))])
      .sort();
  const before = await revenueRows();
  expect(before).toHaveLength(2);
  const { workflowId } = await stack.accept(rows[0].procore_id, { item_type: 'prime_contract' });
  const result = await stack.waitForWorkflow<{ status: string; messages: string[] }>(workflowId);
  expect(result).toMatchObject({ status: 'success' });
  // Still two rows (updated by key, none added), now carrying Procore's amounts: the reported difference is gone.
  expect(await revenueRows()).toEqual(seeded.contracts[0].lines.map((l) => [l.costCode, l.amount]).sort());
});
