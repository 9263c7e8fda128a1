/**
 * Documents post to their project's branch (#12): a project whose billing settings name branch WEST gets its
 * subcontracts and purchase orders on WEST, header and lines, although the connection signs in to HQ.
 */
import { DEMO_COMPANY, DEMO_PROJECT, DEMO_PURCHASE_ORDERS, DEMO_SUBCONTRACTS } from 'simulator-common';
import { val } from '../../clients/acumatica/client';
import { eq } from '../../clients/acumatica/odata';
import { startConnectorStack, type ConnectorStack } from '../../testing/connector-stack';

let stack: ConnectorStack;
beforeAll(async () => {
  stack = await startConnectorStack();
});
afterAll(async () => {
  await stack?.stop();
});

type Rec = Record<string, unknown> & { Details: Array<Record<string, unknown>> };

test('subcontract and purchase order of a WEST project are posted to WEST, not the login branch', async () => {
  expect(DEMO_COMPANY.branches[0].branchId).toBe('HQ'); // the connection's login branch
  await stack.acumatica.put('Project', {
    ProjectID: DEMO_PROJECT.acumaticaProjectId,
    BillingAndAllocationSettings: { Branch: 'WEST' },
  });

  const sc = await stack.accept(DEMO_SUBCONTRACTS[0].procoreId);
  expect(await stack.waitForWorkflow(sc.workflowId)).toMatchObject({ status: 'success' });
  const [subcontract] = (await stack.subcontractsFor(DEMO_SUBCONTRACTS[0].procoreId)) as Rec[];
  expect(val(subcontract.Branch)).toBe('WEST');
  expect(subcontract.Details.map((d) => val(d.BranchID))).toEqual(subcontract.Details.map(() => 'WEST'));

  const po = await stack.accept(DEMO_PURCHASE_ORDERS[0].procoreId, { item_type: 'purchase_order_contract' });
  expect(await stack.waitForWorkflow(po.workflowId)).toMatchObject({ status: 'success' });
  const [order] = (await stack.acumatica.list('PurchaseOrder', {
    filter: eq('VendorRef', `PROCORE-${DEMO_PURCHASE_ORDERS[0].procoreId}`),
    expand: ['Details'],
  })) as Rec[];
  expect(val(order.Branch)).toBe('WEST');
  expect(order.Details.map((d) => val(d.BranchID))).toEqual(order.Details.map(() => 'WEST'));
});
