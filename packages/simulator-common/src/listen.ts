import type { Express } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `app` on 127.0.0.1 (`port` 0: a free one). `close` runs `beforeClose`, drops the open connections and
 * stops the server.
 */
export function listenLocal(app: Express, port: number, beforeClose: () => void): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        close: () =>
          new Promise<void>((done) => {
            beforeClose();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
