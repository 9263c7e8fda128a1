/**
 * Direct cost import (company-wide): released Acumatica project transactions (AP bills, expense claims,
 * payroll...) -> Procore direct costs of the linked Procore project, one per transaction batch
 * (origin_id `<Module>:<ReferenceNbr>`) with a line item per transaction line (`<Module>:<ReferenceNbr>:<line>`).
 * A transaction on a project without a Procore link goes to the exception list; the rest of the page is
 * written. Lines get the Procore project cost code of the same code, the cost type imported from their
 * account group and (AP) the linked vendor. A transaction an open adoption review names is held back
 * (adoption/import-hook.ts) and listed as an exception until the review is resolved.
 */
import { val } from '../../clients/acumatica/client';
import { and, eq, gt } from '../../clients/acumatica/odata';
import {
  directCostFrom,
  resolveDirectCost,
  unlinkedProjectReason,
  type DirectCostPayload,
  type DirectCostTargets,
} from '../../mappings/direct-cost-import';
import type { Db } from '../../store/db';
import type { ProcoreEntity } from '../../store/links';
import { writeThroughSync } from './procore-sync';
import { prefetchProjectCostCodes, projectCostCodes } from './project-cost-codes';
import { keysUnderReview, underReviewReason } from '../../adoption/import-hook';
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

export const directCostImporter: Importer<DirectCostPayload> = {
  procoreEntity: 'direct_cost',
  acumaticaEntity: 'ProjectTransaction',

  readPage: (ctx, _scope, { since, skip, top }) =>
    ctx.acumatica.list('ProjectTransaction', {
      filter: and(eq('Status', 'Released'), since ? gt('LastModifiedDateTime', since) : undefined),
      expand: ['Details'],
      top,
      skip,
    }),

  // The cost codes of the projects changed costs go to, read while the writes wait for the vendor and cost type
  // imports (Procore's rate limit has room then).
  async prepareWrites(ctx, acumaticaProjects, limit) {
    const linked = await linkedProcoreIds(ctx.db, ctx.companyId, 'project', acumaticaProjects);
    return prefetchProjectCostCodes(ctx, [...linked.values()], limit);
  },

  keyOf: (record) => `${String(val(record.Module) ?? 'PM')}:${String(val(record.ReferenceNbr))}`,
  map: directCostFrom,
  // One project's costs per write: its cost codes are read once, and one sync call takes them all.
  writeGroupOf: (payload) => payload.acumatica_project,

  async write(ctx, items) {
    const outcomes: WriteOutcome[] = [];
    const byProject = new Map<string, WriteItem<DirectCostPayload>[]>();
    const unlinked = items.filter((i) => !i.procoreId).map((i) => i.acumaticaKey);
    const held = await keysUnderReview(ctx.db, ctx.companyId, 'direct_cost', unlinked);
    for (const item of items) {
      if (held.has(item.acumaticaKey)) {
        outcomes.push({ acumaticaKey: item.acumaticaKey, error: underReviewReason(item.acumaticaKey) });
        continue;
      }
      const list = byProject.get(item.payload.acumatica_project) ?? [];
      list.push(item);
      byProject.set(item.payload.acumatica_project, list);
    }
    const groups = [...new Set(items.flatMap((i) => i.payload.line_items.map((l) => l.account_group ?? '')))];
    const vendors = [...new Set(items.map((i) => i.payload.vendor ?? ''))];
    const [projects, costTypes, vendorIds] = await Promise.all([
      linkedProcoreIds(ctx.db, ctx.companyId, 'project', [...byProject.keys()]),
      linkedProcoreIds(ctx.db, ctx.companyId, 'line_item_type', groups.filter(Boolean)),
      linkedProcoreIds(ctx.db, ctx.companyId, 'vendor', vendors.filter(Boolean)),
    ]);

    for (const [acumaticaProject, projectItems] of byProject) {
      const projectId = projects.get(acumaticaProject);
      if (!projectId) {
        for (const item of projectItems) {
          outcomes.push({
            acumaticaKey: item.acumaticaKey,
            error: unlinkedProjectReason(item.acumaticaKey, acumaticaProject),
          });
        }
        continue;
      }
      let costCodes = await projectCostCodes(ctx, projectId);
      const missing = projectItems.some((i) =>
        i.payload.line_items.some((l) => l.cost_code && !costCodes.has(l.cost_code.toUpperCase())),
      );
      if (missing) costCodes = await projectCostCodes(ctx, projectId, true); // added since this run read them?
      const targets: DirectCostTargets = { projectId, costCodes, costTypes, vendors: vendorIds };
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
