/**
 * What the clients' low-level send functions report about each HTTP exchange with Procore or Acumatica (the
 * only two places that call fetch: clients/procore/http.ts and clients/acumatica/client.ts): one log line
 * (method, path without query, status, duration, the retry decision, the error kind) on the current activity's
 * logger, and the connector_api_* metrics. Nothing from headers or bodies is logged.
 */
import { currentCompanyId, currentLogger } from './logger';
import { recordClientSpan } from './tracing';
import {
  acumaticaLoginRefused,
  apiCallDuration,
  apiCalls,
  rateLimited,
  rateLimitWait,
  routeTemplate,
  statusLabel,
  type UpstreamSystem,
} from './metrics';

export interface UpstreamExchange {
  system: UpstreamSystem;
  method: string;
  /** The URL's path only (no query string: filters may carry customer data). */
  path: string;
  status?: number;
  durationMs: number;
  /** Why there is no status. */
  failure?: 'timeout' | 'network_error';
  /** An Acumatica sign-in refused for lack of an API-user slot. */
  loginRefused?: boolean;
}

/** The lib/errors.ts class a status becomes, and whether the connector retries it. */
export function classifyStatus(
  status: number | undefined,
  failure?: 'timeout' | 'network_error',
): { kind?: string; retry: 'none' | 'retryable' | 'reauthenticate' | 'permanent' } {
  if (status === undefined) return { kind: failure === 'timeout' ? 'Timeout' : 'NetworkError', retry: 'retryable' };
  if (status < 400) return { retry: 'none' };
  if (status === 429) return { kind: 'RateLimitError', retry: 'retryable' };
  if (status >= 500 || status === 408) return { kind: 'TransientUpstreamError', retry: 'retryable' };
  if (status === 401) return { kind: 'AuthError', retry: 'reauthenticate' };
  if (status === 403) return { kind: 'AuthError', retry: 'permanent' };
  if (status === 404) return { kind: 'NotFoundError', retry: 'permanent' };
  if (status === 409 || status === 412) return { kind: 'ConflictError', retry: 'permanent' };
  return { kind: 'ValidationError', retry: 'permanent' };
}

const SYSTEM_NAME = { procore: 'Procore', acumatica: 'Acumatica' } as const;

export function observeUpstreamExchange(x: UpstreamExchange): void {
  const company = currentCompanyId() ?? 'none';
  const method = x.method.toUpperCase();
  const route = routeTemplate(x.system, method, x.path);
  apiCalls.inc({ system: x.system, method, route, status: statusLabel(x.status, x.failure), company });
  apiCallDuration.observe({ system: x.system, method, route, company }, x.durationMs / 1000);
  if (x.status === 429) rateLimited.inc({ system: x.system, company });
  if (x.loginRefused) acumaticaLoginRefused.inc({ company });

  const { kind, retry } = classifyStatus(x.status, x.failure);
  recordClientSpan({
    name: `${x.system} ${method} ${route}`,
    startTime: Date.now() - x.durationMs,
    durationMs: x.durationMs,
    attributes: {
      'http.request.method': method,
      'url.path': x.path,
      'http.route': route,
      'server.system': x.system,
      'connector.company': company,
      ...(x.status !== undefined ? { 'http.response.status_code': x.status } : {}),
      ...(kind ? { 'error.type': kind, 'connector.retry': retry } : {}),
    },
    error: kind && retry !== 'none' ? kind : undefined,
  });
  const fields = {
    system: x.system,
    method,
    path: x.path,
    route,
    status: x.status,
    durationMs: Math.round(x.durationMs),
    ...(kind ? { errorKind: kind, retry } : {}),
  };
  const msg = `${SYSTEM_NAME[x.system]} ${method} ${x.path} -> ${x.status ?? x.failure} (${Math.round(x.durationMs)} ms)`;
  const log = currentLogger();
  if (!kind) log.debug(fields, msg);
  else if (retry === 'retryable') log.warn(fields, msg);
  else if (x.status === 400 || x.status === 403 || x.status === 422) log.error(fields, msg);
  else log.info(fields, msg);
}

/** Time a call waited in a client's pacer before it was sent. */
export function observeRateLimitWait(system: UpstreamSystem, waitedMs: number): void {
  if (waitedMs < 1) return;
  rateLimitWait.inc({ system, company: currentCompanyId() ?? 'none' }, waitedMs / 1000);
  if (waitedMs >= 1000) currentLogger().debug({ system, waitMs: Math.round(waitedMs) }, `${system} call paced`);
}
