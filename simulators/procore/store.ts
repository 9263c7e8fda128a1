/**
 * In-memory Procore data, seeded deterministically from simulators/demo-data.ts.
 *
 * Every id is a decimal string: JSON-safe for snapshots and exact above 2^53. Routes render them back to JSON
 * numbers (render.ts). With `idBase`, every seeded id is `idBase + <demo id>` and new ids continue from
 * `idBase + 1_000_000_000`, so a test can push all ids past Number.MAX_SAFE_INTEGER.
 */
import Decimal from 'decimal.js';
import {
  DEMO_COMPANY,
  DEMO_COST_CODES,
  DEMO_PROCORE_CLIENT,
  DEMO_PROJECT,
  DEMO_SUBCONTRACTS,
  DEMO_VENDORS,
} from '../demo-data';
import type { SimClock } from './clock';

/** Fixed seed timestamp so two seeded simulators produce byte-identical data. */
const SEED_TIME = '2024-03-01T16:00:00.000Z';

/** A second tenant where the demo DMSA is also installed, to prove one company cannot see another's data. */
export const OTHER_COMPANY = { id: '4388', name: 'Front Range Builders Co.', vendorId: '41001', projectId: '662001' };

export interface Company {
  id: string;
  name: string;
}

interface OriginFields {
  origin_id: string | null;
  origin_code: string | null;
  origin_data: string | null;
}

export interface Vendor extends OriginFields {
  id: string;
  company_id: string;
  name: string;
  abbreviated_name: string | null;
  address: string | null;
  city: string | null;
  state_code: string | null;
  zip: string | null;
  country_code: string | null;
  business_phone: string | null;
  email_address: string | null;
  business_id: string | null;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface Project extends OriginFields {
  id: string;
  company_id: string;
  name: string;
  project_number: string | null;
  address: string | null;
  city: string | null;
  state_code: string | null;
  zip: string | null;
  country_code: string | null;
  start_date: string | null;
  completion_date: string | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface CostCode extends OriginFields {
  id: string;
  project_id: string;
  code: string;
  full_code: string;
  name: string;
  position: number;
}

export interface LineItemType extends OriginFields {
  id: string;
  company_id: string;
  name: string;
  code: string;
  base_type: string;
}

export interface WorkOrderContract extends OriginFields {
  id: string;
  company_id: string;
  project_id: string;
  vendor_id: string | null;
  number: string | null;
  title: string | null;
  status: string;
  executed: boolean;
  retainage_percent: string | null;
  contract_date: string | null;
  accounting_method: 'amount' | 'unit';
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CommitmentLineItem extends OriginFields {
  id: string;
  contract_id: string;
  cost_code_id: string | null;
  line_item_type_id: string | null;
  description: string | null;
  amount: string;
  quantity: string;
  unit_cost: string;
  uom: string | null;
  position: number;
  created_at: string;
  updated_at: string;
}

export interface Hook {
  id: string;
  company_id: string | null;
  project_id: string | null;
  api_version: string;
  namespace: string;
  destination_url: string;
  destination_headers: Record<string, string>;
  owned_by_user_id: string;
}

export interface Trigger {
  id: string;
  hook_id: string;
  resource_name: string;
  event_type: string;
  company_id: string | null;
  project_id: string | null;
}

export type DeliveryOutcome = 'ok' | 'retried' | 'discarded';

/** One delivery attempt of one event to one hook, as the Deliveries API lists them. */
export interface Delivery {
  id: string;
  hook_id: string;
  event_id: string;
  /** The payload exactly as sent, as JSON text (v2/v3 ids are big JSON numbers, so kept as text). */
  event_json: string;
  attempt: number;
  outcome: DeliveryOutcome;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  response_error: string | null;
  started_at: string;
  completed_at: string;
}

export interface ErpRequest {
  id: string;
  company_id: string;
  request_name: string;
  integration_app_name: string;
  /** What Procore froze at approval time, as lossless JSON text (ids stay exact JSON numbers). */
  request_data_json: string;
  detail_ids: string[];
  created_at: string;
  updated_at: string;
}

export type RequestDetailStatus = 'in_progress' | 'success' | 'failed' | 'stale';

export interface ErpRequestDetail {
  id: string;
  company_id: string;
  erp_request_id: string;
  item_type: string;
  item_id: string;
  status: RequestDetailStatus;
  messages: string[];
  created_at: string;
  updated_at: string;
}

export interface ExternalData {
  id: string;
  company_id: string;
  item_type: string;
  item_id: string;
  origin_id: string;
  origin_data: string | null;
}

export interface Token {
  access_token: string;
  client_id: string;
  /** Epoch ms (simulator clock). */
  expires_at: number;
}

export interface StoreState {
  nextId: string;
  /** DMSA client_id -> secret and the company ids where the app is installed. */
  clients: Array<{ client_id: string; client_secret: string; company_ids: string[] }>;
  /** The Procore user who "clicks" admin actions (accounting approver). */
  approverUserId: string;
  companies: Company[];
  vendors: Vendor[];
  projects: Project[];
  costCodes: CostCode[];
  lineItemTypes: LineItemType[];
  workOrderContracts: WorkOrderContract[];
  lineItems: CommitmentLineItem[];
  hooks: Hook[];
  triggers: Trigger[];
  deliveries: Delivery[];
  erpRequests: ErpRequest[];
  erpRequestDetails: ErpRequestDetail[];
  externalData: ExternalData[];
}

const noOrigin: OriginFields = { origin_id: null, origin_code: null, origin_data: null };

export function seedState(idBase: bigint = 0n, firstNewId: bigint = idBase + 1_000_000_000n): StoreState {
  const id = (demoId: string | number) => (idBase + BigInt(demoId)).toString();
  const company = DEMO_COMPANY.procoreCompanyId;
  const vendors: Vendor[] = DEMO_VENDORS.map((v) => ({
    id: id(v.procoreId),
    company_id: id(company),
    name: v.name,
    abbreviated_name: null,
    address: null,
    city: v.city,
    state_code: v.stateCode,
    zip: v.zip,
    country_code: 'US',
    business_phone: v.phone,
    email_address: v.email,
    business_id: v.taxId,
    is_active: true,
    created_at: SEED_TIME,
    updated_at: SEED_TIME,
    ...noOrigin,
  }));
  vendors.push({
    ...vendors[0],
    id: id(OTHER_COMPANY.vendorId),
    company_id: id(OTHER_COMPANY.id),
    name: 'Other Tenant Concrete Co.',
    business_id: null,
  });
  const projects: Project[] = [
    {
      id: id(DEMO_PROJECT.procoreId),
      company_id: id(company),
      name: DEMO_PROJECT.name,
      project_number: DEMO_PROJECT.projectNumber,
      address: DEMO_PROJECT.address,
      city: DEMO_PROJECT.city,
      state_code: DEMO_PROJECT.stateCode,
      zip: DEMO_PROJECT.zip,
      country_code: 'US',
      start_date: DEMO_PROJECT.startDate,
      completion_date: DEMO_PROJECT.completionDate,
      active: true,
      created_at: SEED_TIME,
      updated_at: SEED_TIME,
      ...noOrigin,
    },
    {
      id: id(OTHER_COMPANY.projectId),
      company_id: id(OTHER_COMPANY.id),
      name: 'Other Tenant Warehouse',
      project_number: 'OT-001',
      address: null,
      city: 'Boulder',
      state_code: 'CO',
      zip: '80301',
      country_code: 'US',
      start_date: null,
      completion_date: null,
      active: true,
      created_at: SEED_TIME,
      updated_at: SEED_TIME,
      ...noOrigin,
    },
  ];
  // Cost code ids: project-level copies of the ERP standard list, numbered after the project id.
  const costCodes: CostCode[] = DEMO_COST_CODES.map((c, i) => ({
    id: id(9_100_001 + i),
    project_id: id(DEMO_PROJECT.procoreId),
    code: c.code,
    full_code: c.code,
    name: c.description,
    position: i + 1,
    ...noOrigin,
  }));
  const lineItemTypes: LineItemType[] = [
    {
      id: id(9_200_001),
      company_id: id(company),
      name: 'Subcontract',
      code: 'S',
      base_type: 'commitment',
      ...noOrigin,
    },
  ];
  const workOrderContracts: WorkOrderContract[] = [];
  const lineItems: CommitmentLineItem[] = [];
  for (const sc of DEMO_SUBCONTRACTS) {
    workOrderContracts.push({
      id: id(sc.procoreId),
      company_id: id(company),
      project_id: id(DEMO_PROJECT.procoreId),
      vendor_id: id(sc.vendorProcoreId),
      number: sc.number,
      title: sc.title,
      status: sc.status,
      executed: sc.status === 'Approved',
      retainage_percent: sc.retainagePercent,
      contract_date: sc.contractDate,
      accounting_method: 'amount',
      deleted_at: null,
      created_at: SEED_TIME,
      updated_at: SEED_TIME,
      ...noOrigin,
    });
    sc.lines.forEach((line, i) => {
      const costCode = costCodes.find((c) => c.code === line.costCode);
      lineItems.push({
        id: id(line.procoreId),
        contract_id: id(sc.procoreId),
        cost_code_id: costCode?.id ?? null,
        line_item_type_id: lineItemTypes[0].id,
        description: line.description,
        amount: line.amount,
        // Amount-based contracts: Procore reports quantity 1 at the line amount.
        quantity: '1.0',
        unit_cost: line.amount,
        uom: 'LS',
        position: i + 1,
        created_at: SEED_TIME,
        updated_at: SEED_TIME,
        ...noOrigin,
      });
    });
  }
  return {
    nextId: firstNewId.toString(),
    clients: [
      {
        client_id: DEMO_PROCORE_CLIENT.clientId,
        client_secret: DEMO_PROCORE_CLIENT.clientSecret,
        company_ids: [id(company), id(OTHER_COMPANY.id)],
      },
    ],
    approverUserId: id(7_001_001),
    companies: [
      { id: id(company), name: DEMO_COMPANY.name },
      { id: id(OTHER_COMPANY.id), name: OTHER_COMPANY.name },
    ],
    vendors,
    projects,
    costCodes,
    lineItemTypes,
    workOrderContracts,
    lineItems,
    hooks: [],
    triggers: [],
    deliveries: [],
    erpRequests: [],
    erpRequestDetails: [],
    externalData: [],
  };
}

/** Which store collection an External Data `item_type` writes `origin_id` onto. */
const ORIGIN_TARGETS = {
  work_order_contract: 'workOrderContracts',
  line_item: 'lineItems',
  vendor: 'vendors',
  project: 'projects',
} as const;
export type SyncableItemType = keyof typeof ORIGIN_TARGETS;
export const SYNCABLE_ITEM_TYPES = Object.keys(ORIGIN_TARGETS) as SyncableItemType[];

export class ProcoreStore {
  state: StoreState;
  /** Tokens live outside `state`: they are not business data and do not belong in snapshots. */
  tokens = new Map<string, Token>();

  constructor(
    readonly clock: SimClock,
    readonly idBase: bigint = 0n,
    readonly firstNewId?: bigint,
  ) {
    this.state = seedState(idBase, firstNewId);
  }

  reset(): void {
    this.state = seedState(this.idBase, this.firstNewId);
  }

  newId(): string {
    const id = this.state.nextId;
    this.state.nextId = (BigInt(id) + 1n).toString();
    return id;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.state)) if (Array.isArray(v)) out[k] = v.length;
    out.tokens = this.tokens.size;
    return out;
  }

  get demoCompanyId(): string {
    return (this.idBase + BigInt(DEMO_COMPANY.procoreCompanyId)).toString();
  }

  // --- company-scoped lookups: anything outside the company is "not found" -------------------------------

  vendor(companyId: string, id: string): Vendor | undefined {
    return this.state.vendors.find((v) => v.id === id && v.company_id === companyId);
  }

  project(companyId: string, id: string): Project | undefined {
    return this.state.projects.find((p) => p.id === id && p.company_id === companyId);
  }

  workOrderContract(companyId: string, id: string): WorkOrderContract | undefined {
    return this.state.workOrderContracts.find((c) => c.id === id && c.company_id === companyId);
  }

  lineItemsOf(contractId: string): CommitmentLineItem[] {
    return this.state.lineItems.filter((l) => l.contract_id === contractId).sort((a, b) => a.position - b.position);
  }

  lineItem(companyId: string, id: string): CommitmentLineItem | undefined {
    const line = this.state.lineItems.find((l) => l.id === id);
    return line && this.workOrderContract(companyId, line.contract_id) ? line : undefined;
  }

  costCode(id: string | null): CostCode | undefined {
    return id === null ? undefined : this.state.costCodes.find((c) => c.id === id);
  }

  lineItemType(id: string | null): LineItemType | undefined {
    return id === null ? undefined : this.state.lineItemTypes.find((t) => t.id === id);
  }

  /** Sum of line amounts, exact: Procore's grand_total is a decimal string. */
  grandTotal(contractId: string): string {
    return this.lineItemsOf(contractId)
      .reduce((sum, l) => sum.plus(l.amount), new Decimal(0))
      .toFixed(2);
  }

  /** The record an External Data update targets, or undefined when it is not in this company. */
  originTarget(
    companyId: string,
    itemType: SyncableItemType,
    itemId: string,
  ): (OriginFields & { id: string }) | undefined {
    switch (itemType) {
      case 'work_order_contract':
        return this.workOrderContract(companyId, itemId);
      case 'line_item':
        return this.lineItem(companyId, itemId);
      case 'vendor':
        return this.vendor(companyId, itemId);
      case 'project':
        return this.project(companyId, itemId);
    }
  }

  /** Another record of the same type in the same company already holding `originId`, if any. */
  originTakenBy(companyId: string, itemType: SyncableItemType, originId: string, exceptId: string): string | undefined {
    const records = this.state[ORIGIN_TARGETS[itemType]] as Array<OriginFields & { id: string }>;
    return records.find(
      (r) => r.id !== exceptId && r.origin_id === originId && this.originTarget(companyId, itemType, r.id),
    )?.id;
  }
}
