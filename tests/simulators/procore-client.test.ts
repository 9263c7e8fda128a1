/**
 * ProcoreClient against the in-process Procore simulator over real HTTP: token caching and refresh,
 * pagination, the ERP export calls, big ids, and fault injection surfacing as the right error classes.
 */
import { AuthError, NotFoundError, RateLimitError, TransientUpstreamError, ValidationError } from '../../lib/errors';
import type { ApplicationFailure } from '@temporalio/common';
import { ProcoreClient } from '../../clients/procore/client';
import { toApplicationFailure } from '../../activities/wrap';
import { DEMO_PROJECT, DEMO_SUBCONTRACTS, DEMO_VENDORS } from 'simulator-common';
import { OTHER_COMPANY } from 'procore-simulator/src/store';
import {
  startProcoreSimulator,
  startWebhookReceiver,
  type RunningProcoreSimulator,
} from 'procore-simulator/src/testing';

const SC = DEMO_SUBCONTRACTS[0];
const PROJECT = DEMO_PROJECT.procoreId;

function clientFor(sim: RunningProcoreSimulator, extra: Partial<ConstructorParameters<typeof ProcoreClient>[0]> = {}) {
  return new ProcoreClient({ baseUrl: sim.url, ...sim.credentials, ...extra });
}

async function acceptContract(sim: RunningProcoreSimulator, contractId: string) {
  return sim.admin<{ erp_request_id: string; request_detail_id: string }>('POST', '/__admin/erp/accept', {
    company_id: sim.companyId,
    item_type: 'work_order_contract',
    item_id: contractId,
  });
}

describe('ProcoreClient', () => {
  let sim: RunningProcoreSimulator;
  beforeEach(async () => {
    sim = await startProcoreSimulator({ webhookTimeCompression: 100 });
  });
  afterEach(async () => {
    await sim.close();
  });

  describe('auth', () => {
    it('shares one token request between concurrent callers and caches it', async () => {
      const client = clientFor(sim);
      await Promise.all([
        client.getProject(sim.companyId, PROJECT),
        client.getVendor(sim.companyId, DEMO_VENDORS[0].procoreId),
        client.getWorkOrderContract(sim.companyId, PROJECT, SC.procoreId),
      ]);
      await client.getProject(sim.companyId, PROJECT);
      expect(sim.store.tokens.size).toBe(1);
    });

    it('refreshes the token a minute before it expires', async () => {
      let now = Date.now();
      const client = clientFor(sim, { now: () => now });
      await client.getProject(sim.companyId, PROJECT);
      now += (5400 - 61) * 1000;
      await client.getProject(sim.companyId, PROJECT);
      expect(sim.store.tokens.size).toBe(1);
      now += 2000; // inside the 60 s margin
      await client.getProject(sim.companyId, PROJECT);
      expect(sim.store.tokens.size).toBe(2);
    });

    it('gets a new token and retries once when Procore answers 401', async () => {
      const client = clientFor(sim);
      await client.getProject(sim.companyId, PROJECT);
      sim.store.tokens.clear(); // revoked server-side
      await expect(client.getProject(sim.companyId, PROJECT)).resolves.toMatchObject({ id: PROJECT });
    });

    it('throws AuthError for bad credentials without leaking the secret', async () => {
      const client = clientFor(sim, { clientSecret: 'super-secret-value' });
      const err = await client.getProject(sim.companyId, PROJECT).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      expect((err as Error).message).toContain('POST /oauth/token');
      expect((err as Error).message).toContain('invalid_client');
      expect((err as Error).message).not.toContain('super-secret-value');
    });

    it('maps 404 and 403 (other company) to NotFoundError / AuthError with method and path', async () => {
      const client = clientFor(sim);
      const err = await client.getVendor(sim.companyId, OTHER_COMPANY.vendorId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as Error).message).toBe(
        `Procore GET /rest/v1.0/vendors/${OTHER_COMPANY.vendorId} -> HTTP 404: Not Found`,
      );
      await expect(client.getProject('999999', PROJECT)).rejects.toBeInstanceOf(AuthError);
    });

    it('rejects ids that are not decimal strings before calling Procore', async () => {
      await expect(clientFor(sim).getVendor(sim.companyId, '12/../../x')).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('reads', () => {
    it('lists vendors lazily, one page per step', async () => {
      const client = clientFor(sim, { perPage: 3 });
      const pages = client.listVendors(sim.companyId);
      const first = await pages.next();
      expect(first.value).toHaveLength(3);
      const callsAfterFirst = sim.rateLimiter.usage(sim.credentials.clientId)?.hour;
      expect(callsAfterFirst).toBe(1);
      const sizes = [(first.value as unknown[]).length];
      for await (const page of pages) sizes.push(page.length);
      expect(sizes).toEqual([3, 3, 1]);
    });

    it('follows every page of line items and keeps money as decimal strings', async () => {
      const client = clientFor(sim, { perPage: 3 });
      const lines = await client.listWorkOrderContractLineItems(sim.companyId, PROJECT, SC.procoreId);
      expect(lines.map((l) => l.id)).toEqual(SC.lines.map((l) => l.procoreId));
      expect(lines.map((l) => l.amount)).toEqual(SC.lines.map((l) => l.amount));
      expect(lines[3]).toMatchObject({ total_amount: '38420.50', cost_code: { full_code: '03-350' }, position: 4 });
    });

    it('parses a work order contract with vendor and project', async () => {
      const contract = await clientFor(sim).getWorkOrderContract(sim.companyId, PROJECT, SC.procoreId);
      expect(contract).toMatchObject({
        id: SC.procoreId,
        number: SC.number,
        status: 'Approved',
        grand_total: '463920.50',
        retainage_percent: '10.0',
        vendor: { id: SC.vendorProcoreId, name: DEMO_VENDORS[0].name },
        project: { id: PROJECT },
      });
    });

    it('throws ValidationError naming the path of a missing required field', async () => {
      (sim.store.state.vendors[0] as { name: unknown }).name = undefined;
      const err = await clientFor(sim)
        .getVendor(sim.companyId, DEMO_VENDORS[0].procoreId)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toMatch(/name: Expected string, received null/);
    });
  });

  describe('ERP export calls', () => {
    it('reads the ERP request, syncs origin ids idempotently and closes the request detail', async () => {
      const client = clientFor(sim);
      const { erp_request_id, request_detail_id } = await acceptContract(sim, SC.procoreId);
      const request = await client.getErpRequest(sim.companyId, erp_request_id);
      expect(request).toMatchObject({
        id: erp_request_id,
        request_name: 'create_commitment',
        request_data: {
          job_id: PROJECT,
          request_detail_id,
          commitment: { id: SC.procoreId, type: 'WorkOrderContract' },
        },
        request_details: [
          { id: request_detail_id, item_type: 'work_order_contract', item_id: SC.procoreId, status: 'in_progress' },
        ],
      });
      expect(request.request_data.commitment_items).toHaveLength(SC.lines.length);

      const updates = [
        { item_type: 'work_order_contract', item_id: SC.procoreId, origin_id: 'SC0001234' },
        {
          item_type: 'line_item',
          item_id: SC.lines[0].procoreId,
          origin_id: 'SC0001234:1',
          origin_data: '{"LineNbr":1}',
        },
      ];
      const first = await client.syncExternalData(sim.companyId, updates);
      const again = await client.syncExternalData(sim.companyId, updates);
      expect(first.errors).toEqual([]);
      expect(again).toEqual(first);
      expect(sim.store.state.externalData).toHaveLength(2);
      const contract = await client.getWorkOrderContract(sim.companyId, PROJECT, SC.procoreId);
      expect(contract.origin_id).toBe('SC0001234');
      const lines = await client.listWorkOrderContractLineItems(sim.companyId, PROJECT, SC.procoreId);
      expect(lines[0]).toMatchObject({ origin_id: 'SC0001234:1', origin_data: '{"LineNbr":1}' });

      const clash = await client.syncExternalData(sim.companyId, [
        { item_type: 'work_order_contract', item_id: DEMO_SUBCONTRACTS[1].procoreId, origin_id: 'SC0001234' },
        { item_type: 'work_order_contract', item_id: '424242', origin_id: 'SC0009999' },
      ]);
      expect(clash.entities).toEqual([]);
      expect(clash.errors).toEqual([
        expect.objectContaining({ errors: { origin_id: ['has already been taken'] } }),
        expect.objectContaining({ errors: { item_id: ['not found'] } }),
      ]);
      // Within one request too: the second record cannot take the origin_id the first just took.
      const sameRequest = await client.syncExternalData(sim.companyId, [
        { item_type: 'work_order_contract', item_id: DEMO_SUBCONTRACTS[1].procoreId, origin_id: 'SC0005555' },
        { item_type: 'work_order_contract', item_id: DEMO_SUBCONTRACTS[2].procoreId, origin_id: 'SC0005555' },
      ]);
      expect(sameRequest.entities).toHaveLength(1);
      expect(sameRequest.errors).toEqual([
        expect.objectContaining({ errors: { origin_id: ['has already been taken'] } }),
      ]);

      const closed = await client.closeRequestDetail(sim.companyId, request_detail_id, {
        status: 'success',
        messages: ['Subcontract SC0001234 created in Acumatica'],
      });
      expect(closed.status).toBe('success');
      expect(await client.getErpRequestDetail(sim.companyId, request_detail_id)).toMatchObject({
        status: 'success',
        messages: ['Subcontract SC0001234 created in Acumatica'],
      });
    });

    it('round-trips ids above 2^53 unchanged', async () => {
      const base = 2n ** 53n + 1000n;
      const big = await startProcoreSimulator({ idBase: base });
      try {
        const client = clientFor(big);
        const project = (base + BigInt(PROJECT)).toString();
        const contractId = (base + BigInt(SC.procoreId)).toString();
        const { erp_request_id, request_detail_id } = await acceptContract(big, contractId);
        expect(BigInt(erp_request_id)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));

        const request = await client.getErpRequest(big.companyId, erp_request_id);
        expect(request.id).toBe(erp_request_id);
        expect(request.company_id).toBe(big.companyId);
        expect(request.request_data.commitment?.id).toBe(contractId);
        expect(request.request_details[0].id).toBe(request_detail_id);

        const contract = await client.getWorkOrderContract(big.companyId, project, contractId);
        expect(contract.vendor?.id).toBe((base + BigInt(SC.vendorProcoreId)).toString());
        const lines = await client.listWorkOrderContractLineItems(big.companyId, project, contractId);
        expect(lines[0].id).toBe((base + BigInt(SC.lines[0].procoreId)).toString());

        const sync = await client.syncExternalData(big.companyId, [
          { item_type: 'line_item', item_id: lines[0].id, origin_id: 'SC1:1' },
        ]);
        expect(sync.entities[0].item_id).toBe(lines[0].id);
        expect(
          (await client.closeRequestDetail(big.companyId, request_detail_id, { status: 'failed', messages: ['x'] })).id,
        ).toBe(request_detail_id);
        const vendors: string[] = [];
        for await (const page of client.listVendors(big.companyId)) vendors.push(...page.map((v) => v.id));
        expect(vendors[0]).toBe((base + BigInt(DEMO_VENDORS[0].procoreId)).toString());
      } finally {
        await big.close();
      }
    });
  });

  describe('webhooks API', () => {
    it('sets up a hook and trigger, then an accept reaches the receiver and the request can be fetched', async () => {
      const receiver = await startWebhookReceiver();
      try {
        const client = clientFor(sim);
        const hook = await client.createHook(sim.companyId, {
          namespace: 'acumatica-connector',
          destinationUrl: 'http://127.0.0.1:1/unreachable',
          destinationHeaders: { Authorization: 'Bearer per-company-token' },
          apiVersion: 'v2',
        });
        const updated = await client.updateHook(sim.companyId, hook.id, { destinationUrl: receiver.url });
        expect(updated.destination_url).toBe(receiver.url);
        expect(await client.listHooks(sim.companyId, 'acumatica-connector')).toEqual([updated]);
        expect(await client.listHooks(sim.companyId, 'someone-else')).toEqual([]);

        const trigger = await client.createTrigger(sim.companyId, hook.id, {
          resourceName: 'ERP Requests',
          eventType: 'create',
        });
        expect(await client.listTriggers(sim.companyId, hook.id)).toEqual([trigger]);
        expect(trigger).toMatchObject({
          webhook_hook_id: hook.id,
          resource_name: 'ERP Requests',
          event_type: 'create',
        });

        const { erp_request_id } = await acceptContract(sim, SC.procoreId);
        const [delivery] = await receiver.waitFor(1);
        expect(delivery.headers.authorization).toBe('Bearer per-company-token');
        const event = JSON.parse(delivery.body) as { resource_id: number };
        const request = await client.getErpRequest(sim.companyId, String(event.resource_id));
        expect(request.id).toBe(erp_request_id);
        await sim.webhooks.idle();
        expect((await client.listDeliveries(sim.companyId, hook.id))[0]).toMatchObject({
          outcome: 'ok',
          response_status: 200,
        });

        await client.deleteTrigger(sim.companyId, hook.id, trigger.id);
        await client.deleteHook(sim.companyId, hook.id);
        expect(await client.listHooks(sim.companyId, 'acumatica-connector')).toEqual([]);
      } finally {
        await receiver.close();
      }
    });
  });

  describe('fault injection', () => {
    const sync = (client: ProcoreClient) =>
      client.syncExternalData(sim.companyId, [
        { item_type: 'work_order_contract', item_id: SC.procoreId, origin_id: 'SC77' },
      ]);
    const fault = (rule: Record<string, unknown>) => sim.admin('POST', '/__admin/faults', rule);

    it('connection reset -> TransientUpstreamError, then the next call works', async () => {
      const client = clientFor(sim);
      await fault({ method: 'GET', path: '/rest/v1.0/projects/*', kind: 'reset' });
      const err = await client.getProject(sim.companyId, PROJECT).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientUpstreamError);
      expect((err as Error).message).toContain(`GET /rest/v1.0/projects/${PROJECT}`);
      await expect(client.getProject(sim.companyId, PROJECT)).resolves.toMatchObject({ id: PROJECT });
    });

    it('commit_then_drop -> TransientUpstreamError although the change was applied; the retry is idempotent', async () => {
      const client = clientFor(sim);
      await fault({ method: 'PATCH', path: '/rest/v1.0/companies/*/external_data/sync', kind: 'commit_then_drop' });
      await expect(sync(client)).rejects.toBeInstanceOf(TransientUpstreamError);
      expect(sim.store.workOrderContract(sim.companyId, SC.procoreId)?.origin_id).toBe('SC77');
      const retried = await sync(client);
      expect(retried.errors).toEqual([]);
      expect(sim.store.state.externalData).toHaveLength(1);
    });

    it('error 503 -> TransientUpstreamError; error 422 -> ValidationError', async () => {
      const client = clientFor(sim);
      await fault({ path: '/rest/v1.0/vendors/*', kind: 'error', status: 503 });
      await expect(client.getVendor(sim.companyId, DEMO_VENDORS[0].procoreId)).rejects.toBeInstanceOf(
        TransientUpstreamError,
      );
      await fault({ path: '/rest/v1.0/vendors/*', kind: 'error', status: 422 });
      await expect(client.getVendor(sim.companyId, DEMO_VENDORS[0].procoreId)).rejects.toBeInstanceOf(ValidationError);
    });

    it('503 with Retry-After -> TransientUpstreamError whose wait becomes the next retry delay', async () => {
      const client = clientFor(sim);
      await fault({ path: '/rest/v1.0/projects/*', kind: 'error', status: 503, retryAfterSeconds: 30 });
      const err = (await client.getProject(sim.companyId, PROJECT).catch((e: unknown) => e)) as TransientUpstreamError;
      expect(err).toBeInstanceOf(TransientUpstreamError);
      expect(err.retryAfterMs).toBe(30_000);
      const failure = toApplicationFailure(err) as ApplicationFailure;
      expect(failure.nextRetryDelay).toBe(30_000);
      expect(failure.nonRetryable).toBe(false);

      // Without Retry-After the retry policy's own back-off applies (X-Rate-Limit-Reset is not a 503's wait).
      await fault({ path: '/rest/v1.0/projects/*', kind: 'error', status: 503 });
      const plain = (await client
        .getProject(sim.companyId, PROJECT)
        .catch((e: unknown) => e)) as TransientUpstreamError;
      expect(plain).toBeInstanceOf(TransientUpstreamError);
      expect(plain.retryAfterMs).toBeUndefined();
      expect((toApplicationFailure(plain) as ApplicationFailure).nextRetryDelay).toBeUndefined();
    });

    it('rate_limit -> RateLimitError waiting Retry-After, else until X-Rate-Limit-Reset', async () => {
      const client = clientFor(sim);
      await fault({ path: '/rest/v1.0/projects/*', kind: 'rate_limit', retryAfterSeconds: 7 });
      const err = await client.getProject(sim.companyId, PROJECT).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitError);
      expect((err as RateLimitError).retryAfterMs).toBe(7000);

      await fault({ path: '/rest/v1.0/projects/*', kind: 'rate_limit' });
      const err2 = (await client.getProject(sim.companyId, PROJECT).catch((e: unknown) => e)) as RateLimitError;
      expect(err2).toBeInstanceOf(RateLimitError);
      // The headers describe the window closest to running out: the 10-second spike window here.
      expect(err2.retryAfterMs).toBeGreaterThan(0);
      expect(err2.retryAfterMs).toBeLessThanOrEqual(11_000); // reset is whole seconds, rounded up
    });

    it('a hanging answer -> TransientUpstreamError after the client timeout', async () => {
      const client = clientFor(sim, { timeoutMs: 200 });
      await fault({ path: '/rest/v1.0/projects/*', kind: 'timeout', latencyMs: 2000 });
      const err = await client.getProject(sim.companyId, PROJECT).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransientUpstreamError);
      expect((err as Error).message).toContain('timed out after 200 ms');
    });
  });
});
