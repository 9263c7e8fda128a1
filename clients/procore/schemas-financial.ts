/**
 * zod schemas for the rest of the Procore resources the connector reads and writes: cost structure, purchase
 * orders, change orders, budget, prime contracts, direct costs, invoices, payments and staged records. Same
 * conventions as schemas.ts: ids -> decimal strings, money and quantities -> decimal strings, unknown fields
 * dropped, missing required fields reported with their path.
 */
import { z } from 'zod';
import {
  commitmentLineItemSchema,
  costCodeRef,
  lineQuantity,
  optionalBool,
  optionalDecimal,
  optionalId,
  optionalInt,
  optionalString,
  origin,
  timestamps,
  workOrderContractSchema,
  zDecimal,
  zId,
} from './schemas';
export interface SyncOutcome<T> {
  entities: T[];
  errors: Array<Record<string, unknown>>;
}

export const lineItemTypeSchema = z.object({
  id: zId,
  name: z.string(),
  code: optionalString,
  base_type: optionalString,
  origin_id: optionalString,
  origin_data: optionalString,
});
export type LineItemType = z.infer<typeof lineItemTypeSchema>;

/** A company tax code; commitment lines name it by `tax_code_id`. */
export const taxCodeSchema = z.object({
  id: zId,
  code: z.string(),
  description: optionalString,
  archived: z.boolean().nullish(),
});
export type TaxCode = z.infer<typeof taxCodeSchema>;

export const subJobSchema = z.object({
  id: zId,
  code: optionalString,
  name: z.string(),
  origin_id: optionalString,
  origin_data: optionalString,
  ...timestamps,
});
export type SubJob = z.infer<typeof subJobSchema>;

export const standardCostCodeListSchema = z.object({
  id: zId,
  name: z.string(),
  is_erp_list: optionalBool,
  company_id: optionalId,
});
export type StandardCostCodeList = z.infer<typeof standardCostCodeListSchema>;

export const standardCostCodeSchema = z.object({
  id: zId,
  standard_cost_code_list_id: optionalId,
  parent_id: optionalId,
  code: z.string(),
  full_code: optionalString,
  name: optionalString,
  origin_id: optionalString,
  origin_data: optionalString,
});
export type StandardCostCode = z.infer<typeof standardCostCodeSchema>;

export const projectCostCodeSchema = z.object({
  id: zId,
  code: z.string(),
  full_code: optionalString,
  name: optionalString,
  position: optionalInt,
  standard_cost_code_id: optionalId,
  biller_id: optionalId,
  biller_type: optionalString,
  biller_origin_id: optionalString,
  budgeted: optionalBool,
  origin_id: optionalString,
  origin_data: optionalString,
  line_item_types: z.array(lineItemTypeSchema).nullable().optional(),
  ...timestamps,
});
export type ProjectCostCode = z.infer<typeof projectCostCodeSchema>;

export const purchaseOrderContractSchema = workOrderContractSchema.extend({
  delivery_date: optionalString,
  approved_change_orders: optionalDecimal,
  total_payments: optionalDecimal,
});
export type PurchaseOrderContract = z.infer<typeof purchaseOrderContractSchema>;

const lineItemTypeRef = z
  .object({ id: zId, name: optionalString, code: optionalString, origin_id: optionalString })
  .nullable()
  .optional();

/** Commitment and prime change orders (the digest's change order models). */
export const changeOrderSchema = z.object({
  id: zId,
  contract_id: optionalId,
  number: optionalString,
  title: optionalString,
  description: optionalString,
  status: optionalString,
  executed: optionalBool,
  type: optionalString,
  revision: optionalInt,
  due_date: optionalString,
  grand_total: optionalDecimal,
  ...timestamps,
});
export type CommitmentChangeOrder = z.infer<typeof changeOrderSchema>;
export type PrimeChangeOrder = CommitmentChangeOrder;

export const changeOrderLineItemSchema = z.object({
  id: zId,
  amount: zDecimal,
  cost_code: costCodeRef,
  line_item_type: lineItemTypeRef,
  ...lineQuantity,
  position: optionalInt,
  /** The commitment (or prime contract) line whose scope this line changes; null for new scope. */
  contract_line_item_id: optionalId,
  origin_id: optionalString,
});
export type ChangeOrderLineItem = z.infer<typeof changeOrderLineItemSchema>;

export const primeContractSchema = z.object({
  id: zId,
  number: optionalString,
  title: optionalString,
  status: optionalString,
  executed: optionalBool,
  retainage_percent: optionalDecimal,
  contract_date: optionalString,
  grand_total: optionalDecimal,
  approved_change_orders: optionalDecimal,
  revised_contract_amount: optionalDecimal,
  contractor: z.object({ id: optionalId, name: optionalString }).nullable().optional(),
  ...origin,
  deleted_at: optionalString,
  ...timestamps,
});
export type PrimeContract = z.infer<typeof primeContractSchema>;
export type PrimeContractLineItem = z.infer<typeof commitmentLineItemSchema>;

export const budgetViewSchema = z.object({ id: zId, name: z.string(), description: optionalString });
export type BudgetView = z.infer<typeof budgetViewSchema>;

export const budgetDetailRowSchema = z.object({
  id: zId,
  project_id: optionalId,
  cost_code_id: optionalId,
  cost_code: optionalString,
  cost_code_origin_id: optionalString,
  root_cost_code: optionalString,
  category_id: optionalId,
  category: optionalString,
  biller_id: optionalId,
  biller: optionalString,
  biller_type: optionalString,
  original_budget_amount: optionalDecimal,
  budget_modifications: optionalDecimal,
});
export type BudgetDetailRow = z.infer<typeof budgetDetailRowSchema>;

export const budgetLineItemSchema = z.object({
  id: zId,
  original_budget_amount: zDecimal,
  approved_budget_changes: optionalDecimal,
  revised_budget: optionalDecimal,
  committed_costs: optionalDecimal,
  direct_costs: optionalDecimal,
  projected_costs: optionalDecimal,
  cost_code: z.object({ id: zId, code: optionalString, full_code: optionalString, name: optionalString }).nullable(),
  line_item_type: z.object({ id: zId, name: optionalString }).nullable(),
  uom: optionalString,
  quantity: optionalDecimal,
  unit_cost: optionalDecimal,
});
export type BudgetLineItem = z.infer<typeof budgetLineItemSchema>;

/**
 * A project WBS ("budget") code with its segment items. Each item names its segment's type (sub_job, cost_code,
 * cost_type) and carries the id of the record it stands for, so a budget code is found by sub job, cost code
 * and cost type ids.
 */
export const wbsCodeSchema = z.object({
  id: zId,
  flat_code: optionalString,
  description: optionalString,
  status: optionalString,
  segment_items: z
    .array(
      z.object({
        id: zId,
        code: optionalString,
        segment: z.object({ type: optionalString }).nullable().optional(),
      }),
    )
    .nullable()
    .optional()
    .transform((items) => items ?? []),
});
export type WbsCode = z.infer<typeof wbsCodeSchema>;

/** A budget line item as `POST /budget_line_items/sync` answers it (v1.1 shape: with its WBS code). */
export const syncedBudgetLineSchema = z.object({
  id: zId,
  original_budget_amount: optionalDecimal,
  quantity: optionalDecimal,
  unit_cost: optionalDecimal,
  uom: optionalString,
  wbs_code: z.object({ id: zId, flat_code: optionalString }).nullable().optional(),
});
export type SyncedBudgetLine = z.infer<typeof syncedBudgetLineSchema>;

/** `wbs_code.flat_code` of a budget change line, split (the simulator writes sub job.cost code.cost type). */
export function parseWbsFlatCode(flat: string | null | undefined): {
  subJobCode: string | null;
  costCode: string | null;
  costTypeCode: string | null;
} {
  // A code of one segment is a cost code alone (the events dictionary's example writes "01-100").
  if (flat && !flat.includes('.')) return { subJobCode: null, costCode: flat, costTypeCode: null };
  const [subJob, costCode, costType] = (flat ?? '').split('.');
  return { subJobCode: subJob || null, costCode: costCode || null, costTypeCode: costType || null };
}

export const budgetChangeLineSchema = z
  .object({
    id: zId,
    adjustment_number: optionalInt,
    wbs_code: z
      .object({ id: optionalId, flat_code: optionalString, description: optionalString })
      .nullable()
      .optional(),
    description: optionalString,
    amount: zDecimal,
    quantity: optionalDecimal,
    unit_cost: optionalDecimal,
    uom: optionalString,
  })
  .transform((l) => ({ ...l, ...parseWbsFlatCode(l.wbs_code?.flat_code) }));
export type BudgetChangeLine = z.infer<typeof budgetChangeLineSchema>;

export const budgetChangeSchema = z.object({
  id: zId,
  number: optionalInt,
  status: optionalString,
  title: optionalString,
  description: optionalString,
  erp_status: optionalString,
  amount: optionalDecimal,
  prime_contract: z.object({ id: zId, number: optionalString, title: optionalString }).nullable().optional(),
  adjustment_line_items: z.array(budgetChangeLineSchema).nullable().optional(),
});
export type BudgetChange = z.infer<typeof budgetChangeSchema>;

export const directCostSchema = z.object({
  id: zId,
  direct_cost_type: optionalString,
  direct_cost_date: optionalString,
  invoice_number: optionalString,
  status: optionalString,
  description: optionalString,
  grand_total: optionalDecimal,
  vendor_id: optionalId,
  vendor_name: optionalString,
  received_date: optionalString,
  payment_date: optionalString,
  origin_id: optionalString,
  origin_data: optionalString,
  deleted_at: optionalString,
  ...timestamps,
});
export type DirectCost = z.infer<typeof directCostSchema>;

export const directCostLineItemSchema = z.object({
  id: zId,
  amount: zDecimal,
  cost_code: costCodeRef,
  line_item_type: lineItemTypeRef,
  ...lineQuantity,
  origin_id: optionalString,
  holder: z.object({ id: zId, holder_type: optionalString }).nullable().optional(),
});
export type DirectCostLineItem = z.infer<typeof directCostLineItemSchema>;

export const requisitionSchema = z.object({
  id: zId,
  project_id: optionalId,
  commitment_id: zId,
  commitment_type: optionalString,
  number: optionalInt,
  invoice_number: optionalString,
  billing_date: optionalString,
  requisition_start: optionalString,
  requisition_end: optionalString,
  status: optionalString,
  erp_status: optionalString,
  payment_date: optionalString,
  vendor_name: optionalString,
  total_claimed_amount: optionalDecimal,
  summary: z
    .object({
      total_completed_and_stored_to_date: optionalDecimal,
      total_retainage: optionalDecimal,
      current_payment_due: optionalDecimal,
    })
    .nullable()
    .optional(),
  origin_id: optionalString,
  origin_data: optionalString,
  ...timestamps,
});
export type Requisition = z.infer<typeof requisitionSchema>;

/** An invoice line: `line_item_id` is the commitment line billed; retainage is this period's. */
export const requisitionItemSchema = z.object({
  id: zId,
  line_item_id: optionalId,
  cost_code_id: optionalId,
  description_of_work: optionalString,
  scheduled_value: optionalDecimal,
  work_completed_from_previous_application: optionalDecimal,
  work_completed_this_period: zDecimal,
  materials_presently_stored: optionalDecimal,
  total_completed_and_stored_to_date: optionalDecimal,
  work_completed_retainage_retained_this_period: optionalDecimal,
  work_completed_retainage_percent_this_period: optionalDecimal,
  materials_presently_stored_from_previous_progress: optionalDecimal,
  materials_stored_retainage_currently_retained: optionalDecimal,
  work_completed_retainage_released_this_period: optionalDecimal,
  materials_stored_retainage_released_this_period: optionalDecimal,
  position: optionalInt,
});
export type RequisitionItem = z.infer<typeof requisitionItemSchema>;

export const contractPaymentSchema = z.object({
  id: zId,
  amount: zDecimal,
  contract_id: zId,
  project_id: optionalId,
  requisition_id: optionalId,
  date: optionalString,
  check_number: optionalString,
  invoice_number: optionalString,
  payment_number: optionalInt,
  status: optionalString,
  notes: optionalString,
  ...origin,
  created_at: optionalString,
});
export type ContractPayment = z.infer<typeof contractPaymentSchema>;

export const stagedRecordSchema = z.object({
  id: zId,
  item_type: z.string(),
  origin_id: optionalString,
  origin_code: optionalString,
  status: z.string(),
  data: z.record(z.unknown()).nullable().optional(),
  messages: z.array(z.string()).nullable().optional(),
  procore_id: optionalId,
  ...timestamps,
});
export type StagedRecord = z.infer<typeof stagedRecordSchema>;

/**
 * `request_data.direct_cost` of create_company_level_direct_cost (procore/documentation
 * erp_integration/erp_events_dictionary.md, 2026-06): a vendor invoice whose lines span several projects; each
 * line names its project and carries the ERP keys Procore holds for its job, cost code and cost type.
 */
export const companyDirectCostSchema = z.object({
  id: zId,
  invoice_number: optionalString,
  description: optionalString,
  direct_cost_date: optionalString,
  accounting_date: optionalString,
  line_item_total: optionalDecimal,
  vendor: z.object({ id: zId, name: optionalString, origin_id: optionalString }).nullable().optional(),
  line_items: z.array(
    z
      .object({
        id: zId,
        description: optionalString,
        project: z.object({ id: zId, name: optionalString }),
        total_amount: zDecimal,
        wbs_code: z.object({ flat_code: optionalString }).nullable().optional(),
        job_origin_id: optionalString,
        cost_code_origin_id: optionalString,
        line_item_type_origin_id: optionalString,
      })
      .transform((l) => ({ ...l, ...parseWbsFlatCode(l.wbs_code?.flat_code) })),
  ),
});
export type CompanyDirectCost = z.infer<typeof companyDirectCostSchema>;
