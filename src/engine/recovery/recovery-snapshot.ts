// The items of a table as they were at a moment, read from its recovery log without making a table:
// the changes dated up to the moment (the last of each item) are gathered first, then the base is
// read in key order with each item replaced by its last change, and the items the base lacks follow.
// The log must be pinned and fenced at the moment (pinLog) while it is read. The changes are held in
// memory: as many as the table's writes since the base's moment. Restores and exports both read so.
import type { Storage, StoredItem } from '../../storage/storage.js';
import { rangePages } from '../range-pages.js';
import { baseKey, baseRange, changesAfter, decodeChange, markKey, parseMark } from './recovery-log.js';

/** Items per page read, and per page yielded (a restore writes one page per transaction: fewer, larger commits go faster). */
const readPageItems = 512;

/** One item of the moment: its storage key in the table, and the item. */
export interface ItemAt {
  readonly key: Buffer;
  readonly item: StoredItem;
}

/** Pages of the items the log held at `at`; throws when the log is gone. */
export async function* itemsAt(storage: Storage, logId: string, at: number): AsyncGenerator<ItemAt[]> {
  const stored = await storage.getItem({ tableId: logId, key: markKey });
  if (stored === undefined) throw new Error('the recovery log is gone');
  const latest = new Map<string, { key: Buffer; next: StoredItem | null }>();
  changes: for await (const page of rangePages(storage, logId, changesAfter(parseMark(stored).through), readPageItems)) {
    for (const entry of page) {
      const change = decodeChange(entry.item);
      if (change.t > at) break changes;
      latest.set(change.key.toString('hex'), change);
    }
  }
  for await (const page of rangePages(storage, logId, baseRange, readPageItems)) {
    const out: ItemAt[] = [];
    for (const entry of page) {
      const key = Buffer.from(entry.key.subarray(1));
      const id = key.toString('hex');
      const changed = latest.get(id);
      if (changed === undefined) out.push({ key, item: entry.item });
      else {
        if (changed.next !== null) out.push({ key, item: changed.next });
        latest.delete(id);
      }
    }
    yield out;
  }
  const added: ItemAt[] = [];
  for (const { key, next } of latest.values()) if (next !== null) added.push({ key, item: next });
  for (let i = 0; i < added.length; i += readPageItems) yield added.slice(i, i + readPageItems);
}

/** An item that changed in a period: its state before the period and after it (null: absent), and the date of its last change. */
export interface ItemChange {
  readonly key: Buffer;
  readonly t: number;
  readonly old: StoredItem | null;
  readonly next: StoredItem | null;
}

/**
 * The items changed in [from, to), each once (its writes coalesced), in key order, with its state
 * before `from` (from the log's changes before it, else its base) and its last state before `to`. The
 * log must be pinned and fenced at `to`; the changes since the base are held in memory.
 */
export async function changedBetween(storage: Storage, logId: string, from: number, to: number): Promise<ItemChange[]> {
  const stored = await storage.getItem({ tableId: logId, key: markKey });
  if (stored === undefined) throw new Error('the recovery log is gone');
  const before = new Map<string, StoredItem | null>();
  const during = new Map<string, { key: Buffer; t: number; next: StoredItem | null }>();
  changes: for await (const page of rangePages(storage, logId, changesAfter(parseMark(stored).through), readPageItems)) {
    for (const entry of page) {
      const change = decodeChange(entry.item);
      if (change.t >= to) break changes;
      const id = change.key.toString('hex');
      if (change.t < from) before.set(id, change.next);
      else during.set(id, change);
    }
  }
  const out: ItemChange[] = [];
  for (const [id, change] of during) {
    const old = before.has(id) ? (before.get(id) ?? null) : ((await storage.getItem({ tableId: logId, key: baseKey(change.key) })) ?? null);
    out.push({ key: change.key, t: change.t, old, next: change.next });
  }
  return out.sort((a, b) => Buffer.compare(a.key, b.key));
}
