/**
 * Adoption of budgets already keyed in both systems (rule `budget_code`: mappings/adoption-match.ts):
 *  - prime contracts: the lines of a project's one prime contract -> the project's Revenue ProjectBudget rows;
 *  - budget lines: a project's budget lines -> its Cost ProjectBudget rows.
 * Budget rows are written by their natural key (project x task x account group x cost code x type), so an export
 * never duplicates them; adoption links them (keys as the exporters write them) and reports, before anything is
 * exported, each amount an export would change. Origin ids: the prime contract's (External Data `prime_contract`,
 * its lines `line_item`), as the prime contract export writes them; budget lines get none (Procore's ERP key for
 * them is the original-estimate transaction, which exists only once Procore sends the budget). Decides only;
 * run.ts writes (nothing in a dry run).
 */
import {
  budgetLineDifferences,
  matchBudgetLines,
  norm,
  type BudgetRowFacts,
  type Difference,
  type ProcoreBudgetLine,
} from '../mappings/adoption-match';
import { emptyAdoption, type DocumentAdoption } from './documents';
import {
  acumaticaBudgetRows,
  costTypeAccountGroups,
  mapLimit,
  procoreBudgetLines,
  procoreKey,
  procorePrimeContracts,
  type AdoptionContext,
  type CompanyLinks,
} from './read';
import type { RecordOutcome } from './run';

interface Input {
  /** Procore project id -> linked Acumatica project. */
  projects: Map<string, string>;
  links: CompanyLinks;
  takenAcumatica: (entity: string, key: string) => boolean;
}

const totalOf = (amounts: number[]) => Math.round(amounts.reduce((s, a) => s + a, 0) * 100) / 100;
const cents = (n: number) => Math.round(n * 100);

/** The rows of a project nothing is linked to yet. */
function freeRows(rows: Map<string, BudgetRowFacts[]>, projectKey: string, input: Input): BudgetRowFacts[] {
  return (rows.get(norm(projectKey)) ?? []).filter((r) => !input.takenAcumatica('ProjectBudget', r.key));
}

const ambiguousDetail = (a: Array<{ line: ProcoreBudgetLine; rows: BudgetRowFacts[] }>) =>
  a
    .map((x) => `line ${x.line.position} (${x.line.costCode}) matches ${x.rows.map((r) => r.key).join(', ')}`)
    .join('; ');

export async function adoptPrimeContracts(ctx: AdoptionContext, input: Input): Promise<DocumentAdoption> {
  const out = emptyAdoption();
  const contracts = (await mapLimit([...input.projects.keys()], 2, (id) => procorePrimeContracts(ctx, id))).flat();
  if (contracts.length === 0) return out;
  const revenue = await acumaticaBudgetRows(ctx, 'Revenue');
  const entity = 'prime_contract' as const;
  for (const pc of contracts) {
    const base = { entity, procoreId: pc.id, label: pc.label, projectId: pc.projectId } as const;
    const linked = input.links.byProcore.get(procoreKey(entity, pc.id));
    if (linked) {
      out.records.push({ ...base, outcome: 'unchanged', rule: 'linked', acumaticaKey: linked.acumaticaKey });
      continue;
    }
    const projectKey = input.projects.get(pc.projectId)!;
    const rows = freeRows(revenue, projectKey, input);
    const siblings = contracts.filter((c) => c.projectId === pc.projectId);
    if (rows.length === 0) {
      out.records.push({ ...base, outcome: 'created' });
      continue;
    }
    if (siblings.length > 1) {
      out.records.push({
        ...base,
        outcome: 'review',
        reason: 'ambiguous',
        detail: `Project ${projectKey} has ${siblings.length} prime contracts in Procore and one revenue budget in Acumatica`,
        candidates: [`${projectKey}:revenue-budget`],
      });
      continue;
    }
    const { matches, unmatched, ambiguous } = matchBudgetLines(pc.lines, rows);
    if (ambiguous.length > 0) {
      out.records.push({
        ...base,
        outcome: 'review',
        reason: 'ambiguous',
        detail: ambiguousDetail(ambiguous),
        candidates: ambiguous.flatMap((a) => a.rows.map((r) => r.key)),
      });
      continue;
    }
    const key = `${projectKey}:revenue-budget`;
    const differences: Difference[] = [];
    const revenueTotal = totalOf(rows.map((r) => r.amount));
    if (cents(revenueTotal) !== cents(pc.total))
      differences.push({ field: 'total', procore: pc.total, acumatica: revenueTotal });
    differences.push(...budgetLineDifferences(matches));
    out.records.push({
      ...base,
      outcome: 'adopted',
      rule: 'budget_code',
      acumaticaKey: key,
      differences,
      unmatchedLines: unmatched.length,
    });
    const link = { procoreCompanyId: ctx.companyId, procoreId: pc.id };
    out.links.push({ ...link, procoreEntity: entity, acumaticaEntity: 'ProjectBudget', acumaticaKey: key });
    out.originIds.push({ item_type: 'prime_contract', item_id: pc.id, origin_id: key });
    for (const m of matches) {
      out.links.push({
        procoreCompanyId: ctx.companyId,
        procoreEntity: 'prime_contract_line_item',
        procoreId: m.line.id,
        acumaticaEntity: 'ProjectBudget',
        acumaticaKey: m.row.key,
      });
      out.originIds.push({ item_type: 'line_item', item_id: m.line.id, origin_id: m.row.key });
    }
    out.adopted.push({ entity, id: pc.id, acuEntity: 'ProjectBudget', key, rule: 'budget_code', diffs: differences });
  }
  return out;
}

/** Budget lines, one record each (label: project, cost code, cost type). */
export async function adoptBudgetLines(ctx: AdoptionContext, input: Input): Promise<DocumentAdoption> {
  const out = emptyAdoption();
  const accountGroups = await costTypeAccountGroups(ctx);
  const perProject = await mapLimit([...input.projects.keys()], 2, async (id) => ({
    id,
    lines: await procoreBudgetLines(ctx, id, accountGroups),
  }));
  if (perProject.every((p) => p.lines.length === 0)) return out;
  const cost = await acumaticaBudgetRows(ctx, 'Cost');
  const entity = 'budget_line_item' as const;
  for (const { id: projectId, lines } of perProject) {
    const projectKey = input.projects.get(projectId)!;
    const record = (line: ProcoreBudgetLine, r: Omit<RecordOutcome, 'entity' | 'procoreId' | 'label' | 'projectId'>) =>
      out.records.push({
        entity,
        procoreId: line.id,
        label: `Budget ${projectKey} ${line.costCode} ${line.description}`.trim(),
        projectId,
        ...r,
      });
    const unlinked: ProcoreBudgetLine[] = [];
    for (const line of lines) {
      const linked = input.links.byProcore.get(procoreKey(entity, line.id));
      if (linked) record(line, { outcome: 'unchanged', rule: 'linked', acumaticaKey: linked.acumaticaKey });
      else unlinked.push(line);
    }
    const { matches, unmatched, ambiguous } = matchBudgetLines(unlinked, freeRows(cost, projectKey, input));
    for (const line of unmatched) record(line, { outcome: 'created' });
    for (const a of ambiguous)
      record(a.line, {
        outcome: 'review',
        reason: 'ambiguous',
        detail: ambiguousDetail([a]),
        candidates: a.rows.map((r) => r.key),
      });
    for (const m of matches) {
      const differences =
        cents(m.line.amount) === cents(m.row.amount)
          ? []
          : [{ field: 'amount', procore: m.line.amount, acumatica: m.row.amount }];
      record(m.line, { outcome: 'adopted', rule: 'budget_code', acumaticaKey: m.row.key, differences });
      out.links.push({
        procoreCompanyId: ctx.companyId,
        procoreEntity: entity,
        procoreId: m.line.id,
        acumaticaEntity: 'ProjectBudget',
        acumaticaKey: m.row.key,
      });
      out.adopted.push({
        entity,
        id: m.line.id,
        acuEntity: 'ProjectBudget',
        key: m.row.key,
        rule: 'budget_code',
        diffs: differences,
      });
    }
  }
  return out;
}
