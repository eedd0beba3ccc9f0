// The items of a table as they were at a moment, read from its recovery log without making a table:
// the changes dated up to the moment (the last of each item) are gathered first, then the base is
// read in key order with each item replaced by its last change, and the items the base lacks follow.
// The log must be pinned and fenced at the moment (pinLog) while it is read. The changes are held in
// memory: as many as the table's writes since the base's moment.
import type { RangeEntry, Storage, StoredItem } from '../../storage/storage.js';
import { baseRange, changesAfter, decodeChange, markKey, parseMark } from './recovery-log.js';

const readPageItems = 512;

/** Pages of the items the log held at `at` (undefined: the log is gone). */
export async function* itemsAt(storage: Storage, logId: string, at: number): AsyncGenerator<StoredItem[]> {
  const stored = await storage.getItem({ tableId: logId, key: markKey });
  if (stored === undefined) throw new Error('the recovery log is gone');
  const mark = parseMark(stored);
  const latest = new Map<string, StoredItem | null>();
  let range = changesAfter(mark.through);
  for (let reached = false; !reached;) {
    const page = await storage.readRange(logId, range, readPageItems);
    for (const entry of page) {
      const change = decodeChange(entry.item);
      if (change.t > at) {
        reached = true;
        break;
      }
      latest.set(change.key.toString('hex'), change.next);
    }
    if (page.length < readPageItems) break;
    range = { start: Buffer.concat([(page[page.length - 1] as RangeEntry).key, Uint8Array.of(0)]), end: range.end };
  }
  let start: Uint8Array = baseRange.start;
  for (;;) {
    const page = await storage.readRange(logId, { start, end: baseRange.end }, readPageItems);
    const out: StoredItem[] = [];
    for (const entry of page) {
      const id = Buffer.from(entry.key.subarray(1)).toString('hex');
      const changed = latest.get(id);
      if (changed === undefined) out.push(entry.item);
      else {
        if (changed !== null) out.push(changed);
        latest.delete(id);
      }
    }
    yield out;
    if (page.length < readPageItems) break;
    start = Buffer.concat([(page[page.length - 1] as RangeEntry).key, Uint8Array.of(0)]);
  }
  const added: StoredItem[] = [];
  for (const item of latest.values()) if (item !== null) added.push(item);
  for (let i = 0; i < added.length; i += readPageItems) yield added.slice(i, i + readPageItems);
}
