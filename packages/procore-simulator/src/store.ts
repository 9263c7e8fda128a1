/**
 * In-memory Procore data. Seeding lives in seed.ts (deterministic from demo-data.ts and a seed value).
 *
 * Every id is a decimal string: JSON-safe for snapshots and exact above 2^53. Routes render them back to JSON
 * numbers (render*.ts). With `idBase`, every seeded id is `idBase + <demo id>` and new ids continue from
 * `firstNewId` (default `idBase + 1_000_000_000`), so a test can push all ids past Number.MAX_SAFE_INTEGER.
 * Money and quantities are decimal strings too; only the renderers turn them into JSON numbers.
 */
import Decimal from 'decimal.js';
import { DEMO_COMPANY } from 'simulator-common';
import type { SimClock } from './clock';
import { seedState, type SeedOptions } from './seed';

export { seedState, type SeedOptions, type SeedSize } from './seed';

/** A second tenant where the demo DMSA is also installed, to prove one company cannot see another's data. */
export const OTHER_COMPANY = { id: '4388', name: 'Front Range Builders Co.', vendorId: '41001', projectId: '662001' };

export interface Company {
  id: string;
  name: string;
}

export interface OriginFields {
  origin_id: string | null;
  origin_code: string | null;
  origin_data: string | null;
}

interface Timestamps {
  created_at: string;
  updated_at: string;
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
  /** The vendor's tax id; rendered as `business_register.identifier` (the digest's `business_id` is an int). */
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

export interface SubJob extends OriginFields, Timestamps {
  id: string;
  project_id: string;
  code: string;
  name: string;
}

export interface StandardCostCodeList {
  id: string;
  company_id: string;
  name: string;
  is_erp_list: boolean;
}

export interface StandardCostCode extends OriginFields {
  id: string;
  list_id: string;
  parent_id: string | null;
  code: string;
  full_code: string;
  name: string;
}

export interface CostCode extends OriginFields {
  id: string;
  project_id: string;
  code: string;
  full_code: string;
  name: string;
  position: number;
  standard_cost_code_id?: string | null;
  sub_job_id?: string | null;
  /** Cost types assigned to this cost code (Procore's cost code / line item type assignments). */
  line_item_type_ids?: string[];
  created_at?: string;
  updated_at?: string;
}

export interface LineItemType extends OriginFields {
  id: string;
  company_id: string;
  name: string;
  code: string;
  base_type: string;
}

/** A company tax code (Construction Financials > Tax): lines name it by `tax_code_id`. */
export interface TaxCode extends OriginFields {
  id: string;
  company_id: string;
  code: string;
  description: string | null;
  rate1: number | null;
  archived: boolean;
}

export type CommitmentKind = 'work_order_contract' | 'purchase_order_contract';

/** A commitment: subcontract (work order contract) or purchase order contract (same fields here). */
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
  description?: string | null;
  delivery_date?: string | null;
}
export type Commitment = WorkOrderContract;

/** What every commitment, change order and direct cost line carries: its cost code and type, its amount. */
export interface LineFields {
  cost_code_id: string | null;
  line_item_type_id: string | null;
  description: string | null;
  amount: string;
  quantity: string;
  unit_cost: string;
  uom: string | null;
  position: number;
}

/** A schedule-of-values line of a commitment or a prime contract (`contract_id` is either). */
export interface CommitmentLineItem extends OriginFields, LineFields {
  id: string;
  contract_id: string;
  created_at: string;
  updated_at: string;
  sub_job_id?: string | null;
  tax_code_id?: string | null;
}

export interface PrimeContract extends OriginFields, Timestamps {
  id: string;
  company_id: string;
  project_id: string;
  number: string;
  title: string;
  status: string;
  executed: boolean;
  retainage_percent: string | null;
  contract_date: string | null;
  owner_name: string | null;
  deleted_at: string | null;
}

export type ChangeOrderKind = 'commitment' | 'prime';

export interface ChangeOrder extends OriginFields, Timestamps {
  id: string;
  company_id: string;
  project_id: string;
  kind: ChangeOrderKind;
  contract_id: string;
  number: string;
  title: string;
  description: string | null;
  status: string;
  executed: boolean;
  due_date: string | null;
  revision: number;
}

export interface ChangeOrderLineItem extends OriginFields, Timestamps, LineFields {
  id: string;
  change_order_id: string;
  /** The commitment / prime contract line whose scope this changes; null when it adds new scope. */
  contract_line_item_id: string | null;
}

/**
 * A company-level direct cost (ERP Integrations, 2026; procore-api.md §5.9): one vendor invoice entered in the
 * company's ERP tab whose lines span several projects. Exported by `create_company_level_direct_cost`.
 */
export interface CompanyDirectCost extends OriginFields, Timestamps {
  id: string;
  company_id: string;
  vendor_id: string;
  invoice_number: string;
  direct_cost_type: 'invoice' | 'expense';
  direct_cost_date: string;
  accounting_date: string | null;
  received_date: string | null;
  description: string | null;
  terms: string | null;
  status: string;
  lines: CompanyDirectCostLine[];
}

export interface CompanyDirectCostLine {
  id: string;
  project_id: string;
  sub_job_id: string | null;
  cost_code_id: string;
  line_item_type_id: string;
  description: string | null;
  quantity: string;
  unit_cost: string;
  uom: string | null;
  total_amount: string;
}

/** The project's cost budget as one ERP item (`item_type: budget`). */
export interface Budget extends OriginFields {
  id: string;
  project_id: string;
  locked: boolean;
}

export interface BudgetLineItem extends OriginFields, Timestamps {
  id: string;
  project_id: string;
  sub_job_id: string | null;
  cost_code_id: string;
  line_item_type_id: string;
  description: string | null;
  original_budget_amount: string;
  quantity: string | null;
  unit_cost: string | null;
  uom: string | null;
}

/**
 * A WBS ("budget") code of a project: sub job (or none) x project cost code x cost type. Derived from the
 * project's cost structure and given a stable id when first listed or used (wbs.ts).
 */
export interface WbsCode extends Timestamps {
  id: string;
  project_id: string;
  sub_job_id: string | null;
  cost_code_id: string;
  line_item_type_id: string;
}

export interface BudgetChange extends Timestamps {
  id: string;
  project_id: string;
  number: number;
  title: string;
  description: string | null;
  status: string;
  lines: Array<{
    id: string;
    sub_job_id: string | null;
    cost_code_id: string;
    line_item_type_id: string;
    amount: string;
    description: string | null;
  }>;
}

/**
 * An ERP budget transaction (update_budget / create_budget `transactions[]`): one per budget line's original
 * estimate (`Erp::OriginalEstimateTransaction`) and one per line of an approved budget change
 * (`Erp::BudgetChangeTransaction`). Created when Procore first sends it; the integrator marks it synced with
 * PATCH /rest/v1.0/erp_transactions/sync, which sets origin_id (procore-api.md §5.2).
 */
export interface ErpTransaction extends Timestamps {
  id: string;
  project_id: string;
  type: 'Erp::OriginalEstimateTransaction' | 'Erp::BudgetChangeTransaction';
  /** The budget line item or budget change adjustment line it carries. */
  source_id: string;
  origin_id: string | null;
  synced: boolean;
}

export interface BudgetModification extends OriginFields, Timestamps {
  id: string;
  project_id: string;
  from_budget_line_item_id: string;
  to_budget_line_item_id: string;
  transfer_amount: string;
  notes: string | null;
}

export interface DirectCost extends OriginFields, Timestamps {
  id: string;
  company_id: string;
  project_id: string;
  vendor_id: string | null;
  direct_cost_type: string;
  direct_cost_date: string | null;
  invoice_number: string | null;
  status: string;
  description: string | null;
  terms: string | null;
  received_date: string | null;
  payment_date: string | null;
  deleted_at: string | null;
}

export interface DirectCostLineItem extends OriginFields, Timestamps, LineFields {
  id: string;
  direct_cost_id: string;
  sub_job_id: string | null;
}

export interface Requisition extends OriginFields, Timestamps {
  id: string;
  company_id: string;
  project_id: string;
  commitment_id: string;
  number: number;
  invoice_number: string | null;
  billing_date: string | null;
  period_start: string | null;
  period_end: string | null;
  status: string;
  erp_status: string | null;
  payment_date: string | null;
}

export interface RequisitionItem extends OriginFields {
  id: string;
  requisition_id: string;
  /** The commitment schedule-of-values line billed against. */
  line_item_id: string;
  cost_code_id: string | null;
  description: string | null;
  scheduled_value: string;
  work_completed_from_previous: string;
  work_completed_this_period: string;
  materials_presently_stored: string;
  retainage_percent: string;
  retainage_this_period: string;
  /** Retainage withheld this period on the materials stored (absent: none). */
  materials_retainage_this_period?: string;
  /** Retainage released this period on the work (a retention release pay app; absent: none). */
  retainage_released_this_period?: string;
  position: number;
}

export interface ContractPayment extends OriginFields, Timestamps {
  id: string;
  company_id: string;
  project_id: string;
  contract_id: string;
  requisition_id: string | null;
  amount: string;
  date: string | null;
  check_number: string | null;
  invoice_number: string | null;
  payment_number: number | null;
  draw_request_number: number | null;
  external_payment_id: string | null;
  notes: string | null;
  status: string | null;
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

export type StagedStatus = 'staged' | 'imported' | 'invalid' | 'archived';

/** A record the ERP integrator staged for import ("Ready to Import" in the ERP Integrations tool). */
export interface StagedRecord extends OriginFields, Timestamps {
  id: string;
  company_id: string;
  item_type: string;
  parent_id: string | null;
  parent_origin_id: string | null;
  status: StagedStatus;
  /** Free-form payload; `*_origin_id` keys are translated to Procore ids on import. */
  data: Record<string, unknown>;
  children: Array<OriginFields & { item_type: string; data: Record<string, unknown> }>;
  messages: string[];
  /** The Procore record created on import. */
  procore_id: string | null;
}

/** An item a project user sent to the ERP Integrations tool, awaiting (or past) the approver's decision. */
export interface ErpSubmission extends Timestamps {
  id: string;
  company_id: string;
  item_type: string;
  item_id: string;
  status: 'pending' | 'accepted' | 'rejected' | 'retrieved';
  erp_request_id: string | null;
}

export interface CompanySettings {
  company_id: string;
  /** Commitments, CCOs and invoices go to the ERP on "Send to ERP" without an accounting approver. */
  skip_accounting_approval: boolean;
  /** The company's ERP Integrations tool is enabled (a company admin turns it on); its API answers 403 otherwise. */
  erp_integrations_enabled: boolean;
}

export interface Token {
  access_token: string;
  client_id: string;
  /** Epoch ms (simulator clock). */
  expires_at: number;
  /** Set for authorization-code tokens: the user who granted access. */
  user_id?: string;
  refresh_token?: string;
}

export interface StoreState {
  nextId: string;
  /** DMSA client_id -> secret and the company ids where the app is installed. */
  clients: Array<{ client_id: string; client_secret: string; company_ids: string[]; redirect_uris?: string[] }>;
  /** The Procore user who "clicks" admin actions (accounting approver). */
  approverUserId: string;
  companies: Company[];
  vendors: Vendor[];
  projects: Project[];
  subJobs: SubJob[];
  standardCostCodeLists: StandardCostCodeList[];
  standardCostCodes: StandardCostCode[];
  costCodes: CostCode[];
  lineItemTypes: LineItemType[];
  workOrderContracts: WorkOrderContract[];
  purchaseOrderContracts: WorkOrderContract[];
  lineItems: CommitmentLineItem[];
  primeContracts: PrimeContract[];
  changeOrders: ChangeOrder[];
  changeOrderLineItems: ChangeOrderLineItem[];
  budgets: Budget[];
  budgetLineItems: BudgetLineItem[];
  wbsCodes: WbsCode[];
  budgetChanges: BudgetChange[];
  erpTransactions: ErpTransaction[];
  budgetModifications: BudgetModification[];
  directCosts: DirectCost[];
  directCostLineItems: DirectCostLineItem[];
  companyDirectCosts: CompanyDirectCost[];
  taxCodes: TaxCode[];
  requisitions: Requisition[];
  requisitionItems: RequisitionItem[];
  contractPayments: ContractPayment[];
  hooks: Hook[];
  triggers: Trigger[];
  deliveries: Delivery[];
  erpRequests: ErpRequest[];
  erpRequestDetails: ErpRequestDetail[];
  externalData: ExternalData[];
  stagedRecords: StagedRecord[];
  erpSubmissions: ErpSubmission[];
  companySettings: CompanySettings[];
}

/** Which store collection an External Data `item_type` writes `origin_id` onto. */
const ORIGIN_TARGETS = {
  work_order_contract: 'workOrderContracts',
  purchase_order_contract: 'purchaseOrderContracts',
  line_item: 'lineItems',
  vendor: 'vendors',
  project: 'projects',
  sub_job: 'subJobs',
  standard_cost_code: 'standardCostCodes',
  cost_code: 'costCodes',
  line_item_type: 'lineItemTypes',
  prime_contract: 'primeContracts',
  change_order: 'changeOrders',
  budget: 'budgets',
  requisition: 'requisitions',
  requisition_contract_item: 'requisitionItems',
  contract_payment: 'contractPayments',
  item: 'directCostLineItems',
  company_level_direct_cost: 'companyDirectCosts',
} as const;
export type SyncableItemType = keyof typeof ORIGIN_TARGETS;
export const SYNCABLE_ITEM_TYPES = Object.keys(ORIGIN_TARGETS) as SyncableItemType[];

type WithOrigin = OriginFields & { id: string };

export class ProcoreStore {
  state: StoreState;
  /** Tokens live outside `state`: they are not business data and do not belong in snapshots. */
  tokens = new Map<string, Token>();
  /** Direct cost lines by direct cost (see directCostLines). */
  private lineIndex?: { items: DirectCostLineItem[]; indexed: number; byCost: Map<string, DirectCostLineItem[]> };
  /** Commitment lines by id and by contract (see commitmentLines). */
  private commitmentLineIndex?: {
    items: CommitmentLineItem[];
    indexed: number;
    byId: Map<string, CommitmentLineItem>;
    byContract: Map<string, CommitmentLineItem[]>;
  };

  constructor(
    readonly clock: SimClock,
    readonly idBase: bigint = 0n,
    readonly firstNewId?: bigint,
    public seedOptions: SeedOptions = {},
  ) {
    this.state = seedState(idBase, firstNewId, seedOptions);
  }

  reset(): void {
    this.state = seedState(this.idBase, this.firstNewId, this.seedOptions);
  }

  /**
   * Installs the app in one more company: the demo company's data seeded again at `idBase` (so every id, the
   * company's too, is `idBase + <demo id>`), added beside what the store holds, with the same DMSA client. Lets
   * one simulator serve several connected companies, as one Procore app does (the month-end benchmark).
   */
  addCompany(idBase: bigint, seedOptions: SeedOptions = {}): string {
    const added = seedState(idBase, undefined, seedOptions);
    for (const [key, value] of Object.entries(added) as Array<[keyof StoreState, unknown]>) {
      if (key === 'clients' || !Array.isArray(value)) continue;
      (this.state[key] as unknown[]).push(...value);
    }
    const companyId = (idBase + BigInt(DEMO_COMPANY.procoreCompanyId)).toString();
    for (const client of this.state.clients) {
      const installed = added.clients.find((c) => c.client_id === client.client_id);
      for (const id of installed?.company_ids ?? []) if (!client.company_ids.includes(id)) client.company_ids.push(id);
    }
    return companyId;
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

  /** A seeded demo id as the simulator serves it (idBase applied). */
  demoId(id: string | number): string {
    return (this.idBase + BigInt(id)).toString();
  }

  // --- company-scoped lookups: anything outside the company is "not found" -------------------------------

  vendor(companyId: string, id: string): Vendor | undefined {
    return this.state.vendors.find((v) => v.id === id && v.company_id === companyId);
  }

  project(companyId: string, id: string): Project | undefined {
    return this.state.projects.find((p) => p.id === id && p.company_id === companyId);
  }

  projectOf(id: string): Project | undefined {
    return this.state.projects.find((p) => p.id === id);
  }

  workOrderContract(companyId: string, id: string): WorkOrderContract | undefined {
    return this.state.workOrderContracts.find((c) => c.id === id && c.company_id === companyId);
  }

  purchaseOrderContract(companyId: string, id: string): WorkOrderContract | undefined {
    return this.state.purchaseOrderContracts.find((c) => c.id === id && c.company_id === companyId);
  }

  commitments(kind: CommitmentKind): WorkOrderContract[] {
    return kind === 'work_order_contract' ? this.state.workOrderContracts : this.state.purchaseOrderContracts;
  }

  /** A subcontract or purchase order, with which one it is. */
  commitment(companyId: string, id: string): { kind: CommitmentKind; contract: WorkOrderContract } | undefined {
    const woc = this.workOrderContract(companyId, id);
    if (woc) return { kind: 'work_order_contract', contract: woc };
    const poc = this.purchaseOrderContract(companyId, id);
    return poc ? { kind: 'purchase_order_contract', contract: poc } : undefined;
  }

  primeContract(companyId: string, id: string): PrimeContract | undefined {
    return this.state.primeContracts.find((c) => c.id === id && c.company_id === companyId);
  }

  changeOrder(companyId: string, kind: ChangeOrderKind, id: string): ChangeOrder | undefined {
    return this.state.changeOrders.find((c) => c.id === id && c.company_id === companyId && c.kind === kind);
  }

  changeOrderLines(changeOrderId: string): ChangeOrderLineItem[] {
    return this.state.changeOrderLineItems
      .filter((l) => l.change_order_id === changeOrderId)
      .sort((a, b) => a.position - b.position);
  }

  lineItemsOf(contractId: string): CommitmentLineItem[] {
    return [...(this.commitmentLines().byContract.get(contractId) ?? [])].sort((a, b) => a.position - b.position);
  }

  lineItem(companyId: string, id: string): CommitmentLineItem | undefined {
    const line = this.commitmentLines().byId.get(id);
    if (!line) return undefined;
    const owner = this.commitment(companyId, line.contract_id) ?? this.primeContract(companyId, line.contract_id);
    return owner ? line : undefined;
  }

  subJob(projectId: string, id: string): SubJob | undefined {
    return this.state.subJobs.find((s) => s.id === id && s.project_id === projectId);
  }

  costCode(id: string | null | undefined): CostCode | undefined {
    return id ? this.state.costCodes.find((c) => c.id === id) : undefined;
  }

  lineItemType(id: string | null | undefined): LineItemType | undefined {
    return id ? this.state.lineItemTypes.find((t) => t.id === id) : undefined;
  }

  standardCostCodeList(companyId: string, id: string): StandardCostCodeList | undefined {
    return this.state.standardCostCodeLists.find((l) => l.id === id && l.company_id === companyId);
  }

  erpCostCodeList(companyId: string): StandardCostCodeList | undefined {
    return this.state.standardCostCodeLists.find((l) => l.company_id === companyId && l.is_erp_list);
  }

  /** The ERP transaction that carries `sourceId` (created the first time Procore sends it). */
  erpTransaction(projectId: string, type: ErpTransaction['type'], sourceId: string): ErpTransaction {
    this.state.erpTransactions ??= [];
    let t = this.state.erpTransactions.find((x) => x.type === type && x.source_id === sourceId);
    if (!t) {
      const now = this.clock.nowIso();
      t = {
        id: this.newId(),
        project_id: projectId,
        type,
        source_id: sourceId,
        origin_id: null,
        synced: false,
        created_at: now,
        updated_at: now,
      };
      this.state.erpTransactions.push(t);
    }
    return t;
  }

  budgetOf(projectId: string): Budget | undefined {
    return this.state.budgets.find((b) => b.project_id === projectId);
  }

  directCost(projectId: string, id: string): DirectCost | undefined {
    return this.state.directCosts.find((d) => d.id === id && d.project_id === projectId);
  }

  directCostLines(directCostId: string): DirectCostLineItem[] {
    // Lines are only ever appended (or the whole state replaced): index the new tail, not 100,000 lines per call.
    const items = this.state.directCostLineItems;
    let ix = this.lineIndex;
    if (!ix || ix.items !== items || ix.indexed > items.length) {
      ix = this.lineIndex = { items, indexed: 0, byCost: new Map() };
    }
    for (; ix.indexed < items.length; ix.indexed++) {
      const line = items[ix.indexed];
      const list = ix.byCost.get(line.direct_cost_id);
      if (list) list.push(line);
      else ix.byCost.set(line.direct_cost_id, [line]);
    }
    return [...(ix.byCost.get(directCostId) ?? [])].sort((a, b) => a.position - b.position);
  }

  /**
   * Commitment lines by id and by contract. Like direct cost lines they are only ever appended (or the whole
   * state replaced), so only the new tail is indexed: a month end's 27,000 lines made every External Data write
   * and contract read scan them all (issue 16).
   */
  private commitmentLines(): NonNullable<ProcoreStore['commitmentLineIndex']> {
    const items = this.state.lineItems;
    let ix = this.commitmentLineIndex;
    if (!ix || ix.items !== items || ix.indexed > items.length) {
      ix = this.commitmentLineIndex = { items, indexed: 0, byId: new Map(), byContract: new Map() };
    }
    for (; ix.indexed < items.length; ix.indexed++) {
      const line = items[ix.indexed];
      ix.byId.set(line.id, line);
      const list = ix.byContract.get(line.contract_id);
      if (list) list.push(line);
      else ix.byContract.set(line.contract_id, [line]);
    }
    return ix;
  }

  requisition(companyId: string, id: string): Requisition | undefined {
    return this.state.requisitions.find((r) => r.id === id && r.company_id === companyId);
  }

  requisitionItems(requisitionId: string): RequisitionItem[] {
    return this.state.requisitionItems
      .filter((i) => i.requisition_id === requisitionId)
      .sort((a, b) => a.position - b.position);
  }

  settings(companyId: string): CompanySettings {
    let s = this.state.companySettings.find((c) => c.company_id === companyId);
    if (!s) {
      s = { company_id: companyId, skip_accounting_approval: false, erp_integrations_enabled: true };
      this.state.companySettings.push(s);
    }
    return s;
  }

  /** Sum of line amounts, exact: Procore's grand_total is a decimal string. */
  grandTotal(contractId: string): string {
    return sum(this.lineItemsOf(contractId).map((l) => l.amount));
  }

  /** Approved change orders of a contract, as Procore's approved_change_orders. */
  approvedChangeOrders(contractId: string): string {
    const approved = this.state.changeOrders.filter((c) => c.contract_id === contractId && c.status === 'approved');
    return sum(approved.flatMap((c) => this.changeOrderLines(c.id).map((l) => l.amount)));
  }

  /** The record an External Data update targets, or undefined when it is not in this company. */
  originTarget(companyId: string, itemType: SyncableItemType, itemId: string): WithOrigin | undefined {
    switch (itemType) {
      case 'work_order_contract':
        return this.workOrderContract(companyId, itemId);
      case 'purchase_order_contract':
        return this.purchaseOrderContract(companyId, itemId);
      case 'line_item':
        return this.lineItem(companyId, itemId);
      case 'vendor':
        return this.vendor(companyId, itemId);
      case 'project':
        return this.project(companyId, itemId);
      case 'prime_contract':
        return this.primeContract(companyId, itemId);
      case 'change_order':
        return this.state.changeOrders.find((c) => c.id === itemId && c.company_id === companyId);
      case 'requisition':
        return this.requisition(companyId, itemId);
      case 'contract_payment':
        return this.state.contractPayments.find((p) => p.id === itemId && p.company_id === companyId);
      case 'company_level_direct_cost':
        return this.state.companyDirectCosts.find((d) => d.id === itemId && d.company_id === companyId);
      case 'line_item_type':
        return this.state.lineItemTypes.find((t) => t.id === itemId && t.company_id === companyId);
      case 'standard_cost_code': {
        const code = this.state.standardCostCodes.find((c) => c.id === itemId);
        return code && this.standardCostCodeList(companyId, code.list_id) ? code : undefined;
      }
      default: {
        // Project-level records: in the company when their project is.
        const record = (this.state[ORIGIN_TARGETS[itemType]] as unknown as WithOrigin[]).find((r) => r.id === itemId);
        return record && this.companyOfRecord(itemType, record) === companyId ? record : undefined;
      }
    }
  }

  /** Every record an External Data update of this type may target, all companies'. */
  originRecords(itemType: SyncableItemType): WithOrigin[] {
    return this.state[ORIGIN_TARGETS[itemType]] as unknown as WithOrigin[];
  }

  /** Another record of the same type in the same company already holding `originId`, if any. */
  originTakenBy(companyId: string, itemType: SyncableItemType, originId: string, exceptId: string): string | undefined {
    return this.originRecords(itemType).find(
      (r) => r.id !== exceptId && r.origin_id === originId && this.originTarget(companyId, itemType, r.id),
    )?.id;
  }

  private companyOfRecord(itemType: SyncableItemType, record: WithOrigin): string | undefined {
    const r = record as unknown as Record<string, string | null>;
    let projectId: string | null | undefined = r.project_id;
    if (itemType === 'requisition_contract_item') {
      projectId = this.state.requisitions.find((q) => q.id === r.requisition_id)?.project_id;
    } else if (itemType === 'item') {
      projectId = this.state.directCosts.find((d) => d.id === r.direct_cost_id)?.project_id;
    }
    return projectId ? this.projectOf(projectId)?.company_id : undefined;
  }
}

export function sum(values: string[]): string {
  return values.reduce((acc, v) => acc.plus(v), new Decimal(0)).toFixed(2);
}
