// What this node last saw of the items it wrote: the state each was left in by its last write
// through this node (or found in by that write). A write decides on the items as this node last saw
// them — an item it never saw is guessed absent (a new item) — and sends its writes in the same round
// trip as its locks, applied only if PostgreSQL finds the items still exactly so (postgres-storage.ts).
// Another node's write makes an entry stale; the round trip then writes nothing and brings the items
// back, and the write decides again on them. Correctness never rests on an entry: it is only ever a
// guess that PostgreSQL checks under the items' locks.
import type { StoredItem } from '../storage.js';

/** Entries kept, and the characters of the items they hold; past either, the least recently used goes first. */
const entriesMax = 8192;
const charsMax = 16 * 1024 * 1024;
/** Larger items are not kept (the check sends the whole item back to be compared): a write of one reads it first. */
const itemBytesMax = 64 * 1024;
const large = 'large';

export class LastSeen {
  /** By table and key (hex); null: the item did not exist. Map order is recency of use. */
  private readonly entries = new Map<string, StoredItem | null | typeof large>();
  private chars = 0;

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
    this.drop(key);
    const entry = state === undefined ? null : state.json.length > itemBytesMax ? large : state;
    this.entries.set(key, entry);
    this.chars += charsOf(entry);
    while (this.entries.size > entriesMax || this.chars > charsMax) this.drop(this.entries.keys().next().value as string);
  }

  forget(keys: readonly string[]): void {
    for (const key of keys) this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.chars -= charsOf(entry);
    this.entries.delete(key);
  }
}

function charsOf(entry: StoredItem | null | typeof large): number {
  return entry === null || entry === large ? 0 : entry.json.length;
}
