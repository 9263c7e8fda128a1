/**
 * Staged records (procore-api.md §5.8): the ERP integrator stages records for import; an approver imports
 * them in the ERP Integrations tool, which creates the Procore record with the staged origin_id, translates
 * `*_origin_id` references in `data` to Procore ids, and raises the `create_*_in_procore` request.
 *
 * Statuses: staged -> imported (approval) | invalid (missing or unresolvable references) | archived.
 */
import Decimal from 'decimal.js';
import { raiseErpRequest } from './erp-actions';
import type { LineFields, OriginFields, ProcoreStore, StagedRecord } from './store';
import type { WebhookEngine } from './webhooks';

export const STAGED_ITEM_TYPES = [
  'vendor',
  'project',
  'sub_job',
  'prime_contract',
  'purchase_order_contract',
  'work_order_contract',
  'commitment_change_order',
] as const;
type StagedItemType = (typeof STAGED_ITEM_TYPES)[number];

const PROJECT_LEVEL: string[] = [
  'sub_job',
  'prime_contract',
  'purchase_order_contract',
  'work_order_contract',
  'commitment_change_order',
];

const IMPORT_REQUESTS: Record<StagedItemType, string> = {
  vendor: 'create_vendor_in_procore',
  project: 'create_job_in_procore',
  sub_job: 'create_sub_job_in_procore',
  prime_contract: 'create_prime_contract_in_procore',
  purchase_order_contract: 'create_commitment_in_procore',
  work_order_contract: 'create_commitment_in_procore',
  commitment_change_order: 'create_commitment_change_order_in_procore',
};

type FieldErrors = Record<string, string[]>;

/** Stages (creates or updates) one record from a sync update; returns the record or per-field errors. */
export function stageRecord(
  store: ProcoreStore,
  companyId: string,
  u: Record<string, unknown>,
): StagedRecord | FieldErrors {
  const now = store.clock.nowIso();
  const id = typeof u.id === 'string' ? u.id : undefined;
  const itemType = typeof u.item_type === 'string' ? u.item_type : undefined;
  const originId = typeof u.origin_id === 'string' && u.origin_id !== '' ? u.origin_id : undefined;
  const inCompany = store.state.stagedRecords.filter((s) => s.company_id === companyId);
  let record: StagedRecord | undefined;
  if (id) {
    record = inCompany.find((s) => s.id === id);
    if (!record) return { id: ['not found'] };
  } else {
    if (!itemType || !(STAGED_ITEM_TYPES as readonly string[]).includes(itemType)) {
      return { item_type: [`must be one of ${STAGED_ITEM_TYPES.join(', ')}`] };
    }
    if (!originId) return { origin_id: ["can't be blank"] };
    record = inCompany.find((s) => s.item_type === itemType && s.origin_id === originId);
  }
  if (record?.status === 'imported' && u.status !== 'archived') {
    return { status: ['is imported; unlink the Procore record to stage it again'] };
  }
  if (u.status !== undefined && u.status !== 'staged' && u.status !== 'archived') {
    return { status: ['can only be set to staged or archived; imports happen in Procore'] };
  }
  if (!record) {
    record = {
      id: store.newId(),
      company_id: companyId,
      item_type: itemType!,
      origin_id: originId!,
      origin_code: null,
      origin_data: null,
      parent_id: null,
      parent_origin_id: null,
      status: 'staged',
      data: {},
      children: [],
      messages: [],
      procore_id: null,
      created_at: now,
      updated_at: now,
    };
    store.state.stagedRecords.push(record);
  }
  if (typeof u.origin_code === 'string') record.origin_code = u.origin_code;
  if (typeof u.origin_data === 'string') record.origin_data = u.origin_data;
  if (typeof u.parent_origin_id === 'string') record.parent_origin_id = u.parent_origin_id;
  if (u.data && typeof u.data === 'object') record.data = u.data as Record<string, unknown>;
  if (Array.isArray(u.children)) {
    record.children = (u.children as Array<Record<string, unknown>>).map((c) => ({
      item_type: typeof c.item_type === 'string' ? c.item_type : 'line_item',
      origin_id: typeof c.origin_id === 'string' ? c.origin_id : null,
      origin_code: typeof c.origin_code === 'string' ? c.origin_code : null,
      origin_data: typeof c.origin_data === 'string' ? c.origin_data : null,
      data: c.data && typeof c.data === 'object' ? (c.data as Record<string, unknown>) : {},
    }));
  }
  record.status = u.status === 'archived' ? 'archived' : 'staged';
  record.messages = record.status === 'staged' ? missingReferences(record) : [];
  if (record.messages.length) record.status = 'invalid';
  record.updated_at = now;
  return record;
}

function missingReferences(r: StagedRecord): string[] {
  const out: string[] = [];
  if (PROJECT_LEVEL.includes(r.item_type) && typeof r.data.project_origin_id !== 'string') {
    out.push('data.project_origin_id is required for project-level records');
  }
  if (r.item_type === 'commitment_change_order' && typeof r.data.commitment_origin_id !== 'string') {
    out.push('data.commitment_origin_id is required for commitment change orders');
  }
  return out;
}

/**
 * `*_origin_id` keys -> Procore ids, resolved inside the company (cost codes inside the project). Returns the
 * translated data, or the references that match nothing.
 */
export function translateOrigins(
  store: ProcoreStore,
  companyId: string,
  data: Record<string, unknown>,
  projectId?: string,
): { data: Record<string, unknown> } | { missing: string[] } {
  const byOrigin = <T extends OriginFields & { id: string }>(xs: T[], o: string) =>
    xs.find((x) => x.origin_id === o)?.id;
  const lookups: Record<string, (o: string) => string | undefined> = {
    project_origin_id: (o) =>
      byOrigin(
        store.state.projects.filter((p) => p.company_id === companyId),
        o,
      ),
    vendor_origin_id: (o) =>
      byOrigin(
        store.state.vendors.filter((v) => v.company_id === companyId),
        o,
      ),
    commitment_origin_id: (o) =>
      byOrigin(
        [...store.state.workOrderContracts, ...store.state.purchaseOrderContracts].filter(
          (c) => c.company_id === companyId,
        ),
        o,
      ),
    prime_contract_origin_id: (o) =>
      byOrigin(
        store.state.primeContracts.filter((c) => c.company_id === companyId),
        o,
      ),
    sub_job_origin_id: (o) =>
      byOrigin(
        store.state.subJobs.filter((s) => !projectId || s.project_id === projectId),
        o,
      ),
    line_item_type_origin_id: (o) =>
      byOrigin(
        store.state.lineItemTypes.filter((t) => t.company_id === companyId),
        o,
      ),
    cost_code_origin_id: (o) => {
      const codes = store.state.costCodes.filter((c) => c.project_id === projectId);
      const direct = byOrigin(codes, o);
      if (direct) return direct;
      // A standard cost code's origin_id names the project copy of that code.
      const standard = store.state.standardCostCodes.find((s) => s.origin_id === o);
      return standard ? codes.find((c) => c.standard_cost_code_id === standard.id)?.id : undefined;
    },
  };
  const out: Record<string, unknown> = { ...data };
  const missing: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const lookup = lookups[key];
    if (!lookup || typeof value !== 'string') continue;
    const id = lookup(value);
    if (id) out[key.replace(/_origin_id$/, '_id')] = id;
    else missing.push(`${key} ${value} does not match a Procore record`);
  }
  return missing.length ? { missing } : { data: out };
}

/** The approver imports a staged record. */
export function importStagedRecord(
  store: ProcoreStore,
  webhooks: WebhookEngine,
  input: { companyId: string; stagedRecordId: string },
): { staged_record_id: string; procore_id: string; erp_request_id: string } | { status: number; error: string } {
  const record = store.state.stagedRecords.find(
    (s) => s.id === input.stagedRecordId && s.company_id === input.companyId,
  );
  if (!record) return { status: 404, error: 'staged record not found in this company' };
  if (record.status !== 'staged') return { status: 409, error: `staged record is ${record.status}` };
  const head = translateOrigins(store, input.companyId, record.data);
  const projectId = 'data' in head ? (head.data.project_id as string | undefined) : undefined;
  const translated = 'data' in head ? translateOrigins(store, input.companyId, record.data, projectId) : head;
  const children = record.children.map((c) => translateOrigins(store, input.companyId, c.data, projectId));
  const missing = [translated, ...children].flatMap((t) => ('missing' in t ? t.missing : []));
  if (missing.length || !('data' in translated)) {
    record.status = 'invalid';
    record.messages = missing;
    record.updated_at = store.clock.nowIso();
    return { status: 422, error: `Cannot import: ${missing.join('; ')}` };
  }
  const lines = children.map((c, i) => ({
    ...record.children[i],
    data: (c as { data: Record<string, unknown> }).data,
  }));
  const created = createFromStaged(store, input.companyId, record, translated.data, lines);
  if ('error' in created) {
    record.status = 'invalid';
    record.messages = [created.error];
    return { status: 422, error: created.error };
  }
  record.status = 'imported';
  record.procore_id = created.id;
  record.messages = [];
  record.updated_at = store.clock.nowIso();
  const requestName = IMPORT_REQUESTS[record.item_type as StagedItemType];
  const raised = raiseErpRequest(store, webhooks, {
    companyId: input.companyId,
    requestName,
    projectId: created.projectId,
    data: {
      item_type: record.item_type,
      item_id: BigInt(created.id),
      origin_id: record.origin_id,
      staged_record_id: BigInt(record.id),
    },
    details: [{ itemType: record.item_type, itemId: created.id }],
  });
  return { staged_record_id: record.id, procore_id: created.id, erp_request_id: raised.erp_request_id };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const money = (v: unknown, fallback = '0.00'): string => {
  const s = str(v);
  return s !== null && /^-?\d+(\.\d+)?$/.test(s) ? s : fallback;
};

/** A staged vendor's or project's address (the country defaults to the US). */
function stagedAddress(d: Record<string, unknown>) {
  return {
    address: str(d.address),
    city: str(d.city),
    state_code: str(d.state_code),
    zip: str(d.zip),
    country_code: str(d.country_code) ?? 'US',
  };
}

type StagedChild = StagedRecord['children'][number];

/** The fields of the line a staged child becomes (the `i`th of its parent), with its amounts. */
function stagedLine(
  c: StagedChild,
  i: number,
  amounts: Pick<LineFields, 'amount' | 'quantity' | 'unit_cost'>,
): LineFields & OriginFields {
  return {
    cost_code_id: str(c.data.cost_code_id),
    line_item_type_id: str(c.data.line_item_type_id),
    description: str(c.data.description),
    ...amounts,
    uom: str(c.data.uom),
    position: i + 1,
    origin_id: c.origin_id,
    origin_code: c.origin_code,
    origin_data: c.origin_data,
  };
}

function createFromStaged(
  store: ProcoreStore,
  companyId: string,
  r: StagedRecord,
  d: Record<string, unknown>,
  children: StagedChild[],
): { id: string; projectId: string | null } | { error: string } {
  const now = store.clock.nowIso();
  const origin = { origin_id: r.origin_id, origin_code: r.origin_code, origin_data: r.origin_data };
  const stamps = { created_at: now, updated_at: now };
  const id = store.newId();
  const projectId = str(d.project_id);
  switch (r.item_type as StagedItemType) {
    case 'vendor':
      store.state.vendors.push({
        id,
        company_id: companyId,
        name: str(d.name) ?? r.origin_code ?? r.origin_id ?? 'Imported vendor',
        abbreviated_name: str(d.abbreviated_name),
        ...stagedAddress(d),
        business_phone: str(d.business_phone),
        email_address: str(d.email_address),
        business_id: str(d.tax_id),
        is_active: d.is_active !== false,
        ...origin,
        ...stamps,
      });
      return { id, projectId: null };
    case 'project':
      store.state.projects.push({
        id,
        company_id: companyId,
        name: str(d.name) ?? r.origin_id ?? 'Imported project',
        project_number: str(d.project_number),
        ...stagedAddress(d),
        start_date: str(d.start_date),
        completion_date: str(d.completion_date),
        active: true,
        ...origin,
        ...stamps,
      });
      return { id, projectId: id };
    case 'sub_job':
      store.state.subJobs.push({
        id,
        project_id: projectId!,
        code: str(d.code) ?? '',
        name: str(d.name) ?? '',
        ...origin,
        ...stamps,
      });
      return { id, projectId };
    case 'work_order_contract':
    case 'purchase_order_contract':
    case 'prime_contract': {
      const header = {
        id,
        company_id: companyId,
        project_id: projectId!,
        number: str(d.number) ?? r.origin_code ?? '',
        title: str(d.title) ?? '',
        status: str(d.status) ?? 'Approved',
        executed: d.executed !== false,
        retainage_percent: str(d.retainage_percent),
        contract_date: str(d.contract_date),
        deleted_at: null,
        ...origin,
        ...stamps,
      };
      if (r.item_type === 'prime_contract')
        store.state.primeContracts.push({ ...header, owner_name: str(d.owner_name) });
      else {
        store.commitments(r.item_type as 'work_order_contract' | 'purchase_order_contract').push({
          ...header,
          vendor_id: str(d.vendor_id),
          accounting_method: d.accounting_method === 'unit' ? 'unit' : 'amount',
        });
      }
      children.forEach((c, i) => {
        const quantity = money(c.data.quantity, '1.0');
        const unitCost = money(c.data.unit_cost, money(c.data.amount));
        const amount = money(c.data.amount, new Decimal(quantity).times(unitCost).toFixed(2));
        store.state.lineItems.push({
          id: store.newId(),
          contract_id: id,
          ...stagedLine(c, i, { amount, quantity, unit_cost: unitCost }),
          ...stamps,
        });
      });
      return { id, projectId };
    }
    case 'commitment_change_order': {
      const contractId = str(d.commitment_id);
      if (!contractId) return { error: 'commitment_origin_id does not match a Procore commitment' };
      store.state.changeOrders.push({
        id,
        company_id: companyId,
        project_id: projectId!,
        kind: 'commitment',
        contract_id: contractId,
        number: str(d.number) ?? r.origin_code ?? '',
        title: str(d.title) ?? '',
        description: str(d.description),
        status: str(d.status) ?? 'approved',
        executed: true,
        due_date: null,
        revision: 0,
        ...origin,
        ...stamps,
      });
      children.forEach((c, i) =>
        store.state.changeOrderLineItems.push({
          id: store.newId(),
          change_order_id: id,
          contract_line_item_id: null,
          ...stagedLine(c, i, { amount: money(c.data.amount), quantity: '1.0', unit_cost: money(c.data.amount) }),
          ...stamps,
        }),
      );
      return { id, projectId };
    }
  }
}
