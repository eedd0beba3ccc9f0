// The reference adapter: everything in memory, nothing survives the process. Every write runs
// synchronously inside one JS turn, which makes it atomic and serialisable by construction.
import type { CatalogEntry, CatalogGuard, Decide, DecideCatalog, ItemRef, KeyRange, RangeEntry, Storage, StoredItem, TableStats } from '../storage.js';
import { CatalogConflict, emptyStats, nextStats } from '../storage.js';

export class MemoryStorage implements Storage {
  readonly description = 'memory://';
  readonly exclusive = true;
  private readonly catalog = new Map<string, string>();
  /** tableId → (hex key → item). Hex strings order exactly as the bytes they encode. */
  private readonly tables = new Map<string, Map<string, StoredItem>>();
  /** tableId → the table's hex keys, kept sorted for range reads. */
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly stats = new Map<string, TableStats>();
  private closed = false;

  async readCatalog(): Promise<CatalogEntry[]> {
    return [...this.catalog].map(([key, value]) => ({ key, value }));
  }

  async updateCatalog<T>(keys: readonly string[], decide: DecideCatalog<T>): Promise<T> {
    this.assertOpen();
    const { changes, result } = decide(keys.map((key) => this.catalog.get(key)));
    for (const { key, value } of changes) {
      if (value === undefined) this.catalog.delete(key);
      else this.catalog.set(key, value);
    }
    return result;
  }

  async getItem(ref: ItemRef): Promise<StoredItem | undefined> {
    this.assertOpen();
    return this.tables.get(ref.tableId)?.get(Buffer.from(ref.key).toString('hex'));
  }

  async write<T>(refs: readonly ItemRef[], decide: Decide<T>, guards: readonly CatalogGuard[] = []): Promise<T> {
    this.assertOpen();
    for (const guard of guards) if (this.catalog.get(guard.key) !== guard.value) throw new CatalogConflict(guard.key);
    const keys = refs.map((ref) => Buffer.from(ref.key).toString('hex'));
    const current = refs.map((ref, i) => this.tables.get(ref.tableId)?.get(keys[i] as string));
    const decision = decide(current);
    decision.writes.forEach((next, i) => {
      if (next !== undefined) this.apply((refs[i] as ItemRef).tableId, keys[i] as string, current[i], next);
    });
    for (const { ref, next } of decision.derived ?? []) {
      const key = Buffer.from(ref.key).toString('hex');
      this.apply(ref.tableId, key, this.tables.get(ref.tableId)?.get(key), next);
    }
    return decision.result;
  }

  private apply(tableId: string, key: string, previous: StoredItem | undefined, next: StoredItem | null): void {
    let table = this.tables.get(tableId);
    if (table === undefined) {
      table = new Map();
      this.tables.set(tableId, table);
    }
    this.stats.set(tableId, nextStats(this.stats.get(tableId) ?? emptyStats, previous, next));
    const sorted = this.sortedKeys.get(tableId) ?? [];
    this.sortedKeys.set(tableId, sorted);
    const at = lowerBound(sorted, key);
    if (next === null) {
      table.delete(key);
      if (sorted[at] === key) sorted.splice(at, 1);
    } else {
      table.set(key, next);
      if (sorted[at] !== key) sorted.splice(at, 0, key);
    }
  }

  async readRange(tableId: string, range: KeyRange, limit: number): Promise<RangeEntry[]> {
    this.assertOpen();
    const table = this.tables.get(tableId);
    const sorted = this.sortedKeys.get(tableId);
    if (table === undefined || sorted === undefined) return [];
    const from = range.start === undefined ? 0 : lowerBound(sorted, Buffer.from(range.start).toString('hex'));
    const to = range.end === undefined ? sorted.length : lowerBound(sorted, Buffer.from(range.end).toString('hex'));
    const keys = range.reverse === true ? sorted.slice(Math.max(from, to - limit), to).reverse() : sorted.slice(from, Math.min(to, from + limit));
    return keys.map((hex) => ({ key: Buffer.from(hex, 'hex'), item: table.get(hex) as StoredItem }));
  }

  async tableStats(tableId: string): Promise<TableStats> {
    return this.stats.get(tableId) ?? emptyStats;
  }

  async dropTable(tableId: string): Promise<void> {
    this.tables.delete(tableId);
    this.sortedKeys.delete(tableId);
    this.stats.delete(tableId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('storage is closed');
  }
}

/** The first index whose key is not below `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < key) low = mid + 1;
    else high = mid;
  }
  return low;
}
