/**
 * Typed helpers over AcumaticaClient for the entities the connector syncs. Records are unwrapped
 * (`{VendorID: {value: 'V1'}}` -> `{VendorID: 'V1'}`) and checked with zod at this boundary: the fields the
 * connector relies on must have the right type; other fields pass through untouched. Writes take plain objects
 * (the client wraps them). Only fields every supported version has are required here; version-specific ones
 * (Vendor.LegalName from 22.200.001, AccountGroup.LastModifiedDateTime from 23.200.001) are optional.
 */
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import type { AcumaticaClient, ListOptions, PutOptions } from './client';
import { type AcumaticaRecord, unwrap } from './format';
import { and, eq, gt } from './odata';

const str = z.string().nullish();
const num = z.number().nullish();
const line = z.object({ id: z.string().optional() }).passthrough();

export const vendorSchema = z
  .object({
    id: z.string(),
    VendorID: z.string(),
    VendorName: str,
    LegalName: str,
    VendorClass: str,
    Status: str,
    TaxRegistrationID: str,
    ReceivingBranch: str,
    LastModifiedDateTime: str,
  })
  .passthrough();
export const projectSchema = z
  .object({ id: z.string(), ProjectID: z.string(), Description: str, Status: str, ExternalRefNbr: str })
  .passthrough();
export const projectTaskSchema = z
  .object({ id: z.string(), ProjectID: z.string(), ProjectTaskID: z.string(), Description: str, Status: str })
  .passthrough();
export const costCodeSchema = z.object({ id: z.string(), CostCodeID: z.string(), Description: str }).passthrough();
export const accountGroupSchema = z
  .object({ id: z.string(), AccountGroupID: z.string(), Description: str, Type: str, Expense: z.boolean().nullish() })
  .passthrough();
export const projectBudgetSchema = z
  .object({
    id: z.string(),
    ProjectID: z.string(),
    ProjectTaskID: z.string(),
    AccountGroup: z.string(),
    CostCode: str,
    Type: str,
    OriginalBudgetedAmount: num,
    RevisedBudgetedAmount: num,
    ActualAmount: num,
  })
  .passthrough();
export const billSchema = z
  .object({
    id: z.string(),
    Type: z.string(),
    ReferenceNbr: z.string(),
    Vendor: str,
    VendorRef: str,
    Status: str,
    Amount: num,
    Balance: num,
    Applications: z.array(line).optional(),
    Details: z.array(line).optional(),
  })
  .passthrough();
export const checkSchema = z
  .object({
    id: z.string(),
    Type: z.string(),
    ReferenceNbr: z.string(),
    Vendor: str,
    Status: str,
    PaymentAmount: num,
    ApplicationDate: str,
    Details: z.array(line).optional(),
  })
  .passthrough();
export const projectTransactionSchema = z
  .object({
    id: z.string(),
    Module: z.string(),
    ReferenceNbr: z.string(),
    Status: str,
    Details: z.array(line).optional(),
  })
  .passthrough();

export type Vendor = z.infer<typeof vendorSchema>;
export type Project = z.infer<typeof projectSchema>;
export type ProjectTask = z.infer<typeof projectTaskSchema>;
export type CostCode = z.infer<typeof costCodeSchema>;
export type AccountGroup = z.infer<typeof accountGroupSchema>;
export type ProjectBudgetLine = z.infer<typeof projectBudgetSchema>;
export type Bill = z.infer<typeof billSchema>;
export type Check = z.infer<typeof checkSchema>;
export type ProjectTransaction = z.infer<typeof projectTransactionSchema>;

/** Unwraps and checks one record; a mismatch is a ValidationError naming the entity and the fields. */
export function parseRecord<T>(entity: string, schema: z.ZodType<T>, rec: AcumaticaRecord): T {
  const parsed = schema.safeParse(unwrap(rec));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new ValidationError(`Acumatica ${entity} record has an unexpected shape: ${issues}`, { system: 'acumatica' });
}

export class AcumaticaEntities {
  constructor(private readonly client: AcumaticaClient) {}

  private async list<T>(entity: string, schema: z.ZodType<T>, opts: ListOptions): Promise<T[]> {
    return (await this.client.list(entity, opts)).map((r) => parseRecord(entity, schema, r));
  }

  /** Vendors visible in `branch` (restriction groups), optionally changed since a time. */
  vendors(opts: { branch?: string; since?: Date; top?: number; skip?: number } = {}): Promise<Vendor[]> {
    return this.list('Vendor', vendorSchema, {
      branch: opts.branch,
      top: opts.top,
      skip: opts.skip,
      filter: opts.since ? gt('LastModifiedDateTime', opts.since) : undefined,
      expand: ['MainContact'],
    });
  }

  async vendor(vendorId: string): Promise<Vendor> {
    return parseRecord('Vendor', vendorSchema, await this.client.get('Vendor', vendorId));
  }

  projects(filter?: string): Promise<Project[]> {
    return this.list('Project', projectSchema, { filter, expand: ['BillingAndAllocationSettings'] });
  }

  projectTasks(projectId: string): Promise<ProjectTask[]> {
    return this.list('ProjectTask', projectTaskSchema, { filter: eq('ProjectID', projectId) });
  }

  costCodes(opts: { top?: number; skip?: number } = {}): Promise<CostCode[]> {
    return this.list('CostCode', costCodeSchema, opts);
  }

  /** Expense account groups (Procore cost types). */
  expenseAccountGroups(): Promise<AccountGroup[]> {
    return this.list('AccountGroup', accountGroupSchema, { filter: eq('Type', 'Expense') });
  }

  projectBudget(projectId: string, type?: 'Cost' | 'Revenue'): Promise<ProjectBudgetLine[]> {
    return this.list('ProjectBudget', projectBudgetSchema, {
      filter: and(eq('ProjectID', projectId), type && eq('Type', type)),
    });
  }

  /** Upserts one budget line by its five keys (InventoryID defaults to '<N/A>'). */
  async putBudgetLine(line: {
    ProjectID: string;
    ProjectTaskID: string;
    AccountGroup: string;
    CostCode?: string;
    Type: 'Cost' | 'Revenue';
    OriginalBudgetedAmount: number;
    Description?: string;
  }): Promise<ProjectBudgetLine> {
    return parseRecord('ProjectBudget', projectBudgetSchema, await this.client.put('ProjectBudget', line));
  }

  billsByVendorRef(vendorRef: string): Promise<Bill[]> {
    return this.list('Bill', billSchema, { filter: eq('VendorRef', vendorRef), expand: ['Details', 'Applications'] });
  }

  /** Released checks with their applications to bills (payments issued on synced invoices). */
  checks(opts: { since?: Date } = {}): Promise<Check[]> {
    return this.list('Check', checkSchema, {
      filter: opts.since ? gt('LastModifiedDateTime', opts.since) : undefined,
      expand: ['Details'],
    });
  }

  projectTransactions(opts: { since?: Date; top?: number; skip?: number } = {}): Promise<ProjectTransaction[]> {
    return this.list('ProjectTransaction', projectTransactionSchema, {
      filter: opts.since ? gt('LastModifiedDateTime', opts.since) : undefined,
      expand: ['Details'],
      top: opts.top,
      skip: opts.skip,
    });
  }

  /** PUT then parse with the entity's schema (for callers that want a typed result). */
  async put<T>(entity: string, schema: z.ZodType<T>, body: Record<string, unknown>, opts?: PutOptions): Promise<T> {
    return parseRecord(entity, schema, await this.client.put(entity, body, opts));
  }
}
