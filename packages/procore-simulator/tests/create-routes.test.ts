/**
 * A scenario built over HTTP the way a Procore user's integration would: the public create routes (project,
 * sub job, work order and purchase order contracts, their lines), each validated as Procore validates, with a
 * 422 naming the field for what it refuses.
 */
import { DEMO_COST_TYPES, DEMO_PROJECT_COST_CODES, DEMO_VENDORS } from 'simulator-common';
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

    const po = await post('/rest/v1.0/purchase_order_contracts', {
      project_id: P,
      purchase_order_contract: { title: 'Lumber', vendor_id: vendorId },
    });
    expect(po).toMatchObject({ status: 201, body: { number: '1', status: 'Draft' } });
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

    // Nothing refused was stored.
    const list = await call('GET', `${woc}?project_id=${P}`);
    expect((list.body as unknown as unknown[]).length).toBe(1);
  });
});
