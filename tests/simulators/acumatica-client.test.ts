/**
 * AcumaticaClient against the in-process simulator: sessions (lazy sign-in, one in flight, re-login on 401,
 * logout on close, no leaked slots, 429 "API Login Limit"), version negotiation, filter escaping, errors.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { AcumaticaClient, collectFieldErrors, unwrap, val, wrap } from '../../clients/acumatica/client';
import {
  and,
  datetimeoffset,
  endswith,
  eq,
  literal,
  not,
  or,
  startswith,
  substringof,
} from '../../clients/acumatica/odata';
import { AuthError, RateLimitError, ValidationError } from '../../lib/errors';
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY } from 'simulator-common';

const LOGIN = DEMO_COMPANY.acumaticaLogin;

function client(url: string, extra: Partial<ConstructorParameters<typeof AcumaticaClient>[0]> = {}): AcumaticaClient {
  return new AcumaticaClient({
    baseUrl: url,
    tenant: DEMO_COMPANY.acumaticaTenant,
    branch: 'HQ',
    username: LOGIN.name,
    password: LOGIN.password,
    pollIntervalMs: 20,
    timeoutMs: 5000,
    ...extra,
  });
}

describe('helpers', () => {
  it('wrap / val / unwrap', () => {
    const w = wrap({
      VendorID: 'V1',
      Amount: 0,
      Hold: false,
      Missing: undefined,
      Empty: null,
      Details: [{ Amount: 12.5, id: 'x', delete: true }],
      Settings: { Branch: 'HQ' },
      Already: { value: 3 },
    });
    expect(w).toEqual({
      VendorID: { value: 'V1' },
      Amount: { value: 0 },
      Hold: { value: false },
      Empty: { value: null },
      Details: [{ Amount: { value: 12.5 }, id: 'x', delete: true }],
      Settings: { Branch: { value: 'HQ' } },
      Already: { value: 3 },
    });
    expect(wrap(w)).toEqual(w);
    expect(wrap({ Date: new Date('2024-03-18T00:00:00Z') })).toEqual({ Date: { value: '2024-03-18T00:00:00.000Z' } });
    expect(val(w.VendorID)).toBe('V1');
    expect(val(w.Amount)).toBe(0);
    expect(val(undefined)).toBeUndefined();
    expect(val({})).toBeUndefined();
    expect(
      unwrap({ id: 'g', VendorID: { value: 'V1' }, Details: [{ Amount: { value: 1 } }], _links: {}, Blank: {} }),
    ).toEqual({ id: 'g', VendorID: 'V1', Details: [{ Amount: 1 }], Blank: null });
  });

  it('collectFieldErrors walks detail lines and linked entities', () => {
    expect(
      collectFieldErrors({
        error: 'top',
        VendorID: { value: 'V9', error: 'no vendor' },
        Details: [{ Project: { value: 'P' } }, { Project: { value: 'X', error: 'no project' } }],
        Settings: { Branch: { value: 'Z', error: 'no branch' } },
      }),
    ).toEqual({ VendorID: 'no vendor', 'Details[1].Project': 'no project', 'Settings.Branch': 'no branch' });
  });

  it('odata builder escapes values', () => {
    expect(eq('VendorName', "O'Brien & Sons Masonry")).toBe("VendorName eq 'O''Brien & Sons Masonry'");
    expect(literal(12.5)).toBe('12.5');
    expect(literal(true)).toBe('true');
    expect(literal(null)).toBe('null');
    expect(datetimeoffset(new Date('2024-07-15T10:31:28.402Z'))).toBe("datetimeoffset'2024-07-15T10:31:28.402+00:00'");
    expect(and(eq('A', 1), undefined, false, eq('B', 'x'))).toBe("(A eq 1) and (B eq 'x')");
    expect(and(eq('A', 1))).toBe('A eq 1');
    expect(or(startswith('A', "it's"), endswith('A', 'z'))).toBe("(startswith(A, 'it''s')) or (endswith(A, 'z'))");
    expect(not(substringof('x', 'MainContact/Email'))).toBe("not (substringof('x', MainContact/Email))");
    expect(() => eq("A' or 1 eq 1 or 'x", 1)).toThrow();
  });
});

describe('AcumaticaClient against the simulator', () => {
  let sim: ReturnType<typeof createAcumaticaSimulator>;
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    sim = createAcumaticaSimulator({ release: '2024R1', maxApiUsers: 2 });
    server = await sim.listen(0);
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    await fetch(`${server.url}/__admin/reset`, { method: 'POST' });
  });

  it('signs in lazily once, even for concurrent first calls, and frees the slot on close (idempotent)', async () => {
    const c = client(server.url);
    expect(sim.activeSessions()).toBe(0);
    const results = await Promise.all(Array.from({ length: 10 }, () => c.list('CostCode', { top: 1 })));
    expect(results.every((r) => r.length === 1)).toBe(true);
    expect(sim.loginCount()).toBe(1);
    expect(sim.activeSessions()).toBe(1);
    for (let i = 0; i < 30; i++) await c.get('Vendor', ['V100231']);
    expect(sim.loginCount()).toBe(1);
    expect(sim.activeSessions()).toBe(1);
    await c.close();
    expect(sim.activeSessions()).toBe(0);
    await c.close();
    expect(sim.activeSessions()).toBe(0);
    // usable again after close: signs in again
    await c.list('Vendor', { top: 1 });
    expect(sim.activeSessions()).toBe(1);
    await c.close();
    expect(sim.activeSessions()).toBe(0);
  });

  it('many short-lived clients leak no slot', async () => {
    for (let i = 0; i < 8; i++) {
      const c = client(server.url);
      await c.list('Vendor', { top: 1 });
      await c.close();
    }
    expect(sim.activeSessions()).toBe(0);
  });

  it('sign-in beyond the API-user slots is RateLimitError "API Login Limit"', async () => {
    const a = client(server.url);
    const b = client(server.url);
    const third = client(server.url);
    await a.list('Vendor', { top: 1 });
    await b.list('Vendor', { top: 1 });
    const err = await third.list('Vendor', { top: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.message).toContain('API Login Limit');
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(60_000);
    await a.close();
    expect(await third.list('Vendor', { top: 1 })).toHaveLength(1);
    await b.close();
    await third.close();
    expect(sim.activeSessions()).toBe(0);
  });

  it('an expired session (idle > 10 min) is re-established once on 401, transparently', async () => {
    const c = client(server.url);
    await c.list('Vendor', { top: 1 });
    expect(sim.loginCount()).toBe(1);
    sim.advanceClock(11 * 60_000);
    expect(sim.activeSessions()).toBe(0);
    const [r1, r2] = await Promise.all([c.list('Vendor', { top: 1 }), c.list('CostCode', { top: 1 })]);
    expect(r1).toHaveLength(1);
    expect(r2).toHaveLength(1);
    expect(sim.loginCount()).toBe(2);
    expect(sim.activeSessions()).toBe(1);
    await c.close();
  });

  it('a data call without a session is 401 "You are not logged in."', async () => {
    const res = await fetch(`${server.url}/entity/Default/23.200.001/Vendor`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'You are not logged in.' });
  });

  it('wrong credentials are AuthError; the password is not in the message', async () => {
    const c = client(server.url, { password: 'Wrong-Secret-123' });
    const err = await c.list('Vendor').catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('Invalid credentials');
    expect(err.message).not.toContain('Wrong-Secret-123');
    expect(JSON.stringify(err.details)).not.toContain('Wrong-Secret-123');
    expect(sim.activeSessions()).toBe(0);
    await c.close();
    const t = client(server.url, { tenant: 'OtherTenant' });
    await expect(t.list('Vendor')).rejects.toBeInstanceOf(AuthError);
  });

  it("$filter with O'Brien & Sons Masonry works end to end", async () => {
    const c = client(server.url);
    const found = await c.list('Vendor', { filter: eq('VendorName', "O'Brien & Sons Masonry") });
    expect(found.map((r) => val(r.VendorID))).toEqual(['V100262']);
    const sub = await c.list('Vendor', { filter: and(substringof("'Brien &", 'VendorName'), eq('Status', 'Active')) });
    expect(sub).toHaveLength(1);
    await c.close();
  });

  it('PUT create (auto number) then find it by VendorRef; error messages list field errors', async () => {
    const c = client(server.url);
    const ref = 'PC-7700102 & co';
    const created = await c.put(
      'Subcontract',
      {
        VendorID: 'V100262',
        VendorRef: ref,
        Description: 'Masonry',
        Details: [{ Project: 'RMOB24017', Task: '01', CostCode: '04-200', LineDescription: 'CMU', Amount: 96840 }],
      },
      { expand: ['Details'] },
    );
    expect(val(created.SubcontractNbr)).toBe('SC000001');
    const [found] = await c.list('Subcontract', { filter: eq('VendorRef', ref), expand: ['Details'] });
    expect(found.id).toBe(created.id);
    expect(val((found.Details as Array<Record<string, unknown>>)[0].Amount)).toBe(96840);
    const second = await c.put('Subcontract', { VendorID: 'V100262', VendorRef: 'PC-2' });
    expect(val(second.SubcontractNbr)).toBe('SC000002');

    const err = await c
      .put('Subcontract', { VendorID: 'V999', Details: [{ Project: 'NOPE', Task: '01', Amount: 1 }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details.fieldErrors).toEqual({
      VendorID: "'Vendor' cannot be found in the system.",
      'Details[0].Project': "Project 'NOPE' cannot be found in the system.",
    });
    expect(err.message).toBe(
      "Acumatica PUT /entity/Default/23.200.001/Subcontract was rejected: VendorID: 'Vendor' cannot be found in the system.; Details[0].Project: Project 'NOPE' cannot be found in the system.",
    );
    await c.close();
  });

  it('negotiation fails with ValidationError naming the supported releases', async () => {
    const app = express();
    app.get('/entity', (_req, res) => {
      res.json({
        version: { acumaticaBuildVersion: '21.207.0045' },
        endpoints: [
          { name: 'Default', version: '18.200.001' },
          { name: 'Default', version: '20.100.001' },
        ],
      });
    });
    const srv = app.listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    const c = client(`http://127.0.0.1:${(srv.address() as AddressInfo).port}`);
    const err = await c.negotiateVersion().catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toContain('18.200.001');
    expect(err.message).toContain('2022 R1');
    expect(err.message).toContain('Default/24.200.001');
    await expect(c.list('Vendor')).rejects.toBeInstanceOf(ValidationError);
    await c.close();
    await new Promise((r) => srv.close(r));
  });

  it('negotiateVersion is cached', async () => {
    const c = client(server.url);
    let calls = 0;
    const real = global.fetch;
    global.fetch = ((...args: Parameters<typeof fetch>) => {
      if (String(args[0]).endsWith('/entity')) calls++;
      return real(...args);
    }) as typeof fetch;
    try {
      expect(await c.negotiateVersion()).toBe('23.200.001');
      expect(await c.negotiateVersion()).toBe('23.200.001');
      await c.list('Vendor', { top: 1 });
      expect(calls).toBe(1);
    } finally {
      global.fetch = real;
      await c.close();
    }
  });

  it('an unreachable instance is TransientUpstreamError', async () => {
    const c = client('http://127.0.0.1:1');
    const err = await c.list('Vendor').catch((e) => e);
    expect(err.name).toBe('TransientUpstreamError');
    expect(err.message).not.toContain(LOGIN.password);
    await c.close();
  });
});
