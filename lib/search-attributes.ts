/**
 * Search attributes that make every sync findable in the Temporal Web UI, e.g.
 * `ProcoreCompanyId = "4271" AND ProcoreEntityType = "work_order_contract"`. Registered by
 * temporal/dev-server.ts (local) or temporal/search-attributes.ts (any server) before use.
 * Safe to import from workflow code (only @temporalio/common).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProcoreCompanyId = defineSearchAttributeKey('ProcoreCompanyId', SearchAttributeType.KEYWORD);
export const ProcoreProjectId = defineSearchAttributeKey('ProcoreProjectId', SearchAttributeType.KEYWORD);
export const ProcoreEntityType = defineSearchAttributeKey('ProcoreEntityType', SearchAttributeType.KEYWORD);
export const ProcoreId = defineSearchAttributeKey('ProcoreId', SearchAttributeType.KEYWORD);
export const AcumaticaKey = defineSearchAttributeKey('AcumaticaKey', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [ProcoreCompanyId, ProcoreProjectId, ProcoreEntityType, ProcoreId, AcumaticaKey];
