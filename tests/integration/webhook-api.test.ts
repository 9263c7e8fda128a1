/**
 * POST /webhooks/procore against real PostgreSQL and Temporal: authentication, validation, de-duplication,
 * and "answered 2xx is never lost" when Temporal or the database hiccups.
 */
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { relayPendingDeliveries } from '../../api/inbox-relay';
import { sha256 } from '../../store/connections';
import type { Db } from '../../store/db';
import { createInboxWriter } from '../../store/inbox-writer';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
let token: string;

beforeAll(async () => {
  stack = await startConnectorStack({ worker: 'none', relayIntervalMs: 300 });
  // The token the stack registered lives only in the Procore simulator's hook; read it from there.
  const hooks = await stack.procore.listHooks(stack.companyId, 'procore-acumatica-connector');
  token = String(hooks[0].destination_headers?.Authorization ?? hooks[0].destination_headers?.authorization).replace(
    /^Bearer /,
    '',
  );
});
afterAll(async () => {
  await stack?.stop();
});

let seq = 0;
function event(overrides: Record<string, unknown> = {}) {
  seq++;
  return {
    id: 5000 + seq,
    ulid: `01JD7Q9ZK6X4M2V8T5R3N1P${String(seq).padStart(3, '0')}`,
    timestamp: new Date().toISOString(),
    user_id: 55,
    company_id: Number(stack.companyId),
    project_id: null,
    api_version: 'v2',
    event_type: 'create',
    resource_name: 'ERP Requests',
    resource_id: 990000 + seq,
    ...overrides,
  };
}

function post(body: unknown, auth: string | null = `Bearer ${token}`, base = stack.apiUrl) {
  return fetch(`${base}/webhooks/procore`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

interface ApiBody {
  status?: string;
  workflowId?: string;
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

async function body(res: Response): Promise<ApiBody> {
  return (await res.json()) as ApiBody;
}

async function inboxCount(): Promise<number> {
  return (await stack.db.query('SELECT count(*)::int AS n FROM webhook_inbox')).rows[0].n;
}

test('a wrong or missing token gets 401 and nothing is stored', async () => {
  const before = await inboxCount();
  for (const auth of ['Bearer not-the-token', null, `Basic ${token}`]) {
    const res = await post(event(), auth);
    expect(res.status).toBe(401);
    expect(await body(res)).toEqual({ error: expect.objectContaining({ code: 'unauthorized' }) });
  }
  expect(await inboxCount()).toBe(before);
});

test('a malformed body gets 400 naming the field, and nothing is stored', async () => {
  const before = await inboxCount();
  const res = await post(event({ resource_id: 'twelve' }));
  expect(res.status).toBe(400);
  const { error } = await body(res);
  expect(error.code).toBe('invalid_request');
  expect(error.issues).toEqual([expect.objectContaining({ path: 'resource_id' })]);
  expect(error.message).toMatch(/resource_id/);

  const notJson = await post('{"id": ');
  expect(notJson.status).toBe(400);
  expect(await inboxCount()).toBe(before);
});

test('a body over the size limit gets 413', async () => {
  const res = await post(event({ metadata: { padding: 'x'.repeat(300_000) } }));
  expect(res.status).toBe(413);
});

test('a duplicate delivery is answered 200 and ignored; other events are stored and ignored', async () => {
  const e = event();
  expect((await post(e)).status).toBe(202);
  const dup = await post(e);
  expect(dup.status).toBe(200);
  expect(await body(dup)).toMatchObject({ status: 'duplicate' });

  const rfi = await post(event({ resource_name: 'RFIs' }));
  expect(await body(rfi)).toMatchObject({ status: 'ignored' });
});

test('a delivery accepted while Temporal is unreachable is started later by the relay', async () => {
  stack.setTemporalAvailable(false);
  const e = event();
  const res = await post(e);
  expect(res.status).toBe(202);
  const { workflowId, status } = await body(res);
  expect(status).toBe('queued');
  const row = await stack.db.query('SELECT status FROM webhook_inbox WHERE delivery_id = $1', [e.ulid]);
  expect(row.rows[0].status).toBe('pending');

  stack.setTemporalAvailable(true);
  const deadline = Date.now() + 20_000;
  let started = false;
  while (!started && Date.now() < deadline) {
    started =
      (await stack.db.query('SELECT status FROM webhook_inbox WHERE delivery_id = $1', [e.ulid])).rows[0].status ===
      'started';
    if (!started) await new Promise((r) => setTimeout(r, 200));
  }
  expect(started).toBe(true);
  const described = await stack.client.workflow.getHandle(workflowId!).describe();
  expect(described.type).toBe('erpRequestWorkflow');
});

test('when the database fails after authentication the delivery is not acknowledged (Procore retries)', async () => {
  const flaky = {
    query: async (sql: string) => {
      if (sql.includes('FROM company_connections')) {
        return { rows: [{ procore_company_id: stack.companyId, webhook_token_sha256: sha256(token) }] };
      }
      throw new Error('connection terminated unexpectedly');
    },
  } as unknown as Db;
  const app = createApp({ db: flaky, temporal: () => stack.client, taskQueue: stack.taskQueue });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const silence = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await post(event(), `Bearer ${token}`, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    silence.mockRestore();
    expect(res.status).toBe(500);
    expect((await body(res)).error.code).toBe('internal');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('GET /syncs/:id reports unknown ids as 404 and /readyz checks both dependencies', async () => {
  const missing = await stack.apiFetch(`/syncs/erp-0-request-0`);
  expect(missing.status).toBe(404);
  // A workflow on the same namespace that the connector did not start is not shown either.
  const foreign = await stack.client.workflow.start('someoneElsesWorkflow', {
    taskQueue: 'nobody-polls-this',
    workflowId: `payroll-run-${Date.now()}`,
  });
  const hidden = await stack.apiFetch(`/syncs/${foreign.workflowId}`);
  expect(hidden.status).toBe(404);
  await foreign.terminate();
  const ready = await fetch(`${stack.apiUrl}/readyz`);
  expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
});

describe('intake hardening', () => {
  const raw = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${stack.apiUrl}/webhooks/procore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body,
    });

  test('the token is checked before the body is read: an oversized body with a wrong token is 401, not 413', async () => {
    const res = await post(event({ metadata: { padding: 'x'.repeat(300_000) } }), 'Bearer wrong');
    expect(res.status).toBe(401);
  });

  test('a 413 names the real limit', async () => {
    const res = await post(event({ metadata: { padding: 'x'.repeat(300_000) } }));
    expect(res.status).toBe(413);
    expect((await body(res)).error.message).toMatch(/256 kB limit/);
  });

  test('ids longer than 20 digits are 400, and nothing is stored', async () => {
    const before = await inboxCount();
    const res = await raw(JSON.stringify(event()).replace(/"resource_id":\d+/, `"resource_id":${'9'.repeat(21)}`));
    expect(res.status).toBe(400);
    expect((await body(res)).error.message).toMatch(/resource_id must be a numeric id of at most 20 digits/);
    const twenty = await raw(JSON.stringify(event()).replace(/"resource_id":\d+/, `"resource_id":${'9'.repeat(20)}`));
    expect(twenty.status).toBe(202);
    expect(await inboxCount()).toBe(before + 1);
  });

  test('NUL characters and lone surrogates are 400, never 500', async () => {
    for (const [text, why] of [
      ['RFI\\u0000', /NUL character/],
      ['bad \\ud800 half', /lone UTF-16 surrogate/],
      ['bad \\udc00 half', /lone UTF-16 surrogate/],
    ] as const) {
      const res = await raw(JSON.stringify(event({ event_type: 'create' })).replace('"create"', `"${text}"`));
      expect(res.status).toBe(400);
      expect((await body(res)).error.message).toMatch(why);
    }
    const pair = await raw(JSON.stringify(event({ metadata: { note: 'ok' } })).replace('"ok"', '"\\ud83d\\ude00"'));
    expect(pair.status).toBe(202); // a proper surrogate pair is fine
  });

  test('unsupported content encodings and charsets are 415 with what to send', async () => {
    const br = await raw(JSON.stringify(event()), { 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect((await body(br)).error).toMatchObject({ code: 'unsupported_media_type' });
    const charset = await raw(JSON.stringify(event()), { 'content-type': 'application/json; charset=klingon' });
    expect(charset.status).toBe(415);
    expect((await body(charset)).error.message).toMatch(/charset/);
  });

  test('202 right after the inbox insert; the workflow starts beside the answer', async () => {
    const e = event();
    const res = await post(e);
    expect(res.status).toBe(202);
    const { status, workflowId } = await body(res);
    expect(status).toBe('accepted');
    const deadline = Date.now() + 10_000;
    let row = '';
    while (row !== 'started' && Date.now() < deadline) {
      row = (await stack.db.query('SELECT status FROM webhook_inbox WHERE delivery_id = $1', [e.ulid])).rows[0].status;
      if (row !== 'started') await new Promise((r) => setTimeout(r, 100));
    }
    expect(row).toBe('started');
    expect((await stack.client.workflow.getHandle(workflowId!).describe()).type).toBe('erpRequestWorkflow');
  });

  test('a start Temporal refuses for good marks the row failed; a failing row backs off and never starves newer ones', async () => {
    const refused = Object.assign(new Error('invalid argument: workflow id too long'), { code: 3 });
    const unavailable = new Error('14 UNAVAILABLE: connection refused');
    const startedIds: string[] = [];
    const fakeClient = {
      workflow: {
        start: async (_type: string, opts: { workflowId: string }) => {
          if (opts.workflowId.endsWith('-request-111')) throw refused;
          if (opts.workflowId.endsWith('-request-222')) throw unavailable;
          startedIds.push(opts.workflowId);
        },
      },
    } as unknown as Client;
    const insert = (deliveryId: string, resourceId: string, ageSeconds: number) =>
      stack.db.query(
        `INSERT INTO webhook_inbox (procore_company_id, delivery_id, payload, resource_name, resource_id, event_type,
           workflow_id, received_at)
         VALUES ($1, $2, '{}', 'ERP Requests', $3, 'create', $4, now() - make_interval(secs => $5))`,
        [stack.companyId, deliveryId, resourceId, `erp-${stack.companyId}-request-${resourceId}`, ageSeconds],
      );
    const statusOf = async (deliveryId: string) =>
      (
        await stack.db.query(
          'SELECT status, start_attempts, next_attempt_at > now() AS "backingOff" FROM webhook_inbox WHERE delivery_id = $1',
          [deliveryId],
        )
      ).rows[0];
    await insert('poison-permanent', '111', 60);
    await insert('poison-transient', '222', 50);
    await insert('fresh-after-poison', '333', 40);
    await relayPendingDeliveries(stack.db, fakeClient, 'q');
    expect(await statusOf('poison-permanent')).toMatchObject({ status: 'failed', start_attempts: 1 });
    expect(await statusOf('poison-transient')).toMatchObject({
      status: 'pending',
      start_attempts: 1,
      backingOff: true,
    });
    expect(await statusOf('fresh-after-poison')).toMatchObject({ status: 'started' });
    // Backing off: the next pass does not try the transient one again yet, nor the failed one ever.
    await relayPendingDeliveries(stack.db, fakeClient, 'q');
    expect((await statusOf('poison-transient')).start_attempts).toBe(1);
    expect((await statusOf('poison-permanent')).start_attempts).toBe(1);
    expect(startedIds.filter((id) => id.endsWith('-333'))).toHaveLength(1);
  });
});

describe('group commit of deliveries', () => {
  const delivery = (id: string) => ({
    procoreCompanyId: stack.companyId,
    deliveryId: id,
    resourceName: 'ERP Requests',
    resourceId: '1',
    eventType: 'update',
    workflowId: null,
    payload: { id },
  });

  test('deliveries arriving together share statements; each caller learns whether its own was new', async () => {
    let statements = 0;
    const counting = { query: (...args: Parameters<Db['query']>) => (statements++, stack.db.query(...args)) } as Db;
    const writer = createInboxWriter(counting);
    const ids = Array.from({ length: 60 }, (_, i) => `group-${i}`);
    await writer.insert(delivery('group-0')); // stored before: its redelivery below is a duplicate
    statements = 0;
    // 60 deliveries, one of them stored already, and one sent twice in the same burst.
    const results = await Promise.all([...ids, 'group-7'].map((id) => writer.insert(delivery(id))));
    expect(results.filter(Boolean)).toHaveLength(59);
    expect(results[0]).toBe(false);
    expect([results[7], results[60]].sort()).toEqual([false, true]);
    // The first goes alone (nothing was being written), the rest together.
    expect(statements).toBe(2);
    const { rows } = await stack.db.query(
      `SELECT count(*)::int AS n FROM webhook_inbox WHERE delivery_id LIKE 'group-%'`,
    );
    expect(rows[0].n).toBe(60);
  });

  test('a burst through the route: every delivery stored once, duplicates answered 200', async () => {
    const events = Array.from({ length: 80 }, () => event({ event_type: 'update', resource_name: 'Budget Views' }));
    const answers = await Promise.all([...events, ...events.slice(0, 5)].map((e) => post(e)));
    const statuses = await Promise.all(
      answers.map(async (a) => [a.status, ((await a.json()) as { status: string }).status]),
    );
    expect(statuses.filter(([, s]) => s === 'ignored')).toHaveLength(80);
    expect(statuses.filter(([code, s]) => code === 200 && s === 'duplicate')).toHaveLength(5);
  });
});
