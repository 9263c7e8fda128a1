/**
 * The connector API's OpenAPI 3 document, generated (@asteasolutions/zod-to-openapi) from the same zod schemas
 * that validate the requests: POST /imports (`importRequest`), POST /companies/{id}/onboarding (`onboardBody`) and
 * the Procore webhook payloads (`webhookPayloadSchemas`). Responses are described here with zod as well.
 * Served at GET /openapi.json and rendered at GET /docs (api/routes/openapi.ts); tests/unit/openapi.test.ts
 * checks that every route the Express app serves is in it.
 */
import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV3,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { IMPORT_KINDS } from '../lib/import-kinds';
import { exportPreviewBody, onboardBody } from './routes/adoption';
import { importRequest } from './routes/imports';
import { webhookPayloadSchemas } from './webhook-payloads';

extendZodWithOpenApi(z);

const errorBody = z
  .object({
    error: z.object({
      code: z.enum([
        'unauthorized',
        'invalid_request',
        'payload_too_large',
        'unsupported_media_type',
        'not_found',
        'unavailable',
        'internal',
      ]),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

const json = (schema: z.ZodTypeAny) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(errorBody) });
const companyParam = z.object({ id: z.string().regex(/^\d+$/).openapi({ description: 'Procore company id' }) });
const anyObject = z.object({}).passthrough();

type Access = 'operator' | 'public' | 'webhook';
const SECURITY: Record<Access, RouteConfig['security']> = {
  operator: [{ operatorKey: [] }],
  webhook: [{ webhookToken: [] }],
  public: [],
};

interface Route extends Omit<RouteConfig, 'security' | 'responses'> {
  access: Access;
  responses: RouteConfig['responses'];
}

const ROUTES: Route[] = [
  {
    method: 'post',
    path: '/webhooks/procore',
    access: 'webhook',
    tags: ['Procore'],
    summary: 'Procore webhook delivery (ERP Requests)',
    description:
      "Procore's hook posts here with the company's own bearer token. The delivery is stored before the answer " +
      '(never lost); the workflow starts beside it or later by the relay. Payload versions 2.0, 3.0 and 4.0.',
    request: {
      body: {
        content: json(z.union([webhookPayloadSchemas.v2v3, webhookPayloadSchemas.v4]).openapi('ProcoreWebhookEvent')),
      },
    },
    responses: {
      200: {
        description: 'A duplicate delivery, or an event no flow handles',
        content: json(z.object({ status: z.enum(['duplicate', 'ignored']), deliveryId: z.string() })),
      },
      202: {
        description:
          'Stored; the workflow is starting (accepted) or Temporal is unreachable and the relay will start it (queued)',
        content: json(z.object({ status: z.enum(['accepted', 'queued']), workflowId: z.string() })),
      },
      400: error('Not JSON, or not a Procore webhook payload'),
      401: error('Missing or unknown token, or a token of another company'),
      413: error('Body larger than 256 kB'),
      415: error('Unsupported charset or Content-Encoding'),
    },
  },
  {
    method: 'post',
    path: '/imports',
    access: 'operator',
    tags: ['Imports'],
    summary: 'Start an on-demand import',
    description:
      `Imports the named entities (${Object.keys(IMPORT_KINDS).join(', ')}) from Acumatica into Procore. A ` +
      'request for a scope already importing joins the running import.',
    request: { body: { content: json(importRequest) } },
    responses: {
      202: {
        description: 'Started (or joined)',
        content: json(z.object({ workflowId: z.string(), statusUrl: z.string(), joined: z.boolean() })),
      },
      200: { description: 'dryRun: what the import would do, per record (nothing written)', content: json(anyObject) },
      400: error('Invalid request (issues name the fields), or a branch that is not connected'),
      401: error('Missing or invalid operator API key'),
      404: error('The company is not connected'),
      503: error('Temporal is not reachable'),
    },
  },
  {
    method: 'get',
    path: '/syncs/{workflowId}',
    access: 'operator',
    tags: ['Syncs'],
    summary: 'Status of one sync (export, import, refresh)',
    request: {
      params: z.object({
        workflowId: z
          .string()
          .regex(/^[A-Za-z0-9._:-]{1,255}$/)
          .openapi({ example: 'erp-4271-request-1' }),
      }),
    },
    responses: {
      200: {
        description: 'The workflow and its outcome',
        content: json(
          z
            .object({
              workflowId: z.string(),
              runId: z.string(),
              type: z.string(),
              status: z.string(),
              startTime: z.string(),
              closeTime: z.string().nullable(),
              searchAttributes: z.record(z.unknown()),
              progress: anyObject.nullable().optional(),
              result: z.unknown().optional(),
              failure: z.string().nullable().optional(),
            })
            .openapi('SyncStatus'),
        ),
      },
      400: error('Not a workflow id'),
      401: error('Missing or invalid operator API key'),
      404: error('No such sync of the connector'),
      503: error('Temporal is not reachable'),
    },
  },
  {
    method: 'post',
    path: '/companies/{id}/onboarding',
    access: 'operator',
    tags: ['Onboarding'],
    summary: 'Adopt what a company already has in both systems (docs/onboarding.md)',
    request: {
      params: companyParam,
      query: z.object({
        wait: z.enum(['true', 'false']).optional().openapi({ description: 'Answer with the result' }),
      }),
      body: { content: json(onboardBody) },
    },
    responses: {
      202: {
        description: 'Onboarding started',
        content: json(z.object({ workflowId: z.string(), status: z.string() })),
      },
      200: { description: 'With wait=true: the onboarding result', content: json(anyObject) },
      400: error('Invalid request'),
      401: error('Missing or invalid operator API key'),
      503: error('Temporal is not reachable'),
    },
  },
  {
    method: 'post',
    path: '/companies/{id}/exports/preview',
    access: 'operator',
    tags: ['Onboarding'],
    summary: 'What an export (an ERP request, or a Procore record) would do in Acumatica; writes nothing',
    request: { params: companyParam, body: { content: json(exportPreviewBody) } },
    responses: {
      200: {
        description: 'would_create / would_update (with the field diff) / unchanged / exception',
        content: json(anyObject),
      },
      400: error('Invalid request'),
      401: error('Missing or invalid operator API key'),
      503: error('Temporal is not reachable'),
    },
  },
  {
    method: 'get',
    path: '/companies/{id}/reconciliation',
    access: 'operator',
    tags: ['Onboarding'],
    summary: 'Reconciliation report of linked records (JSON, or CSV with format=csv)',
    request: {
      params: companyParam,
      query: z.object({
        project: z.string().optional().openapi({ description: 'Comma-separated Procore project ids' }),
        format: z.enum(['json', 'csv']).optional(),
      }),
    },
    responses: {
      200: { description: 'The report', content: { ...json(anyObject), 'text/csv': { schema: z.string() } } },
      400: error('The company id is not numeric'),
      401: error('Missing or invalid operator API key'),
      503: error('Temporal is not reachable'),
    },
  },
  {
    method: 'get',
    path: '/companies/{id}/exceptions',
    access: 'operator',
    tags: ['Onboarding'],
    summary: 'Records the connector could not sync, with the reason',
    request: { params: companyParam },
    responses: {
      200: {
        description: 'The exception list',
        content: json(z.object({ companyId: z.string(), exceptions: z.array(anyObject) })),
      },
      400: error('The company id is not numeric'),
      401: error('Missing or invalid operator API key'),
    },
  },
  {
    method: 'post',
    path: '/companies/{id}/exceptions/{exceptionId}/dismiss',
    access: 'operator',
    tags: ['Onboarding'],
    summary: 'Dismiss one exception',
    request: { params: companyParam.extend({ exceptionId: z.string() }) },
    responses: {
      200: { description: 'Dismissed', content: json(z.object({ id: z.string(), dismissed: z.boolean() })) },
      400: error('The company id is not numeric'),
      401: error('Missing or invalid operator API key'),
    },
  },
  {
    method: 'post',
    path: '/companies/{id}/exceptions/{exceptionId}/retry',
    access: 'operator',
    tags: ['Onboarding'],
    summary: 'Retry one exception (a failed export or an import record)',
    request: { params: companyParam.extend({ exceptionId: z.string() }) },
    responses: {
      200: { description: 'What the retry did', content: json(anyObject) },
      400: error('The company id is not numeric'),
      401: error('Missing or invalid operator API key'),
      503: error('Temporal is not reachable'),
    },
  },
  {
    method: 'get',
    path: '/healthz',
    access: 'public',
    tags: ['Operations'],
    summary: 'Liveness: the process is up',
    responses: { 200: { description: 'Up', content: json(z.object({ status: z.literal('ok') })) } },
  },
  {
    method: 'get',
    path: '/readyz',
    access: 'public',
    tags: ['Operations'],
    summary: 'Readiness: PostgreSQL and Temporal reachable',
    responses: {
      200: { description: 'Ready', content: json(readiness()) },
      503: { description: 'Not ready; checks say which dependency is unreachable', content: json(readiness()) },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    access: 'operator',
    tags: ['Operations'],
    summary: 'Prometheus metrics (README "Operating the connector"); also on METRICS_PORT without a key',
    responses: {
      200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } },
      401: error('Missing or invalid operator API key'),
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    access: 'public',
    tags: ['Operations'],
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3 document', content: json(anyObject) } },
  },
  {
    method: 'get',
    path: '/docs',
    access: 'public',
    tags: ['Operations'],
    summary: 'This document rendered as a page',
    responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
  },
];

function readiness() {
  const check = z.enum(['ok', 'unreachable']);
  return z.object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({ postgres: check, temporal: check }),
  });
}

let cached: ReturnType<OpenApiGeneratorV3['generateDocument']> | undefined;

export function openApiDocument() {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'operatorKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An operator API key: npm run connector -- api-keys create --name <who>',
  });
  registry.registerComponent('securitySchemes', 'webhookToken', {
    type: 'http',
    scheme: 'bearer',
    description: "The company's webhook token, issued when the company is connected (Procore sends it)",
  });
  for (const { access, ...route } of ROUTES) registry.registerPath({ ...route, security: SECURITY[access] });
  cached = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Procore ↔ Acumatica connector API',
      version: '0.1.0',
      description:
        'The self-hosted connector\'s HTTP API. Every route needs "Authorization: Bearer <operator API key>" ' +
        'except the Procore webhook (its own per-company token), the health checks and this documentation.',
      license: { name: 'MIT' },
    },
  });
  return cached;
}
