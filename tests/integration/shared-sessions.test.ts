/**
 * A killed worker must not lock the others out (#16): Acumatica cookie sessions are shared by every worker of a
 * tenant user through PostgreSQL, so a worker started after a SIGKILL picks up the dead worker's sessions instead
 * of signing in again into a license whose API-user slots they still hold.
 */
import { DEMO_VENDORS } from 'simulator-common';
import { PgSharedSessions } from '../../store/acumatica-sessions';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
const savedMaxSessions = process.env.ACUMATICA_MAX_SESSIONS;
beforeAll(async () => {
  // A 2-user license, and workers that may use both slots.
  process.env.ACUMATICA_MAX_SESSIONS = '2';
  stack = await startConnectorStack({ worker: 'none', acumaticaSimulator: { maxApiUsers: 2 } });
});
afterAll(async () => {
  await stack?.killChildWorker();
  await stack?.stop();
  if (savedMaxSessions === undefined) delete process.env.ACUMATICA_MAX_SESSIONS;
  else process.env.ACUMATICA_MAX_SESSIONS = savedMaxSessions;
});

async function simSessions(): Promise<{ active: number; logins: number; refusedLogins: number }> {
  const state = (await (await fetch(`${stack.acumaticaUrl}/__admin/state`)).json()) as {
    sessions: { active: number; logins: number; refusedLogins: number };
  };
  return state.sessions;
}

test('workers SIGKILLed one after another on a 2-user license: every export succeeds, no sign-in is refused', async () => {
  const vendors = DEMO_VENDORS.slice(0, 4);
  for (const vendor of vendors) {
    await stack.startChildWorker();
    const { workflowId } = await stack.accept(vendor.procoreId, { item_type: 'vendor' });
    expect(await stack.waitForWorkflow(workflowId, 60_000)).toMatchObject({ status: 'success' });
    await stack.killChildWorker(); // no sign-out: the sessions stay open in Acumatica
    const sessions = await simSessions();
    expect(sessions.active).toBeLessThanOrEqual(2);
    expect(sessions.refusedLogins).toBe(0);
  }
  // The workers after the first reused its sessions rather than signing in again.
  expect((await simSessions()).logins).toBeLessThanOrEqual(2);
});

describe('the shared session store', () => {
  const owner = { acumaticaUrl: 'https://acme.example', tenant: 'T', username: 'api', password: 'pw-1' };

  test('saves compare-and-set: a second sign-in for the same slot loses to the first', async () => {
    const a = new PgSharedSessions(stack.db, owner);
    const b = new PgSharedSessions(stack.db, owner);
    const first = await a.save(0, { 'ASP.NET_SessionId': 'one' }, undefined);
    expect(first).toMatchObject({ version: 1, ours: true });
    const lost = await b.save(0, { 'ASP.NET_SessionId': 'two' }, undefined);
    expect(lost).toMatchObject({ version: 1, ours: false, cookies: { 'ASP.NET_SessionId': 'one' } });
    // Renewing the version it used (after a 401) replaces it.
    expect(await b.save(0, { 'ASP.NET_SessionId': 'three' }, 1)).toMatchObject({ version: 2, ours: true });
    expect(await a.load(0)).toEqual({ version: 2, cookies: { 'ASP.NET_SessionId': 'three' } });

    // Sealed at rest; another password cannot open it, and replaces it when it signs in.
    const { rows } = await stack.db.query('SELECT cookies FROM acumatica_sessions');
    for (const r of rows) expect((r.cookies as Buffer).toString('latin1')).not.toContain('three');
    const rotated = new PgSharedSessions(stack.db, { ...owner, password: 'pw-2' });
    expect(await rotated.load(0)).toBeUndefined();
    expect(await rotated.save(0, { 'ASP.NET_SessionId': 'four' }, undefined)).toMatchObject({ ours: true });
    expect(await rotated.load(0)).toMatchObject({ cookies: { 'ASP.NET_SessionId': 'four' } });

    // Only the last live client to leave is told to sign the sessions out.
    expect(await a.leave()).toBe(false);
    expect(await b.leave()).toBe(false);
    expect(await rotated.leave()).toBe(true);
  });
});
