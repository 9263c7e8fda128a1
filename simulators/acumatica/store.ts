/**
 * In-memory data of the Acumatica simulator. Records are kept unwrapped and version-neutral:
 *   values: { VendorID: 'V100231', MainContact: { Email: '...' }, Details: [{ id, LineNbr: 1, Amount: 10 }] }
 * (scalars for value fields, plain objects for linked entities, arrays of lines for detail collections).
 * What a given endpoint version shows of a record is decided by that version's contract when rendering.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_COMPANY, DEMO_COST_CODES, DEMO_PROJECT, DEMO_VENDORS } from '../demo-data';

export interface StoredLine {
  id: string;
  [field: string]: unknown;
}

export interface StoredRecord {
  id: string;
  entity: string;
  values: Record<string, unknown>;
  /** Simulator-only state that is not part of any contract (e.g. Subcontract hold flag). */
  internal: Record<string, unknown>;
}

export interface StoreSnapshot {
  records: Record<string, StoredRecord[]>;
  counters: Record<string, number>;
}

/** Key fields per entity (URL order). Entities without an entry are addressed by `id` only. */
export const ENTITY_KEYS: Record<string, string[]> = {
  Vendor: ['VendorID'],
  Project: ['ProjectID'],
  ProjectTask: ['ProjectID', 'ProjectTaskID'],
  CostCode: ['CostCodeID'],
  AccountGroup: ['AccountGroupID'],
  Subcontract: ['SubcontractNbr'],
  PurchaseOrder: ['Type', 'OrderNbr'],
  ChangeOrder: ['RefNbr'],
  Bill: ['Type', 'ReferenceNbr'],
  Check: ['Type', 'ReferenceNbr'],
  ExternalCommitment: ['ExternalRefNbr'],
};

/** Auto-numbering sequences (prefix + zero-padded counter). */
export const AUTO_NUMBERS: Record<string, { field: string; prefix: string; width: number }> = {
  Subcontract: { field: 'SubcontractNbr', prefix: 'SC', width: 6 },
  ChangeOrder: { field: 'RefNbr', prefix: 'CO', width: 6 },
};

/** Acumatica-style timestamp: ISO 8601 with an explicit offset. */
export function acuDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

const SEED_TIME = '2024-03-01T15:00:00.000+00:00';

export const sameKey = (a: unknown, b: unknown): boolean =>
  a !== undefined &&
  a !== null &&
  String(a).trim().toUpperCase() ===
    String(b ?? '')
      .trim()
      .toUpperCase();

export class AcumaticaStore {
  private data = new Map<string, Map<string, StoredRecord>>();
  private counters: Record<string, number> = {};

  constructor(private readonly clock: () => Date = () => new Date()) {
    this.reset();
  }

  now(): Date {
    return this.clock();
  }

  reset(): void {
    this.data.clear();
    this.counters = {};
    this.seed();
  }

  private seed(): void {
    const base = (values: Record<string, unknown>): Record<string, unknown> => ({
      CreatedDateTime: SEED_TIME,
      LastModifiedDateTime: SEED_TIME,
      ...values,
    });
    for (const v of DEMO_VENDORS) {
      if (!v.acumaticaVendorId) continue;
      this.insertRaw(
        'Vendor',
        base({
          VendorID: v.acumaticaVendorId,
          VendorName: v.name,
          LegalName: v.name,
          VendorClass: v.vendorClass,
          Status: 'Active',
          TaxRegistrationID: v.taxId,
          ReceivingBranch: v.branch,
          CurrencyID: 'USD',
          Terms: '30D',
          MainContact: {
            CompanyName: v.name,
            Email: v.email,
            Phone1: v.phone,
            Address: { City: v.city, State: v.stateCode, PostalCode: v.zip, Country: 'US' },
          },
        }),
      );
    }
    this.insertRaw(
      'Project',
      base({
        ProjectID: DEMO_PROJECT.acumaticaProjectId,
        Description: DEMO_PROJECT.name,
        Status: 'Active',
        Hold: false,
        Customer: DEMO_PROJECT.customer,
        ExternalRefNbr: DEMO_PROJECT.projectNumber,
        BillingAndAllocationSettings: { Branch: DEMO_PROJECT.branch },
        ProjectProperties: {
          StartDate: `${DEMO_PROJECT.startDate}T00:00:00+00:00`,
          EndDate: `${DEMO_PROJECT.completionDate}T00:00:00+00:00`,
          CostBudgetLevel: 'Task and Cost Code',
          RevenueBudgetLevel: 'Task',
        },
        ProjectAddress: {
          AddressLine1: DEMO_PROJECT.address,
          City: DEMO_PROJECT.city,
          State: DEMO_PROJECT.stateCode,
          PostalCode: DEMO_PROJECT.zip,
          Country: 'US',
        },
      }),
    );
    // Acumatica needs a task on project lines; the connector posts to task 01 until sub jobs are exported.
    for (const [taskId, description] of [
      ['01', 'General Conditions'],
      ['02', 'Building Construction'],
    ]) {
      this.insertRaw(
        'ProjectTask',
        base({
          ProjectID: DEMO_PROJECT.acumaticaProjectId,
          ProjectTaskID: taskId,
          Description: description,
          Status: 'Active',
          Default: taskId === '01',
        }),
      );
    }
    for (const c of DEMO_COST_CODES) {
      this.insertRaw('CostCode', { CostCodeID: c.code, Description: c.description, LastModifiedDateTime: SEED_TIME });
    }
  }

  private table(entity: string): Map<string, StoredRecord> {
    let t = this.data.get(entity);
    if (!t) {
      t = new Map();
      this.data.set(entity, t);
    }
    return t;
  }

  private insertRaw(
    entity: string,
    values: Record<string, unknown>,
    internal: Record<string, unknown> = {},
  ): StoredRecord {
    const rec: StoredRecord = { id: randomUUID(), entity, values, internal };
    this.table(entity).set(rec.id, rec);
    return rec;
  }

  all(entity: string): StoredRecord[] {
    return [...(this.data.get(entity)?.values() ?? [])];
  }

  byId(entity: string, id: string): StoredRecord | undefined {
    const t = this.data.get(entity);
    if (!t) return undefined;
    const lower = id.toLowerCase();
    for (const [k, v] of t) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  byKeys(entity: string, keys: unknown[]): StoredRecord | undefined {
    const fields = ENTITY_KEYS[entity];
    if (!fields || keys.length !== fields.length) return undefined;
    return this.all(entity).find((r) => fields.every((f, i) => sameKey(r.values[f], keys[i])));
  }

  /** Inserts a record; LastModifiedDateTime and CreatedDateTime are set from the clock. */
  insert(entity: string, values: Record<string, unknown>, internal: Record<string, unknown> = {}): StoredRecord {
    const now = acuDate(this.now());
    return this.insertRaw(entity, { CreatedDateTime: now, ...values, LastModifiedDateTime: now }, internal);
  }

  touch(rec: StoredRecord): void {
    rec.values.LastModifiedDateTime = acuDate(this.now());
  }

  delete(entity: string, id: string): boolean {
    return this.data.get(entity)?.delete(id) ?? false;
  }

  nextNumber(entity: string): string | undefined {
    const spec = AUTO_NUMBERS[entity];
    if (!spec) return undefined;
    for (;;) {
      const n = (this.counters[entity] ?? 0) + 1;
      this.counters[entity] = n;
      const candidate = `${spec.prefix}${String(n).padStart(spec.width, '0')}`;
      if (!this.all(entity).some((r) => sameKey(r.values[spec.field], candidate))) return candidate;
    }
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [entity, t] of this.data) out[entity] = t.size;
    return out;
  }

  snapshot(): StoreSnapshot {
    const records: Record<string, StoredRecord[]> = {};
    for (const [entity, t] of this.data) records[entity] = [...t.values()];
    return JSON.parse(JSON.stringify({ records, counters: this.counters })) as StoreSnapshot;
  }

  restore(snap: StoreSnapshot): void {
    const copy = JSON.parse(JSON.stringify(snap)) as StoreSnapshot;
    this.data.clear();
    for (const [entity, recs] of Object.entries(copy.records ?? {})) {
      const t = this.table(entity);
      for (const r of recs) t.set(r.id, { ...r, internal: r.internal ?? {} });
    }
    this.counters = copy.counters ?? {};
  }

  /** Companies/branches for the CompaniesStructure inquiry. */
  companyStructure(): Array<Record<string, unknown>> {
    return DEMO_COMPANY.branches.map((b) => ({
      CompanyID: DEMO_COMPANY.acumaticaTenant.toUpperCase(),
      CompanyName: DEMO_COMPANY.name,
      CompanyStatus: 'Active',
      CompanyType: 'With Branches Not Requiring Balancing',
      BaseCurrencyID: 'USD',
      BranchID: b.branchId,
      BranchName: b.name,
      BranchStatus: 'Active',
      BranchCountry: b.country,
    }));
  }
}
