/**
 * Procore REST client for the connector: typed calls for the resources the connector reads and writes.
 * Transport, auth, pacing and error classification live in http.ts.
 *
 * Conventions: every id in and out is a decimal string (exact above 2^53; sent to Procore as exact JSON
 * numbers); money and quantities are decimal strings; every response is zod-validated (schemas*.ts).
 * `listVendors` pages lazily (one request per page); the other list calls return every page's items.
 */
import { LosslessNumber } from 'lossless-json';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { PromiseCache } from '../../lib/promise-cache';
import { ProcoreHttp, type ProcoreClientOptions, type Query } from './http';
import type { RateLimitSnapshot } from './rate-pacer';
import {
  commitmentLineItemSchema,
  deliverySchema,
  erpRequestDetailSchema,
  erpRequestSchema,
  zId,
  externalDataEntitySchema,
  hookSchema,
  projectSchema,
  syncResultOf,
  syncResultSchema,
  erpTransactionSyncSchema,
  triggerSchema,
  vendorSchema,
  workOrderContractSchema,
  type CommitmentLineItem,
  type Delivery,
  type ErpRequest,
  type ErpRequestDetail,
  type ExternalDataEntity,
  type Hook,
  type Project,
  type SyncResult,
  type ErpTransactionSyncResult,
  type Trigger,
  type Vendor,
  type WorkOrderContract,
} from './schemas';
import {
  budgetChangeSchema,
  budgetDetailRowSchema,
  budgetLineItemSchema,
  budgetViewSchema,
  changeOrderLineItemSchema,
  changeOrderSchema,
  contractPaymentSchema,
  directCostLineItemSchema,
  directCostSchema,
  lineItemTypeSchema,
  taxCodeSchema,
  primeContractSchema,
  projectCostCodeSchema,
  purchaseOrderContractSchema,
  requisitionItemSchema,
  requisitionSchema,
  stagedRecordSchema,
  standardCostCodeListSchema,
  standardCostCodeSchema,
  subJobSchema,
  syncedBudgetLineSchema,
  wbsCodeSchema,
  type BudgetChange,
  type BudgetDetailRow,
  type BudgetLineItem,
  type BudgetView,
  type ChangeOrderLineItem,
  type CommitmentChangeOrder,
  type ContractPayment,
  type DirectCost,
  type DirectCostLineItem,
  type LineItemType,
  type TaxCode,
  type PrimeChangeOrder,
  type PrimeContract,
  type PrimeContractLineItem,
  type ProjectCostCode,
  type PurchaseOrderContract,
  type Requisition,
  type RequisitionItem,
  type StagedRecord,
  type StandardCostCode,
  type StandardCostCodeList,
  type SubJob,
  type SyncedBudgetLine,
  type SyncOutcome,
  type WbsCode,
} from './schemas-financial';

export type { ProcoreClientOptions } from './http';
export type { RateLimitSnapshot } from './rate-pacer';
export type {
  CommitmentLineItem,
  Delivery,
  ErpRequest,
  ErpRequestDetail,
  ExternalDataEntity,
  Hook,
  Project,
  SyncResult,
  Trigger,
  Vendor,
  WorkOrderContract,
} from './schemas';
export { parseWbsFlatCode } from './schemas-financial';
export type {
  BudgetChange,
  BudgetChangeLine,
  BudgetDetailRow,
  BudgetLineItem,
  BudgetView,
  ChangeOrderLineItem,
  CommitmentChangeOrder,
  ContractPayment,
  DirectCost,
  DirectCostLineItem,
  LineItemType,
  TaxCode,
  PrimeChangeOrder,
  PrimeContract,
  PrimeContractLineItem,
  ProjectCostCode,
  PurchaseOrderContract,
  Requisition,
  RequisitionItem,
  StagedRecord,
  StandardCostCode,
  StandardCostCodeList,
  SubJob,
  SyncedBudgetLine,
  SyncOutcome,
  WbsCode,
} from './schemas-financial';

export interface ExternalDataUpdate {
  item_type: string;
  item_id: string;
  origin_id: string;
  origin_data?: string;
  origin_code?: string;
}

export interface HookInput {
  namespace: string;
  destinationUrl: string;
  destinationHeaders: Record<string, string>;
  /** Webhook payload version: "v2" (default in Procore's docs), "v3" or "v4". */
  apiVersion: string;
}

/** Incremental-polling filters of Procore's list endpoints. */
export interface ListFilters {
  /** Records updated at or after this ISO timestamp (Procore `filters[updated_at]` range). */
  updatedSince?: string;
  /** Only the record(s) with this origin_id (`filters[origin_id]`). */
  originId?: string;
}

/** One row of a `/sync` call: match by `id` or `origin_id` (both: change the origin_id). Ids as decimal strings. */
export type SyncUpdate = object;

export interface ContractPaymentInput {
  contract_id: string;
  amount: string;
  date?: string;
  requisition_id?: string;
  check_number?: string;
  invoice_number?: string;
  payment_number?: number;
  notes?: string;
  origin_id?: string;
  origin_code?: string;
  origin_data?: string;
}

export interface StagedRecordInput {
  item_type: string;
  origin_id: string;
  origin_code?: string;
  origin_data?: string;
  /** The parent record's origin_id (a sub job's project). */
  parent_origin_id?: string;
  status?: 'staged' | 'archived';
  /** Payload; `*_origin_id` keys (project_origin_id, vendor_origin_id, ...) are translated on import. */
  data: Record<string, unknown>;
  children?: Array<{ item_type: 'line_item'; origin_id?: string; data: Record<string, unknown> }>;
}

/** A status change of a staged record known by its id (archiving what the ERP deleted). */
export interface StagedRecordStatusUpdate {
  id: string;
  status: 'staged' | 'archived';
}

/** One row of a budget line items sync: by `id`, else by `wbs_code_id` (one line per budget code). */
export interface BudgetLineSyncRow {
  id?: string;
  wbs_code_id: string;
  original_budget_amount?: string;
  quantity?: string;
  unit_cost?: string;
  uom?: string;
}

const SYNC_LIMIT = 1000;

export class ProcoreClient {
  private readonly http: ProcoreHttp;
  private readonly erpCostCodeLists = new PromiseCache<StandardCostCodeList>();

  constructor(opts: ProcoreClientOptions) {
    this.http = new ProcoreHttp(opts);
  }

  /** The rate-limit window Procore last reported. */
  get rateLimit(): RateLimitSnapshot | undefined {
    return this.http.rateLimit;
  }

  /** Authorization-code flow: trade the code from /oauth/authorize for tokens (refreshed from then on). */
  async exchangeAuthorizationCode(code: string, redirectUri: string): Promise<void> {
    await this.http.exchangeCode(code, redirectUri);
  }

  // --- company access (the onboarding checks) -------------------------------------------------------------

  /** The companies the DMSA sees through this company's header: the company itself when the app is installed. */
  async listCompanies(companyId: string): Promise<Array<{ id: string; name: string }>> {
    const c = id('companyId', companyId);
    return this.get('/rest/v1.0/companies', c, z.array(z.object({ id: zId, name: z.string() })));
  }

  /** Newest ERP request: proves the ERP Integrations tool is enabled and the DMSA may use it. */
  async latestErpRequest(companyId: string): Promise<ErpRequest | undefined> {
    const c = id('companyId', companyId);
    const page = await this.get(`/rest/v1.0/companies/${c}/erp_requests`, c, erpRequestSchema.array(), {
      page: '1',
      per_page: '1',
    });
    return page[0];
  }

  // --- ERP platform --------------------------------------------------------------------------------------

  async getErpRequest(companyId: string, requestId: string): Promise<ErpRequest> {
    const c = id('companyId', companyId);
    return this.get(`/rest/v1.0/companies/${c}/erp_requests/${id('requestId', requestId)}`, c, erpRequestSchema);
  }

  async getErpRequestDetail(companyId: string, detailId: string): Promise<ErpRequestDetail> {
    const c = id('companyId', companyId);
    return this.get(
      `/rest/v1.0/companies/${c}/erp_request_details/${id('detailId', detailId)}`,
      c,
      erpRequestDetailSchema,
    );
  }

  async closeRequestDetail(
    companyId: string,
    detailId: string,
    close: { status: 'success' | 'failed'; messages: string[] },
  ): Promise<ErpRequestDetail> {
    const c = id('companyId', companyId);
    return this.send('PATCH', `/rest/v1.0/companies/${c}/erp_request_details/${id('detailId', detailId)}`, c, {
      schema: erpRequestDetailSchema,
      body: { request_detail: { status: close.status, messages: close.messages } },
    });
  }

  /** Closes several request details in one call (per-item failures in `errors`). */
  async closeRequestDetails(
    companyId: string,
    closes: Array<{ id: string; status: 'success' | 'failed'; messages: string[] }>,
  ): Promise<SyncOutcome<ErpRequestDetail>> {
    const c = id('companyId', companyId);
    return this.send('PATCH', `/rest/v1.0/companies/${c}/erp_request_details/sync`, c, {
      schema: syncResultOf(erpRequestDetailSchema),
      body: { updates: closes.map((x) => ({ ...x, id: jsonId('id', x.id) })) },
    });
  }

  /** Marks Procore records as synced (writes origin_id). Always 200: per-item failures come back in `errors`. */
  async syncExternalData(companyId: string, updates: ExternalDataUpdate[]): Promise<SyncResult> {
    const c = id('companyId', companyId);
    const body = {
      updates: updates.map((u) => ({
        item_type: u.item_type,
        item_id: jsonId('item_id', u.item_id),
        origin_id: u.origin_id,
        ...(u.origin_data === undefined ? {} : { origin_data: u.origin_data }),
        ...(u.origin_code === undefined ? {} : { origin_code: u.origin_code }),
      })),
    };
    return this.send('PATCH', `/rest/v1.0/companies/${c}/external_data/sync`, c, { schema: syncResultSchema, body });
  }

  /**
   * Marks create_budget / update_budget transactions as synced with their ERP key (procore-api.md §5.2). Always
   * 200: per-item failures come back in `errors`.
   */
  async syncErpTransactions(
    companyId: string,
    projectId: string,
    updates: Array<{ id: string; origin_id: string }>,
  ): Promise<ErpTransactionSyncResult> {
    const c = id('companyId', companyId);
    const body = {
      project_id: jsonId('project_id', projectId),
      updates: updates.map((u) => ({ id: jsonId('id', u.id), origin_id: u.origin_id, synced: true })),
    };
    return this.send('PATCH', '/rest/v1.0/erp_transactions/sync', c, { schema: erpTransactionSyncSchema, body });
  }

  async listExternalData(
    companyId: string,
    f: { itemType?: string; itemId?: string } = {},
  ): Promise<ExternalDataEntity[]> {
    const c = id('companyId', companyId);
    return this.get(`/rest/v1.0/companies/${c}/external_data`, c, externalDataEntitySchema.array(), {
      item_type: f.itemType,
      item_id: optionalId('itemId', f.itemId),
    });
  }

  /** Unmarks records as synced: their origin fields are cleared. */
  async deleteExternalData(companyId: string, itemType: string, itemIds: string[]): Promise<void> {
    const c = id('companyId', companyId);
    await this.send('DELETE', `/rest/v1.0/companies/${c}/external_data/bulk_destroy`, c, {
      schema: noContent,
      body: { item_type: itemType, item_ids: itemIds.map((i) => jsonId('itemId', i)) },
    });
  }

  /** Stages records for import ("Ready to Import"); matched by id, else item_type + origin_id. */
  async syncStagedRecords(
    companyId: string,
    records: Array<StagedRecordInput | StagedRecordStatusUpdate>,
  ): Promise<SyncOutcome<StagedRecord>> {
    const c = id('companyId', companyId);
    return this.sync(`/rest/v1.0/companies/${c}/staged_records/sync`, c, stagedRecordSchema, records);
  }

  async listStagedRecords(companyId: string, f: { itemType?: string; status?: string } = {}): Promise<StagedRecord[]> {
    const c = id('companyId', companyId);
    return this.all(`/rest/v1.0/companies/${c}/staged_records`, c, stagedRecordSchema, {
      item_type: f.itemType,
      status: f.status,
    });
  }

  // --- Company directory, projects, sub jobs ---------------------------------------------------------------

  async getVendor(companyId: string, vendorId: string): Promise<Vendor> {
    return this.getForCompany(companyId, `/rest/v1.0/vendors/${id('vendorId', vendorId)}`, vendorSchema);
  }

  /** The company's vendors one page at a time; the next page is fetched only when asked for. */
  listVendors(companyId: string, f: ListFilters = {}): AsyncGenerator<Vendor[], void, undefined> {
    const c = id('companyId', companyId);
    return this.http.pages('/rest/v1.0/vendors', c, vendorSchema, { company_id: c, ...filterQuery(f) });
  }

  /** Batch upsert of company vendors (PATCH /vendors/sync): by id, or by origin_id (created when new). */
  async syncVendors(companyId: string, updates: SyncUpdate[]): Promise<SyncOutcome<Vendor>> {
    return this.syncForCompany(companyId, '/rest/v1.0/vendors/sync', vendorSchema, updates);
  }

  async getProject(companyId: string, projectId: string): Promise<Project> {
    return this.getForCompany(companyId, `/rest/v1.0/projects/${id('projectId', projectId)}`, projectSchema);
  }

  async listProjects(companyId: string, f: ListFilters = {}): Promise<Project[]> {
    return this.listForCompany(companyId, '/rest/v1.0/projects', projectSchema, filterQuery(f));
  }

  /** Batch upsert of company projects (PATCH /projects/sync): by id, or by origin_id (created when new). */
  async syncProjects(companyId: string, updates: SyncUpdate[]): Promise<SyncOutcome<Project>> {
    return this.syncForCompany(companyId, '/rest/v1.0/projects/sync', projectSchema, updates);
  }

  async listSubJobs(companyId: string, projectId: string): Promise<SubJob[]> {
    return this.listForProject(companyId, projectId, '/rest/v1.0/sub_jobs', subJobSchema);
  }

  async syncSubJobs(companyId: string, projectId: string, updates: SyncUpdate[]): Promise<SyncOutcome<SubJob>> {
    const c = id('companyId', companyId);
    return this.sync('/rest/v1.0/sub_jobs/sync', c, subJobSchema, updates, {
      project_id: jsonId('projectId', projectId),
    });
  }

  // --- Cost codes and cost types ---------------------------------------------------------------------------

  /** The company's ERP standard cost code list (created with the ERP connection; one per company). */
  async getErpStandardCostCodeList(companyId: string): Promise<StandardCostCodeList> {
    // Created with the ERP connection and never replaced: read once per company and process.
    return this.erpCostCodeLists.get(companyId, () => this.readErpStandardCostCodeList(companyId));
  }

  private async readErpStandardCostCodeList(companyId: string): Promise<StandardCostCodeList> {
    const lists = await this.listForCompany(
      companyId,
      '/rest/v1.0/standard_cost_code_lists',
      standardCostCodeListSchema,
    );
    const erp = lists.find((l) => l.is_erp_list);
    if (!erp) {
      throw new ValidationError(
        `Procore company ${companyId} has no ERP standard cost code list: connect the company to the ERP first`,
        { system: 'procore', request: 'GET /rest/v1.0/standard_cost_code_lists' },
      );
    }
    return erp;
  }

  async listStandardCostCodes(companyId: string, listId: string, f: ListFilters = {}): Promise<StandardCostCode[]> {
    return this.listForCompany(companyId, '/rest/v1.0/standard_cost_codes', standardCostCodeSchema, {
      standard_cost_code_list_id: id('listId', listId),
      ...filterQuery(f),
    });
  }

  async syncStandardCostCodes(
    companyId: string,
    listId: string,
    updates: SyncUpdate[],
  ): Promise<SyncOutcome<StandardCostCode>> {
    return this.syncForCompany(companyId, '/rest/v1.0/standard_cost_codes/sync', standardCostCodeSchema, updates, {
      standard_cost_code_list_id: jsonId('listId', listId),
    });
  }

  /** `background`: a read ahead of need, paced behind other calls (see RatePacer). */
  async listProjectCostCodes(
    companyId: string,
    projectId: string,
    opts: { background?: boolean } = {},
  ): Promise<ProjectCostCode[]> {
    return this.listForProject(companyId, projectId, '/rest/v1.0/cost_codes', projectCostCodeSchema, {}, opts);
  }

  async syncProjectCostCodes(
    companyId: string,
    projectId: string,
    updates: SyncUpdate[],
  ): Promise<SyncOutcome<ProjectCostCode>> {
    const c = id('companyId', companyId);
    const query = { project_id: id('projectId', projectId) };
    return this.sync('/rest/v1.0/cost_codes/sync', c, projectCostCodeSchema, updates, {}, query);
  }

  async listLineItemTypes(companyId: string): Promise<LineItemType[]> {
    return this.listForCompany(companyId, '/rest/v1.0/line_item_types', lineItemTypeSchema);
  }

  async syncLineItemTypes(companyId: string, updates: SyncUpdate[]): Promise<SyncOutcome<LineItemType>> {
    return this.syncForCompany(companyId, '/rest/v1.0/line_item_types/sync', lineItemTypeSchema, updates);
  }

  /** The company's tax codes (id -> code): lines carry only `tax_code_id`. */
  async listTaxCodes(companyId: string): Promise<TaxCode[]> {
    return this.listForCompany(companyId, '/rest/v1.0/tax_codes', taxCodeSchema);
  }

  // --- Commitments ---------------------------------------------------------------------------------------

  async getWorkOrderContract(companyId: string, projectId: string, contractId: string): Promise<WorkOrderContract> {
    const path = `/rest/v1.0/work_order_contracts/${id('contractId', contractId)}`;
    return this.getForProject(companyId, projectId, path, workOrderContractSchema);
  }

  /** Every schedule-of-values line, all pages. */
  async listWorkOrderContractLineItems(
    companyId: string,
    projectId: string,
    contractId: string,
  ): Promise<CommitmentLineItem[]> {
    const path = `/rest/v1.0/work_order_contracts/${id('contractId', contractId)}/line_items`;
    return this.listForProject(companyId, projectId, path, commitmentLineItemSchema);
  }

  async getPurchaseOrderContract(
    companyId: string,
    projectId: string,
    contractId: string,
  ): Promise<PurchaseOrderContract> {
    const path = `/rest/v1.0/purchase_order_contracts/${id('contractId', contractId)}`;
    return this.getForProject(companyId, projectId, path, purchaseOrderContractSchema);
  }

  async listPurchaseOrderContractLineItems(
    companyId: string,
    projectId: string,
    contractId: string,
  ): Promise<CommitmentLineItem[]> {
    const path = `/rest/v1.0/purchase_order_contracts/${id('contractId', contractId)}/line_items`;
    return this.listForProject(companyId, projectId, path, commitmentLineItemSchema);
  }

  /** A project's work order contracts (subcontracts), all pages (adoption of an in-flight company reads them). */
  async listWorkOrderContracts(companyId: string, projectId: string): Promise<WorkOrderContract[]> {
    return this.listForProject(companyId, projectId, '/rest/v1.0/work_order_contracts', workOrderContractSchema);
  }

  /** A project's purchase order contracts, all pages. */
  async listPurchaseOrderContracts(companyId: string, projectId: string): Promise<PurchaseOrderContract[]> {
    const path = '/rest/v1.0/purchase_order_contracts';
    return this.listForProject(companyId, projectId, path, purchaseOrderContractSchema);
  }

  async getCommitmentChangeOrder(
    companyId: string,
    projectId: string,
    changeOrderId: string,
  ): Promise<CommitmentChangeOrder> {
    const sub = `commitment_change_orders/${id('changeOrderId', changeOrderId)}`;
    return this.getInProject(companyId, projectId, sub, changeOrderSchema);
  }

  async listCommitmentChangeOrders(
    companyId: string,
    projectId: string,
    f: { contractId?: string } = {},
  ): Promise<CommitmentChangeOrder[]> {
    return this.listInProject(companyId, projectId, 'commitment_change_orders', changeOrderSchema, {
      'filters[contract_id]': optionalId('contractId', f.contractId),
    });
  }

  /** The change order's lines; `contract_line_item_id` names the commitment line each one changes. */
  async listCommitmentChangeOrderLineItems(
    companyId: string,
    projectId: string,
    changeOrderId: string,
  ): Promise<ChangeOrderLineItem[]> {
    const sub = `commitment_change_orders/${id('changeOrderId', changeOrderId)}/line_items`;
    return this.listInProject(companyId, projectId, sub, changeOrderLineItemSchema);
  }

  // --- Prime contracts, budget ---------------------------------------------------------------------------

  /** A project's prime contracts, all pages (adoption reads them). */
  async listPrimeContracts(companyId: string, projectId: string): Promise<PrimeContract[]> {
    return this.listForProject(companyId, projectId, '/rest/v1.0/prime_contracts', primeContractSchema);
  }

  /** A project's prime contract change orders, all pages. */
  async listPrimeChangeOrders(companyId: string, projectId: string): Promise<PrimeChangeOrder[]> {
    return this.listInProject(companyId, projectId, 'prime_change_orders', changeOrderSchema);
  }

  /** A project's budget changes, all pages, without their lines (getBudgetChange reads those). */
  async listBudgetChanges(companyId: string, projectId: string): Promise<BudgetChange[]> {
    const path = projectPath(projectId, 'budget_changes');
    return this.all(path, id('companyId', companyId), budgetChangeSchema, {}, { wrapped: true });
  }

  async getPrimeContract(companyId: string, projectId: string, contractId: string): Promise<PrimeContract> {
    const path = `/rest/v1.0/prime_contract/${id('contractId', contractId)}`;
    return this.getForProject(companyId, projectId, path, primeContractSchema);
  }

  async listPrimeContractLineItems(
    companyId: string,
    projectId: string,
    contractId: string,
  ): Promise<PrimeContractLineItem[]> {
    const path = `/rest/v1.0/prime_contracts/${id('contractId', contractId)}/line_items`;
    return this.listForProject(companyId, projectId, path, commitmentLineItemSchema);
  }

  async getPrimeChangeOrder(companyId: string, projectId: string, changeOrderId: string): Promise<PrimeChangeOrder> {
    const sub = `prime_change_orders/${id('changeOrderId', changeOrderId)}`;
    return this.getInProject(companyId, projectId, sub, changeOrderSchema);
  }

  async listPrimeChangeOrderLineItems(
    companyId: string,
    projectId: string,
    changeOrderId: string,
  ): Promise<ChangeOrderLineItem[]> {
    const sub = `prime_change_orders/${id('changeOrderId', changeOrderId)}/line_items`;
    return this.listInProject(companyId, projectId, sub, changeOrderLineItemSchema);
  }

  /** A budget change with its adjustment lines (each split into sub job / cost code / cost type codes). */
  async getBudgetChange(companyId: string, projectId: string, budgetChangeId: string): Promise<BudgetChange> {
    const sub = `budget_changes/${id('budgetChangeId', budgetChangeId)}`;
    const { data } = await this.getInProject(companyId, projectId, sub, wrapped(budgetChangeSchema));
    return data;
  }

  async listBudgetViews(companyId: string, projectId: string): Promise<BudgetView[]> {
    return this.listForProject(companyId, projectId, '/rest/v1.0/budget_views', budgetViewSchema);
  }

  async listBudgetDetailRows(companyId: string, projectId: string, budgetViewId: string): Promise<BudgetDetailRow[]> {
    const path = `/rest/v1.0/budget_views/${id('budgetViewId', budgetViewId)}/detail_rows`;
    return this.listForProject(companyId, projectId, path, budgetDetailRowSchema);
  }

  async getBudgetLineItem(companyId: string, projectId: string, lineId: string): Promise<BudgetLineItem> {
    const path = `/rest/v1.0/budget_line_items/${id('lineId', lineId)}`;
    return this.getForProject(companyId, projectId, path, budgetLineItemSchema);
  }

  /** The project's WBS ("budget") codes: sub job x cost code x cost type, each with its segment items. */
  async listWbsCodes(companyId: string, projectId: string): Promise<WbsCode[]> {
    return this.listInProject(companyId, projectId, 'work_breakdown_structure/wbs_codes', wbsCodeSchema);
  }

  /**
   * Batch upsert of a project's budget line items (POST /budget_line_items/sync), in batches of 1,000: a row
   * matches its line by `id`, else by `wbs_code_id`, so a resent row updates the same line. Procore answers
   * the written lines; a bad row fails its whole batch (422).
   */
  async syncBudgetLineItems(
    companyId: string,
    projectId: string,
    rows: BudgetLineSyncRow[],
  ): Promise<SyncedBudgetLine[]> {
    const c = id('companyId', companyId);
    const out: SyncedBudgetLine[] = [];
    for (let i = 0; i < rows.length; i += SYNC_LIMIT) {
      const batch = rows
        .slice(i, i + SYNC_LIMIT)
        .map((r) => toWire({ ...r, wbs_code_id: jsonId('wbsCodeId', r.wbs_code_id) }));
      out.push(
        ...(await this.send('POST', '/rest/v1.0/budget_line_items/sync', c, {
          schema: syncedBudgetLineSchema.array(),
          body: { project_id: jsonId('projectId', projectId), budget_line_items: batch },
        })),
      );
    }
    return out;
  }

  // --- Direct costs, invoices, payments ------------------------------------------------------------------

  /**
   * Batch upsert of direct costs (matched by id or origin_id). An update may carry `line_items` (each with
   * its own origin_id) to write the cost's lines in the same call.
   */
  async syncDirectCosts(companyId: string, projectId: string, updates: SyncUpdate[]): Promise<SyncOutcome<DirectCost>> {
    const c = id('companyId', companyId);
    const p = id('projectId', projectId);
    return this.sync(`/rest/v1.0/projects/${p}/direct_costs/sync`, c, directCostSchema, updates);
  }

  async listDirectCosts(companyId: string, projectId: string, f: ListFilters = {}): Promise<DirectCost[]> {
    return this.listInProject(companyId, projectId, 'direct_costs', directCostSchema, filterQuery(f));
  }

  async listDirectCostLineItems(
    companyId: string,
    projectId: string,
    directCostId: string,
  ): Promise<DirectCostLineItem[]> {
    const sub = `direct_costs/${id('directCostId', directCostId)}/line_items`;
    return this.listInProject(companyId, projectId, sub, directCostLineItemSchema);
  }

  async getRequisition(companyId: string, projectId: string, requisitionId: string): Promise<Requisition> {
    const path = `/rest/v1.0/requisitions/${id('requisitionId', requisitionId)}`;
    return this.getForProject(companyId, projectId, path, requisitionSchema);
  }

  async listRequisitions(
    companyId: string,
    projectId: string,
    f: { commitmentId?: string } = {},
  ): Promise<Requisition[]> {
    return this.listForProject(companyId, projectId, '/rest/v1.0/requisitions', requisitionSchema, {
      'filters[commitment_id]': optionalId('commitmentId', f.commitmentId),
    });
  }

  /** The invoice's lines: commitment line billed (`line_item_id`), cost code, amounts and retainage. */
  async listRequisitionItems(companyId: string, projectId: string, requisitionId: string): Promise<RequisitionItem[]> {
    const path = `/rest/v1.0/requisitions/${id('requisitionId', requisitionId)}/contract_items`;
    return this.listForProject(companyId, projectId, path, requisitionItemSchema);
  }

  /** A commitment's payments: Procore requires both `project_id` and `contract_id` on this list. */
  async listContractPayments(
    companyId: string,
    projectId: string,
    contractId: string,
    f: { originId?: string } = {},
  ): Promise<ContractPayment[]> {
    return this.listForProject(companyId, projectId, '/rest/v1.0/contract_payments', contractPaymentSchema, {
      contract_id: id('contractId', contractId),
      'filters[origin_id]': f.originId,
    });
  }

  /** The payment imported under this ERP key, if any: look before creating, so a retry never pays twice. */
  async findContractPaymentByOriginId(
    companyId: string,
    projectId: string,
    contractId: string,
    originId: string,
  ): Promise<ContractPayment | undefined> {
    const found = await this.listContractPayments(companyId, projectId, contractId, { originId });
    return found.find((p) => p.origin_id === originId);
  }

  /**
   * Records a payment issued. A second create with the same origin_id is refused by Procore (422) and
   * surfaces as ConflictError: use findContractPaymentByOriginId to pick up the first one.
   */
  async createContractPayment(
    companyId: string,
    projectId: string,
    payment: ContractPaymentInput,
  ): Promise<ContractPayment> {
    const c = id('companyId', companyId);
    return this.send('POST', '/rest/v1.0/contract_payments', c, {
      schema: contractPaymentSchema,
      body: { project_id: jsonId('projectId', projectId), contract_payment: toWire(payment) },
    });
  }

  // --- Webhooks API ---------------------------------------------------------------------------------------

  async listHooks(companyId: string, namespace: string): Promise<Hook[]> {
    return this.getForCompany(companyId, '/rest/v1.0/webhooks/hooks', hookSchema.array(), { namespace });
  }

  async createHook(companyId: string, hook: HookInput): Promise<Hook> {
    const c = id('companyId', companyId);
    return this.send('POST', '/rest/v1.0/webhooks/hooks', c, {
      schema: hookSchema,
      body: {
        company_id: jsonId('companyId', c),
        hook: {
          api_version: hook.apiVersion,
          namespace: hook.namespace,
          destination_url: hook.destinationUrl,
          destination_headers: hook.destinationHeaders,
        },
      },
    });
  }

  async updateHook(companyId: string, hookId: string, changes: Partial<HookInput>): Promise<Hook> {
    const c = id('companyId', companyId);
    const hook: Record<string, unknown> = {};
    if (changes.apiVersion !== undefined) hook.api_version = changes.apiVersion;
    if (changes.namespace !== undefined) hook.namespace = changes.namespace;
    if (changes.destinationUrl !== undefined) hook.destination_url = changes.destinationUrl;
    if (changes.destinationHeaders !== undefined) hook.destination_headers = changes.destinationHeaders;
    return this.send('PATCH', `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}`, c, {
      schema: hookSchema,
      body: { company_id: jsonId('companyId', c), hook },
    });
  }

  async deleteHook(companyId: string, hookId: string): Promise<void> {
    const c = id('companyId', companyId);
    await this.send('DELETE', `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}`, c, {
      schema: noContent,
      query: { company_id: c },
    });
  }

  async listTriggers(companyId: string, hookId: string): Promise<Trigger[]> {
    const path = `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}/triggers`;
    return this.getForCompany(companyId, path, triggerSchema.array());
  }

  async createTrigger(
    companyId: string,
    hookId: string,
    trigger: { resourceName: string; eventType: 'create' | 'update' | 'delete'; apiVersion?: string },
  ): Promise<Trigger> {
    const c = id('companyId', companyId);
    return this.send('POST', `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}/triggers`, c, {
      schema: triggerSchema,
      body: {
        company_id: jsonId('companyId', c),
        ...(trigger.apiVersion ? { api_version: trigger.apiVersion } : {}),
        trigger: { resource_name: trigger.resourceName, event_type: trigger.eventType },
      },
    });
  }

  async deleteTrigger(companyId: string, hookId: string, triggerId: string): Promise<void> {
    const c = id('companyId', companyId);
    await this.send(
      'DELETE',
      `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}/triggers/${id('triggerId', triggerId)}`,
      c,
      { schema: noContent, query: { company_id: c } },
    );
  }

  /** The first page (newest first) of a hook's delivery attempts. */
  async listDeliveries(companyId: string, hookId: string): Promise<Delivery[]> {
    const path = `/rest/v1.0/webhooks/hooks/${id('hookId', hookId)}/deliveries`;
    return this.getForCompany(companyId, path, deliverySchema.array());
  }

  // --- plumbing -------------------------------------------------------------------------------------------

  private async get<S extends z.ZodTypeAny>(
    path: string,
    companyId: string,
    schema: S,
    query?: Query,
  ): Promise<z.output<S>> {
    const { data } = await this.http.call('GET', path, { companyId, schema, query });
    return data;
  }

  private async send<S extends z.ZodTypeAny>(
    method: string,
    path: string,
    companyId: string,
    opts: { schema: S; body?: unknown; query?: Query },
  ): Promise<z.output<S>> {
    const { data } = await this.http.call(method, path, { companyId, ...opts });
    return data;
  }

  /** GET of a company-wide endpoint: `company_id` in the query. */
  private async getForCompany<S extends z.ZodTypeAny>(
    companyId: string,
    path: string,
    schema: S,
    query: Query = {},
  ): Promise<z.output<S>> {
    const c = id('companyId', companyId);
    return this.get(path, c, schema, { company_id: c, ...query });
  }

  /** Every page of a company-wide list: `company_id` in the query. */
  private async listForCompany<S extends z.ZodTypeAny>(
    companyId: string,
    path: string,
    item: S,
    query: Query = {},
  ): Promise<Array<z.output<S>>> {
    const c = id('companyId', companyId);
    return this.all(path, c, item, { company_id: c, ...query });
  }

  /** A company-wide `/sync` call: `company_id` in the body. */
  private async syncForCompany<S extends z.ZodTypeAny>(
    companyId: string,
    path: string,
    entity: S,
    updates: SyncUpdate[],
    extraBody: Record<string, unknown> = {},
  ): Promise<SyncOutcome<z.output<S>>> {
    const c = id('companyId', companyId);
    return this.sync(path, c, entity, updates, { company_id: jsonId('companyId', c), ...extraBody });
  }

  /** GET of one record of an endpoint that takes the project in the query (`project_id`). */
  private async getForProject<S extends z.ZodTypeAny>(
    companyId: string,
    projectId: string,
    path: string,
    schema: S,
  ): Promise<z.output<S>> {
    return this.get(path, id('companyId', companyId), schema, { project_id: id('projectId', projectId) });
  }

  /** Every page of a list that takes the project in the query (`project_id`). */
  private async listForProject<S extends z.ZodTypeAny>(
    companyId: string,
    projectId: string,
    path: string,
    item: S,
    query: Query = {},
    opts: { background?: boolean } = {},
  ): Promise<Array<z.output<S>>> {
    const scoped = { project_id: id('projectId', projectId), ...query };
    return this.all(path, id('companyId', companyId), item, scoped, opts);
  }

  /** GET of one record under the project's path, `/rest/v1.0/projects/{projectId}/{subpath}`. */
  private async getInProject<S extends z.ZodTypeAny>(
    companyId: string,
    projectId: string,
    subpath: string,
    schema: S,
  ): Promise<z.output<S>> {
    return this.get(projectPath(projectId, subpath), id('companyId', companyId), schema);
  }

  /** Every page of a list under the project's path, `/rest/v1.0/projects/{projectId}/{subpath}`. */
  private async listInProject<S extends z.ZodTypeAny>(
    companyId: string,
    projectId: string,
    subpath: string,
    item: S,
    query: Query = {},
  ): Promise<Array<z.output<S>>> {
    return this.all(projectPath(projectId, subpath), id('companyId', companyId), item, query);
  }

  /** Every page of a list endpoint, concatenated. */
  private async all<S extends z.ZodTypeAny>(
    path: string,
    companyId: string,
    item: S,
    query: Query,
    opts: { background?: boolean; wrapped?: boolean } = {},
  ): Promise<Array<z.output<S>>> {
    const out: Array<z.output<S>> = [];
    for await (const page of this.http.pages(path, companyId, item, query, opts)) out.push(...page);
    return out;
  }

  /** A `/sync` call, split into batches of 1,000 (Procore's limit) with the results merged. */
  private async sync<S extends z.ZodTypeAny>(
    path: string,
    companyId: string,
    entity: S,
    updates: SyncUpdate[],
    extraBody: Record<string, unknown> = {},
    query?: Query,
  ): Promise<SyncOutcome<z.output<S>>> {
    const out: SyncOutcome<z.output<S>> = { entities: [], errors: [] };
    for (let i = 0; i < updates.length; i += SYNC_LIMIT) {
      const batch = updates.slice(i, i + SYNC_LIMIT).map(toWire);
      const result = await this.send('PATCH', path, companyId, {
        schema: syncResultOf(entity),
        body: { ...extraBody, updates: batch },
        query,
      });
      out.entities.push(...(result.entities as Array<z.output<S>>));
      out.errors.push(...result.errors);
    }
    return out;
  }
}

const noContent = {
  parse: (v: unknown) => v,
  safeParse: (v: unknown) => ({ success: true, data: v }),
} as unknown as z.ZodType<unknown>;

/** Budget change endpoints wrap their answer in `{data}`. */
function wrapped<S extends z.ZodTypeAny>(inner: S) {
  return z.object({ data: inner });
}

/** Ids go into paths and bodies, so they must be plain decimal strings (this also blocks path injection). */
function id(name: string, value: string): string {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new ValidationError(`${name} must be a decimal id string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** An optional id filter: validated when given. */
function optionalId(name: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : id(name, value);
}

function projectPath(projectId: string, subpath: string): string {
  return `/rest/v1.0/projects/${id('projectId', projectId)}/${subpath}`;
}

/** An id as a JSON number in a request body, exact at any size. */
function jsonId(name: string, value: string): LosslessNumber {
  return new LosslessNumber(id(name, value));
}

/** A sync/create row for the wire: `id` and `*_id` decimal strings become exact JSON numbers. */
function toWire(update: SyncUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(update)) {
    if (v === undefined) continue;
    const isIdKey = (k === 'id' || k.endsWith('_id')) && !k.endsWith('origin_id');
    if (isIdKey && typeof v === 'string' && /^\d+$/.test(v)) out[k] = new LosslessNumber(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => (x && typeof x === 'object' ? toWire(x as SyncUpdate) : x));
    else out[k] = v;
  }
  return out;
}

function filterQuery(f: ListFilters): Query {
  return {
    // Procore takes a range; the far end is a day ahead so clock skew cannot hide fresh records.
    'filters[updated_at]': f.updatedSince
      ? `${new Date(f.updatedSince).toISOString()}...${new Date(Date.now() + 86_400_000).toISOString()}`
      : undefined,
    'filters[origin_id]': f.originId,
  };
}
