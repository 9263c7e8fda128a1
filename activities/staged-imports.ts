/**
 * The approver imported a staged record in Procore's ERP Integrations tool: Procore created the project (or sub
 * job) with the staged origin_id and raised create_job_in_procore (create_sub_job_in_procore). The connector
 * records the link (project <-> Acumatica project, sub job <-> project task), so later imports see it as synced
 * and exports find it, and closes the request detail when the request has one.
 *
 * Idempotent: the link is an upsert (store/imports.ts promoteStagedLink), closing a detail twice is harmless, so a
 * redelivered webhook or a retried activity changes nothing.
 */
import type { ProcoreClient } from '../clients/procore/client';
import { recordAudit } from '../store/audit';
import type { Db } from '../store/db';
import { promoteStagedLink } from '../store/imports';
import type { ErpRequestActivityInput } from './erp-requests';

const TARGETS: Record<
  string,
  { procoreEntity: string; acumaticaEntity: string; procoreLabel: string; acumaticaLabel: string }
> = {
  project: { procoreEntity: 'project', acumaticaEntity: 'Project', procoreLabel: 'project', acumaticaLabel: 'project' },
  sub_job: {
    procoreEntity: 'sub_job',
    acumaticaEntity: 'ProjectTask',
    procoreLabel: 'sub job',
    acumaticaLabel: 'task',
  },
};

export interface StagedImportResult {
  status: 'success' | 'failed';
  acumaticaKey?: string;
  messages: string[];
}

export function createStagedImportActivities({ db, procore }: { db: Db; procore: ProcoreClient }) {
  return {
    async linkImportedStagedRecordActivity(input: ErpRequestActivityInput): Promise<StagedImportResult> {
      const { companyId, workflowId } = input;
      const request = await procore.getErpRequest(companyId, input.erpRequestId);
      const data = (request.request_data ?? {}) as Record<string, unknown>;
      const detail = request.request_details[0];
      const itemType = String(data.item_type ?? detail?.item_type ?? '');
      const procoreId = String(data.item_id ?? detail?.item_id ?? '');
      const originId = typeof data.origin_id === 'string' ? data.origin_id.trim() : '';
      const target = TARGETS[itemType];

      let result: StagedImportResult;
      if (!target || !/^\d+$/.test(procoreId) || !originId) {
        result = {
          status: 'failed',
          messages: [
            `The connector cannot link this ${request.request_name} request: it names no ${Object.keys(TARGETS).join(' or ')} with an origin_id (item_type "${itemType}", item_id "${procoreId}"). Unlink the record in Procore and import it again.`,
          ],
        };
      } else {
        const linked = await promoteStagedLink(db, {
          companyId,
          acumaticaEntity: target.acumaticaEntity,
          acumaticaKey: originId,
          procoreEntity: target.procoreEntity,
          procoreId,
        });
        result = linked.ok
          ? {
              status: 'success',
              acumaticaKey: originId,
              messages: [
                `Linked Procore ${target.procoreLabel} ${procoreId} to Acumatica ${target.acumaticaLabel} ${originId}.`,
              ],
            }
          : {
              status: 'failed',
              messages: [
                `Procore ${target.procoreLabel} ${procoreId} and Acumatica ${target.acumaticaLabel} ${originId} cannot be linked: the connector already links ${linked.heldBy.procoreEntity.replace('_', ' ')} ${linked.heldBy.procoreId} to ${linked.heldBy.acumaticaKey}. Unlink the duplicate in Procore.`,
              ],
            };
        await recordAudit(db, {
          procoreCompanyId: companyId,
          workflowId,
          action: `link.staged_import.${result.status}`,
          procoreEntity: target.procoreEntity,
          procoreId,
          acumaticaEntity: target.acumaticaEntity,
          acumaticaKey: originId,
          detail: { requestName: request.request_name, messages: result.messages },
        });
      }

      const detailId = String(detail?.id ?? data.request_detail_id ?? '');
      if (/^\d+$/.test(detailId)) {
        await procore.closeRequestDetail(companyId, detailId, { status: result.status, messages: result.messages });
      }
      return result;
    },
  };
}
