/**
 * The one place that reads the environment. Parsed with zod once at start; on failure every missing or
 * wrong variable is listed with what it should be, and the process exits non-zero (see `loadConfigOrExit`).
 * Secrets (client secret, API key) live only here and in the clients built from them: never in workflow
 * input, logs or errors.
 */
import { z } from 'zod';
import { logger } from './logger';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .describe('true or false');

const url = (what: string) => z.string().url(`${what} must be a URL such as http://127.0.0.1:4010`);

const configSchema = z.object({
  // Temporal: unset TEMPORAL_ADDRESS means "start the local dev server" (npm start, tests).
  TEMPORAL_ADDRESS: z.string().min(1).optional().describe('host:port of a Temporal frontend, e.g. localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('procore-acumatica'),
  TEMPORAL_TLS: bool.default('false'),
  TEMPORAL_API_KEY: z.string().min(1).optional().describe('Temporal Cloud API key (implies TLS)'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional().describe('path to an existing `temporal` CLI binary'),
  // Across every worker of the task queue (enforced by the Temporal server): keeps all workers together under
  // the Acumatica tenant's per-minute budget. Unset = no queue-wide cap (each client still paces itself).
  TEMPORAL_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(20),
  // Slots of each company's lane (lib/lanes.ts) per worker: its calls to Procore and Acumatica.
  WORKER_ACTIVITIES_PER_COMPANY: z.coerce.number().int().min(1).default(10),

  // PostgreSQL: unset means an embedded PGlite database in .data/pglite.
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must look like postgresql://user@host:5432/db')
    .optional(),

  // Procore: one DMSA client id/secret serves every company where the app is installed (procore-api.md §1).
  PROCORE_API_URL: url('PROCORE_API_URL').default('https://api.procore.com'),
  PROCORE_AUTH_URL: url('PROCORE_AUTH_URL').optional(),
  PROCORE_CLIENT_ID: z.string().min(1, 'PROCORE_CLIENT_ID is the DMSA client id from the Procore Developer Portal'),
  PROCORE_CLIENT_SECRET: z.string().min(1, 'PROCORE_CLIENT_SECRET is the DMSA client secret'),

  // Per worker process and Acumatica tenant (clients/acumatica/limiter.ts): requests in flight, requests per minute
  // (the license's limit divided by the number of worker processes; unset = no per-minute pacing). Sessions are
  // per tenant user across all workers (shared in PostgreSQL, store/acumatica-sessions.ts): API-user slots used.
  ACUMATICA_MAX_CONCURRENT: z.coerce.number().int().min(1).default(4),
  ACUMATICA_MAX_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  ACUMATICA_MAX_SESSIONS: z.coerce.number().int().min(1).default(1),

  // The connector's HTTP API.
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Loopback by default; 0.0.0.0 in a container or behind a reverse proxy on another host.
  API_HOST: z.string().min(1).default('127.0.0.1').describe('address the API binds to, e.g. 0.0.0.0'),
  API_PUBLIC_URL: url('API_PUBLIC_URL')
    .optional()
    .describe('URL Procore posts webhooks to (default http://127.0.0.1:API_PORT)'),
  WEBHOOK_RELAY_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),

  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // Unset: pretty on a terminal, JSON lines otherwise (lib/logger.ts reads it before the config is loaded).
  LOG_FORMAT: z.enum(['json', 'pretty']).optional().describe('json or pretty'),
  // Also every line from debug up, as JSON, to this file (`npm start`: .data/logs/<process>.log).
  LOG_FILE: z.string().min(1).optional().describe('a file path'),

  // Observability (README "Operating the connector"). Unset ports serve nothing extra.
  // The API always serves GET /metrics behind the operator key; METRICS_PORT adds a listener without the key.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // Bind address of the metrics listeners (METRICS_PORT, WORKER_METRICS_PORT, WORKER_TEMPORAL_METRICS_PORT).
  METRICS_HOST: z.string().min(1).default('127.0.0.1').describe('address the metrics listeners bind to'),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // The Temporal SDK's runtime metrics (temporal_*), served by the worker's Runtime.
  WORKER_TEMPORAL_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Traces: set to export OpenTelemetry spans over OTLP/HTTP (e.g. http://otel-collector:4318); unset = off.
  OTEL_EXPORTER_OTLP_ENDPOINT: url('OTEL_EXPORTER_OTLP_ENDPOINT').optional(),
  OTEL_SERVICE_NAME: z
    .string()
    .min(1)
    .optional()
    .describe('service.name of the spans (default connector-api / connector-worker)'),
});

export type Config = z.infer<typeof configSchema>;

/** Every variable the connector reads (deployment files are checked against it). */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const expected = configSchema.shape[name as keyof typeof configSchema.shape]?.description;
    const got = cleaned[name] === undefined ? 'missing' : 'invalid';
    return `${name} is ${got}: ${issue.message}${expected ? ` (expected ${expected})` : ''}`;
  });
  throw new ConfigError(problems);
}

/** For entrypoints: print every problem and exit 1 instead of a stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      logger.fatal({ problems: err.problems }, `${err.message}\nSee .env.example for every variable and its meaning.`);
      process.exit(1);
    }
    throw err;
  }
}
