/**
 * Find-or-create of one Acumatica document, shared by every marker-found exporter:
 *  - the earlier export is looked up by its marker before anything is written, so a retry after a lost response
 *    finds the first record instead of creating a second one;
 *  - found: only the header fields that changed are sent, and, for exporters with a `lineIdentity`, only the
 *    lines that changed, were added or were removed in Procore (mappings/line-diff.ts). Nothing changed, nothing
 *    sent. A change Acumatica forbids (a completed line, a released change order) fails the export before any
 *    write, with a message naming the line;
 *  - the links of rows the update deleted are dropped once Acumatica committed (the export's own links are
 *    written by the caller, activities/export.ts);
 *  - the exporter's `verifyWritten` sees every committed record (a PO Acumatica left in 'Pending Approval');
 *  - not found: the create is insert-only (If-None-Match: *). Acumatica's 412 means the key is taken: the marker is
 *    searched once more (an earlier attempt that committed is updated, never failed), else the export fails with
 *    a ValidationError naming the existing record (`insertConflict`) and what to do. A record the connector did
 *    not create is never changed by a create.
 */
import type { AcumaticaRecord } from '../../clients/acumatica/client';
import { ConflictError, ValidationError } from '../../lib/errors';
import { changedFields } from '../../mappings/changed-fields';
import { diffLines, lineKeysAfter, type LineDiff, type Row } from '../../mappings/line-diff';
import { recordAudit } from '../../store/audit';
import { findAdopted } from '../../adoption/export-hook';
import { documentLineLinks, unlinkLines } from './line-links';
import type { ExportContext, ExportedRecord, Exporter, ExportSource } from './types';

/** Labels of the source lines for messages: their description where the mapping has one. */
export function lineLabels(lines: Array<Record<string, unknown>>): string[] {
  return lines.map((l, i) => String(l.LineDescription ?? l.Description ?? l.TransactionDescription ?? `line ${i + 1}`));
}

function refused(exporter: Exporter, key: string, problems: string[]): ValidationError {
  return new ValidationError(
    `${problems.join(' ')} Nothing was changed in Acumatica: revert the change in Procore, or make it in Acumatica ` +
      `(reopen the line or the document) and resend.`,
    { system: 'acumatica', request: `PUT ${exporter.acumaticaEntity} ${key}` },
  );
}

async function update(
  exporter: Exporter,
  ctx: ExportContext,
  source: ExportSource,
  desired: Record<string, unknown>,
  existing: AcumaticaRecord,
): Promise<{ result: ExportedRecord; record: AcumaticaRecord }> {
  const found = exporter.readResult(existing);
  const header = changedFields(desired, existing, exporter.immutableFields);
  const identity = exporter.lineIdentity;
  let lines: LineDiff | undefined;
  let rows: Row[] = [];
  if (identity && exporter.lines) {
    rows = (existing[identity.collection] as Row[] | undefined) ?? [];
    const mapped = (desired[identity.collection] as Array<Record<string, unknown>> | undefined) ?? [];
    lines = diffLines({
      docKey: found.acumaticaKey,
      identity,
      desired: mapped,
      lineIds: source.lineIds,
      lineLabels: lineLabels(mapped),
      linked: await documentLineLinks(ctx, exporter.lines, found.acumaticaKey),
      rows,
    });
    if (lines.problems.length > 0) throw refused(exporter, found.acumaticaKey, lines.problems);
  }
  const changesLines = Boolean(lines && lines.put.length > 0);
  if (Object.keys(header).length === 0 && !changesLines)
    return { result: { ...found, created: false }, record: existing };

  const locked = exporter.documentLockedReason?.(existing);
  if (locked) {
    const what = [...Object.keys(header), ...(changesLines ? ['lines'] : [])].join(', ');
    throw refused(exporter, found.acumaticaKey, [
      `${found.acumaticaKey} cannot change because ${locked}; Procore changed its ${what}.`,
    ]);
  }
  const body: Record<string, unknown> = { id: existing.id, ...header };
  if (lines && identity && changesLines) body[identity.collection] = lines.put;
  const record = await ctx.acumatica.put(exporter.acumaticaEntity, body, { expand: exporter.expand, mode: 'update' });
  const result = exporter.readResult(record);
  if (!lines || !identity) return { result: { ...result, created: false }, record };

  const after = (record[identity.collection] as Row[] | undefined) ?? [];
  const lineKeys = lineKeysAfter(result.acumaticaKey, identity, lines.plan, rows, after);
  await unlinkLines(ctx, exporter.lines!, lines.unlinkLineIds);
  await recordAudit(ctx.db, {
    procoreCompanyId: ctx.companyId,
    action: `acumatica.${exporter.acumaticaEntity}.lines_updated`,
    procoreEntity: exporter.procoreEntity,
    procoreId: source.procoreId,
    acumaticaEntity: exporter.acumaticaEntity,
    acumaticaKey: result.acumaticaKey,
    detail: { updated: lines.updated, added: lines.added, deleted: lines.deleted, removedInProcore: lines.removed },
  });
  return { result: { ...result, lineKeys, created: false }, record };
}

/** Find the earlier export by its marker (updating what changed) or create the record. */
export async function findOrCreate(
  exporter: Exporter,
  ctx: ExportContext,
  source: ExportSource,
  targets: unknown,
): Promise<ExportedRecord> {
  const desired = exporter.toAcumatica(source, targets);
  // An adopted document (issue #15) is found by its link; otherwise by the marker.
  const existing = (await findAdopted(exporter, ctx, source)) ?? (await exporter.findExisting(ctx, source));
  if (existing) {
    const { result, record } = await update(exporter, ctx, source, desired, existing);
    await exporter.verifyWritten?.(ctx, source, record);
    return result;
  }
  let created: AcumaticaRecord;
  try {
    // Insert only (If-None-Match: *): a record already holding the key (a Vendor ID the approver typed that
    // Acumatica already has) is never updated by a create; Acumatica answers 412 instead.
    created = await ctx.acumatica.put(exporter.acumaticaEntity, desired, { expand: exporter.expand, mode: 'insert' });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    // Exactly once: an earlier attempt whose answer was lost may have committed in between; its marker says so.
    const ours = await exporter.findExisting(ctx, source);
    if (ours) {
      const { result, record } = await update(exporter, ctx, source, desired, ours);
      await exporter.verifyWritten?.(ctx, source, record);
      return result;
    }
    throw await insertRefused(exporter, ctx, source, desired);
  }
  await exporter.verifyWritten?.(ctx, source, created);
  return { ...exporter.readResult(created), created: true };
}

/** The permanent error of a create refused because the key is taken by a record the connector did not create. */
export async function insertRefused(
  exporter: Exporter,
  ctx: ExportContext,
  source: ExportSource,
  desired: Record<string, unknown>,
): Promise<ValidationError> {
  const message =
    (await exporter.insertConflict?.(ctx, source, desired)) ??
    `Acumatica already has a ${exporter.acumaticaEntity} with the key this export would create, and the connector did not create it. Nothing was changed in Acumatica: link the Procore record to it, or change the number in Procore, then resend.`;
  return new ValidationError(message, {
    system: 'acumatica',
    status: 412,
    request: `PUT ${exporter.acumaticaEntity} (If-None-Match: *)`,
  });
}
