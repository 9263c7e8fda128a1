/** Every Procore -> Acumatica export flow, by kind. Adding a flow = a mapping module + an exporter here. */
import { budgetChangeExporter } from './budget-changes';
import { budgetExporter, primeContractExporter } from './budgets';
import { commitmentChangeOrderExporter, primeChangeOrderExporter } from './change-orders';
import { purchaseOrderExporter, subcontractExporter } from './commitments';
import { projectExporter } from './projects';
import { requisitionExporter } from './requisitions';
import type { Exporter } from './types';
import { vendorExporter } from './vendor';

export const EXPORTERS = {
  subcontract: subcontractExporter,
  purchase_order: purchaseOrderExporter,
  commitment_change_order: commitmentChangeOrderExporter,
  vendor: vendorExporter,
  project: projectExporter,
  budget: budgetExporter,
  budget_change: budgetChangeExporter,
  prime_contract: primeContractExporter,
  prime_change_order: primeChangeOrderExporter,
  requisition: requisitionExporter,
} satisfies Record<string, Exporter>;

export type ExportKind = keyof typeof EXPORTERS;

export function exporterFor(kind: string): Exporter {
  const exporter = (EXPORTERS as Record<string, Exporter>)[kind];
  if (!exporter) throw new Error(`No exporter for "${kind}"`);
  return exporter;
}
