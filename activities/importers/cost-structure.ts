/**
 * Cost code and cost type imports (company-wide): Acumatica `CostCode` -> the Procore ERP standard cost code
 * list; expense `AccountGroup`s -> Procore line item types. Existing Procore records without an origin_id are
 * matched by code (cost codes) or name (cost types) and linked instead of duplicated.
 */
import { val } from '../../clients/acumatica/client';
import { and, eq, gt } from '../../clients/acumatica/odata';
import {
  lineItemTypeCode,
  lineItemTypeFrom,
  standardCostCodeFrom,
  type ProcoreLineItemTypePayload,
  type ProcoreStandardCostCodePayload,
} from '../../mappings/cost-import';
import { normaliseName } from '../../mappings/vendor-import';
import { writeThroughSync } from './procore-sync';
import type { Importer } from './types';

export const costCodeImporter: Importer<ProcoreStandardCostCodePayload> = {
  procoreEntity: 'cost_code',
  acumaticaEntity: 'CostCode',

  readPage: (ctx, _scope, { since, skip, top }) =>
    ctx.acumatica.list('CostCode', { filter: since ? gt('LastModifiedDateTime', since) : undefined, top, skip }),
  keyOf: (record) => String(val(record.CostCodeID)),
  map: standardCostCodeFrom,
  matchKeys: (p) => [`code:${p.code.toUpperCase()}`],

  async buildMatchIndex(ctx) {
    const list = await ctx.procore.getErpStandardCostCodeList(ctx.companyId);
    const codes = await ctx.procore.listStandardCostCodes(ctx.companyId, String(list.id));
    return codes
      .filter((c) => !c.origin_id)
      .map((c) => ({ matchKey: `code:${c.code.toUpperCase()}`, procoreId: String(c.id) }));
  },

  async write(ctx, items) {
    const list = await ctx.procore.getErpStandardCostCodeList(ctx.companyId);
    return writeThroughSync(items, (updates) =>
      ctx.procore.syncStandardCostCodes(ctx.companyId, String(list.id), updates),
    );
  },
};

export const costTypeImporter: Importer<ProcoreLineItemTypePayload> = {
  procoreEntity: 'line_item_type',
  acumaticaEntity: 'AccountGroup',

  // AccountGroup has LastModifiedDateTime only from 23.200.001: account groups are few, so they are always
  // read in full and the content hash keeps unchanged ones from being written.
  readPage: (ctx, _scope, { skip, top }) =>
    ctx.acumatica.list('AccountGroup', { filter: and(eq('Expense', true), eq('Active', true)), top, skip }),
  keyOf: (record) => String(val(record.AccountGroupID)),
  map: lineItemTypeFrom,
  matchKeys: (p) => [`name:${normaliseName(p.name)}`],

  async buildMatchIndex(ctx) {
    const types = await ctx.procore.listLineItemTypes(ctx.companyId);
    return types
      .filter((t) => !t.origin_id)
      .map((t) => ({ matchKey: `name:${normaliseName(t.name)}`, procoreId: String(t.id) }));
  },

  // A matched Procore cost type keeps the code people know; a new one gets a code from the account group id.
  write: (ctx, items) =>
    writeThroughSync(
      items,
      (updates) => ctx.procore.syncLineItemTypes(ctx.companyId, updates),
      (p) => ({ code: lineItemTypeCode(p.origin_id) }),
    ),
};
