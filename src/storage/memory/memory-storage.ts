// The reference adapter: everything in memory, nothing survives the process. Every write runs
// synchronously inside one JS turn, which makes it atomic and serialisable by construction.
import type { CatalogEntry, Decide, ItemRef, Storage, StoredItem, TableStats } from '../storage.js';
import { emptyStats, nextStats } from '../storage.js';

export class MemoryStorage implements Storage {
  readonly description = 'memory://';
  private readonly catalog = new Map<string, string>();
  /** tableId → (hex key → item). A sorted structure arrives with range reads (Query/Scan). */
  private readonly tables = new Map<string, Map<string, StoredItem>>();
  private readonly stats = new Map<string, TableStats>();
  private closed = false;

  async readCatalog(): Promise<CatalogEntry[]> {
    return [...this.catalog].map(([key, value]) => ({ key, value }));
  }

  async writeCatalog(changes: readonly { key: string; value: string | undefined }[]): Promise<void> {
    this.assertOpen();
    for (const { key, value } of changes) {
      if (value === undefined) this.catalog.delete(key);
      else this.catalog.set(key, value);
    }
  }

  async getItem(ref: ItemRef): Promise<StoredItem | undefined> {
    this.assertOpen();
    return this.tables.get(ref.tableId)?.get(Buffer.from(ref.key).toString('hex'));
  }

  async write<T>(refs: readonly ItemRef[], decide: Decide<T>): Promise<T> {
    this.assertOpen();
    const keys = refs.map((ref) => Buffer.from(ref.key).toString('hex'));
    const current = refs.map((ref, i) => this.tables.get(ref.tableId)?.get(keys[i] as string));
    const decision = decide(current);
    decision.writes.forEach((next, i) => {
      if (next === undefined) return;
      const ref = refs[i] as ItemRef;
      let table = this.tables.get(ref.tableId);
      if (table === undefined) {
        table = new Map();
        this.tables.set(ref.tableId, table);
      }
      this.stats.set(ref.tableId, nextStats(this.stats.get(ref.tableId) ?? emptyStats, current[i], next));
      if (next === null) table.delete(keys[i] as string);
      else table.set(keys[i] as string, next);
    });
    return decision.result;
  }

  async tableStats(tableId: string): Promise<TableStats> {
    return this.stats.get(tableId) ?? emptyStats;
  }

  async dropTable(tableId: string): Promise<void> {
    this.tables.delete(tableId);
    this.stats.delete(tableId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('storage is closed');
  }
}
