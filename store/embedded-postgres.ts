/**
 * An embedded PostgreSQL (PGlite, WASM) served over the PostgreSQL wire protocol, so that a laptop without
 * PostgreSQL still runs the connector when DATABASE_URL is unset. Data persists in `dataDir`.
 * Only `npm start` uses it; tests and production use a real server through DATABASE_URL.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, port = 0): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir });
  // PGlite is single-connection; the socket server multiplexes pg's pool over it.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 20 });
  await server.start();
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
