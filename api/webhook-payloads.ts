/**
 * Procore webhook payloads, all three versions (procore-api.md §4), normalised to one shape.
 * Bodies are parsed losslessly: integers stay strings, because Procore ids can exceed 2^53.
 */
import { parse as parseLossless } from 'lossless-json';
import { z } from 'zod';

// Procore ids fit in 64 bits (at most 20 digits); anything longer is not an id.
const id = z
  .union([z.string().regex(/^\d{1,20}$/, 'must be a numeric id of at most 20 digits'), z.number().int()])
  .transform(String);
const nullableId = id.nullable().optional();

/** v2.0 (legacy, most common) and v3.0 (adds related_resources). */
const v2v3 = z.object({
  id,
  ulid: z.string().length(26, 'must be a 26-character ULID').optional(),
  timestamp: z.string().min(1),
  company_id: id,
  project_id: nullableId,
  user_id: nullableId,
  api_version: z.string().optional(),
  event_type: z.string().min(1),
  resource_name: z.string().min(1),
  resource_id: id,
  metadata: z.record(z.unknown()).optional(),
  related_resources: z.array(z.object({ id, name: z.string() })).optional(),
});

/** v4.0: string ids, `reason` instead of event_type, `resource_type` instead of resource_name. */
const v4 = z.object({
  id: z.string().length(26, 'must be a 26-character ULID'),
  timestamp: z.string().min(1),
  reason: z.string().min(1),
  company_id: id,
  project_id: nullableId,
  user_id: nullableId,
  resource_type: z.string().min(1),
  resource_id: id,
});

/** The payload versions parseWebhookEvent accepts (the OpenAPI document's request body, api/openapi.ts). */
export const webhookPayloadSchemas = { v2v3, v4 };

export interface WebhookEvent {
  /** Procore's delivery identity: the ULID (v2/v3 `ulid`, v4 `id`), else the numeric event id. */
  deliveryId: string;
  companyId: string;
  projectId: string | null;
  resourceName: string;
  resourceId: string;
  eventType: string;
}

export type ParseResult = { ok: true; event: WebhookEvent } | { ok: false; error: z.ZodError | string };

export function parseJsonLossless(raw: string): unknown {
  return parseLossless(raw, null, (digits: string) => (/^-?\d+$/.test(digits) ? digits : Number(digits)));
}

export function parseWebhookEvent(body: unknown): ParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'Body must be a JSON object (a Procore webhook event).' };
  }
  if ('resource_type' in body) {
    const r = v4.safeParse(body);
    if (!r.success) return { ok: false, error: r.error };
    const e = r.data;
    return {
      ok: true,
      event: {
        deliveryId: e.id,
        companyId: e.company_id,
        projectId: e.project_id ?? null,
        resourceName: e.resource_type,
        resourceId: e.resource_id,
        eventType: e.reason,
      },
    };
  }
  const r = v2v3.safeParse(body);
  if (!r.success) return { ok: false, error: r.error };
  const e = r.data;
  return {
    ok: true,
    event: {
      deliveryId: e.ulid ?? e.id,
      companyId: e.company_id,
      projectId: e.project_id ?? null,
      resourceName: e.resource_name,
      resourceId: e.resource_id,
      eventType: e.event_type,
    },
  };
}
