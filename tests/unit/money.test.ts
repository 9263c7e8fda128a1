/**
 * The one rounding rule (mappings/money.ts, README "Money"), and every flow's mapping following it: Procore's
 * amounts are the source of truth, lines rounded half-up to the cent, the document's rounding difference carried
 * on its largest line, so the total is the same in both systems.
 */
import { mapBill, type BillSnapshot } from '../../mappings/bill';
import {
  mapCostBudgetLines,
  mapCostChangeOrder,
  mapRevenueBudgetLines,
  mapRevenueChangeOrder,
  type BudgetSnapshot,
} from '../../mappings/budget';
import {
  changeOrderRoundingProblem,
  mapCommitmentChangeOrder,
  type ChangeOrderSnapshot,
} from '../../mappings/change-order';
import {
  linesTotalProblem,
  mapPurchaseOrder,
  mapSubcontract,
  type CommitmentSnapshot,
} from '../../mappings/commitment';
import {
  documentAmounts,
  extendedAmount,
  linePricing,
  money,
  moneyText,
  percent,
  sumMoney,
  toDecimal,
  unitCost,
} from '../../mappings/money';

/** The sum of numbers as Acumatica adds them (exact decimals, like the simulator's rules). */
const acumaticaTotal = (amounts: unknown[]): string => sumMoney(amounts.map((a) => a as number));

const ODD = ['1234567.895', '0.005', '0.00'];

describe('the rounding rule', () => {
  it('rounds half up to the cent, negatives away from zero', () => {
    expect(money('0.005')).toBe(0.01);
    expect(money('1234567.895')).toBe(1234567.9);
    expect(money('-0.005')).toBe(-0.01);
    expect(money('2.675')).toBe(2.68); // a double would say 2.67
    expect(moneyText('1.5')).toBe('1.50');
    expect(sumMoney(ODD)).toBe('1234567.90');
  });

  it('1,234,567.895 + 0.005 + 0.00: both totals are 1,234,567.90, the cent carried on the largest line', () => {
    const naive = ODD.map((a) => money(a));
    expect(acumaticaTotal(naive)).toBe('1234567.91'); // the missing cent of the issue
    const doc = documentAmounts(ODD.map((amount) => ({ amount })));
    expect(doc).toMatchObject({ amounts: [1234567.89, 0.01, 0], total: 1234567.9, difference: -0.01, carriedOn: 0 });
    expect(acumaticaTotal(doc.amounts)).toBe('1234567.90');
  });

  it("uses Procore's stated total when there is one, and carries nothing when the lines already add up", () => {
    expect(
      documentAmounts(
        ODD.map((amount) => ({ amount })),
        { total: '1234567.90' },
      ).amounts,
    ).toEqual([1234567.89, 0.01, 0]);
    expect(documentAmounts([{ amount: '10.00' }, { amount: '5.25' }])).toMatchObject({
      difference: 0,
      carriedOn: null,
    });
  });

  it('carries the difference on the largest line by absolute amount, never on a quantity x unit cost line', () => {
    // Three thirds: 0.333 x 3 = 0.999 -> 1.00; lines round to 0.33 each.
    expect(documentAmounts([{ amount: '0.333' }, { amount: '-0.333' }, { amount: '0.333' }])).toMatchObject({
      amounts: [0.33, -0.33, 0.33],
      difference: 0,
    });
    const fixedLargest = documentAmounts([
      { amount: '100.005', fixed: true },
      { amount: '0.005' },
      { amount: '0.005' },
    ]);
    expect(fixedLargest.carriedOn).toBe(1);
    expect(acumaticaTotal(fixedLargest.amounts)).toBe('100.02');
  });

  it('refuses, naming the lines, when only quantity x unit cost lines could carry the difference', () => {
    const doc = documentAmounts(
      [
        { amount: '0.005', fixed: true },
        { amount: '0.005', fixed: true },
      ],
      { labels: ['Anchors', 'Bolts'] },
    );
    expect(doc.problem).toMatch(/The lines \(Anchors, Bolts\) are priced as quantity x unit cost/);
    expect(doc.problem).toMatch(/add up to 0\.02, not the total 0\.01/);
  });

  it('keeps unit costs to 4 places, percents to 6, and prices a line by quantity only when it gives the amount', () => {
    expect(unitCost('30.73645')).toBe(30.7365);
    expect(percent('7.1250004')).toBe(7.125);
    expect(extendedAmount('1250', '30.7364').toFixed(2)).toBe('38420.50');
    expect(linePricing({ amount: '38420.50', quantity: '1250', unitCost: '30.7364' })).toEqual({
      qty: 1250,
      unitCost: 30.7364,
      fixed: true,
    });
    // Procore's amount disagrees with quantity x unit cost: the amount wins, as 1 x amount.
    expect(linePricing({ amount: '100.00', quantity: '3', unitCost: '33.33' })).toEqual({
      qty: 1,
      unitCost: 100,
      fixed: false,
    });
    expect(linePricing({ amount: '5.00', quantity: '0', unitCost: '5' })).toMatchObject({ qty: 1, fixed: false });
  });
});

describe('every flow follows it (lines add up to the Procore total in Acumatica)', () => {
  const commitment: CommitmentSnapshot = {
    procoreId: '1',
    type: 'work_order_contract',
    projectId: '562001',
    number: 'SC-1',
    title: 'Odd amounts',
    label: 'SC-1 Odd amounts',
    vendorId: '31001',
    vendorName: 'Acme',
    retainagePercent: '10',
    contractDate: null,
    grandTotal: '1234567.90',
    lineIds: ['a', 'b', 'c'],
    lines: ODD.map((amount, i) => ({
      id: 'abc'[i],
      costCode: '03-300',
      description: `Line ${i + 1}`,
      amount,
      quantity: null,
      unitCost: null,
      uom: null,
    })),
  };
  const targets = { vendorKey: 'V', projectKey: 'P', projectTask: '01' };

  it('subcontract and purchase order: amount and unit cost of the carrying line agree', () => {
    expect(linesTotalProblem(commitment)).toBeUndefined();
    const sc = (mapSubcontract(commitment, targets).Details as Array<Record<string, number>>).map((d) => d);
    expect(sc.map((d) => d.Amount)).toEqual([1234567.89, 0.01, 0]);
    expect(sc.map((d) => d.UnitCost)).toEqual([1234567.89, 0.01, 0]);
    expect(acumaticaTotal(sc.map((d) => d.Amount))).toBe(commitment.grandTotal);
    const po = mapPurchaseOrder(commitment, targets).Details as Array<Record<string, number>>;
    expect(acumaticaTotal(po.map((d) => d.ExtendedCost))).toBe('1234567.90');
  });

  it('commitment change order', () => {
    const cco: ChangeOrderSnapshot = {
      procoreId: '2',
      label: 'CCO-1',
      lineIds: ['a', 'b', 'c'],
      projectId: '562001',
      commitmentId: '1',
      commitmentType: 'work_order_contract',
      number: '1',
      date: null,
      lines: ODD.map((amount, i) => ({
        procoreId: String(i),
        costCode: null,
        description: `L${i}`,
        amount,
        quantity: null,
        unitCost: null,
        uom: null,
        commitmentLineId: null,
      })),
    };
    const lines = mapCommitmentChangeOrder(cco, { projectKey: 'P', commitmentKey: 'SC1', vendorKey: 'V', lineNbrs: {} })
      .Commitments as Array<Record<string, number>>;
    expect(lines.map((l) => l.Amount)).toEqual([1234567.89, 0.01, 0]);
    expect(lines.map((l) => l.UnitCost)).toEqual([1234567.89, 0.01, 0]);
    expect(changeOrderRoundingProblem(cco)).toBeUndefined();
    const unitPriced = {
      ...cco,
      lines: cco.lines.slice(0, 2).map((l) => ({ ...l, amount: '0.005', quantity: '2', unitCost: '0.0025' })),
    };
    expect(changeOrderRoundingProblem(unitPriced)).toMatch(
      /^1: The lines \(L0, L1\) are priced as quantity x unit cost/,
    );
  });

  it('bill: work completed and retainage each add up', () => {
    const bill: BillSnapshot = {
      procoreId: '3',
      label: 'Pay app 1',
      lineIds: ['a', 'b', 'c'],
      projectId: '562001',
      commitmentId: '1',
      invoiceNumber: null,
      number: '1',
      billingDate: null,
      retainagePercent: '10',
      items: ODD.map((amount, i) => ({
        procoreId: String(i),
        commitmentLineId: null,
        costCode: null,
        description: `L${i}`,
        amount,
        retainage: toDecimal(amount).div(10).toString(), // 123456.7895, 0.0005, 0
      })),
    };
    const details = mapBill(bill, { vendorKey: 'V', projectKey: 'P', subcontractKey: 'SC1', lineNbrs: {} })
      .Details as Array<Record<string, unknown>>;
    expect(acumaticaTotal(details.map((d) => d.ExtendedCost))).toBe('1234567.90');
    const retainage = details.map(
      (d) =>
        (d.custom as { Transactions: { CuryRetainageAmt: { value: number } } }).Transactions.CuryRetainageAmt.value,
    );
    expect(retainage).toEqual([123456.79, 0, 0]);
    expect(acumaticaTotal(retainage)).toBe(sumMoney(bill.items.map((i) => i.retainage)));
  });

  it('budget, prime contract, budget change and prime contract change order', () => {
    const budget: BudgetSnapshot = {
      procoreId: '4',
      label: 'Budget',
      lineIds: ['a', 'b', 'c'],
      projectId: '562001',
      lines: ODD.map((amount, i) => ({
        procoreId: String(i),
        subJobCode: null,
        costCode: `03-${i}00`,
        costTypeCode: 'L',
        accountGroup: 'LABOR',
        description: `L${i}`,
        amount,
      })),
    };
    const t = { projectKey: 'P' };
    const total = (rows: Array<Record<string, unknown>>, field: string) => acumaticaTotal(rows.map((r) => r[field]));
    expect(total(mapCostBudgetLines(budget, t), 'OriginalBudgetedAmount')).toBe('1234567.90');
    expect(total(mapRevenueBudgetLines(budget, t, { summarise: false }), 'OriginalBudgetedAmount')).toBe('1234567.90');
    expect(total(mapRevenueBudgetLines(budget, t, { summarise: true }), 'OriginalBudgetedAmount')).toBe('1234567.90');
    expect(total(mapCostChangeOrder(budget, t).CostBudget as never, 'Amount')).toBe('1234567.90');
    expect(total(mapRevenueChangeOrder(budget, t).RevenueBudget as never, 'Amount')).toBe('1234567.90');
  });
});
