/**
 * erpRequestWorkflow, every path, with stub activities: export success, preflight failure, Acumatica validation
 * error, the busy loop, refresh (success and failure), staged-record link, unsupported request, and the close-out
 * of every other ending (a permanent error in any step, retries exhausted, cancellation).
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { ErpRequestSummary } from '../../activities/erp-requests';
import type { PreparedRequest } from '../../activities/export';
import { erpRequestWorkflow } from '../../workflows/erp-request';
import { failure, startHarness, type Harness } from './harness';

const request: ErpRequestSummary = {
  id: '9001',
  requestName: 'create_commitment',
  requestDetailId: '7001',
  itemType: 'work_order_contract',
  itemId: '7700101',
  projectId: '562949953421312',
  title: 'SC-24017-003 Concrete',
};
const source = { procoreId: '7700101', label: 'SC-24017-003 Concrete', lineIds: ['1', '2'] };
const exporting: PreparedRequest = {
  action: 'export',
  request,
  kind: 'subcontract',
  entityLabel: 'subcontract',
  source,
  preflight: { ok: true, targets: { vendor: 'V100231' } },
};
const exported = { status: 'success', messages: ['Exported to Acumatica as SC000001.'], acumaticaKey: 'SC000001' };
const closed = (input: unknown) => {
  const { status, messages } = input as { status: 'success' | 'failed'; messages: string[] };
  return { status, messages };
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness([
    'prepareErpRequestActivity',
    'exportRecordActivity',
    'finishErpRequestActivity',
    'abandonErpRequestActivity',
    'linkImportedStagedRecordActivity',
    'loadCompanyBranchesActivity',
    'getImportWatermarkActivity',
    'importPageActivity',
    'flushImportWritesActivity',
    'advanceImportWatermarkActivity',
  ]);
}, 120_000);
afterAll(() => h?.close());

let n = 0;
const run = (erpRequestId = `r${++n}`) =>
  h.run(() =>
    h.env.client.workflow.execute(erpRequestWorkflow, {
      taskQueue: h.taskQueue,
      workflowId: `erp-4271-request-${erpRequestId}-${Date.now()}`,
      args: [{ companyId: '4271', erpRequestId }],
    }),
  );
const names = () => h.calls.map((c) => c.name);
const inputOf = (name: string) => h.calls.find((c) => c.name === name)?.input as Record<string, unknown>;

describe('erpRequestWorkflow', () => {
  it('exports: prepare -> export (write and close in one activity), success with the Acumatica key', async () => {
    h.stub({
      prepareErpRequestActivity: async () => ({
        ...exporting,
        preflight: { ...exporting.preflight, notes: ['No tax.'] },
      }),
      exportRecordActivity: async () => exported,
    });
    const result = await run();
    expect(result).toEqual(exported);
    expect(names()).toEqual(['prepareErpRequestActivity', 'exportRecordActivity']);
    expect(inputOf('exportRecordActivity')).toMatchObject({
      kind: 'subcontract',
      targets: { vendor: 'V100231' },
      requestDetailId: '7001',
      claim: { companyId: '4271', kind: 'subcontract', procoreId: '7700101' },
      notes: ['No tax.'],
    });
  });

  it('a failed preflight closes the detail failed with the problems and writes nothing', async () => {
    const problems = ['Vendor "Cascade Glass" is not linked to an Acumatica vendor.'];
    h.stub({
      prepareErpRequestActivity: async () => ({ ...exporting, preflight: { ok: false, problems } }),
      finishErpRequestActivity: async (input) => closed(input),
    });
    const result = await run();
    expect(result).toEqual({ status: 'failed', messages: problems });
    expect(names()).toEqual(['prepareErpRequestActivity', 'finishErpRequestActivity']);
  });

  it('an Acumatica validation error closes the detail failed with Acumatica’s words', async () => {
    h.stub({
      prepareErpRequestActivity: async () => exporting,
      exportRecordActivity: async () => {
        throw failure('ValidationError', 'VendorID: Vendor is inactive.');
      },
      finishErpRequestActivity: async (input) => closed(input),
    });
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.messages).toEqual(['Acumatica rejected SC-24017-003 Concrete: VendorID: Vendor is inactive.']);
    expect(names()).not.toContain('abandonErpRequestActivity');
  });

  it('waits while another workflow exports the same record, then prepares again', async () => {
    let attempts = 0;
    h.stub({
      prepareErpRequestActivity: async () =>
        ++attempts === 1 ? { action: 'busy', request, holder: 'erp-4271-request-1' } : exporting,
      exportRecordActivity: async () => exported,
    });
    const result = await run();
    expect(result.status).toBe('success');
    expect(names().filter((x) => x === 'prepareErpRequestActivity')).toHaveLength(2);
  });

  it('an unsupported request closes the detail failed with the reason', async () => {
    const message = 'The connector does not handle "create_direct_cost" for direct_cost yet.';
    h.stub({
      prepareErpRequestActivity: async () => ({ action: 'unsupported', request, message }),
      finishErpRequestActivity: async (input) => closed(input),
    });
    expect(await run()).toEqual({ status: 'failed', messages: [message] });
  });

  it('a staged-record approval links it through its own activity', async () => {
    h.stub({
      prepareErpRequestActivity: async () => ({ action: 'link_staged', request }),
      linkImportedStagedRecordActivity: async () => ({ status: 'success', messages: ['Linked.'] }),
    });
    expect(await run()).toEqual({ status: 'success', messages: ['Linked.'] });
  });

  it('a refresh runs the import as a child and closes the detail with its totals', async () => {
    h.stub({
      prepareErpRequestActivity: async () => ({ action: 'refresh', request, importKind: 'vendors' }),
      loadCompanyBranchesActivity: async () => ['HQ'],
      getImportWatermarkActivity: async () => null,
      importPageActivity: async () => ({
        read: 3,
        written: 2,
        unchanged: 1,
        exceptions: 0,
        hasMore: false,
        maxModified: '2026-11-30T10:00:00.000Z',
      }),
      flushImportWritesActivity: async () => ({}),
      advanceImportWatermarkActivity: async () => undefined,
      finishErpRequestActivity: async (input) => closed(input),
    });
    const result = await run();
    expect(result).toEqual({
      status: 'success',
      messages: ['Refreshed vendors from Acumatica: 2 written, 1 unchanged, 0 exceptions.'],
    });
  });

  it('a failed refresh closes the detail failed', async () => {
    h.stub({
      prepareErpRequestActivity: async () => ({ action: 'refresh', request, importKind: 'vendors' }),
      loadCompanyBranchesActivity: async () => ['HQ'],
      getImportWatermarkActivity: async () => {
        throw failure('AuthError', 'Acumatica refused the login.');
      },
      finishErpRequestActivity: async (input) => closed(input),
    });
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.messages[0]).toMatch(/^Refreshing vendors from Acumatica failed/);
  });

  describe('close-out on every other ending: detail closed failed, then the workflow fails', () => {
    const expectFailedWith = async (pattern: RegExp) => {
      const err = await run().catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const abandoned = inputOf('abandonErpRequestActivity');
      expect(abandoned.message).toMatch(pattern);
      return abandoned;
    };

    it('a permanent error in the first step (the request cannot be read)', async () => {
      h.stub({
        prepareErpRequestActivity: async () => {
          throw failure('NotFoundError', 'ERP request 9001 was not found in Procore.');
        },
        abandonErpRequestActivity: async () => undefined,
      });
      const abandoned = await expectFailedWith(/^The export of this item failed: ERP request 9001 was not found/);
      expect(abandoned.requestDetailId).toBeUndefined(); // read again by the activity
    });

    it('a permanent error while writing (not a validation error)', async () => {
      h.stub({
        prepareErpRequestActivity: async () => exporting,
        exportRecordActivity: async () => {
          throw failure('AuthError', 'Acumatica refused the login for procore.sync.');
        },
        abandonErpRequestActivity: async () => undefined,
      });
      const abandoned = await expectFailedWith(
        /^The export of SC-24017-003 Concrete failed: Acumatica refused the login/,
      );
      expect(abandoned).toMatchObject({
        requestDetailId: '7001',
        claim: { companyId: '4271', kind: 'subcontract', procoreId: '7700101' },
      });
    });

    it('retries exhausted on a transient error', async () => {
      h.stub({
        prepareErpRequestActivity: async () => exporting,
        exportRecordActivity: async () => {
          throw failure(
            'TransientUpstreamError',
            'Acumatica answered 503 for PUT /entity/Default/23.200.001/Subcontract',
          );
        },
        abandonErpRequestActivity: async () => undefined,
      });
      await expectFailedWith(/did not finish: Acumatica answered 503.*reset workflow erp-4271-request-/);
    });

    it('a failure while closing the detail after the write', async () => {
      h.stub({
        prepareErpRequestActivity: async () => exporting,
        exportRecordActivity: async () => {
          throw failure('TransientUpstreamError', 'Procore answered 502 for PATCH erp_request_details');
        },
        abandonErpRequestActivity: async () => undefined,
      });
      await expectFailedWith(/did not finish: Procore answered 502/);
    });

    it('cancellation by an operator', async () => {
      let release: () => void = () => undefined;
      h.stub({
        prepareErpRequestActivity: async () => exporting,
        exportRecordActivity: () => new Promise((resolve) => (release = () => resolve(exported))),
        abandonErpRequestActivity: async () => undefined,
      });
      const workflowId = `erp-4271-request-cancel-${Date.now()}`;
      await h.run(async () => {
        const handle = await h.env.client.workflow.start(erpRequestWorkflow, {
          taskQueue: h.taskQueue,
          workflowId,
          args: [{ companyId: '4271', erpRequestId: 'cancel' }],
        });
        while (!names().includes('exportRecordActivity')) await new Promise((r) => setTimeout(r, 50));
        await handle.cancel();
        await expect(handle.result()).rejects.toThrow();
        release();
        expect((await handle.describe()).status.name).toBe('CANCELLED');
      });
      expect(inputOf('abandonErpRequestActivity').message).toMatch(/was cancelled by the connector's operator/);
    });
  });
});
