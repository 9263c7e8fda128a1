/**
 * Every export flow and every import on every supported Acumatica release, over HTTP: for each release a connector
 * stack (both simulators, API, worker, Temporal) exports all eleven export kinds from the accounting approver's accept
 * (project, vendor, subcontract, purchase order, budget, budget change, prime contract, prime change order,
 * commitment change order, subcontractor invoice, company-level direct cost) and runs all seven imports through POST /imports (cost codes,
 * cost types, vendors, projects, budgets, direct costs, payments).
 *
 * The three releases before 2023 R2 run on the customer's endpoint extension `ProcoreConnector/<v>` (Default plus
 * Subcontract), named by the company's connection with its version negotiated: every call goes there, and
 * `Default/<v>/Subcontract` is never asked for. 2026 R2 runs on system contract 5 (drop-downs by id, nested
 * $expand, date-only values), which only the client's dialect knows about. Without the extension the subcontract
 * export fails with a message that tells the approver what the customer must install.
 *
 * Cheap on purpose: actions answer at once (actionPolls 0), one stack per release, flows in dependency order.
 */
import { val } from '../../clients/acumatica/client';
import type { AcumaticaRelease } from 'acumatica-simulator/src/contract';
import {
  DEMO_BUDGET,
  DEMO_BUDGET_CHANGES,
  DEMO_COMMITMENT_CHANGE_ORDERS,
  DEMO_COST_TYPES,
  DEMO_PRIME_CHANGE_ORDERS,
  DEMO_PRIME_CONTRACT,
  DEMO_PROJECT,
  DEMO_PURCHASE_ORDERS,
  DEMO_REQUISITIONS,
  DEMO_SUBCONTRACTS,
  DEMO_VENDORS,
} from 'simulator-common';
import { createCompanyDirectCost } from 'procore-simulator/src/company-direct-costs';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';
import { addProject } from '../../testing/project-seeds';

type Result = { status: string; acumaticaKey?: string; messages: string[] };
type Totals = { read: number; written: number; unchanged: number; exceptions: number; retired: number };

const MATRIX: Array<{ release: AcumaticaRelease; version: string; endpoint: string }> = [
  { release: '2022R1', version: '20.200.001', endpoint: 'ProcoreConnector' },
  { release: '2022R2', version: '22.200.001', endpoint: 'ProcoreConnector' },
  { release: '2023R1', version: '22.200.001', endpoint: 'ProcoreConnector' },
  { release: '2023R2', version: '23.200.001', endpoint: 'Default' },
  { release: '2024R1', version: '23.200.001', endpoint: 'Default' },
  { release: '2024R2', version: '24.200.001', endpoint: 'Default' },
  { release: '2025R1', version: '24.200.001', endpoint: 'Default' },
  { release: '2025R2', version: '25.200.001', endpoint: 'Default' },
  { release: '2026R1', version: '25.200.001', endpoint: 'Default' },
  { release: '2026R2', version: '26.200.001', endpoint: 'Default' },
];

const SEEDED_BATCHES = ['AP:AP000001', 'AP:AP000002', 'AP:AP000003', 'EP:EP000001', 'PR:PR000001'];
const report: string[] = [];
afterAll(() => console.log(`Acumatica version matrix:\n${report.join('\n')}`));

async function exportItem(stack: ConnectorStack, itemType: string, itemId: string): Promise<Result> {
  const { workflowId } = await stack.accept(itemId, { item_type: itemType });
  return stack.waitForWorkflow<Result>(workflowId);
}

async function runImport(stack: ConnectorStack, entities: string[]): Promise<Totals> {
  const res = await stack.apiFetch(`/imports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: stack.companyId, entities }),
  });
  expect(res.status).toBe(202);
  const { workflowId } = (await res.json()) as { workflowId: string };
  return stack.waitForWorkflow<Totals>(workflowId);
}

async function requestPaths(stack: ConnectorStack): Promise<Array<{ method: string; path: string }>> {
  const res = await fetch(`${stack.acumaticaUrl}/__admin/request-log`);
  return ((await res.json()) as { requests: Array<{ method: string; path: string }> }).requests;
}

describe.each(MATRIX)('Acumatica $release', ({ release, version, endpoint }) => {
  it(`${endpoint}/${version}: every export and every import`, async () => {
    const started = Date.now();
    const extension = endpoint !== 'Default';
    const stack = await startConnectorStack({
      acumaticaSimulator: { release, actionPolls: 0, extensionEndpoint: extension ? { name: endpoint } : undefined },
      acumaticaEndpoint: extension ? { name: endpoint } : undefined,
    });
    try {
      expect(await stack.acumatica.negotiateVersion()).toBe(version);
      const vendor = await stack.acumatica.get('Vendor', 'V100231', { expand: ['MainContact/Address'] });
      expect(val(vendor.VendorName)).toBe('Acme Concrete & Paving, LLC');
      expect(val(vendor.Status)).toBe('Active'); // a drop-down: {id, description} on contract 5
      // LegalName arrives with Default/22.200.001: the simulator serves exactly the version's fields.
      expect('LegalName' in vendor).toBe(version !== '20.200.001');

      // ---- exports, in dependency order (the budget needs the cost types imported first)
      const ok = { status: 'success' };
      expect(await exportItem(stack, 'project', DEMO_PROJECT.procoreId)).toMatchObject(ok);
      const newVendor = DEMO_VENDORS.find((v) => v.procoreId === DEMO_SUBCONTRACTS[2].vendorProcoreId)!;
      expect(await exportItem(stack, 'vendor', newVendor.procoreId)).toMatchObject({
        ...ok,
        acumaticaKey: `PC${newVendor.procoreId}`,
      });
      const sub = await exportItem(stack, 'work_order_contract', DEMO_SUBCONTRACTS[0].procoreId);
      expect(sub).toMatchObject(ok);
      const [sc] = await stack.subcontractsFor(DEMO_SUBCONTRACTS[0].procoreId);
      expect(val(sc.SubcontractNbr)).toBe(sub.acumaticaKey);
      expect((sc.Details as unknown[]).length).toBe(DEMO_SUBCONTRACTS[0].lines.length);
      const po = await exportItem(stack, 'purchase_order_contract', DEMO_PURCHASE_ORDERS[0].procoreId);
      expect(po).toMatchObject(ok);
      const [order] = await stack.acumatica.list('PurchaseOrder', {
        filter: `Type eq 'Normal' and VendorRef eq 'PROCORE-${DEMO_PURCHASE_ORDERS[0].procoreId}'`,
      });
      expect(val(order.OrderNbr)).toBe(po.acumaticaKey);

      const costStructure = await runImport(stack, ['cost_codes', 'cost_types']);
      expect(costStructure.exceptions).toBe(0);
      expect(await exportItem(stack, 'budget', DEMO_BUDGET.procoreId)).toMatchObject(ok);
      const costLines = await stack.acumatica.list('ProjectBudget', {
        filter: `ProjectID eq '${DEMO_PROJECT.acumaticaProjectId}' and Type eq 'Cost'`,
      });
      expect(costLines.length).toBeGreaterThanOrEqual(DEMO_BUDGET.lines.length);
      expect(await exportItem(stack, 'budget_change', DEMO_BUDGET_CHANGES[0].procoreId)).toMatchObject(ok);
      expect(await exportItem(stack, 'prime_contract', DEMO_PRIME_CONTRACT.procoreId)).toMatchObject(ok);
      expect(await exportItem(stack, 'prime_change_order', DEMO_PRIME_CHANGE_ORDERS[0].procoreId)).toMatchObject(ok);
      const cco = DEMO_COMMITMENT_CHANGE_ORDERS[0];
      expect(await exportItem(stack, 'commitment_change_order', cco.procoreId)).toMatchObject(ok);
      const [co] = await stack.acumatica.list('ChangeOrder', {
        filter: `ExternalRefNbr eq 'PROCORE-${cco.procoreId}'`,
        expand: ['Commitments'],
      });
      expect((co.Commitments as unknown[]).length).toBe(cco.lines.length);
      const requisition = DEMO_REQUISITIONS[0];
      expect(await exportItem(stack, 'requisition', requisition.procoreId)).toMatchObject(ok);
      // A company-level direct cost across the demo project and a second one: one bill, a line on each.
      const store = stack.procoreSim.store;
      const second = addProject(store, { n: 1 });
      expect(await exportItem(stack, 'project', second.id)).toMatchObject(ok);
      const cost = createCompanyDirectCost(store, {
        companyId: stack.companyId,
        vendorId: DEMO_VENDORS[0].procoreId,
        invoiceNumber: 'FUEL-1',
        directCostDate: '2024-05-31',
        lines: [DEMO_PROJECT.procoreId, second.id].map((projectId) => ({
          projectId,
          costCodeId: store.state.costCodes.find((c) => c.project_id === projectId && c.full_code === '03-300')!.id,
          lineItemTypeId: DEMO_COST_TYPES[0].procoreId,
          amount: '100.00',
        })),
      });
      if ('error' in cost) throw new Error(cost.error);
      expect(await exportItem(stack, 'company_level_direct_cost', cost.id)).toMatchObject(ok);
      const [dcBill] = await stack.acumatica.list('Bill', {
        filter: `VendorRef eq 'PROCORE-DC${cost.id}'`,
        expand: ['Details'],
      });
      expect((dcBill.Details as Array<Record<string, unknown>>).map((d) => val(d.Project))).toEqual([
        DEMO_PROJECT.acumaticaProjectId,
        second.number,
      ]);

      // ---- imports
      const vendors = await runImport(stack, ['vendors']);
      expect(vendors).toMatchObject({ exceptions: 0 });
      expect(vendors.written).toBeGreaterThan(0);
      const linked = DEMO_VENDORS.find((v) => v.acumaticaVendorId)!;
      const procoreVendors = [];
      for await (const page of stack.procore.listVendors(stack.companyId)) procoreVendors.push(...page);
      expect(procoreVendors.filter((v) => v.origin_id === linked.acumaticaVendorId)).toHaveLength(1);

      const projects = await runImport(stack, ['projects']);
      expect(projects.read).toBeGreaterThan(0);
      expect(projects.exceptions).toBe(0);

      const budgets = await runImport(stack, ['budgets']);
      expect(budgets.read).toBeGreaterThan(0);

      const costs = await runImport(stack, ['direct_costs']);
      expect(costs.exceptions).toBe(0);
      const directCosts = await stack.procore.listDirectCosts(stack.companyId, DEMO_PROJECT.procoreId);
      expect(directCosts.map((c) => c.origin_id).filter((id) => id && SEEDED_BATCHES.includes(id))).toHaveLength(
        SEEDED_BATCHES.length,
      );

      // Payments: the exported subcontractor invoice is released and paid by a check in Acumatica.
      const [bill] = await stack.acumatica.list('Bill', { filter: `VendorRef eq 'PROCORE-${requisition.procoreId}'` });
      const billNbr = String(val(bill.ReferenceNbr));
      if (val(bill.Hold) === true)
        await stack.acumatica.put('Bill', { Type: 'Bill', ReferenceNbr: billNbr, Hold: false });
      await stack.acumatica.invokeAction('Bill', 'ReleaseBill', { entity: { Type: 'Bill', ReferenceNbr: billNbr } });
      const released = await stack.acumatica.get('Bill', ['Bill', billNbr]);
      expect(val(released.Status)).toBe('Open');
      const balance = Number(val(released.Balance));
      const check = await stack.acumatica.put('Check', {
        Type: 'Payment',
        Vendor: val(released.Vendor),
        PaymentRef: '10777',
        ApplicationDate: '2024-05-31T00:00:00+00:00',
        Details: [{ DocType: 'Bill', ReferenceNbr: billNbr, AmountPaid: balance }],
      });
      const checkNbr = String(val(check.ReferenceNbr));
      await stack.acumatica.invokeAction('Check', 'ReleaseCheck', {
        entity: { Type: 'Payment', ReferenceNbr: checkNbr },
      });
      const payments = await runImport(stack, ['payments']);
      expect(payments.exceptions).toBe(0);
      const paid = await stack.procore.listContractPayments(
        stack.companyId,
        DEMO_PROJECT.procoreId,
        requisition.commitmentProcoreId,
      );
      const ours = paid.filter((p) => p.origin_id === `${checkNbr}:${billNbr}`);
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatchObject({ requisition_id: requisition.procoreId, date: '2024-05-31' });

      // ---- every Acumatica call of the worker went to the connection's endpoint
      const calls = (await requestPaths(stack)).filter((r) => /^\/entity\/(?!auth\/)[^/]+\//.test(r.path));
      const used = new Set(calls.map((r) => r.path.split('/').slice(2, 4).join('/')));
      expect([...used]).toEqual([`${endpoint}/${version}`]);
      expect(calls).toContainEqual({
        method: 'PUT',
        path: `/entity/${endpoint}/${version}/Subcontract`,
        at: expect.any(String),
      });
      report.push(
        `  ${release}: ${endpoint}/${version}, 11 exports + 7 imports, ${calls.length} Acumatica calls, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await stack.stop();
    }
  });
});

test('Acumatica 2023R1 without the extension: the subcontract export fails saying what to install', async () => {
  const stack = await startConnectorStack({ acumaticaSimulator: { release: '2023R1', actionPolls: 0 } });
  try {
    expect(await stack.acumatica.hasEntity('Subcontract')).toBe(false);
    await expect(stack.acumatica.requireEntity('Subcontract')).rejects.toThrow(
      /Acumatica 2023 R1 \(build 23\.107\.0023, endpoint Default\/22\.200\.001\) has no Subcontract entity\..*install the connector's endpoint extension: on Web Service Endpoints \(SM207060\) select Default\/22\.200\.001, click Extend Endpoint/,
    );
    const result = await exportItem(stack, 'work_order_contract', DEMO_SUBCONTRACTS[0].procoreId);
    expect(result.status).toBe('failed');
    expect(result.messages.join(' ')).toMatch(/Subcontract/);
    expect(result.messages.join(' ')).toMatch(/install/i);
  } finally {
    await stack.stop();
  }
});
