/**
 * The management API needs an operator API key (deny by default); the webhook and health checks do not. Keys are
 * created, listed and revoked with the CLI, stored hashed, and the CLI never prints a key except at creation.
 */
import { buildCli } from '../../cli/main';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack({ worker: 'none' });
});
afterAll(async () => {
  await stack?.stop();
});

const importBody = () => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ companyId: stack.companyId, entities: ['vendors'] }),
});
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Runs a CLI command against this stack's database; returns what it printed. */
async function cli(...args: string[]): Promise<string> {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = stack.databaseUrl;
  try {
    await buildCli()
      .exitOverride()
      .parseAsync(['node', 'connector', ...args]);
  } finally {
    process.env.DATABASE_URL = previous;
    log.mockRestore();
  }
  return printed.join('\n');
}

test('without a key: 401 on management routes, with what to do', async () => {
  for (const [path, init] of [
    ['/imports', importBody()],
    ['/syncs/erp-4271-request-1', {}],
    ['/no-such-route', {}],
  ] as const) {
    const res = await fetch(`${stack.apiUrl}${path}`, init);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).toMatch(/Authorization: Bearer/);
  }
  const wrong = await fetch(`${stack.apiUrl}/imports`, {
    ...importBody(),
    headers: bearer('cak_00000000_' + 'x'.repeat(43)),
  });
  expect(wrong.status).toBe(401);
});

test('public routes need no key: health checks, and the webhook (which checks its own token)', async () => {
  expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
  expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200);
  const webhook = await fetch(`${stack.apiUrl}/webhooks/procore`, { method: 'POST', body: '{}' });
  expect(webhook.status).toBe(401); // no webhook token: refused by the webhook's own check, not the operator check
  expect(((await webhook.json()) as { error: { message: string } }).error.message).not.toMatch(/operator API key/);
});

test('a key created with the CLI works; listed without its secret; revoked -> 401', async () => {
  const created = JSON.parse(await cli('api-keys', 'create', '--name', 'ops-dashboard', '--json')) as {
    id: string;
    key: string;
  };
  expect(created.key).toMatch(/^cak_[a-z0-9]{8}_/);
  const ok = await fetch(`${stack.apiUrl}/imports`, {
    ...importBody(),
    headers: { ...bearer(created.key), 'content-type': 'application/json' },
  });
  expect(ok.status).toBe(202);
  const status = await fetch(`${stack.apiUrl}/syncs/erp-4271-request-1`, { headers: bearer(created.key) });
  expect(status.status).toBe(404); // authenticated; no such sync

  const listed = await cli('api-keys', 'list');
  expect(listed).toContain(created.id);
  expect(listed).toContain('ops-dashboard');
  expect(listed).not.toContain(created.key.slice(13));
  const stored = await stack.db.query('SELECT key_sha256 FROM operator_api_keys WHERE id = $1', [created.id]);
  expect(stored.rows[0].key_sha256).toMatch(/^[0-9a-f]{64}$/);

  expect(await cli('api-keys', 'revoke', created.id)).toContain(`Revoked API key ${created.id}`);
  const revoked = await fetch(`${stack.apiUrl}/syncs/erp-4271-request-1`, { headers: bearer(created.key) });
  expect(revoked.status).toBe(401);
  expect(((await revoked.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
});

test('the CLI lists and shows connections without secrets', async () => {
  const list = JSON.parse(await cli('list', '--json')) as Array<{ procoreCompanyId: string }>;
  expect(list.map((c) => c.procoreCompanyId)).toContain(stack.companyId);
  const shown = await cli('show', stack.companyId);
  expect(shown).toMatch(/acumaticaPasswordRef\s+env:/);
  expect(shown).not.toContain('Demo-Passw0rd!');
});

test('the CLI lists, pauses, resumes and triggers a company’s import schedules', async () => {
  const previous = process.env.TEMPORAL_ADDRESS;
  const run = async (...args: string[]) =>
    JSON.parse(await cli('schedules', ...args, '--company', stack.companyId, '--json')) as Array<{
      scheduleId: string;
      paused: boolean;
    }>;
  try {
    const listed = await run('list');
    expect(listed.map((s) => s.scheduleId)).toEqual([
      `nightly-import-${stack.companyId}`,
      `weekly-reconcile-${stack.companyId}`,
    ]);
    expect((await run('pause')).every((s) => s.paused)).toBe(true);
    expect((await run('resume')).every((s) => !s.paused)).toBe(true);
  } finally {
    process.env.TEMPORAL_ADDRESS = previous;
  }
});
