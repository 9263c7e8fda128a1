/**
 * A stranger's client against the Acumatica simulator (issue #13 item 3): PyPI's easy-acumatica (pinned in
 * scripts/install-python-clients.sh) reads `GET /entity` and the newest Default endpoint's swagger.json
 * (`?company=<tenant>`), builds a service per entity from it and lists vendors. It needs OpenAPI 3, which a real
 * server publishes from 24.200.001 on: on every release whose newest Default endpoint is 24.200.001 or later it
 * must start and work. On the older releases the served document is Swagger 2.0, as Acumatica published those,
 * and the client refuses it exactly as it would refuse a real 2022 R1 – 2024 R1 server.
 */
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { RELEASE_VERSIONS, RELEASES } from 'acumatica-simulator/src/contract';
import { createAcumaticaSimulator } from 'acumatica-simulator/src/server';
import { DEMO_COMPANY } from 'simulator-common';

const ROOT = path.resolve(__dirname, '../..');
const CLIENTS = path.join(ROOT, '.tools/python-clients');

beforeAll(() => {
  execFileSync('bash', [path.join(ROOT, 'scripts/install-python-clients.sh')], { stdio: 'inherit' });
});

interface Started {
  version?: string;
  services?: number;
  vendors?: number;
  error?: string;
}

/** Runs the client in a child process (asynchronously: the simulator answers it from this process). */
async function easyAcumatica(url: string): Promise<Started> {
  const { stdout } = await promisify(execFile)(
    'python3',
    [
      path.join(__dirname, 'third-party/easy_acumatica_start.py'),
      url,
      DEMO_COMPANY.acumaticaTenant,
      DEMO_COMPANY.acumaticaLogin.name,
      DEMO_COMPANY.acumaticaLogin.password,
    ],
    { env: { ...process.env, PYTHONPATH: CLIENTS }, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as Started;
}

/** The swagger.json a signed-in caller gets, with the company named as clients name it. */
async function swaggerFormat(url: string, version: string, company: string): Promise<string> {
  const login = await fetch(`${url}/entity/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: DEMO_COMPANY.acumaticaLogin.name,
      password: DEMO_COMPANY.acumaticaLogin.password,
      company: DEMO_COMPANY.acumaticaTenant,
    }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(`${url}/entity/Default/${version}/swagger.json?company=${company}`, { headers: { cookie } });
  const body = (await res.json()) as { swagger?: string; openapi?: string; message?: string };
  await fetch(`${url}/entity/auth/logout`, { method: 'POST', headers: { cookie } });
  return res.ok
    ? body.openapi
      ? `openapi ${body.openapi}`
      : `swagger ${body.swagger}`
    : `${res.status} ${body.message}`;
}

const report: string[] = [];
afterAll(() => console.log(`easy-acumatica against the simulator:\n${report.join('\n')}`));

test.each(RELEASES.map((r) => [r]))('%s', async (release) => {
  const sim = createAcumaticaSimulator({ release });
  const server = await sim.listen(0);
  try {
    const newest = RELEASE_VERSIONS[release].at(-1)!;
    const format = await swaggerFormat(server.url, newest, DEMO_COMPANY.acumaticaTenant);
    const result = await easyAcumatica(server.url);
    report.push(`  ${release} (Default/${newest}, ${format}): ${JSON.stringify(result)}`);
    if (newest >= '24.200.001') {
      expect(format).toMatch(/^openapi 3\.0/);
      expect(result).toEqual({ version: newest, services: expect.any(Number), vendors: 4 });
      expect(result.services).toBeGreaterThan(100);
    } else {
      expect(format).toBe('swagger 2.0');
      expect(result.error).toMatch(/Failed to build dynamic services/);
    }
  } finally {
    await server.close();
  }
});

test('swagger.json answers only for the tenant it is asked for', async () => {
  const sim = createAcumaticaSimulator({ release: '2026R2' });
  const server = await sim.listen(0);
  try {
    expect(await swaggerFormat(server.url, '26.200.001', DEMO_COMPANY.acumaticaTenant.toLowerCase())).toMatch(
      /^openapi 3\.0/,
    );
    expect(await swaggerFormat(server.url, '26.200.001', 'NoSuchCompany')).toMatch(/^40\d .*NoSuchCompany/);
  } finally {
    await server.close();
  }
});
