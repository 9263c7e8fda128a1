/**
 * exportCommitmentWorkflow: one Procore commitment (work order contract) -> one Acumatica Subcontract.
 *
 * Started by: erpRequestWorkflow, for an ERP request `create_commitment` (accounting approval in Procore).
 * Workflow ID: p2a-<companyId>-commitment-<commitmentId> (lib/ids.ts), so exports of one commitment never run
 * concurrently.
 * Idempotency: the Subcontract is found by its VendorRef marker before any create; links and Procore's
 * origin_id are written only after Acumatica committed; the request detail is closed last.
 * Outcome: the request detail is closed `success` with the Subcontract number, or `failed` with messages the
 * approver can act on (missing links, Acumatica validation errors); permanent failures end the workflow
 * without retry loops, so the approver fixes the data and resends.
 */
import { proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { AcumaticaKey } from '../lib/search-attributes';
import { database, upstreamCall } from './activity-options';
import { failureMessage, failureType } from './failures';

const procore = proxyActivities<Activities>(upstreamCall);
const acumatica = proxyActivities<Activities>(upstreamCall);
const store = proxyActivities<Activities>(database);

export interface ExportCommitmentInput {
  companyId: string;
  projectId: string;
  commitmentId: string;
  requestDetailId: string;
}

export interface ExportResult {
  status: 'success' | 'failed';
  acumaticaKey?: string;
  messages: string[];
}

export async function exportCommitmentWorkflow(input: ExportCommitmentInput): Promise<ExportResult> {
  const { companyId, projectId, commitmentId, requestDetailId } = input;
  const workflowId = workflowInfo().workflowId;

  const close = async (result: ExportResult): Promise<ExportResult> => {
    await procore.closeErpRequestDetailActivity({
      companyId,
      workflowId,
      requestDetailId,
      status: result.status,
      messages: result.messages,
    });
    setCurrentDetails(`**${result.status}**: ${result.messages.join(' ')}`);
    return result;
  };

  setCurrentDetails('Loading the commitment from Procore');
  const commitment = await procore.loadCommitmentActivity({ companyId, projectId, commitmentId });

  const links = await store.resolveCommitmentLinksActivity({
    companyId,
    vendorId: commitment.vendorId,
    vendorName: commitment.vendorName,
    projectId,
  });
  if (!links.ok) return close({ status: 'failed', messages: links.problems });

  setCurrentDetails(`Creating Subcontract for ${commitment.number} in Acumatica`);
  let result;
  try {
    result = await acumatica.upsertAcumaticaSubcontractActivity({
      companyId,
      commitment,
      vendorKey: links.vendorKey,
      projectKey: links.projectKey,
    });
  } catch (err) {
    if (failureType(err) !== 'ValidationError') throw err;
    return close({ status: 'failed', messages: [`Acumatica rejected the subcontract: ${failureMessage(err)}`] });
  }
  upsertSearchAttributes([{ key: AcumaticaKey, value: result.subcontractNbr }]);

  await store.recordCommitmentLinksActivity({ companyId, workflowId, commitment, result });
  await procore.writeCommitmentOriginIdsActivity({ companyId, commitment, result });
  return close({
    status: 'success',
    acumaticaKey: result.subcontractNbr,
    messages: [`Exported to Acumatica as Subcontract ${result.subcontractNbr}.`],
  });
}
