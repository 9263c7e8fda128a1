/**
 * The ERP Integrations tool over HTTP: accepting every exportable item type, "Send to ERP" with and without
 * accounting approval, reject / retrieve, Refresh buttons, staged-record import with origin-id translation,
 * unlinking, origin_id locking and the /sync matching rules.
 */
import { LosslessNumber, parse } from 'lossless-json';
import { ConflictError, ValidationError } from '../../lib/errors';
import { ProcoreClient } from '../../clients/procore/client';
import {
  DEMO_BUDGET,
  DEMO_BUDGET_CHANGES,
  DEMO_COMMITMENT_CHANGE_ORDERS,
  DEMO_PRIME_CHANGE_ORDERS,
  DEMO_PRIME_CONTRACT,
  DEMO_PROJECT,
  DEMO_PURCHASE_ORDERS,
  DEMO_REQUISITIONS,
  DEMO_SUBCONTRACTS,
  DEMO_VENDORS,
} from 'simulator-common';
import {
  startProcoreSimulator,
  startWebhookReceiver,
  type RunningProcoreSimulator,
  type WebhookReceiver,
} from 'procore-simulator/src/testing';

const P = DEMO_PROJECT.procoreId;
const SC = DEMO_SUBCONTRACTS[0];
const PO = DEMO_PURCHASE_ORDERS[0];

describe('Procore ERP Integrations tool', () => {
  let sim: RunningProcoreSimulator;
  let client: ProcoreClient;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    sim = await startProcoreSimulator({ webhookTimeCompression: 1000 });
    client = new ProcoreClient({ baseUrl: sim.url, ...sim.credentials });
    receiver = await startWebhookReceiver();
    const hook = await client.createHook(sim.companyId, {
      namespace: 'erp',
      destinationUrl: receiver.url,
      destinationHeaders: {},
      apiVersion: 'v2',
    });
    await client.createTrigger(sim.companyId, hook.id, { resourceName: 'ERP Requests', eventType: 'create' });
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  const admin = <T = Record<string, string>>(path: string, body: Record<string, unknown>) =>
    sim.admin<T>('POST', path, { company_id: sim.companyId, ...body });

  it.each([
    ['work_order_contract', SC.procoreId, 'create_commitment', 'commitment'],
    ['purchase_order_contract', PO.procoreId, 'create_commitment', 'commitment'],
    [
      'commitment_change_order',
      DEMO_COMMITMENT_CHANGE_ORDERS[0].procoreId,
      'create_commitment_change_order',
      'commitment_change_order',
    ],
    ['vendor', DEMO_VENDORS[6].procoreId, 'create_vendor', 'vendor'],
    ['project', P, 'create_or_update_job', 'job'],
    ['budget', DEMO_BUDGET.procoreId, 'create_budget', 'job_costs'],
    ['prime_contract', DEMO_PRIME_CONTRACT.procoreId, 'create_prime_contract', 'prime_contract'],
    [
      'prime_change_order',
      DEMO_PRIME_CHANGE_ORDERS[0].procoreId,
      'create_prime_contract_change_order',
      'change_order_items',
    ],
    ['requisition', DEMO_REQUISITIONS[0].procoreId, 'create_requisitions', 'requisitions'],
  ])('accepting a %s raises %s with its data and request detail', async (itemType, itemId, requestName, key) => {
    const accepted = await admin('/__admin/erp/accept', { item_type: itemType, item_id: itemId });
    const [delivery] = await receiver.waitFor(1);
    expect((JSON.parse(delivery.body) as { resource_id: number }).resource_id).toBe(Number(accepted.erp_request_id));
    const request = await client.getErpRequest(sim.companyId, accepted.erp_request_id);
    expect(request.request_name).toBe(requestName);
    expect(request.request_details).toEqual([
      expect.objectContaining({
        id: accepted.request_detail_id,
        item_type: itemType,
        item_id: itemId,
        status: 'in_progress',
      }),
    ]);
    expect(request.request_data[key]).toBeTruthy();
    if (itemType !== 'vendor') expect(request.request_data.job_id).toBe(P);
  });

  it('carries the commitment type, PO lines and the CCO lines with the commitment line they change', async () => {
    const po = await admin('/__admin/erp/accept', { item_type: 'purchase_order_contract', item_id: PO.procoreId });
    const poRequest = await client.getErpRequest(sim.companyId, po.erp_request_id);
    expect(poRequest.request_data.commitment).toMatchObject({ type: 'PurchaseOrderContract', grand_total: '63009.00' });
    expect(poRequest.request_data.commitment_items?.map((l) => [l.quantity, l.unit_cost, l.amount])).toEqual(
      PO.lines.map((l) => [l.quantity, l.unitCost, l.amount]),
    );
    const cco = await admin('/__admin/erp/accept', {
      item_type: 'commitment_change_order',
      item_id: DEMO_COMMITMENT_CHANGE_ORDERS[0].procoreId,
    });
    const data = (await client.getErpRequest(sim.companyId, cco.erp_request_id)).request_data as {
      commitment_change_order: { contract_id: string; grand_total: string };
      change_order_items: Array<{ contract_line_item_id: string; amount: string }>;
    };
    expect(data.commitment_change_order).toMatchObject({ contract_id: SC.procoreId, grand_total: '17185.50' });
    expect(data.change_order_items.map((l) => [l.contract_line_item_id, l.amount])).toEqual(
      DEMO_COMMITMENT_CHANGE_ORDERS[0].lines.map((l) => [l.changesLineProcoreId, l.amount]),
    );
  });

  it('a budget change goes as update_budget of its synced budget, with one transaction per line', async () => {
    const change = DEMO_BUDGET_CHANGES[0];
    await expect(
      admin('/__admin/erp/accept', { item_type: 'budget_change', item_id: change.procoreId }),
    ).rejects.toThrow(/422.*Send the budget to ERP first/);
    const budget = await admin('/__admin/erp/accept', { item_type: 'budget', item_id: DEMO_BUDGET.procoreId });
    const created = (await client.getErpRequest(sim.companyId, budget.erp_request_id)).request_data as {
      transactions: Array<{ id: string; type: string; budget_line_item_id: string }>;
    };
    expect(created.transactions.map((t) => [t.type, t.budget_line_item_id])).toEqual(
      DEMO_BUDGET.lines.map((l) => ['Erp::OriginalEstimateTransaction', l.procoreId]),
    );
    await client.syncExternalData(sim.companyId, [
      { item_type: 'budget', item_id: DEMO_BUDGET.procoreId, origin_id: 'RMOB24017:cost-budget' },
    ]);

    const accepted = await admin('/__admin/erp/accept', { item_type: 'budget_change', item_id: change.procoreId });
    const request = await client.getErpRequest(sim.companyId, accepted.erp_request_id);
    expect(request.request_name).toBe('update_budget');
    expect(request.request_details).toEqual([
      expect.objectContaining({ item_type: 'budget_change', item_id: change.procoreId }),
    ]);
    const data = request.request_data as {
      budget: { origin_id: string };
      transactions: Array<Record<string, unknown> & { id: string; type: string }>;
    };
    expect(data.budget.origin_id).toBe('RMOB24017:cost-budget');
    const lines = data.transactions.filter((t) => t.type === 'Erp::BudgetChangeTransaction');
    expect(lines).toEqual(
      change.lines.map((l) =>
        expect.objectContaining({
          budget_change_id: change.procoreId,
          budget_change_number: String(change.number),
          budget_change_line_item_id: l.procoreId,
          sub_job_code: l.subJobCode,
          cost_code: expect.objectContaining({ full_code: l.costCode }),
          line_item_type: expect.objectContaining({ code: l.costTypeCode }),
          amount: l.amount,
          origin_id: null,
          synced: false,
        }),
      ),
    );
    // The original estimates keep their transaction ids from create_budget.
    expect(data.transactions.filter((t) => t.type === 'Erp::OriginalEstimateTransaction').map((t) => t.id)).toEqual(
      created.transactions.map((t) => t.id),
    );

    const synced = await client.syncErpTransactions(sim.companyId, P, [
      { id: lines[0].id, origin_id: 'CO000009:03:SUBCONTR:03-300' },
      { id: lines[1].id, origin_id: 'CO000009:03:SUBCONTR:26-050' },
      { id: '1', origin_id: 'x' },
    ]);
    expect(synced.entities.map((e) => e.origin_id)).toEqual([
      'CO000009:03:SUBCONTR:03-300',
      'CO000009:03:SUBCONTR:26-050',
    ]);
    expect(synced.errors).toHaveLength(1);
    expect((await client.getBudgetChange(sim.companyId, P, change.procoreId)).erp_status).toBe('synced');
  });

  it('refuses unknown item types and items of another company', async () => {
    await expect(admin('/__admin/erp/accept', { item_type: 'rfi', item_id: '1' })).rejects.toThrow(/422/);
    await expect(admin('/__admin/erp/accept', { item_type: 'vendor', item_id: '41001' })).rejects.toThrow(/404/);
  });

  it('Send to ERP waits for approval; reject and retrieve send it back; skip-approval exports at once', async () => {
    const item = { item_type: 'work_order_contract', item_id: SC.procoreId };
    const sent = await admin<{ status: string; erp_request_id: string | null }>('/__admin/erp/send', item);
    expect(sent).toMatchObject({ status: 'pending', erp_request_id: null });
    await expect(admin('/__admin/erp/send', item)).rejects.toThrow(/409/);
    expect(await admin('/__admin/erp/reject', item)).toMatchObject({ status: 'rejected' });
    await expect(admin('/__admin/erp/reject', item)).rejects.toThrow(/409/);
    await admin('/__admin/erp/send', item);
    expect(await admin('/__admin/erp/retrieve', item)).toMatchObject({ status: 'retrieved' });
    expect(sim.store.state.erpRequests).toHaveLength(0);

    await admin('/__admin/erp/send', item);
    const accepted = await admin('/__admin/erp/accept', item);
    const submissions = await sim.admin<Array<{ status: string; erp_request_id: string }>>(
      'GET',
      `/__admin/erp/submissions?company_id=${sim.companyId}`,
    );
    expect(submissions.map((s) => s.status)).toEqual(['rejected', 'retrieved', 'accepted']);
    expect(submissions[2].erp_request_id).toBe(accepted.erp_request_id);

    await admin('/__admin/erp/settings', { skip_accounting_approval: true });
    const direct = await admin<{ status: string; erp_request_id: string }>('/__admin/erp/send', {
      item_type: 'purchase_order_contract',
      item_id: PO.procoreId,
    });
    expect(direct.status).toBe('accepted');
    expect((await client.getErpRequest(sim.companyId, direct.erp_request_id)).request_name).toBe('create_commitment');
    // Vendors always need an approver.
    expect(await admin('/__admin/erp/send', { item_type: 'vendor', item_id: DEMO_VENDORS[6].procoreId })).toMatchObject(
      {
        status: 'pending',
      },
    );
  });

  it('Refresh buttons raise sync_* requests, with a request detail where the docs say so', async () => {
    const cases: Array<[string, string | undefined, string | null]> = [
      ['sync_vendors', undefined, 'company'],
      ['sync_standard_cost_codes', undefined, 'standard_cost_code_list'],
      ['sync_standard_categories', undefined, null],
      ['sync_jobs', undefined, 'company'],
      ['sync_contract_payments', P, 'project'],
    ];
    for (const [name, projectId, detailType] of cases) {
      const raised = await admin<{ erp_request_id: string; request_detail_id: string | null }>('/__admin/erp/refresh', {
        request_name: name,
        project_id: projectId,
      });
      const request = await client.getErpRequest(sim.companyId, raised.erp_request_id);
      expect(request.request_name).toBe(name);
      expect(request.request_details.map((d) => d.item_type)).toEqual(detailType ? [detailType] : []);
    }
    await receiver.waitFor(cases.length);
    await expect(admin('/__admin/erp/refresh', { request_name: 'sync_contract_payments' })).rejects.toThrow(/422/);
  });

  it('closes request details one by one and in bulk', async () => {
    const a = await admin('/__admin/erp/accept', { item_type: 'vendor', item_id: DEMO_VENDORS[6].procoreId });
    const b = await admin('/__admin/erp/accept', { item_type: 'project', item_id: P });
    const result = await client.closeRequestDetails(sim.companyId, [
      { id: a.request_detail_id, status: 'success', messages: ['Vendor V100999 created'] },
      { id: b.request_detail_id, status: 'failed', messages: ['Project template missing'] },
      { id: '987654321', status: 'success', messages: [] },
    ]);
    expect(result.entities.map((d) => d.status)).toEqual(['success', 'failed']);
    expect(result.errors).toHaveLength(1);
    expect((await client.getErpRequestDetail(sim.companyId, b.request_detail_id)).messages).toEqual([
      'Project template missing',
    ]);
  });

  describe('staged records', () => {
    it('imports a staged subcontract: origin ids translated, lines created, create_commitment_in_procore raised', async () => {
      // The project and vendor must be linked first (their origin_ids are what the staged data refers to).
      await client.syncExternalData(sim.companyId, [
        { item_type: 'project', item_id: P, origin_id: 'RMOB24017' },
        { item_type: 'vendor', item_id: DEMO_VENDORS[0].procoreId, origin_id: 'V100231' },
      ]);
      await client.syncStandardCostCodes(sim.companyId, '9000001', [{ id: '9000103', origin_id: '03-300' }]);
      const staged = await client.syncStagedRecords(sim.companyId, [
        {
          item_type: 'work_order_contract',
          origin_id: 'SC-ACU-0042',
          origin_code: 'SC-0042',
          data: {
            project_origin_id: 'RMOB24017',
            vendor_origin_id: 'V100231',
            number: 'SC-0042',
            title: 'Site concrete',
          },
          children: [
            {
              item_type: 'line_item',
              origin_id: 'SC-ACU-0042:1',
              data: { cost_code_origin_id: '03-300', amount: '12500.00', description: 'Sidewalks' },
            },
          ],
        },
        { item_type: 'sub_job', origin_id: 'RMOB24017-09', data: { code: '09', name: 'Parking' } },
        { item_type: 'rfi', origin_id: 'X', data: {} } as never,
      ]);
      expect(staged.entities.map((s) => s.status)).toEqual(['staged', 'invalid']);
      expect(staged.entities[1].messages).toEqual(['data.project_origin_id is required for project-level records']);
      expect(staged.errors).toHaveLength(1);
      expect(await client.listStagedRecords(sim.companyId, { status: 'staged' })).toHaveLength(1);

      const imported = await admin<{ procore_id: string; erp_request_id: string }>(
        `/__admin/erp/staged_records/${staged.entities[0].id}/import`,
        {},
      );
      const contract = await client.getWorkOrderContract(sim.companyId, P, imported.procore_id);
      expect(contract).toMatchObject({
        origin_id: 'SC-ACU-0042',
        number: 'SC-0042',
        vendor: { id: DEMO_VENDORS[0].procoreId },
      });
      const lines = await client.listWorkOrderContractLineItems(sim.companyId, P, imported.procore_id);
      expect(lines).toEqual([
        expect.objectContaining({
          amount: '12500.00',
          origin_id: 'SC-ACU-0042:1',
          cost_code: expect.objectContaining({ full_code: '03-300' }),
        }),
      ]);
      const request = await client.getErpRequest(sim.companyId, imported.erp_request_id);
      expect(request.request_name).toBe('create_commitment_in_procore');
      expect(request.request_details[0]).toMatchObject({
        item_type: 'work_order_contract',
        item_id: imported.procore_id,
      });
      expect((await client.listStagedRecords(sim.companyId, { itemType: 'work_order_contract' }))[0]).toMatchObject({
        status: 'imported',
        procore_id: imported.procore_id,
      });
      // Imported records cannot be restaged; unlinking puts the staged record back to `staged`.
      const again = await client.syncStagedRecords(sim.companyId, [
        { item_type: 'work_order_contract', origin_id: 'SC-ACU-0042', data: {} },
      ]);
      expect(again.errors).toHaveLength(1);
      const unlinked = await admin('/__admin/erp/unlink', {
        item_type: 'work_order_contract',
        item_id: imported.procore_id,
      });
      expect((await client.getErpRequest(sim.companyId, unlinked.erp_request_id)).request_name).toBe(
        'unlink_commitment',
      );
      expect((await client.getWorkOrderContract(sim.companyId, P, imported.procore_id)).origin_id).toBeNull();
      expect((await client.listStagedRecords(sim.companyId, { itemType: 'work_order_contract' }))[0].status).toBe(
        'staged',
      );
    });

    it('marks a record invalid when a reference matches nothing, and imports vendors as create_vendor_in_procore', async () => {
      const staged = await client.syncStagedRecords(sim.companyId, [
        {
          item_type: 'commitment_change_order',
          origin_id: 'CO-1',
          data: { project_origin_id: 'NOPE', commitment_origin_id: 'NOPE' },
        },
        { item_type: 'vendor', origin_id: 'V200001', data: { name: 'Pinnacle Roofing LLC', city: 'Lakewood' } },
      ]);
      await expect(admin(`/__admin/erp/staged_records/${staged.entities[0].id}/import`, {})).rejects.toThrow(
        /project_origin_id NOPE does not match/,
      );
      expect((await client.listStagedRecords(sim.companyId, { status: 'invalid' }))[0].origin_id).toBe('CO-1');
      const imported = await admin<{ procore_id: string; erp_request_id: string }>(
        `/__admin/erp/staged_records/${staged.entities[1].id}/import`,
        {},
      );
      expect(await client.getVendor(sim.companyId, imported.procore_id)).toMatchObject({
        name: 'Pinnacle Roofing LLC',
        origin_id: 'V200001',
      });
      expect((await client.getErpRequest(sim.companyId, imported.erp_request_id)).request_name).toBe(
        'create_vendor_in_procore',
      );
    });
  });

  describe('sync matching and origin_id locking', () => {
    it('matches by id (error when missing), by origin_id (create, then update), and changes origin_id only with both', async () => {
      const first = await client.syncVendors(sim.companyId, [
        { origin_id: 'V300001', name: 'Alpine Insulation' },
        { id: '123456789', name: 'ghost' },
        { name: 'no keys' },
      ]);
      expect(first.entities).toHaveLength(1);
      expect(first.errors.map((e) => e.errors)).toEqual([
        { id: ['not found'] },
        { base: ['id or origin_id must be present'] },
      ]);
      const created = first.entities[0];

      const second = await client.syncVendors(sim.companyId, [{ origin_id: 'V300001', city: 'Frisco' }]);
      expect(second.entities[0]).toMatchObject({ id: created.id, city: 'Frisco', name: 'Alpine Insulation' });

      const rekey = await client.syncVendors(sim.companyId, [{ id: created.id, origin_id: 'V300001-B' }]);
      expect(rekey.entities[0].origin_id).toBe('V300001-B');
      const taken = await client.syncVendors(sim.companyId, [
        { id: DEMO_VENDORS[1].procoreId, origin_id: 'V300001-B' },
      ]);
      expect(taken.errors[0].errors).toEqual({ origin_id: ['has already been taken'] });

      const pages: string[] = [];
      for await (const page of client.listVendors(sim.companyId, { originId: 'V300001-B' }))
        pages.push(...page.map((v) => v.id));
      expect(pages).toEqual([created.id]);
    });

    it('accepts at most 1,000 updates per sync call; the client batches larger syncs', async () => {
      const updates = Array.from({ length: 1001 }, (_, i) => ({ origin_id: `BULK-${i}`, name: `Bulk vendor ${i}` }));
      const res = await fetch(`${sim.url}/rest/v1.0/vendors/sync`, {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${[...sim.store.tokens.keys()][0]}`,
          'Procore-Company-Id': sim.companyId,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ company_id: sim.companyId, updates }),
      });
      expect(res.status).toBe(422);
      const result = await client.syncVendors(sim.companyId, updates);
      expect(result.entities).toHaveLength(1001);
    });

    it('locks records with an origin_id: edits are 422, origin fields and sync still work', async () => {
      const path = `/rest/v1.0/projects/${P}/direct_costs/9500001`;
      const patch = (body: unknown) =>
        fetch(sim.url + path, {
          method: 'PATCH',
          headers: {
            Authorization: `Bearer ${[...sim.store.tokens.keys()][0]}`,
            'Procore-Company-Id': sim.companyId,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(body),
        });
      expect((await patch({ direct_cost: { terms: 'Net 15' } })).status).toBe(200);
      const synced = await client.syncDirectCosts(sim.companyId, P, [{ id: '9500001', origin_id: 'AP-77' }]);
      expect(synced.entities[0].origin_id).toBe('AP-77');
      const locked = await patch({ direct_cost: { terms: 'Net 45' } });
      expect(locked.status).toBe(422);
      expect(((await locked.json()) as { errors: string }).errors).toMatch(
        /synced with your ERP \(origin_id AP-77\).*terms/,
      );
      expect((await patch({ direct_cost: { origin_data: '{"v":2}' } })).status).toBe(200);
      // Payments with an origin_id cannot be edited or deleted either; a replayed create is a conflict.
      const payment = { contract_id: SC.procoreId, amount: '110193.75', date: '2024-05-30', origin_id: 'CHK-1001' };
      const created = await client.createContractPayment(sim.companyId, P, payment);
      await expect(client.createContractPayment(sim.companyId, P, payment)).rejects.toBeInstanceOf(ConflictError);
      expect(await client.findContractPaymentByOriginId(sim.companyId, P, SC.procoreId, 'CHK-1001')).toMatchObject({
        id: created.id,
      });
      const del = await fetch(
        `${sim.url}/rest/v1.0/contract_payments/${created.id}?project_id=${P}&contract_id=${SC.procoreId}`,
        {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${[...sim.store.tokens.keys()][0]}`, 'Procore-Company-Id': sim.companyId },
        },
      );
      expect(del.status).toBe(422);
      await expect(
        client.createContractPayment(sim.companyId, P, { contract_id: '42', amount: '1.00' }),
      ).rejects.toBeInstanceOf(ValidationError);
    });
  });

  it('keeps ERP request ids and payload ids exact above 2^53', async () => {
    const base = 2n ** 53n + 7n;
    const big = await startProcoreSimulator({ idBase: base });
    try {
      const bigClient = new ProcoreClient({ baseUrl: big.url, ...big.credentials });
      const itemId = (base + BigInt(DEMO_REQUISITIONS[0].procoreId)).toString();
      const accepted = await big.admin<{ erp_request_id: string }>('POST', '/__admin/erp/accept', {
        company_id: big.companyId,
        item_type: 'requisition',
        item_id: itemId,
      });
      const res = await fetch(
        `${big.url}/rest/v1.0/companies/${big.companyId}/erp_requests/${accepted.erp_request_id}`,
        {
          headers: {
            Authorization: `Bearer ${((await (await fetch(`${big.url}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: big.credentials.clientId, client_secret: big.credentials.clientSecret }) })).json()) as { access_token: string }).access_token}`,
            'Procore-Company-Id': big.companyId,
          },
        },
      );
      const body = parse(await res.text(), null, (n) => new LosslessNumber(n)) as {
        request_data: {
          requisitions: Array<{ id: LosslessNumber; items: Array<{ commitment_item_id: LosslessNumber }> }>;
        };
      };
      expect(body.request_data.requisitions[0].id.value).toBe(itemId);
      const request = await bigClient.getErpRequest(big.companyId, accepted.erp_request_id);
      expect(request.request_details[0].item_id).toBe(itemId);
      const requisition = await bigClient.getRequisition(big.companyId, (base + BigInt(P)).toString(), itemId);
      expect(requisition.commitment_id).toBe((base + BigInt(SC.procoreId)).toString());
    } finally {
      await big.close();
    }
  });
});
