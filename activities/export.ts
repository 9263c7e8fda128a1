/**
 * The activities every export runs, whatever the entity (the exporter for `kind` supplies the specifics):
 *   load -> preflight -> find-or-create in Acumatica -> record links -> write origin_ids -> (close request detail)
 * Each is idempotent: reads are reads; the Acumatica write looks for the record's marker before any create, so
 * a retry after a lost response finds the first record; links are upserts; External Data sync sets the same
 * origin_ids again on a retry.
 */
import type { ProcoreClient } from '../clients/procore/client';
import { ValidationError } from '../lib/errors';
import { recordAudit } from '../store/audit';
import type { Db } from '../store/db';
import { upsertLink } from '../store/links';
import type { CompanyClients } from './company-clients';
import { exporterFor } from './exporters';
import { markErpTransactionsSynced } from './exporters/erp-transactions';
import { findOrCreate } from './exporters/find-or-create';
import type { ExportContext, ExportedRecord, Exporter, ExportRef, ExportSource, Preflight } from './exporters/types';

export interface ExportDeps {
  db: Db;
  procore: ProcoreClient;
  companies: CompanyClients;
}

export interface ExportInput {
  kind: string;
  companyId: string;
}

/** Kept here for callers that compare header fields (tests/unit/vendor-mapping.test.ts). */
export { changedFields } from '../mappings/changed-fields';

export function createExportActivities({ db, procore, companies }: ExportDeps) {
  const context = async (companyId: string): Promise<ExportContext> => ({
    db,
    procore,
    companyId,
    acumatica: await companies.acumatica(companyId),
  });

  return {
    async loadExportSourceActivity(input: ExportInput & ExportRef): Promise<ExportSource> {
      return exporterFor(input.kind).load(await context(input.companyId), input);
    },

    async preflightExportActivity(input: ExportInput & { source: ExportSource }): Promise<Preflight<unknown>> {
      return exporterFor(input.kind).preflight(await context(input.companyId), input.source as never);
    },

    async upsertAcumaticaRecordActivity(
      input: ExportInput & { source: ExportSource; targets: unknown },
    ): Promise<ExportedRecord> {
      const exporter = exporterFor(input.kind);
      const ctx = await context(input.companyId);
      if (exporter.write) return exporter.write(ctx, input.source as never, input.targets as never);
      const record = await findOrCreate(exporter, ctx, input.source, input.targets);
      if (!exporter.afterWrite) return record;
      const lineKeys = await exporter.afterWrite(
        ctx,
        input.source as never,
        input.targets as never,
        record.acumaticaKey,
      );
      return { ...record, lineKeys };
    },

    /** Written only after Acumatica committed the record. */
    async recordExportLinksActivity(
      input: ExportInput & { workflowId: string; source: ExportSource; result: ExportedRecord },
    ): Promise<void> {
      const { companyId, source, result } = input;
      const exporter = exporterFor(input.kind);
      await upsertLink(db, {
        procoreCompanyId: companyId,
        procoreEntity: exporter.procoreEntity,
        procoreId: source.procoreId,
        acumaticaEntity: exporter.acumaticaEntity,
        acumaticaKey: result.acumaticaKey,
        acumaticaId: result.acumaticaId,
      });
      if (exporter.lines) {
        for (const [i, lineId] of source.lineIds.entries()) {
          const key = result.lineKeys[i];
          if (key === undefined) continue;
          await upsertLink(db, {
            procoreCompanyId: companyId,
            procoreEntity: exporter.lines.procoreEntity,
            procoreId: lineId,
            acumaticaEntity: exporter.lines.acumaticaEntity,
            acumaticaKey: key,
          });
        }
      }
      await recordAudit(db, {
        procoreCompanyId: companyId,
        workflowId: input.workflowId,
        action: `acumatica.${exporter.acumaticaEntity}.${result.created ? 'created' : 'found'}`,
        procoreEntity: exporter.procoreEntity,
        procoreId: source.procoreId,
        acumaticaEntity: exporter.acumaticaEntity,
        acumaticaKey: result.acumaticaKey,
        detail: { lines: source.lineIds.length },
      });
    },

    /** Marks the record and its lines as synced in Procore (External Data API origin_id). */
    async writeProcoreOriginIdsActivity(
      input: ExportInput & { source: ExportSource; result: ExportedRecord },
    ): Promise<void> {
      const { companyId, source, result } = input;
      const exporter = exporterFor(input.kind);
      const refusedTransactions = await markErpTransactionsSynced(procore, companyId, result);
      if (refusedTransactions) throw new ValidationError(refusedTransactions, { system: 'procore' });
      const headerType = exporter.externalDataItemType;
      if (!headerType) return;
      const lineType = exporter.lines?.externalDataItemType;
      const lineUpdates = lineType
        ? source.lineIds.flatMap((id, i) =>
            result.lineKeys[i] === undefined
              ? []
              : [{ item_type: lineType, item_id: id, origin_id: result.lineKeys[i] }],
          )
        : [];
      const { errors } = await procore.syncExternalData(companyId, [
        { item_type: headerType, item_id: source.procoreId, origin_id: result.acumaticaKey },
        ...lineUpdates,
      ]);
      if (errors.length > 0) {
        // Procore answers 200 with per-item errors (e.g. an origin_id another record holds): retrying cannot fix
        // that, so it is permanent and the export fails visibly for an operator.
        throw new ValidationError(`Procore refused the origin_id write-back: ${JSON.stringify(errors).slice(0, 500)}`, {
          system: 'procore',
          request: 'PATCH external_data/sync',
        });
      }
    },
  };
}
