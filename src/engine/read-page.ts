// One page of a Query or Scan: items read in key order from a range until Limit items were
// evaluated or 1 MB of item data was read, as DynamoDB pages — the limit applies before filtering.
import type { KeyRange, RangeEntry, Storage, StoredItem } from '../storage/storage.js';

/** DynamoDB: a Query or Scan reads at most 1 MB of data per call. */
export const pageBytesMax = 1024 * 1024;
/** Items fetched from storage per round trip while filling a page. */
const readBatchItems = 128;

export interface Page {
  /** Items evaluated (read), in order, as stored: parsed only where a filter or projection needs it. */
  readonly items: readonly StoredItem[];
  /** Total DynamoDB size of the items read, for capacity. */
  readonly bytesRead: number;
  /** The storage key of the last item read when the page stopped early (Limit or 1 MB). */
  readonly lastKey: Uint8Array | undefined;
}

export async function readPage(storage: Storage, tableId: string, range: KeyRange, limit: number | undefined): Promise<Page> {
  const items: StoredItem[] = [];
  let bytesRead = 0;
  let cursor: KeyRange = range;
  for (;;) {
    const wanted = limit === undefined ? readBatchItems : Math.min(readBatchItems, limit - items.length);
    const batch: RangeEntry[] = await storage.readRange(tableId, cursor, wanted);
    for (const entry of batch) {
      items.push(entry.item);
      bytesRead += entry.item.sizeBytes;
      const full = (limit !== undefined && items.length >= limit) || bytesRead >= pageBytesMax;
      if (full) return { items, bytesRead, lastKey: entry.key };
    }
    if (batch.length < wanted) return { items, bytesRead, lastKey: undefined };
    const last = (batch[batch.length - 1] as RangeEntry).key;
    cursor = cursor.reverse === true ? { ...cursor, end: last } : { ...cursor, start: Buffer.concat([last, Uint8Array.of(0)]) };
  }
}
