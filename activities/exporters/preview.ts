/**
 * Preview of an export (issue #15, "dry run" of an ERP request or a Procore record): loads the record, runs the
 * preflight, finds what the export would find in Acumatica (the adopted document, else the marker), and answers
 * what the export would do, writing nothing anywhere:
 *  - exception:    the preflight's problems (what the request detail would say);
 *  - would_create: the header fields it would send (and how many lines);
 *  - would_update: each header field that would change (Acumatica's value -> the export's), and the lines it would
 *                  add, update and delete (exporters with line identity; the others update the header only);
 *  - unchanged:    found, and nothing would be sent.
 * Natural-key exporters (budget rows) name their rows (`previewRows`); each is compared with the row of its key.
 */
import { val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { and, eq } from '../../clients/acumatica/odata';
import { findAdopted } from '../../adoption/export-hook';
import { ValidationError } from '../../lib/errors';
import { exportKindFor, isExportKind, type ExportKind } from '../../lib/export-kinds';
import { readErpRequest } from '../erp-requests';
import { changedFields, currentValue } from '../../mappings/changed-fields';
import { diffLines, type Row } from '../../mappings/line-diff';
import { exporterFor } from './index';
import type { FieldChange } from '../import-preview';
import { lineLabels } from './find-or-create';
import { documentLineLinks } from './line-links';
import type { ExportContext, ExportRef, Exporter, ExportSource } from './types';

export interface ExportPreview {
  kind: ExportKind;
  procoreId: string;
  label: string;
  outcome: 'would_create' | 'would_update' | 'unchanged' | 'exception';
  acumaticaEntity: string;
  acumaticaKey?: string;
  /** How the existing document was found: its adoption, or the connector's marker. */
  foundBy?: 'adoption' | 'marker' | 'key';
  changes?: FieldChange[];
  lines?: { added: number; updated: number; deleted: number };
  /** would_create: the header fields the export would send. */
  fields?: Record<string, unknown>;
  problems?: string[];
}

/** What to preview: an ERP request, or a Procore record by kind (and project). */
export interface ExportPreviewInput {
  companyId: string;
  erpRequestId?: string;
  kind?: string;
  procoreId?: string;
  projectId?: string;
}

/** Export kinds whose record is read from the ERP request itself (its job costs or transactions). */
const FROM_REQUEST = ['budget', 'budget_change'];

/** The preview of an ERP request's record, or of a Procore record named by kind and id. */
export async function previewExportOf(ctx: ExportContext, input: ExportPreviewInput): Promise<ExportPreview> {
  if (input.erpRequestId) {
    const request = await readErpRequest(ctx.procore, input.companyId, input.erpRequestId);
    const kind = exportKindFor(request.requestName, request.itemType);
    if (!kind)
      throw new ValidationError(
        `The connector does not export "${request.requestName}" for ${request.itemType || 'this item'}.`,
      );
    return previewExport(ctx, kind, {
      companyId: input.companyId,
      projectId: request.projectId,
      procoreId: request.itemId,
      erpRequestId: input.erpRequestId,
    });
  }
  const kind = input.kind ?? '';
  if (!isExportKind(kind) || !input.procoreId)
    throw new ValidationError('Name an ERP request (erpRequestId), or a record: its kind and procoreId.');
  if (FROM_REQUEST.includes(kind))
    throw new ValidationError(
      `A ${kind.replace('_', ' ')} is read from its ERP request (Procore sends its lines there): preview it by erpRequestId.`,
    );
  return previewExport(ctx, kind, {
    companyId: input.companyId,
    projectId: input.projectId ?? null,
    procoreId: input.procoreId,
    erpRequestId: '',
  });
}

const header = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([, v]) => !Array.isArray(v) && v !== undefined));

export async function previewExport(ctx: ExportContext, kind: ExportKind, ref: ExportRef): Promise<ExportPreview> {
  const exporter = exporterFor(kind) as Exporter;
  const source = await exporter.load(ctx, ref);
  const base = { kind, procoreId: source.procoreId, label: source.label, acumaticaEntity: exporter.acumaticaEntity };
  const preflight = await exporter.preflight(ctx, source);
  if (!preflight.ok) return { ...base, outcome: 'exception', problems: preflight.problems };
  if (exporter.previewRows)
    return previewRows(ctx, exporter, source, exporter.previewRows(source, preflight.targets), base);

  const desired = exporter.toAcumatica(source, preflight.targets);
  const adopted = await findAdopted(exporter, ctx, source);
  const existing = adopted ?? (await exporter.findExisting(ctx, source));
  if (!existing) {
    const lines = Object.values(desired).find(Array.isArray) as unknown[] | undefined;
    return {
      ...base,
      outcome: 'would_create',
      fields: header(desired),
      lines: { added: lines?.length ?? 0, updated: 0, deleted: 0 },
    };
  }
  const found = exporter.readResult(existing);
  const changed = changedFields(desired, existing, exporter.immutableFields);
  const changes = Object.entries(changed).map(([field, to]) => ({
    field,
    from: currentValue(existing[field]) ?? null,
    to,
  }));
  let lines = { added: 0, updated: 0, deleted: 0 };
  const identity = exporter.lineIdentity;
  if (identity && exporter.lines) {
    const mapped = (desired[identity.collection] as Array<Record<string, unknown>> | undefined) ?? [];
    const diff = diffLines({
      docKey: found.acumaticaKey,
      identity,
      desired: mapped,
      lineIds: source.lineIds,
      lineLabels: lineLabels(mapped),
      linked: await documentLineLinks(ctx, exporter.lines, found.acumaticaKey),
      rows: (existing[identity.collection] as Row[] | undefined) ?? [],
    });
    if (diff.problems.length > 0)
      return { ...base, outcome: 'exception', acumaticaKey: found.acumaticaKey, problems: diff.problems };
    lines = { added: diff.added, updated: diff.updated, deleted: diff.deleted };
  }
  const locked = exporter.documentLockedReason?.(existing);
  const changing = changes.length > 0 || lines.added + lines.updated + lines.deleted > 0;
  if (changing && locked)
    return {
      ...base,
      outcome: 'exception',
      acumaticaKey: found.acumaticaKey,
      problems: [`${found.acumaticaKey} cannot change because ${locked}.`],
    };
  return {
    ...base,
    outcome: changing ? 'would_update' : 'unchanged',
    acumaticaKey: found.acumaticaKey,
    foundBy: adopted ? 'adoption' : 'marker',
    changes,
    lines,
  };
}

/** Budget rows, each compared with the row of its natural key (project x task x account group x cost code x type). */
async function previewRows(
  ctx: ExportContext,
  exporter: Exporter,
  source: ExportSource,
  rows: Array<Record<string, unknown>>,
  base: Pick<ExportPreview, 'kind' | 'procoreId' | 'label' | 'acumaticaEntity'>,
): Promise<ExportPreview> {
  const keyOf = (r: Record<string, unknown>) =>
    ['ProjectTaskID', 'AccountGroup', 'CostCode'].map((f) => String(currentValue(r[f]) ?? '')).join(':');
  const projects = [...new Set(rows.map((r) => String(r.ProjectID)))];
  const existing = new Map<string, AcumaticaRecord>();
  for (const project of projects)
    for (const r of await ctx.acumatica.list(exporter.acumaticaEntity, {
      filter: and(eq('ProjectID', project), eq('Type', String(rows[0]?.Type ?? 'Cost'))),
    }))
      existing.set(keyOf(r), r);
  const changes: FieldChange[] = [];
  let added = 0;
  let updated = 0;
  for (const row of rows) {
    const key = keyOf(row);
    const current = existing.get(key);
    if (!current) {
      added++;
      continue;
    }
    const changed = changedFields(header(row), current);
    if (Object.keys(changed).length > 0) updated++;
    for (const [field, to] of Object.entries(changed))
      changes.push({ field: `${key} ${field}`, from: val(current[field]) ?? null, to });
  }
  const outcome = added === rows.length ? 'would_create' : added + updated > 0 ? 'would_update' : 'unchanged';
  return {
    ...base,
    outcome,
    acumaticaKey: `${projects.join(',')}:${String(rows[0]?.Type ?? '').toLowerCase()}-budget`,
    foundBy: outcome === 'would_create' ? undefined : 'key',
    changes,
    lines: { added, updated, deleted: 0 },
  };
}
