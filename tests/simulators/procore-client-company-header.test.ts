/**
 * Every ProcoreClient method, over HTTP against the simulator: each company-scoped request carries
 * `Procore-Company-Id` (Procore's Integration Health flags calls without it), and none is refused with 400, which
 * the simulator answers for a missing header or a query parameter the public API digest marks required
 * (packages/procore-simulator/src/required-query.ts).
 *
 * The call table is typed over the client's public methods, so a method added to the client without an entry
 * here fails the type check.
 */
import { ProcoreClient } from '../../clients/procore/client';
import {
  DEMO_BUDGET_CHANGES,
  DEMO_COMMITMENT_CHANGE_ORDERS,
  DEMO_ERP_COST_CODE_LIST,
  DEMO_PRIME_CHANGE_ORDERS,
  DEMO_PRIME_CONTRACT,
  DEMO_PROJECT,
  DEMO_PURCHASE_ORDERS,
  DEMO_REQUISITIONS,
  DEMO_SUBCONTRACTS,
  DEMO_VENDORS,
} from 'simulator-common';
import { startProcoreSimulator, type RunningProcoreSimulator } from 'procore-simulator/src/testing';

const P = DEMO_PROJECT.procoreId;
const SC = DEMO_SUBCONTRACTS[0];
const PO = DEMO_PURCHASE_ORDERS[0];

type MethodName = {
  [K in keyof ProcoreClient]: ProcoreClient[K] extends (...args: never[]) => unknown ? K : never;
}[keyof ProcoreClient];

/** One call of each public method; `c` is the company id. */
const CALLS: Record<MethodName, (client: ProcoreClient, c: string, hookId: () => string) => Promise<unknown>> = {
  exchangeAuthorizationCode: (client) => client.exchangeAuthorizationCode('not-a-code', 'http://localhost/cb'),
  listCompanies: (client, c) => client.listCompanies(c),
  latestErpRequest: (client, c) => client.latestErpRequest(c),
  getErpRequest: (client, c) => client.getErpRequest(c, '1'),
  getErpRequestDetail: (client, c) => client.getErpRequestDetail(c, '1'),
  closeRequestDetail: (client, c) => client.closeRequestDetail(c, '1', { status: 'success', messages: [] }),
  closeRequestDetails: (client, c) => client.closeRequestDetails(c, [{ id: '1', status: 'success', messages: [] }]),
  syncExternalData: (client, c) =>
    client.syncExternalData(c, [{ item_type: 'work_order_contract', item_id: SC.procoreId, origin_id: 'SC-H1' }]),
  syncErpTransactions: (client, c) => client.syncErpTransactions(c, P, [{ id: '1', origin_id: 'T1' }]),
  listExternalData: (client, c) => client.listExternalData(c, { itemType: 'work_order_contract' }),
  deleteExternalData: (client, c) => client.deleteExternalData(c, 'work_order_contract', [SC.procoreId]),
  syncStagedRecords: (client, c) =>
    client.syncStagedRecords(c, [{ item_type: 'vendor', origin_id: 'V-H1', data: { name: 'Header Test Vendor' } }]),
  listStagedRecords: (client, c) => client.listStagedRecords(c),
  getVendor: (client, c) => client.getVendor(c, DEMO_VENDORS[0].procoreId),
  listVendors: async (client, c) => {
    for await (const page of client.listVendors(c)) void page;
  },
  syncVendors: (client, c) => client.syncVendors(c, [{ id: DEMO_VENDORS[0].procoreId, origin_id: 'V-1' }]),
  getProject: (client, c) => client.getProject(c, P),
  listProjects: (client, c) => client.listProjects(c),
  syncProjects: (client, c) => client.syncProjects(c, [{ id: P, origin_id: 'PRJ-1' }]),
  listSubJobs: (client, c) => client.listSubJobs(c, P),
  syncSubJobs: (client, c) => client.syncSubJobs(c, P, [{ origin_id: 'SJ-H1', name: 'Header test', code: '99' }]),
  getErpStandardCostCodeList: (client, c) => client.getErpStandardCostCodeList(c),
  listStandardCostCodes: (client, c) => client.listStandardCostCodes(c, DEMO_ERP_COST_CODE_LIST.procoreId),
  syncStandardCostCodes: (client, c) =>
    client.syncStandardCostCodes(c, DEMO_ERP_COST_CODE_LIST.procoreId, [
      { id: DEMO_ERP_COST_CODE_LIST.codes[0].procoreId, origin_id: 'CC-1' },
    ]),
  listProjectCostCodes: (client, c) => client.listProjectCostCodes(c, P),
  syncProjectCostCodes: (client, c) => client.syncProjectCostCodes(c, P, [{ origin_id: 'PCC-H1' }]),
  listLineItemTypes: (client, c) => client.listLineItemTypes(c),
  syncLineItemTypes: (client, c) => client.syncLineItemTypes(c, [{ origin_id: 'LIT-H1', code: 'H', name: 'Header' }]),
  listTaxCodes: (client, c) => client.listTaxCodes(c),
  getWorkOrderContract: (client, c) => client.getWorkOrderContract(c, P, SC.procoreId),
  listWorkOrderContractLineItems: (client, c) => client.listWorkOrderContractLineItems(c, P, SC.procoreId),
  getPurchaseOrderContract: (client, c) => client.getPurchaseOrderContract(c, P, PO.procoreId),
  listPurchaseOrderContractLineItems: (client, c) => client.listPurchaseOrderContractLineItems(c, P, PO.procoreId),
  listWorkOrderContracts: (client, c) => client.listWorkOrderContracts(c, P),
  listPurchaseOrderContracts: (client, c) => client.listPurchaseOrderContracts(c, P),
  getCommitmentChangeOrder: (client, c) =>
    client.getCommitmentChangeOrder(c, P, DEMO_COMMITMENT_CHANGE_ORDERS[0].procoreId),
  listCommitmentChangeOrders: (client, c) => client.listCommitmentChangeOrders(c, P, { contractId: SC.procoreId }),
  listCommitmentChangeOrderLineItems: (client, c) =>
    client.listCommitmentChangeOrderLineItems(c, P, DEMO_COMMITMENT_CHANGE_ORDERS[0].procoreId),
  getPrimeContract: (client, c) => client.getPrimeContract(c, P, DEMO_PRIME_CONTRACT.procoreId),
  listPrimeContracts: (client, c) => client.listPrimeContracts(c, P),
  listPrimeChangeOrders: (client, c) => client.listPrimeChangeOrders(c, P),
  listBudgetChanges: (client, c) => client.listBudgetChanges(c, P),
  listPrimeContractLineItems: (client, c) => client.listPrimeContractLineItems(c, P, DEMO_PRIME_CONTRACT.procoreId),
  getPrimeChangeOrder: (client, c) => client.getPrimeChangeOrder(c, P, DEMO_PRIME_CHANGE_ORDERS[0].procoreId),
  listPrimeChangeOrderLineItems: (client, c) =>
    client.listPrimeChangeOrderLineItems(c, P, DEMO_PRIME_CHANGE_ORDERS[0].procoreId),
  getBudgetChange: (client, c) => client.getBudgetChange(c, P, DEMO_BUDGET_CHANGES[0].procoreId),
  listBudgetViews: (client, c) => client.listBudgetViews(c, P),
  listBudgetDetailRows: async (client, c) => {
    const [view] = await client.listBudgetViews(c, P);
    return client.listBudgetDetailRows(c, P, String(view.id));
  },
  getBudgetLineItem: (client, c) => client.getBudgetLineItem(c, P, '1'),
  listWbsCodes: (client, c) => client.listWbsCodes(c, P),
  syncBudgetLineItems: async (client, c) => {
    const [code] = await client.listWbsCodes(c, P);
    return client.syncBudgetLineItems(c, P, [{ wbs_code_id: String(code.id), original_budget_amount: '1.00' }]);
  },
  syncDirectCosts: (client, c) => client.syncDirectCosts(c, P, [{ origin_id: 'DC-H1' }]),
  listDirectCosts: (client, c) => client.listDirectCosts(c, P),
  listDirectCostLineItems: (client, c) => client.listDirectCostLineItems(c, P, '1'),
  getRequisition: (client, c) => client.getRequisition(c, P, DEMO_REQUISITIONS[0].procoreId),
  listRequisitions: (client, c) => client.listRequisitions(c, P, { commitmentId: SC.procoreId }),
  listRequisitionItems: (client, c) => client.listRequisitionItems(c, P, DEMO_REQUISITIONS[0].procoreId),
  listContractPayments: (client, c) => client.listContractPayments(c, P, SC.procoreId),
  findContractPaymentByOriginId: (client, c) => client.findContractPaymentByOriginId(c, P, SC.procoreId, 'CHK-H1'),
  createContractPayment: (client, c) =>
    client.createContractPayment(c, P, { contract_id: SC.procoreId, amount: '1.00', origin_id: 'CHK-H2' }),
  listHooks: (client, c) => client.listHooks(c, 'header-test'),
  createHook: (client, c) =>
    client.createHook(c, {
      namespace: 'header-test',
      destinationUrl: 'http://127.0.0.1:9/hook',
      destinationHeaders: {},
      apiVersion: 'v2',
    }),
  updateHook: (client, c, hookId) => client.updateHook(c, hookId(), { destinationUrl: 'http://127.0.0.1:9/other' }),
  listTriggers: (client, c, hookId) => client.listTriggers(c, hookId()),
  createTrigger: (client, c, hookId) =>
    client.createTrigger(c, hookId(), { resourceName: 'Projects', eventType: 'create' }),
  deleteTrigger: (client, c, hookId) => client.deleteTrigger(c, hookId(), '1'),
  listDeliveries: (client, c, hookId) => client.listDeliveries(c, hookId()),
  deleteHook: (client, c, hookId) => client.deleteHook(c, hookId()),
};

interface Sent {
  url: URL;
  companyHeader: string | undefined;
  status: number;
  body: string;
}

describe('ProcoreClient sends Procore-Company-Id on every company-scoped call', () => {
  let sim: RunningProcoreSimulator;
  const sent: Sent[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    sim = await startProcoreSimulator();
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const res = await realFetch(input, init);
      const headers = new Headers(init?.headers);
      const body = res.status >= 400 ? await res.clone().text() : '';
      sent.push({
        url: new URL(String(input)),
        companyHeader: headers.get('procore-company-id') ?? undefined,
        status: res.status,
        body,
      });
      return res;
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await sim.close();
  });

  it('for each of the client methods, with no 400 from the simulator', async () => {
    const client = new ProcoreClient({ baseUrl: sim.url, ...sim.credentials });
    let hook: string | undefined;
    const hookId = () => hook ?? '1';
    const report: string[] = [];
    for (const [name, call] of Object.entries(CALLS) as Array<[MethodName, (typeof CALLS)[MethodName]]>) {
      const from = sent.length;
      const result = await call(client, sim.companyId, hookId).catch((err: unknown) => err);
      if (name === 'createHook') hook = String((result as { id: unknown }).id);
      const mine = sent.slice(from);
      const rest = mine.filter((s) => s.url.pathname.startsWith('/rest/'));
      if (name === 'exchangeAuthorizationCode') {
        // OAuth: not company-scoped, and a bad code is refused by the token endpoint, not by the REST API.
        expect(mine.map((s) => s.url.pathname)).toEqual(['/oauth/token']);
        continue;
      }
      if (rest.length === 0) report.push(`${name}: made no REST request`);
      for (const s of rest) {
        if (s.companyHeader !== sim.companyId) report.push(`${name}: ${s.url.pathname} without Procore-Company-Id`);
        if (s.status === 400) report.push(`${name}: ${s.url.pathname} -> 400 ${s.body}`);
      }
    }
    expect(report).toEqual([]);
    expect(hook).toMatch(/^\d+$/); // the hook calls ran against a real hook, not only 404s
    expect(Object.keys(CALLS).length).toBeGreaterThanOrEqual(60);
  });
});
