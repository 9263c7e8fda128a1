/**
 * The `inflight` seed (both simulators): a company connected while already in flight. On top of the demo
 * contractor, 30 projects exist in both systems (Procore project number IF-001 = Acumatica ExternalRefNbr, the
 * Acumatica ProjectID is IF001) with 6 vendors of the same name on both sides, and 120 commitments keyed in
 * both by hand (90 subcontracts, 30 purchase orders), in these categories (k = commitment index 0..119):
 *
 *   k 0-1    ambiguous        Acumatica holds TWO records with the Procore description and total, no number
 *   k 2-3    near miss        Acumatica description agrees, total differs, no number
 *   k 4-7    Procore only     nothing in Acumatica
 *   k 8-15   changed total    Acumatica VendorRef = Procore number, one line amount differs (+1,000.00)
 *   k 16-23  description      Acumatica VendorRef = Procore number, description differs (" (rev)")
 *   k 24-39  description+total  Acumatica has its own number, no VendorRef, same description and total
 *   k 40-119 same number      even k: Procore number = Acumatica document number; odd k: VendorRef = number
 *
 * plus 3 Acumatica-only subcontracts (nothing in Procore). Commitment change orders: the 20 subcontracts of the
 * same-number block with k % 4 = 0 each have one approved Procore CCO (number CO-<k>, one line on the
 * subcontract's first line), in these categories (j = index 0..19 among them):
 *
 *   j 0-9    number           Acumatica ChangeOrder ExternalRefNbr = the Procore CCO number
 *   j 10-15  description_total  no ExternalRefNbr, same description and commitment total
 *   j 16     near miss        same description, total differs
 *   j 17     ambiguous        two Acumatica change orders with the same description and total
 *   j 18-19  Procore only     nothing in Acumatica
 *
 * Direct costs (imported from Acumatica's released project transactions): 15 AP invoices on the first projects
 * (i = 0..14), Procore direct costs keyed by hand without origin_id:
 *
 *   i 0-3    invoice number   Procore invoice_number = the transaction's OriginalDocNbr, same lines
 *   i 4-5    invoice number   the same, one Procore line +100.00 (adopted, the totals differ)
 *   i 6-8    date and total   no invoice number; same type, date, vendor and total
 *   i 9      near miss        no invoice number; same date and vendor, total differs
 *   i 10     ambiguous        two Acumatica transactions of the same date, vendor and total
 *   i 11     lines differ     invoice number agrees, Procore keyed one line for Acumatica's two
 *   i 12     Procore only     nothing in Acumatica (left alone)
 *   i 13-14  Acumatica only   nothing in Procore (the next import creates them)
 *
 * Subcontractor invoices (Procore requisitions -> Acumatica AP bills, released): the first 12 subcontracts of the
 * same-number block with k % 4 = 2 each have one Procore invoice (invoice number INV-<k>, one line billing the
 * subcontract's first line, dated 2024-03-31), in these categories (j = 0..11):
 *
 *   j 0-5    invoice number   the bill's VendorRef = the Procore invoice number
 *   j 6-8    date and total   VendorRef is another reference (the vendor's scan id); same date and total
 *   j 9      near miss        same date, total differs
 *   j 10     ambiguous        two bills of the same date and total
 *   j 11     Procore only     nothing in Acumatica
 *
 * Revenue and cost budgets (written to Acumatica as ProjectBudget rows keyed naturally, task 01):
 *  - prime contracts on projects p = 0..9 (number PC-IF-<nnn>, two lines), against the project's Revenue rows:
 *      p 0-5  same          a Revenue row per line (cost code), same amounts
 *      p 6-7  changed       the second row's amount differs (+5,000.00): adopted, differing
 *      p 8    Procore only  no Revenue rows (the first export creates them)
 *      p 9    two contracts Procore holds a second prime contract on the project: one revenue budget, two
 *                           claimants, both to review (ambiguous)
 *  - prime contract change orders, one on each of the prime contracts of p = 0..7 (j = p), against change orders
 *    with RevenueBudget lines: j 0-2 number (ExternalRefNbr), 3-4 description_total, 5 near miss, 6 ambiguous,
 *    7 Procore only;
 *  - budget changes (number 1, one Labor line) on projects p = 10..15 (j = p - 10), against change orders with
 *    CostBudget lines: j 0-1 number (ExternalRefNbr = "1"), 2 description_total, 3 near miss, 4 ambiguous,
 *    5 Procore only;
 *  - budgets: two cost lines (Subcontract and Labor cost types) on projects p = 0..9, against Cost rows of the
 *    same cost code and account group: p 0-6 same, p 7-8 the first row differs (+2,500.00), p 9 Procore only;
 *    plus one Acumatica-only Cost row on project 0.
 *
 * Both seeds derive from inflightDataset(), and INFLIGHT_TRUTH holds what adoption and reconciliation must find
 * (tests assert against it).
 */
import { DEMO_COST_CODES } from './demo-data';

export interface InflightLine {
  costCode: string;
  description: string;
  amount: number;
}

export interface InflightCommitment {
  k: number;
  kind: 'work_order_contract' | 'purchase_order_contract';
  category:
    | 'ambiguous'
    | 'near_miss'
    | 'procore_only'
    | 'changed_total'
    | 'description_differs'
    | 'description_total'
    | 'same_number';
  projectNumber: string;
  vendorIndex: number;
  /** Procore number and title; Procore lines. */
  number: string;
  title: string;
  lines: InflightLine[];
  /** The Acumatica records keyed by hand for it (0, 1 or 2). */
  acumatica: InflightAcumaticaCommitment[];
}

export interface InflightAcumaticaCommitment {
  entity: 'Subcontract' | 'PurchaseOrder';
  nbr: string;
  projectId: string;
  vendorIndex: number;
  vendorRef: string | null;
  description: string;
  lines: InflightLine[];
}

export interface InflightChangeOrder {
  j: number;
  category: 'number' | 'description_total' | 'near_miss' | 'ambiguous' | 'procore_only';
  /** The commitment it changes (index k) and that commitment's Acumatica number. */
  commitmentK: number;
  commitmentNbr: string;
  projectNumber: string;
  number: string;
  title: string;
  /** One line, on the commitment's first line (its cost code). */
  line: InflightLine;
  /** The Acumatica change orders keyed by hand for it (0, 1 or 2). */
  acumatica: InflightAcumaticaChangeOrder[];
}

export interface InflightAcumaticaChangeOrder {
  refNbr: string;
  projectId: string;
  externalRef: string | null;
  description: string;
  commitmentEntity: 'Subcontract';
  commitmentNbr: string;
  vendorIndex: number;
  line: InflightLine;
}

export interface InflightDirectCost {
  i: number;
  category:
    | 'invoice_number'
    | 'invoice_changed'
    | 'date_total'
    | 'near_miss'
    | 'ambiguous'
    | 'lines_differ'
    | 'procore_only'
    | 'acumatica_only';
  projectNumber: string;
  vendorIndex: number;
  date: string;
  /** The Procore direct cost keyed by hand (none for acumatica_only). */
  procore: { invoiceNumber: string | null; description: string; lines: InflightLine[] } | null;
  /** The released AP project transactions (Module AP), 0, 1 or 2. */
  acumatica: Array<{ referenceNbr: string; originalDocNbr: string; description: string; lines: InflightLine[] }>;
}

export interface InflightBill {
  j: number;
  category: 'invoice_number' | 'date_total' | 'near_miss' | 'ambiguous' | 'procore_only';
  /** The subcontract it bills (index k) and that subcontract's Acumatica number. */
  commitmentK: number;
  commitmentNbr: string;
  projectNumber: string;
  vendorIndex: number;
  invoiceNumber: string;
  date: string;
  /** One line, billing the subcontract's first line. */
  line: InflightLine;
  /** The Acumatica bills keyed by hand for it (0, 1 or 2). */
  acumatica: InflightAcumaticaBill[];
}

export interface InflightAcumaticaBill {
  refNbr: string;
  vendorRef: string;
  date: string;
  projectId: string;
  commitmentNbr: string;
  vendorIndex: number;
  line: InflightLine;
}

/** A budget or revenue line: task 01, the account group (cost type) it is budgeted under. */
export interface InflightBudgetLine extends InflightLine {
  /** Procore cost type code (S, L) of a cost line; null for revenue lines. */
  costType: 'S' | 'L' | null;
  /** The Acumatica account group of the row (the cost type's, or REVENUE). */
  accountGroup: string;
}

export interface InflightPrimeContract {
  p: number;
  category: 'same' | 'changed' | 'procore_only' | 'two_contracts';
  projectNumber: string;
  /** The Procore prime contracts on the project (two for two_contracts). */
  contracts: Array<{ number: string; title: string; lines: InflightBudgetLine[] }>;
  /** The project's Revenue rows in Acumatica. */
  acumatica: InflightBudgetLine[];
}

/** A prime contract change order or a budget change, one line, and the Acumatica change orders keyed for it. */
export interface InflightBudgetChangeOrder {
  j: number;
  kind: 'prime_change_order' | 'budget_change';
  category: 'number' | 'description_total' | 'near_miss' | 'ambiguous' | 'procore_only';
  projectNumber: string;
  /** PCCO number, or the budget change's number as text ("1"). */
  number: string;
  title: string;
  line: InflightBudgetLine;
  acumatica: Array<{ refNbr: string; externalRef: string | null; description: string; line: InflightBudgetLine }>;
}

export interface InflightBudget {
  p: number;
  category: 'same' | 'changed' | 'procore_only';
  projectNumber: string;
  lines: InflightBudgetLine[];
  /** The project's Cost rows in Acumatica. */
  acumatica: InflightBudgetLine[];
}

export const INFLIGHT_PROJECT_COUNT = 30;
export const INFLIGHT_COMMITMENT_COUNT = 120;

const TRADES = ['Concrete', 'Electrical', 'Mechanical', 'Drywall', 'Roofing', 'Glazing', 'Painting', 'Steel'];

export const INFLIGHT_VENDORS = Array.from({ length: 6 }, (_, i) => ({
  acumaticaVendorId: `VIF00${i + 1}`,
  name: `Inflight ${TRADES[i]} Partners`,
}));

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export const INFLIGHT_PROJECTS = Array.from({ length: INFLIGHT_PROJECT_COUNT }, (_, i) => ({
  projectNumber: `IF-${pad(i + 1, 3)}`,
  acumaticaProjectId: `IF${pad(i + 1, 3)}`,
  name: `Inflight ${TRADES[i % TRADES.length]} Building ${i + 1}`,
}));

function category(k: number): InflightCommitment['category'] {
  if (k < 2) return 'ambiguous';
  if (k < 4) return 'near_miss';
  if (k < 8) return 'procore_only';
  if (k < 16) return 'changed_total';
  if (k < 24) return 'description_differs';
  if (k < 40) return 'description_total';
  return 'same_number';
}

/** The whole dataset; deterministic. */
export function inflightDataset(): {
  commitments: InflightCommitment[];
  acumaticaOnly: InflightAcumaticaCommitment[];
  changeOrders: InflightChangeOrder[];
  directCosts: InflightDirectCost[];
  bills: InflightBill[];
  primeContracts: InflightPrimeContract[];
  primeChangeOrders: InflightBudgetChangeOrder[];
  budgetChanges: InflightBudgetChangeOrder[];
  budgets: InflightBudget[];
} {
  const commitments: InflightCommitment[] = [];
  for (let k = 0; k < INFLIGHT_COMMITMENT_COUNT; k++) {
    const p = Math.floor(k / 4);
    const project = INFLIGHT_PROJECTS[p];
    const kind = k % 4 === 3 ? 'purchase_order_contract' : 'work_order_contract';
    const entity = kind === 'purchase_order_contract' ? 'PurchaseOrder' : 'Subcontract';
    const acuNbr = `${entity === 'Subcontract' ? 'SC' : 'PO'}9${pad(k, 5)}`;
    const cat = category(k);
    const prefix = kind === 'purchase_order_contract' ? 'PO' : 'SC';
    const number = cat === 'same_number' && k % 2 === 0 ? acuNbr : `${prefix}-${project.projectNumber}-${(k % 4) + 1}`;
    const title = `${TRADES[k % TRADES.length]} package ${k}`;
    const lines: InflightLine[] = [
      {
        costCode: DEMO_COST_CODES[k % 12].code,
        description: `${TRADES[k % TRADES.length]} work`,
        amount: 10_000 + k * 100,
      },
      { costCode: DEMO_COST_CODES[(k + 5) % 12].code, description: 'Materials', amount: 5_000 + k * 10 },
    ];
    const vendorIndex = k % INFLIGHT_VENDORS.length;
    const description = `${number} ${title}`;
    const base = { entity, projectId: project.acumaticaProjectId, vendorIndex, lines } as const;
    const acumatica: InflightAcumaticaCommitment[] = [];
    switch (cat) {
      case 'ambiguous':
        acumatica.push({ ...base, nbr: acuNbr, vendorRef: null, description: title });
        acumatica.push({ ...base, nbr: `${acuNbr.slice(0, 2)}8${pad(k, 5)}`, vendorRef: null, description: title });
        break;
      case 'near_miss':
        acumatica.push({
          ...base,
          nbr: acuNbr,
          vendorRef: null,
          description: title,
          lines: [{ ...lines[0], amount: lines[0].amount + 250 }, lines[1]],
        });
        break;
      case 'procore_only':
        break;
      case 'changed_total':
        acumatica.push({
          ...base,
          nbr: acuNbr,
          vendorRef: number,
          description,
          lines: [{ ...lines[0], amount: lines[0].amount + 1_000 }, lines[1]],
        });
        break;
      case 'description_differs':
        acumatica.push({ ...base, nbr: acuNbr, vendorRef: number, description: `${description} (rev)` });
        break;
      case 'description_total':
        acumatica.push({ ...base, nbr: acuNbr, vendorRef: null, description: title });
        break;
      case 'same_number':
        acumatica.push({ ...base, nbr: acuNbr, vendorRef: k % 2 === 0 ? null : number, description });
        break;
    }
    commitments.push({
      k,
      kind,
      category: cat,
      projectNumber: project.projectNumber,
      vendorIndex,
      number,
      title,
      lines,
      acumatica,
    });
  }
  const acumaticaOnly: InflightAcumaticaCommitment[] = [0, 1, 2].map((i) => ({
    entity: 'Subcontract',
    nbr: `SC70000${i}`,
    projectId: INFLIGHT_PROJECTS[i].acumaticaProjectId,
    vendorIndex: 0,
    vendorRef: null,
    description: `Acumatica-only package ${i}`,
    lines: [{ costCode: DEMO_COST_CODES[0].code, description: 'Scope', amount: 7_000 + i }],
  }));
  return {
    commitments,
    acumaticaOnly,
    changeOrders: inflightChangeOrders(commitments),
    directCosts: inflightDirectCosts(),
    bills: inflightBills(commitments),
    ...inflightBudgets(),
  };
}

const budgetChangeCategory = (j: number): InflightBudgetChangeOrder['category'] =>
  j < 3 ? 'number' : j < 5 ? 'description_total' : j === 5 ? 'near_miss' : j === 6 ? 'ambiguous' : 'procore_only';

/** The Acumatica change orders keyed for a PCCO or budget change of the given category (refNbr prefix given). */
function keyedChangeOrders(
  category: InflightBudgetChangeOrder['category'],
  prefix: string,
  number: string,
  title: string,
  line: InflightBudgetLine,
  nearMissBy: number,
): InflightBudgetChangeOrder['acumatica'] {
  const ref = (n: number) => `${prefix}${n}`;
  switch (category) {
    case 'number':
      return [{ refNbr: ref(0), externalRef: number, description: `${number} ${title}`, line }];
    case 'description_total':
      return [{ refNbr: ref(0), externalRef: null, description: title, line }];
    case 'near_miss':
      return [
        { refNbr: ref(0), externalRef: null, description: title, line: { ...line, amount: line.amount + nearMissBy } },
      ];
    case 'ambiguous':
      return [0, 1].map((n) => ({ refNbr: ref(n), externalRef: null, description: title, line }));
    case 'procore_only':
      return [];
  }
}

function inflightBudgets() {
  const code = (n: number) => DEMO_COST_CODES[n % 12].code;
  const revenue = (costCode: string, description: string, amount: number): InflightBudgetLine => ({
    costCode,
    description,
    amount,
    costType: null,
    accountGroup: 'REVENUE',
  });
  const primeContracts: InflightPrimeContract[] = Array.from({ length: 10 }, (_, p) => {
    const project = INFLIGHT_PROJECTS[p];
    const category: InflightPrimeContract['category'] =
      p < 6 ? 'same' : p < 8 ? 'changed' : p === 8 ? 'procore_only' : 'two_contracts';
    const lines = [
      revenue(code(p), 'Base scope', 250_000 + p * 1_000),
      revenue(code(p + 4), 'Site work', 120_000.5 + p * 500),
    ];
    const contracts = [{ number: `PC-${project.projectNumber}`, title: `Owner contract ${p + 1}`, lines }];
    if (category === 'two_contracts')
      contracts.push({
        number: `PC-${project.projectNumber}-2`,
        title: `Owner contract ${p + 1} (phase 2)`,
        lines: [revenue(code(p + 8), 'Phase 2', 60_000 + p)],
      });
    const acumatica =
      category === 'procore_only'
        ? []
        : category === 'changed'
          ? [lines[0], { ...lines[1], amount: lines[1].amount + 5_000 }]
          : lines;
    return { p, category, projectNumber: project.projectNumber, contracts, acumatica };
  });
  const primeChangeOrders: InflightBudgetChangeOrder[] = Array.from({ length: 8 }, (_, j) => {
    const category = budgetChangeCategory(j);
    const number = `PCCO-${j + 1}`;
    const title = `Owner change ${j + 1}`;
    const line = revenue(code(j), 'Owner change', 8_000 + j * 100);
    return {
      j,
      kind: 'prime_change_order',
      category,
      projectNumber: INFLIGHT_PROJECTS[j].projectNumber,
      number,
      title,
      line,
      acumatica: keyedChangeOrders(category, `CO8${pad(j, 4)}`, number, title, line, 60),
    };
  });
  const budgetChangeCategoryOf = (j: number) => budgetChangeCategory([0, 1, 3, 5, 6, 7][j]);
  const budgetChanges: InflightBudgetChangeOrder[] = Array.from({ length: 6 }, (_, j) => {
    const category = budgetChangeCategoryOf(j);
    const title = `Budget transfer ${j + 1}`;
    const line: InflightBudgetLine = {
      costCode: code(j + 2),
      description: 'Labor adjustment',
      amount: 3_000 + j * 10 + 0.75,
      costType: 'L',
      accountGroup: 'LABOR',
    };
    return {
      j,
      kind: 'budget_change',
      category,
      projectNumber: INFLIGHT_PROJECTS[10 + j].projectNumber,
      number: '1',
      title,
      line,
      acumatica: keyedChangeOrders(category, `CO7${pad(j, 4)}`, '1', title, line, 25),
    };
  });
  const budgets: InflightBudget[] = Array.from({ length: 10 }, (_, p) => {
    const category: InflightBudget['category'] = p < 7 ? 'same' : p < 9 ? 'changed' : 'procore_only';
    const lines: InflightBudgetLine[] = [
      {
        costCode: code(p + 1),
        description: 'Subcontracts',
        amount: 90_000 + p * 250,
        costType: 'S',
        accountGroup: 'SUBCONTR',
      },
      {
        costCode: code(p + 7),
        description: 'Labor',
        amount: 40_000.25 + p * 100,
        costType: 'L',
        accountGroup: 'LABOR',
      },
    ];
    const acumatica =
      category === 'procore_only'
        ? []
        : category === 'changed'
          ? [{ ...lines[0], amount: lines[0].amount + 2_500 }, lines[1]]
          : [...lines];
    if (p === 0)
      acumatica.push({
        costCode: code(11),
        description: 'Owner allowance',
        amount: 12_345,
        costType: null,
        accountGroup: 'OTHER',
      });
    return { p, category, projectNumber: INFLIGHT_PROJECTS[p].projectNumber, lines, acumatica };
  });
  return { primeContracts, primeChangeOrders, budgetChanges, budgets };
}

function billCategory(j: number): InflightBill['category'] {
  if (j < 6) return 'invoice_number';
  if (j < 9) return 'date_total';
  if (j === 9) return 'near_miss';
  if (j === 10) return 'ambiguous';
  return 'procore_only';
}

function inflightBills(commitments: InflightCommitment[]): InflightBill[] {
  return commitments
    .filter((c) => c.category === 'same_number' && c.k % 4 === 2)
    .slice(0, 12)
    .map((c, j) => {
      const category = billCategory(j);
      const project = INFLIGHT_PROJECTS.find((p) => p.projectNumber === c.projectNumber)!;
      const commitmentNbr = c.acumatica[0].nbr;
      const invoiceNumber = `INV-${c.k}`;
      const date = '2024-03-31';
      const line: InflightLine = {
        costCode: c.lines[0].costCode,
        description: 'Work this period',
        amount: 2_500 + c.k,
      };
      const base = { projectId: project.acumaticaProjectId, commitmentNbr, vendorIndex: c.vendorIndex, date, line };
      const refNbr = (n: number) => `BL9${pad(j, 4)}${n}`;
      const acumatica: InflightAcumaticaBill[] = [];
      if (category === 'invoice_number') acumatica.push({ ...base, refNbr: refNbr(0), vendorRef: invoiceNumber });
      if (category === 'date_total') acumatica.push({ ...base, refNbr: refNbr(0), vendorRef: `SCAN-${c.k}` });
      if (category === 'near_miss')
        acumatica.push({
          ...base,
          refNbr: refNbr(0),
          vendorRef: `SCAN-${c.k}`,
          line: { ...line, amount: line.amount + 40 },
        });
      if (category === 'ambiguous')
        for (const n of [0, 1]) acumatica.push({ ...base, refNbr: refNbr(n), vendorRef: `SCAN-${c.k}-${n}` });
      return {
        j,
        category,
        commitmentK: c.k,
        commitmentNbr,
        projectNumber: c.projectNumber,
        vendorIndex: c.vendorIndex,
        invoiceNumber,
        date,
        line,
        acumatica,
      };
    });
}

function directCostCategory(i: number): InflightDirectCost['category'] {
  if (i < 4) return 'invoice_number';
  if (i < 6) return 'invoice_changed';
  if (i < 9) return 'date_total';
  if (i === 9) return 'near_miss';
  if (i === 10) return 'ambiguous';
  if (i === 11) return 'lines_differ';
  if (i === 12) return 'procore_only';
  return 'acumatica_only';
}

function inflightDirectCosts(): InflightDirectCost[] {
  return Array.from({ length: 15 }, (_, i) => {
    const category = directCostCategory(i);
    const lines: InflightLine[] = [
      { costCode: DEMO_COST_CODES[i % 12].code, description: 'Materials delivered', amount: 2_000 + i * 10 + 0.25 },
      { costCode: DEMO_COST_CODES[(i + 3) % 12].code, description: 'Freight', amount: 500 + i },
    ];
    const docNbr = `B9${pad(i, 5)}`;
    const description = `Inflight invoice ${i}`;
    const tx = (n: number) => ({ referenceNbr: `AP9${pad(i, 4)}${n}`, originalDocNbr: docNbr, description, lines });
    const keyed = (invoiceNumber: string | null, l: InflightLine[] = lines) => ({
      invoiceNumber,
      description,
      lines: l,
    });
    const procore = {
      invoice_number: keyed(docNbr),
      invoice_changed: keyed(docNbr, [{ ...lines[0], amount: lines[0].amount + 100 }, lines[1]]),
      date_total: keyed(null),
      near_miss: keyed(null, [{ ...lines[0], amount: lines[0].amount + 50 }, lines[1]]),
      ambiguous: keyed(null),
      lines_differ: keyed(docNbr, [
        { costCode: lines[0].costCode, description: 'Invoice total', amount: lines[0].amount + lines[1].amount },
      ]),
      procore_only: keyed(null),
      acumatica_only: null,
    }[category];
    const acumatica = category === 'procore_only' ? [] : category === 'ambiguous' ? [tx(0), tx(1)] : [tx(0)];
    return {
      i,
      category,
      projectNumber: INFLIGHT_PROJECTS[i % 6].projectNumber,
      vendorIndex: i % INFLIGHT_VENDORS.length,
      date: `2024-03-${pad(10 + i, 2)}`,
      procore,
      acumatica,
    };
  });
}

function changeOrderCategory(j: number): InflightChangeOrder['category'] {
  if (j < 10) return 'number';
  if (j < 16) return 'description_total';
  if (j === 16) return 'near_miss';
  if (j === 17) return 'ambiguous';
  return 'procore_only';
}

function inflightChangeOrders(commitments: InflightCommitment[]): InflightChangeOrder[] {
  return commitments
    .filter((c) => c.category === 'same_number' && c.k % 4 === 0)
    .map((c, j) => {
      const category = changeOrderCategory(j);
      const project = INFLIGHT_PROJECTS.find((p) => p.projectNumber === c.projectNumber)!;
      const commitmentNbr = c.acumatica[0].nbr;
      const number = `CO-${c.k}`;
      const title = `Added scope ${c.k}`;
      const line: InflightLine = { costCode: c.lines[0].costCode, description: 'Added scope', amount: 1_500 + c.k };
      const base = {
        projectId: project.acumaticaProjectId,
        commitmentEntity: 'Subcontract' as const,
        commitmentNbr,
        vendorIndex: c.vendorIndex,
        line,
      };
      const refNbr = (n: number) => `CO9${pad(j, 4)}${n}`;
      const acumatica: InflightAcumaticaChangeOrder[] = [];
      if (category === 'number')
        acumatica.push({ ...base, refNbr: refNbr(0), externalRef: number, description: `${number} ${title}` });
      if (category === 'description_total')
        acumatica.push({ ...base, refNbr: refNbr(0), externalRef: null, description: title });
      if (category === 'near_miss')
        acumatica.push({
          ...base,
          refNbr: refNbr(0),
          externalRef: null,
          description: title,
          line: { ...line, amount: line.amount + 75 },
        });
      if (category === 'ambiguous')
        for (const n of [0, 1]) acumatica.push({ ...base, refNbr: refNbr(n), externalRef: null, description: title });
      return {
        j,
        category,
        commitmentK: c.k,
        commitmentNbr,
        projectNumber: c.projectNumber,
        number,
        title,
        line,
        acumatica,
      };
    });
}

/** What onboarding and reconciliation must find in the inflight seed (scope: the 30 inflight projects). */
export const INFLIGHT_TRUTH = {
  projects: { adopted: 30, created: 0, unchanged: 0, review: 0 },
  vendors: { adopted: 6, created: 0, unchanged: 0, review: 0 },
  commitments: {
    procore: 120,
    acumatica: 121,
    adopted: 112,
    adoptedByRule: { number: 40, vendor_ref: 56, description_total: 16 },
    /** Would be created by the first export (nothing in Acumatica). */
    created: 4,
    unchanged: 0,
    review: 4,
    reviewReasons: { ambiguous: 2, near_miss: 2 },
    /** Adopted, but fields differ between the systems (listed in the onboarding report and by reconcile). */
    differing: 16,
  },
  changeOrders: {
    procore: 20,
    acumatica: 19,
    adopted: 16,
    adoptedByRule: { number: 10, description_total: 6 },
    created: 2,
    review: 2,
    reviewReasons: { ambiguous: 1, near_miss: 1 },
    /** Adopted by number; the Acumatica description is "CO-<k> Added scope <k>", which agrees. */
    differing: 0,
  },
  directCosts: {
    procore: 13,
    acumatica: 15,
    adopted: 9,
    adoptedByRule: { invoice_number: 6, date_total: 3 },
    /** Procore-only costs, left alone. */
    unchanged: 1,
    /** Transactions the next import creates in Procore. */
    created: 2,
    review: 3,
    reviewReasons: { near_miss: 1, ambiguous: 1, lines_differ: 1 },
    differing: 2,
  },
  bills: {
    procore: 12,
    acumatica: 12,
    adopted: 9,
    adoptedByRule: { invoice_number: 6, date_total: 3 },
    created: 1,
    review: 2,
    reviewReasons: { near_miss: 1, ambiguous: 1 },
    differing: 0,
  },
  /** Prime contracts: p 0-7 adopted with 16 line links (p 6-7 differ: total and line 2), p 8 to create, p 9's two to
   * review. */
  primeContracts: {
    procore: 11,
    adopted: 8,
    adoptedByRule: { budget_code: 8 },
    created: 1,
    review: 2,
    reviewReasons: { ambiguous: 2 },
    differing: 2,
    lineLinks: 16,
  },
  primeChangeOrders: {
    procore: 8,
    acumatica: 8,
    adopted: 5,
    adoptedByRule: { number: 3, description_total: 2 },
    created: 1,
    review: 2,
    reviewReasons: { ambiguous: 1, near_miss: 1 },
    differing: 0,
  },
  budgetChanges: {
    procore: 6,
    acumatica: 6,
    adopted: 3,
    adoptedByRule: { number: 2, description_total: 1 },
    created: 1,
    review: 2,
    reviewReasons: { ambiguous: 1, near_miss: 1 },
    differing: 0,
  },
  /** Budget lines, one record each: p 0-8 adopted (p 7-8's first line differs), p 9's two to create. */
  budgetLines: {
    procore: 20,
    acumatica: 19,
    adopted: 18,
    adoptedByRule: { budget_code: 18 },
    created: 2,
    review: 0,
    differing: 2,
  },
  reconcile: {
    /** Linked pairs whose values differ: 8 totals (and their first line), 8 descriptions. */
    totalDifferences: 8,
    descriptionDifferences: 8,
    /** Procore commitments without a link: the 4 to create and the 4 under review. */
    procoreOnly: 8,
    /** Acumatica commitments on the scoped projects without a link: 4 ambiguous + 2 near misses + 3. */
    acumaticaOnly: 9,
    /** Commitment change orders: 16 linked pairs without differences; 2 to create + 2 under review unlinked in
     * Procore; 1 near miss + 2 ambiguous unlinked in Acumatica (all of them look like the Procore ones). */
    changeOrders: { compared: 16, differences: 0, procoreOnly: 4, acumaticaOnly: 3 },
    /** Bills: 9 linked pairs that agree; 1 to create + 2 under review unlinked in Procore; 1 near miss + 2 ambiguous
     * unlinked in Acumatica (all of them on the invoices' subcontract and date). */
    bills: { compared: 9, differences: 0, procoreOnly: 3, acumaticaOnly: 3 },
    /** PCCOs and budget changes as commitment change orders: the adopted compared; the rest unlinked. */
    primeChangeOrders: { compared: 5, differences: 0, procoreOnly: 3, acumaticaOnly: 3 },
    budgetChanges: { compared: 3, differences: 0, procoreOnly: 3, acumaticaOnly: 3 },
    /** Prime contract lines against Revenue rows: 16 linked (p 6-7's second line differs); p 8's two and p 9's
     * three lines unlinked; p 9's two rows unlinked. */
    primeContractLines: { compared: 16, differences: 2, procoreOnly: 5, acumaticaOnly: 2 },
    /** Budget lines against Cost rows: 18 linked (2 differ); p 9's two lines; project 0's Acumatica-only row. */
    budgetLines: { compared: 18, differences: 2, procoreOnly: 2, acumaticaOnly: 1 },
    /** Direct costs after onboarding and the direct cost import: 9 adopted + 2 imported compared (the import took
     * Acumatica's amounts); 3 under review + 1 Procore-only unlinked in Procore; the 4 transactions held back. */
    directCosts: { compared: 11, differences: 0, procoreOnly: 4, acumaticaOnly: 4 },
  },
} as const;
