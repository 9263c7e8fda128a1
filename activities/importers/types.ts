/**
 * An importer is what one Acumatica -> Procore flow knows: how to read a page of Acumatica records (delta by
 * LastModifiedDateTime, scoped to a branch where the entity is), how a record maps to Procore (or why it
 * cannot), how to match Procore records that exist without a link, and how to write a batch to Procore.
 * The generic activities (activities/import.ts) add what every import needs: content hashes so unchanged
 * records cause no write, links, the exception list, watermarks and deletion reconciliation.
 */
import type { AcumaticaClient, AcumaticaRecord } from '../../clients/acumatica/client';
import type { ProcoreClient } from '../../clients/procore/client';
import type { Db } from '../../store/db';
import type { ProcoreEntity } from '../../store/links';

export interface ImportContext {
  db: Db;
  procore: ProcoreClient;
  acumatica: AcumaticaClient;
  companyId: string;
  /** The import run (the parent import workflow's ID): what it read once is kept for the rest of the run. */
  importRunId: string;
}

export interface ImportScope {
  companyId: string;
  /** Acumatica branch for branch-scoped entities (vendors); null for company-wide ones. */
  branch: string | null;
}

export interface PageRequest {
  since: Date | null;
  skip: number;
  top: number;
}

export type Mapped<P> = { ok: true; payload: P } | { ok: false; reason: string };

export interface WriteItem<P> {
  acumaticaKey: string;
  /** Set when the Procore record is known (linked earlier, or matched): update it instead of creating. */
  procoreId?: string;
  /** The entity of the record's existing link (one of the importer's linkEntities); unset when matched or new. */
  linkedAs?: ProcoreEntity;
  payload: P;
}

export interface WriteOutcome {
  acumaticaKey: string;
  procoreId?: string;
  /** What `procoreId` is when it is not the importer's procoreEntity (a project, where staged records are written). */
  procoreEntity?: ProcoreEntity;
  /** Procore needed no change: the link and content hash are recorded, and the record counts as unchanged. */
  unchanged?: boolean;
  error?: string;
}

export interface Importer<P = unknown> {
  procoreEntity: ProcoreEntity;
  /**
   * The entities a record's link may have, when more than procoreEntity: a project is linked to its staged record
   * until the approver imports it, then to the Procore project. A link of any of them is the record's link (its
   * hash decides whether to write); deletion reconciliation only retires links of procoreEntity.
   */
  linkEntities?: ProcoreEntity[];
  acumaticaEntity: string;
  readPage(ctx: ImportContext, scope: ImportScope, page: PageRequest): Promise<AcumaticaRecord[]>;
  keyOf(record: AcumaticaRecord): string;
  /** Maps an unwrapped Acumatica record. */
  map(record: Record<string, unknown>): Mapped<P>;
  /** Keys matching a Procore record that exists without a link (see procore_match_index). */
  matchKeys?(payload: P): string[];
  /** All Procore records of this entity without an origin_id, with their match keys. */
  buildMatchIndex?(ctx: ImportContext): Promise<Array<{ matchKey: string; procoreId: string }>>;
  /**
   * Records written in one call go together: one Procore project's direct costs or budget lines. Default: one
   * group (a company-wide list).
   */
  writeGroupOf?(payload: P): string;
  /**
   * Reads what the writes of up to `limit` of these queued groups will need (skipping what this run has read),
   * while the writes wait for the imports they depend on. Runs beside the page reads; idempotent. Returns how
   * many groups are left unread.
   */
  prepareWrites?(ctx: ImportContext, groupKeys: string[], limit: number): Promise<{ remaining: number }>;
  /** Records per write call; default Procore's sync limit (1,000). */
  writeBatch?: number;
  /** Writes records of one write group. */
  write(ctx: ImportContext, items: WriteItem<P>[]): Promise<WriteOutcome[]>;
  /** What a deletion in Acumatica does in Procore (deactivate, archive...). */
  retire?(ctx: ImportContext, procoreIds: string[]): Promise<void>;
}
