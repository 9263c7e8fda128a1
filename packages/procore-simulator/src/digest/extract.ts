/**
 * Regenerates models.json from Procore's public API digest:
 *
 *   npx tsx packages/procore-simulator/src/digest/extract.ts [/path/to/procore-public-api-digest.json[.gz]]
 *   npx prettier --write packages/procore-simulator/src/digest/models.json
 *
 * Keeps only the endpoints the simulator serves (endpoints.ts) and the models reachable from their return
 * models, with field name, type and optionality (descriptions dropped), so the simulator and the conformance
 * test carry the digest's shapes without the 1 MB source.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SIMULATED_PUBLIC_ENDPOINTS, SIMULATED_PUBLIC_ENDPOINTS_WITHOUT_BODY } from './endpoints';

interface DigestParam {
  name: string;
  type: string;
  description: string;
  notes: string;
}
interface DigestField {
  name: string;
  type: string;
  optional: boolean;
}
export interface Digest {
  source: string;
  endpoints: Array<{ method: string; path: string; returns: string; params?: DigestParam[] }>;
  models: Record<string, { fields: DigestField[] }>;
}

/** Procore's public API digest, kept gzipped beside this file (1.1 MB plain). */
export const DIGEST_SOURCE = path.join(__dirname, 'procore-public-api-digest.json.gz');

export function readDigest(file = DIGEST_SOURCE): Digest {
  const bytes = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as Digest;
}

export function extract(digest: Digest) {
  const wanted = [...SIMULATED_PUBLIC_ENDPOINTS, ...SIMULATED_PUBLIC_ENDPOINTS_WITHOUT_BODY];
  const endpoints = wanted.map((key) => {
    const [method, p] = key.split(' ');
    const found = digest.endpoints.find((e) => e.method === method && e.path === p);
    if (!found) throw new Error(`${key} is not in the digest`);
    return { method, path: p, returns: found.returns, ...requiredQuery(method, p, found.params ?? []) };
  });
  const models: Record<string, Array<[string, string, boolean]>> = {};
  const visit = (type: string) => {
    const name = modelName(type, digest.models);
    if (!name || models[name]) return;
    models[name] = digest.models[name].fields.map((f) => [f.name, f.type, f.optional]);
    for (const f of digest.models[name].fields) visit(f.type);
  };
  for (const e of endpoints) visit(e.returns);
  return { source: digest.source, endpoints, models };
}

const PRIMITIVES = new Set(['int', 'str', 'bool', 'float', 'date', 'datetime']);

/**
 * The query parameters a GET or DELETE under /rest must carry: the digest marks optional ones "[optional]", and
 * "You must supply either a company_id or project_id" makes a one-of group. Path parameters, the
 * procore_company_id header and bodies are not query parameters. Writes are left out: the digest does not say
 * whether their ids go in the query or the body.
 */
function requiredQuery(method: string, p: string, params: DigestParam[]) {
  if (!['GET', 'DELETE'].includes(method) || !p.startsWith('/rest/')) return {};
  const inPath = new Set([...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  const required = params.filter(
    (q) =>
      !q.notes.includes('[optional]') &&
      q.name !== 'procore_company_id' &&
      !inPath.has(q.name) &&
      PRIMITIVES.has(q.type),
  );
  // The description names the whole group, even where the digest lists only one of its members.
  const eitherOf = (q: DigestParam) => /must supply either an? (\w+) or (\w+)/i.exec(q.description)?.slice(1) ?? [];
  const either = [...new Set(required.flatMap(eitherOf))];
  const all = required.filter((q) => eitherOf(q).length === 0).map((q) => q.name);
  return { ...(all.length ? { requiredQuery: all } : {}), ...(either.length ? { oneOfQuery: either } : {}) };
}

/** "ListFoo" -> "Foo" when Foo is a model; primitives and unknown names -> undefined. */
export function modelName(type: string, known: Record<string, unknown>): string | undefined {
  if (known[type]) return type;
  if (type.startsWith('List')) return modelName(type.slice(4), known);
  return undefined;
}

if (require.main === module) {
  const digest = readDigest(process.argv[2]);
  const out = extract(digest);
  const target = path.join(__dirname, 'models.json');
  writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${out.endpoints.length} endpoints, ${Object.keys(out.models).length} models -> ${target}`);
}
