/**
 * The Acumatica simulator, driven over HTTP by the real AcumaticaClient: releases and endpoint versions,
 * contract-driven entities and fields, format, queries, PUT semantics, actions, admin endpoints, faults.
 */
import { AcumaticaClient, val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { and, eq, gt, startswith } from '../../clients/acumatica/odata';
import {
  ConflictError,
  NotFoundError,
  RateLimitError,
  TransientUpstreamError,
  ValidationError,
} from '../../lib/errors';
import { loadContract, RELEASES, type AcumaticaRelease } from 'acumatica-simulator/src/contract';
import { DEMO_COMPANY, DEMO_PROJECT } from 'simulator-common';
import { compileFilter, FilterSyntaxError } from 'acumatica-simulator/src/odata';
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';

type Sim = ReturnType<typeof createAcumaticaSimulator>;

async function start(opts: Parameters<typeof createAcumaticaSimulator>[0] = {}) {
  const sim = createAcumaticaSimulator(opts);
  const server = await sim.listen(0);
  return { sim, server, url: server.url };
}

function client(url: string, extra: Partial<ConstructorParameters<typeof AcumaticaClient>[0]> = {}): AcumaticaClient {
  return new AcumaticaClient({
    baseUrl: url,
    tenant: DEMO_COMPANY.acumaticaTenant,
    username: DEMO_COMPANY.acumaticaLogin.name,
    password: DEMO_COMPANY.acumaticaLogin.password,
    pollIntervalMs: 20,
    timeoutMs: 5000,
    ...extra,
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const admin = async (url: string, path: string, body?: unknown): Promise<Json> => {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status === 204 ? undefined : res.json();
};

const subcontractBody = (ref: string, extra: Record<string, unknown> = {}) => ({
  VendorID: 'V100231',
  VendorRef: ref,
  Description: 'SC-24017-003 Cast-in-Place Concrete',
  Date: '2024-03-18',
  RetainagePct: 10,
  ApplyRetainage: true,
  Details: [
    {
      Project: DEMO_PROJECT.acumaticaProjectId,
      Task: '01',
      CostCode: '03-100',
      LineDescription: 'Formwork',
      OrderQty: 1,
      UnitCost: 64250,
      Amount: 64250,
    },
    {
      Project: DEMO_PROJECT.acumaticaProjectId,
      Task: '01',
      CostCode: '03-350',
      LineDescription: 'Finish',
      Amount: 38420.5,
    },
  ],
  ...extra,
});

describe('contract', () => {
  it('reads entities, fields and actions from the OpenAPI documents', () => {
    const c22 = loadContract('22.200.001');
    const c23 = loadContract('23.200.001');
    expect(c22.hasEntity('Subcontract')).toBe(false);
    expect(c23.hasEntity('Subcontract')).toBe(true);
    const sc = c23.entity('Subcontract')!;
    expect(sc.screen).toBe('SC301000');
    expect(sc.fields.get('Details')).toMatchObject({ kind: 'detail', schema: 'SubcontractDetail' });
    expect(sc.fields.get('RetainagePct')).toMatchObject({ kind: 'value', valueType: 'DecimalValue' });
    expect(sc.actions.sort()).toEqual(['PutOnHold', 'ReleaseFromHold']);
    expect(loadContract('20.200.001').entity('Vendor')!.fields.has('LegalName')).toBe(false);
    expect(c22.entity('Vendor')!.fields.has('LegalName')).toBe(true);
    expect(loadContract('24.200.001').hasEntity('CashTransaction')).toBe(true);
    const ext = c22.extend('ProcoreConnector', '22.200.001', ['Subcontract'], c23);
    expect(ext.endpointName).toBe('ProcoreConnector');
    expect(ext.entity('Subcontract')!.fields.has('VendorRef')).toBe(true);
    expect(ext.hasEntity('Vendor')).toBe(true);
    expect(c22.hasEntity('Subcontract')).toBe(false); // the system endpoint is unchanged
    expect(loadContract('26.200.001').systemContract).toBe(5);
    expect(loadContract('25.200.001').systemContract).toBe(4);
  });
});

describe('simulator $filter', () => {
  const rec: Record<string, unknown> = {
    VendorName: "O'Brien & Sons Masonry",
    Amount: 12.5,
    Active: true,
    LastModifiedDateTime: '2024-03-01T15:00:00.000+00:00',
    MainContact: { Email: 'a@b.c' },
  };
  const match = (f: string) =>
    compileFilter(f)((p) => p.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], rec));
  it.each([
    ["VendorName eq 'O''Brien & Sons Masonry'", true],
    ["VendorName eq 'o''brien & sons masonry'", true],
    ["VendorName ne 'x' and Amount gt 12", true],
    ['Amount ge 12.5 and Amount le 12.5 and not (Amount lt 12.5)', true],
    ["(Amount gt 100 or Active eq true) and substringof('Sons', VendorName)", true],
    ["startswith(VendorName, 'O''B') and endswith(VendorName, 'Masonry')", true],
    ["LastModifiedDateTime gt datetimeoffset'2024-03-01T14:59:59.000+00:00'", true],
    ["LastModifiedDateTime gt datetimeoffset'2024-03-01T16:00:00 01:00'", false],
    ["MainContact/Email eq 'a@b.c'", true],
    ['Active eq false', false],
  ])('%s -> %s', (f, expected) => {
    expect(match(f)).toBe(expected);
  });
  it('rejects bad syntax', () => {
    expect(() => compileFilter("VendorName eq 'x")).toThrow(FilterSyntaxError);
    expect(() => compileFilter('VendorName eq')).toThrow(FilterSyntaxError);
  });
});

describe('releases and versions', () => {
  const expected: Record<AcumaticaRelease, { versions: string[]; pick: string }> = {
    '2022R1': { versions: ['20.200.001'], pick: '20.200.001' },
    '2022R2': { versions: ['20.200.001', '22.200.001'], pick: '22.200.001' },
    '2023R1': { versions: ['20.200.001', '22.200.001'], pick: '22.200.001' },
    '2023R2': { versions: ['20.200.001', '22.200.001', '23.200.001'], pick: '23.200.001' },
    '2024R1': { versions: ['20.200.001', '22.200.001', '23.200.001'], pick: '23.200.001' },
    '2024R2': { versions: ['20.200.001', '22.200.001', '23.200.001', '24.200.001'], pick: '24.200.001' },
    '2025R1': { versions: ['20.200.001', '22.200.001', '23.200.001', '24.200.001'], pick: '24.200.001' },
    '2025R2': {
      versions: ['20.200.001', '22.200.001', '23.200.001', '24.200.001', '25.200.001'],
      pick: '25.200.001',
    },
    '2026R1': {
      versions: ['20.200.001', '22.200.001', '23.200.001', '24.200.001', '25.200.001'],
      pick: '25.200.001',
    },
    '2026R2': {
      versions: ['20.200.001', '22.200.001', '23.200.001', '24.200.001', '25.200.001', '26.200.001'],
      pick: '26.200.001',
    },
  };
  it.each(RELEASES.map((r) => [r]))('%s: GET /entity and negotiation', async (release) => {
    const { server, url } = await start({ release });
    try {
      const c = client(url);
      const info = await c.getVersionInfo();
      expect(info.version.acumaticaBuildVersion).toMatch(
        new RegExp(`^${release.slice(2, 4)}\\.${release.endsWith('R1') ? '1' : '2'}\\d\\d\\.\\d{4}$`),
      );
      expect(info.endpoints.map((e) => e.version)).toEqual(expected[release].versions);
      expect(info.endpoints[0]).toEqual({
        name: 'Default',
        version: '20.200.001',
        href: '/entity/Default/20.200.001/',
      });
      expect(await c.negotiateVersion()).toBe(expected[release].pick);
      const vendors = await c.list('Vendor', { top: 1 });
      expect(vendors).toHaveLength(1);
      await c.close();
    } finally {
      await server.close();
    }
  });

  it('a version the release does not ship is 404', async () => {
    const { server, url } = await start({ release: '2024R1' });
    const c = client(url, { endpointVersion: '24.200.001' });
    try {
      await expect(c.list('Vendor')).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await c.close();
      await server.close();
    }
  });

  it('Subcontract is 404 on 2022R2 Default; the extension endpoint ProcoreConnector/22.200.001 serves it', async () => {
    const plain = await start({ release: '2022R2' });
    const ext = await start({ release: '2022R2', extensionEndpoint: { name: 'ProcoreConnector' } });
    const c1 = client(plain.url);
    const c2 = client(ext.url, { endpointName: 'ProcoreConnector' });
    try {
      expect(await c1.negotiateVersion()).toBe('22.200.001');
      expect(await c1.hasEntity('Subcontract')).toBe(false);
      const err = await c1.put('Subcontract', subcontractBody('PC-1')).catch((e) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.message).toBe(
        'Acumatica 2022 R2 (build 22.210.0017, endpoint Default/22.200.001) has no Subcontract entity. ' +
          'Subcontracts arrive in Default/23.200.001 (Acumatica 2023 R2); a system endpoint cannot be edited, so on ' +
          "this release install the connector's endpoint extension: on Web Service Endpoints (SM207060) select " +
          'Default/22.200.001, click Extend Endpoint and save it as a new endpoint (e.g. name ProcoreConnector, ' +
          'version 22.200.001); insert the entity "Subcontract" on the Subcontracts form (SC301000) with the fields ' +
          'SubcontractNbr, Status, Date, StartDate, VendorID, VendorRef, Description, ApplyRetainage, RetainagePct, ' +
          'LastModifiedDateTime, the detail "Details" with LineNbr, Project, Task, CostCode, LineDescription, ' +
          'OrderQty, UnitCost, Amount, RetainagePct, Completed, Closed, Canceled, and the actions ReleaseFromHold, ' +
          'PutOnHold; save; then connect the company with --endpoint ProcoreConnector --endpoint-version ' +
          '22.200.001 (see clients/acumatica/README.md, "Acumatica releases before 2023 R2").',
      );
      await expect(c1.list('Subcontract')).rejects.toThrow(/has no Subcontract entity/);
      await expect(c1.get('Subcontract', 'SC000001')).rejects.toThrow(/has no Subcontract entity/);
      await expect(c1.get('Vendor', 'NOPE')).rejects.toBeInstanceOf(NotFoundError);
      expect(await c1.hasEntity('Vendor')).toBe(true);

      // The extension is negotiated by its name (newest supported version) from the signed-in GET /entity.
      expect(await c2.negotiateVersion()).toBe('22.200.001');
      expect(await c2.hasEntity('Subcontract')).toBe(true);
      const sc = await c2.put('Subcontract', subcontractBody('PC-2'), { expand: ['Details'] });
      expect(val(sc.SubcontractNbr)).toBe('SC000001');
      expect(sc._links?.self).toBe(`/entity/ProcoreConnector/22.200.001/Subcontract/${sc.id}`);
      expect(val((await c2.get('Vendor', 'V100231')).VendorName)).toBe('Acme Concrete & Paving, LLC');
      // The system endpoint of the same instance still has no Subcontract, as on a real instance.
      const c3 = client(ext.url);
      await expect(c3.list('Subcontract', { filter: eq('VendorRef', 'PC-2') })).rejects.toThrow(
        /endpoint Default\/22\.200\.001\) has no Subcontract entity/,
      );
      expect((await c3.list('Vendor', { top: 1 })).length).toBe(1);
      await c3.close();
    } finally {
      await c1.close();
      await c2.close();
      await plain.server.close();
      await ext.server.close();
    }
  });

  it('the extension endpoint: listed by GET /entity only when signed in; Default/22.200.001/Subcontract refused', async () => {
    const { server, url } = await start({ release: '2022R2', extensionEndpoint: { name: 'ProcoreConnector' } });
    try {
      const anonymous: Json = await (await fetch(`${url}/entity`)).json();
      expect(anonymous.endpoints.map((e: Json) => `${e.name}/${e.version}`)).toEqual([
        'Default/20.200.001',
        'Default/22.200.001',
      ]);
      const login = await fetch(`${url}/entity/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          name: DEMO_COMPANY.acumaticaLogin.name,
          password: DEMO_COMPANY.acumaticaLogin.password,
        }),
      });
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const get = (p: string) => fetch(url + p, { headers: { Cookie: cookie } });
      const signedIn: Json = await (await get('/entity')).json();
      expect(signedIn.endpoints.at(-1)).toEqual({
        name: 'ProcoreConnector',
        version: '22.200.001',
        href: '/entity/ProcoreConnector/22.200.001/',
      });
      const put = await fetch(`${url}/entity/Default/22.200.001/Subcontract`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body: JSON.stringify({ VendorID: { value: 'V100231' } }),
      });
      expect(put.status).toBe(404);
      expect(((await put.json()) as Json).message).toBe(
        'The entity Subcontract is not defined in the endpoint Default/22.200.001.',
      );
      const swagger: Json = await (await get('/entity/ProcoreConnector/22.200.001/swagger.json')).json();
      expect(swagger.info.title).toBe('ProcoreConnector/22.200.001');
      expect(swagger.tags.map((t: Json) => t.name)).toEqual(expect.arrayContaining(['Subcontract', 'Vendor', 'Bill']));
      expect(
        ((await get('/entity/Default/22.200.001/swagger.json').then((r) => r.json())) as Json).tags.map(
          (t: Json) => t.name,
        ),
      ).not.toContain('Subcontract');
      expect((await get('/entity/ProcoreConnector/20.200.001/Vendor')).status).toBe(404);
      expect((await get('/entity/Other/22.200.001/Vendor')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('a client on an extension name the instance does not list is refused saying so', async () => {
    const { server, url } = await start({ release: '2022R2' });
    const c = client(url, { endpointName: 'ProcoreConnector' });
    try {
      await expect(c.negotiateVersion()).rejects.toThrow(
        /lists no endpoint named ProcoreConnector to the connector's user \(endpoints: Default\/20\.200\.001, Default\/22\.200\.001\)/,
      );
    } finally {
      await c.close();
      await server.close();
    }
  });

  it('fields follow the version contract (Vendor.LegalName only from 22.200.001)', async () => {
    const { server, url } = await start({ release: '2023R1' });
    const c20 = client(url, { endpointVersion: '20.200.001' });
    const c22 = client(url, { endpointVersion: '22.200.001' });
    try {
      const [v20] = await c20.list('Vendor', { filter: eq('VendorID', 'V100231') });
      const [v22] = await c22.list('Vendor', { filter: eq('VendorID', 'V100231') });
      expect(v20.LegalName).toBeUndefined();
      expect(val(v22.LegalName)).toBe('Acme Concrete & Paving, LLC');
    } finally {
      await c20.close();
      await c22.close();
      await server.close();
    }
  });
});

describe('system contract 5 (2026R2, Default/26.200.001)', () => {
  let sim: Awaited<ReturnType<typeof start>>;
  let cookie: string;
  const base = '/entity/Default/26.200.001';
  beforeAll(async () => {
    sim = await start({ release: '2026R2', actionPolls: 0 });
    const login = await fetch(`${sim.url}/entity/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: DEMO_COMPANY.acumaticaLogin.name,
        password: DEMO_COMPANY.acumaticaLogin.password,
        tenant: DEMO_COMPANY.acumaticaTenant,
      }),
    });
    cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  });
  afterAll(() => sim.server.close());
  const http = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(sim.url + base + path, {
      method,
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  it('drop-downs are {id, description}; written {"value": {"id"}}; a plain string is 400', async () => {
    const created = await http('PUT', '/PurchaseOrder?$expand=Details', {
      Type: { value: { id: 'RO' } },
      VendorID: { value: 'V100301' },
      VendorRef: { value: 'PC-C5-1' },
      Hold: { value: true },
      Details: [
        {
          Project: { value: DEMO_PROJECT.acumaticaProjectId },
          ProjectTask: { value: '01' },
          CostCode: { value: '06-100' },
          OrderQty: { value: 1 },
          UnitCost: { value: 5 },
        },
      ],
    });
    expect(created.status).toBe(200);
    expect(created.body.Type).toEqual({ value: { id: 'RO', description: 'Normal' } });
    expect(created.body.Status).toEqual({ value: { id: 'H', description: 'On Hold' } });
    const plain = await http('PUT', '/PurchaseOrder', { Type: { value: 'Normal' }, VendorID: { value: 'V100301' } });
    expect(plain.status).toBe(400);
    expect(JSON.stringify(plain.body)).toMatch(/Type: a single-select value/);
    // URL keys and $filter use the id
    const nbr = created.body.OrderNbr.value;
    expect((await http('GET', `/PurchaseOrder/RO/${nbr}`)).status).toBe(200);
    const byId = await http(
      'GET',
      `/PurchaseOrder?$filter=${encodeURIComponent(`Type eq 'RO' and VendorRef eq 'PC-C5-1'`)}`,
    );
    expect(byId.body).toHaveLength(1);
    const byLabel = await http(
      'GET',
      `/PurchaseOrder?$filter=${encodeURIComponent(`Type eq 'Normal' and VendorRef eq 'PC-C5-1'`)}`,
    );
    expect(byLabel.body).toHaveLength(0);
  });

  it('date-only fields are YYYY-MM-DD; nested $expand is Parent($expand=Child), the slash form is 400', async () => {
    const bills = await http('GET', '/Bill?$top=1&$expand=Details');
    expect(bills.status).toBe(200);
    expect(bills.body[0].Date.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(bills.body[0].Type.value).toEqual({ id: 'INV', description: 'Bill' });
    const nested = await http('GET', `/Vendor/V100231?$expand=${encodeURIComponent('MainContact($expand=Address)')}`);
    expect(nested.status).toBe(200);
    expect(nested.body.MainContact.Address).toBeDefined();
    const slash = await http('GET', `/Vendor/V100231?$expand=${encodeURIComponent('MainContact/Address')}`);
    expect(slash.status).toBe(400);
    expect(JSON.stringify(slash.body)).toMatch(/MainContact\(\$expand=/);
  });

  it('the client speaks contract 5 for callers written in contract-4 terms', async () => {
    const c = client(sim.url);
    try {
      expect(await c.negotiateVersion()).toBe('26.200.001');
      const po = await c.put('PurchaseOrder', { VendorID: 'V100301', VendorRef: 'PC-C5-2', Type: 'Normal' });
      expect(val(po.Type)).toBe('Normal');
      expect(val(po.Status)).toBe('On Hold');
      const found = await c.list('PurchaseOrder', { filter: and(eq('Type', 'Normal'), eq('VendorRef', 'PC-C5-2')) });
      expect(found.map((r) => val(r.OrderNbr))).toEqual([val(po.OrderNbr)]);
      const got = await c.get('PurchaseOrder', ['Normal', String(val(po.OrderNbr))], { select: ['Status'] });
      expect(val(got.Status)).toBe('On Hold');
      const vendor = await c.get('Vendor', 'V100231', { expand: ['MainContact/Address'] });
      expect(vendor.MainContact).toBeDefined();
      expect(val(vendor.Status)).toBe('Active');
    } finally {
      await c.close();
    }
  });
});

describe('entities, format and queries (2024R1, Default/23.200.001)', () => {
  let sim: Sim;
  let server: { url: string; close(): Promise<void> };
  let c: AcumaticaClient;
  beforeAll(async () => {
    ({ sim, server } = await start({ release: '2024R1' }));
    c = client(server.url);
  });
  afterAll(async () => {
    await c.close();
    await server.close();
  });

  it('returns value-wrapped records with system fields; linked entities only when expanded', async () => {
    const [p] = await c.list('Project', { filter: eq('ProjectID', DEMO_PROJECT.acumaticaProjectId) });
    expect(p).toMatchObject({
      rowNumber: 1,
      custom: {},
      files: [],
      ProjectID: { value: 'RMOB24017' },
      Customer: { value: 'C000418' },
    });
    expect(p.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(p._links?.['files:put']).toContain('{filename}');
    expect(p.BillingAndAllocationSettings).toBeUndefined();
    const [p2] = await c.list('Project', { expand: ['BillingAndAllocationSettings'] });
    expect(val((p2.BillingAndAllocationSettings as AcumaticaRecord).Branch)).toBe('HQ');
  });

  it('GET by key and by id; unknown key is NotFoundError', async () => {
    const v = await c.get('Vendor', ['V100245']);
    expect(val(v.VendorName)).toBe('Front Range Electrical Contractors');
    const byId = await c.get('Vendor', v.id!);
    expect(val(byId.VendorID)).toBe('V100245');
    const task = await c.get('ProjectTask', [DEMO_PROJECT.acumaticaProjectId, '01']);
    expect(val(task.Description)).toBe('General Conditions');
    await expect(c.get('Vendor', ['NOPE'])).rejects.toBeInstanceOf(NotFoundError);
  });

  it('$select, $top, $skip, startswith', async () => {
    const codes = await c.list('CostCode', { filter: startswith('CostCodeID', '03-'), select: ['CostCodeID'] });
    expect(codes.map((r) => val(r.CostCodeID))).toEqual(['03-100', '03-300', '03-350']);
    expect(codes[0].Description).toBeUndefined();
    const page2 = await c.list('CostCode', { top: 5, skip: 5 });
    expect(page2).toHaveLength(5);
    expect(page2[0].rowNumber).toBe(1);
    const all = await c.list('CostCode');
    expect(all).toHaveLength(12);
    expect(page2.map((r) => r.id)).toEqual(all.slice(5, 10).map((r) => r.id));
  });

  it('bad $filter, unknown $select/$expand field and unknown body field are 400 -> ValidationError', async () => {
    await expect(c.list('Vendor', { filter: "VendorName eq 'x" })).rejects.toBeInstanceOf(ValidationError);
    await expect(c.list('Vendor', { filter: eq('NoSuchField', 'x') })).rejects.toThrow(/NoSuchField/);
    await expect(c.list('Vendor', { select: ['Nope'] })).rejects.toBeInstanceOf(ValidationError);
    // Subcontract has no Hold field in the 23.200.001 contract
    const err = await c.put('Subcontract', subcontractBody('PC-HOLD', { Hold: false })).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details.status).toBe(400);
    expect(err.message).toMatch(/Hold/);
  });

  it('creates a Subcontract with an auto number, computes totals, finds it by VendorRef, updates lines', async () => {
    const sc = await c.put('Subcontract', subcontractBody("PC-7700101 O'Brien"), { expand: ['Details'] });
    const nbr = val<string>(sc.SubcontractNbr)!;
    expect(nbr).toMatch(/^SC\d{6}$/);
    expect(val(sc.Status)).toBe('On Hold');
    expect(val(sc.Branch)).toBe('HQ');
    expect(val(sc.Date)).toBe('2024-03-18T00:00:00+00:00');
    expect(val(sc.LineTotal)).toBe(102670.5);
    expect(val(sc.SubcontractTotal)).toBe(102670.5);
    expect(val(sc.RetainageTotal)).toBe(10267.05);
    const lines = sc.Details as AcumaticaRecord[];
    expect(lines.map((l) => val(l.LineNbr))).toEqual([1, 2]);
    expect(val(lines[1].OrderQty)).toBe(1);
    expect(val(lines[1].ExtendedCost)).toBe(38420.5);

    const found = await c.list('Subcontract', { filter: eq('VendorRef', "PC-7700101 O'Brien"), expand: ['Details'] });
    expect(found).toHaveLength(1);
    expect(found[0].id).toBe(sc.id);
    // list without $expand has no Details
    expect((await c.list('Subcontract', { filter: eq('VendorRef', "PC-7700101 O'Brien") }))[0].Details).toBeUndefined();

    const before = val<string>(sc.LastModifiedDateTime)!;
    sim.advanceClock(1000);
    const updated = await c.put(
      'Subcontract',
      {
        SubcontractNbr: nbr,
        Description: 'changed',
        Details: [
          { id: lines[0].id, Amount: 70000, UnitCost: 70000 },
          { Project: 'RMOB24017', Task: '01', Amount: 5 },
        ],
      },
      { expand: ['Details'], mode: 'update' },
    );
    expect(val(updated.Description)).toBe('changed');
    expect((updated.Details as AcumaticaRecord[]).map((l) => val(l.LineNbr))).toEqual([1, 2, 3]);
    expect(val(updated.LineTotal)).toBe(108425.5);
    expect(Date.parse(val<string>(updated.LastModifiedDateTime)!)).toBeGreaterThan(Date.parse(before));
    const since = await c.list('Subcontract', {
      filter: and(eq('VendorID', 'V100231'), gt('LastModifiedDateTime', new Date(Date.parse(before)))),
    });
    expect(since.map((r) => r.id)).toContain(sc.id);
    // delete a line
    const del = await c.put(
      'Subcontract',
      { id: sc.id, Details: [{ LineNbr: 3, delete: true }] },
      { expand: ['Details'] },
    );
    expect((del.Details as AcumaticaRecord[]).length).toBe(2);
  });

  it('PX-CbApiBranch sets the branch of a new document for one request; vendors restricted to HQ are invisible', async () => {
    const sc = await c.put('Subcontract', subcontractBody('PC-WEST', { VendorID: 'V100278' }), { branch: 'WEST' });
    expect(val(sc.Branch)).toBe('WEST');
    // V100231 is restricted to HQ ("Restrict Visibility To"): in WEST it cannot be found.
    const err = await c.put('Subcontract', subcontractBody('PC-WEST-2'), { branch: 'WEST' }).catch((e) => e);
    expect(err.details.fieldErrors).toEqual({ VendorID: "'Vendor' cannot be found in the system." });
    expect((await c.get('Vendor', ['V100231'])).id).toBeDefined();
  });

  it('If-None-Match / If-Match violations are 412 -> ConflictError', async () => {
    await expect(c.put('Vendor', { VendorID: 'V100231', VendorName: 'X' }, { mode: 'insert' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(
      c.put('Subcontract', { SubcontractNbr: 'SC999999', Description: 'x' }, { mode: 'update' }),
    ).rejects.toBeInstanceOf(ConflictError);
    const v = await c.put('Vendor', { VendorID: 'V200001', VendorName: 'New Vendor LLC' }, { mode: 'insert' });
    expect(val(v.Status)).toBe('Active');
    const v2 = await c.put('Vendor', { VendorID: 'V200001', VendorName: 'Renamed' }, { mode: 'update' });
    expect(v2.id).toBe(v.id);
    expect(val(v2.VendorName)).toBe('Renamed');
  });

  it('keys are unique whatever the case and the branch: a restricted vendor is never updated nor duplicated', async () => {
    // Same key, other case, visible branch: insert-only is 412.
    await expect(
      c.put('Vendor', { VendorID: 'v100231', VendorName: 'Acme Concrete Pumping Co' }, { mode: 'insert' }),
    ).rejects.toBeInstanceOf(ConflictError);
    // V100231 is restricted to HQ: from WEST it is invisible, but its key is still taken.
    await expect(
      c.put(
        'Vendor',
        { VendorID: 'v100231', VendorName: 'Acme Concrete Pumping Co' },
        { mode: 'insert', branch: 'WEST' },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    const plain = await c
      .put(
        'Vendor',
        { VendorID: 'V100231', VendorName: 'Acme Concrete Pumping Co', AccountRef: 'X' },
        { branch: 'WEST' },
      )
      .catch((e) => e);
    expect(plain).toBeInstanceOf(ValidationError);
    expect(plain.details.status).toBe(422);
    expect(plain.details.fieldErrors).toEqual({ VendorID: "A record with the key 'V100231' already exists." });
    const vendors = await c.list('Vendor', { filter: eq('VendorID', 'V100231') });
    expect(vendors).toHaveLength(1);
    expect(val(vendors[0].VendorName)).toBe('Acme Concrete & Paving, LLC');
    expect(val(vendors[0].AccountRef)).not.toBe('X');
  });

  it('422: per-field errors for unknown vendor, project and task', async () => {
    const err = await c
      .put('Subcontract', {
        VendorID: 'V999',
        VendorRef: 'PC-BAD',
        Details: [
          { Project: 'RMOB24017', Task: '01', Amount: 1 },
          { Project: 'X', Task: '01', Amount: 2 },
          { Project: 'RMOB24017', Task: '99', Amount: 3 },
        ],
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details.status).toBe(422);
    expect(err.details.fieldErrors).toEqual({
      VendorID: "'Vendor' cannot be found in the system.",
      'Details[1].Project': "Project 'X' cannot be found in the system.",
      'Details[2].Task': "Project Task '99' cannot be found in the system.",
    });
    expect(err.message).toContain("Details[1].Project: Project 'X' cannot be found in the system.");
    expect(await c.list('Subcontract', { filter: eq('VendorRef', 'PC-BAD') })).toHaveLength(0);
  });

  it('422 body carries the entity with top-level and per-field errors', async () => {
    const login = await fetch(`${server.url}/entity/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: DEMO_COMPANY.acumaticaLogin.name,
        password: DEMO_COMPANY.acumaticaLogin.password,
        tenant: DEMO_COMPANY.acumaticaTenant,
      }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((s) => s.split(';')[0])
      .join('; ');
    const res = await fetch(`${server.url}/entity/Default/23.200.001/Subcontract`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({
        VendorID: { value: 'V999' },
        Details: [{ Project: { value: 'X' }, Task: { value: '01' } }],
      }),
    });
    expect(res.status).toBe(422);
    const body: Json = await res.json();
    expect(body.VendorID).toEqual({ value: 'V999', error: "'Vendor' cannot be found in the system." });
    expect(body.Details[0].Project).toEqual({ value: 'X', error: "Project 'X' cannot be found in the system." });
    expect(body.error).toMatch(/^Inserting 'Subcontract' record raised at least one error/);
    await fetch(`${server.url}/entity/auth/logout`, { method: 'POST', headers: { Cookie: cookie } });
  });

  it('actions: 202 + Location polling until 204; unknown action is 404; cancellable', async () => {
    const sc = await c.put('Subcontract', subcontractBody('PC-ACTION'));
    await c.invokeAction('Subcontract', 'ReleaseFromHold', { entity: { id: sc.id } });
    expect(val((await c.get('Subcontract', sc.id!)).Status)).toBe('Open');
    await c.invokeAction('Subcontract', 'PutOnHold', { entity: { SubcontractNbr: val(sc.SubcontractNbr) } });
    expect(val((await c.get('Subcontract', sc.id!)).Status)).toBe('On Hold');
    await expect(c.invokeAction('Subcontract', 'Explode', { entity: { id: sc.id } })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const ac = new AbortController();
    const slow = new AcumaticaClient({
      ...(c as unknown as { opts: ConstructorParameters<typeof AcumaticaClient>[0] }).opts,
      pollIntervalMs: 10_000,
    });
    const p = slow.invokeAction('Subcontract', 'ReleaseFromHold', { entity: { id: sc.id }, signal: ac.signal });
    setTimeout(() => ac.abort(new Error('cancelled by test')), 100);
    await expect(p).rejects.toThrow('cancelled by test');
    await slow.close();
  });

  it('CompaniesStructure lists the branches', async () => {
    const [cs] = await c.list('CompaniesStructure', { expand: ['Results'] });
    expect((cs.Results as AcumaticaRecord[]).map((r) => val(r.BranchID))).toEqual(['HQ', 'WEST']);
  });

  it('admin: state, snapshot round trip, reset', async () => {
    const state = await admin(server.url, '/__admin/state');
    expect(state.release).toBe('2024R1');
    expect(state.counts.Vendor).toBe(7); // 6 seeded + V200001
    expect(state.sessions.active).toBeGreaterThanOrEqual(1);
    const snap = await admin(server.url, '/__admin/snapshot');
    const scCount = state.counts.Subcontract;
    await admin(server.url, '/__admin/reset', {});
    const after = await admin(server.url, '/__admin/state');
    expect(after.counts.Subcontract).toBeUndefined();
    expect(after.counts.Vendor).toBe(6);
    expect(after.sessions.active).toBe(0);
    await admin(server.url, '/__admin/snapshot', snap);
    expect((await admin(server.url, '/__admin/state')).counts.Subcontract).toBe(scCount);
    // the client's session was dropped by the reset: it signs in again transparently
    expect(await c.list('Vendor', { top: 1 })).toHaveLength(1);
  });
});

describe('faults', () => {
  let server: { url: string; close(): Promise<void> };
  let c: AcumaticaClient;
  beforeAll(async () => {
    ({ server } = await start({ release: '2024R1' }));
    c = client(server.url);
  });
  afterAll(async () => {
    await c.close();
    await server.close();
  });
  const fault = (rule: Record<string, unknown>) => admin(server.url, '/__admin/faults', rule);

  it('commit_then_drop: the record exists but the client sees TransientUpstreamError', async () => {
    await fault({ method: 'PUT', path: '/entity/Default/*/Subcontract', kind: 'commit_then_drop' });
    await expect(c.put('Subcontract', subcontractBody('PC-DROP'))).rejects.toBeInstanceOf(TransientUpstreamError);
    const found = await c.list('Subcontract', { filter: eq('VendorRef', 'PC-DROP') });
    expect(found).toHaveLength(1);
  });

  it('bodyContains: the fault hits only the request whose body carries the text; others pass with their body', async () => {
    await fault({
      method: 'PUT',
      path: '/entity/Default/*/Subcontract',
      kind: 'error',
      status: 503,
      bodyContains: '"PC-BODY-2"',
    });
    const passed = await c.put('Subcontract', subcontractBody('PC-BODY-1'));
    expect(val(passed.VendorRef)).toBe('PC-BODY-1');
    await expect(c.put('Subcontract', subcontractBody('PC-BODY-2'))).rejects.toBeInstanceOf(TransientUpstreamError);
    expect(await c.list('Subcontract', { filter: eq('VendorRef', 'PC-BODY-2') })).toHaveLength(0);
    const again = await c.put('Subcontract', subcontractBody('PC-BODY-2'));
    expect(val(again.VendorRef)).toBe('PC-BODY-2');
  });

  it('reset -> TransientUpstreamError, nothing stored', async () => {
    await fault({ method: 'PUT', path: '/entity/Default/*/Subcontract', kind: 'reset' });
    await expect(c.put('Subcontract', subcontractBody('PC-RESET'))).rejects.toBeInstanceOf(TransientUpstreamError);
    expect(await c.list('Subcontract', { filter: eq('VendorRef', 'PC-RESET') })).toHaveLength(0);
  });

  it('error 500 -> TransientUpstreamError with the message', async () => {
    await fault({ method: 'GET', path: '/entity/Default/*/Vendor', kind: 'error', status: 500 });
    const err = await c.list('Vendor').catch((e) => e);
    expect(err).toBeInstanceOf(TransientUpstreamError);
    expect(err.message).toContain('Injected fault: HTTP 500');
    expect(err.details).toMatchObject({
      system: 'acumatica',
      status: 500,
      request: 'GET /entity/Default/23.200.001/Vendor',
    });
  });

  it('rate_limit -> RateLimitError with Retry-After', async () => {
    await fault({ method: 'GET', path: '/entity/Default/*/Vendor', kind: 'rate_limit', retryAfterSeconds: 7 });
    const err = await c.list('Vendor').catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(7000);
  });

  it('timeout -> TransientUpstreamError', async () => {
    const quick = client(server.url, { timeoutMs: 300 });
    await fault({ method: 'GET', path: '/entity/Default/*/CostCode', kind: 'timeout', latencyMs: 2000 });
    await expect(quick.list('CostCode')).rejects.toThrow(/timed out after 300 ms/);
    await quick.close();
    await admin(server.url, '/__admin/faults', undefined);
    await fetch(`${server.url}/__admin/faults`, { method: 'DELETE' });
  });
});
