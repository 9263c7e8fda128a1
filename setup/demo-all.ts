/**
 * `npm run demo -- --all`: exports every document of the second demo project (REAL_PROJECT, shaped like a real one)
 * and a company-level direct cost spanning it and the first demo project, in the order an accounting team would
 * approve them, acts as the AP clerk where Acumatica needs one (bills are
 * released before their retainage is), then prints each Acumatica document line by line (task, branch, amount,
 * retainage) beside its Procore source and checks every figure under the rounding rule of README "Money".
 *
 * The check is written here again, independently of mappings/money.ts, so the demo does not grade the
 * connector's arithmetic with the connector's own code: line amounts rounded half-up to the cent; where the
 * document total must match, the difference between the rounded total and the rounded lines on the largest line.
 */
import Decimal from 'decimal.js';
import { DEMO_PROJECT, REAL_PROJECT } from 'simulator-common';
import { customVal, val, type AcumaticaClient, type AcumaticaRecord } from '../clients/acumatica/client';
import { eq } from '../clients/acumatica/odata';
import type { ProcoreClient } from '../clients/procore/client';
import { procoreMarker } from '../lib/ids';

export interface DemoAllDeps {
  procore: ProcoreClient;
  acumatica: AcumaticaClient;
  companyId: string;
  exportItem(itemType: string, itemId: string): Promise<{ status: string; messages: string[] }>;
  runImport(entities: string[]): Promise<void>;
  log(line: string): void;
}

type Rec = AcumaticaRecord;
const P = REAL_PROJECT;
const cents = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const text = (v: Decimal.Value) => new Decimal(v).toFixed(2);
const details = (r: Rec, name = 'Details') => (r[name] as Rec[] | undefined) ?? [];

/** The documented rule, computed from Procore's amounts: what each Acumatica line must hold. */
export function ruleAmounts(amounts: Decimal.Value[], total?: Decimal.Value): Decimal[] {
  const exact = amounts.map((a) => new Decimal(a));
  const rounded = exact.map(cents);
  if (rounded.length === 0) return rounded;
  const want = cents(total ?? exact.reduce((s, a) => s.plus(a), new Decimal(0)));
  const diff = want.minus(rounded.reduce((s, a) => s.plus(a), new Decimal(0)));
  const largest = exact.reduce((best, a, i) => (a.abs().gt(exact[best].abs()) ? i : best), 0);
  rounded[largest] = rounded[largest].plus(diff);
  return rounded;
}

export async function runDemoAll(d: DemoAllDeps): Promise<{ ok: boolean; failures: string[] }> {
  const exported = await exportAll(d);
  return exported.ok ? verifyAll(d) : exported;
}

/** Exports every document of the project, in approval order; the failures say which did not export and why. */
export async function exportAll(d: DemoAllDeps): Promise<{ ok: boolean; failures: string[] }> {
  const failures: string[] = [];
  const exportStep = async (label: string, itemType: string, itemId: string) => {
    const r = await d.exportItem(itemType, itemId);
    d.log(`  ${r.status === 'success' ? 'exported' : 'FAILED  '}  ${label}: ${r.messages.join(' ')}`);
    if (r.status !== 'success') failures.push(`${label} did not export: ${r.messages.join(' ')}`);
  };

  d.log(`${P.projectNumber} ${P.name}: exporting every document`);
  await d.runImport(['cost_types']);
  d.log('  imported  cost types (the budget maps each to its Acumatica account group)');
  await exportStep(`project ${P.projectNumber}`, 'project', P.procoreId);
  // Projects exported from Procore start on the connection's branch; this one belongs to the Western Slope.
  await d.acumatica.put('Project', {
    ProjectID: P.acumaticaProjectId,
    BillingAndAllocationSettings: { Branch: P.branch },
  });
  d.log(`  accountant sets project ${P.acumaticaProjectId}'s billing branch to ${P.branch} in Acumatica (PM301000)`);
  await exportStep('budget', 'budget', P.budget.procoreId);
  await exportStep(P.subcontract.number, 'work_order_contract', P.subcontract.procoreId);
  await exportStep(P.changeOrder.number, 'commitment_change_order', P.changeOrder.procoreId);
  const [first, second, release] = P.requisitions;
  for (const r of [first, second]) await exportStep(`Pay App #${r.number}`, 'requisition', r.procoreId);
  for (const r of [first, second]) {
    const bill = await ownBill(d, r.procoreId);
    if (bill && ['Balanced', 'On Hold'].includes(String(val(bill.Status))))
      await d.acumatica.invokeAction('Bill', 'ReleaseBill', {
        entity: { Type: 'Bill', ReferenceNbr: val(bill.ReferenceNbr) },
      });
  }
  d.log('  AP clerk releases the bills of pay apps #1 and #2 in Acumatica (AP301000)');
  await exportStep(`Pay App #${release.number} (retention release)`, 'requisition', release.procoreId);
  const dc = P.companyDirectCost;
  await exportStep(
    `direct cost ${dc.invoiceNumber} (company level, two projects)`,
    'company_level_direct_cost',
    dc.procoreId,
  );
  return { ok: failures.length === 0, failures };
}

/** Prints every exported document line by line and checks each figure against Procore under the rule. */
export async function verifyAll(d: DemoAllDeps): Promise<{ ok: boolean; failures: string[] }> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
    return ok ? 'ok' : 'WRONG';
  };
  d.log('');
  const taskOfSubJob = (code: string) => code.toUpperCase();
  const tasks = await d.acumatica.list('ProjectTask', { filter: eq('ProjectID', P.acumaticaProjectId) });
  const defaultTask = String(val(tasks.find((t) => val(t.Default) === true)?.ProjectTaskID) ?? '01');

  // Subcontract: lines on their sub jobs' tasks, the project's branch, amounts under the rule, 10 % retainage.
  const procoreSc = await d.procore.getWorkOrderContract(d.companyId, P.procoreId, P.subcontract.procoreId);
  const [sc] = await d.acumatica.list('Subcontract', {
    filter: eq('VendorRef', procoreMarker(P.subcontract.procoreId)),
    expand: ['Details'],
  });
  const scWant = ruleAmounts(
    P.subcontract.lines.map((l) => l.amount),
    procoreSc.grand_total ?? undefined,
  );
  d.log(`Subcontract ${String(val(sc.SubcontractNbr))} (${P.subcontract.number}), branch ${String(val(sc.Branch))}:`);
  check(val(sc.Branch) === P.branch, `subcontract branch ${String(val(sc.Branch))}`);
  details(sc).forEach((l, i) => {
    const src = P.subcontract.lines[i];
    const ok =
      val(l.Task) === taskOfSubJob(src.subJobCode) &&
      val(l.BranchID) === P.branch &&
      new Decimal(Number(val(l.Amount))).eq(scWant[i]) &&
      Number(val(l.RetainagePct)) === 10;
    d.log(
      `  line ${i + 1}  task ${String(val(l.Task))}  branch ${String(val(l.BranchID))}  amount ${text(Number(val(l.Amount)))} (Procore ${src.amount}, rule ${text(scWant[i])})  retainage ${String(val(l.RetainagePct))} %  ${check(ok, `subcontract line ${i + 1}`)}`,
    );
  });
  const scTotal = details(sc).reduce((s, l) => s.plus(Number(val(l.Amount))), new Decimal(0));
  d.log(
    `  total ${text(scTotal)} (Procore ${String(procoreSc.grand_total)})  ${check(scTotal.eq(cents(procoreSc.grand_total ?? 0)), 'subcontract total')}`,
  );

  // Commitment change order: a changed line on that line's task, new scope on the default task.
  const [co] = await d.acumatica.list('ChangeOrder', {
    filter: eq('ExternalRefNbr', procoreMarker(P.changeOrder.procoreId)),
    expand: ['Commitments'],
  });
  const coWant = ruleAmounts(P.changeOrder.lines.map((l) => l.amount));
  d.log(`Change order ${String(val(co.RefNbr))} (${P.changeOrder.number}):`);
  details(co, 'Commitments').forEach((l, i) => {
    const src = P.changeOrder.lines[i];
    const changed = P.subcontract.lines.find((s) => s.procoreId === src.changesLineProcoreId);
    const task = changed ? taskOfSubJob(changed.subJobCode) : defaultTask;
    const ok = val(l.ProjectTaskID) === task && new Decimal(Number(val(l.Amount))).eq(coWant[i]);
    d.log(
      `  line ${i + 1}  task ${String(val(l.ProjectTaskID))}  amount ${text(Number(val(l.Amount)))} (Procore ${src.amount}, rule ${text(coWant[i])})  ${check(ok, `change order line ${i + 1}`)}`,
    );
  });

  // Budget: the two lines of one budget code are one Acumatica line of their exact sum, then the rule.
  const groups = new Map<string, Array<(typeof P.budget.lines)[number]>>();
  for (const l of P.budget.lines)
    groups.set(`${l.subJobCode}|${l.costCode}`, [...(groups.get(`${l.subJobCode}|${l.costCode}`) ?? []), l]);
  const groupList = [...groups.values()];
  const budgetWant = ruleAmounts(groupList.map((g) => g.reduce((s, l) => s.plus(l.amount), new Decimal(0))));
  const budget = await d.acumatica.list('ProjectBudget', { filter: eq('ProjectID', P.acumaticaProjectId) });
  d.log(`Budget of ${P.acumaticaProjectId}: ${budget.length} cost lines for ${P.budget.lines.length} Procore lines`);
  groupList.forEach((g, i) => {
    const row = budget.find(
      (b) => val(b.ProjectTaskID) === taskOfSubJob(g[0].subJobCode) && val(b.CostCode) === g[0].costCode,
    );
    const amount = Number(val(row?.OriginalBudgetedAmount) ?? NaN);
    const ok = row !== undefined && new Decimal(amount).eq(budgetWant[i]);
    d.log(
      `  task ${g[0].subJobCode}  ${g[0].costCode}  amount ${row ? text(amount) : '(missing)'} (Procore ${g.map((l) => l.amount).join(' + ')}, rule ${text(budgetWant[i])})  ${check(ok, `budget line ${g[0].subJobCode} ${g[0].costCode}`)}`,
    );
  });
  check(budget.length === groupList.length, `budget has ${budget.length} lines, expected ${groupList.length}`);

  // Bills: work lines, then stored-material lines; retainage to the cent; the project's branch.
  const retained: Decimal[] = [];
  for (const r of P.requisitions) {
    const bill = (await ownBill(d, r.procoreId, true))!;
    const items = r.items as ReadonlyArray<{
      work: string;
      retainage: string;
      storedMaterials?: string;
      storedRetainage?: string;
    }>;
    const stored = items.flatMap((it, i) => (it.storedMaterials ? [{ ...it, i }] : []));
    const srcLines = [
      ...items.map((it, i) => ({ amount: it.work, retainage: it.retainage, line: i })),
      ...stored.map((it) => ({ amount: it.storedMaterials!, retainage: it.storedRetainage ?? '0', line: it.i })),
    ];
    const amountWant = ruleAmounts(srcLines.map((s) => s.amount));
    const retainWant = ruleAmounts(srcLines.map((s) => s.retainage));
    d.log(
      `Bill ${String(val(bill.ReferenceNbr))} (Pay App #${r.number}), branch ${String(val(bill.BranchID))}, status ${String(val(bill.Status))}:`,
    );
    check(val(bill.BranchID) === P.branch, `bill of pay app #${r.number}: branch`);
    details(bill).forEach((l, i) => {
      const src = srcLines[i];
      const task = taskOfSubJob(P.subcontract.lines[src.line].subJobCode);
      const ret = Number(customVal(l, 'Transactions', 'CuryRetainageAmt') ?? 0);
      const ok =
        val(l.ProjectTask) === task &&
        val(l.Branch) === P.branch &&
        new Decimal(Number(val(l.Amount))).eq(amountWant[i]) &&
        new Decimal(ret).eq(retainWant[i]);
      d.log(
        `  line ${i + 1}  task ${String(val(l.ProjectTask))}  branch ${String(val(l.Branch))}  amount ${text(Number(val(l.Amount)))} (Procore ${src.amount})  retainage ${text(ret)} (Procore ${src.retainage})  ${String(val(l.TransactionDescription)).slice(0, 40)}  ${check(ok, `bill of pay app #${r.number} line ${i + 1}`)}`,
      );
    });
    const total = Number(val(bill.Amount));
    const retTotal = Number(customVal(bill, 'Document', 'CuryRetainageTotal') ?? 0);
    const totalWant = cents(srcLines.reduce((s, l) => s.plus(l.amount), new Decimal(0)));
    const retWant = cents(srcLines.reduce((s, l) => s.plus(l.retainage), new Decimal(0)));
    d.log(
      `  total ${text(total)} (Procore ${text(totalWant)})  retained ${text(retTotal)} (Procore ${text(retWant)})  ${check(new Decimal(total).eq(totalWant) && new Decimal(retTotal).eq(retWant), `bill of pay app #${r.number} totals`)}`,
    );
    retained.push(retWant);
  }

  // Retention release: Procore's released amount, taken from the oldest bills first.
  let toRelease = P.requisitions
    .flatMap((r) => r.items as ReadonlyArray<{ released?: string }>)
    .reduce((s, it) => s.plus(it.released ?? 0), new Decimal(0));
  d.log(`Retention release: Procore released ${text(toRelease)}`);
  for (const [n, r] of P.requisitions.entries()) {
    const releasedHere = Decimal.min(retained[n], toRelease);
    toRelease = toRelease.minus(releasedHere);
    const bill = (await ownBill(d, r.procoreId, true))!;
    const unreleased = Number(customVal(bill, 'Document', 'CuryRetainageUnreleasedAmt') ?? 0);
    const want = retained[n].minus(releasedHere);
    d.log(
      `  bill ${String(val(bill.ReferenceNbr))} (Pay App #${r.number})  retained ${text(retained[n])}  unreleased ${text(unreleased)} (expected ${text(want)})  ${check(new Decimal(unreleased).eq(want), `unreleased retainage of pay app #${r.number}'s bill`)}`,
    );
  }
  // Company-level direct cost: one bill, each line on its own project, task and branch; the rule to the total.
  const dc = P.companyDirectCost;
  const [dcBill] = await d.acumatica.list('Bill', {
    filter: eq('VendorRef', procoreMarker(`DC${dc.procoreId}`)),
    expand: ['Details'],
  });
  const dcWant = ruleAmounts(dc.lines.map((l) => l.amount));
  const demoTasks = await d.acumatica.list('ProjectTask', { filter: eq('ProjectID', DEMO_PROJECT.acumaticaProjectId) });
  const demoDefault = String(val(demoTasks.find((t) => val(t.Default) === true)?.ProjectTaskID) ?? '01');
  d.log(`Bill ${String(val(dcBill?.ReferenceNbr))} (direct cost ${dc.invoiceNumber}, company level):`);
  check(details(dcBill ?? {}).length === dc.lines.length, `direct cost bill has ${details(dcBill ?? {}).length} lines`);
  details(dcBill ?? {}).forEach((l, i) => {
    const src = dc.lines[i];
    const here = src.project === 'this';
    const want = {
      project: here ? P.acumaticaProjectId : DEMO_PROJECT.acumaticaProjectId,
      task: src.subJobCode ? taskOfSubJob(src.subJobCode) : demoDefault,
      branch: here ? P.branch : DEMO_PROJECT.branch,
    };
    const ok =
      val(l.Project) === want.project &&
      val(l.ProjectTask) === want.task &&
      val(l.Branch) === want.branch &&
      new Decimal(Number(val(l.Amount))).eq(dcWant[i]);
    d.log(
      `  line ${i + 1}  project ${String(val(l.Project))}  task ${String(val(l.ProjectTask))}  branch ${String(val(l.Branch))}  amount ${text(Number(val(l.Amount)))} (Procore ${src.amount}, rule ${text(dcWant[i])})  ${check(ok, `direct cost bill line ${i + 1}`)}`,
    );
  });

  d.log('');
  d.log(
    failures.length === 0
      ? 'Every figure equals its Procore source under the documented rule.'
      : `${failures.length} figure(s) differ: ${failures.join('; ')}`,
  );
  return { ok: failures.length === 0, failures };
}

/** The pay app's own bill (a retainage release copies its VendorRef onto the retainage bills it creates). */
async function ownBill(d: DemoAllDeps, requisitionId: string, withDetails = false): Promise<Rec | undefined> {
  const bills = await d.acumatica.list('Bill', {
    filter: eq('VendorRef', procoreMarker(requisitionId)),
    ...(withDetails
      ? {
          expand: ['Details'],
          custom: [
            'Document.CuryRetainageTotal',
            'Document.CuryRetainageUnreleasedAmt',
            'Transactions.CuryRetainageAmt',
          ],
        }
      : {}),
  });
  return bills.sort((a, b) => String(val(a.ReferenceNbr)).localeCompare(String(val(b.ReferenceNbr))))[0];
}
