/**
 * Match rules for adopting records that exist in both systems before the connector was connected (issue #15).
 * Pure functions: the adoption run (adoption/) reads both sides, then decides here.
 *
 * Commitments (Procore work order contract -> Acumatica Subcontract, purchase order contract -> PurchaseOrder
 * Normal). Candidates are only Acumatica documents of the SAME entity, whose vendor is the Procore vendor's linked
 * vendor and whose project is the Procore project's linked project, and which no other Procore record is linked
 * to. Rules, in order; the first rule with any candidate decides:
 *   1. marker       VendorRef = PROCORE-<id> (an earlier export of the connector itself)
 *   2. number       the Acumatica document number (SubcontractNbr / OrderNbr) = the Procore number
 *   3. vendor_ref   VendorRef = the Procore number (how people key a Procore number into Acumatica)
 *   4. description_total  the description equals the Procore title or "number title" AND the totals agree to
 *                   the cent
 * One candidate: adopt. Two or more: review (ambiguous) - never guessed. No candidate, but a candidate whose
 * description agrees with a different total: review (near_miss). Otherwise: create (the first export creates
 * it). Finally, an Acumatica document two Procore records would adopt goes to review for both.
 * Rules 2 and 3 are identifiers people chose; they decide even when amounts differ, and the differences are
 * reported (and listed by reconcile). Rule 4 has no identifier, so it needs the total as well.
 *
 * Lines of an adopted document: a Procore line matches the one unused row with the same cost code and amount;
 * else the row whose LineNbr is the line's position, if its cost code is the same. Unmatched lines stay
 * unlinked (reported); the first export adds them.
 *
 * Commitment change orders (Procore CCO -> Acumatica `ChangeOrder` with Commitments lines). Candidates are only
 * change orders on the linked project whose every Commitments line is against the Procore CCO's commitment's
 * linked Acumatica document (so a change order of another commitment is never taken), and which no other Procore
 * record is linked to. Rules, in order, as for commitments:
 *   1. marker       ExternalRefNbr = PROCORE-<id> (an earlier export of the connector itself)
 *   2. number       ExternalRefNbr = the Procore CCO number (where people key it; the RefNbr is Acumatica's own
 *                   auto-number, so it is never compared)
 *   3. description_total  the description equals the Procore title or "number title" AND the commitment change
 *                   totals agree to the cent
 * with the same review (ambiguous, near_miss) and create outcomes.
 *
 * Prime contract change orders and budget changes (Procore PCCO -> `ChangeOrder` with RevenueBudget lines only;
 * budget change -> `ChangeOrder` with CostBudget lines only). Candidates are the change orders of that kind on the
 * linked project that no other Procore record is linked to; the rules are those of commitment change orders
 * (marker, number = ExternalRefNbr, description_total). A budget change's number is Procore's per-project number
 * ("1", "2"...), so rule 2 only ever compares it within one project's budget change orders. Their rows are
 * matched by cost code and amount, else position and cost code; line keys are the rows' budget keys.
 *
 * Budget lines (a prime contract's lines -> the project's Revenue `ProjectBudget` rows; a project's budget lines ->
 * its Cost rows). Rule `budget_code`: a line matches the one unused row with its cost code and, where the Procore
 * cost type has an account group (the cost-type import's origin_id), that account group. Two or more such rows:
 * review (ambiguous). None: create (the first export writes the row). A matched row whose amount differs is
 * adopted and the difference reported: budgets are written by their natural key, so an export could never
 * duplicate them, and the report is what tells the accountant which amounts the export would change. A prime
 * contract is adopted as a whole (its lines as above) when it is the project's only prime contract and the
 * project has Revenue rows; two prime contracts on one project share one revenue budget and go to review.
 *
 * Direct costs (imported: Acumatica released ProjectTransaction -> Procore direct cost). A Procore direct cost
 * keyed by hand is decided against the transactions on its linked project that no Procore record is linked to:
 *   1. origin_id      the Procore origin_id is the transaction's key `<Module>:<ReferenceNbr>` (an earlier import)
 *   2. invoice_number the Procore invoice number = the transaction's OriginalDocNbr (the AP bill's vendor
 *                     reference), same type, and the vendors agree where both have one
 *   3. date_total     same type and date, totals agree to the cent, vendors agree where both have one
 * Ties go to review (ambiguous); same type, date and vendor with another total is a near miss (review). A match
 * whose lines do not all pair up one to one (by cost code and amount, else position and cost code) goes to review
 * (`lines_differ`): the import would otherwise add the unpaired Acumatica lines next to the hand-keyed ones and
 * count them twice.
 */

export type AdoptionRule =
  | 'linked'
  | 'marker'
  | 'number'
  | 'vendor_ref'
  | 'description_total'
  | 'project_number'
  | 'name'
  | 'origin_id'
  | 'invoice_number'
  | 'date_total'
  | 'budget_code';
export type ReviewReason =
  'ambiguous' | 'near_miss' | 'lines_differ' | 'vendor_not_linked' | 'project_not_linked' | 'acumatica_already_linked';

export interface MatchLine {
  /** Procore line id, or Acumatica LineNbr. */
  id: string;
  position: number;
  costCode: string | null;
  amount: number;
}

export interface ProcoreCommitmentFacts {
  id: string;
  entity: 'work_order_contract' | 'purchase_order_contract';
  number: string;
  title: string;
  total: number;
  lines: MatchLine[];
}

export interface AcumaticaCommitmentFacts {
  entity: 'Subcontract' | 'PurchaseOrder';
  key: string;
  id?: string;
  vendorId: string;
  projectId: string;
  vendorRef: string;
  description: string;
  total: number;
  lines: MatchLine[];
}

export interface ProcoreChangeOrderFacts {
  id: string;
  number: string;
  title: string;
  total: number;
  lines: MatchLine[];
}

/**
 * An Acumatica change order as matching sees it: a budget's (a PCCO's revenue lines, a budget change's cost lines),
 * or, with `commitmentKeys`, a commitment change order's. `total` is the sum of the lines compared.
 */
export interface AcumaticaBudgetChangeOrderFacts {
  entity: 'ChangeOrder';
  /** RefNbr. */
  key: string;
  id?: string;
  projectId: string;
  externalRef: string;
  description: string;
  total: number;
  lines: MatchLine[];
}

export interface AcumaticaChangeOrderFacts extends AcumaticaBudgetChangeOrderFacts {
  /** The Acumatica commitment numbers its Commitments lines are against. */
  commitmentKeys: string[];
}

/** A Procore budget line or prime contract line; `accountGroup` where its cost type has one. */
export interface ProcoreBudgetLine {
  id: string;
  position: number;
  costCode: string;
  accountGroup: string | null;
  amount: number;
  description: string;
}

/** An Acumatica ProjectBudget row; `key` is `<project>:<task>:<account group>:<cost code>:<type>`. */
export interface BudgetRowFacts {
  key: string;
  task: string;
  accountGroup: string;
  costCode: string;
  amount: number;
  description: string;
}

/** What matching compares of any document (commitment or change order), on both sides. */
interface ProcoreDocument {
  id: string;
  number: string;
  title: string;
  total: number;
  lines: MatchLine[];
}
export interface AcumaticaDocument {
  entity: string;
  key: string;
  description: string;
  total: number;
  lines: MatchLine[];
}

export interface Difference {
  field: string;
  procore: string | number | null;
  acumatica: string | number | null;
}

export type Decision<T extends AcumaticaDocument = AcumaticaCommitmentFacts> =
  | {
      action: 'adopt';
      rule: AdoptionRule;
      target: T;
      differences: Difference[];
      /** Procore line id -> Acumatica LineNbr. */
      lineMatches: Array<{ procoreLineId: string; lineNbr: string }>;
      unmatchedLines: string[];
    }
  | { action: 'create' }
  | { action: 'review'; reason: ReviewReason; detail: string; candidates: string[] };

export const norm = (s: string | null | undefined): string =>
  String(s ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase();

const cents = (n: number): number => Math.round(n * 100);

export function procoreMarkerOf(procoreId: string): string {
  return `PROCORE-${procoreId}`;
}

function descriptionAgrees(p: ProcoreDocument, a: AcumaticaDocument): boolean {
  const d = norm(a.description);
  return d !== '' && (d === norm(p.title) || d === norm(`${p.number} ${p.title}`));
}

/** Line matching (cost code + amount, else LineNbr = position with the same cost code). */
export function matchLines(
  procore: MatchLine[],
  acumatica: MatchLine[],
): { matches: Array<{ procoreLineId: string; lineNbr: string }>; unmatched: string[] } {
  const used = new Set<string>();
  const matches: Array<{ procoreLineId: string; lineNbr: string }> = [];
  const unmatched: string[] = [];
  for (const l of procore) {
    const free = acumatica.filter((r) => !used.has(r.id));
    const byAmount = free.filter((r) => norm(r.costCode) === norm(l.costCode) && cents(r.amount) === cents(l.amount));
    const byNumber = free.filter((r) => r.position === l.position && norm(r.costCode) === norm(l.costCode));
    const row = byAmount.length === 1 ? byAmount[0] : byNumber.length === 1 ? byNumber[0] : undefined;
    if (row) {
      used.add(row.id);
      matches.push({ procoreLineId: l.id, lineNbr: row.id });
    } else unmatched.push(l.id);
  }
  return { matches, unmatched };
}

export function commitmentDifferences(p: ProcoreDocument, a: AcumaticaDocument): Difference[] {
  const out: Difference[] = [];
  if (cents(p.total) !== cents(a.total)) out.push({ field: 'total', procore: p.total, acumatica: a.total });
  if (!descriptionAgrees(p, a))
    out.push({ field: 'description', procore: `${p.number} ${p.title}`.trim(), acumatica: a.description });
  return out;
}

function adopt<T extends AcumaticaDocument>(rule: AdoptionRule, p: ProcoreDocument, a: T): Decision<T> {
  const { matches, unmatched } = matchLines(p.lines, a.lines);
  return {
    action: 'adopt',
    rule,
    target: a,
    differences: commitmentDifferences(p, a),
    lineMatches: matches,
    unmatchedLines: unmatched,
  };
}

/** The first rule with any candidate decides: one adopts, several go to review; else near miss, else create. */
function decide<T extends AcumaticaDocument>(
  p: ProcoreDocument,
  candidates: T[],
  rules: Array<[AdoptionRule, (a: T) => boolean]>,
): Decision<T> {
  for (const [rule, test] of rules) {
    const found = candidates.filter(test);
    if (found.length === 1) return adopt(rule, p, found[0]);
    if (found.length > 1)
      return {
        action: 'review',
        reason: 'ambiguous',
        detail: `${found.length} Acumatica documents match by ${rule}: ${found.map((f) => f.key).join(', ')}`,
        candidates: found.map((f) => f.key),
      };
  }
  const near = candidates.filter((a) => descriptionAgrees(p, a));
  if (near.length > 0)
    return {
      action: 'review',
      reason: 'near_miss',
      detail: `Description agrees but the total differs (Procore ${p.total.toFixed(2)}; ${near
        .map((a) => `${a.key} ${a.total.toFixed(2)}`)
        .join(', ')})`,
      candidates: near.map((a) => a.key),
    };
  return { action: 'create' };
}

/** Decides one Procore commitment against its candidates (same entity, vendor, project; not linked elsewhere). */
export function decideCommitment(p: ProcoreCommitmentFacts, candidates: AcumaticaCommitmentFacts[]): Decision {
  const number = norm(p.number);
  return decide(p, candidates, [
    ['marker', (a) => norm(a.vendorRef) === norm(procoreMarkerOf(p.id))],
    ['number', (a) => number !== '' && norm(a.key) === number],
    ['vendor_ref', (a) => number !== '' && norm(a.vendorRef) === number],
    ['description_total', (a) => descriptionAgrees(p, a) && cents(a.total) === cents(p.total)],
  ]);
}

/**
 * Decides one Procore change order (commitment, prime, or budget change) against its candidates (same project, same
 * kind and, for a CCO, same commitment; free).
 */
export function decideChangeOrder<T extends AcumaticaDocument & { externalRef: string }>(
  p: ProcoreChangeOrderFacts,
  candidates: T[],
): Decision<T> {
  const number = norm(p.number);
  return decide(p, candidates, [
    ['marker', (a) => norm(a.externalRef) === norm(procoreMarkerOf(p.id))],
    ['number', (a) => number !== '' && norm(a.externalRef) === number],
    ['description_total', (a) => descriptionAgrees(p, a) && cents(a.total) === cents(p.total)],
  ]);
}

/** An Acumatica document two Procore records would adopt: both go to review. */
export function resolveContested<T extends { decision: Decision<AcumaticaDocument> }>(items: T[]): T[] {
  const claims = new Map<string, number>();
  for (const i of items)
    if (i.decision.action === 'adopt' && i.decision.rule !== 'linked') {
      const k = `${i.decision.target.entity}:${i.decision.target.key}`;
      claims.set(k, (claims.get(k) ?? 0) + 1);
    }
  return items.map((i) => {
    if (i.decision.action !== 'adopt') return i;
    const k = `${i.decision.target.entity}:${i.decision.target.key}`;
    if ((claims.get(k) ?? 0) < 2) return i;
    return {
      ...i,
      decision: {
        action: 'review',
        reason: 'ambiguous',
        detail: `Acumatica ${i.decision.target.key} would be adopted by more than one Procore record`,
        candidates: [i.decision.target.key],
      },
    };
  });
}

/** A direct cost on either side; `vendor` is an Acumatica VendorID (the Procore vendor's link on that side). */
export interface DirectCostFacts {
  type: string;
  date: string | null;
  invoiceNumber: string;
  vendor: string;
  total: number;
  /** Acumatica side: line ids are the lines' import origin_ids (`AP:000123:1`). */
  lines: MatchLine[];
}
export interface ProcoreDirectCostFacts extends DirectCostFacts {
  id: string;
  originId: string;
}
export interface AcumaticaDirectCostFacts extends DirectCostFacts {
  entity: 'ProjectTransaction';
  /** `<Module>:<ReferenceNbr>`, the import's key and origin_id. */
  key: string;
  description: string;
}

export function decideDirectCost(
  p: ProcoreDirectCostFacts,
  candidates: AcumaticaDirectCostFacts[],
): Decision<AcumaticaDirectCostFacts> {
  return decideInvoiced(p, candidates, [
    'origin_id',
    (a) => norm(p.originId) !== '' && norm(p.originId) === norm(a.key),
  ]);
}

/**
 * A subcontractor invoice (Procore requisition -> Acumatica AP Bill). `invoiceNumber` is the Procore invoice
 * number and, on the Acumatica side, the bill's VendorRef (where AP clerks key the vendor's invoice number, and
 * where the connector's own export writes its marker).
 */
export interface ProcoreBillFacts extends DirectCostFacts {
  id: string;
}
export interface AcumaticaBillFacts extends DirectCostFacts {
  entity: 'Bill';
  /** ReferenceNbr. */
  key: string;
  id?: string;
  description: string;
  /** The Acumatica commitment numbers its lines bill (POOrderNbr). */
  commitmentKeys: string[];
}

export function decideBill(p: ProcoreBillFacts, candidates: AcumaticaBillFacts[]): Decision<AcumaticaBillFacts> {
  return decideInvoiced(p, candidates, ['marker', (a) => norm(a.invoiceNumber) === norm(procoreMarkerOf(p.id))]);
}

/**
 * Direct costs and bills: the first rule (the connector's own trace), then the invoice number (same type and
 * vendor), then date and total (same type, date and vendor). Several candidates: review (ambiguous). A match
 * whose lines do not pair up one to one by cost code: review (lines_differ), since the next sync would otherwise
 * add the Procore lines beside the hand-keyed ones. Same type, date and vendor with another total: review.
 */
function decideInvoiced<T extends DirectCostFacts & { entity: string; key: string; description: string }>(
  p: DirectCostFacts,
  candidates: T[],
  own: [AdoptionRule, (a: T) => boolean],
): Decision<T> {
  const vendorsAgree = (a: T) => !p.vendor || !a.vendor || norm(p.vendor) === norm(a.vendor);
  const sameDay = (a: T) => norm(a.type) === norm(p.type) && p.date !== null && a.date === p.date && vendorsAgree(a);
  const invoice = norm(p.invoiceNumber);
  const rules: Array<[AdoptionRule, (a: T) => boolean]> = [
    own,
    [
      'invoice_number',
      (a) => invoice !== '' && norm(a.invoiceNumber) === invoice && norm(a.type) === norm(p.type) && vendorsAgree(a),
    ],
    ['date_total', (a) => sameDay(a) && cents(a.total) === cents(p.total)],
  ];
  for (const [rule, test] of rules) {
    const found = candidates.filter(test);
    if (found.length > 1)
      return {
        action: 'review',
        reason: 'ambiguous',
        detail: `${found.length} Acumatica documents match by ${rule}: ${found.map((f) => f.key).join(', ')}`,
        candidates: found.map((f) => f.key),
      };
    if (found.length === 0) continue;
    const a = found[0];
    const { matches, unmatched } = matchLines(p.lines, a.lines);
    if (unmatched.length > 0 || matches.length !== a.lines.length)
      return {
        action: 'review',
        reason: 'lines_differ',
        detail: `${a.key} matches by ${rule}, but its ${a.lines.length} lines do not pair up with the ${p.lines.length} Procore lines by cost code`,
        candidates: [a.key],
      };
    const differences: Difference[] =
      cents(p.total) === cents(a.total) ? [] : [{ field: 'total', procore: p.total, acumatica: a.total }];
    return { action: 'adopt', rule, target: a, differences, lineMatches: matches, unmatchedLines: [] };
  }
  const near = candidates.filter(sameDay);
  if (near.length > 0)
    return {
      action: 'review',
      reason: 'near_miss',
      detail: `Same type, date and vendor but the total differs (Procore ${p.total.toFixed(2)}; ${near
        .map((a) => `${a.key} ${a.total.toFixed(2)}`)
        .join(', ')})`,
      candidates: near.map((a) => a.key),
    };
  return { action: 'create' };
}

/** Budget lines -> rows of one project (rule `budget_code`, above); each row is matched once. */
export function matchBudgetLines(
  lines: ProcoreBudgetLine[],
  rows: BudgetRowFacts[],
): {
  matches: Array<{ line: ProcoreBudgetLine; row: BudgetRowFacts }>;
  unmatched: ProcoreBudgetLine[];
  ambiguous: Array<{ line: ProcoreBudgetLine; rows: BudgetRowFacts[] }>;
} {
  const used = new Set<string>();
  const out = {
    matches: [] as Array<{ line: ProcoreBudgetLine; row: BudgetRowFacts }>,
    unmatched: [] as ProcoreBudgetLine[],
    ambiguous: [] as Array<{ line: ProcoreBudgetLine; rows: BudgetRowFacts[] }>,
  };
  for (const line of lines) {
    const found = rows.filter(
      (r) =>
        !used.has(r.key) &&
        norm(r.costCode) === norm(line.costCode) &&
        (line.accountGroup === null || norm(r.accountGroup) === norm(line.accountGroup)),
    );
    if (found.length === 1) {
      used.add(found[0].key);
      out.matches.push({ line, row: found[0] });
    } else if (found.length > 1) out.ambiguous.push({ line, rows: found });
    else out.unmatched.push(line);
  }
  return out;
}

/** The amount differences of matched budget lines (field `line <n> amount`, n the Procore line's position). */
export function budgetLineDifferences(matches: Array<{ line: ProcoreBudgetLine; row: BudgetRowFacts }>): Difference[] {
  return matches
    .filter((m) => cents(m.line.amount) !== cents(m.row.amount))
    .map((m) => ({ field: `line ${m.line.position} amount`, procore: m.line.amount, acumatica: m.row.amount }));
}
