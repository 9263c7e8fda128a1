/**
 * PostgreSQL side of clients/acumatica/shared-limiter.ts (migration 014): a tenant's concurrent-request and
 * per-minute limits, shared by every worker process.
 *  - In flight: one row per slot, leased for LEASE_SECONDS and renewed while the request runs; a killed worker's
 *    lease simply expires, and its share goes to whoever asks next.
 *  - Per minute: a counter per tenant and calendar minute (database clock), incremented only while under the
 *    limit; a full minute waits for the next. (Acumatica smooths the second half of its window itself;
 *    acumatica-api.md §4.)
 * Waiting is polling with jitter (every ~25-75 ms for a slot): a few queries per request, no listener to keep.
 */
import crypto from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { SharedRequestLimiter } from '../clients/acumatica/shared-limiter';
import type { Db } from './db';

const LEASE_SECONDS = 30;
const RENEW_MS = 10_000;

export interface TenantLimits {
  maxConcurrent: number;
  maxPerMinute?: number;
}

export class PgTenantLimiter implements SharedRequestLimiter {
  private readonly holder = crypto.randomUUID();

  constructor(
    private readonly db: Db,
    /** Who shares the limits: the tenant (URL and tenant name), whatever user signs in. */
    private readonly tenantKey: string,
    private readonly limits: TenantLimits,
  ) {}

  static tenantKey(acumaticaUrl: string, tenant: string): string {
    return crypto.createHash('sha256').update(`${acumaticaUrl.toLowerCase()}\n${tenant.toLowerCase()}`).digest('hex');
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const slot = await this.claimSlot(signal);
    const renew = setInterval(() => void this.renew(slot).catch(() => undefined), RENEW_MS);
    renew.unref();
    try {
      await this.spendMinute(signal);
      return await fn();
    } finally {
      clearInterval(renew);
      await this.release(slot).catch(() => undefined); // else the lease expires on its own
    }
  }

  private async claimSlot(signal?: AbortSignal): Promise<number> {
    const n = Math.max(1, this.limits.maxConcurrent);
    for (;;) {
      const start = Math.floor(Math.random() * n);
      for (let i = 0; i < n; i++) {
        const slot = (start + i) % n;
        const { rows } = await this.db.query(
          `INSERT INTO acumatica_inflight (tenant_key, slot, holder, expires_at)
           VALUES ($1, $2, $3, now() + make_interval(secs => $4))
           ON CONFLICT (tenant_key, slot) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
             WHERE acumatica_inflight.expires_at < now()
           RETURNING slot`,
          [this.tenantKey, slot, this.holder, LEASE_SECONDS],
        );
        if (rows[0]) return slot;
      }
      await delay(25 + Math.random() * 50, undefined, { signal });
    }
  }

  private async spendMinute(signal?: AbortSignal): Promise<void> {
    const limit = this.limits.maxPerMinute;
    if (!limit) return;
    for (;;) {
      const { rows } = await this.db.query(
        `INSERT INTO acumatica_request_windows (tenant_key, window_start, used)
         VALUES ($1, date_trunc('minute', now()), 1)
         ON CONFLICT (tenant_key, window_start) DO UPDATE SET used = acumatica_request_windows.used + 1
           WHERE acumatica_request_windows.used < $2
         RETURNING used`,
        [this.tenantKey, limit],
      );
      if (rows[0]) return;
      const { rows: left } = await this.db.query(
        `SELECT extract(epoch FROM date_trunc('minute', now()) + interval '1 minute' - now())::float AS s`,
      );
      await delay(Number(left[0].s) * 1000 + Math.random() * 200, undefined, { signal });
    }
  }

  private async renew(slot: number): Promise<void> {
    await this.db.query(
      `UPDATE acumatica_inflight SET expires_at = now() + make_interval(secs => $4)
       WHERE tenant_key = $1 AND slot = $2 AND holder = $3`,
      [this.tenantKey, slot, this.holder, LEASE_SECONDS],
    );
  }

  private async release(slot: number): Promise<void> {
    await this.db.query(
      `UPDATE acumatica_inflight SET expires_at = '-infinity' WHERE tenant_key = $1 AND slot = $2 AND holder = $3`,
      [this.tenantKey, slot, this.holder],
    );
  }
}
