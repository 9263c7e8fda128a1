/**
 * Operator API keys: `cak_<id>_<secret>`, stored as SHA-256 only, shown once at creation, revoked by id. The id
 * part lets a key be found and named in lists and logs without ever showing its secret.
 */
import crypto from 'node:crypto';
import type { Db } from './db';

export interface ApiKeyInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');
const KEY_SHAPE = /^cak_([a-z0-9]{8})_[A-Za-z0-9_-]{32,}$/;

/** A new key; the returned `key` is the only time the secret exists outside the caller's hands. */
export async function createApiKey(db: Db, name: string): Promise<{ id: string; key: string }> {
  const id = crypto.randomBytes(5).toString('hex').slice(0, 8);
  const key = `cak_${id}_${crypto.randomBytes(32).toString('base64url')}`;
  await db.query('INSERT INTO operator_api_keys (id, name, key_sha256) VALUES ($1, $2, $3)', [id, name, sha256(key)]);
  return { id, key };
}

export async function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
  const { rows } = await db.query(
    `SELECT id, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
       FROM operator_api_keys ORDER BY created_at, id`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: new Date(r.createdAt).toISOString(),
    lastUsedAt: r.lastUsedAt ? new Date(r.lastUsedAt).toISOString() : null,
    revokedAt: r.revokedAt ? new Date(r.revokedAt).toISOString() : null,
  }));
}

/** Revokes a key by id; false when there is no such active key. */
export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE operator_api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
    [id],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Whether a presented key is an active one. The stored hash is compared in constant time (the lookup is by the
 * id part, which is not secret), so the answer's timing says nothing about the secret.
 */
export async function verifyApiKey(db: Db, presented: string): Promise<string | null> {
  const m = KEY_SHAPE.exec(presented);
  if (!m) return null;
  const { rows } = await db.query('SELECT key_sha256 FROM operator_api_keys WHERE id = $1 AND revoked_at IS NULL', [
    m[1],
  ]);
  const expected = Buffer.from(rows[0]?.key_sha256 ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(sha256(presented), 'hex');
  if (!crypto.timingSafeEqual(expected, actual) || rows.length === 0) return null;
  await db.query('UPDATE operator_api_keys SET last_used_at = now() WHERE id = $1', [m[1]]);
  return m[1];
}
