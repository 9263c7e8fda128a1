/**
 * Sessions, request limits and OAuth: API-user slots under 1,000 calls with injected failures (no leaked
 * session), the license request limits of the simulator (concurrency, half-budget delays, declines), the
 * client's pacer, OAuth with rotating refresh tokens and coalesced refresh, and the latency fault.
 */
import { AcumaticaClient } from '../../clients/acumatica/client';
import { RequestPacer } from '../../clients/acumatica/limiter';
import { RateLimitError, TransientUpstreamError } from '../../lib/errors';
import { LicenseRequestLimiter } from 'acumatica-simulator/src/limits';
import { createAcumaticaSimulator, DEMO_OAUTH_CLIENT } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY } from 'simulator-common';

const LOGIN = DEMO_COMPANY.acumaticaLogin;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function start(opts: Parameters<typeof createAcumaticaSimulator>[0] = {}) {
  const sim = createAcumaticaSimulator({ release: '2024R1', ...opts });
  const server = await sim.listen(0);
  const admin = async (path: string, body?: unknown, method = 'POST') => {
    const res = await fetch(server.url + path, {
      method: body === undefined && method === 'POST' ? 'GET' : method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : res.json();
  };
  return { sim, server, admin };
}

const client = (url: string, extra: Partial<ConstructorParameters<typeof AcumaticaClient>[0]> = {}) =>
  new AcumaticaClient({
    baseUrl: url,
    tenant: DEMO_COMPANY.acumaticaTenant,
    branch: 'HQ',
    username: LOGIN.name,
    password: LOGIN.password,
    pollIntervalMs: 5,
    timeoutMs: 2000,
    ...extra,
  });

describe('API-user slots', () => {
  it('1,000 calls with injected failures leak no session; the pool stays within its bound', async () => {
    const { sim, server, admin } = await start({ maxApiUsers: 3 });
    const c = client(server.url, { maxSessions: 2, timeoutMs: 500 });
    const outcomes = { ok: 0, transient: 0, other: 0 };
    let peak = 0;
    try {
      // Every 7th request of any kind fails in one of these ways; 401s force re-logins.
      const kinds = [
        { kind: 'error', status: 503 },
        { kind: 'error', status: 401 },
        { kind: 'reset' },
        { kind: 'rate_limit', retryAfterSeconds: 1 },
        { kind: 'timeout', latencyMs: 800 },
        { kind: 'latency', latencyMs: 20 },
      ];
      for (let batch = 0; batch < 50; batch++) {
        const rule = kinds[batch % kinds.length];
        await admin('/__admin/faults', { method: 'GET', path: '/entity/Default/*/Vendor*', times: 3, ...rule });
        if (batch % 10 === 9) sim.advanceClock(11 * 60_000); // sessions expire: 401 -> re-login
        const calls = Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? c.list('Vendor', { top: 1 }) : c.get('Vendor', 'V100231')).then(
            () => outcomes.ok++,
            (e) =>
              e instanceof TransientUpstreamError || e instanceof RateLimitError
                ? outcomes.transient++
                : outcomes.other++,
          ),
        );
        await Promise.all(calls);
        peak = Math.max(peak, sim.activeSessions(), c.openSessions);
        await admin('/__admin/faults', undefined, 'DELETE');
      }
      expect(outcomes.ok + outcomes.transient + outcomes.other).toBe(1000);
      expect(outcomes.other).toBe(0);
      expect(outcomes.ok).toBeGreaterThan(800);
      expect(peak).toBeLessThanOrEqual(2);
    } finally {
      await c.close();
      // Timed-out requests may still be in flight on the server side; the slots are what matters.
      expect(sim.activeSessions()).toBe(0);
      await server.close();
    }
  });

  it('close() during a sign-in still logs out; a failed sign-in holds no slot', async () => {
    const { sim, server, admin } = await start({ maxApiUsers: 1 });
    try {
      await admin('/__admin/faults', { method: 'POST', path: '/entity/auth/login', kind: 'error', status: 503 });
      const c = client(server.url);
      await expect(c.list('Vendor')).rejects.toBeInstanceOf(TransientUpstreamError);
      expect(sim.activeSessions()).toBe(0);
      const pending = c.list('Vendor', { top: 1 });
      await c.close();
      await pending;
      await c.close();
      expect(sim.activeSessions()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('license request limits (simulator)', () => {
  it('caps concurrent requests and declines when more than 20 wait', async () => {
    const limiter = new LicenseRequestLimiter({ maxConcurrent: 2 });
    const releases: Array<() => void> = [];
    const started: number[] = [];
    const waits = Array.from({ length: 24 }, (_, i) =>
      limiter.enter().then(
        (r) => {
          started.push(i);
          releases.push(r);
          return 'ok';
        },
        (e: Error) => e.message,
      ),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([0, 1]);
    expect(limiter.stats().queued).toBe(21);
    expect(await waits[23]).toMatch(/more than 20 requests are already waiting/);
    releases.shift()!();
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([0, 1, 2]);
    limiter.reset();
  });

  it('declines a request that waited longer than the maximum wait', async () => {
    const limiter = new LicenseRequestLimiter({ maxConcurrent: 1, maxWaitMs: 30 });
    const first = await limiter.enter();
    await expect(limiter.enter()).rejects.toThrow(/waited in the queue for more than 10 minutes/);
    first();
  });

  it('delays requests once half of the minute budget is used, then waits for the next minute', async () => {
    const { server, admin } = await start();
    const c = client(server.url, { maxConcurrent: 50 });
    try {
      await c.list('CostCode', { top: 1 }); // sign in first
      await admin('/__admin/config', { maxPerMinute: 10, windowMs: 1000 });
      const t0 = Date.now();
      const times: number[] = [];
      for (let i = 0; i < 12; i++) {
        await c.list('CostCode', { top: 1 });
        times.push(Date.now() - t0);
      }
      // The first half of the budget is free; the second half is spread over the rest of the window.
      expect(times[3]).toBeLessThan(150);
      expect(times[8]).toBeGreaterThan(200);
      // The 11th request waits for the next window.
      expect(times[10]).toBeGreaterThanOrEqual(900);
    } finally {
      await admin('/__admin/config', { maxPerMinute: null });
      await c.close();
      await server.close();
    }
  });

  it('over HTTP: a burst beyond the queue gets 429 and the client reports RateLimitError', async () => {
    const { server, admin } = await start();
    const c = client(server.url, { maxConcurrent: 100, timeoutMs: 10_000 });
    try {
      await c.list('CostCode', { top: 1 });
      await admin('/__admin/config', { maxPerMinute: 2, windowMs: 3000 });
      const pending = Array.from({ length: 30 }, () =>
        c.list('CostCode', { top: 1 }).then(
          () => 'ok',
          (e) => e,
        ),
      );
      await new Promise((r) => setTimeout(r, 200));
      await admin('/__admin/reset', {}); // declines whatever still waits, so the test does not wait for the window
      const results = await Promise.all(pending);
      const declined = results.filter((r) => r instanceof RateLimitError && /more than 20 requests/.test(r.message));
      expect(declined.length).toBeGreaterThan(0);
      expect((declined[0] as Error).message).toMatch(/more than 20 requests/);
    } finally {
      await admin('/__admin/reset', {});
      await c.close();
      await server.close();
    }
  });
});

describe('client pacing', () => {
  it('never has more than maxConcurrent requests in flight', async () => {
    const pacer = new RequestPacer({ maxConcurrent: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 30 }, () =>
        pacer.run(async () => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 2));
          inFlight--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('spends the per-minute budget like the license: half at once, the rest spaced, then the next window', async () => {
    const pacer = new RequestPacer({ maxConcurrent: 10, maxPerMinute: 10, windowMs: 600 });
    const t0 = Date.now();
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 11 }, () => pacer.run(async () => void starts.push(Date.now() - t0))));
    starts.sort((a, b) => a - b);
    expect(starts[4]).toBeLessThan(50);
    expect(starts[7] - starts[5]).toBeGreaterThan(80);
    expect(starts[10]).toBeGreaterThanOrEqual(550);
  });

  it('a cancelled caller leaves the queue', async () => {
    const pacer = new RequestPacer({ maxConcurrent: 1 });
    let release!: () => void;
    const first = pacer.run(() => new Promise<void>((r) => (release = r)));
    const ac = new AbortController();
    const second = pacer.run(async () => 'ran', ac.signal);
    ac.abort(new Error('stop'));
    await expect(second).rejects.toThrow('stop');
    release();
    await first;
  });
});

describe('OAuth 2.0', () => {
  it('password grant, one session per grant, coalesced refresh after expiry, logout frees the slot', async () => {
    const { sim, server } = await start({ maxApiUsers: 2 });
    const c = client(server.url, { oauth: DEMO_OAUTH_CLIENT });
    try {
      await Promise.all(Array.from({ length: 10 }, () => c.list('Vendor', { top: 1 })));
      const tokens = (c as unknown as { tokens: { requests: number } }).tokens;
      expect(tokens.requests).toBe(1);
      expect(sim.loginCount()).toBe(1);
      expect(sim.activeSessions()).toBe(1);
      sim.advanceClock(2 * 3600_000); // the access token and the session expire on the server
      await Promise.all(Array.from({ length: 10 }, () => c.list('Vendor', { top: 1 })));
      expect(tokens.requests).toBe(2); // one refresh for ten callers
      expect(sim.activeSessions()).toBe(1);
      await c.close();
      expect(sim.activeSessions()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refresh tokens rotate: a used one is invalid_grant; wrong secrets are AuthError', async () => {
    const { server } = await start();
    const token = (params: Record<string, string>) =>
      fetch(`${server.url}/identity/connect/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: DEMO_OAUTH_CLIENT.clientId,
          client_secret: DEMO_OAUTH_CLIENT.clientSecret,
          ...params,
        }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    try {
      const first = await token({
        grant_type: 'password',
        username: LOGIN.name,
        password: LOGIN.password,
        scope: 'api offline_access',
      });
      expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'api offline_access' });
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
      const reused = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      const noOffline = await token({
        grant_type: 'password',
        username: LOGIN.name,
        password: LOGIN.password,
        scope: 'api',
      });
      expect(noOffline.body.refresh_token).toBeUndefined();
      const bad = client(server.url, { oauth: { ...DEMO_OAUTH_CLIENT, clientSecret: 'not-the-secret-123' } });
      const err = await bad.list('Vendor').catch((e) => e);
      expect(err.name).toBe('AuthError');
      expect(err.message).toMatch(/invalid_client/);
      expect(err.message).not.toContain('not-the-secret-123');
      expect(err.message).not.toContain(LOGIN.password);
    } finally {
      await server.close();
    }
  });
});

describe('faults', () => {
  it('latency delays the answer and the call still succeeds', async () => {
    const { server, admin } = await start();
    const c = client(server.url);
    try {
      await admin('/__admin/faults', {
        method: 'GET',
        path: '/entity/Default/*/CostCode',
        kind: 'latency',
        latencyMs: 150,
      });
      const t0 = Date.now();
      expect(await c.list('CostCode', { top: 1 })).toHaveLength(1);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    } finally {
      await c.close();
      await server.close();
    }
  });
});
