/**
 * The connector's Prometheus metrics (prom-client), one registry per process: the API serves it at GET /metrics
 * (api/routes/metrics.ts) and on METRICS_PORT, the worker on WORKER_METRICS_PORT (lib/metrics-server.ts). The
 * Temporal SDK's own metrics (temporal_*) are the worker Runtime's, on WORKER_TEMPORAL_METRICS_PORT.
 *
 * Labels are bounded: company ids, entity kinds, route templates (`routeTemplate`, no record ids or keys), HTTP
 * statuses and outcome words. README "Operating the connector" lists every metric.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();

let defaultsCollected = false;
/** process_* and nodejs_* metrics (CPU, memory, event loop lag, GC); entrypoints call it once. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  collectDefaultMetrics({ register: registry });
  defaultsCollected = true;
}

export type UpstreamSystem = 'procore' | 'acumatica';

// ------------------------------------------------------------------------------------------------ API side

export const webhookDeliveries = new Counter({
  name: 'connector_webhook_deliveries_total',
  help: 'Procore webhook deliveries answered, by outcome (accepted, queued, duplicate, ignored, unauthorized, invalid, error)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const httpRequests = new Counter({
  name: 'connector_http_requests_total',
  help: "Requests to the connector's own API, by method, route (Express route path) and status",
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export interface InboxStats {
  pending: number;
  oldestPendingSeconds: number;
  failed: number;
}
const inboxSources = new Set<() => Promise<InboxStats>>();
let inboxRead: { at: number; stats: Promise<InboxStats> } | undefined;

/**
 * The API registers how to read its inbox (one source per database; tests run several). The inbox gauges exist
 * only in a process that registered one (the API), so a worker's metrics never show an inbox it does not read.
 */
export function registerInboxSource(source: () => Promise<InboxStats>): () => void {
  if (inboxSources.size === 0 && !registry.getSingleMetric('connector_inbox_backlog')) registerInboxGauges();
  inboxSources.add(source);
  return () => inboxSources.delete(source);
}

/** One read per scrape for the three gauges. */
function inboxStats(): Promise<InboxStats> {
  if (inboxRead && Date.now() - inboxRead.at < 1000) return inboxRead.stats;
  const stats = Promise.all([...inboxSources].map((s) => s().catch(() => undefined))).then((all) =>
    all.reduce<InboxStats>(
      (sum, s) => ({
        pending: sum.pending + (s?.pending ?? 0),
        oldestPendingSeconds: Math.max(sum.oldestPendingSeconds, s?.oldestPendingSeconds ?? 0),
        failed: sum.failed + (s?.failed ?? 0),
      }),
      { pending: 0, oldestPendingSeconds: 0, failed: 0 },
    ),
  );
  inboxRead = { at: Date.now(), stats };
  return stats;
}

function registerInboxGauges(): void {
  new Gauge({
    name: 'connector_inbox_backlog',
    help: 'Webhook deliveries accepted but whose workflow is not started yet (Temporal down or slow; the relay starts them)',
    registers: [registry],
    async collect() {
      this.set((await inboxStats()).pending);
    },
  });
  new Gauge({
    name: 'connector_inbox_oldest_pending_seconds',
    help: 'Age of the oldest delivery waiting for the relay (relay lag); 0 when none waits',
    registers: [registry],
    async collect() {
      this.set((await inboxStats()).oldestPendingSeconds);
    },
  });
  new Gauge({
    name: 'connector_inbox_failed',
    help: 'Deliveries whose workflow could not be started for a permanent reason (need an operator)',
    registers: [registry],
    async collect() {
      this.set((await inboxStats()).failed);
    },
  });
}

// ------------------------------------------------------------------------------------------------ worker side

export const exportsTotal = new Counter({
  name: 'connector_exports_total',
  help: 'ERP request exports closed out, by company, entity (export kind) and outcome (success, failed)',
  labelNames: ['company', 'entity', 'outcome'] as const,
  registers: [registry],
});

export const exportLatency = new Histogram({
  name: 'connector_export_latency_seconds',
  help: 'From the webhook receipt (approval) to the request detail closed in Procore, by company, entity and outcome',
  labelNames: ['company', 'entity', 'outcome'] as const,
  buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 14400],
  registers: [registry],
});

export const importsTotal = new Counter({
  name: 'connector_imports_total',
  help: 'Import scopes (entity x branch) by outcome: success when their writes finished, failure when an import activity failed for good',
  labelNames: ['company', 'entity', 'outcome'] as const,
  registers: [registry],
});

export const importLastSuccess = new Gauge({
  name: 'connector_import_last_success_timestamp_seconds',
  help: 'Unix time an import scope of the company and entity last finished its writes',
  labelNames: ['company', 'entity'] as const,
  registers: [registry],
});

export const importRecords = new Counter({
  name: 'connector_import_records_total',
  help: 'Import records by company, entity and result (read, written, unchanged, exception)',
  labelNames: ['company', 'entity', 'result'] as const,
  registers: [registry],
});

export const apiCalls = new Counter({
  name: 'connector_api_calls_total',
  help: 'HTTP calls to Procore and Acumatica by system, method, route template, status (or network_error, timeout) and company',
  labelNames: ['system', 'method', 'route', 'status', 'company'] as const,
  registers: [registry],
});

export const apiCallDuration = new Histogram({
  name: 'connector_api_call_duration_seconds',
  help: 'Latency of HTTP calls to Procore and Acumatica by system, method, route template and company',
  labelNames: ['system', 'method', 'route', 'company'] as const,
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [registry],
});

export const rateLimited = new Counter({
  name: 'connector_api_rate_limited_total',
  help: 'HTTP 429 answers from Procore or Acumatica, by system and company',
  labelNames: ['system', 'company'] as const,
  registers: [registry],
});

export const rateLimitWait = new Counter({
  name: 'connector_rate_limit_wait_seconds_total',
  help: "Seconds calls waited in the clients' pacers (Procore rate-limit windows; Acumatica concurrency and per-minute budget)",
  labelNames: ['system', 'company'] as const,
  registers: [registry],
});

export const acumaticaLoginRefused = new Counter({
  name: 'connector_acumatica_login_refused_total',
  help: 'Acumatica sign-ins refused because no API-user slot was free (API Login Limit), by company',
  labelNames: ['company'] as const,
  registers: [registry],
});

/** Open sessions and the configured session cap per company, from each worker's CompanyClients. */
export type SessionSource = () => Array<{ company: string; open: number; limit: number }>;
const sessionSources = new Set<SessionSource>();

export function registerSessionSource(source: SessionSource): () => void {
  sessionSources.add(source);
  return () => sessionSources.delete(source);
}

function sessionTotals(): Map<string, { open: number; limit: number }> {
  const byCompany = new Map<string, { open: number; limit: number }>();
  for (const source of sessionSources) {
    for (const { company, open, limit } of source()) {
      const sum = byCompany.get(company) ?? { open: 0, limit: 0 };
      byCompany.set(company, { open: sum.open + open, limit: sum.limit + limit });
    }
  }
  return byCompany;
}

new Gauge({
  name: 'connector_acumatica_sessions_open',
  help: 'Acumatica cookie sessions this process holds open (each takes an API-user slot), by company',
  labelNames: ['company'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [company, { open }] of sessionTotals()) this.set({ company }, open);
  },
});

new Gauge({
  name: 'connector_acumatica_session_limit',
  help: 'Acumatica sessions this process may open (ACUMATICA_MAX_SESSIONS per company)',
  labelNames: ['company'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [company, { limit }] of sessionTotals()) this.set({ company }, limit);
  },
});

// ------------------------------------------------------------------------------------------------ helpers

const KEEP_SEGMENT = /^(?:[A-Za-z_-]+|v\d+(?:\.\d+)*)$/;

/**
 * A route template without record ids: Procore `/rest/v1.0/projects/123/work_order_contracts/456` ->
 * `/rest/v1.0/projects/:id/work_order_contracts/:id`; Acumatica `/entity/Default/24.200.001/Vendor/V000123` ->
 * `/entity/Default/:version/Vendor/:key` (an action, POST `.../Subcontract/ConfirmSubcontract`, keeps its name).
 */
export function routeTemplate(system: UpstreamSystem, method: string, pathname: string): string {
  if (system === 'procore') {
    return pathname
      .split('/')
      .map((s) => (s === '' || KEEP_SEGMENT.test(s) ? s : ':id'))
      .join('/');
  }
  const at = pathname.indexOf('/entity');
  if (at < 0) return pathname.replace(/\/[^/]*\d[^/]*/g, '/:id');
  const segs = pathname.slice(at).split('/').slice(2); // after "/entity"
  if (segs.length === 0 || segs[0] === '') return '/entity';
  if (segs[0] === 'auth') return `/entity/auth/${segs.slice(1).join('/')}`;
  const [endpoint, , entity, ...rest] = segs;
  const out = ['/entity', KEEP_SEGMENT.test(endpoint) ? endpoint : ':endpoint', ':version'];
  if (entity !== undefined) out.push(/^[A-Za-z_][\w.]*$/.test(entity) ? entity : ':entity');
  rest.forEach((s, i) => {
    const action = method === 'POST' && i === 0 && /^[A-Za-z]+$/.test(s);
    out.push(action || s === 'status' ? s : ':key');
  });
  return out.join('/');
}

/** Status label: the HTTP status, or what happened instead. */
export function statusLabel(status: number | undefined, failure?: 'timeout' | 'network_error'): string {
  return status === undefined ? (failure ?? 'network_error') : String(status);
}
