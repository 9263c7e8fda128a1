/**
 * GET /openapi.json and GET /docs, on the real Express app (no database or Temporal is touched): the document is
 * OpenAPI 3 (structural checks here; openapi-spec-validator too where Python has it), lists every route the app
 * serves (walked from Express's router stack) and nothing it does not; both are public; /docs renders and all
 * the assets it references load.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import type { Db } from '../../store/db';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: Express;
let server: Server;
let base: string;
let doc: Json;

beforeAll(async () => {
  const db = { query: () => Promise.reject(new Error('no database in this test')) } as unknown as Db;
  app = createApp({ db, temporal: () => undefined, taskQueue: 'unused' });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const res = await fetch(`${base}/openapi.json`);
  expect(res.status).toBe(200); // public: no key
  doc = (await res.json()) as Json;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

/** Every METHOD /path the app routes, from Express 4's router stack (mounted routers included). */
function servedRoutes(expressApp: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Json[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          out.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
        }
      } else if (layer.name === 'router' && layer.handle?.stack) {
        walk(layer.handle.stack, prefix);
      }
    }
  };
  walk((expressApp as unknown as { _router: { stack: Json[] } })._router.stack, '');
  return out.map((r) => r.replace(/:([A-Za-z0-9_]+)/g, '{$1}')).sort();
}

const documented = () =>
  Object.entries(doc.paths as Record<string, Json>)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();

test('lists exactly the routes the app serves', () => {
  const served = servedRoutes(app);
  expect(served.length).toBeGreaterThan(10);
  expect(documented()).toEqual(served);
});

test('is a valid OpenAPI 3 document', () => {
  expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
  expect(typeof doc.info.title).toBe('string');
  expect(typeof doc.info.version).toBe('string');
  const operationSecurity = new Set<string>();
  const refs: string[] = [];
  JSON.stringify(doc, (k, v) => (k === '$ref' ? (refs.push(v), v) : v));
  for (const ref of refs) {
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((n: Json | undefined, key) => n?.[key], doc);
    expect(target).toBeDefined();
  }
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Json>)) {
    expect(p.startsWith('/')).toBe(true);
    const templated = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const [method, op] of Object.entries(ops)) {
      expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const status of Object.keys(op.responses)) expect(status).toMatch(/^[1-5]\d\d$|^default$/);
      const pathParams = (op.parameters ?? []).filter((x: Json) => x.in === 'path');
      expect(pathParams.map((x: Json) => x.name).sort()).toEqual(templated);
      for (const x of pathParams) expect(x.required).toBe(true);
      for (const s of op.security ?? []) for (const name of Object.keys(s)) operationSecurity.add(name);
    }
  }
  for (const name of operationSecurity) expect(doc.components.securitySchemes[name]).toBeDefined();
  // The request bodies are the validating zod schemas: POST /imports names its import kinds and is strict.
  const imports = doc.paths['/imports'].post.requestBody.content['application/json'].schema;
  expect(imports.required).toEqual(expect.arrayContaining(['companyId', 'entities']));
  expect(imports.additionalProperties).toBe(false);
  expect(imports.properties.entities.items.enum).toContain('vendors');
});

// Where Python has the reference validator (pip openapi-spec-validator), it checks the document as well.
const hasPythonValidator = (() => {
  try {
    execFileSync('python3', ['-c', 'import openapi_spec_validator'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
(hasPythonValidator ? test : test.skip)('openapi-spec-validator accepts it', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  const out = execFileSync('python3', ['-m', 'openapi_spec_validator', file], { encoding: 'utf8' });
  expect(out).toMatch(/OK/);
});

test('GET /docs renders every operation, with no external assets, without a key', async () => {
  const res = await fetch(`${base}/docs`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await res.text();
  for (const op of documented()) {
    const [method, p] = op.split(' ');
    expect(html).toContain(`>${method}</span> <code>${p}</code>`);
  }
  // Every asset the page references loads (today: only the document itself).
  const assets = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => new URL(m[1], `${base}/docs`).toString());
  for (const url of assets) {
    expect(url.startsWith(base)).toBe(true);
    expect((await fetch(url)).status).toBe(200);
  }
  // Data routes still need the key.
  expect((await fetch(`${base}/metrics`)).status).toBe(401);
});
