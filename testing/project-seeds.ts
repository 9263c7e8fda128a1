/**
 * Fresh project-financial records in the Procore simulator's store, for tests that need many of them without a
 * reseed (the fault matrix): a project of its own (the demo project's cost codes copied, optional sub jobs), its
 * budget, prime contract, prime contract change order and budget change. Each project has its own project number,
 * so its Acumatica project ID (and every budget line, task and change order of it) is its own.
 */
import { DEMO_COMPANY, DEMO_COST_TYPES, DEMO_PROJECT } from 'simulator-common';
import type { ProcoreStore } from 'procore-simulator/src/store';

const NO_ORIGIN = { origin_id: null, origin_code: null, origin_data: null };
const stamps = () => {
  const now = new Date().toISOString();
  return { created_at: now, updated_at: now };
};

export interface SeededProject {
  id: string;
  /** Procore project number; the Acumatica project ID is the same (mappings/project.ts). */
  number: string;
  subJobIds: string[];
  /** Project cost code ids by full code. */
  costCodes: Map<string, string>;
}

/** The demo company's cost type id for a code ('S', 'M', 'L', 'E', 'O'). */
export function costTypeId(code: string): string {
  return DEMO_COST_TYPES.find((t) => t.code === code)!.procoreId;
}

export function addProject(store: ProcoreStore, opts: { n: number; subJobs?: string[] }): SeededProject {
  const { state } = store;
  const id = store.newId();
  const number = `FX${String(opts.n).padStart(4, '0')}`;
  state.projects.push({
    ...NO_ORIGIN,
    id,
    company_id: DEMO_COMPANY.procoreCompanyId,
    name: `Fault matrix project ${opts.n}`,
    project_number: number,
    address: null,
    city: 'Denver',
    state_code: 'CO',
    zip: null,
    country_code: 'US',
    start_date: '2024-06-03',
    completion_date: null,
    active: true,
    ...stamps(),
  });
  const costCodes = new Map<string, string>();
  state.costCodes
    .filter((c) => c.project_id === DEMO_PROJECT.procoreId)
    .forEach((c) => {
      const copy = { ...c, ...NO_ORIGIN, id: store.newId(), project_id: id };
      state.costCodes.push(copy);
      costCodes.set(c.full_code, copy.id);
    });
  const subJobIds = (opts.subJobs ?? []).map((code) => {
    const subJob = { ...NO_ORIGIN, ...stamps(), id: store.newId(), project_id: id, code, name: `Sub job ${code}` };
    state.subJobs.push(subJob);
    return subJob.id;
  });
  return { id, number, subJobIds, costCodes };
}

export interface SeedLine {
  costCode: string;
  costType: string;
  amount: string;
  description: string;
}

/** The project's budget with `lines` on its default task (no sub job). */
export function addBudget(store: ProcoreStore, project: SeededProject, lines: SeedLine[]) {
  const id = store.newId();
  store.state.budgets.push({ id, project_id: project.id, locked: false, ...NO_ORIGIN });
  const lineIds = lines.map((l) => {
    const line = {
      ...NO_ORIGIN,
      ...stamps(),
      id: store.newId(),
      project_id: project.id,
      sub_job_id: null,
      cost_code_id: project.costCodes.get(l.costCode)!,
      line_item_type_id: costTypeId(l.costType),
      description: l.description,
      original_budget_amount: l.amount,
      quantity: null,
      unit_cost: null,
      uom: null,
    };
    store.state.budgetLineItems.push(line);
    return line.id;
  });
  return { id, lineIds };
}

/** An approved budget change of the project, on its default task. */
export function addBudgetChange(store: ProcoreStore, project: SeededProject, n: number, lines: SeedLine[]) {
  const id = store.newId();
  const change = {
    ...stamps(),
    id,
    project_id: project.id,
    number: n,
    title: `Fault matrix budget change ${n}`,
    description: null,
    status: 'approved',
    lines: lines.map((l) => ({
      id: store.newId(),
      sub_job_id: null,
      cost_code_id: project.costCodes.get(l.costCode)!,
      line_item_type_id: costTypeId(l.costType),
      amount: l.amount,
      description: l.description,
    })),
  };
  store.state.budgetChanges.push(change);
  return { id, lineIds: change.lines.map((l) => l.id) };
}

/** The owner contract of the project with schedule-of-values `lines`. */
export function addPrimeContract(store: ProcoreStore, project: SeededProject, lines: SeedLine[]) {
  const id = store.newId();
  store.state.primeContracts.push({
    ...NO_ORIGIN,
    ...stamps(),
    id,
    company_id: DEMO_COMPANY.procoreCompanyId,
    project_id: project.id,
    number: `PC-${project.number}`,
    title: `Prime contract of ${project.number}`,
    status: 'Approved',
    executed: true,
    retainage_percent: '5.0',
    contract_date: '2024-06-03',
    owner_name: 'Fault Matrix Owner',
    deleted_at: null,
  });
  const lineIds = lines.map((l, i) => {
    const line = {
      ...NO_ORIGIN,
      ...stamps(),
      id: store.newId(),
      contract_id: id,
      ...lumpSumLine(project, l, i),
    };
    store.state.lineItems.push(line);
    return line.id;
  });
  return { id, lineIds };
}

/** The fields of the `i`th seeded contract or change order line: one lump sum at its amount, on its cost code. */
function lumpSumLine(project: SeededProject, l: SeedLine, i: number) {
  return {
    cost_code_id: project.costCodes.get(l.costCode)!,
    line_item_type_id: null,
    description: l.description,
    amount: l.amount,
    quantity: '1.0',
    unit_cost: l.amount,
    uom: 'LS',
    position: i + 1,
  };
}

/** An approved prime contract change order adding `lines` to the contract. */
export function addPrimeChangeOrder(
  store: ProcoreStore,
  project: SeededProject,
  contractId: string,
  lines: SeedLine[],
) {
  const id = store.newId();
  store.state.changeOrders.push({
    ...NO_ORIGIN,
    ...stamps(),
    id,
    company_id: DEMO_COMPANY.procoreCompanyId,
    project_id: project.id,
    kind: 'prime',
    contract_id: contractId,
    number: `PCCO-${project.number}`,
    title: `Owner change of ${project.number}`,
    description: null,
    status: 'approved',
    executed: true,
    due_date: '2024-07-15',
    revision: 0,
  });
  const lineIds = lines.map((l, i) => {
    const line = {
      ...NO_ORIGIN,
      ...stamps(),
      id: store.newId(),
      change_order_id: id,
      contract_line_item_id: null,
      ...lumpSumLine(project, l, i),
    };
    store.state.changeOrderLineItems.push(line);
    return line.id;
  });
  return { id, lineIds };
}
