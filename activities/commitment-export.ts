/**
 * Activities of the commitment (subcontract) export. Each is idempotent on its own:
 *  - reads are reads;
 *  - the Acumatica create is find-or-create by the VendorRef marker, checked before any create, so a retry
 *    after a lost response finds the first Subcontract;
 *  - links are upserts; External Data sync and request close-out set the same values again on a retry.
 */
import type { AcumaticaClient } from '../clients/acumatica/client';
import { eq } from '../clients/acumatica/odata';
import type { ProcoreClient } from '../clients/procore/client';
import { commitmentMarker } from '../lib/ids';
import { mapSubcontract, type CommitmentSnapshot } from '../mappings/subcontract';
import { recordAudit } from '../store/audit';
import type { Db } from '../store/db';
import { findLink, upsertLink } from '../store/links';
import type { CompanyClients } from './company-clients';

/** Acumatica needs a task on every project line; until sub jobs are exported, lines go to this task. */
export const DEFAULT_PROJECT_TASK = '01';

export interface CommitmentExportDeps {
  db: Db;
  procore: ProcoreClient;
  companies: CompanyClients;
}

export type LinkResolution = { ok: true; vendorKey: string; projectKey: string } | { ok: false; problems: string[] };

export interface SubcontractResult {
  subcontractNbr: string;
  acumaticaId?: string;
  created: boolean;
  /** Acumatica line numbers in the order of the Procore lines. */
  lineNbrs: number[];
}

function value<T = unknown>(field: unknown): T | undefined {
  return (field as { value?: T } | undefined)?.value;
}

async function findSubcontractByMarker(acumatica: AcumaticaClient, commitmentId: string) {
  const found = await acumatica.list('Subcontract', {
    filter: eq('VendorRef', commitmentMarker(commitmentId)),
    expand: ['Details'],
    top: 2,
  });
  return found[0];
}

function toResult(record: Record<string, unknown>, created: boolean): SubcontractResult {
  const details = (record.Details as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    subcontractNbr: String(value(record.SubcontractNbr)),
    acumaticaId: record.id as string | undefined,
    created,
    lineNbrs: details.map((d) => Number(value(d.LineNbr))),
  };
}

export function createCommitmentExportActivities({ db, procore, companies }: CommitmentExportDeps) {
  return {
    async loadCommitmentActivity(input: {
      companyId: string;
      projectId: string;
      commitmentId: string;
    }): Promise<CommitmentSnapshot> {
      const { companyId, projectId, commitmentId } = input;
      const [contract, lines] = await Promise.all([
        procore.getWorkOrderContract(companyId, projectId, commitmentId),
        procore.listWorkOrderContractLineItems(companyId, projectId, commitmentId),
      ]);
      return {
        id: String(contract.id),
        projectId,
        number: contract.number ?? String(contract.id),
        title: contract.title ?? '',
        vendorId: String(contract.vendor?.id ?? ''),
        vendorName: contract.vendor?.name ?? '(no vendor)',
        retainagePercent: contract.retainage_percent == null ? null : String(contract.retainage_percent),
        contractDate: contract.contract_date ?? null,
        grandTotal: contract.grand_total == null ? null : String(contract.grand_total),
        lines: lines.map((l) => ({
          id: String(l.id),
          costCode: l.cost_code?.full_code ?? null,
          description: l.description ?? '',
          amount: String(l.amount ?? '0'),
          quantity: l.quantity == null ? null : String(l.quantity),
          unitCost: l.unit_cost == null ? null : String(l.unit_cost),
          uom: l.uom ?? null,
        })),
      };
    },

    /** Preflight: the vendor and project must be linked; the messages are what the approver reads in Procore. */
    async resolveCommitmentLinksActivity(input: {
      companyId: string;
      vendorId: string;
      vendorName: string;
      projectId: string;
      projectName?: string;
    }): Promise<LinkResolution> {
      const { companyId, vendorId, vendorName, projectId } = input;
      const [vendor, project] = await Promise.all([
        vendorId ? findLink(db, companyId, 'vendor', vendorId) : undefined,
        findLink(db, companyId, 'project', projectId),
      ]);
      const problems: string[] = [];
      if (!vendor) {
        problems.push(
          `Vendor "${vendorName}" is not linked to an Acumatica vendor. Import or export the vendor first, then resend the commitment.`,
        );
      }
      if (!project) {
        problems.push(
          `Project ${input.projectName ? `"${input.projectName}" ` : ''}(Procore id ${projectId}) is not linked to an Acumatica project. Export the project first, then resend the commitment.`,
        );
      }
      if (!vendor || !project) return { ok: false, problems };
      return { ok: true, vendorKey: vendor.acumaticaKey, projectKey: project.acumaticaKey };
    },

    async upsertAcumaticaSubcontractActivity(input: {
      companyId: string;
      commitment: CommitmentSnapshot;
      vendorKey: string;
      projectKey: string;
    }): Promise<SubcontractResult> {
      const acumatica = await companies.acumatica(input.companyId);
      const existing = await findSubcontractByMarker(acumatica, input.commitment.id);
      if (existing) return toResult(existing, false);
      const body = mapSubcontract(input.commitment, {
        vendorKey: input.vendorKey,
        projectKey: input.projectKey,
        projectTask: DEFAULT_PROJECT_TASK,
      });
      const created = await acumatica.put('Subcontract', body, { expand: ['Details'] });
      return toResult(created, true);
    },

    /** Written only after Acumatica committed the Subcontract. */
    async recordCommitmentLinksActivity(input: {
      companyId: string;
      workflowId: string;
      commitment: CommitmentSnapshot;
      result: SubcontractResult;
    }): Promise<void> {
      const { companyId, commitment, result } = input;
      await upsertLink(db, {
        procoreCompanyId: companyId,
        procoreEntity: 'work_order_contract',
        procoreId: commitment.id,
        acumaticaEntity: 'Subcontract',
        acumaticaKey: result.subcontractNbr,
        acumaticaId: result.acumaticaId,
      });
      for (const [i, line] of commitment.lines.entries()) {
        const lineNbr = result.lineNbrs[i];
        if (lineNbr === undefined) continue;
        await upsertLink(db, {
          procoreCompanyId: companyId,
          procoreEntity: 'commitment_line_item',
          procoreId: line.id,
          acumaticaEntity: 'SubcontractDetail',
          acumaticaKey: `${result.subcontractNbr}:${lineNbr}`,
        });
      }
      await recordAudit(db, {
        procoreCompanyId: companyId,
        workflowId: input.workflowId,
        action: result.created ? 'acumatica.subcontract.created' : 'acumatica.subcontract.found',
        procoreEntity: 'work_order_contract',
        procoreId: commitment.id,
        acumaticaEntity: 'Subcontract',
        acumaticaKey: result.subcontractNbr,
        detail: { lines: commitment.lines.length },
      });
    },

    /** Marks the commitment and its lines as synced in Procore (External Data API, origin_id). */
    async writeCommitmentOriginIdsActivity(input: {
      companyId: string;
      commitment: CommitmentSnapshot;
      result: SubcontractResult;
    }): Promise<void> {
      const { companyId, commitment, result } = input;
      const lineUpdates = commitment.lines.flatMap((line, i) =>
        result.lineNbrs[i] === undefined
          ? []
          : [{ item_type: 'line_item', item_id: line.id, origin_id: `${result.subcontractNbr}:${result.lineNbrs[i]}` }],
      );
      const { errors } = await procore.syncExternalData(companyId, [
        { item_type: 'work_order_contract', item_id: commitment.id, origin_id: result.subcontractNbr },
        ...lineUpdates,
      ]);
      if (errors.length > 0) {
        throw new Error(`Procore External Data sync reported errors: ${JSON.stringify(errors).slice(0, 500)}`);
      }
    },
  };
}
