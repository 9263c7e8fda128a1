/**
 * Money, quantities and percents: the one place the connector rounds (README "Money").
 *
 * Procore sends amounts as decimal strings (or numbers); Acumatica takes DecimalValue numbers. Arithmetic happens in
 * decimal.js so sums never drift; conversion to a JS number happens only at the Acumatica boundary (well within a
 * double's 15 significant digits for any construction contract).
 *
 * The rule, for every money field of every flow:
 *  1. Procore's amounts are the source of truth. A line amount is rounded half-up to the currency's precision
 *     (2 places: 0.005 -> 0.01, -0.005 -> -0.01).
 *  2. Where a document total must match (a commitment's, an invoice's, a change order's, a budget's), the total is
 *     Procore's: its own total when Procore states one, else the exact sum of its lines, rounded half-up. The
 *     difference between that total and the sum of the rounded lines (at most half a cent per line) is carried on
 *     the largest line (by absolute amount, the first of equals) whose amount may carry it; so the lines add up to
 *     the total in both systems. 1,234,567.895 + 0.005 + 0.00 -> 1,234,567.89 + 0.01 + 0.00 = 1,234,567.90.
 *  3. A line priced as quantity x unit cost keeps its unit cost (to UNIT_COST_PLACES) and Acumatica computes its
 *     amount (quantity x unit cost, rounded half-up): such a line cannot carry a difference. When no line can, the
 *     document is refused with a message naming the lines (`problem`).
 * Unit costs are rounded half-up to 4 places (Acumatica's default price/cost precision), percents to 6, quantities
 * are sent as Procore has them.
 */
import Decimal from 'decimal.js';

export type DecimalInput = string | number | Decimal | null | undefined;

/** The currency's precision (USD and every currency Procore projects use here). */
export const MONEY_PLACES = 2;
/** Acumatica's default decimal places for unit prices and costs. */
export const UNIT_COST_PLACES = 4;
export const PERCENT_PLACES = 6;

export function toDecimal(value: DecimalInput): Decimal {
  if (value === null || value === undefined || value === '') return new Decimal(0);
  return new Decimal(value);
}

/** A money amount rounded half-up to the currency's precision, as a Decimal. */
export function roundMoney(value: DecimalInput): Decimal {
  return toDecimal(value).toDecimalPlaces(MONEY_PLACES, Decimal.ROUND_HALF_UP);
}

/** A money amount for Acumatica: rounded half-up to the currency's precision. */
export function money(value: DecimalInput): number {
  return roundMoney(value).toNumber();
}

/** A money amount for Procore (decimal string, 2 places, rounded half-up). */
export function moneyText(value: DecimalInput): string {
  return roundMoney(value).toFixed(MONEY_PLACES);
}

/** A unit cost for Acumatica (4 places, half-up): never rounded to the cent, so quantity x unit cost stays right. */
export function unitCost(value: DecimalInput): number {
  return toDecimal(value).toDecimalPlaces(UNIT_COST_PLACES, Decimal.ROUND_HALF_UP).toNumber();
}

/** A percent (retainage) for Acumatica. */
export function percent(value: DecimalInput): number {
  return toDecimal(value).toDecimalPlaces(PERCENT_PLACES, Decimal.ROUND_HALF_UP).toNumber();
}

/** A quantity as Procore has it. */
export function quantity(value: DecimalInput): number {
  return toDecimal(value).toNumber();
}

/** The exact sum of `values`, rounded half-up to the currency's precision, as text ("1234567.90"). */
export function sumMoney(values: DecimalInput[]): string {
  return values
    .reduce<Decimal>((acc, v) => acc.plus(toDecimal(v)), new Decimal(0))
    .toFixed(MONEY_PLACES, Decimal.ROUND_HALF_UP);
}

/** The exact sum of `values` (no rounding), for amounts that are summed before the rule rounds them. */
export function sumMoneyExact(values: DecimalInput[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(toDecimal(v)), new Decimal(0));
}

export interface DocumentLine {
  amount: DecimalInput;
  /** The line's amount is computed by Acumatica (quantity x unit cost): it cannot carry a rounding difference. */
  fixed?: boolean;
}

export interface DocumentAmounts {
  /** The line amounts to send, in order: they add up to `total`. */
  amounts: number[];
  /** The document total both systems show. */
  total: number;
  /** What the rounding of the lines left over (total - sum of rounded lines), carried on `carriedOn`. */
  difference: number;
  /** The index of the line that carries `difference`, or null when there was none to carry. */
  carriedOn: number | null;
  /** Set when a difference remained and no line could carry it: refuse the document with this. */
  problem?: string;
}

/**
 * The line amounts of a document under the rounding rule (rule 2 above). `total` is Procore's document total when
 * it states one (it must agree with the lines to within the rounding; commitments check that in their preflight),
 * else the exact sum of the lines. `labels` name the lines in a refusal.
 */
export function documentAmounts(
  lines: DocumentLine[],
  opts: { total?: DecimalInput; labels?: string[] } = {},
): DocumentAmounts {
  const rounded = lines.map((l) => roundMoney(l.amount));
  const exactSum = lines.reduce<Decimal>((acc, l) => acc.plus(toDecimal(l.amount)), new Decimal(0));
  const total =
    opts.total === undefined || opts.total === null || opts.total === ''
      ? roundMoney(exactSum)
      : roundMoney(opts.total);
  const difference = total.minus(rounded.reduce<Decimal>((acc, r) => acc.plus(r), new Decimal(0)));
  let carriedOn: number | null = null;
  let problem: string | undefined;
  if (!difference.isZero()) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].fixed) continue;
      if (carriedOn === null || rounded[i].abs().greaterThan(rounded[carriedOn].abs())) carriedOn = i;
    }
    if (carriedOn === null) {
      const names = (opts.labels ?? lines.map((_, i) => `line ${i + 1}`)).join(', ');
      problem =
        `The lines (${names}) are priced as quantity x unit cost and, rounded to the cent, add up to ` +
        `${total.minus(difference).toFixed(MONEY_PLACES)}, not the total ${total.toFixed(MONEY_PLACES)}. ` +
        `Enter one of them as an amount, or correct the unit costs in Procore, then resend.`;
    } else {
      rounded[carriedOn] = rounded[carriedOn].plus(difference);
    }
  }
  return {
    amounts: rounded.map((r) => r.toNumber()),
    total: total.toNumber(),
    difference: difference.toNumber(),
    carriedOn,
    ...(problem ? { problem } : {}),
  };
}

/** The rounded amount of a line priced as quantity x unit cost, as Acumatica computes it. */
export function extendedAmount(qty: DecimalInput, cost: DecimalInput): Decimal {
  return roundMoney(toDecimal(qty).mul(unitCost(cost)));
}

/** A priced Procore line (commitment or change order line), as the mappings take it; amounts are decimal text. */
export interface PricedLine {
  costCode: string | null;
  description: string;
  amount: string;
  quantity: string | null;
  unitCost: string | null;
  uom: string | null;
}

/** The priced fields of a Procore line item, read from the API's shape. */
export function pricedLineOf(l: {
  cost_code?: { full_code?: string | null; code?: string | null } | null;
  description?: string | null;
  amount: string;
  quantity?: string | null;
  unit_cost?: string | null;
  uom?: string | null;
}): PricedLine {
  return {
    costCode: l.cost_code?.full_code ?? l.cost_code?.code ?? null,
    description: l.description ?? '',
    amount: l.amount,
    quantity: l.quantity ?? null,
    unitCost: l.unit_cost ?? null,
    uom: l.uom ?? null,
  };
}

/**
 * How a Procore line is priced in Acumatica: quantity x unit cost when Procore gives both (quantity not zero) and
 * they give the line's amount once rounded (Acumatica computes the amount from them, so the line cannot carry a
 * rounding difference: `fixed`); otherwise 1 x the amount (Procore's amount is the source of truth). A quantity of
 * 1 is an amount (Procore reports amount-based lines as 1 x the amount): 1 x the amount, so it can carry.
 */
export function linePricing(line: { amount: DecimalInput; quantity?: DecimalInput; unitCost?: DecimalInput }): {
  qty: number;
  unitCost: number;
  fixed: boolean;
} {
  const q =
    line.quantity === null || line.quantity === undefined || line.quantity === '' ? null : toDecimal(line.quantity);
  const hasCost = !(line.unitCost === null || line.unitCost === undefined || line.unitCost === '');
  if (q && !q.isZero() && !q.eq(1) && hasCost && extendedAmount(q, line.unitCost).equals(roundMoney(line.amount))) {
    return { qty: q.toNumber(), unitCost: unitCost(line.unitCost), fixed: true };
  }
  return { qty: 1, unitCost: money(line.amount), fixed: false };
}
