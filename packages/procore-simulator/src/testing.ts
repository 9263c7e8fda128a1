/**
 * Test helpers around the Procore simulator: start it on a random port, and a tiny webhook receiver that
 * records what Procore would POST and answers with scripted statuses.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_COMPANY, DEMO_COST_CODES, DEMO_PROCORE_CLIENT, DEMO_PROJECT, DEMO_VENDORS } from 'simulator-common';
import { createProcoreSimulator, type ProcoreSimulator, type ProcoreSimulatorOptions } from './server';
import type { ProcoreStore } from './store';

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

/**
 * Adds an approved commitment on the demo project, with `lines` schedule-of-values lines on the demo cost codes
 * and a vendor the project's branch (HQ) can see in Acumatica. For benchmarks and tests that need many fresh
 * records without reseeding. `n` varies vendor, cost codes and amounts deterministically.
 */
export function addDemoCommitment(
  store: ProcoreStore,
  opts: {
    type: 'work_order_contract' | 'purchase_order_contract';
    n: number;
    lines: number;
    label: string;
    /** The id base of a company added with store.addCompany; default: the demo company as seeded. */
    companyIdBase?: bigint;
  },
): { id: string; lineIds: string[] } {
  const { state } = store;
  const base = opts.companyIdBase;
  const demoId = (id: string) => (base === undefined ? id : (base + BigInt(id)).toString());
  const companyId = base === undefined ? store.demoCompanyId : demoId(DEMO_COMPANY.procoreCompanyId);
  const projectId = demoId(DEMO_PROJECT.procoreId);
  const knownCodes = new Set(DEMO_COST_CODES.map((c) => c.code));
  const costCodeIds = state.costCodes
    .filter((c) => c.project_id === projectId && knownCodes.has(store.costCode(c.id)?.full_code ?? ''))
    .map((c) => c.id);
  const vendors = DEMO_VENDORS.filter((v) => v.acumaticaVendorId && v.branch === 'HQ');
  const noOrigin = { origin_id: null, origin_code: null, origin_data: null };
  const now = new Date().toISOString();
  const id = store.newId();
  const isPo = opts.type === 'purchase_order_contract';
  (isPo ? state.purchaseOrderContracts : state.workOrderContracts).push({
    id,
    company_id: companyId,
    project_id: projectId,
    vendor_id: demoId(vendors[opts.n % vendors.length].procoreId),
    number: `${isPo ? 'PO' : 'SC'}-${opts.label.toUpperCase()}-${String(opts.n).padStart(3, '0')}`,
    title: `${opts.label} commitment ${opts.n}`,
    status: 'Approved',
    executed: true,
    retainage_percent: isPo ? null : '10.0',
    contract_date: '2024-06-03',
    accounting_method: 'amount',
    deleted_at: null,
    created_at: now,
    updated_at: now,
    ...noOrigin,
  });
  const lineIds: string[] = [];
  for (let l = 0; l < opts.lines; l++) {
    const lineId = store.newId();
    lineIds.push(lineId);
    state.lineItems.push({
      id: lineId,
      contract_id: id,
      cost_code_id: costCodeIds[(opts.n + l) % costCodeIds.length],
      line_item_type_id: state.lineItemTypes.find((t) => t.company_id === companyId)?.id ?? null,
      description: `Scope item ${l + 1}`,
      amount: `${(1000 + ((opts.n * 131 + l * 977) % 90000)).toFixed(2)}`,
      quantity: '1',
      unit_cost: '0',
      uom: null,
      position: l + 1,
      created_at: now,
      updated_at: now,
      ...noOrigin,
    });
  }
  return { id, lineIds };
}
