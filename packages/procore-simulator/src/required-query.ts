/**
 * Refuses a GET or DELETE that lacks a query parameter the public API digest marks required (extracted into
 * digest/models.json by digest/extract.ts): `contract_payments` without `contract_id`, `standard_cost_codes`
 * without `standard_cost_code_list_id`, `line_item_types` with neither `company_id` nor `project_id`.
 *
 * UNVERIFIED: Procore's exact wording. The API is Grape-based, so the messages follow Grape's validators
 * ("project_id is missing"; "company_id, project_id are missing, at least one parameter must be provided"), sent
 * as 400 in Procore's `{"errors": "..."}` body.
 */
import type { NextFunction, Request, Response } from 'express';
import digest from './digest/models.json';
import { sendError } from './json';

interface Rule {
  method: string;
  pattern: RegExp;
  required: string[];
  oneOf: string[];
}

function toPattern(path: string): RegExp {
  const escaped = path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

const endpoints = digest.endpoints as Array<{
  method: string;
  path: string;
  requiredQuery?: string[];
  oneOfQuery?: string[];
}>;

// Literal paths before templated ones, so `/direct_costs/line_items` is not taken for `/direct_costs/{id}`.
const RULES: Rule[] = endpoints
  .map((e) => ({ method: e.method, path: e.path, required: e.requiredQuery ?? [], oneOf: e.oneOfQuery ?? [] }))
  .sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0))
  .map(({ path, ...rule }) => ({ ...rule, pattern: toPattern(path) }));

/** The complaint for a request missing required query parameters, or undefined when it has them all. */
export function missingQuery(method: string, path: string, query: Record<string, unknown>): string | undefined {
  const rule = RULES.find((r) => r.method === method && r.pattern.test(path));
  if (!rule) return undefined;
  const given = (name: string) => query[name] !== undefined && query[name] !== '';
  const missing = rule.required.filter((name) => !given(name));
  if (missing.length) return `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`;
  if (rule.oneOf.length && !rule.oneOf.some(given)) {
    return `${rule.oneOf.join(', ')} are missing, at least one parameter must be provided`;
  }
  return undefined;
}

export function requireDigestQuery() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const complaint = missingQuery(req.method, req.path, req.query as Record<string, unknown>);
    if (complaint) return sendError(res, 400, complaint);
    next();
  };
}
