/**
 * The public Procore endpoints (as named in procore-public-api-digest.json) that the simulator serves. The
 * extract script copies their return models into models.json; the simulator shapes every answer of these
 * routes with those models (digest.ts) and tests/conformance/procore-digest.test.ts calls each one.
 *
 * Partner-only ERP platform routes, the Webhooks deliveries engine and /__admin are not in the digest and are
 * not listed here.
 */
export const SIMULATED_PUBLIC_ENDPOINTS = [
  // OAuth (POST /oauth/token and /oauth/revoke are form posts; GET /oauth/authorize is a redirect, below)
  'POST /oauth/token',
  'GET /oauth/token/info',
  'POST /oauth/revoke',
  // Company / user context
  'GET /rest/v1.0/me',
  'GET /rest/v1.0/companies',
  // Company directory
  'GET /rest/v1.0/vendors',
  'POST /rest/v1.0/vendors',
  'PATCH /rest/v1.0/vendors/sync',
  'GET /rest/v1.0/vendors/{id}',
  'PATCH /rest/v1.0/vendors/{id}',
  // Projects and sub jobs
  'GET /rest/v1.0/projects',
  'POST /rest/v1.0/projects',
  'PATCH /rest/v1.0/projects/sync',
  'GET /rest/v1.0/projects/{id}',
  'PATCH /rest/v1.0/projects/{id}',
  'GET /rest/v1.0/companies/{company_id}/projects',
  'GET /rest/v1.0/sub_jobs',
  'POST /rest/v1.0/sub_jobs',
  'PATCH /rest/v1.0/sub_jobs/sync',
  'GET /rest/v1.0/sub_jobs/{id}',
  'PATCH /rest/v1.0/sub_jobs/{id}',
  // Cost codes and cost types
  'GET /rest/v1.0/standard_cost_code_lists',
  'GET /rest/v1.0/standard_cost_code_lists/{id}',
  'GET /rest/v1.0/standard_cost_codes',
  'PATCH /rest/v1.0/standard_cost_codes/sync',
  'GET /rest/v1.0/standard_cost_codes/{id}',
  'GET /rest/v1.0/cost_codes',
  'PATCH /rest/v1.0/cost_codes/sync',
  'GET /rest/v1.0/cost_codes/{id}',
  'GET /rest/v1.0/line_item_types',
  'PATCH /rest/v1.0/line_item_types/sync',
  'GET /rest/v1.0/line_item_types/{id}',
  'GET /rest/v1.0/tax_codes',
  'GET /rest/v1.0/tax_codes/{id}',
  // Budget
  'GET /rest/v1.0/projects/{project_id}/budget',
  'GET /rest/v1.0/budget_views',
  'GET /rest/v1.0/budget_views/{budget_view_id}/detail_rows',
  'GET /rest/v1.0/budget_line_items/{id}',
  'POST /rest/v1.0/budget_line_items/sync',
  'GET /rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes',
  'GET /rest/v1.0/projects/{project_id}/budget_changes',
  'POST /rest/v1.0/projects/{project_id}/budget_changes',
  'GET /rest/v1.0/projects/{project_id}/budget_changes/{id}',
  'PATCH /rest/v1.0/projects/{project_id}/budget_changes/{id}',
  'GET /rest/v1.0/projects/{project_id}/budget_modifications',
  'GET /rest/v1.0/projects/{project_id}/budget_modifications/{id}',
  // Prime contracts and prime change orders
  'GET /rest/v1.0/prime_contracts',
  'POST /rest/v1.0/prime_contract',
  'GET /rest/v1.0/prime_contract/{id}',
  'PATCH /rest/v1.0/prime_contract/{id}',
  'GET /rest/v1.0/prime_contracts/{prime_contract_id}/line_items',
  'POST /rest/v1.0/prime_contracts/{prime_contract_id}/line_items',
  'PATCH /rest/v1.0/prime_contracts/{prime_contract_id}/line_items/{id}',
  'GET /rest/v1.0/projects/{project_id}/prime_change_orders',
  'POST /rest/v1.0/projects/{project_id}/prime_change_orders',
  'GET /rest/v1.0/projects/{project_id}/prime_change_orders/{id}',
  'PATCH /rest/v1.0/projects/{project_id}/prime_change_orders/{id}',
  // Commitments
  'GET /rest/v1.0/commitments',
  'GET /rest/v1.0/commitments/{id}',
  'GET /rest/v1.0/work_order_contracts',
  'POST /rest/v1.0/work_order_contracts',
  'PATCH /rest/v1.0/work_order_contracts/sync',
  'GET /rest/v1.0/work_order_contracts/{id}',
  'PATCH /rest/v1.0/work_order_contracts/{id}',
  'GET /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items',
  'POST /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items',
  'PATCH /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items/sync',
  'GET /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items/{id}',
  'PATCH /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items/{id}',
  'GET /rest/v1.0/purchase_order_contracts',
  'POST /rest/v1.0/purchase_order_contracts',
  'PATCH /rest/v1.0/purchase_order_contracts/sync',
  'GET /rest/v1.0/purchase_order_contracts/{id}',
  'PATCH /rest/v1.0/purchase_order_contracts/{id}',
  'GET /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items',
  'POST /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items',
  'PATCH /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items/sync',
  'GET /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items/{id}',
  'PATCH /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items/{id}',
  'GET /rest/v1.0/projects/{project_id}/commitment_change_orders',
  'POST /rest/v1.0/projects/{project_id}/commitment_change_orders',
  'GET /rest/v1.0/projects/{project_id}/commitment_change_orders/{id}',
  'PATCH /rest/v1.0/projects/{project_id}/commitment_change_orders/{id}',
  // Direct costs
  'GET /rest/v1.0/projects/{project_id}/direct_costs',
  'POST /rest/v1.0/projects/{project_id}/direct_costs',
  'PATCH /rest/v1.0/projects/{project_id}/direct_costs/sync',
  'GET /rest/v1.0/projects/{project_id}/direct_costs/line_items',
  'PATCH /rest/v1.0/projects/{project_id}/direct_costs/line_items/sync',
  'GET /rest/v1.0/projects/{project_id}/direct_costs/{id}',
  'PATCH /rest/v1.0/projects/{project_id}/direct_costs/{id}',
  'GET /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items',
  'PATCH /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items/{id}',
  'POST /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items',
  // Subcontractor invoices and payments
  'GET /rest/v1.0/requisitions',
  'POST /rest/v1.0/requisitions',
  'GET /rest/v1.0/requisitions/{id}',
  'PATCH /rest/v1.0/requisitions/{id}',
  'GET /rest/v1.0/requisitions/{requisition_id}/contract_items',
  'PATCH /rest/v1.0/requisitions/{requisition_id}/contract_items/{id}',
  'GET /rest/v1.0/contract_payments',
  'POST /rest/v1.0/contract_payments',
  'GET /rest/v1.0/contract_payments/{id}',
  'PATCH /rest/v1.0/contract_payments/{id}',
  // Webhooks API
  'GET /rest/v1.0/webhooks/resources',
  'GET /rest/v1.0/webhooks/hooks',
  'POST /rest/v1.0/webhooks/hooks',
  'PATCH /rest/v1.0/webhooks/hooks/{id}',
  'GET /rest/v1.0/webhooks/hooks/{hook_id}/triggers',
  'POST /rest/v1.0/webhooks/hooks/{hook_id}/triggers',
  'GET /rest/v1.0/webhooks/hooks/{hook_id}/deliveries',
] as const;

/**
 * Served too, but with no JSON body to check: the authorize redirect and DELETEs answering 204. Listed so the
 * conformance test can account for every digest route the simulator knows.
 */
export const SIMULATED_PUBLIC_ENDPOINTS_WITHOUT_BODY = [
  'GET /oauth/authorize',
  'DELETE /rest/v1.0/contract_payments/{id}',
  'DELETE /rest/v1.0/webhooks/hooks/{id}',
  'DELETE /rest/v1.0/webhooks/hooks/{hook_id}/triggers/{id}',
] as const;

export type SimulatedEndpoint = (typeof SIMULATED_PUBLIC_ENDPOINTS)[number];
