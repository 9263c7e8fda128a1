/**
 * The entity rules of the simulator, by entity name. Entities without rules are stored generically (by `id`,
 * no validation), so any entity of the contract can be read and written.
 */
import type { StoredRecord } from '../store';
import type { EntityBehaviour, RequestContext, RuleDeps } from './common';
import { payablesRules } from './payables';
import { projectRules } from './projects';
import { purchasingRules } from './purchasing';

export * from './common';

export function createEntityRules(deps: RuleDeps): Record<string, EntityBehaviour> {
  const rules: Record<string, EntityBehaviour> = {};
  const recompute = (rec: StoredRecord, ctx: RequestContext): void =>
    rules[rec.entity]?.prepare?.(rec.values, rec, false, ctx);
  Object.assign(rules, purchasingRules(deps), projectRules({ ...deps, recompute }), payablesRules(deps));
  return rules;
}
