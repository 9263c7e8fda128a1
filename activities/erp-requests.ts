/**
 * Procore's ERP platform as the activities use it: reading an ERP request (the webhook only carries its id) and
 * closing its request detail, which is what the accounting approver sees in the ERP Integrations tool.
 */
import type { ProcoreClient } from '../clients/procore/client';
import { recordAudit } from '../store/audit';
import type { Db } from '../store/db';

/** What an activity handling one ERP request is given: ids only (no secrets in workflow history). */
export interface ErpRequestActivityInput {
  companyId: string;
  erpRequestId: string;
  workflowId: string;
}

export interface ErpRequestSummary {
  id: string;
  requestName: string;
  requestDetailId: string;
  itemType: string;
  itemId: string;
  projectId: string | null;
  /** A label for the Web UI, e.g. "SC-24017-003 Cast-in-Place Concrete". */
  title: string;
}

export async function readErpRequest(
  procore: ProcoreClient,
  companyId: string,
  erpRequestId: string,
): Promise<ErpRequestSummary> {
  const request = await procore.getErpRequest(companyId, erpRequestId);
  const data = (request.request_data ?? {}) as Record<string, unknown>;
  const detail = request.request_details?.[0];
  const commitment = data.commitment as { id?: unknown; number?: string; title?: string } | undefined;
  return {
    id: String(request.id),
    requestName: request.request_name,
    requestDetailId: String(detail?.id ?? data.request_detail_id ?? ''),
    itemType: detail?.item_type ?? '',
    itemId: String(detail?.item_id ?? commitment?.id ?? ''),
    projectId: data.job_id == null ? null : String(data.job_id),
    title: [commitment?.number, commitment?.title].filter(Boolean).join(' ') || request.request_name,
  };
}

export interface RequestDetailOutcome {
  companyId: string;
  workflowId: string;
  requestDetailId: string;
  status: 'success' | 'failed';
  messages: string[];
}

/** Closes the request detail (a repeated close with the same outcome is harmless) and audits it. */
export async function closeRequestDetail(db: Db, procore: ProcoreClient, outcome: RequestDetailOutcome) {
  await procore.closeRequestDetail(outcome.companyId, outcome.requestDetailId, {
    status: outcome.status,
    messages: outcome.messages,
  });
  await recordAudit(db, {
    procoreCompanyId: outcome.companyId,
    workflowId: outcome.workflowId,
    action: `procore.request_detail.${outcome.status}`,
    procoreEntity: 'erp_request_detail',
    procoreId: outcome.requestDetailId,
    detail: { messages: outcome.messages },
  });
}
