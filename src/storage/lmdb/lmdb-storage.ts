// The embedded default: LMDB through lmdb-js. Writes run in lmdb-js's batched async transactions
// (group commit: every write of one event turn shares one commit); a write resolves only once it is
// on disk (durable-commits.ts), so an acknowledged write survives kill -9 and power loss, and one the
// disk refuses fails alone with the server still serving.
import { createRequire } from 'node:module';
import type { Database, RootDatabase } from 'lmdb';

/**
 * lmdb-js's single-file CommonJS build loads in ~19 ms against ~33 ms for its ES module graph, and
 * start-up time is a feature (start → first request).
 */
const { open } = createRequire(import.meta.url)('lmdb') as typeof import('lmdb');
import type { CatalogEntry, Decide, ItemRef, KeyRange, RangeEntry, Storage, StoredItem, TableStats } from '../storage.js';
import { emptyStats, nextStats } from '../storage.js';
import { lockPath, type PathLock } from './path-lock.js';
import { DurableCommits } from './durable-commits.js';

/** Keys removed per transaction when a table is dropped, so a huge table never blocks writers long. */
const dropBatchKeys = 1000;
/** lmdb-js's key size limit. */
const lmdbKeyBytesMax = 1978;
/** Bytes of the little-endian item size in front of each stored item's JSON. */
const sizeHeaderBytes = 4;

export class LmdbStorage implements Storage {
  readonly description: string;
  private readonly root: RootDatabase;
  private readonly catalog: Database<string, string>;
  private readonly items: Database<Buffer, Buffer>;
  private readonly prefixes = new Map<string, Buffer>();
  private readonly commits: DurableCommits;

  /** Opens the store at `path`, refusing a directory another StratusDB process has open. */
  static async open(path: string): Promise<LmdbStorage> {
    const lock = await lockPath(path);
    try {
      return new LmdbStorage(path, lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  private constructor(path: string, private readonly lock: PathLock) {
    this.description = `lmdb://${path}`;
    // Without event-turn batching: lmdb-js's batch-start promise would be left to reject unhandled
    // when a commit fails (disk full), and it is not faster (transactions queued while the writer
    // thread is busy still share a commit).
    this.root = open({ path, maxDbs: 8, mapSize: 2 ** 34, eventTurnBatching: false });
    this.commits = new DurableCommits(this.root, path);
    this.catalog = this.root.openDB<string, string>({ name: 'catalog', encoding: 'string' });
    this.items = this.root.openDB<Buffer, Buffer>({ name: 'items', keyEncoding: 'binary', encoding: 'binary' });
  }

  async readCatalog(): Promise<CatalogEntry[]> {
    const entries: CatalogEntry[] = [];
    for (const { key, value } of this.catalog.getRange()) entries.push({ key, value });
    return entries;
  }

  async writeCatalog(changes: readonly { key: string; value: string | undefined }[]): Promise<void> {
    await this.commits.commit(() => this.catalog.transaction(() => {
      for (const { key, value } of changes) {
        if (value === undefined) void this.catalog.remove(key);
        else void this.catalog.put(key, value);
      }
    }));
  }

  async getItem(ref: ItemRef): Promise<StoredItem | undefined> {
    return this.readItem(this.fullKey(ref));
  }

  async write<T>(refs: readonly ItemRef[], decide: Decide<T>): Promise<T> {
    let outcome: { ok: true; result: T; wrote: boolean } | { ok: false; error: unknown } = { ok: false, error: new Error('transaction did not run') };
    await this.commits.committed(() => this.items.transaction(() => {
      const keys = refs.map((ref) => this.fullKey(ref));
      const current = keys.map((key) => this.readItem(key));
      let decision;
      try {
        decision = decide(current);
      } catch (error) {
        outcome = { ok: false, error };
        return;
      }
      // lmdb-js does not roll back the puts a transaction made before a throw, so everything that
      // could throw (a key past LMDB's limit) is checked before the first put.
      const planned: { tableId: string; key: Buffer; previous: StoredItem | undefined; next: StoredItem | null }[] = [];
      decision.writes.forEach((next, i) => {
        if (next !== undefined) planned.push({ tableId: (refs[i] as ItemRef).tableId, key: keys[i] as Buffer, previous: current[i], next });
      });
      for (const { ref, next } of decision.derived ?? []) {
        const key = this.fullKey(ref);
        planned.push({ tableId: ref.tableId, key, previous: key.length > lmdbKeyBytesMax ? undefined : this.readItem(key), next });
      }
      const oversized = planned.find((p) => p.key.length > lmdbKeyBytesMax);
      if (oversized !== undefined) {
        outcome = { ok: false, error: new Error(`storage key of ${oversized.key.length} bytes exceeds LMDB's ${lmdbKeyBytesMax}`) };
        return;
      }
      for (const p of planned) this.apply(p.tableId, p.key, p.previous, p.next);
      outcome = { ok: true, result: decision.result, wrote: planned.length > 0 };
    }));
    const done = outcome as { ok: true; result: T; wrote: boolean } | { ok: false; error: unknown };
    if (!done.ok) throw done.error;
    if (done.wrote) await this.commits.durable();
    return done.result;
  }

  /** Inside a transaction: one item's write and its table's stats. */
  private apply(tableId: string, key: Buffer, previous: StoredItem | undefined, next: StoredItem | null): void {
    if (next === null) void this.items.remove(key);
    else void this.items.put(key, encodeItem(next));
    const statsKey = this.prefix(tableId);
    void this.items.put(statsKey, encodeStats(nextStats(decodeStats(this.items.getBinary(statsKey)), previous, next)));
  }

  async readRange(tableId: string, range: KeyRange, limit: number): Promise<RangeEntry[]> {
    const prefix = this.prefix(tableId);
    // The table's stats entry is the bare prefix, below every item key: it is never returned.
    const low = range.start === undefined ? prefix : Buffer.concat([prefix, range.start]);
    const high = range.end === undefined ? nextPrefix(prefix) : Buffer.concat([prefix, range.end]);
    const out: RangeEntry[] = [];
    if (limit <= 0) return out;
    const entries = range.reverse === true ? this.items.getRange({ start: high, reverse: true }) : this.items.getRange({ start: low, end: high });
    for (const { key, value } of entries) {
      if (range.reverse === true) {
        if (Buffer.compare(key, high) >= 0) continue; // lmdb-js starts reverse reads at `start` inclusive
        if (Buffer.compare(key, low) < 0) break;
      }
      if (key.length === prefix.length) continue;
      out.push({ key: Buffer.from(key.subarray(prefix.length)), item: { sizeBytes: value.readUInt32LE(0), json: value.toString('utf8', sizeHeaderBytes) } });
      if (out.length >= limit) break;
    }
    return out;
  }

  async tableStats(tableId: string): Promise<TableStats> {
    return decodeStats(this.items.getBinary(this.prefix(tableId)));
  }

  async dropTable(tableId: string): Promise<void> {
    const start = this.prefix(tableId);
    const end = nextPrefix(start);
    for (;;) {
      const keys = [...this.items.getKeys({ start, end, limit: dropBatchKeys })];
      if (keys.length === 0) break;
      await this.commits.committed(() => this.items.transaction(() => {
        for (const key of keys) void this.items.remove(key);
      }));
    }
    await this.commits.durable();
    this.prefixes.delete(tableId);
  }

  async close(): Promise<void> {
    await this.commits.durable().catch(() => undefined);
    await this.root.close();
    await this.lock.release();
  }

  private prefix(tableId: string): Buffer {
    let prefix = this.prefixes.get(tableId);
    if (prefix === undefined) {
      prefix = Buffer.from(tableId, 'hex');
      this.prefixes.set(tableId, prefix);
    }
    return prefix;
  }

  private fullKey(ref: ItemRef): Buffer {
    return Buffer.concat([this.prefix(ref.tableId), ref.key]);
  }

  private readItem(key: Buffer): StoredItem | undefined {
    const raw = this.items.getBinaryFast(key);
    if (raw === undefined) return undefined;
    return { sizeBytes: raw.readUInt32LE(0), json: raw.toString('utf8', sizeHeaderBytes) };
  }
}

function encodeItem(item: StoredItem): Buffer {
  const jsonBytes = Buffer.byteLength(item.json, 'utf8');
  const out = Buffer.allocUnsafe(sizeHeaderBytes + jsonBytes);
  out.writeUInt32LE(item.sizeBytes, 0);
  out.write(item.json, sizeHeaderBytes, 'utf8');
  return out;
}

function encodeStats(stats: TableStats): Buffer {
  const out = Buffer.allocUnsafe(16);
  out.writeDoubleLE(stats.itemCount, 0);
  out.writeDoubleLE(stats.sizeBytes, 8);
  return out;
}

function decodeStats(raw: Buffer | undefined): TableStats {
  if (raw === undefined) return emptyStats;
  return { itemCount: raw.readDoubleLE(0), sizeBytes: raw.readDoubleLE(8) };
}

/** The smallest key greater than every key that starts with prefix. */
function nextPrefix(prefix: Buffer): Buffer {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if ((out[i] as number) < 0xff) {
      out[i] = (out[i] as number) + 1;
      return out.subarray(0, i + 1);
    }
  }
  return Buffer.alloc(prefix.length + 1, 0xff);
}
