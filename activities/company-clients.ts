/**
 * Per-company Acumatica clients for one worker process. Each company's connection is read from the database
 * (never from workflow input), its password resolved from the secret reference, and the client (with its
 * logged-in session) reused across activities until the worker shuts down, when every session is logged out
 * so no API-user slot leaks.
 */
import { AcumaticaClient } from '../clients/acumatica/client';
import { ValidationError } from '../lib/errors';
import { PromiseCache } from '../lib/promise-cache';
import { resolveSecret } from '../lib/secrets';
import { getConnection } from '../store/connections';
import type { Db } from '../store/db';

export interface AcumaticaLimits {
  maxConcurrent?: number;
  maxPerMinute?: number;
  maxSessions?: number;
}

export class CompanyClients {
  private readonly acumaticaClients = new PromiseCache<AcumaticaClient>();

  constructor(
    private readonly db: Db,
    private readonly limits: AcumaticaLimits = {},
  ) {}

  acumatica(companyId: string): Promise<AcumaticaClient> {
    return this.acumaticaClients.get(companyId, () => this.createAcumatica(companyId));
  }

  private async createAcumatica(companyId: string): Promise<AcumaticaClient> {
    const connection = await getConnection(this.db, companyId);
    if (!connection) {
      throw new ValidationError(
        `Procore company ${companyId} is not connected to Acumatica: connect it first (setup/connect-company.ts)`,
      );
    }
    return new AcumaticaClient({
      baseUrl: connection.acumaticaUrl,
      tenant: connection.acumaticaTenant,
      branch: connection.acumaticaBranch ?? undefined,
      username: connection.acumaticaUsername,
      password: resolveSecret(connection.acumaticaPasswordRef),
      ...this.limits,
    });
  }

  async closeAll(): Promise<void> {
    const clients = await Promise.allSettled(this.acumaticaClients.values());
    this.acumaticaClients.clear();
    await Promise.allSettled(clients.flatMap((c) => (c.status === 'fulfilled' ? [c.value.close()] : [])));
  }
}
