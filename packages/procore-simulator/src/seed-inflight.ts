/**
 * The Procore half of the `inflight` seed (packages/simulator-common/src/inflight-data.ts): the vendors, 30 projects with their
 * cost codes, and the 120 commitments with lines, none of them carrying an origin_id (keyed by hand, before the
 * connector was installed).
 */
import { DEMO_COST_CODES } from 'simulator-common';
import { INFLIGHT_PROJECTS, INFLIGHT_VENDORS, inflightDataset, type InflightLine } from 'simulator-common';
import type { OriginFields, StoreState, WorkOrderContract } from './store';

const SEED_TIME = '2024-03-01T16:00:00.000Z';
const noOrigin: OriginFields = { origin_id: null, origin_code: null, origin_data: null };
const stamps = { created_at: SEED_TIME, updated_at: SEED_TIME };
/** Inflight records take ids from here (+ idBase), clear of demo and generated ids. */
const INFLIGHT_ID_START = 3_000_000_000n;

/** The fields every seeded line keyed as 1 x amount shares (contract, direct cost and change order lines). */
function pricedLine(l: InflightLine, position: number, costCodeId: string | null, lineItemTypeId: string | null) {
  return {
    cost_code_id: costCodeId,
    line_item_type_id: lineItemTypeId,
    description: l.description,
    amount: l.amount.toFixed(2),
    quantity: '1.0',
    unit_cost: l.amount.toFixed(2),
    uom: 'LS',
    position,
    ...stamps,
    ...noOrigin,
  };
}

export function seedInflight(state: StoreState, idBase: bigint, companyId: string): void {
  let next = idBase + INFLIGHT_ID_START;
  const newId = () => (next++).toString();
  const types = state.lineItemTypes.filter((t) => t.company_id === companyId);
  const vendorIds = INFLIGHT_VENDORS.map((v) => {
    const vid = newId();
    state.vendors.push({
      id: vid,
      company_id: companyId,
      name: v.name,
      abbreviated_name: null,
      address: null,
      city: 'Denver',
      state_code: 'CO',
      zip: '80202',
      country_code: 'US',
      business_phone: null,
      email_address: null,
      business_id: null,
      is_active: true,
      ...stamps,
      ...noOrigin,
    });
    return vid;
  });
  const projects = new Map<string, { id: string; costCodes: Map<string, string> }>();
  for (const p of INFLIGHT_PROJECTS) {
    const projectId = newId();
    state.projects.push({
      id: projectId,
      company_id: companyId,
      name: p.name,
      project_number: p.projectNumber,
      address: null,
      city: 'Denver',
      state_code: 'CO',
      zip: '80202',
      country_code: 'US',
      start_date: '2024-01-08',
      completion_date: '2025-12-19',
      active: true,
      ...stamps,
      ...noOrigin,
    });
    const costCodes = new Map<string, string>();
    DEMO_COST_CODES.forEach((c, i) => {
      const cid = newId();
      costCodes.set(c.code, cid);
      state.costCodes.push({
        id: cid,
        project_id: projectId,
        code: c.code,
        full_code: c.code,
        name: c.description,
        position: i + 1,
        line_item_type_ids: types.map((t) => t.id),
        ...stamps,
        ...noOrigin,
      });
    });
    projects.set(p.projectNumber, { id: projectId, costCodes });
  }
  const dataset = inflightDataset();
  /** Commitment k -> its Procore id and first line's id (what its change orders reference). */
  const contracts = new Map<number, { id: string; firstLineId: string }>();
  for (const c of dataset.commitments) {
    const project = projects.get(c.projectNumber)!;
    const cid = newId();

    const contract: WorkOrderContract = {
      id: cid,
      company_id: companyId,
      project_id: project.id,
      vendor_id: vendorIds[c.vendorIndex],
      number: c.number,
      title: c.title,
      status: 'Approved',
      executed: true,
      retainage_percent: '0.0',
      contract_date: '2024-02-01',
      accounting_method: 'amount',
      deleted_at: null,
      ...stamps,
      ...noOrigin,
    };
    (c.kind === 'purchase_order_contract' ? state.purchaseOrderContracts : state.workOrderContracts).push(contract);
    const lineIds = c.lines.map(() => newId());
    contracts.set(c.k, { id: cid, firstLineId: lineIds[0] });
    c.lines.forEach((l, i) =>
      state.lineItems.push({
        id: lineIds[i],
        contract_id: cid,
        ...pricedLine(l, i + 1, project.costCodes.get(l.costCode) ?? null, types[0]?.id ?? null),
      }),
    );
  }
  for (const dc of dataset.directCosts) {
    if (!dc.procore) continue;
    const project = projects.get(dc.projectNumber)!;
    const id = newId();
    state.directCosts.push({
      id,
      company_id: companyId,
      project_id: project.id,
      vendor_id: vendorIds[dc.vendorIndex],
      direct_cost_type: 'Invoice',
      direct_cost_date: dc.date,
      invoice_number: dc.procore.invoiceNumber,
      status: 'approved',
      description: dc.procore.description,
      terms: null,
      received_date: null,
      payment_date: null,
      deleted_at: null,
      ...stamps,
      ...noOrigin,
    });
    dc.procore.lines.forEach((l, i) =>
      state.directCostLineItems.push({
        id: newId(),
        direct_cost_id: id,
        sub_job_id: null,
        ...pricedLine(l, i + 1, project.costCodes.get(l.costCode) ?? null, types[0]?.id ?? null),
      }),
    );
  }
  /** An approved one-tier change order of a contract, with its one line on the contract's first line. */
  const addChangeOrder = (
    kind: 'commitment' | 'prime',
    projectNumber: string,
    contract: { id: string; firstLineId: string },
    co: { number: string; title: string; line: InflightLine },
    dueDate: string,
    lineItemTypeId: string | null,
  ) => {
    const project = projects.get(projectNumber)!;
    const id = newId();
    state.changeOrders.push({
      id,
      company_id: companyId,
      project_id: project.id,
      kind,
      contract_id: contract.id,
      number: co.number,
      title: co.title,
      description: null,
      status: 'approved',
      executed: true,
      due_date: dueDate,
      revision: 0,
      ...stamps,
      ...noOrigin,
    });
    state.changeOrderLineItems.push({
      id: newId(),
      change_order_id: id,
      contract_line_item_id: contract.firstLineId,
      ...pricedLine(co.line, 1, project.costCodes.get(co.line.costCode) ?? null, lineItemTypeId),
    });
  };
  for (const co of dataset.changeOrders)
    addChangeOrder(
      'commitment',
      co.projectNumber,
      contracts.get(co.commitmentK)!,
      co,
      '2024-02-15',
      types[0]?.id ?? null,
    );
  // Subcontractor invoices keyed by hand: one line billing the subcontract's first line.
  for (const b of dataset.bills) {
    const project = projects.get(b.projectNumber)!;
    const contract = contracts.get(b.commitmentK)!;
    const id = newId();
    state.requisitions.push({
      id,
      company_id: companyId,
      project_id: project.id,
      commitment_id: contract.id,
      number: 1,
      invoice_number: b.invoiceNumber,
      billing_date: b.date,
      period_start: '2024-03-01',
      period_end: b.date,
      status: 'approved',
      erp_status: null,
      payment_date: null,
      ...stamps,
      ...noOrigin,
    });
    const amount = b.line.amount.toFixed(2);
    state.requisitionItems.push({
      id: newId(),
      requisition_id: id,
      line_item_id: contract.firstLineId,
      cost_code_id: project.costCodes.get(b.line.costCode) ?? null,
      description: b.line.description,
      scheduled_value: dataset.commitments[b.commitmentK].lines[0].amount.toFixed(2),
      work_completed_from_previous: '0.00',
      work_completed_this_period: amount,
      materials_presently_stored: '0.00',
      retainage_percent: '0.00',
      retainage_this_period: '0.00',
      position: 1,
      ...noOrigin,
    });
  }

  // Revenue and cost budgets: prime contracts with lines, their change orders, budget changes, budget lines.
  const typeId = (code: string | null) => types.find((t) => t.code === code)?.id ?? types[0]?.id ?? '';
  const primes = new Map<string, { id: string; firstLineId: string }>();
  for (const pc of dataset.primeContracts) {
    const project = projects.get(pc.projectNumber)!;
    for (const c of pc.contracts) {
      const id = newId();
      state.primeContracts.push({
        id,
        company_id: companyId,
        project_id: project.id,
        number: c.number,
        title: c.title,
        status: 'Approved',
        executed: true,
        retainage_percent: '0.0',
        contract_date: '2024-01-15',
        owner_name: 'Inflight Owner LLC',
        deleted_at: null,
        ...stamps,
        ...noOrigin,
      });
      const lineIds = c.lines.map(() => newId());
      if (!primes.has(pc.projectNumber)) primes.set(pc.projectNumber, { id, firstLineId: lineIds[0] });
      c.lines.forEach((l, i) =>
        state.lineItems.push({
          id: lineIds[i],
          contract_id: id,
          ...pricedLine(l, i + 1, project.costCodes.get(l.costCode) ?? null, null),
        }),
      );
    }
  }
  for (const co of dataset.primeChangeOrders)
    addChangeOrder('prime', co.projectNumber, primes.get(co.projectNumber)!, co, '2024-02-20', null);
  for (const bc of dataset.budgetChanges) {
    const project = projects.get(bc.projectNumber)!;
    state.budgetChanges.push({
      id: newId(),
      project_id: project.id,
      number: Number(bc.number),
      title: bc.title,
      description: null,
      status: 'approved',
      lines: [
        {
          id: newId(),
          sub_job_id: null,
          cost_code_id: project.costCodes.get(bc.line.costCode)!,
          line_item_type_id: typeId(bc.line.costType),
          amount: bc.line.amount.toFixed(2),
          description: bc.line.description,
        },
      ],
      ...stamps,
    });
  }
  for (const b of dataset.budgets) {
    const project = projects.get(b.projectNumber)!;
    state.budgets.push({ id: newId(), project_id: project.id, locked: false, ...noOrigin });
    for (const l of b.lines)
      state.budgetLineItems.push({
        id: newId(),
        project_id: project.id,
        sub_job_id: null,
        cost_code_id: project.costCodes.get(l.costCode)!,
        line_item_type_id: typeId(l.costType),
        description: l.description,
        original_budget_amount: l.amount.toFixed(2),
        quantity: null,
        unit_cost: null,
        uom: null,
        ...stamps,
        ...noOrigin,
      });
  }
}
