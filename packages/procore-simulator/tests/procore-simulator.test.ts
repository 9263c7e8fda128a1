/**
 * The Procore simulator over real HTTP: auth, company scoping, pagination, rate limits, big ids, and the
 * ERP accept -> webhook delivery path (payload versions, retries, duplicates, discard).
 */
import { LosslessNumber, parse } from 'lossless-json';
import { DEMO_PROJECT, DEMO_SUBCONTRACTS, DEMO_VENDORS } from 'simulator-common';
import { OTHER_COMPANY } from '../src/store';
import {
  startProcoreSimulator,
  startWebhookReceiver,
  type RunningProcoreSimulator,
  type WebhookReceiver,
} from '../src/testing';

const CONTRACT_ID = DEMO_SUBCONTRACTS[0].procoreId;

async function token(sim: RunningProcoreSimulator): Promise<string> {
  const res = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function rest(sim: RunningProcoreSimulator, path: string, init: RequestInit & { company?: string | null } = {}) {
  const { company, ...rest } = init;
  const headers: Record<string, string> = { ...(rest.headers as Record<string, string>) };
  if (!('Authorization' in headers)) headers.Authorization = `Bearer ${await token(sim)}`;
  if (company !== null) headers['Procore-Company-Id'] = company ?? sim.companyId;
  if (rest.body) headers['Content-Type'] = 'application/json';
  return fetch(sim.url + path, { ...rest, headers });
}

async function subscribe(
  sim: RunningProcoreSimulator,
  receiver: WebhookReceiver,
  apiVersion: string,
  namespace: string,
) {
  const hookRes = await rest(sim, `/rest/v1.0/webhooks/hooks`, {
    method: 'POST',
    body: JSON.stringify({
      company_id: Number(sim.companyId),
      hook: {
        api_version: apiVersion,
        namespace,
        destination_url: receiver.url,
        destination_headers: { Authorization: `Bearer hook-secret-${namespace}` },
      },
    }),
  });
  expect(hookRes.status).toBe(201);
  const hook = (await hookRes.json()) as { id: number };
  const trig = await rest(sim, `/rest/v1.0/webhooks/hooks/${hook.id}/triggers`, {
    method: 'POST',
    body: JSON.stringify({
      company_id: Number(sim.companyId),
      trigger: { resource_name: 'ERP Requests', event_type: 'create' },
    }),
  });
  expect(trig.status).toBe(201);
  return hook.id;
}

describe('Procore simulator', () => {
  let sim: RunningProcoreSimulator;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    sim = await startProcoreSimulator({ webhookTimeCompression: 100 });
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  describe('OAuth and request scoping', () => {
    it('issues client-credentials tokens from form or JSON bodies and rejects wrong secrets', async () => {
      const form = await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${sim.credentials.clientId}&client_secret=${sim.credentials.clientSecret}`,
      });
      const body = (await form.json()) as Record<string, unknown>;
      expect(form.status).toBe(200);
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 5400 });
      expect(typeof body.access_token).toBe('string');
      expect(typeof body.created_at).toBe('number');

      const json = await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: sim.credentials.clientId,
          client_secret: sim.credentials.clientSecret,
        }),
      });
      expect(json.status).toBe(200);

      const wrong = await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: sim.credentials.clientId,
          client_secret: 'nope',
        }),
      });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('requires a valid, unexpired bearer token on /rest', async () => {
      const path = `/rest/v1.0/vendors?company_id=${sim.companyId}`;
      expect((await rest(sim, path, { headers: { Authorization: '' } })).status).toBe(401);
      expect((await rest(sim, path, { headers: { Authorization: 'Bearer made-up' } })).status).toBe(401);
      const t = await token(sim);
      expect((await rest(sim, path, { headers: { Authorization: `Bearer ${t}` } })).status).toBe(200);
      sim.clock.advance(5400 * 1000);
      expect((await rest(sim, path, { headers: { Authorization: `Bearer ${t}` } })).status).toBe(401);
    });

    it('answers 400 without Procore-Company-Id', async () => {
      const res = await rest(sim, `/rest/v1.0/vendors?company_id=${sim.companyId}`, { company: null });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: 'Missing Procore-Company-Id header!' });
    });

    it("hides another company's records", async () => {
      expect((await rest(sim, `/rest/v1.0/vendors/${OTHER_COMPANY.vendorId}?company_id=${sim.companyId}`)).status).toBe(
        404,
      );
      expect((await rest(sim, `/rest/v1.0/vendors?company_id=${OTHER_COMPANY.id}`)).status).toBe(404);
      const other = await rest(sim, `/rest/v1.0/vendors?company_id=${OTHER_COMPANY.id}`, { company: OTHER_COMPANY.id });
      expect(((await other.json()) as unknown[]).length).toBe(1);
      expect(
        (await rest(sim, `/rest/v1.0/work_order_contracts/${CONTRACT_ID}?project_id=${OTHER_COMPANY.projectId}`))
          .status,
      ).toBe(404);
    });
  });

  describe('pagination and rate limits', () => {
    it('pages with Total, Per-Page and Link (no next on the last page)', async () => {
      const first = await rest(sim, `/rest/v1.0/vendors?company_id=${sim.companyId}&per_page=3`);
      expect(first.headers.get('total')).toBe(String(DEMO_VENDORS.length));
      expect(first.headers.get('per-page')).toBe('3');
      const link = first.headers.get('link') ?? '';
      expect(link).toMatch(/per_page=3&page=2>; rel="next"/);
      expect(link).toMatch(/per_page=3&page=3>; rel="last"/);
      expect(((await first.json()) as unknown[]).length).toBe(3);

      const last = await rest(sim, `/rest/v1.0/vendors?company_id=${sim.companyId}&per_page=3&page=3`);
      expect(last.headers.get('link')).not.toMatch(/rel="next"/);
      expect(last.headers.get('link')).toMatch(/rel="prev"/);
      expect(((await last.json()) as unknown[]).length).toBe(1);
    });

    it('sends rate-limit headers and answers 429 past the hourly limit', async () => {
      const limited = await startProcoreSimulator({ rateLimitPerHour: 3 });
      try {
        const t = await token(limited); // request 1 (anonymous counter, separate from the client's)
        const call = () =>
          fetch(`${limited.url}/rest/v1.0/projects?company_id=${limited.companyId}`, {
            headers: { Authorization: `Bearer ${t}`, 'Procore-Company-Id': limited.companyId },
          });
        const first = await call();
        expect(first.headers.get('x-rate-limit-limit')).toBe('3');
        expect(first.headers.get('x-rate-limit-remaining')).toBe('2');
        expect(Number(first.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
        await call();
        await call();
        const over = await call();
        expect(over.status).toBe(429);
        expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
        limited.clock.advance(3600 * 1000);
        expect((await call()).status).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });

  it('writes ids above 2^53 as bare JSON numbers', async () => {
    const base = 2n ** 53n + 1000n;
    const big = await startProcoreSimulator({ idBase: base });
    try {
      const t = await token(big);
      const res = await fetch(
        `${big.url}/rest/v1.0/projects/${base + BigInt(DEMO_PROJECT.procoreId)}?company_id=${big.companyId}`,
        {
          headers: { Authorization: `Bearer ${t}`, 'Procore-Company-Id': big.companyId },
        },
      );
      const text = await res.text();
      expect(text).toContain(`"id":${base + BigInt(DEMO_PROJECT.procoreId)},`);
      expect(big.companyId).toBe((base + 4271n).toString());
    } finally {
      await big.close();
    }
  });

  describe('ERP accept -> webhook', () => {
    it('creates the ERP request and delivers v2 and v4 payloads with the destination headers', async () => {
      await subscribe(sim, receiver, 'v2', 'acumatica-v2');
      await subscribe(sim, receiver, 'v4', 'acumatica-v4');
      const accepted = await sim.admin<{ erp_request_id: string; request_detail_id: string }>(
        'POST',
        '/__admin/erp/accept',
        {
          company_id: sim.companyId,
          item_type: 'work_order_contract',
          item_id: CONTRACT_ID,
        },
      );
      await receiver.waitFor(2);
      const byAuth = Object.fromEntries(receiver.received.map((r) => [r.headers.authorization, r]));
      const v2 = byAuth['Bearer hook-secret-acumatica-v2'];
      const v4 = byAuth['Bearer hook-secret-acumatica-v4'];
      expect(v2.headers['content-type']).toBe('application/json');

      const p2 = JSON.parse(v2.body) as Record<string, unknown>;
      expect(p2).toMatchObject({
        resource_name: 'ERP Requests',
        event_type: 'create',
        resource_id: Number(accepted.erp_request_id),
        company_id: Number(sim.companyId),
        project_id: Number(DEMO_PROJECT.procoreId),
        api_version: 'v2',
      });
      expect(typeof p2.id).toBe('number');
      expect(p2.ulid).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(p2.metadata).toMatchObject({ source_company_id: Number(sim.companyId) });
      expect(typeof p2.user_id).toBe('number');

      const p4 = JSON.parse(v4.body) as Record<string, unknown>;
      expect(p4).toEqual({
        id: p2.ulid,
        timestamp: p2.timestamp,
        reason: 'create',
        company_id: sim.companyId,
        project_id: DEMO_PROJECT.procoreId,
        user_id: String(p2.user_id),
        resource_type: 'ERP Requests',
        resource_id: accepted.erp_request_id,
      });

      const req = await rest(sim, `/rest/v1.0/companies/${sim.companyId}/erp_requests/${accepted.erp_request_id}`);
      const body = (await req.json()) as {
        request_name: string;
        request_data: {
          commitment: unknown;
          commitment_items: unknown[];
          additional_data: { accounting_date: string };
        };
        request_details: unknown[];
      };
      expect(body.request_name).toBe('create_commitment');
      expect(body.request_data.commitment).toMatchObject({ id: Number(CONTRACT_ID), type: 'WorkOrderContract' });
      expect(body.request_data.commitment_items).toHaveLength(DEMO_SUBCONTRACTS[0].lines.length);
      expect(body.request_data.additional_data.accounting_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(body.request_details).toEqual([
        expect.objectContaining({
          id: Number(accepted.request_detail_id),
          item_type: 'work_order_contract',
          status: 'in_progress',
          messages: [],
        }),
      ]);
    });

    it('retries a failing receiver with back-off and records each attempt', async () => {
      const hookId = await subscribe(sim, receiver, 'v2', 'retrying');
      receiver.respondWith(500, 503);
      await sim.admin('POST', '/__admin/erp/accept', {
        company_id: sim.companyId,
        item_type: 'work_order_contract',
        item_id: CONTRACT_ID,
      });
      await receiver.waitFor(3);
      await sim.webhooks.idle();
      const ids = receiver.received.map((r) => (JSON.parse(r.body) as { ulid: string }).ulid);
      expect(new Set(ids).size).toBe(1);
      const res = await rest(sim, `/rest/v1.0/webhooks/hooks/${hookId}/deliveries?company_id=${sim.companyId}`);
      const deliveries = (await res.json()) as Array<{ outcome: string; response_status: number }>;
      expect(deliveries.map((d) => [d.outcome, d.response_status]).reverse()).toEqual([
        ['retried', 500],
        ['retried', 503],
        ['ok', 200],
      ]);
    });

    it('sends duplicate deliveries with the same id and ulid', async () => {
      await subscribe(sim, receiver, 'v2', 'dupes');
      await sim.admin('POST', '/__admin/erp/accept', {
        company_id: sim.companyId,
        item_type: 'work_order_contract',
        item_id: CONTRACT_ID,
        duplicate_deliveries: 3,
      });
      await receiver.waitFor(3);
      expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    });

    it('discards an event after the 12 h horizon (compressed)', async () => {
      const fast = await startProcoreSimulator({ webhookTimeCompression: 200_000 });
      try {
        const hookId = await subscribe(fast, receiver, 'v2', 'always-down');
        receiver.respondWith(...Array<number>(200).fill(500));
        await fast.admin('POST', '/__admin/erp/accept', {
          company_id: fast.companyId,
          item_type: 'work_order_contract',
          item_id: CONTRACT_ID,
        });
        await fast.webhooks.idle();
        const outcomes = fast.store.state.deliveries.filter((d) => d.hook_id === String(hookId)).map((d) => d.outcome);
        expect(outcomes[outcomes.length - 1]).toBe('discarded');
        expect(outcomes.slice(0, -1).every((o) => o === 'retried')).toBe(true);
        expect(outcomes.length).toBeGreaterThan(5);
      } finally {
        await fast.close();
      }
    });
  });

  it('snapshots, resets and restores state', async () => {
    await subscribe(sim, receiver, 'v2', 'snap');
    const snapshot = await sim.admin<Record<string, unknown>>('GET', '/__admin/snapshot');
    await sim.admin('POST', '/__admin/reset');
    expect((await sim.admin<{ counts: Record<string, number> }>('GET', '/__admin/state')).counts.hooks).toBe(0);
    await sim.admin('POST', '/__admin/snapshot', snapshot);
    const state = await sim.admin<{ counts: Record<string, number> }>('GET', '/__admin/state');
    expect(state.counts).toMatchObject({ hooks: 1, triggers: 1, vendors: DEMO_VENDORS.length + 1 });
  });

  it('renders line items with exact money values', async () => {
    const res = await rest(
      sim,
      `/rest/v1.0/work_order_contracts/${CONTRACT_ID}/line_items?project_id=${DEMO_PROJECT.procoreId}`,
    );
    const lines = parse(await res.text(), null, (n) => new LosslessNumber(n)) as Array<{
      amount: string;
      total_amount: LosslessNumber;
      cost_code: unknown;
      line_item_type: unknown;
    }>;
    const finishing = lines.find((l) => l.amount === '38420.50')!;
    expect(finishing.total_amount.value).toBe('38420.50');
    expect(finishing.cost_code).toMatchObject({ full_code: '03-350', name: 'Concrete Finishing' });
    expect(finishing.line_item_type).toMatchObject({ name: 'Subcontract', code: 'S' });
  });
});
