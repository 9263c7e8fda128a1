/**
 * Per-company Acumatica clients for one worker process. Each company's connection is read from the database
 * (never from workflow input), its password resolved from the secret reference, and the client (with its
 * logged-in session) reused across activities until the worker shuts down, when every session is logged out
 * so no API-user slot leaks.
 */
import { AcumaticaClient } from '../clients/acumatica/client';
import { ValidationError } from '../lib/errors';
import { registerSecret } from '../lib/logger';
import { registerSessionSource } from '../lib/metrics';
import { PromiseCache } from '../lib/promise-cache';
import { resolveSecret } from '../lib/secrets';
import { getConnection, type CompanyConnection } from '../store/connections';
import { PgSharedSessions } from '../store/acumatica-sessions';
import { PgTenantLimiter } from '../store/tenant-limiter';
import type { Db } from '../store/db';

export interface AcumaticaLimits {
  maxConcurrent?: number;
  maxPerMinute?: number;
  maxSessions?: number;
}

/**
 * A client for one connection, its password resolved from the secret reference now. With `db`, its cookie
 * sessions are shared with every other worker of the tenant user (store/acumatica-sessions.ts).
 */
export function acumaticaClientFor(
  connection: CompanyConnection,
  limits: AcumaticaLimits = {},
  db?: Db,
): AcumaticaClient {
  const password = resolveSecret(connection.acumaticaPasswordRef);
  registerSecret(password); // never in a log line, whatever a message or stack carries
  const owner = {
    acumaticaUrl: connection.acumaticaUrl,
    tenant: connection.acumaticaTenant,
    username: connection.acumaticaUsername,
    password,
  };
  // With the connection's limits, the tenant's budget is shared by all workers; each process then only caps what
  // it sends at once (no per-process per-minute share to compute by hand).
  const shared = db && (connection.acumaticaMaxConcurrent || connection.acumaticaMaxPerMinute);
  const maxConcurrent = connection.acumaticaMaxConcurrent ?? limits.maxConcurrent;
  const pacing = shared
    ? { maxConcurrent, maxPerMinute: undefined }
    : { maxConcurrent: limits.maxConcurrent, maxPerMinute: limits.maxPerMinute };
  return new AcumaticaClient({
    baseUrl: connection.acumaticaUrl,
    tenant: connection.acumaticaTenant,
    branch: connection.acumaticaBranch ?? undefined,
    username: connection.acumaticaUsername,
    password,
    sharedSessions: db ? new PgSharedSessions(db, owner) : undefined,
    sharedLimiter: shared
      ? new PgTenantLimiter(db, PgTenantLimiter.tenantKey(connection.acumaticaUrl, connection.acumaticaTenant), {
          maxConcurrent: maxConcurrent ?? 3,
          maxPerMinute: connection.acumaticaMaxPerMinute ?? undefined,
        })
      : undefined,
    endpointName: connection.acumaticaEndpointName ?? undefined,
    endpointVersion: connection.acumaticaEndpointVersion ?? undefined,
    ...pacing,
    maxSessions: connection.acumaticaMaxSessions ?? limits.maxSessions,
  });
}

export class CompanyClients {
  private readonly acumaticaClients = new PromiseCache<AcumaticaClient>();
  /** Settled clients, for the sessions gauges (connector_acumatica_sessions_open). */
  private readonly ready = new Map<string, AcumaticaClient>();
  private readonly unregisterMetrics: () => void;

  constructor(
    private readonly db: Db,
    private readonly limits: AcumaticaLimits = {},
  ) {
    this.unregisterMetrics = registerSessionSource(() =>
      [...this.ready].map(([company, client]) => ({
        company,
        open: client.openSessions,
        limit: Math.max(1, this.limits.maxSessions ?? 1),
      })),
    );
  }

  acumatica(companyId: string): Promise<AcumaticaClient> {
    return this.acumaticaClients.get(companyId, () => this.createAcumatica(companyId));
  }

  private async createAcumatica(companyId: string): Promise<AcumaticaClient> {
    const connection = await getConnection(this.db, companyId);
    if (!connection) {
      throw new ValidationError(
        `Procore company ${companyId} is not connected to Acumatica: connect it first (npm run connector -- connect)`,
      );
    }
    const client = acumaticaClientFor(connection, this.limits, this.db);
    this.ready.set(companyId, client);
    return client;
  }

  async closeAll(): Promise<void> {
    const clients = await Promise.allSettled(this.acumaticaClients.values());
    this.acumaticaClients.clear();
    this.ready.clear();
    this.unregisterMetrics();
    await Promise.allSettled(clients.flatMap((c) => (c.status === 'fulfilled' ? [c.value.close()] : [])));
  }
}
