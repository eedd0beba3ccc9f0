// Retention: DynamoDB keeps stream records 24 hours. Records older than that are deleted (oldest
// first, as they are in counter order) and the trim mark remembers the last one gone, so an iterator
// that points at trimmed data is refused (TrimmedDataAccessException). Shards closed longer ago than
// that stop being listed.
import type { Storage, StoredItem } from '../../storage/storage.js';
import { recordPosition, recordsRange, shardKey, shardsRange, trimKey, type StreamInfo } from './stream-info.js';
import type { ShardStart } from './change-records.js';

/** The last trimmed record's counter (0: none) and the first shard still listed. */
export interface TrimMark {
  readonly n: number;
  readonly k: number;
}

export function parseTrimMark(stored: StoredItem | undefined): TrimMark {
  return stored === undefined ? { n: 0, k: 0 } : (JSON.parse(stored.json) as TrimMark);
}

const trimPageSize = 500;
const createdAtPattern = /"ApproximateCreationDateTime":(\d+)/;

/** Deletes the stream's records (and forgets its shards) older than `horizon` (epoch ms). */
export async function trimStream(storage: Storage, info: StreamInfo, horizon: number): Promise<void> {
  const trimRef = { tableId: info.storageId, key: trimKey, uncounted: true } as const;
  for (;;) {
    const page = await storage.readRange(info.storageId, recordsRange, trimPageSize);
    const old = page.filter((entry) => Number(createdAtPattern.exec(entry.item.json)?.[1] ?? 0) * 1000 < horizon);
    const shardRecords = await storage.readRange(info.storageId, shardsRange, 10_000);
    const starts = shardRecords.map((entry) => ({ k: Buffer.from(entry.key).readUInt32BE(1), start: JSON.parse(entry.item.json) as ShardStart }));
    const listedFrom = parseTrimMark(await storage.getItem(trimRef)).k;
    // Shard k is forgotten once its successor opened (k closed) before the horizon.
    const forgotten = starts.filter((s) => s.start.since < horizon && s.k - 1 >= listedFrom).map((s) => s.k - 1);
    if (old.length === 0 && forgotten.length === 0) return;
    const lastOld = old[old.length - 1];
    await storage.write([trimRef], ([stored]) => {
      const mark = parseTrimMark(stored);
      const n = lastOld === undefined ? mark.n : Math.max(mark.n, recordPosition(lastOld.key).counter);
      const k = Math.max(mark.k, ...forgotten.map((f) => f + 1));
      return {
        writes: [{ json: JSON.stringify({ n, k } satisfies TrimMark), sizeBytes: 0 }],
        derived: [
          ...old.map((entry) => ({ ref: { tableId: info.storageId, key: entry.key, uncounted: true as const }, next: null })),
          ...forgotten.filter((f) => f >= 1).map((f) => ({ ref: { tableId: info.storageId, key: shardKey(f), uncounted: true as const }, next: null })),
        ],
        result: undefined,
      };
    });
    if (old.length < page.length || page.length < trimPageSize) return;
  }
}
