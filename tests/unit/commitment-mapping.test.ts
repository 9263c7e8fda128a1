import {
  linesTotalProblem,
  mapPurchaseOrder,
  mapSubcontract,
  type CommitmentSnapshot,
} from '../../mappings/commitment';
import { money, sumMoney } from '../../mappings/money';

const commitment: CommitmentSnapshot = {
  procoreId: '9007199254741993',
  type: 'work_order_contract',
  projectId: '562001',
  number: 'SC-24017-003',
  title: 'Cast-in-Place Concrete',
  label: 'SC-24017-003 Cast-in-Place Concrete',
  vendorId: '31001',
  vendorName: 'Acme Concrete & Paving, LLC',
  retainagePercent: '10.0',
  contractDate: '2024-03-18',
  grandTotal: '186920.60',
  lineIds: ['1', '2', '3'],
  lines: [
    {
      id: '1',
      costCode: '03-300',
      description: 'Footings',
      amount: '148500.00',
      quantity: null,
      unitCost: null,
      uom: null,
    },
    {
      id: '2',
      costCode: '03-350',
      description: 'Finishing',
      amount: '38420.50',
      quantity: '1250',
      unitCost: '30.7364',
      uom: 'SF',
    },
    { id: '3', costCode: null, description: 'x'.repeat(300), amount: '0.10', quantity: '0', unitCost: '5', uom: null },
  ],
};

describe('mapSubcontract', () => {
  const body = mapSubcontract(commitment, { vendorKey: 'V100231', projectKey: 'RMOB24017', projectTask: '01' });
  const details = body.Details as Array<Record<string, unknown>>;

  it('maps the header', () => {
    expect(body).toMatchObject({
      VendorID: 'V100231',
      VendorRef: 'PROCORE-9007199254741993',
      Description: 'SC-24017-003 Cast-in-Place Concrete',
      Date: '2024-03-18',
      StartDate: '2024-03-18',
      ApplyRetainage: true,
      RetainagePct: 10,
    });
  });

  it('maps amount-based lines as 1 x amount, on the project and default task', () => {
    expect(details[0]).toEqual({
      Project: 'RMOB24017',
      Task: '01',
      CostCode: '03-300',
      LineDescription: 'Footings',
      OrderQty: 1,
      UnitCost: 148500,
      Amount: 148500,
      RetainagePct: 10,
    });
  });

  it('keeps quantity and unit cost (4 places, so quantity x unit cost is the amount) on unit-based lines', () => {
    expect(details[1]).toMatchObject({ OrderQty: 1250, UnitCost: 30.7364, Amount: 38420.5, CostCode: '03-350' });
  });

  it('treats a zero quantity as amount-based, omits a missing cost code and truncates descriptions to 256', () => {
    expect(details[2]).toMatchObject({ OrderQty: 1, UnitCost: 0.1, Amount: 0.1, CostCode: undefined });
    expect((details[2].LineDescription as string).length).toBe(256);
  });

  it('turns off retainage when the commitment has none', () => {
    const none = mapSubcontract(
      { ...commitment, retainagePercent: null },
      { vendorKey: 'V', projectKey: 'P', projectTask: '01' },
    );
    expect(none).toMatchObject({ ApplyRetainage: false, RetainagePct: 0 });
  });
});

describe('mapPurchaseOrder', () => {
  const po = mapPurchaseOrder(commitment, { vendorKey: 'V100301', projectKey: 'RMOB24017', projectTask: '01' });
  it('creates a Normal PO on the project with the marker, taken off hold', () => {
    expect(po).toMatchObject({
      Type: 'Normal',
      VendorID: 'V100301',
      VendorRef: 'PROCORE-9007199254741993',
      Project: 'RMOB24017',
      Hold: false,
    });
    expect(po).not.toHaveProperty('RetainagePct');
  });
  it('puts lines on ProjectTask with the extended cost', () => {
    expect((po.Details as unknown[])[1]).toEqual({
      Project: 'RMOB24017',
      ProjectTask: '01',
      CostCode: '03-350',
      LineDescription: 'Finishing',
      UOM: 'SF',
      OrderQty: 1250,
      UnitCost: 30.7364,
      ExtendedCost: 38420.5,
    });
  });
});

describe('tax categories', () => {
  const targets = {
    vendorKey: 'V',
    projectKey: 'P',
    projectTask: '01',
    lineTaxCategories: ['TAXABLE', null, 'EXEMPT'],
  };
  it("puts each line's mapped category on subcontract and PO lines, and none where the line has none", () => {
    for (const body of [mapSubcontract(commitment, targets), mapPurchaseOrder(commitment, targets)]) {
      const details = body.Details as Array<Record<string, unknown>>;
      expect(details.map((d) => d.TaxCategory)).toEqual(['TAXABLE', undefined, 'EXEMPT']);
      expect(details[1]).not.toHaveProperty('TaxCategory');
    }
  });
});

describe('linesTotalProblem', () => {
  it('accepts lines that add up to the total to the cent', () => {
    expect(linesTotalProblem(commitment)).toBeUndefined();
  });
  it('explains a mismatch', () => {
    expect(linesTotalProblem({ ...commitment, grandTotal: '200000' })).toBe(
      'The lines of SC-24017-003 add up to 186920.60 but its total is 200000.00. Correct the schedule of values in Procore, then resend.',
    );
  });
});

describe('money', () => {
  it('sums decimal strings exactly', () => {
    expect(sumMoney(['0.10', '0.20', '148500.00', '38420.50'])).toBe('186920.80');
    expect(0.1 + 0.2).not.toBe(0.3); // the float drift sumMoney avoids
  });
  it('rounds half up to the cent', () => {
    expect(money('10.005')).toBe(10.01);
    expect(money(null)).toBe(0);
  });
});
