/**
 * The second demo project, shaped like a real one (packages/simulator-common/src/real-project-data.ts), added to
 * the demo company when the seed asks for it (`npm start` does; tests that need it pass `realProject: true`).
 */
import {
  DEMO_COST_TYPES,
  DEMO_PROJECT,
  DEMO_PROJECT_COST_CODES,
  REAL_PROJECT,
  type RealProjectRequisitionItem,
} from 'simulator-common';
import type { OriginFields, StoreState } from './store';

const noOrigin: OriginFields = { origin_id: null, origin_code: null, origin_data: null };
// The seed's time (seed.ts SEED_TIME, not imported: seed.ts imports this module).
const SEED_TIME = '2024-03-01T16:00:00.000Z';
const stamps = { created_at: SEED_TIME, updated_at: SEED_TIME };

export function seedRealProject(state: StoreState, idBase: bigint, company: string): void {
  const id = (demoId: string | number) => (idBase + BigInt(demoId)).toString();
  const P = REAL_PROJECT;
  const project = id(P.procoreId);
  state.projects.push({
    id: project,
    company_id: company,
    name: P.name,
    project_number: P.projectNumber,
    address: P.address,
    city: P.city,
    state_code: P.stateCode,
    zip: P.zip,
    country_code: 'US',
    start_date: P.startDate,
    completion_date: P.completionDate,
    active: true,
    ...stamps,
    ...noOrigin,
  });
  for (const s of P.subJobs)
    state.subJobs.push({
      id: id(s.procoreId),
      project_id: project,
      code: s.code,
      name: s.name,
      ...stamps,
      ...noOrigin,
    });
  P.costCodes.forEach((c, i) => {
    const standard = DEMO_PROJECT_COST_CODES.find((d) => d.code === c.code)!;
    state.costCodes.push({
      id: id(c.procoreId),
      project_id: project,
      code: c.code,
      full_code: c.code,
      name: standard.description,
      position: i + 1,
      standard_cost_code_id: id(standard.standardCostCodeProcoreId),
      sub_job_id: null,
      line_item_type_ids: DEMO_COST_TYPES.map((t) => id(t.procoreId)),
      ...stamps,
      ...noOrigin,
    });
  });
  const costCodeId = (code: string) => id(P.costCodes.find((c) => c.code === code)!.procoreId);
  const subJobId = (code: string) => id(P.subJobs.find((s) => s.code === code)!.procoreId);
  const subcontractType = id(DEMO_COST_TYPES.find((t) => t.code === 'S')!.procoreId);
  // Amount-based lines, as Procore reports them: one lump sum at the line amount, on a subcontract cost type.
  const lumpSum = (l: { costCode: string; description: string; amount: string }, i: number) => ({
    cost_code_id: costCodeId(l.costCode),
    line_item_type_id: subcontractType,
    description: l.description,
    amount: l.amount,
    quantity: '1.0',
    unit_cost: l.amount,
    uom: 'LS',
    position: i + 1,
    ...stamps,
    ...noOrigin,
  });

  const sc = P.subcontract;
  state.workOrderContracts.push({
    id: id(sc.procoreId),
    company_id: company,
    project_id: project,
    vendor_id: id(sc.vendorProcoreId),
    number: sc.number,
    title: sc.title,
    status: 'Approved',
    executed: true,
    retainage_percent: sc.retainagePercent,
    contract_date: sc.contractDate,
    accounting_method: 'amount',
    deleted_at: null,
    ...stamps,
    ...noOrigin,
  });
  sc.lines.forEach((l, i) =>
    state.lineItems.push({
      id: id(l.procoreId),
      contract_id: id(sc.procoreId),
      sub_job_id: subJobId(l.subJobCode),
      ...lumpSum(l, i),
    }),
  );

  const co = P.changeOrder;
  state.changeOrders.push({
    id: id(co.procoreId),
    company_id: company,
    project_id: project,
    kind: 'commitment',
    contract_id: id(sc.procoreId),
    number: co.number,
    title: co.title,
    description: null,
    status: 'approved',
    executed: true,
    due_date: null,
    revision: 0,
    ...stamps,
    ...noOrigin,
  });
  co.lines.forEach((l, i) =>
    state.changeOrderLineItems.push({
      id: id(l.procoreId),
      change_order_id: id(co.procoreId),
      contract_line_item_id: l.changesLineProcoreId ? id(l.changesLineProcoreId) : null,
      ...lumpSum(l, i),
    }),
  );

  state.budgets.push({ id: id(P.budget.procoreId), project_id: project, locked: false, ...noOrigin });
  for (const l of P.budget.lines)
    state.budgetLineItems.push({
      id: id(l.procoreId),
      project_id: project,
      sub_job_id: subJobId(l.subJobCode),
      cost_code_id: costCodeId(l.costCode),
      line_item_type_id: subcontractType,
      description: l.description,
      original_budget_amount: l.amount,
      quantity: null,
      unit_cost: null,
      uom: null,
      ...stamps,
      ...noOrigin,
    });

  for (const r of P.requisitions) {
    state.requisitions.push({
      id: id(r.procoreId),
      company_id: company,
      project_id: project,
      commitment_id: id(sc.procoreId),
      number: r.number,
      invoice_number: r.invoiceNumber,
      billing_date: r.billingDate,
      period_start: null,
      period_end: r.billingDate,
      status: 'approved',
      erp_status: null,
      payment_date: null,
      ...stamps,
      ...noOrigin,
    });
    (r.items as readonly RealProjectRequisitionItem[]).forEach((item, i) => {
      const line = sc.lines[i];
      state.requisitionItems.push({
        id: id(item.procoreId),
        requisition_id: id(r.procoreId),
        line_item_id: id(line.procoreId),
        cost_code_id: costCodeId(line.costCode),
        description: line.description,
        scheduled_value: line.amount,
        work_completed_from_previous: '0.00',
        work_completed_this_period: item.work,
        materials_presently_stored: item.storedMaterials ?? '0.00',
        materials_retainage_this_period: item.storedRetainage,
        retainage_percent: sc.retainagePercent,
        retainage_this_period: item.retainage,
        retainage_released_this_period: item.released,
        position: i + 1,
        ...noOrigin,
      });
    });
  }

  // The company-level direct cost, with lines here and on the demo project, on an equipment cost type.
  const dc = P.companyDirectCost;
  const equipment = id(DEMO_COST_TYPES.find((t) => t.code === 'E')!.procoreId);
  state.companyDirectCosts.push({
    id: id(dc.procoreId),
    company_id: company,
    vendor_id: id(dc.vendorProcoreId),
    invoice_number: dc.invoiceNumber,
    direct_cost_type: 'invoice',
    direct_cost_date: dc.date,
    accounting_date: dc.date,
    received_date: dc.date,
    description: 'Equipment rental, June',
    terms: 'Net 30',
    status: 'approved',
    lines: dc.lines.map((l) => ({
      id: id(l.procoreId),
      project_id: l.project === 'this' ? project : id(DEMO_PROJECT.procoreId),
      sub_job_id: l.subJobCode ? subJobId(l.subJobCode) : null,
      cost_code_id:
        l.project === 'this'
          ? costCodeId(l.costCode)
          : id(DEMO_PROJECT_COST_CODES.find((c) => c.code === l.costCode)!.procoreId),
      line_item_type_id: equipment,
      description: l.description,
      quantity: '1.0',
      unit_cost: l.amount,
      uom: 'LS',
      total_amount: l.amount,
    })),
    ...stamps,
    ...noOrigin,
  });
}
