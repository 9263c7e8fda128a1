/**
 * Checks JSON bodies against Acumatica's OpenAPI documents (Swagger 2.0 and OpenAPI 3.0.1), for the conformance
 * tests: finds the operation of a request (method + path below /entity/Default/<v>) and validates the request
 * body and the response body against the schemas it declares.
 *
 * Stricter than JSON Schema's defaults on purpose: a property the schema does not declare is an error (the
 * documents never set additionalProperties: false, so plain validation would accept any field). Documented
 * allowances: `_links` on top-level entities (Acumatica returns it, the documents do not declare it) and `null`
 * for any property (how .NET serialises an absent value, e.g. `note: null` on linked entities). Discriminated
 * schemas (CustomField) are checked against the subtype named by `type`.
 */
import type { RawDoc } from './contract';

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  anyOf?: Schema[];
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  discriminator?: string | { propertyName: string };
  enum?: unknown[];
}

type Doc = RawDoc & { components?: { schemas?: Record<string, unknown>; responses?: Record<string, unknown> } };

export interface Operation {
  template: string;
  method: string;
  operationId: string;
  entity: string;
  requestSchema?: Schema;
  responses: Record<string, Schema | undefined>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class OpenApiChecker {
  private readonly schemas: Record<string, Schema>;

  constructor(private readonly doc: Doc) {
    this.schemas = (doc.definitions ?? doc.components?.schemas ?? {}) as Record<string, Schema>;
  }

  private deref(s: Schema | undefined): Schema | undefined {
    let cur = s;
    for (let i = 0; cur?.$ref && i < 20; i++) cur = this.schemas[cur.$ref.slice(cur.$ref.lastIndexOf('/') + 1)];
    return cur;
  }

  /** The operation for `method` on `path` (relative to the endpoint base), preferring literal segments. */
  findOperation(method: string, path: string): Operation | undefined {
    const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
    let best: { template: string; score: number } | undefined;
    for (const template of Object.keys(this.doc.paths)) {
      const t = template.split('/').filter(Boolean);
      if (t.length !== segs.length || !this.doc.paths[template][method.toLowerCase()]) continue;
      let score = 0;
      let ok = true;
      t.forEach((part, i) => {
        if (!ok) return;
        if (part === segs[i]) score += 2;
        else if (part === '{id}') ok = UUID.test(segs[i]) ? ((score += 1), true) : false;
        else if (part.startsWith('{')) score += 0;
        else ok = false;
      });
      if (ok && (!best || score > best.score)) best = { template, score };
    }
    if (!best) return undefined;
    const op = this.doc.paths[best.template][method.toLowerCase()] as {
      operationId: string;
      tags?: string[];
      parameters?: Array<{ in: string; schema?: Schema }>;
      requestBody?: { content?: Record<string, { schema?: Schema }> };
      responses: Record<string, { schema?: Schema; content?: Record<string, { schema?: Schema }>; $ref?: string }>;
    };
    const responses: Record<string, Schema | undefined> = {};
    for (const [status, r] of Object.entries(op.responses ?? {})) {
      let resp = r;
      if (r.$ref) resp = this.doc.components?.responses?.[r.$ref.slice(r.$ref.lastIndexOf('/') + 1)] as typeof r;
      responses[status] = resp?.schema ?? resp?.content?.['application/json']?.schema;
    }
    return {
      template: best.template,
      method: method.toUpperCase(),
      operationId: op.operationId,
      entity: op.tags?.[0] ?? best.template.split('/')[1],
      requestSchema:
        op.parameters?.find((p) => p.in === 'body')?.schema ?? op.requestBody?.content?.['application/json']?.schema,
      responses,
    };
  }

  /** Errors of `value` against `schema` (empty = valid). */
  validate(value: unknown, schema: Schema | undefined, path = '$', allowLinks = true): string[] {
    const s = this.deref(schema);
    if (!s) return [];
    if (value === null) return [];
    if (s.anyOf?.length) {
      // Contract 5 writes nullable references as anyOf: [{$ref}]: valid when one alternative accepts it.
      const tries = s.anyOf.map((alt) => this.validate(value, alt, path, allowLinks));
      return tries.find((e) => e.length === 0) ?? tries[0];
    }
    const errors: string[] = [];
    const props = this.properties(s);
    const disc = typeof s.discriminator === 'string' ? s.discriminator : s.discriminator?.propertyName;
    if (disc && value && typeof value === 'object') {
      const sub = this.schemas[String((value as Record<string, unknown>)[disc])];
      if (!sub) return [`${path}: unknown ${disc} '${String((value as Record<string, unknown>)[disc])}'`];
      if (this.deref(sub) !== s) return this.validate(value, sub, path, allowLinks);
    }
    const type = s.type ?? (props ? 'object' : undefined);
    if (value === null) return [];
    switch (type) {
      case 'object': {
        if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
        for (const r of s.required ?? []) if (!(r in value)) errors.push(`${path}: missing required '${r}'`);
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          const p = props?.[k];
          if (p) errors.push(...this.validate(v, p, `${path}.${k}`, false));
          else if (k === '_links' && allowLinks) continue;
          else if (s.additionalProperties && typeof s.additionalProperties === 'object')
            errors.push(...this.validate(v, s.additionalProperties, `${path}.${k}`, false));
          else if (s.additionalProperties !== true) errors.push(`${path}: '${k}' is not declared by the schema`);
        }
        return errors;
      }
      case 'array':
        if (!Array.isArray(value)) return [`${path}: expected an array`];
        value.forEach((v, i) => errors.push(...this.validate(v, s.items, `${path}[${i}]`, allowLinks)));
        return errors;
      case 'string':
        if (typeof value !== 'string') return [`${path}: expected a string, got ${JSON.stringify(value)}`];
        if (s.format === 'uuid' && !UUID.test(value)) return [`${path}: not a uuid`];
        if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) return [`${path}: not a date-time`];
        if (s.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return [`${path}: not a date (YYYY-MM-DD)`];
        return [];
      case 'integer':
        return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`];
      case 'number':
        return typeof value === 'number' ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`];
      case 'boolean':
        return typeof value === 'boolean' ? [] : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
      default:
        return [];
    }
  }

  /** All declared properties of a schema, through allOf and $ref. */
  private properties(s: Schema): Record<string, Schema> | undefined {
    if (!s.allOf && !s.properties) return undefined;
    const out: Record<string, Schema> = {};
    for (const part of s.allOf ?? []) Object.assign(out, this.properties(this.deref(part) ?? {}) ?? {});
    Object.assign(out, s.properties ?? {});
    return out;
  }
}
