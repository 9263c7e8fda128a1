/**
 * The Acumatica simulator on its own, over plain HTTP (no connector code): the contract read from the OpenAPI
 * documents, the OData filter, sessions and API-user slots, the contract-based endpoint, admin and faults.
 */
import { DEMO_COMPANY, DEMO_PROJECT } from 'simulator-common';
import { loadContract } from '../src/contract';
import { compileFilter, FilterSyntaxError } from '../src/odata';
import { createAcumaticaSimulator } from '../src/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Started {
  url: string;
  close(): Promise<void>;
}

async function start(opts: Parameters<typeof createAcumaticaSimulator>[0] = {}): Promise<Started> {
  return createAcumaticaSimulator(opts).listen(0);
}

/** A signed-in caller: the session cookies Acumatica sets on login, sent back on every call. */
async function signIn(url: string): Promise<{ cookie: string; status: number }> {
  const res = await fetch(`${url}/entity/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: DEMO_COMPANY.acumaticaLogin.name,
      password: DEMO_COMPANY.acumaticaLogin.password,
      tenant: DEMO_COMPANY.acumaticaTenant,
    }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, status: res.status };
}

const call = async (url: string, cookie: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(url + path, {
    method,
    headers: { Cookie: cookie, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
};

describe('contract from the OpenAPI documents', () => {
  it('knows each version’s entities, fields and actions', () => {
    const c22 = loadContract('22.200.001');
    const c23 = loadContract('23.200.001');
    expect(c22.hasEntity('Subcontract')).toBe(false);
    const sc = c23.entity('Subcontract')!;
    expect(sc.screen).toBe('SC301000');
    expect(sc.fields.get('Details')).toMatchObject({ kind: 'detail', schema: 'SubcontractDetail' });
    expect(loadContract('20.200.001').entity('Vendor')!.fields.has('LegalName')).toBe(false);
    expect(c22.entity('Vendor')!.fields.has('LegalName')).toBe(true);
  });

  it('compiles OData filters and rejects bad syntax', () => {
    const rec: Json = { VendorName: "O'Brien & Sons", Amount: 12.5 };
    const match = (f: string) => compileFilter(f)((p) => p.reduce<unknown>((o, k) => (o as Json)?.[k], rec));
    expect(match("VendorName eq 'O''Brien & Sons' and Amount gt 12")).toBe(true);
    expect(match('Amount lt 12')).toBe(false);
    expect(() => compileFilter("VendorName eq 'x")).toThrow(FilterSyntaxError);
  });
});

describe('over HTTP', () => {
  let sim: Started;
  beforeAll(async () => {
    sim = await start({ release: '2024R1', maxApiUsers: 1 });
  });
  afterAll(() => sim.close());

  it('GET /entity names the build and the Default endpoints without signing in', async () => {
    const res = await fetch(`${sim.url}/entity`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.version.acumaticaBuildVersion).toMatch(/^24\.1\d\d\.\d{4}$/);
    expect(body.endpoints.map((e: Json) => e.version)).toContain('23.200.001');
  });

  it('requires a session, takes an API-user slot per session and frees it on logout', async () => {
    expect((await call(sim.url, '', 'GET', '/entity/Default/23.200.001/Vendor')).status).toBe(401);
    const first = await signIn(sim.url);
    expect(first.status).toBe(204);
    const second = await signIn(sim.url);
    expect(second.status).toBe(429); // one slot: "API Login Limit"
    await call(sim.url, first.cookie, 'POST', '/entity/auth/logout');
    const third = await signIn(sim.url);
    expect(third.status).toBe(204);
    await call(sim.url, third.cookie, 'POST', '/entity/auth/logout');
  });

  it('creates, finds and reads a Subcontract with computed totals', async () => {
    const { cookie } = await signIn(sim.url);
    try {
      const put = await call(sim.url, cookie, 'PUT', '/entity/Default/23.200.001/Subcontract?$expand=Details', {
        VendorID: { value: 'V100231' },
        VendorRef: { value: 'PKG-TEST-1' },
        Description: { value: 'Package test' },
        Details: [
          {
            Project: { value: DEMO_PROJECT.acumaticaProjectId },
            Task: { value: '01' },
            CostCode: { value: '03-100' },
            Amount: { value: 100.25 },
          },
          {
            Project: { value: DEMO_PROJECT.acumaticaProjectId },
            Task: { value: '01' },
            CostCode: { value: '03-350' },
            Amount: { value: 0.75 },
          },
        ],
      });
      expect(put.status).toBe(200);
      expect(put.body.SubcontractNbr.value).toBeTruthy();
      expect(put.body.Details).toHaveLength(2);
      const found = await call(
        sim.url,
        cookie,
        'GET',
        `/entity/Default/23.200.001/Subcontract?$filter=${encodeURIComponent("VendorRef eq 'PKG-TEST-1'")}`,
      );
      expect(found.status).toBe(200);
      expect(found.body).toHaveLength(1);
      expect(found.body[0].SubcontractTotal.value).toBe(101);
      const unknown = await call(sim.url, cookie, 'PUT', '/entity/Default/23.200.001/Vendor', {
        NoSuchField: { value: 1 },
      });
      expect(unknown.status).toBe(400);
    } finally {
      await call(sim.url, cookie, 'POST', '/entity/auth/logout');
    }
  });

  it('serves only what the version defines: no Subcontract in Default/22.200.001', async () => {
    const { cookie } = await signIn(sim.url);
    try {
      expect((await call(sim.url, cookie, 'GET', '/entity/Default/22.200.001/Subcontract')).status).toBe(404);
      const swagger = await call(sim.url, cookie, 'GET', '/entity/Default/23.200.001/swagger.json');
      expect(swagger.status).toBe(200);
      expect(Object.keys(swagger.body.paths).some((p) => p.startsWith('/Subcontract'))).toBe(true);
    } finally {
      await call(sim.url, cookie, 'POST', '/entity/auth/logout');
    }
  });

  it('If-None-Match: * is 412 when the key exists, in any case, even for a vendor the branch cannot see', async () => {
    const { cookie } = await signIn(sim.url);
    const put = async (body: Json, headers: Record<string, string>) => {
      const res = await fetch(`${sim.url}/entity/Default/23.200.001/Vendor`, {
        method: 'PUT',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    try {
      const dup = { VendorID: { value: 'v100231' }, VendorName: { value: 'Acme Concrete Pumping Co' } };
      expect((await put(dup, { 'If-None-Match': '*' })).status).toBe(412);
      // V100231 is restricted to HQ: from WEST it is invisible, and its key is still taken.
      expect((await put(dup, { 'If-None-Match': '*', 'PX-CbApiBranch': 'WEST' })).status).toBe(412);
      const plain = await put(dup, { 'PX-CbApiBranch': 'WEST' });
      expect(plain.status).toBe(422);
      expect(plain.body.VendorID.error).toBe("A record with the key 'V100231' already exists.");
      const after = await call(sim.url, cookie, 'GET', '/entity/Default/23.200.001/Vendor/V100231');
      expect(after.body.VendorName.value).toBe('Acme Concrete & Paving, LLC');
      const fresh = await put(
        { VendorID: { value: 'V300001' }, VendorName: { value: 'New' } },
        { 'If-None-Match': '*' },
      );
      expect(fresh.status).toBe(200);
    } finally {
      await call(sim.url, cookie, 'POST', '/entity/auth/logout');
    }
  });

  it('injects faults by route, then serves normally once they are cleared', async () => {
    const { cookie } = await signIn(sim.url);
    try {
      const rule = { method: 'GET', path: '/entity/Default/*/Vendor', kind: 'error', status: 503 };
      expect((await call(sim.url, '', 'POST', '/__admin/faults', rule)).status).toBeLessThan(300);
      expect((await call(sim.url, cookie, 'GET', '/entity/Default/23.200.001/Vendor?$top=1')).status).toBe(503);
      await call(sim.url, '', 'DELETE', '/__admin/faults');
      const ok = await call(sim.url, cookie, 'GET', '/entity/Default/23.200.001/Vendor?$top=1');
      expect(ok.status).toBe(200);
      expect(ok.body).toHaveLength(1);
    } finally {
      await call(sim.url, cookie, 'POST', '/entity/auth/logout');
    }
  });
});
