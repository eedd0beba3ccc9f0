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

/** Hex keys order as their bytes; is `hex` inside the range? */
function inRange(hex: string, range: KeyRange): boolean {
  if (range.start !== undefined && hex < Buffer.from(range.start).toString('hex')) return false;
  return range.end === undefined || hex < Buffer.from(range.end).toString('hex');
}

/**
 * A page as it was some time ago: the range as stored now, with entries changed since replaced by
 * their past state (`past`: hex key → entry, or null for none), then Limit and 1 MB applied.
 */
export async function readPageAsOf(storage: Storage, tableId: string, range: KeyRange, limit: number | undefined, past: ReadonlyMap<string, StoredItem | null>): Promise<Page> {
  const reverse = range.reverse === true;
  const entries = new Map<string, StoredItem>();
  let cursor: KeyRange = range;
  let bytes = 0;
  let stoppedAt: string | undefined;
  for (;;) {
    const batch: RangeEntry[] = await storage.readRange(tableId, cursor, readBatchItems);
    for (const entry of batch) {
      const hex = Buffer.from(entry.key).toString('hex');
      entries.set(hex, entry.item);
      bytes += entry.item.sizeBytes;
      if (bytes >= pageBytesMax) {
        stoppedAt = hex;
        break;
      }
    }
    if (stoppedAt !== undefined || batch.length < readBatchItems) break;
    const last = (batch[batch.length - 1] as RangeEntry).key;
    cursor = reverse ? { ...cursor, end: last } : { ...cursor, start: Buffer.concat([last, Uint8Array.of(0)]) };
  }
  for (const [hex, state] of past) {
    if (!inRange(hex, range)) continue;
    if (stoppedAt !== undefined && (reverse ? hex < stoppedAt : hex > stoppedAt)) continue;
    if (state === null) entries.delete(hex);
    else entries.set(hex, state);
  }
  const keys = [...entries.keys()].sort();
  if (reverse) keys.reverse();
  const items: StoredItem[] = [];
  let bytesRead = 0;
  for (const hex of keys) {
    const item = entries.get(hex) as StoredItem;
    items.push(item);
    bytesRead += item.sizeBytes;
    const full = (limit !== undefined && items.length >= limit) || bytesRead >= pageBytesMax;
    // As readPage: a full page names its last key, even when nothing follows.
    if (full) return { items, bytesRead, lastKey: Buffer.from(hex, 'hex') };
  }
  return { items, bytesRead, lastKey: stoppedAt === undefined ? undefined : Buffer.from(stoppedAt, 'hex') };
}
