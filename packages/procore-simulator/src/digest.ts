/**
 * Procore's response shapes from the public API digest (digest/models.json, extracted by digest/extract.ts).
 *
 * Renderers fill in the fields the simulator models; `conform()` then projects the value onto the endpoint's
 * digest model, recursively: every field of the model is present (null, or [] for arrays, when the simulator
 * has no value; Procore's serializers also always emit their keys), and fields the model does not have are
 * dropped unless listed in SIMULATOR_EXTRAS. Renderers can thus share one shape across list and show views,
 * and a client written against the simulator cannot come to depend on fields Procore does not document.
 * tests/conformance/procore-digest.test.ts checks the values' types against the digest.
 */
import digest from './digest/models.json';

type FieldSpec = [name: string, type: string, optional: boolean];

const MODELS = digest.models as unknown as Record<string, FieldSpec[]>;
const RETURNS = new Map(digest.endpoints.map((e) => [`${e.method} ${e.path}`, e.returns]));

/** Fields the simulator adds to a digest model, and why. */
export const SIMULATOR_EXTRAS: Record<string, string[]> = {
  // A delivery attempt needs an identity of its own; the digest model has only event_id.
  WebhooksDelivery: ['id'],
};

/** The digest model (or `ListModel`) an endpoint returns, e.g. "GET /rest/v1.0/vendors/{id}". */
export function returnType(endpoint: string): string {
  const type = RETURNS.get(endpoint);
  if (!type) throw new Error(`${endpoint} is not a simulated digest endpoint`);
  return type;
}

export function modelFields(name: string): FieldSpec[] | undefined {
  return MODELS[name];
}

/** The model behind a type name: "ListFoo" -> "Foo"; primitives -> undefined. */
export function modelOf(type: string): string | undefined {
  if (MODELS[type]) return type;
  return type.startsWith('List') ? modelOf(type.slice(4)) : undefined;
}

/** The JSON key of a digest field: the generator renamed Python keywords (`date` -> `var_date`). */
export function jsonKey(field: string): string {
  return field.startsWith('var_') ? field.slice(4) : field;
}

/** Adds the digest fields a rendered value lacks (see the module comment). */
export function conform(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    // Some list endpoints name the element model without "List" in the digest; an array is an array.
    const element = type.startsWith('List') ? type.slice(4) : type;
    return value.map((v) => conform(element, v));
  }
  const model = MODELS[type];
  if (!model || !isPlainObject(value)) return value;
  // The generator's stand-in for a map (field name -> messages): keep the map as it is.
  if (model.length === 1 && model[0][0] === 'field_name') return value;
  const out: Record<string, unknown> = {};
  for (const key of SIMULATOR_EXTRAS[type] ?? []) if (key in value) out[key] = value[key];
  for (const [name, fieldType] of model) {
    const key = jsonKey(name);
    out[key] = value[key] !== undefined ? conform(fieldType, value[key]) : fieldType.startsWith('List') ? [] : null;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
