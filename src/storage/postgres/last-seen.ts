// What this node last saw of the items it wrote: the state each was left in by its last write
// through this node (or found in by that write). A write decides on the items as this node last saw
// them — an item it never saw is guessed absent (a new item) — and sends its writes in the same round
// trip as its locks, applied only if PostgreSQL finds the items still exactly so (postgres-storage.ts).
// Another node's write makes an entry stale; the round trip then writes nothing and brings the items
// back, and the write decides again on them. Correctness never rests on an entry: it is only ever a
// guess that PostgreSQL checks under the items' locks.
import type { StoredItem } from '../storage.js';

/** Entries kept; the least recently used goes first. */
const entriesMax = 8192;
/** Larger items are not kept (the check sends the whole item back to be compared): a write of one reads it first. */
const itemBytesMax = 64 * 1024;
const large = 'large';

export class LastSeen {
  /** By table and key (hex); null: the item did not exist. Map order is recency of use. */
  private readonly entries = new Map<string, StoredItem | null | typeof large>();

  static key(table: Buffer, key: Uint8Array): string {
    return table.toString('hex') + Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
  }

  /** The items as last seen, one never seen (or forgotten) guessed absent; undefined when one is too large to guess. */
  guess(keys: readonly string[]): (StoredItem | undefined)[] | undefined {
    const states: (StoredItem | undefined)[] = [];
    for (const key of keys) {
      const state = this.entries.get(key);
      if (state === large) return undefined;
      states.push(state ?? undefined);
    }
    return states;
  }

  saw(key: string, state: StoredItem | undefined): void {
    this.entries.delete(key);
    this.entries.set(key, state === undefined ? null : state.json.length > itemBytesMax ? large : state);
    if (this.entries.size > entriesMax) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}
