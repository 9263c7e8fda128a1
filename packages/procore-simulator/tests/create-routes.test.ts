/**
 * A scenario built over HTTP the way a Procore user's integration would: the public create routes (project, sub
 * job, work order and purchase order contracts and their lines, subcontractor invoices and their items, commitment
 * change orders, direct costs and their lines, prime contracts and their lines, budget changes), each validated as
 * Procore validates, with a 422 naming the field for what it refuses.
 */
import { DEMO_COST_TYPES, DEMO_PROJECT, DEMO_PROJECT_COST_CODES, DEMO_VENDORS } from 'simulator-common';
import { startProcoreSimulator, type RunningProcoreSimulator } from '../src/testing';

describe('Procore simulator create routes', () => {
  let sim: RunningProcoreSimulator;
  let headers: Record<string, string>;

  beforeAll(async () => {
    sim = await startProcoreSimulator();
    const res = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: sim.credentials.clientId,
        client_secret: sim.credentials.clientSecret,
      }),
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    headers = {
      Authorization: `Bearer ${token}`,
      'Procore-Company-Id': sim.companyId,
      'Content-Type': 'application/json',
    };
  });
  afterAll(async () => {
    await sim.close();
  });

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(sim.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const post = (path: string, body: unknown) => call('POST', path, body);

  it('builds a project with a sub job and a subcontract with lines, which reads back with its total', async () => {
    const project = await post('/rest/v1.0/projects', {
      company_id: sim.companyId,
      project: { name: 'Harbor Clinic', project_number: 'HC-2026', city: 'Tacoma', state_code: 'WA' },
    });
    expect(project.status).toBe(201);
    const P = String(project.body.id);
    expect(project.body).toMatchObject({ name: 'Harbor Clinic', project_number: 'HC-2026', active: true });

    const subJob = await post('/rest/v1.0/sub_jobs', { project_id: P, sub_job: { code: '01', name: 'Clinic wing' } });
    expect(subJob).toMatchObject({ status: 201, body: { code: '01', name: 'Clinic wing' } });

    const vendorId = DEMO_VENDORS[0].procoreId;
    const contract = await post('/rest/v1.0/work_order_contracts', {
      project_id: P,
      work_order_contract: { title: 'Framing', vendor_id: vendorId, status: 'Approved', retainage_percent: '10' },
    });
    expect(contract.status).toBe(201);
    expect(contract.body).toMatchObject({ number: '1', title: 'Framing', status: 'Approved' });
    const C = String(contract.body.id);
    const second = await post('/rest/v1.0/work_order_contracts', {
      project_id: P,
      work_order_contract: { title: 'Roof' },
    });
    expect(second.body.number).toBe('2'); // numbered as Procore numbers new commitments

    const lines = `/rest/v1.0/work_order_contracts/${C}/line_items`;
    const amountLine = await post(lines, {
      project_id: P,
      line_item: {
        description: 'Framing labour',
        amount: '84317.46',
        cost_code_id: DEMO_PROJECT_COST_CODES[0].procoreId,
        line_item_type_id: DEMO_COST_TYPES[0].procoreId,
      },
    });
    expect(amountLine.status).toBe(201);
    const unitLine = await post(lines, {
      project_id: P,
      line_item: { description: 'Studs', quantity: '1200', unit_cost: '4.125', uom: 'ea' },
    });
    expect(unitLine).toMatchObject({ status: 201, body: { amount: '4950.00', position: 2 } });

    const read = await call('GET', `/rest/v1.0/work_order_contracts/${C}?project_id=${P}`);
    expect(read.body).toMatchObject({ grand_total: '89267.46', vendor: { id: Number(vendorId) } });

    // An invoice on it, item by item: retainage follows the contract's percent; billing past the scheduled value is
    // refused; the next invoice carries this one's work as "from previous".
    const invoice = await post('/rest/v1.0/requisitions', {
      project_id: P,
      commitment_id: C,
      requisition: { invoice_number: 'HC-INV-1', billing_date: '2026-11-30' },
    });
    expect(invoice).toMatchObject({ status: 201, body: { number: 1, invoice_number: 'HC-INV-1' } });
    const R = String(invoice.body.id);
    const items = (await call('GET', `/rest/v1.0/requisitions/${R}/contract_items?project_id=${P}`))
      .body as unknown as Array<{ id: number; scheduled_value: string }>;
    expect(items.map((i) => i.scheduled_value)).toEqual(['84317.46', '4950.00']);
    const item = `/rest/v1.0/requisitions/${R}/contract_items`;
    const billed = await call('PATCH', `${item}/${items[0].id}?project_id=${P}`, {
      requisition_contract_item: { work_completed_this_period: '42158.73' },
    });
    expect(billed.body).toMatchObject({
      work_completed_this_period: '42158.73',
      work_completed_retainage_retained_this_period: '4215.87',
    });
    const over = await call('PATCH', `${item}/${items[1].id}?project_id=${P}`, {
      requisition_contract_item: { work_completed_this_period: '4950.01' },
    });
    expect(over.status).toBe(422);
    const nextInvoice = await post('/rest/v1.0/requisitions', { project_id: P, commitment_id: C, requisition: {} });
    const secondItems = (
      await call('GET', `/rest/v1.0/requisitions/${String(nextInvoice.body.id)}/contract_items?project_id=${P}`)
    ).body as unknown as Array<{ work_completed_from_previous_application: string }>;
    expect(nextInvoice.body.number).toBe(2);
    expect(secondItems[0].work_completed_from_previous_application).toBe('42158.73');

    // A change order on it: numbered per contract.
    const co = await post(`/rest/v1.0/projects/${P}/commitment_change_orders`, {
      change_order: { contract_id: C, title: 'Added blocking', status: 'approved' },
    });
    expect(co).toMatchObject({ status: 201, body: { number: '1', title: 'Added blocking', status: 'approved' } });

    const po = await post('/rest/v1.0/purchase_order_contracts', {
      project_id: P,
      purchase_order_contract: { title: 'Lumber', vendor_id: vendorId },
    });
    expect(po).toMatchObject({ status: 201, body: { number: '1', status: 'Draft' } });
  });

  it('builds a direct cost with lines and a prime contract with lines, each reading back', async () => {
    const P = DEMO_PROJECT.procoreId;
    const cost = await post(`/rest/v1.0/projects/${P}/direct_costs`, {
      item: { invoice_number: 'RENT-77', vendor_id: DEMO_VENDORS[1].procoreId, direct_cost_type: 'invoice' },
    });
    expect(cost).toMatchObject({ status: 201, body: { invoice_number: 'RENT-77', direct_cost_type: 'Invoice' } });
    const D = String(cost.body.id);
    const line = await post(`/rest/v1.0/projects/${P}/direct_costs/${D}/line_items`, {
      line_item: {
        description: 'Crane, 3 days',
        quantity: '3',
        unit_cost: '1450.005',
        cost_code_id: DEMO_PROJECT_COST_CODES[1].procoreId,
        line_item_type_id: DEMO_COST_TYPES[1].procoreId,
      },
    });
    expect(line.status).toBe(201);
    const lines = await call('GET', `/rest/v1.0/projects/${P}/direct_costs/${D}/line_items`);
    expect((lines.body as unknown as Array<{ description: string }>).map((l) => l.description)).toEqual([
      'Crane, 3 days',
    ]);

    const prime = await post('/rest/v1.0/prime_contract', {
      project_id: P,
      prime_contract: { title: 'Phase 2', vendor_id: DEMO_VENDORS[0].procoreId, retainage_percent: '5' },
    });
    expect(prime.status).toBe(201);
    const C = String(prime.body.id);
    const added = await post(`/rest/v1.0/prime_contracts/${C}/line_items?project_id=${P}`, {
      line_item: {
        description: 'Shell',
        amount: '150000.00',
        cost_code_id: DEMO_PROJECT_COST_CODES[0].procoreId,
        line_item_type_id: DEMO_COST_TYPES[0].procoreId,
      },
    });
    expect(added.status).toBe(201);
    const read = await call('GET', `/rest/v1.0/prime_contract/${C}?project_id=${P}`);
    expect(read.body).toMatchObject({ title: 'Phase 2', status: 'Draft' });

    const codes = (await call('GET', `/rest/v1.0/projects/${P}/work_breakdown_structure/wbs_codes`))
      .body as unknown as Array<{ id: number; flat_code: string }>;
    const change = await post(`/rest/v1.0/projects/${P}/budget_changes`, {
      status: 'approved',
      title: 'Allowance to framing',
      adjustment_line_items: [
        { wbs_code_id: codes[0].id, amount: '2500.00', description: 'Framing' },
        { wbs_code_id: codes[1].id, amount: '-2500.00', description: 'Allowance' },
      ],
    });
    expect(change.status).toBe(201);
    const data = change.body.data as {
      id: number;
      adjustment_line_items: Array<{ amount: unknown; wbs_code: { flat_code: string } }>;
    };
    expect(data.adjustment_line_items.map((l) => [l.wbs_code.flat_code, Number(l.amount)])).toEqual([
      [codes[0].flat_code, 2500],
      [codes[1].flat_code, -2500],
    ]);
    const shown = await call('GET', `/rest/v1.0/projects/${P}/budget_changes/${data.id}`);
    expect((shown.body.data as { title: string }).title).toBe('Allowance to framing');
  });

  it('updates: a line repriced, an invalid change refused whole, a synced record locked', async () => {
    const P = DEMO_PROJECT.procoreId;
    const c = await post('/rest/v1.0/work_order_contracts', {
      project_id: P,
      work_order_contract: { title: 'Updates' },
    });
    const lines = `/rest/v1.0/work_order_contracts/${String(c.body.id)}/line_items`;
    const line = await post(lines, { project_id: P, line_item: { description: 'Studs', amount: '100.00' } });
    const L = `${lines}/${String(line.body.id)}?project_id=${P}`;
    const repriced = await call('PATCH', L, { line_item: { quantity: '12', unit_cost: '4.125' } });
    expect(repriced).toMatchObject({ status: 200, body: { amount: '49.50' } });
    const bad = await call('PATCH', L, { line_item: { description: 'Joists', cost_code_id: '424242' } });
    expect(bad).toMatchObject({ status: 422, body: { errors: { cost_code_id: ['does not exist'] } } });
    expect((await call('GET', L)).body).toMatchObject({ description: 'Studs', amount: '49.50' });

    sim.store.state.lineItems.find((l) => l.id === String(line.body.id))!.origin_id = 'SC000099:1';
    const locked = await call('PATCH', L, { line_item: { description: 'Joists' } });
    expect(locked.status).toBe(422);
    expect(String(locked.body.errors)).toMatch(/synced with your ERP \(origin_id SC000099:1\).*description/);

    const co = await post(`/rest/v1.0/projects/${P}/commitment_change_orders`, {
      change_order: { contract_id: String(c.body.id), title: 'Pending one', status: 'pending' },
    });
    const coPath = `/rest/v1.0/projects/${P}/commitment_change_orders/${String(co.body.id)}`;
    expect((await call('PATCH', coPath, { change_order: { status: 'signed' } })).status).toBe(422);
    expect((await call('GET', coPath)).body.status).toBe('pending');
    expect((await call('PATCH', coPath, { change_order: { status: 'approved' } })).body.status).toBe('approved');
  });

  it('refuses what Procore refuses, naming the field', async () => {
    const { body: project } = await post('/rest/v1.0/projects', {
      company_id: sim.companyId,
      project: { name: 'Refusals', project_number: 'RF-1' },
    });
    const P = String(project.id);
    const refused = async (path: string, body: unknown) => {
      const res = await post(path, body);
      expect(res.status).toBe(422);
      return res.body.errors;
    };
    expect(await refused('/rest/v1.0/projects', { company_id: sim.companyId, project: { city: 'Nowhere' } })).toEqual({
      name: ["can't be blank"],
    });
    expect(
      await refused('/rest/v1.0/projects', {
        company_id: sim.companyId,
        project: { name: 'Twin', project_number: 'RF-1' },
      }),
    ).toEqual({ project_number: ['has already been taken'] });

    await post('/rest/v1.0/sub_jobs', { project_id: P, sub_job: { code: '01', name: 'First' } });
    expect(await refused('/rest/v1.0/sub_jobs', { project_id: P, sub_job: { code: '01', name: 'Again' } })).toEqual({
      code: ['has already been taken'],
    });
    expect(await refused('/rest/v1.0/sub_jobs', { project_id: P, sub_job: { code: '02' } })).toEqual({
      name: ["can't be blank"],
    });

    const woc = '/rest/v1.0/work_order_contracts';
    expect(await refused(woc, { project_id: P, work_order_contract: { vendor_id: '999999' } })).toEqual({
      vendor_id: ['is not a vendor in the company directory'],
    });
    expect(await refused(woc, { project_id: P, work_order_contract: { status: 'Signed' } })).toMatchObject({
      status: [expect.stringContaining('must be one of Draft')],
    });
    expect(await refused(woc, { project_id: P, work_order_contract: { retainage_percent: 'ten' } })).toEqual({
      retainage_percent: ['is not a valid decimal'],
    });
    const first = await post(woc, { project_id: P, work_order_contract: { origin_id: 'SC-900' } });
    expect(first.status).toBe(201);
    expect(await refused(woc, { project_id: P, work_order_contract: { origin_id: 'SC-900' } })).toEqual({
      origin_id: ['has already been taken'],
    });
    expect(
      await refused(`${woc}/${String(first.body.id)}/line_items`, {
        project_id: P,
        line_item: { amount: '10.00', cost_code_id: '424242' },
      }),
    ).toEqual({ cost_code_id: ['does not exist'] });

    const costs = `/rest/v1.0/projects/${P}/direct_costs`;
    expect(await refused(costs, { item: { invoice_number: 'X-1' } })).toEqual({
      vendor_id: ["can't be blank"],
      direct_cost_type: ["can't be blank"],
    });
    expect(
      await refused(costs, { item: { invoice_number: 'X-1', vendor_id: '999999', direct_cost_type: 'gift' } }),
    ).toEqual({
      direct_cost_type: ['must be one of invoice, expense, payroll'],
      vendor_id: ['is not a vendor in the company directory'],
    });
    expect(
      await refused('/rest/v1.0/prime_contract', { project_id: P, prime_contract: { vendor_id: '999999' } }),
    ).toEqual({ vendor_id: ['is not a vendor in the company directory'] });
    expect(
      await refused(`/rest/v1.0/projects/${P}/budget_changes`, {
        status: 'signed',
        adjustment_line_items: [{ wbs_code_id: '1', amount: 'ten' }],
      }),
    ).toEqual({
      status: ['must be one of draft, pending, approved, void'],
      'adjustment_line_items[0].wbs_code_id': ['is not a budget code of the project'],
      'adjustment_line_items[0].amount': ['is not a valid decimal'],
    });

    expect(
      await refused(`/rest/v1.0/projects/${P}/commitment_change_orders`, { change_order: { title: 'No contract' } }),
    ).toEqual({ contract_id: ['is not a commitment contract of the project'] });
    const draft = await post(woc, { project_id: P, work_order_contract: { title: 'Draft one' } });
    expect(
      await refused('/rest/v1.0/requisitions', {
        project_id: P,
        commitment_id: String(draft.body.id),
        requisition: {},
      }),
    ).toEqual({ commitment_id: ['is Draft; invoices need an approved commitment'] });

    // Nothing refused was stored.
    const list = await call('GET', `${woc}?project_id=${P}`);
    expect((list.body as unknown as unknown[]).length).toBe(2); // SC-900 and the draft, nothing refused
  });
});
