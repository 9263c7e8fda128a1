/**
 * Tax on exported lines (issue #12; Procore's own connector sends none). Procore lines name a company tax code by
 * `tax_code_id`; the company's mapping (store/tax-categories.ts, `connector tax-categories`) turns its code into
 * the Acumatica tax category the line carries (TaxCategory on SubcontractDetail, PurchaseOrderDetail and
 * BillDetail in every Default contract). Acumatica computes the tax from the category and the vendor's tax zone;
 * the connector sends no tax amounts.
 *
 * - No line has a tax code: nothing is read, nothing sent.
 * - The company has no mapping: tax is not sent, as before, and the request detail says so.
 * - A mapping exists but misses a line's code: the preflight fails naming the code and the command that maps it.
 */
import { taxCategoryMap } from '../../store/tax-categories';
import type { ExportContext } from './types';

export interface TaxedLine {
  label: string;
  taxCodeId: string | null;
}

export interface LineTaxCategories {
  /** The tax category of each line, in order (null: none sent). */
  categories: Array<string | null>;
  problems: string[];
  /** Said in the request detail of a successful export. */
  notes: string[];
}

export async function lineTaxCategories(
  ctx: ExportContext,
  lines: TaxedLine[],
  resend: string,
): Promise<LineTaxCategories> {
  const none = { categories: lines.map(() => null), problems: [], notes: [] };
  if (!lines.some((l) => l.taxCodeId)) return none;
  const [codes, map] = await Promise.all([
    ctx.procore.listTaxCodes(ctx.companyId),
    taxCategoryMap(ctx.db, ctx.companyId),
  ]);
  const codeOf = new Map(codes.map((c) => [String(c.id), c.code]));
  const codesUsed = [...new Set(lines.flatMap((l) => (l.taxCodeId ? [codeOf.get(l.taxCodeId) ?? l.taxCodeId] : [])))];
  const command = `npm run connector -- tax-categories --company ${ctx.companyId} --set "<Procore tax code>=<Acumatica tax category>"`;
  if (Object.keys(map).length === 0)
    return {
      ...none,
      notes: [
        `Tax not sent: lines carry Procore tax codes (${codesUsed.join(', ')}) but no tax-category mapping is configured for this company; to send them, map each code with ${command}.`,
      ],
    };

  const unmapped = new Map<string, string[]>();
  const categories = lines.map((l) => {
    if (!l.taxCodeId) return null;
    const code = codeOf.get(l.taxCodeId);
    const category = code ? map[code] : undefined;
    if (category) return category;
    const key = code
      ? `Procore tax code "${code}"`
      : `Procore tax code id ${l.taxCodeId} (not in the company's tax codes)`;
    unmapped.set(key, [...(unmapped.get(key) ?? []), l.label]);
    return null;
  });
  const problems = [...unmapped].map(
    ([key, labels]) =>
      `${key} on line${labels.length > 1 ? 's' : ''} ${labels.map((l) => `"${l}"`).join(', ')} has no Acumatica tax category mapped. Map it with ${command}, then resend ${resend}.`,
  );
  return { categories, problems, notes: [] };
}
