// Fills a global secondary index added to a live table: the table's items are read in key order
// in batches, and each batch's entries are written in a transaction that reads those items again —
// so an item written meanwhile (whose own write already maintains the new index) gets the entry of
// its current state, and a deleted one gets none. Items whose values cannot be the index's key are
// left out (indexEntry gives them none), as DynamoDB leaves them out.
import type { AttributeMap } from '../model/attribute-value.js';
import type { DerivedWrite, RangeEntry, Storage } from '../storage/storage.js';
import { indexEntry, type IndexDefinition } from './indexes.js';
import { rangePages } from './range-pages.js';

/** Items per backfill transaction: large enough to amortise a commit, small enough not to stall writers. */
const backfillBatchItems = 256;

/** Fills `index` from every item of the table `tableId`; resolves with the number of items read (`progress`: after each batch). */
export async function backfillIndex(storage: Storage, tableId: string, index: IndexDefinition, stillWanted: () => boolean, progress?: (items: number) => void): Promise<number> {
  let items = 0;
  for await (const batch of rangePages(storage, tableId, {}, backfillBatchItems)) {
    if (!stillWanted()) return items;
    items += batch.length;
    progress?.(items);
    await storage.write(batch.map((entry) => ({ tableId, key: entry.key })), (current) => {
      const derived: DerivedWrite[] = [];
      current.forEach((stored, i) => {
        if (stored === undefined) return;
        const entry = indexEntry(index, (batch[i] as RangeEntry).key, JSON.parse(stored.json) as AttributeMap, stored.json);
        if (entry !== undefined) derived.push({ ref: { tableId: index.id, key: entry.key }, next: entry.item });
      });
      return { writes: [], result: undefined, derived };
    });
  }
  return items;
}
