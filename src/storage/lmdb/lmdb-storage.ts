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
import type { CatalogEntry, CatalogGuard, Decide, DecideCatalog, ItemRef, KeyRange, RangeEntry, Storage, StoredItem, TableStats } from '../storage.js';
import { StorageFailure } from '../../errors/storage-failure.js';
import { CatalogConflict, emptyStats, nextStats } from '../storage.js';
import { TableIdBytes } from '../table-id-bytes.js';
import { lockPath, type PathLock } from './path-lock.js';
import { DurableCommits } from './durable-commits.js';
import { DamagedItem, decodeStored, encodeItem, intactItem } from './item-encoding.js';
import { checkDataFile, isNewStore, markStore } from './data-file-check.js';

/** Keys removed per transaction when a table is dropped, so a huge table never blocks writers long. */
const dropBatchKeys = 1000;
/** Records each table's statistics are spread over, so no one record takes every write. */
const statsShards = 16;
/** Bytes of the table id in front of every storage key. */
const tableIdBytes = 8;
/** lmdb-js's key size limit. */
const lmdbKeyBytesMax = 1978;

/**
 * The outcome of a transaction whose callback never ran. Made once: an Error takes its stack trace
 * when it is made, which cost microseconds on every write.
 */
const didNotRun: { readonly error: unknown } = { error: new Error('transaction did not run') };

interface PlannedWrite {
  readonly tableId: string;
  readonly key: Buffer;
  readonly previous: StoredItem | undefined;
  readonly next: StoredItem | null;
  readonly uncounted: boolean;
}

interface Planned<T> {
  readonly result: T;
  readonly writes: readonly PlannedWrite[];
}

export class LmdbStorage implements Storage {
  readonly description: string;
  readonly exclusive = true;
  private readonly root: RootDatabase;
  private readonly catalog: Database<string, string>;
  /** Items (and, in stores from before sharded stats, a table's stats at its bare prefix). */
  private readonly items: Database<StoredItem | DamagedItem, Buffer>;
  /** Per-table statistics, in statsShards records each (see statsShard). */
  private readonly stats: Database<Buffer, Buffer>;
  private readonly prefixes = new TableIdBytes();
  private readonly commits: DurableCommits;
  /** Every item carries a checksum (a store created since they exist): one without is damage. */
  private checksums = false;

  /** Opens the store at `path`, refusing a directory another StratusDB process has open. */
  static async open(path: string): Promise<LmdbStorage> {
    const lock = await lockPath(path);
    try {
      checkDataFile(path);
      const created = isNewStore(path);
      const storage = new LmdbStorage(path, lock);
      storage.checksums = markStore(path, created);
      return storage;
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
    // lmdb-js hands a value to the decoder straight from its shared read buffer (a read copies it
    // once, into the item's JSON string) with its size as a second argument in range reads; a point
    // read's buffer has its own `length` property saying how much of it is the value (which Node 24's
    // Buffer methods would not heed, hence the explicit size).
    const itemsOptions = {
      name: 'items',
      keyEncoding: 'binary' as const,
      encoder: {
        encode: (item: StoredItem): Buffer => encodeItem(item),
        decode: (bytes: Uint8Array, size?: unknown): StoredItem | DamagedItem => decodeStored(bytes, typeof size === 'number' ? size : bytes.length, this.checksums),
      },
    };
    this.items = this.root.openDB<StoredItem | DamagedItem, Buffer>(itemsOptions);
    this.stats = this.root.openDB<Buffer, Buffer>({ name: 'stats', keyEncoding: 'binary', encoding: 'binary' });
  }

  async readCatalog(): Promise<CatalogEntry[]> {
    const entries: CatalogEntry[] = [];
    this.reading(() => {
      for (const { key, value } of this.catalog.getRange()) entries.push({ key, value });
    });
    return entries;
  }

  async updateCatalog<T>(keys: readonly string[], decide: DecideCatalog<T>): Promise<T> {
    let outcome: { result: T; changed: boolean } | { error: unknown } = didNotRun;
    await this.commits.committed(() => this.catalog.transaction(() => {
      let decision: ReturnType<DecideCatalog<T>>;
      try {
        decision = decide(keys.map((key) => this.catalog.get(key)));
      } catch (error) {
        outcome = { error };
        return;
      }
      for (const { key, value } of decision.changes) {
        if (value === undefined) void this.catalog.remove(key);
        else void this.catalog.put(key, value);
      }
      outcome = { result: decision.result, changed: decision.changes.length > 0 };
    }));
    const done = outcome as { result: T; changed: boolean } | { error: unknown };
    if ('error' in done) throw done.error;
    if (done.changed) await this.commits.durable();
    return done.result;
  }

  async getItem(ref: ItemRef): Promise<StoredItem | undefined> {
    return this.readItem(this.fullKey(ref));
  }

  async write<T>(refs: readonly ItemRef[], decide: Decide<T>, guards: readonly CatalogGuard[] = []): Promise<T> {
    let outcome: Planned<T> | { error: unknown } = didNotRun;
    await this.commits.committed(() => this.items.transaction(() => {
      // lmdb-js does not roll back the puts a transaction made before a throw, so everything that
      // can throw (a guard, decide, a damaged item, a key past LMDB's limit) happens before the first put.
      try {
        for (const guard of guards) if (this.catalog.get(guard.key) !== guard.value) throw new CatalogConflict(guard.key);
        outcome = this.plan(refs, decide);
      } catch (error) {
        outcome = { error };
        return;
      }
      this.applyAll(outcome.writes);
    }));
    const done = outcome as Planned<T> | { error: unknown };
    if ('error' in done) throw done.error;
    if (done.writes.length > 0) await this.commits.durable();
    return done.result;
  }

  /** Inside a transaction: reads the referenced items, runs decide, and lists the puts it makes. */
  private plan<T>(refs: readonly ItemRef[], decide: Decide<T>): Planned<T> {
    const keys = refs.map((ref) => this.fullKey(ref));
    const current = keys.map((key) => this.readItem(key));
    const decision = decide(current);
    const writes: PlannedWrite[] = [];
    decision.writes.forEach((next, i) => {
      const ref = refs[i] as ItemRef;
      if (next !== undefined) writes.push({ tableId: ref.tableId, key: keys[i] as Buffer, previous: current[i], next, uncounted: ref.uncounted === true });
    });
    for (const { ref, next } of decision.derived ?? []) {
      const key = this.fullKey(ref);
      if (key.length > lmdbKeyBytesMax) throw new Error(`storage key of ${key.length} bytes exceeds LMDB's ${lmdbKeyBytesMax}`);
      // An uncounted record (a stream's, a log's) is put as it is: what it replaces is not needed.
      const uncounted = ref.uncounted === true;
      writes.push({ tableId: ref.tableId, key, previous: uncounted ? undefined : this.readItem(key), next, uncounted });
    }
    const oversized = writes.find((w) => w.key.length > lmdbKeyBytesMax);
    if (oversized !== undefined) throw new Error(`storage key of ${oversized.key.length} bytes exceeds LMDB's ${lmdbKeyBytesMax}`);
    return { result: decision.result, writes };
  }

  /**
   * Inside a transaction: the planned puts and removes, and the stats of their tables (each stats
   * record read and written once however many of the writes count in it; a write that is uncounted
   * or keeps its item's size changes none).
   */
  private applyAll(writes: readonly PlannedWrite[]): void {
    let stats: Map<string, { readonly shard: Buffer; stats: TableStats }> | undefined;
    for (const { tableId, key, previous, next, uncounted } of writes) {
      if (next === null) void this.items.remove(key);
      else void this.items.put(key, next);
      if (uncounted || (next !== null && previous !== undefined && next.sizeBytes === previous.sizeBytes)) continue;
      const shard = this.statsShard(tableId, key);
      const id = shard.toString('latin1');
      stats ??= new Map();
      let entry = stats.get(id);
      if (entry === undefined) {
        entry = { shard, stats: decodeStats(this.stats.getBinary(shard)) };
        stats.set(id, entry);
      }
      entry.stats = nextStats(entry.stats, previous, next);
    }
    if (stats !== undefined) for (const entry of stats.values()) void this.stats.put(entry.shard, encodeStats(entry.stats));
  }

  /** The stats record a write to `key` counts in: one of statsShards per table, by the key's last byte. */
  private statsShard(tableId: string, key: Buffer): Buffer {
    const shard = Buffer.allocUnsafe(tableIdBytes + 1);
    this.prefix(tableId).copy(shard, 0);
    shard[tableIdBytes] = (key[key.length - 1] ?? 0) % statsShards;
    return shard;
  }

  async readRange(tableId: string, range: KeyRange, limit: number): Promise<RangeEntry[]> {
    const prefix = this.prefix(tableId);
    // The table's stats entry is the bare prefix, below every item key: it is never returned.
    const low = range.start === undefined ? prefix : Buffer.concat([prefix, range.start]);
    const high = range.end === undefined ? nextPrefix(prefix) : Buffer.concat([prefix, range.end]);
    const out: RangeEntry[] = [];
    if (limit <= 0) return out;
    const entries = range.reverse === true ? this.items.getRange({ start: high, reverse: true }) : this.items.getRange({ start: low, end: high });
    const iterator = entries[Symbol.iterator]();
    try {
      for (let next = this.reading(() => iterator.next()); next.done !== true; next = this.reading(() => iterator.next())) {
        const { key, value } = next.value;
        if (range.reverse === true) {
          if (Buffer.compare(key, high) >= 0) continue; // lmdb-js starts reverse reads at `start` inclusive
          if (Buffer.compare(key, low) < 0) break;
        }
        if (key.length === prefix.length) continue;
        // lmdb-js reads a binary key into a new buffer of its own: a view of it is ours to keep.
        out.push({ key: key.subarray(prefix.length), item: intactItem(value, () => this.where(key)) });
        if (out.length >= limit) break;
      }
    } finally {
      // A range left before its end keeps its cursor and read transaction until closed: close it now,
      // or a burst of short reads (a restore's pages) fills LMDB's reader table (MDB_READERS_FULL).
      iterator.return?.();
    }
    return out;
  }

  async tableStats(tableId: string): Promise<TableStats> {
    const prefix = this.prefix(tableId);
    return this.reading(() => {
      // Stores written before stats were sharded keep a table's stats as its bare prefix in items.
      let stats = decodeStats(this.items.getBinary(prefix));
      for (const { value } of this.stats.getRange({ start: prefix, end: nextPrefix(prefix) })) {
        const shard = decodeStats(value);
        stats = { itemCount: stats.itemCount + shard.itemCount, sizeBytes: stats.sizeBytes + shard.sizeBytes };
      }
      return stats;
    });
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
    const shards = [...this.stats.getKeys({ start, end })];
    if (shards.length > 0) {
      await this.commits.committed(() => this.stats.transaction(() => {
        for (const key of shards) void this.stats.remove(key);
      }));
    }
    await this.commits.durable();
    this.prefixes.forget(tableId);
  }

  async close(): Promise<void> {
    await this.commits.durable().catch(() => undefined);
    await this.root.close();
    await this.lock.release();
  }

  private prefix(tableId: string): Buffer {
    return this.prefixes.of(tableId);
  }

  private fullKey(ref: ItemRef): Buffer {
    return Buffer.concat([this.prefix(ref.tableId), ref.key]);
  }

  private readItem(key: Buffer): StoredItem | undefined {
    const value = this.reading(() => this.items.get(key));
    return value === undefined ? undefined : intactItem(value, () => this.where(key));
  }

  /** Runs an LMDB read; LMDB's own errors (MDB_CORRUPTED, MDB_PAGE_NOTFOUND, …) become StorageFailures. */
  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('MDB_')) throw new StorageFailure(`read failed on ${this.description}: ${error.message}`);
      throw error;
    }
  }

  /** Where a storage key lives, for reports of damage. */
  private where(key: Buffer): string {
    return `${this.description}, table ${key.subarray(0, tableIdBytes).toString('hex')}, key ${key.subarray(tableIdBytes).toString('hex')}`;
  }
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
