/**
 * Conformance of the Procore simulator with Procore's public API digest: every public endpoint the simulator
 * serves (packages/procore-simulator/src/digest/endpoints.ts) is called over HTTP, and its answer must carry every field
 * of the digest's return model, recursively, with the digest's types (int / float / str / bool / date /
 * datetime / object / lists / nested models; null allowed where the digest marks a field optional), and no
 * field the model does not have unless listed in EXTRA_FIELDS with the reason.
 *
 * The simulator carries a copy of the models it needs (digest/models.json); when the reference digest is
 * present, the copy is checked against it too, so the two cannot drift apart.
 */
import { LosslessNumber, isLosslessNumber, parse } from 'lossless-json';
import {
  DEMO_BUDGET,
  DEMO_BUDGET_CHANGES,
  DEMO_COMMITMENT_CHANGE_ORDERS,
  DEMO_ERP_COST_CODE_LIST,
  DEMO_PRIME_CHANGE_ORDERS,
  DEMO_PRIME_CONTRACT,
  DEMO_PROJECT,
  DEMO_PROJECT_COST_CODES,
  DEMO_PURCHASE_ORDERS,
  DEMO_REQUISITIONS,
  DEMO_SUB_JOBS,
  DEMO_SUBCONTRACTS,
  DEMO_VENDORS,
  DEMO_COST_TYPES,
  DEMO_TAX_CODES,
} from 'simulator-common';
import { jsonKey, modelFields, modelOf, SIMULATOR_EXTRAS } from '../src/digest';
import digestCopy from '../src/digest/models.json';
import { readDigest } from '../src/digest/extract';
import {
  SIMULATED_PUBLIC_ENDPOINTS,
  SIMULATED_PUBLIC_ENDPOINTS_WITHOUT_BODY,
  type SimulatedEndpoint,
} from '../src/digest/endpoints';
import { STANDARD_BUDGET_VIEW } from '../src/render-financials';
import {
  startProcoreSimulator,
  startWebhookReceiver,
  type RunningProcoreSimulator,
  type WebhookReceiver,
} from '../src/testing';

/** Fields the simulator may add beyond a digest model (documented there with the reason). */
const EXTRA_FIELDS = SIMULATOR_EXTRAS;

const P = DEMO_PROJECT.procoreId;
const SC = DEMO_SUBCONTRACTS[0];
const PO = DEMO_PURCHASE_ORDERS[0];

interface Call {
  method: string;
  path: string;
  body?: unknown;
  form?: Record<string, string>;
  auth?: false;
}

interface Tally {
  models: Set<string>;
  fieldsChecked: number;
  nonNullFields: number;
  problems: string[];
}

/** Checks `value` against a digest type; records problems with their JSON path. */
function check(type: string, value: unknown, path: string, t: Tally, required = false): void {
  if (value === null || value === undefined) {
    if (required) t.problems.push(`${path}: required ${type} is null`);
    return;
  }
  if (type.startsWith('List')) {
    if (!Array.isArray(value)) return void t.problems.push(`${path}: expected array (${type})`);
    value.forEach((v, i) => check(type.slice(4), v, `${path}[${i}]`, t));
    return;
  }
  const isNum = isLosslessNumber(value);
  const text = isNum ? (value as LosslessNumber).value : undefined;
  switch (type) {
    case 'int':
      if (!isNum || !/^-?\d+$/.test(text!)) t.problems.push(`${path}: expected int, got ${show(value)}`);
      return;
    case 'float':
      if (!isNum) t.problems.push(`${path}: expected float, got ${show(value)}`);
      return;
    case 'str':
      if (typeof value !== 'string') t.problems.push(`${path}: expected str, got ${show(value)}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') t.problems.push(`${path}: expected bool, got ${show(value)}`);
      return;
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        t.problems.push(`${path}: expected date, got ${show(value)}`);
      }
      return;
    case 'datetime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
        t.problems.push(`${path}: expected datetime, got ${show(value)}`);
      }
      return;
    case 'object':
      return;
  }
  const model = modelOf(type);
  const fields = model ? modelFields(model) : undefined;
  if (!model || !fields) return void t.problems.push(`${path}: unknown digest type ${type}`);
  if (typeof value !== 'object' || Array.isArray(value)) {
    return void t.problems.push(`${path}: expected ${model} object, got ${show(value)}`);
  }
  t.models.add(model);
  const obj = value as Record<string, unknown>;
  // The generator's stand-in for a map of field name -> messages (sync error details).
  if (fields.length === 1 && fields[0][0] === 'field_name') {
    for (const [k, v] of Object.entries(obj)) check(fields[0][1], v, `${path}.${k}`, t);
    return;
  }
  const known = new Set(fields.map(([name]) => jsonKey(name)));
  for (const key of Object.keys(obj)) {
    if (!known.has(key) && !(EXTRA_FIELDS[model] ?? []).includes(key))
      t.problems.push(`${path}.${key}: not in ${model}`);
  }
  for (const [name, fieldType, optional] of fields) {
    const key = jsonKey(name);
    t.fieldsChecked++;
    if (!(key in obj)) {
      t.problems.push(`${path}.${key}: missing (${model})`);
      continue;
    }
    if (obj[key] !== null) t.nonNullFields++;
    check(fieldType, obj[key], `${path}.${key}`, t, !optional);
  }
}

function show(v: unknown): string {
  return isLosslessNumber(v) ? `number ${(v as LosslessNumber).value}` : (JSON.stringify(v)?.slice(0, 60) ?? String(v));
}

describe('Procore simulator conforms to the public API digest', () => {
  let sim: RunningProcoreSimulator;
  let receiver: WebhookReceiver;
  let token: string;
  let hookId: string;
  let paymentId: string;
  const C = () => sim.companyId;

  async function raw(call: Call, bearer = token) {
    const headers: Record<string, string> = { 'Procore-Company-Id': C() };
    if (call.auth !== false) headers.Authorization = `Bearer ${bearer}`;
    let body: string | undefined;
    if (call.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(call.form).toString();
    } else if (call.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const res = await fetch(sim.url + call.path, { method: call.method, headers, body, redirect: 'manual' });
    return { status: res.status, text: await res.text() };
  }

  async function json(call: Call) {
    const res = await raw(call);
    if (res.status >= 300) throw new Error(`${call.method} ${call.path} -> ${res.status}: ${res.text}`);
    return parse(res.text) as Record<string, unknown>;
  }

  async function authCode(): Promise<string> {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: sim.credentials.clientId,
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
    });
    const res = await raw({ method: 'GET', path: `/oauth/authorize?${q}`, auth: false });
    return (JSON.parse(res.text) as { code: string }).code;
  }

  beforeAll(async () => {
    sim = await startProcoreSimulator({ webhookTimeCompression: 1000, rateLimit: { spikeLimit: 10_000 } });
    receiver = await startWebhookReceiver();
    const res = await raw({
      method: 'POST',
      path: '/oauth/token',
      auth: false,
      form: {
        grant_type: 'client_credentials',
        client_id: sim.credentials.clientId,
        client_secret: sim.credentials.clientSecret,
      },
    });
    token = (JSON.parse(res.text) as { access_token: string }).access_token;
    // A v2 hook with a delivery, and a payment, so their list endpoints have something to show.
    const hook = await json({
      method: 'POST',
      path: '/rest/v1.0/webhooks/hooks',
      body: { company_id: C(), hook: { api_version: 'v2', namespace: 'conformance', destination_url: receiver.url } },
    });
    hookId = String(hook.id);
    await json({
      method: 'POST',
      path: `/rest/v1.0/webhooks/hooks/${hookId}/triggers`,
      body: { company_id: C(), trigger: { resource_name: 'ERP Requests', event_type: 'create' } },
    });
    await sim.admin('POST', '/__admin/erp/accept', {
      company_id: C(),
      item_type: 'work_order_contract',
      item_id: SC.procoreId,
    });
    await receiver.waitFor(1);
    await sim.webhooks.idle();
    const payment = await json({
      method: 'POST',
      path: '/rest/v1.0/contract_payments',
      body: {
        project_id: P,
        contract_payment: { contract_id: SC.procoreId, amount: '110193.75', date: '2024-05-30', check_number: '10442' },
      },
    });
    paymentId = String(payment.id);
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  const cases = (): Record<SimulatedEndpoint, () => Promise<Call>> => ({
    'POST /oauth/token': async () => ({
      method: 'POST',
      path: '/oauth/token',
      auth: false,
      form: {
        grant_type: 'authorization_code',
        code: await authCode(),
        redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
        client_id: sim.credentials.clientId,
        client_secret: sim.credentials.clientSecret,
      },
    }),
    'GET /oauth/token/info': async () => ({ method: 'GET', path: '/oauth/token/info' }),
    'POST /oauth/revoke': async () => ({
      method: 'POST',
      path: '/oauth/revoke',
      auth: false,
      form: { token: 'not-a-token', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret },
    }),
    'GET /rest/v1.0/me': async () => ({ method: 'GET', path: '/rest/v1.0/me' }),
    'GET /rest/v1.0/companies': async () => ({ method: 'GET', path: '/rest/v1.0/companies' }),
    'GET /rest/v1.0/vendors': async () => ({ method: 'GET', path: `/rest/v1.0/vendors?company_id=${C()}` }),
    'POST /rest/v1.0/vendors': async () => ({
      method: 'POST',
      path: '/rest/v1.0/vendors',
      body: { company_id: C(), vendor: { name: 'Conformance Drywall Co.', city: 'Denver' } },
    }),
    'PATCH /rest/v1.0/vendors/sync': async () => ({
      method: 'PATCH',
      path: '/rest/v1.0/vendors/sync',
      body: {
        company_id: C(),
        updates: [
          { origin_id: 'V-CONF-1', name: 'Conformance Vendor', city: 'Golden' },
          { id: DEMO_VENDORS[1].procoreId, business_phone: '303-555-0199' },
          { id: '999999999', name: 'nobody' },
        ],
      },
    }),
    'GET /rest/v1.0/vendors/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/vendors/${DEMO_VENDORS[0].procoreId}?company_id=${C()}`,
    }),
    'PATCH /rest/v1.0/vendors/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/vendors/${DEMO_VENDORS[2].procoreId}`,
      body: { company_id: C(), vendor: { email_address: 'ap@obriensons.example' } },
    }),
    'POST /rest/v1.0/projects': async () => ({
      method: 'POST',
      path: '/rest/v1.0/projects',
      body: { company_id: C(), project: { name: 'Conformance Tower', project_number: 'CT-1', city: 'Denver' } },
    }),
    'GET /rest/v1.0/projects': async () => ({ method: 'GET', path: `/rest/v1.0/projects?company_id=${C()}` }),
    'PATCH /rest/v1.0/projects/sync': async () => ({
      method: 'PATCH',
      path: '/rest/v1.0/projects/sync',
      body: {
        company_id: C(),
        updates: [{ origin_id: 'RMOB24099', name: 'Conformance Clinic', project_number: '2024-099' }],
      },
    }),
    'GET /rest/v1.0/projects/{id}': async () => ({ method: 'GET', path: `/rest/v1.0/projects/${P}?company_id=${C()}` }),
    'PATCH /rest/v1.0/projects/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/projects/${P}`,
      body: { company_id: C(), project: { zip: '80223' } },
    }),
    'GET /rest/v1.0/companies/{company_id}/projects': async () => ({
      method: 'GET',
      path: `/rest/v1.0/companies/${C()}/projects`,
    }),
    'POST /rest/v1.0/sub_jobs': async () => ({
      method: 'POST',
      path: '/rest/v1.0/sub_jobs',
      body: { project_id: P, sub_job: { code: '77', name: 'Conformance wing', origin_id: 'SJ-CONF' } },
    }),
    'GET /rest/v1.0/sub_jobs': async () => ({ method: 'GET', path: `/rest/v1.0/sub_jobs?project_id=${P}` }),
    'PATCH /rest/v1.0/sub_jobs/sync': async () => ({
      method: 'PATCH',
      path: '/rest/v1.0/sub_jobs/sync',
      body: { project_id: P, updates: [{ origin_id: 'RMOB24017-04', code: '04', name: 'Landscaping' }] },
    }),
    'GET /rest/v1.0/sub_jobs/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/sub_jobs/${DEMO_SUB_JOBS[0].procoreId}?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/sub_jobs/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/sub_jobs/${DEMO_SUB_JOBS[2].procoreId}`,
      body: { project_id: P, sub_job: { name: 'Site Work, Utilities and Paving' } },
    }),
    'GET /rest/v1.0/standard_cost_code_lists': async () => ({
      method: 'GET',
      path: `/rest/v1.0/standard_cost_code_lists?company_id=${C()}`,
    }),
    'GET /rest/v1.0/standard_cost_code_lists/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/standard_cost_code_lists/${DEMO_ERP_COST_CODE_LIST.procoreId}?company_id=${C()}`,
    }),
    'GET /rest/v1.0/standard_cost_codes': async () => ({
      method: 'GET',
      path: `/rest/v1.0/standard_cost_codes?company_id=${C()}&standard_cost_code_list_id=${DEMO_ERP_COST_CODE_LIST.procoreId}`,
    }),
    'PATCH /rest/v1.0/standard_cost_codes/sync': async () => ({
      method: 'PATCH',
      path: '/rest/v1.0/standard_cost_codes/sync',
      body: {
        company_id: C(),
        standard_cost_code_list_id: DEMO_ERP_COST_CODE_LIST.procoreId,
        updates: [{ origin_id: 'CC-31-200', code: '31-200', name: 'Earth Moving' }],
      },
    }),
    'GET /rest/v1.0/standard_cost_codes/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/standard_cost_codes/${DEMO_ERP_COST_CODE_LIST.codes[0].procoreId}?company_id=${C()}&standard_cost_code_list_id=${DEMO_ERP_COST_CODE_LIST.procoreId}`,
    }),
    'GET /rest/v1.0/cost_codes': async () => ({ method: 'GET', path: `/rest/v1.0/cost_codes?project_id=${P}` }),
    'PATCH /rest/v1.0/cost_codes/sync': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/cost_codes/sync?project_id=${P}`,
      body: { updates: [{ origin_id: 'RMOB-31-200', code: '31-200', name: 'Earth Moving' }] },
    }),
    'GET /rest/v1.0/cost_codes/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/cost_codes/${DEMO_PROJECT_COST_CODES[2].procoreId}?project_id=${P}`,
    }),
    'GET /rest/v1.0/line_item_types': async () => ({
      method: 'GET',
      path: `/rest/v1.0/line_item_types?company_id=${C()}`,
    }),
    'PATCH /rest/v1.0/line_item_types/sync': async () => ({
      method: 'PATCH',
      path: '/rest/v1.0/line_item_types/sync',
      body: { company_id: C(), updates: [{ origin_id: 'SUBCONTR', id: DEMO_COST_TYPES[0].procoreId }] },
    }),
    'GET /rest/v1.0/line_item_types/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/line_item_types/${DEMO_COST_TYPES[1].procoreId}?company_id=${C()}`,
    }),
    'GET /rest/v1.0/tax_codes': async () => ({ method: 'GET', path: `/rest/v1.0/tax_codes?company_id=${C()}` }),
    'GET /rest/v1.0/tax_codes/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/tax_codes/${DEMO_TAX_CODES[0].procoreId}?company_id=${C()}`,
    }),
    'GET /rest/v1.0/projects/{project_id}/budget': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/budget`,
    }),
    'GET /rest/v1.0/budget_views': async () => ({ method: 'GET', path: `/rest/v1.0/budget_views?project_id=${P}` }),
    'GET /rest/v1.0/budget_views/{budget_view_id}/detail_rows': async () => ({
      method: 'GET',
      path: `/rest/v1.0/budget_views/${STANDARD_BUDGET_VIEW.demoId}/detail_rows?project_id=${P}`,
    }),
    'GET /rest/v1.0/budget_line_items/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/budget_line_items/${DEMO_BUDGET.lines[2].procoreId}?project_id=${P}`,
    }),
    'GET /rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/work_breakdown_structure/wbs_codes`,
    }),
    'POST /rest/v1.0/budget_line_items/sync': async () => {
      const codes = (await json({
        method: 'GET',
        path: `/rest/v1.0/projects/${P}/work_breakdown_structure/wbs_codes`,
      })) as unknown as Array<{ id: unknown; flat_code: string }>;
      // A budget code the demo budget does not use yet (project level), so the sync creates a line.
      const free = codes.find((c) => c.flat_code.startsWith('.'))!;
      return {
        method: 'POST',
        path: '/rest/v1.0/budget_line_items/sync',
        body: {
          project_id: P,
          budget_line_items: [{ wbs_code_id: String(free.id), original_budget_amount: '1250.00' }],
        },
      };
    },
    'GET /rest/v1.0/projects/{project_id}/budget_changes': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/budget_changes`,
    }),
    'POST /rest/v1.0/projects/{project_id}/budget_changes': async () => {
      const codes = (await json({
        method: 'GET',
        path: `/rest/v1.0/projects/${P}/work_breakdown_structure/wbs_codes`,
      })) as unknown as Array<{ id: unknown }>;
      return {
        method: 'POST',
        path: `/rest/v1.0/projects/${P}/budget_changes`,
        body: {
          status: 'approved',
          title: 'Owner allowance moved to framing',
          adjustment_line_items: [
            { wbs_code_id: String(codes[0].id), amount: '2500.00', description: 'Framing' },
            { wbs_code_id: String(codes[1].id), amount: '-2500.00', description: 'Allowance' },
          ],
        },
      };
    },
    'GET /rest/v1.0/projects/{project_id}/budget_changes/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/budget_changes/${DEMO_BUDGET_CHANGES[0].procoreId}`,
    }),
    'GET /rest/v1.0/projects/{project_id}/budget_modifications': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/budget_modifications`,
    }),
    'GET /rest/v1.0/projects/{project_id}/budget_modifications/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/budget_modifications/9430001`,
    }),
    'GET /rest/v1.0/prime_contracts': async () => ({
      method: 'GET',
      path: `/rest/v1.0/prime_contracts?project_id=${P}`,
    }),
    'POST /rest/v1.0/prime_contract': async () => ({
      method: 'POST',
      path: '/rest/v1.0/prime_contract',
      body: {
        project_id: P,
        prime_contract: { title: 'Owner contract, phase 2', vendor_id: DEMO_VENDORS[0].procoreId, status: 'Approved' },
      },
    }),
    'GET /rest/v1.0/prime_contract/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/prime_contract/${DEMO_PRIME_CONTRACT.procoreId}?project_id=${P}`,
    }),
    'GET /rest/v1.0/prime_contracts/{prime_contract_id}/line_items': async () => ({
      method: 'GET',
      path: `/rest/v1.0/prime_contracts/${DEMO_PRIME_CONTRACT.procoreId}/line_items?project_id=${P}`,
    }),
    'POST /rest/v1.0/prime_contracts/{prime_contract_id}/line_items': async () => ({
      method: 'POST',
      path: `/rest/v1.0/prime_contracts/${DEMO_PRIME_CONTRACT.procoreId}/line_items?project_id=${P}`,
      body: {
        line_item: {
          description: 'Phase 2 shell',
          amount: '150000.00',
          cost_code_id: DEMO_PROJECT_COST_CODES[0].procoreId,
          line_item_type_id: DEMO_COST_TYPES[0].procoreId,
        },
      },
    }),
    'POST /rest/v1.0/projects/{project_id}/prime_change_orders': async () => ({
      method: 'POST',
      path: `/rest/v1.0/projects/${P}/prime_change_orders`,
      body: {
        change_order: { contract_id: DEMO_PRIME_CONTRACT.procoreId, title: 'Conformance change', status: 'pending' },
      },
    }),
    'GET /rest/v1.0/projects/{project_id}/prime_change_orders': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/prime_change_orders`,
    }),
    'GET /rest/v1.0/projects/{project_id}/prime_change_orders/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/prime_change_orders/${DEMO_PRIME_CHANGE_ORDERS[0].procoreId}`,
    }),
    'GET /rest/v1.0/commitments': async () => ({ method: 'GET', path: `/rest/v1.0/commitments?project_id=${P}` }),
    'GET /rest/v1.0/commitments/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/commitments/${PO.procoreId}?project_id=${P}`,
    }),
    'POST /rest/v1.0/work_order_contracts': async () => ({
      method: 'POST',
      path: '/rest/v1.0/work_order_contracts',
      body: {
        project_id: P,
        work_order_contract: { title: 'Conformance drywall', vendor_id: SC.vendorProcoreId, retainage_percent: '10' },
      },
    }),
    'POST /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items': async () => ({
      method: 'POST',
      path: `/rest/v1.0/work_order_contracts/${SC.procoreId}/line_items`,
      body: {
        project_id: P,
        line_item: {
          description: 'Added scope',
          amount: '1250.50',
          cost_code_id: DEMO_PROJECT_COST_CODES[0].procoreId,
          line_item_type_id: DEMO_COST_TYPES[0].procoreId,
        },
      },
    }),
    'GET /rest/v1.0/work_order_contracts': async () => ({
      method: 'GET',
      path: `/rest/v1.0/work_order_contracts?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/work_order_contracts/sync': async () => ({
      method: 'PATCH',
      path: '/rest/v1.0/work_order_contracts/sync',
      body: { project_id: P, updates: [{ id: DEMO_SUBCONTRACTS[1].procoreId, description: 'Cores per addendum 2' }] },
    }),
    'GET /rest/v1.0/work_order_contracts/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/work_order_contracts/${SC.procoreId}?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/work_order_contracts/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/work_order_contracts/${DEMO_SUBCONTRACTS[2].procoreId}`,
      body: { project_id: P, work_order_contract: { description: 'Glazing scope' } },
    }),
    'GET /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items': async () => ({
      method: 'GET',
      path: `/rest/v1.0/work_order_contracts/${SC.procoreId}/line_items?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items/sync': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/work_order_contracts/${DEMO_SUBCONTRACTS[1].procoreId}/line_items/sync?project_id=${P}`,
      body: { updates: [{ origin_id: 'SC7:3', description: 'Grout and rebar', amount: '8400.00' }] },
    }),
    'GET /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/work_order_contracts/${SC.procoreId}/line_items/${SC.lines[0].procoreId}?project_id=${P}`,
    }),
    'POST /rest/v1.0/purchase_order_contracts': async () => ({
      method: 'POST',
      path: '/rest/v1.0/purchase_order_contracts',
      body: { project_id: P, purchase_order_contract: { title: 'Conformance rebar', vendor_id: PO.vendorProcoreId } },
    }),
    'POST /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items': async () => ({
      method: 'POST',
      path: `/rest/v1.0/purchase_order_contracts/${PO.procoreId}/line_items`,
      body: { project_id: P, line_item: { description: 'Rebar #5', quantity: '12', unit_cost: '41.25', uom: 'ea' } },
    }),
    'GET /rest/v1.0/purchase_order_contracts': async () => ({
      method: 'GET',
      path: `/rest/v1.0/purchase_order_contracts?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/purchase_order_contracts/sync': async () => ({
      method: 'PATCH',
      path: '/rest/v1.0/purchase_order_contracts/sync',
      body: { project_id: P, updates: [{ id: PO.procoreId, delivery_date: '2024-05-08' }] },
    }),
    'GET /rest/v1.0/purchase_order_contracts/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/purchase_order_contracts/${PO.procoreId}?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/purchase_order_contracts/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/purchase_order_contracts/${PO.procoreId}`,
      body: { project_id: P, purchase_order_contract: { title: PO.title } },
    }),
    'GET /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items': async () => ({
      method: 'GET',
      path: `/rest/v1.0/purchase_order_contracts/${PO.procoreId}/line_items?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items/sync': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/purchase_order_contracts/${PO.procoreId}/line_items/sync?project_id=${P}`,
      body: { updates: [{ id: PO.lines[0].procoreId, uom: 'EA' }] },
    }),
    'GET /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/purchase_order_contracts/${PO.procoreId}/line_items/${PO.lines[1].procoreId}?project_id=${P}`,
    }),
    'POST /rest/v1.0/projects/{project_id}/commitment_change_orders': async () => ({
      method: 'POST',
      path: `/rest/v1.0/projects/${P}/commitment_change_orders`,
      body: { change_order: { contract_id: SC.procoreId, title: 'Conformance change', status: 'pending' } },
    }),
    'GET /rest/v1.0/projects/{project_id}/commitment_change_orders': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/commitment_change_orders`,
    }),
    'GET /rest/v1.0/projects/{project_id}/commitment_change_orders/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/commitment_change_orders/${DEMO_COMMITMENT_CHANGE_ORDERS[0].procoreId}`,
    }),
    'GET /rest/v1.0/projects/{project_id}/direct_costs': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/direct_costs`,
    }),
    'POST /rest/v1.0/projects/{project_id}/direct_costs': async () => ({
      method: 'POST',
      path: `/rest/v1.0/projects/${P}/direct_costs`,
      body: {
        item: {
          invoice_number: 'RENT-2207',
          vendor_id: DEMO_VENDORS[1].procoreId,
          direct_cost_type: 'invoice',
          direct_cost_date: '2024-06-30',
        },
      },
    }),
    'PATCH /rest/v1.0/projects/{project_id}/direct_costs/sync': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/projects/${P}/direct_costs/sync`,
      body: {
        updates: [
          {
            origin_id: 'AP-000912',
            direct_cost_type: 'Invoice',
            invoice_number: 'INV-4471',
            direct_cost_date: '2024-05-02',
            vendor_id: DEMO_VENDORS[5].procoreId,
          },
        ],
      },
    }),
    'GET /rest/v1.0/projects/{project_id}/direct_costs/line_items': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/direct_costs/line_items`,
    }),
    'PATCH /rest/v1.0/projects/{project_id}/direct_costs/line_items/sync': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/projects/${P}/direct_costs/line_items/sync`,
      body: {
        updates: [
          {
            origin_id: 'AP-000912:1',
            direct_cost_id: '9500001',
            description: 'Safety glasses',
            amount: '86.40',
            cost_code_id: DEMO_PROJECT_COST_CODES[0].procoreId,
          },
        ],
      },
    }),
    'GET /rest/v1.0/projects/{project_id}/direct_costs/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/direct_costs/9500001`,
    }),
    'PATCH /rest/v1.0/projects/{project_id}/direct_costs/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/projects/${P}/direct_costs/9500001`,
      body: { direct_cost: { terms: 'Net 30' } },
    }),
    'GET /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items': async () => ({
      method: 'GET',
      path: `/rest/v1.0/projects/${P}/direct_costs/9500001/line_items`,
    }),
    'POST /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items': async () => ({
      method: 'POST',
      path: `/rest/v1.0/projects/${P}/direct_costs/9500001/line_items`,
      body: {
        line_item: {
          description: 'Crane rental',
          quantity: '3',
          unit_cost: '1450.00',
          cost_code_id: DEMO_PROJECT_COST_CODES[1].procoreId,
          line_item_type_id: DEMO_COST_TYPES[1].procoreId,
        },
      },
    }),
    'GET /rest/v1.0/requisitions': async () => ({ method: 'GET', path: `/rest/v1.0/requisitions?project_id=${P}` }),
    'POST /rest/v1.0/requisitions': async () => ({
      method: 'POST',
      path: '/rest/v1.0/requisitions',
      body: {
        project_id: P,
        commitment_id: SC.procoreId,
        requisition: { invoice_number: 'CONF-9', billing_date: '2024-08-31' },
      },
    }),
    'GET /rest/v1.0/requisitions/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/requisitions/${DEMO_REQUISITIONS[0].procoreId}?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/requisitions/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/requisitions/${DEMO_REQUISITIONS[0].procoreId}`,
      body: { project_id: P, requisition: { status: 'approved' } },
    }),
    'GET /rest/v1.0/requisitions/{requisition_id}/contract_items': async () => ({
      method: 'GET',
      path: `/rest/v1.0/requisitions/${DEMO_REQUISITIONS[0].procoreId}/contract_items?project_id=${P}`,
    }),
    'PATCH /rest/v1.0/requisitions/{requisition_id}/contract_items/{id}': async () => {
      const created = await json({
        method: 'POST',
        path: '/rest/v1.0/requisitions',
        body: { project_id: P, commitment_id: SC.procoreId, requisition: { invoice_number: 'CONF-10' } },
      });
      const items = (await json({
        method: 'GET',
        path: `/rest/v1.0/requisitions/${String(created.id)}/contract_items?project_id=${P}`,
      })) as unknown as Array<{ id: unknown }>;
      return {
        method: 'PATCH',
        path: `/rest/v1.0/requisitions/${String(created.id)}/contract_items/${String(items[0].id)}?project_id=${P}`,
        body: { requisition_contract_item: { work_completed_this_period: '1000.00' } },
      };
    },
    'GET /rest/v1.0/contract_payments': async () => ({
      method: 'GET',
      path: `/rest/v1.0/contract_payments?project_id=${P}&contract_id=${SC.procoreId}`,
    }),
    'POST /rest/v1.0/contract_payments': async () => ({
      method: 'POST',
      path: '/rest/v1.0/contract_payments',
      body: {
        project_id: P,
        contract_payment: {
          contract_id: PO.procoreId,
          amount: '63009.00',
          date: '2024-06-14',
          origin_id: 'CHK-000311',
        },
      },
    }),
    'GET /rest/v1.0/contract_payments/{id}': async () => ({
      method: 'GET',
      path: `/rest/v1.0/contract_payments/${paymentId}?project_id=${P}&contract_id=${SC.procoreId}`,
    }),
    'PATCH /rest/v1.0/contract_payments/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/contract_payments/${paymentId}`,
      body: { project_id: P, contract_payment: { notes: 'Check mailed' } },
    }),
    // Updates: each of a record the case creates first (the demo's own may be synced, and synced records are locked).
    'PATCH /rest/v1.0/prime_contract/{id}': async () => {
      const created = await json({
        method: 'POST',
        path: '/rest/v1.0/prime_contract',
        body: { project_id: P, prime_contract: { title: 'To rename' } },
      });
      return {
        method: 'PATCH',
        path: `/rest/v1.0/prime_contract/${String(created.id)}?project_id=${P}`,
        body: { prime_contract: { title: 'Renamed' } },
      };
    },
    'PATCH /rest/v1.0/prime_contracts/{prime_contract_id}/line_items/{id}': async () => {
      const created = await json({
        method: 'POST',
        path: '/rest/v1.0/prime_contract',
        body: { project_id: P, prime_contract: { title: 'With a line' } },
      });
      const line = await json({
        method: 'POST',
        path: `/rest/v1.0/prime_contracts/${String(created.id)}/line_items?project_id=${P}`,
        body: { line_item: { description: 'Shell', amount: '100.00' } },
      });
      return {
        method: 'PATCH',
        path: `/rest/v1.0/prime_contracts/${String(created.id)}/line_items/${String(line.id)}?project_id=${P}`,
        body: { line_item: { amount: '125.00' } },
      };
    },
    'PATCH /rest/v1.0/projects/{project_id}/commitment_change_orders/{id}': async () => {
      const co = await json({
        method: 'POST',
        path: `/rest/v1.0/projects/${P}/commitment_change_orders`,
        body: { change_order: { contract_id: SC.procoreId, title: 'To approve' } },
      });
      return {
        method: 'PATCH',
        path: `/rest/v1.0/projects/${P}/commitment_change_orders/${String(co.id)}`,
        body: { change_order: { status: 'approved' } },
      };
    },
    'PATCH /rest/v1.0/projects/{project_id}/prime_change_orders/{id}': async () => {
      const co = await json({
        method: 'POST',
        path: `/rest/v1.0/projects/${P}/prime_change_orders`,
        body: { change_order: { contract_id: DEMO_PRIME_CONTRACT.procoreId, title: 'To approve' } },
      });
      return {
        method: 'PATCH',
        path: `/rest/v1.0/projects/${P}/prime_change_orders/${String(co.id)}`,
        body: { change_order: { status: 'approved' } },
      };
    },
    'PATCH /rest/v1.0/projects/{project_id}/budget_changes/{id}': async () => {
      const codes = (await json({
        method: 'GET',
        path: `/rest/v1.0/projects/${P}/work_breakdown_structure/wbs_codes`,
      })) as unknown as Array<{ id: unknown }>;
      const change = await json({
        method: 'POST',
        path: `/rest/v1.0/projects/${P}/budget_changes`,
        body: {
          status: 'draft',
          title: 'Draft',
          adjustment_line_items: [{ wbs_code_id: String(codes[0].id), amount: '10.00' }],
        },
      });
      const id = String((change.data as { id: unknown }).id);
      return { method: 'PATCH', path: `/rest/v1.0/projects/${P}/budget_changes/${id}`, body: { status: 'pending' } };
    },
    'PATCH /rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items/{id}': async () => {
      const c = await json({
        method: 'POST',
        path: '/rest/v1.0/work_order_contracts',
        body: { project_id: P, work_order_contract: { title: 'Patched lines' } },
      });
      const line = await json({
        method: 'POST',
        path: `/rest/v1.0/work_order_contracts/${String(c.id)}/line_items`,
        body: { project_id: P, line_item: { amount: '10.00' } },
      });
      return {
        method: 'PATCH',
        path: `/rest/v1.0/work_order_contracts/${String(c.id)}/line_items/${String(line.id)}?project_id=${P}`,
        body: { line_item: { quantity: '4', unit_cost: '2.50' } },
      };
    },
    'PATCH /rest/v1.0/purchase_order_contracts/{purchase_order_contract_id}/line_items/{id}': async () => {
      const c = await json({
        method: 'POST',
        path: '/rest/v1.0/purchase_order_contracts',
        body: { project_id: P, purchase_order_contract: { title: 'Patched lines' } },
      });
      const line = await json({
        method: 'POST',
        path: `/rest/v1.0/purchase_order_contracts/${String(c.id)}/line_items`,
        body: { project_id: P, line_item: { amount: '10.00' } },
      });
      return {
        method: 'PATCH',
        path: `/rest/v1.0/purchase_order_contracts/${String(c.id)}/line_items/${String(line.id)}?project_id=${P}`,
        body: { line_item: { description: 'Rebar' } },
      };
    },
    'PATCH /rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items/{id}': async () => {
      const cost = await json({
        method: 'POST',
        path: `/rest/v1.0/projects/${P}/direct_costs`,
        body: {
          item: { invoice_number: 'PATCH-1', vendor_id: DEMO_VENDORS[1].procoreId, direct_cost_type: 'expense' },
        },
      });
      const line = await json({
        method: 'POST',
        path: `/rest/v1.0/projects/${P}/direct_costs/${String(cost.id)}/line_items`,
        body: {
          line_item: {
            amount: '10.00',
            cost_code_id: DEMO_PROJECT_COST_CODES[0].procoreId,
            line_item_type_id: DEMO_COST_TYPES[0].procoreId,
          },
        },
      });
      return {
        method: 'PATCH',
        path: `/rest/v1.0/projects/${P}/direct_costs/${String(cost.id)}/line_items/${String(line.id)}`,
        body: { line_item: { description: 'Fuel' } },
      };
    },
    'GET /rest/v1.0/webhooks/resources': async () => ({
      method: 'GET',
      path: `/rest/v1.0/webhooks/resources?company_id=${C()}`,
    }),
    'GET /rest/v1.0/webhooks/hooks': async () => ({
      method: 'GET',
      path: `/rest/v1.0/webhooks/hooks?company_id=${C()}`,
    }),
    'POST /rest/v1.0/webhooks/hooks': async () => ({
      method: 'POST',
      path: '/rest/v1.0/webhooks/hooks',
      body: {
        company_id: C(),
        hook: {
          api_version: 'v2',
          namespace: 'conformance-2',
          destination_url: receiver.url,
          destination_headers: { Authorization: 'Bearer x' },
        },
      },
    }),
    'PATCH /rest/v1.0/webhooks/hooks/{id}': async () => ({
      method: 'PATCH',
      path: `/rest/v1.0/webhooks/hooks/${hookId}`,
      body: { company_id: C(), hook: { destination_headers: { Authorization: 'Bearer rotated' } } },
    }),
    'GET /rest/v1.0/webhooks/hooks/{hook_id}/triggers': async () => ({
      method: 'GET',
      path: `/rest/v1.0/webhooks/hooks/${hookId}/triggers?company_id=${C()}`,
    }),
    'POST /rest/v1.0/webhooks/hooks/{hook_id}/triggers': async () => ({
      method: 'POST',
      path: `/rest/v1.0/webhooks/hooks/${hookId}/triggers`,
      body: { company_id: C(), trigger: { resource_name: 'Company Vendors', event_type: 'update' } },
    }),
    'GET /rest/v1.0/webhooks/hooks/{hook_id}/deliveries': async () => ({
      method: 'GET',
      path: `/rest/v1.0/webhooks/hooks/${hookId}/deliveries?company_id=${C()}`,
    }),
  });

  it('has a case for every simulated endpoint, and its model copy matches the reference digest', () => {
    expect(Object.keys(cases()).sort()).toEqual([...SIMULATED_PUBLIC_ENDPOINTS].sort());
    const reference = readDigest();
    for (const e of digestCopy.endpoints) {
      expect(reference.endpoints.find((r) => r.method === e.method && r.path === e.path)?.returns).toBe(e.returns);
    }
    for (const [name, fields] of Object.entries(digestCopy.models as Record<string, unknown[]>)) {
      expect(fields).toEqual(reference.models[name].fields.map((f) => [f.name, f.type, f.optional]));
    }
  });

  it('answers every simulated public endpoint with the digest fields and types', async () => {
    const tally: Tally = { models: new Set(), fieldsChecked: 0, nonNullFields: 0, problems: [] };
    const empty: string[] = [];
    const all = cases();
    for (const endpoint of SIMULATED_PUBLIC_ENDPOINTS) {
      const call = await all[endpoint]();
      const res = await raw(call);
      if (res.status < 200 || res.status >= 300) {
        tally.problems.push(`${endpoint}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      const body = parse(res.text, null, (n) => new LosslessNumber(n));
      const type = digestCopy.endpoints.find((e) => `${e.method} ${e.path}` === endpoint)!.returns;
      if (Array.isArray(body) && body.length === 0) empty.push(endpoint);
      // Some list endpoints name the element model without "List"; the answer is still an array.
      const effective = Array.isArray(body) && !type.startsWith('List') ? `List${type}` : type;
      check(effective, body, endpoint, tally);
    }
    for (const endpoint of SIMULATED_PUBLIC_ENDPOINTS_WITHOUT_BODY) {
      expect(endpoint).toMatch(/^(GET \/oauth\/authorize|DELETE )/);
    }
    console.log(
      `Procore digest conformance: ${SIMULATED_PUBLIC_ENDPOINTS.length} endpoints with a JSON body ` +
        `(+${SIMULATED_PUBLIC_ENDPOINTS_WITHOUT_BODY.length} without), ${tally.models.size} distinct models reached, ` +
        `${tally.fieldsChecked} field checks, ${tally.nonNullFields} with a value`,
    );
    expect(tally.problems).toEqual([]);
    expect(empty).toEqual([]); // an empty list would prove nothing about its items
    expect(tally.models.size).toBeGreaterThan(60);
  });

  it('fills the descriptive fields of a project and a vendor as a real company has them', async () => {
    const nulls = (r: Record<string, unknown>) => Object.keys(r).filter((k) => r[k] === null);
    const project = await json({ method: 'GET', path: `/rest/v1.0/projects/${P}?company_id=${C()}` });
    const vendor = await json({
      method: 'GET',
      path: `/rest/v1.0/vendors/${DEMO_VENDORS[0].procoreId}?company_id=${C()}`,
    });
    // Before: 47 of 65 project fields and 35 of 57 vendor fields were null in every record.
    expect(Object.keys(project)).toHaveLength(65);
    expect(nulls(project).length).toBeLessThanOrEqual(10);
    expect(Object.keys(vendor)).toHaveLength(57);
    expect(nulls(vendor).length).toBeLessThanOrEqual(13);
    expect(project).toMatchObject({ tz_name: 'America/Los_Angeles', code: DEMO_PROJECT.projectNumber });
    expect((vendor.primary_contact as { email_address: string }).email_address).toMatch(/@/);
    // The same record answers the same values every time.
    expect(await json({ method: 'GET', path: `/rest/v1.0/projects/${P}?company_id=${C()}` })).toEqual(project);
  });

  it('refuses a GET without a query parameter the digest marks required, naming it', async () => {
    const status = async (path: string) => {
      const res = await raw({ method: 'GET', path });
      return `${res.status} ${res.status === 400 ? res.text : ''}`.trim();
    };
    const L = DEMO_ERP_COST_CODE_LIST.procoreId;
    expect(await status(`/rest/v1.0/contract_payments?project_id=${P}`)).toBe(
      '400 {"errors":"contract_id is missing"}',
    );
    expect(await status(`/rest/v1.0/contract_payments?project_id=${P}&contract_id=${SC.procoreId}`)).toBe('200');
    expect(await status(`/rest/v1.0/standard_cost_codes?standard_cost_code_list_id=${L}`)).toBe(
      '400 {"errors":"company_id is missing"}',
    );
    expect(await status(`/rest/v1.0/standard_cost_codes?company_id=${C()}&standard_cost_code_list_id=${L}`)).toBe(
      '200',
    );
    expect(await status('/rest/v1.0/line_item_types')).toBe(
      '400 {"errors":"company_id, project_id are missing, at least one parameter must be provided"}',
    );
    expect(await status(`/rest/v1.0/line_item_types?company_id=${C()}`)).toBe('200');
    expect(await status(`/rest/v1.0/sub_jobs`)).toBe('400 {"errors":"project_id is missing"}');
  });

  it('answers the endpoints without a body as documented', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: sim.credentials.clientId,
      redirect_uri: 'http://127.0.0.1/callback',
      state: 'xyz',
    });
    const authorize = await raw({ method: 'GET', path: `/oauth/authorize?${q}`, auth: false });
    expect(authorize.status).toBe(302);
    const hook = await json({
      method: 'POST',
      path: '/rest/v1.0/webhooks/hooks',
      body: { company_id: C(), hook: { api_version: 'v2', namespace: 'to-delete', destination_url: receiver.url } },
    });
    const trigger = await json({
      method: 'POST',
      path: `/rest/v1.0/webhooks/hooks/${String(hook.id)}/triggers`,
      body: { company_id: C(), trigger: { resource_name: 'Projects', event_type: 'create' } },
    });
    const del = (path: string) => raw({ method: 'DELETE', path });
    expect(
      (await del(`/rest/v1.0/webhooks/hooks/${String(hook.id)}/triggers/${String(trigger.id)}?company_id=${C()}`))
        .status,
    ).toBe(204);
    expect((await del(`/rest/v1.0/webhooks/hooks/${String(hook.id)}?company_id=${C()}`)).status).toBe(204);
    expect(
      (await del(`/rest/v1.0/contract_payments/${paymentId}?project_id=${P}&contract_id=${SC.procoreId}`)).status,
    ).toBe(204);
  });
});
