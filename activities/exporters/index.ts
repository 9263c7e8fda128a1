/**
 * Every Procore -> Acumatica export flow, by kind (lib/export-kinds.ts). A kind without an exporter is a type
 * error here; how to add one: docs/adding-an-entity.md.
 */
import { budgetChangeExporter } from './budget-changes';
import { budgetExporter, primeContractExporter } from './budgets';
import { commitmentChangeOrderExporter, primeChangeOrderExporter } from './change-orders';
import { companyDirectCostExporter } from './company-direct-costs';
import { purchaseOrderExporter, subcontractExporter } from './commitments';
import { projectExporter } from './projects';
import { requisitionExporter } from './requisitions';
import { ValidationError } from '../../lib/errors';
import { isExportKind, type ExportKind } from '../../lib/export-kinds';
import type { Exporter } from './types';
import { vendorExporter } from './vendor';

export const EXPORTERS: Record<ExportKind, Exporter> = {
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
  company_direct_cost: companyDirectCostExporter,
};

/**
 * The exporter of a kind. A kind that is not one (an activity input from an older or foreign workflow) is a
 * permanent error: retrying cannot fix it, so the workflow closes the request detail with the message.
 */
export function exporterFor(kind: string): Exporter {
  if (!isExportKind(kind)) throw new ValidationError(`The connector has no export of kind "${kind}".`);
  return EXPORTERS[kind];
}
