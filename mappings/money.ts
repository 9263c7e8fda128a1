/**
 * Money and quantities as exact decimals. Procore sends amounts as decimal strings (or numbers); Acumatica
 * takes DecimalValue numbers. Arithmetic happens in decimal.js so sums never drift; conversion to a JS number
 * happens only at the Acumatica boundary, rounded to the currency's 2 places (well within a double's 15
 * significant digits for any construction contract).
 */
import Decimal from 'decimal.js';

export function toDecimal(value: string | number | null | undefined): Decimal {
  if (value === null || value === undefined || value === '') return new Decimal(0);
  return new Decimal(value);
}

export function money(value: string | number | null | undefined): number {
  return toDecimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}

export function sumMoney(values: Array<string | number | null | undefined>): string {
  return values.reduce<Decimal>((acc, v) => acc.plus(toDecimal(v)), new Decimal(0)).toFixed(2);
}
