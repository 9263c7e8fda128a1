/**
 * In-memory data of the Acumatica simulator. Records are kept unwrapped and version-neutral:
 *   values: { VendorID: 'V100231', MainContact: { Email: '...' }, Details: [{ id, LineNbr: 1, Amount: 10 }] }
 * (scalars for value fields, plain objects for linked entities, arrays of lines for detail collections).
 * What a given endpoint version shows of a record is decided by that version's contract when rendering.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_COMPANY } from 'simulator-common';
import { type SeedSize, seedStore } from './seed';

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
  TaxCategory: ['TaxCategoryID'],
  AccountGroup: ['AccountGroupID'],
  Subcontract: ['SubcontractNbr'],
  PurchaseOrder: ['Type', 'OrderNbr'],
  ChangeOrder: ['RefNbr'],
  Bill: ['Type', 'ReferenceNbr'],
  Check: ['Type', 'ReferenceNbr'],
  ExternalCommitment: ['ExternalRefNbr'],
  ProjectBudget: ['ProjectID', 'ProjectTaskID', 'AccountGroup', 'CostCode', 'InventoryID'],
  ProjectTransaction: ['Module', 'ReferenceNbr'],
};

/** Auto-numbering sequences (prefix + zero-padded counter). */
export const AUTO_NUMBERS: Record<string, { field: string; prefix: string; width: number }> = {
  Subcontract: { field: 'SubcontractNbr', prefix: 'SC', width: 6 },
  ChangeOrder: { field: 'RefNbr', prefix: 'CO', width: 6 },
  PurchaseOrder: { field: 'OrderNbr', prefix: 'PO', width: 6 },
  Bill: { field: 'ReferenceNbr', prefix: '', width: 6 },
  Check: { field: 'ReferenceNbr', prefix: '', width: 6 },
  ProjectTransaction: { field: 'ReferenceNbr', prefix: 'PM', width: 6 },
};

/** Acumatica-style timestamp: ISO 8601 with an explicit offset. */
export function acuDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

export const sameKey = (a: unknown, b: unknown): boolean =>
  a !== undefined &&
  a !== null &&
  String(a).trim().toUpperCase() ===
    String(b ?? '')
      .trim()
      .toUpperCase();

export class AcumaticaStore {
  private data = new Map<string, Map<string, StoredRecord>>();
  /** entity -> normalised key values -> record (ENTITY_KEYS lookups are O(1) even at the large size). */
  private index = new Map<string, Map<string, StoredRecord>>();
  private counters: Record<string, number> = {};
  size: SeedSize;
  /** Runs after every seeding (the server releases the seeded demo documents through its rules). */
  afterSeed?: (store: AcumaticaStore) => void;

  constructor(
    private readonly clock: () => Date = () => new Date(),
    size: SeedSize = 'demo',
  ) {
    this.size = size;
    this.reset(size);
  }

  now(): Date {
    return this.clock();
  }

  /** Empties the store and seeds it again (at `size`, default: the size of the last reset). */
  reset(size: SeedSize = this.size): void {
    this.size = size;
    this.data.clear();
    this.index.clear();
    this.counters = {};
    seedStore(this, size);
    this.afterSeed?.(this);
  }

  private table(entity: string): Map<string, StoredRecord> {
    let t = this.data.get(entity);
    if (!t) {
      t = new Map();
      this.data.set(entity, t);
    }
    return t;
  }

  /** Inserts a record as given (seeding: no timestamps added). */
  insertRaw(entity: string, values: Record<string, unknown>, internal: Record<string, unknown> = {}): StoredRecord {
    const rec: StoredRecord = { id: randomUUID(), entity, values, internal };
    this.table(entity).set(rec.id, rec);
    this.indexRecord(rec);
    return rec;
  }

  private indexKey(entity: string, keys: unknown[]): string | undefined {
    if (keys.some((k) => k === undefined || k === null)) return undefined;
    return `${entity}\u0001${keys.map((k) => String(k).trim().toUpperCase()).join('\u0001')}`;
  }

  private indexRecord(rec: StoredRecord): void {
    const fields = ENTITY_KEYS[rec.entity];
    if (!fields) return;
    const key = this.indexKey(
      rec.entity,
      fields.map((f) => rec.values[f]),
    );
    if (!key) return;
    let t = this.index.get(rec.entity);
    if (!t) this.index.set(rec.entity, (t = new Map()));
    t.set(key, rec);
  }

  all(entity: string): StoredRecord[] {
    return [...(this.data.get(entity)?.values() ?? [])];
  }

  /** The record with this id, whatever its entity (file attachments name records by id alone). */
  anyById(id: string): StoredRecord | undefined {
    for (const entity of this.data.keys()) {
      const hit = this.byId(entity, id);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Every record of every entity. */
  *records(): Iterable<StoredRecord> {
    for (const table of this.data.values()) yield* table.values();
  }

  byId(entity: string, id: string): StoredRecord | undefined {
    const t = this.data.get(entity);
    if (!t) return undefined;
    const hit = t.get(id);
    if (hit) return hit;
    const lower = id.toLowerCase();
    for (const [k, v] of t) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  byKeys(entity: string, keys: unknown[]): StoredRecord | undefined {
    const fields = ENTITY_KEYS[entity];
    if (!fields || keys.length !== fields.length) return undefined;
    const key = this.indexKey(entity, keys);
    const rec = key ? this.index.get(entity)?.get(key) : undefined;
    // Keys are read-only after insert, but verify in case a rule rewrote one.
    if (rec && fields.every((f, i) => sameKey(rec.values[f], keys[i]))) return rec;
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
    const rec = this.data.get(entity)?.get(id);
    if (!rec) return false;
    const fields = ENTITY_KEYS[entity];
    const key =
      fields &&
      this.indexKey(
        entity,
        fields.map((f) => rec.values[f]),
      );
    if (key) this.index.get(entity)?.delete(key);
    return this.data.get(entity)!.delete(id);
  }

  nextNumber(entity: string): string | undefined {
    const spec = AUTO_NUMBERS[entity];
    if (!spec) return undefined;
    const taken = new Set(this.all(entity).map((r) => String(r.values[spec.field] ?? '').toUpperCase()));
    for (;;) {
      const n = (this.counters[entity] ?? 0) + 1;
      this.counters[entity] = n;
      const candidate = `${spec.prefix}${String(n).padStart(spec.width, '0')}`;
      if (!taken.has(candidate.toUpperCase())) return candidate;
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
    this.index.clear();
    for (const [entity, recs] of Object.entries(copy.records ?? {})) {
      const t = this.table(entity);
      for (const r of recs) {
        const rec = { ...r, internal: r.internal ?? {} };
        t.set(r.id, rec);
        this.indexRecord(rec);
      }
    }
    this.counters = copy.counters ?? {};
  }

  /** Companies/branches for the CompaniesStructure inquiry. */
  companyStructure(): Array<Record<string, unknown>> {
    return DEMO_COMPANY.branches.map((b) => ({
      CompanyID: DEMO_COMPANY.acumaticaTenant.toUpperCase(),
      CompanyName: DEMO_COMPANY.name,
      CompanyStatus: true,
      CompanyType: 'With Branches Not Requiring Balancing',
      BaseCurrencyID: 'USD',
      BranchID: b.branchId,
      BranchName: b.name,
      BranchStatus: true,
      BranchCountry: b.country,
    }));
  }
}
