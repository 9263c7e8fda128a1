/**
 * What every CLI command shares: the database (DATABASE_URL, or the embedded one `npm start` runs), Temporal
 * (as the API connects to it), and output as human lines or --json.
 */
import type { Client } from '@temporalio/client';
import { LOCAL_PORTS } from '../scripts/local-ports';
import type { Config } from '../lib/config';
import { createPool, migrate, type Db } from '../store/db';
import { connectClient } from '../temporal/connection';

const EMBEDDED_URL = `postgresql://postgres@127.0.0.1:${LOCAL_PORTS.embeddedPostgres}/postgres?sslmode=disable`;

export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createPool(process.env.DATABASE_URL ?? EMBEDDED_URL, 2);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.end();
  }
}

export async function withTemporal<T>(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TLS' | 'TEMPORAL_API_KEY'>,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await connectClient(config);
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}

/** Prints data as JSON (--json) or as the given human lines. */
export function out(json: boolean, data: unknown, lines: () => string[]): void {
  if (json) console.log(JSON.stringify(data, null, 2));
  else for (const line of lines()) console.log(line);
}

/** A usage or state error: said on stderr, exit code 1. */
export function fail(message: string): void {
  console.error(message);
  process.exitCode = 1;
}
