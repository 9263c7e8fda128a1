/**
 * Once per `npm test`: the real Temporal dev server (in memory, headless) on a free port, and PostgreSQL from
 * DATABASE_URL (default: this machine's local server), or a testcontainers PostgreSQL where Docker runs and no
 * local server answers. Both addresses reach every suite through process.env.
 */
import { Client as PgClient } from 'pg';
import { startDevServer } from '../temporal/dev-server';
import { freePort } from '../testing/free-port';

const LOCAL_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

async function reachable(url: string): Promise<boolean> {
  const client = new PgClient({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function postgresUrl(): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  if (await reachable(LOCAL_DATABASE_URL)) return { url: LOCAL_DATABASE_URL };
  // No local server: a throwaway one in Docker, where Docker exists.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine').start();
  return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
}

export default async function globalSetup(): Promise<void> {
  // Both the integration and the e2e project name this setup: one Temporal server and database serve both.
  if ((globalThis as Record<string, unknown>).__connectorTestServices) return;
  const db = await postgresUrl();
  process.env.DATABASE_URL = db.url;
  const temporal = await startDevServer({ port: await freePort() });
  process.env.TEMPORAL_ADDRESS = temporal.address;
  (globalThis as Record<string, unknown>).__connectorTestServices = { temporal, db };
}
