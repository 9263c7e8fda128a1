/**
 * Every Acumatica -> Procore import flow, by kind (lib/import-kinds.ts lists the kinds). Adding a flow = a
 * mapping module + an importer here + its entry in lib/import-kinds.ts.
 */
import { IMPORT_KINDS, type ImportKind } from '../../lib/import-kinds';
import { budgetImporter } from './budgets';
import { costCodeImporter, costTypeImporter } from './cost-structure';
import { directCostImporter } from './direct-costs';
import { paymentImporter } from './payments';
import { projectImporter } from './projects';
import type { Importer } from './types';
import { vendorImporter } from './vendors';

const IMPORTERS: Record<ImportKind, Importer> = {
  cost_codes: costCodeImporter,
  cost_types: costTypeImporter,
  vendors: vendorImporter,
  projects: projectImporter as Importer,
  budgets: budgetImporter as Importer,
  direct_costs: directCostImporter as Importer,
  payments: paymentImporter as Importer,
};

export function importerFor(kind: string): Importer {
  const importer = (IMPORTERS as Record<string, Importer>)[kind];
  if (!importer) throw new Error(`No importer for "${kind}"; known: ${Object.keys(IMPORT_KINDS).join(', ')}`);
  return importer;
}
