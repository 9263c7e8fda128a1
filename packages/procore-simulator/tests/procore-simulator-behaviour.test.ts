/**
 * Simulator behaviour a receiver or a client has to cope with: webhook duplicates and out-of-order delivery,
 * the spike rate-limit window's headers, deterministic data sizes with snapshot/restore, and payload versions.
 */
import { DEMO_SUBCONTRACTS, DEMO_VENDORS } from 'simulator-common';
import {
  startProcoreSimulator,
  startWebhookReceiver,
  type RunningProcoreSimulator,
  type WebhookReceiver,
} from '../src/testing';
import { seedState } from '../src/store';

async function token(sim: RunningProcoreSimulator): Promise<string> {
  const res = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function subscribe(sim: RunningProcoreSimulator, receiver: WebhookReceiver, apiVersion = 'v2') {
  const t = await token(sim);
  const headers = {
    Authorization: `Bearer ${t}`,
    'Procore-Company-Id': sim.companyId,
    'Content-Type': 'application/json',
  };
  const hook = (await (
    await fetch(`${sim.url}/rest/v1.0/webhooks/hooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        company_id: sim.companyId,
        hook: { api_version: apiVersion, namespace: 'x', destination_url: receiver.url },
      }),
    })
  ).json()) as { id: number };
  await fetch(`${sim.url}/rest/v1.0/webhooks/hooks/${hook.id}/triggers`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      company_id: sim.companyId,
      trigger: { resource_name: 'ERP Requests', event_type: 'create' },
    }),
  });
}

describe('Procore simulator behaviour', () => {
  let sim: RunningProcoreSimulator;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    sim = await startProcoreSimulator({ webhookTimeCompression: 1000 });
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  const accept = (itemId: string) =>
    sim.admin<{ erp_request_id: string }>('POST', '/__admin/erp/accept', {
      company_id: sim.companyId,
      item_type: 'work_order_contract',
      item_id: itemId,
    });
  const resourceIds = () =>
    receiver.received.map((r) => String((JSON.parse(r.body) as { resource_id: number }).resource_id));

  it('delivers held events in reverse order (later event first)', async () => {
    await subscribe(sim, receiver);
    await sim.admin('POST', '/__admin/webhooks/hold');
    const first = await accept(DEMO_SUBCONTRACTS[0].procoreId);
    const second = await accept(DEMO_SUBCONTRACTS[1].procoreId);
    const third = await accept(DEMO_SUBCONTRACTS[2].procoreId);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received).toHaveLength(0);
    expect(await sim.admin('POST', '/__admin/webhooks/release', { order: 'reverse' })).toEqual({ released: 3 });
    await receiver.waitFor(3);
    await sim.webhooks.idle();
    expect(resourceIds()).toEqual([third.erp_request_id, second.erp_request_id, first.erp_request_id]);
  });

  it('with chaos, sends random duplicates (same ulid) and lets events overtake each other, reproducibly', async () => {
    await subscribe(sim, receiver);
    await sim.admin('POST', '/__admin/webhooks/chaos', { duplicate_probability: 0.5, reorder_window_ms: 80, seed: 42 });
    const accepted: string[] = [];
    for (let i = 0; i < 12; i++) accepted.push((await accept(DEMO_SUBCONTRACTS[i % 3].procoreId)).erp_request_id);
    await new Promise((r) => setTimeout(r, 20));
    await sim.webhooks.idle();
    const ids = resourceIds();
    expect(new Set(ids)).toEqual(new Set(accepted)); // at least once: every event arrived
    expect(ids.length).toBeGreaterThan(accepted.length); // some twice
    const ulids = receiver.received.map((r) => (JSON.parse(r.body) as { ulid: string }).ulid);
    expect(new Set(ulids).size).toBe(accepted.length); // duplicates are identical events
    const firstSeen = ids.filter((id, i) => ids.indexOf(id) === i);
    expect(firstSeen).not.toEqual(accepted); // out of order
  });

  it('v3 payloads add related_resources; v4 ids are strings', async () => {
    await subscribe(sim, receiver, 'v3');
    await subscribe(sim, receiver, 'v4');
    await accept(DEMO_SUBCONTRACTS[0].procoreId);
    await receiver.waitFor(2);
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const v3 = bodies.find((b) => b.api_version === 'v3')!;
    const v4 = bodies.find((b) => b.reason !== undefined)!;
    expect(v3.related_resources).toEqual([]);
    expect(typeof v3.resource_id).toBe('number');
    expect(typeof v4.resource_id).toBe('string');
    expect(v4.resource_type).toBe('ERP Requests');
  });

  it('reports the spike window in the headers and answers 429 past it, failed calls included', async () => {
    await sim.admin('POST', '/__admin/rate_limit', { spike_limit: 3, spike_window_seconds: 10, limit_per_hour: 1000 });
    const t = await token(sim);
    const call = (auth = t) =>
      fetch(`${sim.url}/rest/v1.0/vendors?company_id=${sim.companyId}`, {
        headers: { Authorization: `Bearer ${auth}`, 'Procore-Company-Id': sim.companyId },
      });
    const ok = await call();
    expect(ok.headers.get('x-rate-limit-limit')).toBe('3');
    expect(ok.headers.get('x-rate-limit-remaining')).toBe('2');
    const resetIn = Number(ok.headers.get('x-rate-limit-reset')) - Date.now() / 1000;
    expect(resetIn).toBeGreaterThan(0);
    expect(resetIn).toBeLessThanOrEqual(11);
    const missingCompany = await fetch(`${sim.url}/rest/v1.0/vendors?company_id=${sim.companyId}`, {
      headers: { Authorization: `Bearer ${t}` },
    });
    expect(missingCompany.status).toBe(400); // counted all the same
    expect((await call()).status).toBe(200);
    const over = await call();
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    sim.clock.advance(10_000);
    expect((await call()).status).toBe(200);
  });

  it('seeds sizes deterministically and restores a large snapshot', async () => {
    const a = seedState(0n, undefined, { size: 'large', seed: 3 });
    const b = seedState(0n, undefined, { size: 'large', seed: 3 });
    const c = seedState(0n, undefined, { size: 'large', seed: 4 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    const companyId = sim.companyId;
    expect(a.vendors.filter((v) => v.company_id === companyId)).toHaveLength(DEMO_VENDORS.length + 10_000);
    expect(a.standardCostCodes.length).toBeGreaterThanOrEqual(2_000);
    expect(a.projects.filter((p) => p.company_id === companyId)).toHaveLength(201);
    expect(a.budgets.length).toBeGreaterThanOrEqual(200);
    expect(a.changeOrders.filter((co) => co.kind === 'commitment').length).toBeGreaterThanOrEqual(200);
    expect(a.requisitions.length).toBeGreaterThanOrEqual(200);

    await sim.admin('POST', '/__admin/reset', { size: 'large', seed: 3 });
    const snapshot = await sim.admin<Record<string, unknown>>('GET', '/__admin/snapshot');
    await sim.admin('POST', '/__admin/reset', { size: 'demo' });
    expect(sim.store.state.vendors.length).toBe(DEMO_VENDORS.length + 1);
    await sim.admin('POST', '/__admin/snapshot', snapshot);
    expect(JSON.stringify(sim.store.state)).toBe(JSON.stringify(a));
  });
});
