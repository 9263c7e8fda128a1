/**
 * Test helpers around the Procore simulator: start it on a random port, and a tiny webhook receiver that
 * records what Procore would POST and answers with scripted statuses.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_PROCORE_CLIENT } from '../demo-data';
import { createProcoreSimulator, type ProcoreSimulator, type ProcoreSimulatorOptions } from './server';

export interface RunningProcoreSimulator extends ProcoreSimulator {
  url: string;
  companyId: string;
  credentials: { clientId: string; clientSecret: string };
  /** Calls an /__admin route with a JSON body and returns the parsed answer. */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startProcoreSimulator(opts: ProcoreSimulatorOptions = {}): Promise<RunningProcoreSimulator> {
  const sim = createProcoreSimulator(opts);
  const { url, close } = await sim.listen(0);
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    ...sim,
    url,
    companyId: sim.store.demoCompanyId,
    credentials: { clientId: DEMO_PROCORE_CLIENT.clientId, clientSecret: DEMO_PROCORE_CLIENT.clientSecret },
    admin,
    close,
  };
}

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** Raw body text: parse it losslessly when ids may exceed 2^53. */
  body: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses to answer with, in order; once used up every request gets 200. */
  respondWith(...statuses: number[]): void;
  /** Resolves when at least `n` requests have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const script: number[] = [];
  let waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = script.shift() ?? 200;
      received.push({
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ received: true }));
      waiters.forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/procore/webhooks`,
    received,
    respondWith: (...statuses) => script.push(...statuses),
    waitFor: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < n) return false;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve(received);
          return true;
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(new Error(`expected ${n} webhook deliveries, got ${received.length}`));
        }, timeoutMs);
        if (!check()) waiters.push(check);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
