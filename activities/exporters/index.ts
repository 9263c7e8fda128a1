/** Every Procore -> Acumatica export flow, by kind. Adding a flow = a mapping module + an exporter here. */
import { purchaseOrderExporter, subcontractExporter } from './commitments';
import type { Exporter } from './types';
import { vendorExporter } from './vendor';

export const EXPORTERS = {
  subcontract: subcontractExporter,
  purchase_order: purchaseOrderExporter,
  vendor: vendorExporter,
} satisfies Record<string, Exporter>;

export type ExportKind = keyof typeof EXPORTERS;

export function exporterFor(kind: string): Exporter {
  const exporter = (EXPORTERS as Record<string, Exporter>)[kind];
  if (!exporter) throw new Error(`No exporter for "${kind}"`);
  return exporter;
}
