import { contentHash } from '../../lib/hash';
import { IMPORT_KINDS, importKindForSyncRequest, NIGHTLY_IMPORT_KINDS } from '../../lib/import-kinds';
import {
  directCostFrom,
  directCostKey,
  resolveDirectCost,
  unlinkedProjectReason,
  type DirectCostPayload,
} from '../../mappings/direct-cost-import';
import { billApplications, contractPaymentsFrom, REQUISITION_FIELD } from '../../mappings/payment-import';

describe('directCostFrom', () => {
  const payroll = {
    Module: 'PR',
    ReferenceNbr: 'PR000001',
    Description: 'Field payroll, week ending 2024-04-05',
    OriginalDocType: 'Paycheck',
    OriginalDocNbr: 'PC000231',
    Details: [
      {
        Project: 'RMOB24017',
        CostCode: '01-500',
        AccountGroup: 'LABOR',
        Amount: 9840,
        Qty: 240,
        UnitRate: 41,
        Date: '2024-04-05T00:00:00+00:00',
        Description: 'Superintendent and laborers',
      },
      {
        Project: 'RMOB24017',
        CostCode: '03-100',
        AccountGroup: 'LABOR',
        Amount: 3116,
        Date: '2024-04-04T00:00:00+00:00',
      },
    ],
  };

  it('maps a batch to one direct cost with a line per transaction line', () => {
    expect(directCostKey(payroll)).toBe('PR:PR000001');
    expect(directCostFrom(payroll)).toEqual({
      ok: true,
      payload: {
        origin_id: 'PR:PR000001',
        acumatica_project: 'RMOB24017',
        direct_cost_type: 'Payroll',
        direct_cost_date: '2024-04-05',
        invoice_number: 'PC000231',
        description: 'Field payroll, week ending 2024-04-05',
        vendor: null,
        line_items: [
          {
            origin_id: 'PR:PR000001:1',
            amount: '9840.00',
            quantity: '240',
            unit_cost: '41.00',
            description: 'Superintendent and laborers',
            cost_code: '01-500',
            account_group: 'LABOR',
          },
          {
            origin_id: 'PR:PR000001:2',
            amount: '3116.00',
            description: 'Field payroll, week ending 2024-04-05',
            cost_code: '03-100',
            account_group: 'LABOR',
          },
        ],
      },
    });
  });

  it('types AP batches as invoices with their vendor, EP as expenses; LineNbr wins over the position', () => {
    const ap = directCostFrom({
      Module: 'AP',
      ReferenceNbr: 'AP000002',
      OriginalDocNbr: '000102',
      Details: [{ LineNbr: 7, Project: 'P1', CostCode: '06-100', Amount: '12680.4', VendorOrCustomer: 'V100301' }],
    });
    expect(ap.ok && ap.payload).toMatchObject({
      direct_cost_type: 'Invoice',
      vendor: 'V100301',
      line_items: [{ origin_id: 'AP:AP000002:7', amount: '12680.40' }],
    });
    const ep = directCostFrom({
      Module: 'EP',
      ReferenceNbr: 'EP000001',
      Details: [{ Project: 'P1', CostCode: '01-500', Amount: 1 }],
    });
    expect(ep.ok && ep.payload.direct_cost_type).toBe('Expense');
  });

  it('says what to do about a transaction on an unlinked project (resolved when written)', () => {
    expect(unlinkedProjectReason('PR:PR000001', 'RMOB24017')).toMatch(
      /PR:PR000001 is on Acumatica project RMOB24017, which is not linked to a Procore project\. Export the Procore project/,
    );
  });

  it('refuses batches without lines, on several projects, or with a line without an amount', () => {
    expect(directCostFrom({ Module: 'PM', ReferenceNbr: 'PM1', Details: [] }).ok).toBe(false);
    const split = directCostFrom({
      Module: 'PM',
      ReferenceNbr: 'PM2',
      Details: [
        { Project: 'A', Amount: 1 },
        { Project: 'B', Amount: 2 },
      ],
    });
    expect(!split.ok && split.reason).toMatch(/several projects \(A, B\)/);
    const noAmount = directCostFrom({
      Module: 'PM',
      ReferenceNbr: 'PM3',
      Details: [{ Project: 'A' }],
    });
    expect(!noAmount.ok && noAmount.reason).toMatch(/line 1 has no amount/);
  });

  it('hashes the same for the same content (unchanged transactions are not rewritten)', () => {
    const a = directCostFrom(payroll);
    const b = directCostFrom(structuredClone(payroll));
    expect(a.ok && b.ok && contentHash(a.payload) === contentHash(b.payload)).toBe(true);
  });
});

describe('resolveDirectCost', () => {
  const payload: DirectCostPayload = {
    origin_id: 'AP:AP000001',
    acumatica_project: 'RMOB24017',
    direct_cost_type: 'Invoice',
    direct_cost_date: '2024-03-15',
    invoice_number: '000101',
    description: 'Temporary fencing',
    vendor: 'V100301',
    line_items: [{ origin_id: 'AP:AP000001:1', amount: '8450.00', cost_code: '01-500', account_group: 'OTHER' }],
  };

  it('resolves cost codes, cost types and the vendor to Procore ids', () => {
    const result = resolveDirectCost(payload, {
      projectId: '562001',
      costCodes: new Map([['01-500', '9100001']]),
      costTypes: new Map([['OTHER', '9200005']]),
      vendors: new Map([['V100301', '31002']]),
    });
    expect(result).toEqual({
      ok: true,
      update: {
        origin_id: 'AP:AP000001',
        direct_cost_type: 'Invoice',
        status: 'approved',
        direct_cost_date: '2024-03-15',
        received_date: '2024-03-15',
        invoice_number: '000101',
        description: 'Temporary fencing',
        vendor_id: '31002',
        line_items: [
          { origin_id: 'AP:AP000001:1', amount: '8450.00', cost_code_id: '9100001', line_item_type_id: '9200005' },
        ],
      },
    });
  });

  it('fails with the reason when the cost code is not on the Procore project', () => {
    const result = resolveDirectCost(payload, {
      projectId: '562001',
      costCodes: new Map(),
      costTypes: new Map(),
      vendors: new Map(),
    });
    expect(!result.ok && result.reason).toMatch(/Cost code 01-500 .* is not on Procore project 562001/);
  });
});

describe('contractPaymentsFrom', () => {
  const check = {
    Type: 'Payment',
    ReferenceNbr: '000203',
    PaymentRef: '10502',
    ApplicationDate: '2024-05-20T00:00:00+00:00',
    Details: [
      {
        DocType: 'Bill',
        ReferenceNbr: '000104',
        AmountPaid: 41310,
        [REQUISITION_FIELD]: { requisitionId: '7900101', projectId: '562001', commitmentId: '7700101' },
      },
      { DocType: 'Bill', ReferenceNbr: '000101', AmountPaid: 100 }, // not exported by the connector
    ],
  };

  it('makes one payment per application to an exported bill, and ignores the others', () => {
    expect(billApplications(check)).toEqual(['000104', '000101']);
    expect(contractPaymentsFrom(check)).toEqual({
      ok: true,
      payload: {
        origin_id: '000203',
        payments: [
          {
            origin_id: '000203:000104',
            project_id: '562001',
            contract_id: '7700101',
            requisition_id: '7900101',
            amount: '41310.00',
            date: '2024-05-20',
            check_number: '10502',
          },
        ],
      },
    });
  });

  it('a check paying only bills the connector did not export makes no payment (and no exception)', () => {
    const result = contractPaymentsFrom({ ...check, Details: [check.Details[1]] });
    expect(result).toEqual({ ok: true, payload: { origin_id: '000203', payments: [] } });
  });
});

describe('import kinds', () => {
  it('payments are opt-in (not nightly) and run on Refresh contract payments; direct costs are nightly', () => {
    expect(NIGHTLY_IMPORT_KINDS).not.toContain('payments');
    expect(NIGHTLY_IMPORT_KINDS).toContain('direct_costs');
    expect(importKindForSyncRequest('sync_contract_payments')).toBe('payments');
    expect(IMPORT_KINDS.direct_costs.branchScoped).toBe(false);
  });
});
