/**
 * Activities on Procore's ERP platform: reading an ERP request (the webhook only carries its id) and closing
 * its request detail, which is what the accounting approver sees in the ERP Integrations tool.
 */
import type { ProcoreClient } from '../clients/procore/client';
import { recordAudit } from '../store/audit';
import type { Db } from '../store/db';

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

export interface ErpRequestDeps {
  db: Db;
  procore: ProcoreClient;
}

export function createErpRequestActivities({ db, procore }: ErpRequestDeps) {
  return {
    async loadErpRequestActivity(input: { companyId: string; erpRequestId: string }): Promise<ErpRequestSummary> {
      const request = await procore.getErpRequest(input.companyId, input.erpRequestId);
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
    },

    async closeErpRequestDetailActivity(input: {
      companyId: string;
      workflowId: string;
      requestDetailId: string;
      status: 'success' | 'failed';
      messages: string[];
    }): Promise<void> {
      await procore.closeRequestDetail(input.companyId, input.requestDetailId, {
        status: input.status,
        messages: input.messages,
      });
      await recordAudit(db, {
        procoreCompanyId: input.companyId,
        workflowId: input.workflowId,
        action: `procore.request_detail.${input.status}`,
        procoreEntity: 'erp_request_detail',
        procoreId: input.requestDetailId,
        detail: { messages: input.messages },
      });
    },
  };
}
