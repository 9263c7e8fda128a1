/**
 * zod schemas for the Procore responses the connector reads (field names per procore-public-api-digest.json
 * and procore-api.md §5.8). Responses are parsed with lossless-json, so every JSON number arrives as a
 * LosslessNumber holding its exact text; these schemas turn ids into decimal strings (never JS numbers, ids
 * may exceed 2^53), money into decimal strings, and small counters into numbers. Unknown fields are
 * stripped; a missing required field fails with its path.
 */
import { LosslessNumber, isLosslessNumber } from 'lossless-json';
import { z } from 'zod';

const numberText = (v: unknown): string | undefined => {
  if (isLosslessNumber(v)) return (v as LosslessNumber).value;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
};

/** A Procore id (JSON number or numeric string) -> decimal string. */
export const zId = z
  .custom<LosslessNumber | number | string>((v) => /^\d+$/.test(numberText(v) ?? (typeof v === 'string' ? v : '')), {
    message: 'Expected an integer id',
  })
  .transform((v) => numberText(v) ?? String(v));

/** Money or a quantity (JSON number or string) -> exact decimal string, e.g. "38420.50". */
export const zDecimal = z
  .custom<LosslessNumber | number | string>(
    (v) => {
      const text = numberText(v) ?? (typeof v === 'string' ? v : undefined);
      return text !== undefined && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim());
    },
    { message: 'Expected a decimal number' },
  )
  .transform((v) => (numberText(v) ?? String(v)).trim());

/** A small integer (position, HTTP status) -> number. */
export const zInt = z
  .custom<LosslessNumber | number>((v) => numberText(v) !== undefined, { message: 'Expected a number' })
  .transform((v) => Number(numberText(v)));

export const optionalId = zId.nullable().optional();
export const optionalDecimal = zDecimal.nullable().optional();
export const optionalString = z.string().nullable().optional();

export const optionalInt = zInt.nullable().optional();
export const optionalBool = z.boolean().nullable().optional();

export const origin = {
  origin_id: optionalString,
  origin_code: optionalString,
  origin_data: optionalString,
};

export const timestamps = {
  created_at: optionalString,
  updated_at: optionalString,
};

/** A postal address (vendors, projects). */
const address = {
  address: optionalString,
  city: optionalString,
  state_code: optionalString,
  zip: optionalString,
  country_code: optionalString,
};

/** The quantity side of a line: what it is, how many, at what unit price, in which unit. */
export const lineQuantity = {
  description: optionalString,
  quantity: optionalDecimal,
  unit_cost: optionalDecimal,
  uom: optionalString,
};

/** A line's cost code, as lines embed it. */
export const costCodeRef = z
  .object({ id: zId, code: optionalString, full_code: optionalString, name: optionalString, origin_id: optionalString })
  .nullable()
  .optional();

/** Per-item errors of a sync action: each echoes the update plus `errors: {field: [messages]}`; kept loose. */
const syncErrors = z.array(z.record(z.unknown()));

/** `{entities, errors}` of a sync action, entities parsed with `entity`. */
export function syncResultOf<S extends z.ZodTypeAny>(entity: S) {
  return z.object({ entities: z.array(entity), errors: syncErrors });
}

export const vendorSchema = z
  .object({
    id: zId,
    name: z.string(),
    abbreviated_name: optionalString,
    ...address,
    business_phone: optionalString,
    email_address: optionalString,
    business_id: z.union([z.string(), zId]).nullable().optional(),
    business_register: z.object({ type: optionalString, identifier: optionalString }).nullable().optional(),
    is_active: optionalBool,
    synced_to_erp: optionalBool,
    ...origin,
    ...timestamps,
  })
  // The tax id arrives as `business_id` (lists) or only as the business register identifier (GET by id).
  .transform((v) => ({ ...v, business_id: v.business_id ?? v.business_register?.identifier ?? null }));
export type Vendor = z.infer<typeof vendorSchema>;

export const projectSchema = z.object({
  id: zId,
  name: z.string(),
  display_name: optionalString,
  project_number: optionalString,
  ...address,
  start_date: optionalString,
  completion_date: optionalString,
  active: optionalBool,
  ...origin,
  company: z.object({ id: zId, name: optionalString }).nullable().optional(),
  ...timestamps,
});
export type Project = z.infer<typeof projectSchema>;

export const workOrderContractSchema = z.object({
  id: zId,
  number: optionalString,
  title: optionalString,
  status: optionalString,
  executed: optionalBool,
  accounting_method: optionalString,
  vendor: z
    .object({ id: zId, name: optionalString, company: optionalString })
    // Procore's digest names the vendor's name `company`; expose it as `name` whichever arrives.
    .transform((v) => ({ ...v, name: v.name ?? v.company ?? null }))
    .nullable()
    .optional(),
  project: z.object({ id: zId, name: optionalString }).nullable().optional(),
  retainage_percent: optionalDecimal,
  grand_total: optionalDecimal,
  revised_contract: optionalDecimal,
  contract_date: optionalString,
  private: optionalBool,
  ...origin,
  currency_configuration: z.object({ currency_iso_code: optionalString }).nullable().optional(),
  deleted_at: optionalString,
  ...timestamps,
});
export type WorkOrderContract = z.infer<typeof workOrderContractSchema>;

export const commitmentLineItemSchema = z.object({
  id: zId,
  amount: zDecimal,
  cost_code: costCodeRef,
  line_item_type: z
    .object({
      id: zId,
      name: optionalString,
      code: optionalString,
      base_type: optionalString,
      origin_id: optionalString,
    })
    .nullable()
    .optional(),
  wbs_code: z.object({ id: zId, flat_code: optionalString, description: optionalString }).nullable().optional(),
  ...lineQuantity,
  total_amount: optionalDecimal,
  extended_amount: optionalDecimal,
  tax_code_id: optionalId,
  origin_id: optionalString,
  origin_data: optionalString,
  position: optionalInt,
  ...timestamps,
});
export type CommitmentLineItem = z.infer<typeof commitmentLineItemSchema>;

export const erpRequestDetailSchema = z.object({
  id: zId,
  erp_request_id: optionalId,
  item_type: z.string(),
  item_id: zId,
  status: z.string(),
  messages: z.array(z.string()).nullable().optional(),
  ...timestamps,
});
export type ErpRequestDetail = z.infer<typeof erpRequestDetailSchema>;

/**
 * request_data differs per request_name; the create_commitment keys are typed, anything else is kept with
 * its numbers turned into decimal strings (see plainJson).
 */
export const erpRequestDataSchema = z
  .object({
    job_id: optionalId,
    request_detail_id: optionalId,
    company_id: optionalId,
    commitment: workOrderContractSchema
      .extend({ type: optionalString, project_id: optionalId, vendor_id: optionalId })
      .nullable()
      .optional(),
    commitment_items: z.array(commitmentLineItemSchema).nullable().optional(),
    additional_data: z.object({ accounting_date: optionalString }).passthrough().nullable().optional(),
  })
  .passthrough();

export const erpRequestSchema = z.object({
  id: zId,
  company_id: zId,
  request_name: z.string(),
  integration_app_name: optionalString,
  request_data: erpRequestDataSchema,
  request_details: z.array(erpRequestDetailSchema),
  ...timestamps,
});
export type ErpRequest = z.infer<typeof erpRequestSchema>;

export const externalDataEntitySchema = z.object({
  id: zId,
  item_type: z.string(),
  item_id: zId,
  origin_id: z.string().nullable(),
  origin_data: optionalString,
});
export type ExternalDataEntity = z.infer<typeof externalDataEntitySchema>;

export const syncResultSchema = syncResultOf(externalDataEntitySchema);
export type SyncResult = z.infer<typeof syncResultSchema>;

/** erp_transactions/sync answer: the transactions marked synced, and per-item errors. */
export const erpTransactionSyncSchema = syncResultOf(
  z.object({ id: zId, origin_id: z.string().nullable(), synced: z.boolean().optional() }),
);
export type ErpTransactionSyncResult = z.infer<typeof erpTransactionSyncSchema>;

export const hookSchema = z.object({
  id: zId,
  api_version: z.string(),
  namespace: optionalString,
  destination_url: z.string(),
  destination_headers: z
    .record(z.string().nullable())
    .transform((h) => Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== null)))
    .nullable()
    .optional(),
  owned_by_company_id: optionalId,
  owned_by_project_id: optionalId,
  owned_by_user_id: optionalId,
});
export type Hook = z.infer<typeof hookSchema>;

export const triggerSchema = z.object({
  id: zId,
  webhook_hook_id: optionalId,
  resource_name: z.string(),
  event_type: z.string(),
  company_id: optionalId,
  project_id: optionalId,
});
export type Trigger = z.infer<typeof triggerSchema>;

export const deliverySchema = z.object({
  id: optionalId,
  event_id: optionalId,
  event: z.record(z.unknown()).nullable().optional(),
  outcome: z.string(),
  response_status: optionalInt,
  response_error: optionalString,
  started_at: optionalString,
  completed_at: optionalString,
});
export type Delivery = z.infer<typeof deliverySchema>;

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: zInt,
  refresh_token: z.string().nullable().optional(),
  created_at: zInt.optional(),
});

/** Deep copy with every LosslessNumber replaced by its exact text (for passthrough parts). */
export function plainJson(value: unknown): unknown {
  if (isLosslessNumber(value)) return (value as LosslessNumber).value;
  if (Array.isArray(value)) return value.map(plainJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]));
  }
  return value;
}
