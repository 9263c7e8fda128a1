/**
 * ProcoreClient against the simulator over HTTP, beyond the walking skeleton: the typed resource calls the
 * export/import flows use, pagination across many pages, both rate-limit windows and pacing, the
 * authorization-code flow with single-use refresh tokens under concurrency, and every fault kind.
 */
import { AuthError, RateLimitError, TransientUpstreamError } from '../../lib/errors';
import { ProcoreClient, type ProcoreClientOptions } from '../../clients/procore/client';
import {
  DEMO_BUDGET,
  DEMO_BUDGET_CHANGES,
  DEMO_COMMITMENT_CHANGE_ORDERS,
  DEMO_COST_TYPES,
  DEMO_ERP_COST_CODE_LIST,
  DEMO_PRIME_CHANGE_ORDERS,
  DEMO_PRIME_CONTRACT,
  DEMO_PROJECT,
  DEMO_PROJECT_COST_CODES,
  DEMO_PURCHASE_ORDERS,
  DEMO_REQUISITIONS,
  DEMO_SUB_JOBS,
  DEMO_SUBCONTRACTS,
  DEMO_VENDORS,
} from 'simulator-common';
import { startProcoreSimulator, type RunningProcoreSimulator } from 'procore-simulator/src/testing';

const P = DEMO_PROJECT.procoreId;
const SC = DEMO_SUBCONTRACTS[0];
const PO = DEMO_PURCHASE_ORDERS[0];

function clientFor(sim: RunningProcoreSimulator, extra: Partial<ProcoreClientOptions> = {}) {
  return new ProcoreClient({ baseUrl: sim.url, ...sim.credentials, ...extra });
}

describe('ProcoreClient resources', () => {
  let sim: RunningProcoreSimulator;
  let client: ProcoreClient;
  beforeAll(async () => {
    sim = await startProcoreSimulator();
    client = clientFor(sim);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('reads a purchase order and its unit-priced lines', async () => {
    const po = await client.getPurchaseOrderContract(sim.companyId, P, PO.procoreId);
    expect(po).toMatchObject({
      id: PO.procoreId,
      number: PO.number,
      grand_total: '63009.00',
      vendor: { id: PO.vendorProcoreId, name: 'Rocky Mountain Lumber Supply' },
      delivery_date: PO.deliveryDate,
      accounting_method: 'unit',
    });
    const lines = await client.listPurchaseOrderContractLineItems(sim.companyId, P, PO.procoreId);
    expect(lines.map((l) => [l.id, l.quantity, l.unit_cost, l.amount, l.uom, l.line_item_type?.code])).toEqual(
      PO.lines.map((l) => [l.procoreId, l.quantity, l.unitCost, l.amount, l.uom, 'M']),
    );
  });

  it('reads a commitment change order and the commitment lines its lines change', async () => {
    const co = DEMO_COMMITMENT_CHANGE_ORDERS[0];
    expect(await client.getCommitmentChangeOrder(sim.companyId, P, co.procoreId)).toMatchObject({
      id: co.procoreId,
      number: co.number,
      title: co.title,
      status: 'approved',
      contract_id: SC.procoreId,
      grand_total: '17185.50',
    });
    const lines = await client.listCommitmentChangeOrderLineItems(sim.companyId, P, co.procoreId);
    expect(
      lines.map((l) => [l.amount, l.cost_code?.full_code, l.line_item_type?.code, l.contract_line_item_id]),
    ).toEqual(co.lines.map((l) => [l.amount, l.costCode, 'S', l.changesLineProcoreId]));
    expect(await client.listCommitmentChangeOrders(sim.companyId, P, { contractId: SC.procoreId })).toHaveLength(1);
    expect(await client.listCommitmentChangeOrders(sim.companyId, P, { contractId: PO.procoreId })).toHaveLength(0);
  });

  it('reads sub jobs, project cost codes, cost types and the ERP standard cost code list', async () => {
    expect((await client.listSubJobs(sim.companyId, P)).map((s) => [s.id, s.code])).toEqual(
      DEMO_SUB_JOBS.map((s) => [s.procoreId, s.code]),
    );
    const codes = await client.listProjectCostCodes(sim.companyId, P);
    expect(codes.map((c) => [c.id, c.full_code, c.standard_cost_code_id])).toEqual(
      DEMO_PROJECT_COST_CODES.map((c) => [c.procoreId, c.code, c.standardCostCodeProcoreId]),
    );
    expect(codes[0].line_item_types?.map((t) => t.code)).toEqual(DEMO_COST_TYPES.map((t) => t.code));
    expect((await client.listLineItemTypes(sim.companyId)).map((t) => t.code)).toEqual(
      DEMO_COST_TYPES.map((t) => t.code),
    );
    const list = await client.getErpStandardCostCodeList(sim.companyId);
    expect(list).toMatchObject({ id: DEMO_ERP_COST_CODE_LIST.procoreId, is_erp_list: true });
    expect(await client.listStandardCostCodes(sim.companyId, list.id)).toHaveLength(
      DEMO_ERP_COST_CODE_LIST.codes.length,
    );
  });

  it('syncs standard cost codes and cost types by origin_id, then filters by it', async () => {
    const list = await client.getErpStandardCostCodeList(sim.companyId);
    const synced = await client.syncStandardCostCodes(sim.companyId, list.id, [
      { origin_id: 'ACU-31-100', code: '31-100', name: 'Site Clearing' },
    ]);
    expect(synced.entities[0]).toMatchObject({ code: '31-100', standard_cost_code_list_id: list.id });
    expect(await client.listStandardCostCodes(sim.companyId, list.id, { originId: 'ACU-31-100' })).toEqual(
      synced.entities,
    );
    const types = await client.syncLineItemTypes(sim.companyId, [
      { id: DEMO_COST_TYPES[1].procoreId, origin_id: 'MATERIAL' },
      { origin_id: 'SUBCONTR-2', code: 'S2', name: 'Subcontract (union)', base_type: 'commitment' },
    ]);
    expect(types.entities.map((t) => t.origin_id)).toEqual(['MATERIAL', 'SUBCONTR-2']);
  });

  it('syncs direct costs with their lines, and reads them back', async () => {
    const update = {
      origin_id: 'AP-BILL-000731',
      direct_cost_type: 'Invoice',
      invoice_number: 'RML-55120',
      direct_cost_date: '2024-05-10',
      vendor_id: DEMO_VENDORS[5].procoreId,
      line_items: [
        {
          origin_id: 'AP-BILL-000731:1',
          cost_code_id: DEMO_PROJECT_COST_CODES[6].procoreId,
          line_item_type_id: DEMO_COST_TYPES[1].procoreId,
          description: 'Blocking lumber',
          amount: '1840.25',
        },
      ],
    };
    const first = await client.syncDirectCosts(sim.companyId, P, [update]);
    const again = await client.syncDirectCosts(sim.companyId, P, [update]);
    expect(again.entities[0].id).toBe(first.entities[0].id);
    expect(first.entities[0]).toMatchObject({ grand_total: '1840.25', vendor_name: 'Rocky Mountain Lumber Supply' });
    const costs = await client.listDirectCosts(sim.companyId, P, { originId: 'AP-BILL-000731' });
    expect(costs.map((c) => c.id)).toEqual([first.entities[0].id]);
    const lines = await client.listDirectCostLineItems(sim.companyId, P, first.entities[0].id);
    expect(lines).toEqual([
      expect.objectContaining({
        amount: '1840.25',
        origin_id: 'AP-BILL-000731:1',
        cost_code: expect.objectContaining({ full_code: '06-100' }),
      }),
    ]);
    expect(await client.listDirectCosts(sim.companyId, P, { updatedSince: '2999-01-01T00:00:00Z' })).toEqual([]);
  });

  it('reads a subcontractor invoice with its items, and records payments', async () => {
    const r = DEMO_REQUISITIONS[0];
    expect(await client.getRequisition(sim.companyId, P, r.procoreId)).toMatchObject({
      commitment_id: SC.procoreId,
      invoice_number: r.invoiceNumber,
      total_claimed_amount: '122437.50',
      summary: { total_retainage: '12243.75', current_payment_due: '110193.75' },
    });
    const items = await client.listRequisitionItems(sim.companyId, P, r.procoreId);
    expect(
      items.map((i) => [
        i.line_item_id,
        i.cost_code_id,
        i.work_completed_this_period,
        i.work_completed_retainage_retained_this_period,
      ]),
    ).toEqual(
      r.items.map((i) => [
        i.commitmentLineProcoreId,
        DEMO_PROJECT_COST_CODES.find((c) => c.code === i.costCode)!.procoreId,
        i.workCompletedThisPeriod,
        i.retainageThisPeriod,
      ]),
    );
    const payment = await client.createContractPayment(sim.companyId, P, {
      contract_id: SC.procoreId,
      requisition_id: r.procoreId,
      amount: '110193.75',
      date: '2024-05-30',
      check_number: '10442',
      origin_id: 'CHK-10442',
    });
    expect(payment).toMatchObject({ amount: '110193.75', contract_id: SC.procoreId, requisition_id: r.procoreId });
    expect((await client.listContractPayments(sim.companyId, P, SC.procoreId)).map((p) => p.id)).toEqual([payment.id]);
    expect(await client.listContractPayments(sim.companyId, P, PO.procoreId)).toEqual([]);
    expect(await client.findContractPaymentByOriginId(sim.companyId, P, SC.procoreId, 'CHK-404')).toBeUndefined();
  });

  it('reads the prime contract, prime change order and budget change with their lines', async () => {
    const pc = await client.getPrimeContract(sim.companyId, P, DEMO_PRIME_CONTRACT.procoreId);
    expect(pc).toMatchObject({
      number: DEMO_PRIME_CONTRACT.number,
      grand_total: '4083400.00',
      approved_change_orders: '42950.00',
    });
    expect((await client.listPrimeContractLineItems(sim.companyId, P, pc.id)).map((l) => l.amount)).toEqual(
      DEMO_PRIME_CONTRACT.lines.map((l) => l.amount),
    );
    const pco = DEMO_PRIME_CHANGE_ORDERS[0];
    expect(await client.getPrimeChangeOrder(sim.companyId, P, pco.procoreId)).toMatchObject({
      grand_total: '42950.00',
      contract_id: pc.id,
    });
    expect((await client.listPrimeChangeOrderLineItems(sim.companyId, P, pco.procoreId)).map((l) => l.amount)).toEqual(
      pco.lines.map((l) => l.amount),
    );
    const bc = await client.getBudgetChange(sim.companyId, P, DEMO_BUDGET_CHANGES[0].procoreId);
    expect(bc).toMatchObject({
      title: DEMO_BUDGET_CHANGES[0].title,
      amount: '37300.00',
      prime_contract: { id: pc.id },
    });
    expect(bc.adjustment_line_items?.map((l) => [l.subJobCode, l.costCode, l.costTypeCode, l.amount])).toEqual(
      DEMO_BUDGET_CHANGES[0].lines.map((l) => [l.subJobCode, l.costCode, l.costTypeCode, l.amount]),
    );
    const [view] = await client.listBudgetViews(sim.companyId, P);
    const rows = await client.listBudgetDetailRows(sim.companyId, P, view.id);
    expect(rows.map((r) => r.original_budget_amount)).toEqual(DEMO_BUDGET.lines.map((l) => l.amount));
    const steel = await client.getBudgetLineItem(sim.companyId, P, DEMO_BUDGET.lines[2].procoreId);
    expect(steel).toMatchObject({ original_budget_amount: '361250.00', committed_costs: '361250.00' });
  });
});

describe('ProcoreClient under load and failure', () => {
  it('pages lazily across many pages of a small-size seed', async () => {
    const sim = await startProcoreSimulator({ seed: { size: 'small', seed: 7 } });
    try {
      const client = clientFor(sim, { perPage: 10 });
      let pages = 0;
      const ids = new Set<string>();
      for await (const page of client.listVendors(sim.companyId)) {
        pages++;
        page.forEach((v) => ids.add(v.id));
      }
      const total = sim.store.state.vendors.filter((v) => v.company_id === sim.companyId).length;
      expect(total).toBe(DEMO_VENDORS.length + 200);
      expect(ids.size).toBe(total);
      expect(pages).toBe(Math.ceil(total / 10));
    } finally {
      await sim.close();
    }
  });

  it('paces itself inside the spike window: sequential and concurrent bursts cause no 429', async () => {
    const sim = await startProcoreSimulator({ rateLimit: { spikeLimit: 4, spikeWindowSeconds: 1 } });
    try {
      const client = clientFor(sim);
      const started = Date.now();
      for (let i = 0; i < 6; i++) await client.getProject(sim.companyId, P);
      await Promise.all(Array.from({ length: 8 }, () => client.getVendor(sim.companyId, DEMO_VENDORS[0].procoreId)));
      expect(sim.rateLimiter.rejected).toBe(0);
      // 14 calls at 4 per second need at least three window resets.
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(client.rateLimit).toMatchObject({ limit: 4 });
    } finally {
      await sim.close();
    }
  });

  it('stops before the hourly limit with the delay to hand to Temporal, and goes on after the reset', async () => {
    const sim = await startProcoreSimulator({ rateLimit: { limitPerHour: 3 } });
    try {
      const client = clientFor(sim, { now: () => sim.clock.now() });
      for (let i = 0; i < 3; i++) await client.getProject(sim.companyId, P);
      const err = (await client.getProject(sim.companyId, P).catch((e: unknown) => e)) as RateLimitError;
      expect(err).toBeInstanceOf(RateLimitError);
      expect(err.retryAfterMs).toBeGreaterThan(3_500_000);
      expect(sim.rateLimiter.usage(sim.credentials.clientId)?.hour).toBe(3); // the 4th call was never sent
      expect(sim.rateLimiter.rejected).toBe(0);
      sim.clock.advance(err.retryAfterMs);
      await expect(client.getProject(sim.companyId, P)).resolves.toMatchObject({ id: P });
    } finally {
      await sim.close();
    }
  });

  it('turns a real 429 into RateLimitError with Retry-After, counts failed calls, and recovers after the wait', async () => {
    const sim = await startProcoreSimulator({ rateLimit: { spikeLimit: 2, spikeWindowSeconds: 1 } });
    try {
      // Two workers with the same app share Procore's counters but not their pacing state.
      const a = clientFor(sim);
      const b = clientFor(sim);
      await a.getProject(sim.companyId, P);
      await a.getProject(sim.companyId, P);
      const err = (await b.getProject(sim.companyId, P).catch((e: unknown) => e)) as RateLimitError;
      expect(err).toBeInstanceOf(RateLimitError);
      expect(err.message).toContain(`GET /rest/v1.0/projects/${P} -> HTTP 429`);
      expect(err.retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect(sim.rateLimiter.rejected).toBe(1);
      await new Promise((r) => setTimeout(r, err.retryAfterMs));
      await expect(b.getProject(sim.companyId, P)).resolves.toMatchObject({ id: P });
    } finally {
      await sim.close();
    }
  });

  it('authorization code: one refresh for many concurrent calls, new refresh token persisted, old one dead', async () => {
    const sim = await startProcoreSimulator();
    try {
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: sim.credentials.clientId,
        redirect_uri: 'http://127.0.0.1/callback',
      });
      const redirect = await fetch(`${sim.url}/oauth/authorize?${q}`, { redirect: 'manual' });
      const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
      const saved: string[] = [];
      let now = Date.now();
      const client = clientFor(sim, { now: () => now, onTokens: (t) => void saved.push(t.refreshToken) });
      await client.exchangeAuthorizationCode(code, 'http://127.0.0.1/callback');
      expect(saved).toHaveLength(1);
      await expect(client.exchangeAuthorizationCode(code, 'http://127.0.0.1/callback')).rejects.toBeInstanceOf(
        AuthError,
      );

      now += 5400 * 1000; // the access token has expired
      sim.clock.advance(5400 * 1000);
      const results = await Promise.all(Array.from({ length: 12 }, () => client.getProject(sim.companyId, P)));
      expect(results.every((r) => r.id === P)).toBe(true);
      expect(saved).toHaveLength(2);
      expect(saved[1]).not.toBe(saved[0]);

      const reuse = await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'refresh_token',
          refresh_token: saved[0],
          client_id: sim.credentials.clientId,
          client_secret: sim.credentials.clientSecret,
        }),
      });
      expect(reuse.status).toBe(400);
      expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });

      // Revoked: the call gets 401, the refresh is refused, and the error is permanent and secret-free.
      await fetch(`${sim.url}/oauth/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          token: saved[1],
          client_id: sim.credentials.clientId,
          client_secret: sim.credentials.clientSecret,
        }),
      });
      const err = (await client.getProject(sim.companyId, P).catch((e: unknown) => e)) as AuthError;
      expect(err).toBeInstanceOf(AuthError);
      expect(err.retryable).toBe(false);
      expect(err.message).toContain('invalid_grant');
      for (const secret of [...saved, sim.credentials.clientSecret]) expect(err.message).not.toContain(secret);
    } finally {
      await sim.close();
    }
  });

  describe('fault kinds', () => {
    let sim: RunningProcoreSimulator;
    beforeEach(async () => {
      sim = await startProcoreSimulator();
    });
    afterEach(async () => {
      await sim.close();
    });
    const fault = (rule: Record<string, unknown>) => sim.admin('POST', '/__admin/faults', rule);

    it('latency with jitter: the call succeeds, late', async () => {
      const client = clientFor(sim);
      await client.getProject(sim.companyId, P); // token first
      await fault({ path: '/rest/v1.0/projects/*', kind: 'latency', latencyMs: 300, jitterMs: 100 });
      const started = Date.now();
      await expect(client.getProject(sim.companyId, P)).resolves.toMatchObject({ id: P });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('a 429 burst: RateLimitError each time with Retry-After, then success', async () => {
      const client = clientFor(sim);
      await fault({ path: '/rest/v1.0/sub_jobs', kind: 'rate_limit', times: 3, retryAfterSeconds: 2 });
      for (let i = 0; i < 3; i++) {
        const err = (await client.listSubJobs(sim.companyId, P).catch((e: unknown) => e)) as RateLimitError;
        expect(err).toBeInstanceOf(RateLimitError);
        expect(err.retryAfterMs).toBe(2000);
      }
      await expect(client.listSubJobs(sim.companyId, P)).resolves.toHaveLength(DEMO_SUB_JOBS.length);
    });

    it.each([500, 502, 503, 504])('HTTP %i -> retryable TransientUpstreamError', async (status) => {
      await fault({ path: '/rest/v1.0/line_item_types', kind: 'error', status });
      const err = (await clientFor(sim)
        .listLineItemTypes(sim.companyId)
        .catch((e: unknown) => e)) as TransientUpstreamError;
      expect(err).toBeInstanceOf(TransientUpstreamError);
      expect(err.retryable).toBe(true);
      expect(err.message).toContain(`GET /rest/v1.0/line_item_types -> HTTP ${status}`);
    });

    it('commit_then_drop on a payment create: Transient, yet applied; find-by-origin_id picks it up', async () => {
      const client = clientFor(sim);
      await fault({ method: 'POST', path: '/rest/v1.0/contract_payments', kind: 'commit_then_drop' });
      const payment = { contract_id: SC.procoreId, amount: '5000.00', origin_id: 'CHK-DROP-1' };
      await expect(client.createContractPayment(sim.companyId, P, payment)).rejects.toBeInstanceOf(
        TransientUpstreamError,
      );
      const found = await client.findContractPaymentByOriginId(sim.companyId, P, SC.procoreId, 'CHK-DROP-1');
      expect(found).toMatchObject({ amount: '5000.00' });
      expect(sim.store.state.contractPayments).toHaveLength(1);
    });

    it('connection reset and timeout -> TransientUpstreamError naming the request, never the token', async () => {
      const client = clientFor(sim, { timeoutMs: 200 });
      await fault({ path: '/rest/v1.0/cost_codes', kind: 'reset' });
      const reset = (await client.listProjectCostCodes(sim.companyId, P).catch((e: unknown) => e)) as Error;
      expect(reset).toBeInstanceOf(TransientUpstreamError);
      await fault({ path: '/rest/v1.0/cost_codes', kind: 'timeout', latencyMs: 1000 });
      const timeout = (await client.listProjectCostCodes(sim.companyId, P).catch((e: unknown) => e)) as Error;
      expect(timeout).toBeInstanceOf(TransientUpstreamError);
      expect(timeout.message).toMatch(/GET \/rest\/v1.0\/cost_codes failed: timed out/);
      for (const token of sim.store.tokens.keys()) {
        expect(reset.message).not.toContain(token);
        expect(timeout.message).not.toContain(token);
      }
    });
  });
});
