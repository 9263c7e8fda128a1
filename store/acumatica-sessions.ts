/**
 * PostgreSQL side of clients/acumatica/shared-sessions.ts (migration 013). Cookies are sealed with AES-256-GCM
 * under a key derived (HKDF-SHA256) from the Acumatica password and the tenant key: the database alone does not
 * give a session away, and after a password change the old rows simply fail to open and are replaced.
 */
import crypto from 'node:crypto';
import type { SessionCookies, SharedSessionStore, StoredSession } from '../clients/acumatica/shared-sessions';
import type { Db } from './db';

/** A client not seen for this long is gone (killed); its sessions belong to whoever is left. */
const LIVE_SECONDS = 60;
const HEARTBEAT_MS = 20_000;

export interface SessionOwner {
  acumaticaUrl: string;
  tenant: string;
  username: string;
  password: string;
}

export class PgSharedSessions implements SharedSessionStore {
  private readonly tenantKey: string;
  private readonly key: Buffer;
  private readonly clientId = crypto.randomUUID();
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    owner: SessionOwner,
  ) {
    this.tenantKey = crypto
      .createHash('sha256')
      .update(`${owner.acumaticaUrl.toLowerCase()}\n${owner.tenant.toLowerCase()}\n${owner.username.toLowerCase()}`)
      .digest('hex');
    this.key = Buffer.from(crypto.hkdfSync('sha256', owner.password, this.tenantKey, 'acumatica-session-cookies', 32));
  }

  async load(slot: number): Promise<StoredSession | undefined> {
    await this.touch();
    const { rows } = await this.db.query<{ version: number; cookies: Buffer }>(
      'SELECT version, cookies FROM acumatica_sessions WHERE tenant_key = $1 AND slot = $2',
      [this.tenantKey, slot],
    );
    return rows[0] && this.open(rows[0]);
  }

  async save(slot: number, cookies: SessionCookies, replaces: number | undefined) {
    await this.touch();
    const sealed = this.seal(cookies);
    const { rows } =
      replaces === undefined
        ? await this.db.query(
            `INSERT INTO acumatica_sessions (tenant_key, slot, version, cookies) VALUES ($1, $2, 1, $3)
             ON CONFLICT DO NOTHING RETURNING version`,
            [this.tenantKey, slot, sealed],
          )
        : await this.db.query(
            `UPDATE acumatica_sessions SET version = version + 1, cookies = $4, updated_at = now()
             WHERE tenant_key = $1 AND slot = $2 AND version = $3 RETURNING version`,
            [this.tenantKey, slot, replaces, sealed],
          );
    if (rows[0]) return { version: rows[0].version as number, cookies, ours: true };
    const winner = await this.load(slot);
    if (winner) return { ...winner, ours: false };
    // The row cannot be opened (sealed under another password): replace it.
    const { rows: replaced } = await this.db.query(
      `UPDATE acumatica_sessions SET version = version + 1, cookies = $3, updated_at = now()
       WHERE tenant_key = $1 AND slot = $2 RETURNING version`,
      [this.tenantKey, slot, sealed],
    );
    return { version: (replaced[0]?.version as number | undefined) ?? 0, cookies, ours: true };
  }

  async leave(): Promise<boolean> {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    await this.db.query('DELETE FROM acumatica_session_clients WHERE tenant_key = $1 AND client_id = $2', [
      this.tenantKey,
      this.clientId,
    ]);
    const { rows } = await this.db.query(
      `SELECT count(*)::int AS n FROM acumatica_session_clients
       WHERE tenant_key = $1 AND seen_at > now() - make_interval(secs => $2)`,
      [this.tenantKey, LIVE_SECONDS],
    );
    return rows[0].n === 0;
  }

  async clear(): Promise<void> {
    await this.db.query('DELETE FROM acumatica_sessions WHERE tenant_key = $1', [this.tenantKey]);
  }

  /** Marks this client live (and keeps it so while the process runs). */
  private async touch(): Promise<void> {
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => void this.upsertClient().catch(() => undefined), HEARTBEAT_MS);
      this.heartbeat.unref();
      await this.upsertClient();
    }
  }

  private upsertClient() {
    return this.db.query(
      `INSERT INTO acumatica_session_clients (tenant_key, client_id) VALUES ($1, $2)
       ON CONFLICT (tenant_key, client_id) DO UPDATE SET seen_at = now()`,
      [this.tenantKey, this.clientId],
    );
  }

  private seal(cookies: SessionCookies): Buffer {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(cookies), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  private open(row: { version: number; cookies: Buffer }): StoredSession | undefined {
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, row.cookies.subarray(0, 12));
      decipher.setAuthTag(row.cookies.subarray(12, 28));
      const text = Buffer.concat([decipher.update(row.cookies.subarray(28)), decipher.final()]).toString('utf8');
      return { version: row.version, cookies: JSON.parse(text) as SessionCookies };
    } catch {
      return undefined;
    }
  }
}
