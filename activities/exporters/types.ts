/**
 * An exporter is everything one Procore -> Acumatica flow knows: how to read the Procore record, what must be
 * true before exporting it, how to find an earlier export of it in Acumatica (the marker), how it maps, and
 * which links and origin_ids record the result. The generic activities (activities/export.ts) and the one
 * ERP request workflow (workflows/erp-request.ts) run every exporter the same way, so each flow gets the same
 * exactly-once guarantees.
 */
import type { AcumaticaClient, AcumaticaRecord } from '../../clients/acumatica/client';
import type { LineIdentity } from '../../mappings/line-diff';
import type { ProcoreClient } from '../../clients/procore/client';
import type { Db } from '../../store/db';
import type { ProcoreEntity } from '../../store/links';

export interface ExportContext {
  db: Db;
  procore: ProcoreClient;
  acumatica: AcumaticaClient;
  companyId: string;
}

/** Where the record lives in Procore. */
export interface ExportRef {
  companyId: string;
  projectId: string | null;
  procoreId: string;
  /** The ERP request being handled; some payloads (budgets) are read from it, as Procore intends. */
  erpRequestId: string;
}

/** What every exporter's snapshot of the Procore record carries (it travels between activities). */
export interface ExportSource {
  procoreId: string;
  /** A label for people: "SC-24017-003 Cast-in-Place Concrete". */
  label: string;
  /** The Procore ids of the record's lines, in order (empty for records without lines). */
  lineIds: string[];
}

/** `notes`: what the approver should know of a successful export (e.g. tax not sent), said in the request detail. */
export type Preflight<T> = { ok: true; targets: T; notes?: string[] } | { ok: false; problems: string[] };

/** The Acumatica side of a finished export. */
export interface ExportedRecord {
  acumaticaKey: string;
  acumaticaId?: string;
  created: boolean;
  /**
   * Acumatica keys of the lines, in the order of the source lines, e.g. "SC000001:1"; '' for a line that is not
   * linked (a budget line summed into the row of an earlier line: an Acumatica key is linked once).
   */
  lineKeys: string[];
  /**
   * Budget transactions of a create_budget / update_budget request to mark synced in Procore
   * (erp_transactions/sync, origin_id = the key of the Acumatica line each became), after Acumatica committed.
   */
  erpTransactions?: { projectId: string; updates: Array<{ id: string; originId: string }> };
}

export interface LineLinking {
  procoreEntity: ProcoreEntity;
  acumaticaEntity: string;
  /**
   * External Data item_type of the lines, e.g. "line_item"; omitted where Procore keeps no line-level ERP key
   * (budget and change order lines: the header's origin_id marks them).
   */
  externalDataItemType?: string;
}

export interface Exporter<S extends ExportSource = ExportSource, T = unknown> {
  /** The link table's entity. */
  procoreEntity: ProcoreEntity;
  /**
   * The External Data item_type of the header; omitted where Procore keeps the ERP key elsewhere (a budget change:
   * its update_budget transactions, `erpTransactions` of the result).
   */
  externalDataItemType?: string;
  acumaticaEntity: string;
  /** Detail collections to expand when reading the Acumatica record back. */
  expand: string[];
  /** Fields never changed on re-export (keys of adopted records). */
  immutableFields?: string[];
  lines?: LineLinking;
  load(ctx: ExportContext, ref: ExportRef): Promise<S>;
  preflight(ctx: ExportContext, source: S): Promise<Preflight<T>>;
  /** The earlier export of this record, found by the marker written with it. */
  findExisting(ctx: ExportContext, source: S): Promise<AcumaticaRecord | undefined>;
  /** Pure mapping to the Acumatica body (plain values; the client wraps them). */
  toAcumatica(source: S, targets: T): Record<string, unknown>;
  /** The key and line keys of a record Acumatica returned. */
  readResult(record: AcumaticaRecord): Omit<ExportedRecord, 'created'>;
  /**
   * Child records written after the main one (a project's tasks), each an upsert by its natural key so a retry
   * writes the same thing again (or derives what is left to do from both systems, as a retention release does).
   * Returns the line keys, in the order of `lineIds`, or undefined to keep those the main record gave.
   */
  afterWrite?(ctx: ExportContext, source: S, targets: T, key: string): Promise<string[] | undefined>;
  /**
   * Line-level re-export (mappings/line-diff.ts): how the document's rows are identified, so that a re-export
   * updates changed lines, adds new ones and deletes removed ones. Only for rows with a stable identity in the
   * contract (LineNbr, a budget key); without it a re-export updates the header and leaves the lines alone.
   */
  lineIdentity?: LineIdentity;
  /** Why Acumatica will not let the document change at all (a released change order), if it will not. */
  documentLockedReason?(record: AcumaticaRecord): string | undefined;
  /**
   * Checks the record Acumatica committed (created, updated or found): a problem Acumatica accepted silently (a
   * purchase order left in 'Pending Approval') is thrown as a ValidationError the approver can act on.
   */
  verifyWritten?(ctx: ExportContext, source: S, record: AcumaticaRecord): Promise<void>;
  /**
   * The message when the insert-only create was refused (412) because Acumatica already holds the key and the
   * record is not this export's (no marker): name the existing record and what to do. A generic message otherwise.
   */
  insertConflict?(ctx: ExportContext, source: S, desired: Record<string, unknown>): Promise<string>;
  /**
   * For records Acumatica keys naturally (budget lines: project x task x account group x cost code), a PUT by
   * those keys is itself idempotent: the exporter writes them itself instead of find-or-create.
   */
  write?(ctx: ExportContext, source: S, targets: T): Promise<ExportedRecord>;
  /** Natural-key exporters: the rows `write` would PUT, for a preview (activities/exporters/preview.ts). */
  previewRows?(source: S, targets: T): Array<Record<string, unknown>>;
}
