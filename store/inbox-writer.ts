/**
 * Group commit of webhook deliveries (issue #16, intake at 500/s): a delivery is written at once when nothing is
 * being written; deliveries that arrive while a statement is on its way go together in the next one. One
 * statement per batch instead of one per delivery is what keeps the answer time flat in a burst (the database
 * round trip and the statement's cost are shared); an idle system adds no wait. Each caller still learns whether
 * its own delivery was new: a duplicate (already stored, or twice in one batch) resolves false.
 */
import { insertDeliveries, type InboxDelivery } from './inbox';
import type { Db } from './db';

/** Rows per statement: a burst's backlog is written in statements of at most this many. */
const MAX_BATCH = 200;

interface Waiting {
  delivery: InboxDelivery;
  resolve: (inserted: boolean) => void;
  reject: (err: unknown) => void;
}

export function createInboxWriter(db: Db) {
  const waiting: Waiting[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, MAX_BATCH);
      try {
        const inserted = await insertDeliveries(
          db,
          batch.map((w) => w.delivery),
        );
        for (const w of batch)
          w.resolve(inserted.delete(`${w.delivery.procoreCompanyId}\u0000${w.delivery.deliveryId}`));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    writing = false;
  }

  return {
    /** Stores the delivery; resolves false when it was already stored (a redelivery). */
    insert(delivery: InboxDelivery): Promise<boolean> {
      return new Promise((resolve, reject) => {
        waiting.push({ delivery, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
