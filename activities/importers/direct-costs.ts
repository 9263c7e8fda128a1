/**
 * Direct cost import (company-wide): released Acumatica project transactions (AP bills, expense claims,
 * payroll...) -> Procore direct costs of the linked Procore project, one per transaction batch
 * (origin_id `<Module>:<ReferenceNbr>`) with a line item per transaction line (`<Module>:<ReferenceNbr>:<line>`).
 * A transaction on a project without a Procore link goes to the exception list; the rest of the page is
 * written. Lines get the Procore project cost code of the same code, the cost type imported from their
 * account group and (AP) the linked vendor.
 */
import { val, type AcumaticaRecord } from '../../clients/acumatica/client';
import { and, eq, gt } from '../../clients/acumatica/odata';
import {
  directCostFrom,
  PROCORE_PROJECTS_FIELD,
  resolveDirectCost,
  type DirectCostPayload,
  type DirectCostTargets,
} from '../../mappings/direct-cost-import';
import type { Db } from '../../store/db';
import type { ProcoreEntity } from '../../store/links';
import { writeThroughSync } from './procore-sync';
import type { Importer, WriteItem, WriteOutcome } from './types';

/** Procore ids linked to these Acumatica keys: Map(acumaticaKey -> procoreId). */
export async function linkedProcoreIds(
  db: Db,
  companyId: string,
  procoreEntity: ProcoreEntity,
  acumaticaKeys: string[],
): Promise<Map<string, string>> {
  if (acumaticaKeys.length === 0) return new Map();
  const { rows } = await db.query(
    `SELECT acumatica_key, procore_id FROM links
     WHERE procore_company_id = $1 AND procore_entity = $2 AND acumatica_key = ANY($3) AND deleted_at IS NULL`,
    [companyId, procoreEntity, acumaticaKeys],
  );
  return new Map(rows.map((r) => [r.acumatica_key as string, r.procore_id as string]));
}

const linesOf = (record: AcumaticaRecord): Array<Record<string, unknown>> =>
  (Array.isArray(record.Details) ? record.Details : []) as Array<Record<string, unknown>>;

export const directCostImporter: Importer<DirectCostPayload> = {
  procoreEntity: 'direct_cost',
  acumaticaEntity: 'ProjectTransaction',

  async readPage(ctx, _scope, { since, skip, top }) {
    const records = await ctx.acumatica.list('ProjectTransaction', {
      filter: and(eq('Status', 'Released'), since ? gt('LastModifiedDateTime', since) : undefined),
      expand: ['Details'],
      top,
      skip,
    });
    // The Procore project of each Acumatica project on the page, for the (pure) mapping.
    const projectOf = (l: Record<string, unknown>): string => String(val(l.Project) ?? '');
    const projects = [...new Set(records.flatMap((r) => linesOf(r).map(projectOf)))].filter(Boolean);
    const linked = await linkedProcoreIds(ctx.db, ctx.companyId, 'project', projects);
    for (const r of records) {
      const mine: Record<string, string> = {};
      for (const l of linesOf(r)) {
        const p = projectOf(l);
        const procoreId = linked.get(p);
        if (procoreId) mine[p] = procoreId;
      }
      (r as Record<string, unknown>)[PROCORE_PROJECTS_FIELD] = mine;
    }
    return records;
  },

  keyOf: (record) => `${String(val(record.Module) ?? 'PM')}:${String(val(record.ReferenceNbr))}`,
  map: directCostFrom,

  async write(ctx, items) {
    const outcomes: WriteOutcome[] = [];
    const byProject = new Map<string, WriteItem<DirectCostPayload>[]>();
    for (const item of items) {
      const list = byProject.get(item.payload.project_id) ?? [];
      list.push(item);
      byProject.set(item.payload.project_id, list);
    }
    const groups = [...new Set(items.flatMap((i) => i.payload.line_items.map((l) => l.account_group ?? '')))];
    const vendors = [...new Set(items.map((i) => i.payload.vendor ?? ''))];
    const [costTypes, vendorIds] = await Promise.all([
      linkedProcoreIds(ctx.db, ctx.companyId, 'line_item_type', groups.filter(Boolean)),
      linkedProcoreIds(ctx.db, ctx.companyId, 'vendor', vendors.filter(Boolean)),
    ]);

    for (const [projectId, projectItems] of byProject) {
      const costCodes = new Map<string, string>();
      for (const c of await ctx.procore.listProjectCostCodes(ctx.companyId, projectId)) {
        for (const code of [c.full_code, c.code]) if (code) costCodes.set(code.toUpperCase(), String(c.id));
      }
      const targets: DirectCostTargets = { costCodes, costTypes, vendors: vendorIds };
      const ready: WriteItem<Record<string, unknown> & { origin_id: string }>[] = [];
      for (const item of projectItems) {
        const resolved = resolveDirectCost(item.payload, targets);
        if (!resolved.ok) {
          outcomes.push({ acumaticaKey: item.acumaticaKey, error: resolved.reason });
          continue;
        }
        ready.push({
          acumaticaKey: item.acumaticaKey,
          procoreId: item.procoreId,
          payload: resolved.update as Record<string, unknown> & { origin_id: string },
        });
      }
      if (ready.length === 0) continue;
      outcomes.push(
        ...(await writeThroughSync(ready, (updates) => ctx.procore.syncDirectCosts(ctx.companyId, projectId, updates))),
      );
    }
    return outcomes;
  },
};
