/**
 * Budget transactions (create_budget / update_budget `transactions[]`) marked synced in Procore: the events
 * dictionary's write-back for budgets besides External Data (procore-api.md §5.2, `erp_transactions/sync`). Each
 * transaction's origin_id is the key of the Acumatica line it became. Idempotent: a retry sets the same keys.
 */
import type { ProcoreClient } from '../../clients/procore/client';
import type { ExportedRecord } from './types';

/** Writes the result's transactions back; returns Procore's refusal as a message, or null. */
export async function markErpTransactionsSynced(
  procore: ProcoreClient,
  companyId: string,
  result: ExportedRecord,
): Promise<string | null> {
  const transactions = result.erpTransactions;
  if (!transactions || transactions.updates.length === 0) return null;
  const { errors } = await procore.syncErpTransactions(
    companyId,
    transactions.projectId,
    transactions.updates.map((u) => ({ id: u.id, origin_id: u.originId })),
  );
  if (errors.length === 0) return null;
  return `Exported to Acumatica as ${result.acumaticaKey}, but Procore refused to mark the budget transactions synced: ${JSON.stringify(errors).slice(0, 500)}`;
}
