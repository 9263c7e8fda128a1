/**
 * Writes import items through one of Procore's /sync endpoints: batches of at most 1,000 (procore-api.md §3),
 * linked or matched records sent with both `id` and `origin_id` (how Procore links an existing record), new ones
 * with `origin_id` only (Procore creates them, and matches them by origin_id on any retry). Outcomes are matched
 * back by origin_id; items Procore rejected carry its error for the exception list.
 */
import type { WriteItem, WriteOutcome } from './types';

export const PROCORE_SYNC_BATCH = 1000;

interface SyncResponse {
  entities: Array<{ id: unknown; origin_id?: unknown }>;
  errors: Array<Record<string, unknown>>;
}

export async function writeThroughSync<P extends { origin_id: string }>(
  items: WriteItem<P>[],
  send: (updates: object[]) => Promise<SyncResponse>,
  extraOnCreate: (payload: P) => object = () => ({}),
): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  for (let i = 0; i < items.length; i += PROCORE_SYNC_BATCH) {
    const batch = items.slice(i, i + PROCORE_SYNC_BATCH);
    const updates = batch.map((item) =>
      item.procoreId ? { id: item.procoreId, ...item.payload } : { ...extraOnCreate(item.payload), ...item.payload },
    );
    const { entities, errors } = await send(updates);
    const byOrigin = new Map(entities.map((e) => [String(e.origin_id), String(e.id)]));
    for (const item of batch) {
      const procoreId = byOrigin.get(item.acumaticaKey);
      if (procoreId) {
        outcomes.push({ acumaticaKey: item.acumaticaKey, procoreId });
        continue;
      }
      const error = errors.find((e) => String(e.origin_id ?? '') === item.acumaticaKey);
      outcomes.push({
        acumaticaKey: item.acumaticaKey,
        error: error
          ? `Procore rejected it: ${JSON.stringify(error.errors ?? error).slice(0, 400)}`
          : 'Procore did not return it',
      });
    }
  }
  return outcomes;
}
