/**
 * The Acumatica `Default` endpoint contracts, read from Acumatica's own published OpenAPI documents
 * (`contract/Default_<version>.json.gz` beside this file, MIT, see `contract/LICENSE` and `contract/README.md`;
 * 20/22/23 are Swagger 2.0, 24 and later OpenAPI 3.0.1).
 *
 * The simulator serves only what a version's document defines: which entities exist (the document's tags), which
 * fields each has (value fields, linked entities, detail collections) and which actions are declared
 * (`POST /<Entity>/<Action>` paths). Everything here is derived from the documents; nothing is hand-listed.
 *
 * The directory is `contract/` beside this file, overridable with ACUMATICA_OPENAPI_DIR (plain `.json` or `.json.gz`).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const DEFAULT_VERSIONS = [
  '20.200.001',
  '22.200.001',
  '23.200.001',
  '24.200.001',
  '25.200.001',
  '26.200.001',
] as const;
export type DefaultVersion = (typeof DEFAULT_VERSIONS)[number];

export const RELEASES = [
  '2022R1',
  '2022R2',
  '2023R1',
  '2023R2',
  '2024R1',
  '2024R2',
  '2025R1',
  '2025R2',
  '2026R1',
  '2026R2',
] as const;
export type AcumaticaRelease = (typeof RELEASES)[number];

const V20_24: DefaultVersion[] = ['20.200.001', '22.200.001', '23.200.001', '24.200.001'];

/**
 * Default endpoint versions each release ships (acumatica-api.md §2.1, contract/README.md): 2025 R1 adds no
 * Default version (newest stays 24.200.001), 2025 R2 adds 25.200.001, 2026 R1 none, 2026 R2 adds 26.200.001
 * (system contract 5). Older system endpoints keep being served.
 */
export const RELEASE_VERSIONS: Record<AcumaticaRelease, DefaultVersion[]> = {
  '2022R1': ['20.200.001'],
  '2022R2': ['20.200.001', '22.200.001'],
  '2023R1': ['20.200.001', '22.200.001'],
  '2023R2': ['20.200.001', '22.200.001', '23.200.001'],
  '2024R1': ['20.200.001', '22.200.001', '23.200.001'],
  '2024R2': V20_24,
  '2025R1': V20_24,
  '2025R2': [...V20_24, '25.200.001'],
  '2026R1': [...V20_24, '25.200.001'],
  '2026R2': [...V20_24, '25.200.001', '26.200.001'],
};

/** Plausible build numbers (YY.1nn = R1, YY.2nn = R2; 25.101.0153 was seen in a public repository). */
export const RELEASE_BUILDS: Record<AcumaticaRelease, string> = {
  '2022R1': '22.106.0015',
  '2022R2': '22.210.0017',
  '2023R1': '23.107.0023',
  '2023R2': '23.209.0020',
  '2024R1': '24.108.0021',
  '2024R2': '24.207.0018',
  '2025R1': '25.101.0153',
  '2025R2': '25.203.0024',
  '2026R1': '26.104.0012',
  '2026R2': '26.201.0009',
};

export type ValueType =
  | 'StringValue'
  | 'DecimalValue'
  | 'DoubleValue'
  | 'BooleanValue'
  | 'DateTimeValue'
  | 'IntValue'
  | 'ShortValue'
  | 'LongValue'
  | 'ByteValue'
  | 'GuidValue'
  | string;

export type FieldDef =
  | { name: string; kind: 'value'; valueType: ValueType }
  | { name: string; kind: 'linked'; schema: string }
  | { name: string; kind: 'detail'; schema: string };

export interface SchemaDef {
  name: string;
  fields: Map<string, FieldDef>;
  /** The contract whose document defines the schema (matters for endpoint extensions). */
  contract: EndpointContract;
}

export interface EntityDef extends SchemaDef {
  /** Screen ID from the tag description, e.g. "SC301000". */
  screen?: string;
  actions: string[];
}

interface RawSchema {
  $ref?: string;
  allOf?: RawSchema[];
  /** Contract 5 writes linked entities as `anyOf: [{$ref}]` + `nullable`. */
  anyOf?: RawSchema[];
  properties?: Record<string, RawSchema>;
  type?: string;
  items?: RawSchema;
}

export interface RawDoc {
  swagger?: string;
  openapi?: string;
  info?: { title?: string; version?: string };
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, unknown>>;
  definitions?: Record<string, RawSchema>;
  components?: { schemas?: Record<string, RawSchema> };
}

export function openApiDir(): string {
  return process.env.ACUMATICA_OPENAPI_DIR ?? path.join(__dirname, 'contract');
}

const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);

export class EndpointContract {
  /** `Default`, or the name of a customer's endpoint extension (which has its own name and version). */
  readonly endpointName: string = 'Default';
  readonly version: string;
  /** System contract version (`info.version` of the document): 4 up to 25.200.001, 5 from 26.200.001. */
  readonly systemContract: number;
  private readonly schemas: Record<string, RawSchema>;
  private readonly entityNames: Set<string>;
  private readonly screens = new Map<string, string>();
  private readonly actions = new Map<string, string[]>();
  private readonly schemaCache = new Map<string, SchemaDef>();
  /** Entities added by an endpoint extension (name -> definition from another contract). */
  private readonly extensions = new Map<string, EntityDef>();

  constructor(version: string, doc: RawDoc) {
    this.version = version;
    this.systemContract = Number(doc.info?.version ?? 4) || 4;
    this.schemas = doc.definitions ?? doc.components?.schemas ?? {};
    this.entityNames = new Set((doc.tags ?? []).map((t) => t.name));
    for (const t of doc.tags ?? []) {
      const m = /\(([A-Z]{2}\d{6})\)/.exec(t.description ?? '');
      if (m) this.screens.set(t.name, m[1]);
    }
    for (const [p, ops] of Object.entries(doc.paths)) {
      const m = /^\/([^/]+)\/([^/{$]+)$/.exec(p);
      if (!m || !ops.post) continue;
      const list = this.actions.get(m[1]) ?? [];
      list.push(m[2]);
      this.actions.set(m[1], list);
    }
  }

  /** Entity names of this contract (plus extension entities). */
  entities(): string[] {
    return [...this.entityNames, ...this.extensions.keys()].sort();
  }

  hasEntity(name: string): boolean {
    return this.extensions.has(name) || this.entityNames.has(name);
  }

  entity(name: string): EntityDef | undefined {
    const ext = this.extensions.get(name);
    if (ext) return ext;
    if (!this.entityNames.has(name)) return undefined;
    const schema = this.schema(name);
    if (!schema) return undefined;
    return { ...schema, screen: this.screens.get(name), actions: this.actions.get(name) ?? [] };
  }

  hasAction(entity: string, action: string): boolean {
    return this.entity(entity)?.actions.includes(action) ?? false;
  }

  /** Fields of a (detail/linked) schema, resolved against this document. */
  schema(name: string): SchemaDef | undefined {
    const cached = this.schemaCache.get(name);
    if (cached) return cached;
    const raw = this.schemas[name];
    if (!raw) return undefined;
    const fields = new Map<string, FieldDef>();
    const collect = (s: RawSchema): void => {
      if (s.$ref) {
        const base = refName(s.$ref);
        if (base !== 'Entity') {
          const r = this.schemas[base];
          if (r) collect(r);
        }
        return;
      }
      for (const part of s.allOf ?? []) collect(part);
      for (const [fname, prop] of Object.entries(s.properties ?? {})) {
        const f = !prop.$ref && prop.anyOf?.length === 1 && prop.anyOf[0].$ref ? prop.anyOf[0] : prop;
        if (f.$ref) {
          const target = refName(f.$ref);
          if (target.endsWith('Value')) fields.set(fname, { name: fname, kind: 'value', valueType: target });
          else fields.set(fname, { name: fname, kind: 'linked', schema: target });
        } else if (f.type === 'array' && f.items?.$ref) {
          fields.set(fname, { name: fname, kind: 'detail', schema: refName(f.items.$ref) });
        }
      }
    };
    collect(raw);
    const def: SchemaDef = { name, fields, contract: this };
    this.schemaCache.set(name, def);
    return def;
  }

  /**
   * A customer's endpoint extension of this contract: an endpoint of its own (`name`/`version`, e.g.
   * ProcoreConnector/22.200.001) with every entity of this one plus `entities` taken from `source` (e.g. SC301000
   * mapped as `Subcontract` with the Default/23.200.001 shape). This contract is unchanged.
   */
  extend(name: string, version: string, entities: string[], source: EndpointContract): EndpointContract {
    const copy = Object.create(EndpointContract.prototype) as EndpointContract;
    Object.assign(copy, this, { endpointName: name, version });
    const extensions = new Map(this.extensions);
    for (const entity of entities) {
      const def = source.entity(entity);
      if (!def) throw new Error(`Contract ${source.version} has no entity ${entity}`);
      extensions.set(entity, def);
    }
    (copy as unknown as { extensions: Map<string, EntityDef> }).extensions = extensions;
    return copy;
  }
}

const loaded = new Map<string, EndpointContract>();
const documents = new Map<string, RawDoc>();

/** The published OpenAPI document of Default/<version>, parsed once per process (read-only: do not mutate). */
export function loadDocument(version: string): RawDoc {
  const hit = documents.get(version);
  if (hit) return hit;
  const plain = path.join(openApiDir(), `Default_${version}.json`);
  const file = [plain, `${plain}.gz`].find((f) => fs.existsSync(f));
  if (!file) throw new Error(`No OpenAPI document for Default/${version} at ${plain}(.gz)`);
  const bytes = fs.readFileSync(file);
  const doc = JSON.parse((file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8')) as RawDoc;
  documents.set(version, doc);
  return doc;
}

const schemasOf = (doc: RawDoc): Record<string, unknown> =>
  (doc.definitions ?? doc.components?.schemas ?? {}) as Record<string, unknown>;

/**
 * The document of `version` with `entity` added from `sourceVersion` (its tag, its paths and every schema they
 * reference that the target lacks), titled `<endpoint>/<version>`: what GET /entity/<endpoint>/<version>/swagger.json
 * shows for an endpoint extension.
 * Both documents must have the same format (Swagger 2.0 for 20/22/23).
 */
export function documentWithExtension(
  version: string,
  entity: string,
  sourceVersion: string,
  endpoint = 'Default',
): RawDoc {
  const target = loadDocument(version);
  const source = loadDocument(sourceVersion);
  const targetSchemas = schemasOf(target);
  const sourceSchemas = schemasOf(source);
  const added: Record<string, unknown> = {};
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const name = refName(v);
        if (!(name in targetSchemas) && !(name in added) && name in sourceSchemas) {
          added[name] = sourceSchemas[name];
          visit(sourceSchemas[name]);
        }
      } else visit(v);
    }
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [p, ops] of Object.entries(source.paths))
    if (p === `/${entity}` || p.startsWith(`/${entity}/`)) {
      paths[p] = ops;
      visit(ops);
    }
  const tag = (source.tags ?? []).find((t) => t.name === entity);
  return {
    ...target,
    info: { ...target.info, title: `${endpoint}/${version}` },
    tags: [...(target.tags ?? []), ...(tag ? [tag] : [])],
    paths: { ...target.paths, ...paths },
    ...(target.definitions
      ? { definitions: { ...target.definitions, ...added } as RawDoc['definitions'] }
      : { components: { ...target.components, schemas: { ...targetSchemas, ...added } as Record<string, RawSchema> } }),
  };
}

/** Loads (once per process) the contract of Default/<version>. */
export function loadContract(version: string): EndpointContract {
  const hit = loaded.get(version);
  if (hit) return hit;
  const contract = new EndpointContract(version, loadDocument(version));
  loaded.set(version, contract);
  return contract;
}
