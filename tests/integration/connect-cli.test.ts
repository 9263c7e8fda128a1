/**
 * `npm run connector -- connect | check | rotate-token | disconnect` against the simulators: a second company
 * connected end to end without restarting anything (its schedules exist, its webhook export works), every
 * onboarding check with its failing case, and POST /imports refusing what the company has not opted into.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY } from 'simulator-common';
import { OTHER_COMPANY } from 'procore-simulator/src/store';
import { buildCli } from '../../cli/main';
import { acumaticaClientFor } from '../../activities/company-clients';
import { CHECKS, runChecks, type CheckName, type CheckResult } from '../../connections/checks';
import { nightlyScheduleId, reconcileScheduleId } from '../../lib/ids';
import { laneTaskQueue } from '../../lib/lanes';
import { getConnection, type CompanyConnection } from '../../store/connections';
import { demoConnection } from '../../setup/demo-company';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

const OTHER = OTHER_COMPANY.id;
const branches = DEMO_COMPANY.branches.map((b) => b.branchId);
let stack: ConnectorStack;
let secrets: string;
const sims: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  stack = await startConnectorStack();
  secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'connector-secrets-'));
});
afterAll(async () => {
  for (const s of sims) await s.close();
  await stack?.stop();
  if (secrets) fs.rmSync(secrets, { recursive: true, force: true });
});

/** Another Acumatica tenant, on its own simulator. */
async function acumaticaTenant(opts: Parameters<typeof createAcumaticaSimulator>[0] = {}) {
  const sim = createAcumaticaSimulator(opts);
  const server = await sim.listen(0);
  sims.push(server);
  return { sim, url: server.url };
}

function passwordFile(name: string, password: string): string {
  const file = path.join(secrets, name);
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return `file:${file}`;
}

/** Runs a CLI command in process against this stack; returns what it printed and the exit code it set. */
async function cli(...args: string[]): Promise<{ out: string; code: number }> {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
  const saved = { ...process.env };
  Object.assign(process.env, {
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    API_PUBLIC_URL: stack.apiUrl,
    PROCORE_API_URL: stack.procoreUrl,
  });
  process.exitCode = 0;
  try {
    await buildCli()
      .exitOverride()
      .parseAsync(['node', 'connector', ...args]);
    return { out: printed.join('\n'), code: Number(process.exitCode ?? 0) };
  } finally {
    process.env = saved;
    process.exitCode = 0;
    log.mockRestore();
    err.mockRestore();
  }
}

const byName = (results: CheckResult[]) => new Map(results.map((r) => [r.check, r]));

async function checksFor(connection: CompanyConnection): Promise<Map<CheckName, CheckResult>> {
  return byName(
    await runChecks({ connection, procore: stack.procore, acumatica: () => acumaticaClientFor(connection) }),
  );
}

describe('the onboarding checks', () => {
  test('every check passes for the demo company, the webhook included', async () => {
    const connection = (await getConnection(stack.db, stack.companyId))!;
    const results = await runChecks({
      connection,
      procore: stack.procore,
      acumatica: () => acumaticaClientFor(connection),
      apiPublicUrl: stack.apiUrl,
    });
    expect(results.map((r) => r.check).sort()).toEqual((Object.keys(CHECKS) as CheckName[]).sort());
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
  });

  test('Projects feature off', async () => {
    const tenant = await acumaticaTenant({ settings: { projectsFeature: false } });
    const r = await checksFor(demoConnection(tenant.url));
    expect(r.get('acumatica-login')!.status).toBe('pass');
    expect(r.get('acumatica-projects')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/Projects feature/),
    });
    expect(r.get('acumatica-projects')!.fix).toMatch(/CS100000/);
  });

  test('wrong password', async () => {
    const tenant = await acumaticaTenant();
    const r = await checksFor({ ...demoConnection(tenant.url), acumaticaPasswordRef: passwordFile('wrong', 'nope') });
    expect(r.get('acumatica-reachable')!.status).toBe('pass');
    expect(r.get('acumatica-login')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/password at file:/) });
    expect(r.has('acumatica-projects')).toBe(false); // nothing else is tried without a session
  });

  test('a password reference that does not resolve', async () => {
    const r = await checksFor({ ...demoConnection(stack.acumaticaUrl), acumaticaPasswordRef: 'file:/no/such/secret' });
    expect(r.get('acumatica-login')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/cannot be read \(ENOENT\)/),
    });
  });

  test('unknown branch', async () => {
    const r = await checksFor({ ...demoConnection(stack.acumaticaUrl), branches: [branches[0], 'NOPE'] });
    expect(r.get('acumatica-branches')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(new RegExp(`branch NOPE not found; the tenant has .*${branches[0]}`)),
    });
  });

  test('Subcontract missing (2022 R2 without the endpoint extension)', async () => {
    const tenant = await acumaticaTenant({ release: '2022R2' });
    const r = await checksFor(demoConnection(tenant.url));
    expect(r.get('acumatica-endpoint')).toMatchObject({
      status: 'pass',
      detail: 'Default/22.200.001 (2022 R2 / 2023 R1)',
    });
    expect(r.get('acumatica-subcontract')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/has no Subcontract entity.*SM207060/),
    });
  });

  test('Subcontract in an extension the connection does not name: the check names it; named, it passes', async () => {
    const tenant = await acumaticaTenant({ release: '2022R2', extensionEndpoint: { name: 'ProcoreConnector' } });
    const r = await checksFor(demoConnection(tenant.url));
    expect(r.get('acumatica-subcontract')).toEqual({
      check: 'acumatica-subcontract',
      status: 'fail',
      detail:
        'Default/22.200.001 has no Subcontract entity, but the endpoint extension ProcoreConnector/22.200.001 has it',
      fix: 'Connect the company again with --endpoint ProcoreConnector --endpoint-version 22.200.001',
    });
    const named = await checksFor({ ...demoConnection(tenant.url), acumaticaEndpointName: 'ProcoreConnector' });
    expect(named.get('acumatica-endpoint')).toMatchObject({
      status: 'pass',
      detail: 'ProcoreConnector/22.200.001 (2022 R2 / 2023 R1)',
    });
    expect(named.get('acumatica-subcontract')).toMatchObject({
      status: 'pass',
      detail: 'ProcoreConnector/22.200.001 has Subcontract',
    });
  });

  test('no free API-user slot', async () => {
    const tenant = await acumaticaTenant({ maxApiUsers: 0 });
    const r = await checksFor(demoConnection(tenant.url));
    expect(r.get('acumatica-api-slots')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/API Login Limit/),
    });
  });

  test('PO approval required shows as a warning once a PO awaits approval', async () => {
    const tenant = await acumaticaTenant({ settings: { poApprovalRequired: true } });
    const c = acumaticaClientFor(demoConnection(tenant.url));
    await c.put('PurchaseOrder', { VendorID: 'V100301', Hold: false, Details: [{ OrderQty: 1, UnitCost: 1 }] });
    await c.close();
    const r = await checksFor(demoConnection(tenant.url));
    expect(r.get('acumatica-po-approval')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/await approval/),
    });
  });

  test('ERP Integrations tool not enabled, and an app not installed', async () => {
    await fetch(`${stack.procoreUrl}/__admin/erp/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company_id: OTHER, erp_integrations_enabled: false }),
    });
    try {
      const r = await checksFor(demoConnection(stack.acumaticaUrl, OTHER));
      expect(r.get('procore-company')!.status).toBe('pass');
      expect(r.get('procore-erp-tool')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/403/) });
    } finally {
      await fetch(`${stack.procoreUrl}/__admin/erp/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ company_id: OTHER, erp_integrations_enabled: true }),
      });
    }
    const notInstalled = await checksFor(demoConnection(stack.acumaticaUrl, '999999'));
    expect(notInstalled.get('procore-company')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/Install/),
    });
  });
});

describe('connecting a second company with the CLI, without restarting anything', () => {
  let tenant: Awaited<ReturnType<typeof acumaticaTenant>>;
  const connectArgs = (passwordRef: string) => [
    'connect',
    '--company', OTHER,
    '--name', OTHER_COMPANY.name,
    '--acumatica-url', tenant.url,
    '--tenant', DEMO_COMPANY.acumaticaTenant,
    '--username', DEMO_COMPANY.acumaticaLogin.name,
    '--password-ref', passwordRef,
    '--branches', branches.join(','),
    '--time-zone', 'America/Denver',
  ]; // prettier-ignore

  beforeAll(async () => {
    tenant = await acumaticaTenant();
  });

  test('bad options are refused with what is wrong', async () => {
    const r = await cli('connect', '--company', 'abc', '--name', 'x', '--acumatica-url', 'ftp://x', '--tenant', 't',
      '--username', 'u', '--password-ref', 'hunter2', '--branches', 'HQ'); // prettier-ignore
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/--company must be the numeric Procore company id/);
    expect(r.out).toMatch(/--acumatica-url must be the instance URL/);
    expect(r.out).toMatch(/use env:VARIABLE_NAME or file:\/absolute\/path/);
    expect(r.out).not.toContain('hunter2'); // a password typed where its reference belongs is never echoed
  });

  test('failing checks store nothing unless --force', async () => {
    const r = await cli(...connectArgs(passwordFile('other-wrong', 'wrong')), '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { stored: boolean; checks: CheckResult[] };
    expect(report.stored).toBe(false);
    expect(report.checks.find((c) => c.check === 'acumatica-login')!.status).toBe('fail');
    expect(await getConnection(stack.db, OTHER)).toBeUndefined();
  });

  test('connect: checks pass, connection stored, schedules created, webhook export works', async () => {
    const r = await cli(...connectArgs(passwordFile('other', DEMO_COMPANY.acumaticaLogin.password)));
    expect(r.code).toBe(0);
    for (const title of Object.values(CHECKS)) expect(r.out).toContain(title);
    expect(r.out).not.toMatch(/FAIL/);
    expect(r.out).not.toContain(DEMO_COMPANY.acumaticaLogin.password);

    const stored = (await getConnection(stack.db, OTHER))!;
    expect(stored).toMatchObject({ acumaticaUrl: tenant.url, timeZone: 'America/Denver', optInImports: [] });
    expect(stored.acumaticaPasswordRef).toMatch(/^file:/);
    for (const id of [nightlyScheduleId(OTHER), reconcileScheduleId(OTHER)]) {
      const d = await stack.client.schedule.getHandle(id).describe();
      expect(d.spec.timezone).toBe('America/Denver');
      expect(d.action).toMatchObject({ type: 'startWorkflow', taskQueue: laneTaskQueue(stack.taskQueue, OTHER) });
    }

    // The accounting approver of the second company accepts a vendor: exported to the second tenant.
    const res = await fetch(`${stack.procoreUrl}/__admin/erp/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company_id: OTHER, item_type: 'vendor', item_id: OTHER_COMPANY.vendorId }),
    });
    expect(res.status).toBeLessThan(300);
    const { erp_request_id } = (await res.json()) as { erp_request_id: number };
    const result = await stack.waitForWorkflow<{ status: string; acumaticaKey: string }>(
      `erp-${OTHER}-request-${erp_request_id}`,
    );
    expect(result.status).toBe('success');
    const exported = (sim: typeof tenant.sim) =>
      sim.store.all('Vendor').filter((v) => v.values.AccountRef === `PROCORE-${OTHER_COMPANY.vendorId}`).length;
    expect(exported(tenant.sim)).toBe(1);
    expect(exported(stack.acumaticaSim)).toBe(0);
  });

  test('check prints every line for the company, and --json for scripts', async () => {
    const human = await cli('check', '--company', OTHER);
    expect(human.code).toBe(0);
    expect(human.out).toContain(`Company ${OTHER} (${OTHER_COMPANY.name})`);
    for (const title of Object.values(CHECKS)) expect(human.out).toContain(title);
    const json = JSON.parse((await cli('check', '--company', OTHER, '--json')).out) as Array<{ checks: CheckResult[] }>;
    expect(json[0].checks.find((c) => c.check === 'procore-webhook')).toMatchObject({ status: 'pass' });
    expect((await cli('check', '--company', '123')).out).toMatch(/not connected/);
  });

  test('POST /imports refuses payments until the company opts in; entities are de-duplicated and bounded', async () => {
    const post = (entities: string[]) =>
      stack.apiFetch('/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ companyId: OTHER, entities }),
      });
    const refused = await post(['payments']);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /payments is opt-in and company 4388 has not opted in: connect it again with --opt-in payments/,
    );
    const tooMany = await post(Array.from({ length: 50 }, () => 'vendors'));
    expect(tooMany.status).toBe(400);
    const deduped = await post(['cost_types', 'cost_types']);
    expect(deduped.status).toBe(202);
    const { workflowId } = (await deduped.json()) as { workflowId: string };
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const payload = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    expect((JSON.parse(Buffer.from(payload.data!).toString()) as { entities: string[] }).entities).toEqual([
      'cost_types',
    ]);
    await stack.waitForWorkflow(workflowId);
  });

  test('rotate-token: the old token is refused, the hook carries the new one', async () => {
    const hookBefore = (await stack.procore.listHooks(OTHER, 'procore-acumatica-connector'))[0];
    const oldAuth = hookBefore.destination_headers!.authorization;
    const r = await cli('rotate-token', OTHER);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/new webhook token set on Procore hook/);
    const hookAfter = (await stack.procore.listHooks(OTHER, 'procore-acumatica-connector'))[0];
    expect(hookAfter.id).toBe(hookBefore.id);
    expect(hookAfter.destination_headers!.authorization).not.toBe(oldAuth);
    expect(r.out).not.toContain(hookAfter.destination_headers!.authorization.slice(7));
    const body = JSON.stringify({
      id: 1,
      company_id: Number(OTHER),
      resource_name: 'ERP Requests',
      event_type: 'create',
      resource_id: 1,
    });
    const old = await fetch(`${stack.apiUrl}/webhooks/procore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: oldAuth },
      body,
    });
    expect(old.status).toBe(401);

    // Procore delivers with the hook's new header: the next approval still reaches the connector.
    const res = await fetch(`${stack.procoreUrl}/__admin/erp/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company_id: OTHER, item_type: 'vendor', item_id: OTHER_COMPANY.vendorId }),
    });
    const { erp_request_id } = (await res.json()) as { erp_request_id: number };
    expect(await stack.waitForWorkflow(`erp-${OTHER}-request-${erp_request_id}`)).toMatchObject({ status: 'success' });
  });

  test('tax-categories: set, list, unset; bad input and unknown companies are refused with what to do', async () => {
    const set = await cli(
      'tax-categories',
      '--company',
      OTHER,
      '--set',
      'TX-STATE=TAXABLE',
      '--set',
      'EXEMPT = EXEMPT',
      '--json',
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toEqual({ EXEMPT: 'EXEMPT', 'TX-STATE': 'TAXABLE' });
    expect((await cli('tax-categories', '--company', OTHER)).out).toMatch(/TX-STATE\s+-> TAXABLE/);
    await expect(cli('tax-categories', '--company', OTHER, '--set', 'TX-STATE')).rejects.toThrow(
      /write it as <Procore tax code>=<Acumatica tax category>/,
    );
    await expect(cli('tax-categories', '--company', OTHER, '--unset', 'NOPE')).rejects.toThrow(/is not mapped/);
    await expect(cli('tax-categories', '--company', '999', '--set', 'A=B')).rejects.toThrow(/not connected/);
    const unset = await cli('tax-categories', '--company', OTHER, '--unset', 'TX-STATE', '--json');
    expect(JSON.parse(unset.out)).toEqual({ EXEMPT: 'EXEMPT' });
  });

  test('disconnect: schedules and hook removed, links kept; --purge forgets them', async () => {
    const links = async () =>
      Number((await stack.db.query('SELECT count(*) FROM links WHERE procore_company_id = $1', [OTHER])).rows[0].count);
    expect(await links()).toBeGreaterThan(0);
    const r = JSON.parse((await cli('disconnect', OTHER, '--json')).out) as {
      schedulesDeleted: string[];
      hooksDeleted: string[];
      connectionDeleted: boolean;
    };
    expect(r.schedulesDeleted).toEqual([nightlyScheduleId(OTHER), reconcileScheduleId(OTHER)]);
    expect(r.hooksDeleted).toHaveLength(1);
    expect(r.connectionDeleted).toBe(true);
    expect(await stack.procore.listHooks(OTHER, 'procore-acumatica-connector')).toEqual([]);
    await expect(stack.client.schedule.getHandle(nightlyScheduleId(OTHER)).describe()).rejects.toThrow();
    expect(await links()).toBeGreaterThan(0);

    // Running it again is harmless; --purge then forgets the links.
    const again = JSON.parse((await cli('disconnect', OTHER, '--purge', '--json')).out) as {
      connectionDeleted: boolean;
      purged: boolean;
    };
    expect(again).toMatchObject({ connectionDeleted: false, purged: true });
    expect(await links()).toBe(0);
  });
});
