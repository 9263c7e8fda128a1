/**
 * PostgreSQL access through `pg`, and the schema migrations applied at start.
 * Migrations are the numbered .sql files in store/migrations, applied once each, in order, inside a
 * transaction guarded by an advisory lock so that a worker and an API starting together do not race.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Pool, type PoolClient } from 'pg';
import { logger } from '../lib/logger';

export type Db = Pool;

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
// Arbitrary constant: the advisory lock id that serialises migrations across processes.
const MIGRATION_LOCK_ID = 4_271_001;

export function createPool(databaseUrl: string, max = 10): Db {
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection (database restart) must not crash the process; the next query
  // gets a fresh connection.
  pool.on('error', (err) => logger.warn({ component: 'db', err }, `idle client error: ${err.message}`));
  return pool;
}

export async function migrate(db: Db): Promise<string[]> {
  return withTransaction(db, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query('SELECT name FROM schema_migrations')).rows.map((r) => r.name as string));
    const files = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const applied: string[] = [];
    for (const file of files.filter((f) => !done.has(f))) {
      await client.query(fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}

export async function withTransaction<T>(db: Db, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
