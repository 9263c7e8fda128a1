/**
 * The per-company tax-code mapping (issue #12): Procore tax code (its `code`, as the company typed it) -> the
 * Acumatica tax category (TaxCategoryID) its commitment and invoice lines carry. Set with
 * `npm run connector -- tax-categories`.
 */
import type { Db } from './db';

/** The company's mapping, code -> category; empty when none is configured. */
export async function taxCategoryMap(db: Db, companyId: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ code: string; category: string }>(
    `SELECT procore_tax_code AS code, acumatica_tax_category AS category
       FROM tax_categories WHERE procore_company_id = $1 ORDER BY procore_tax_code`,
    [companyId],
  );
  return Object.fromEntries(rows.map((r) => [r.code, r.category]));
}

export async function setTaxCategory(db: Db, companyId: string, code: string, category: string): Promise<void> {
  await db.query(
    `INSERT INTO tax_categories (procore_company_id, procore_tax_code, acumatica_tax_category) VALUES ($1, $2, $3)
     ON CONFLICT (procore_company_id, procore_tax_code) DO UPDATE SET acumatica_tax_category = $3, updated_at = now()`,
    [companyId, code, category],
  );
}

export async function removeTaxCategory(db: Db, companyId: string, code: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM tax_categories WHERE procore_company_id = $1 AND procore_tax_code = $2',
    [companyId, code],
  );
  return (rowCount ?? 0) > 0;
}
