/** The export and import registries, the import scope plan and activity error casting: pure, no services. */
import { ApplicationFailure } from '@temporalio/common';
import { EXPORTERS, exporterFor } from '../../activities/exporters';
import { toApplicationFailure } from '../../activities/wrap';
import { ValidationError } from '../../lib/errors';
import { EXPORT_KINDS, exportKindFor, isExportKind } from '../../lib/export-kinds';
import { planImportScopes } from '../../workflows/import-plan';

describe('export kinds', () => {
  it('route each ERP request by request name and item type', () => {
    expect(exportKindFor('create_commitment', 'work_order_contract')).toBe('subcontract');
    expect(exportKindFor('create_commitment', 'purchase_order_contract')).toBe('purchase_order');
    expect(exportKindFor('update_budget', 'budget')).toBe('budget');
    expect(exportKindFor('update_budget', 'budget_change')).toBe('budget_change');
    expect(exportKindFor('create_commitment', 'budget')).toBeUndefined();
    expect(exportKindFor('create_direct_cost', 'direct_cost')).toBeUndefined();
  });

  it('have one exporter each, and an unknown kind is a permanent error naming it', () => {
    expect(Object.keys(EXPORTERS).sort()).toEqual(Object.keys(EXPORT_KINDS).sort());
    expect(exporterFor('vendor')).toBe(EXPORTERS.vendor);
    expect(isExportKind('no_such_kind')).toBe(false);
    expect(() => exporterFor('no_such_kind')).toThrow(ValidationError);
    expect(() => exporterFor('no_such_kind')).toThrow('The connector has no export of kind "no_such_kind".');
  });
});

describe('import scope plan', () => {
  it('one scope per branch for branch-scoped entities; company-wide otherwise', () => {
    const plan = planImportScopes(['vendors', 'cost_codes'], ['HQ', 'WEST']);
    expect(plan.map((s) => s.label)).toEqual(['vendors@HQ', 'vendors@WEST', 'cost_codes@company']);
  });

  it('writes wait for the entities of the run they refer to and for the previous branch', () => {
    const plan = planImportScopes(['direct_costs', 'vendors', 'cost_types'], ['HQ', 'WEST']);
    const waits = Object.fromEntries(plan.map((s) => [s.label, s.waitFor]));
    expect(waits).toEqual({
      'direct_costs@company': ['cost_types', 'vendors'],
      'vendors@HQ': [],
      'vendors@WEST': ['vendors@HQ'],
      'cost_types@company': [],
    });
  });

  it('an entity a kind refers to but the run does not include is not waited for', () => {
    const [budgets] = planImportScopes(['budgets'], ['HQ']);
    expect(budgets.waitFor).toEqual([]);
  });
});

describe('activity errors', () => {
  it('a database constraint violation is a permanent ValidationError naming it, not a retry loop', () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "links_acumatica_key"'), {
      code: '23505',
      constraint: 'links_acumatica_key',
      detail: 'Key (acumatica_entity, acumatica_key)=(Vendor, ALPINE01) already exists.',
    });
    const failure = toApplicationFailure(pgError) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('ValidationError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('links_acumatica_key');
    expect(failure.message).toContain('(Vendor, ALPINE01) already exists');
    const connectionLost = Object.assign(new Error('Connection terminated'), { code: '57P01' });
    expect(toApplicationFailure(connectionLost)).toBe(connectionLost); // retried as before
  });
});
