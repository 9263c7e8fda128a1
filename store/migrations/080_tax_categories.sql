-- Per company: which Acumatica tax category each Procore tax code becomes on commitment and invoice lines
-- (store/tax-categories.ts). No row for a company = tax is not sent, as Procore's own connector does.
CREATE TABLE tax_categories (
  procore_company_id      text NOT NULL,
  procore_tax_code        text NOT NULL,
  acumatica_tax_category  text NOT NULL,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procore_company_id, procore_tax_code)
);
