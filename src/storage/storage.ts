// The one narrow interface between the engine and a storage engine. Adapters (memory, lmdb, later
// postgres) implement it without knowing DynamoDB: keys are opaque ordered bytes, items opaque text.

import type { KeyRange, StoredItem } from '../model/stored-item.js';

export type { KeyRange, StoredItem } from '../model/stored-item.js';

/** A catalog entry a write requires to hold this value (see Storage.write). */
export interface CatalogGuard {
  readonly key: string;
  readonly value: string;
}

/**
 * A write that must not wait (a transaction) found one of its first refs held by a write of another
 * process: nothing was written. `index` is that ref's position.
 */
export class ItemBusy extends Error {
  override readonly name = 'ItemBusy';
  constructor(readonly index: number) {
    super(`item ${index} of the write is held by another write`);
  }
}

/** How a write treats items other writes hold. */
export interface WriteOptions {
  /**
   * The first this many refs are not waited for: when a write of another process holds one, the
   * write fails at once with ItemBusy (DynamoDB cancels a transaction that meets another on an item).
   * A store only one process writes never meets a held item.
   */
  readonly failFastRefs?: number;
}

/** A write's guard did not hold: the catalog entry changed since the write was planned. */
export class CatalogConflict extends Error {
  override readonly name = 'CatalogConflict';
  constructor(readonly key: string) {
    super(`catalog entry ${key} changed`);
  }
}

/**
 * Live per-table statistics, maintained in the same transaction as every item write. An adapter
 * shared by several processes keeps them in shards (no single record every write rewrites).
 */
export interface TableStats {
  readonly itemCount: number;
  readonly sizeBytes: number;
}

export interface ItemRef {
  readonly tableId: string;
  readonly key: Uint8Array;
  /**
   * A record the engine keeps for itself (a stream's or a log's record or head, an item's stamp, a
   * checkpoint), whose table's stats nothing reads: an adapter need not count it. Every write of
   * such a table's records says so, its deletes too.
   */
  readonly uncounted?: true;
}

/**
 * What a write decides after seeing the current items: for each ref, `undefined` leaves the item as
 * it is, `null` deletes it, a StoredItem replaces it. `result` is handed back to the caller.
 */
export interface WriteDecision<T> {
  readonly writes: readonly (StoredItem | null | undefined)[];
  readonly result: T;
  /**
   * Writes to items the transaction did not hand to decide: entries derived from the written items
   * (secondary-index entries, whose keys depend on the item). `null` deletes. They commit with the
   * rest, and the adapter keeps their tables' stats from what it finds in place.
   */
  readonly derived?: readonly DerivedWrite[];
}

export interface DerivedWrite {
  readonly ref: ItemRef;
  readonly next: StoredItem | null;
}

/**
 * Pure and synchronous: no I/O, no clock, no side effects, so an adapter may run it again after a
 * conflict. It may throw (e.g. a failed condition); then nothing is written and the error propagates.
 */
export type Decide<T> = (current: readonly (StoredItem | undefined)[]) => WriteDecision<T>;

export interface RangeEntry {
  readonly key: Uint8Array;
  readonly item: StoredItem;
}

export interface CatalogEntry {
  readonly key: string;
  readonly value: string;
}

/** A catalog entry to set (a value) or remove (undefined). */
export interface CatalogChange {
  readonly key: string;
  readonly value: string | undefined;
}

export type DecideCatalog<T> = (current: readonly (string | undefined)[]) => { readonly changes: readonly CatalogChange[]; readonly result: T };

export interface Storage {
  /** Human-readable adapter name and location, for logs. */
  readonly description: string;
  /** No other process opens this store (it is locked to this one, or in memory): leases are this process's. */
  readonly exclusive: boolean;

  /** Every catalog entry (table definitions and bookkeeping). */
  readCatalog(): Promise<CatalogEntry[]>;
  /**
   * Atomically reads the named catalog entries, runs decide, and durably applies the changes it
   * returns: catalog changes are serialised with each other and with item writes. decide is pure,
   * like a write's; when it throws, nothing is written and the error propagates.
   */
  updateCatalog<T>(keys: readonly string[], decide: DecideCatalog<T>): Promise<T>;

  getItem(ref: ItemRef): Promise<StoredItem | undefined>;
  /** Up to `limit` items of a table within a key range, in key order (reverse: descending). */
  readRange(tableId: string, range: KeyRange, limit: number): Promise<RangeEntry[]>;
  /**
   * Atomically reads the referenced items, runs decide, applies its writes and updates the
   * tables' stats. Resolves only once the commit is durable. Each guard is a catalog entry that
   * must hold exactly its value when the write commits (a table's version: the write was planned on
   * the table as it is); otherwise nothing is written and CatalogConflict names the entry.
   */
  write<T>(refs: readonly ItemRef[], decide: Decide<T>, guards?: readonly CatalogGuard[], options?: WriteOptions): Promise<T>;

  tableStats(tableId: string): Promise<TableStats>;
  /**
   * Calls `changed` with the keys of each catalog change another process commits, and with no keys
   * when changes may have been missed (read everything again). Only a store several processes share
   * has it.
   */
  watchCatalog?(changed: (keys: readonly string[]) => void): void;

  /**
   * Tells the other processes sharing the store that a stream (by storage id) has new committed
   * records, so that their readers waiting on it wake; best effort, and announcements may be merged.
   */
  announceCommit?(storageId: string): void;
  /** Calls `heard` with each stream another process announced new records of. */
  watchCommits?(heard: (storageId: string) => void): void;

  /** Removes every item and the stats of a table; may take several transactions. */
  dropTable(tableId: string): Promise<void>;

  /**
   * Resolves when the store answers (a round trip to a database server); rejects with a StorageFailure
   * when it does not. An embedded store is always there and need not have it.
   */
  ping?(): Promise<void>;

  /** Finishes in-flight commits and releases the store. */
  close(): Promise<void>;
}

/** Applies a decision's writes to a stats record; shared by adapters so the arithmetic is one. */
export function nextStats(stats: TableStats, previous: StoredItem | undefined, next: StoredItem | null | undefined): TableStats {
  if (next === undefined) return stats;
  const countDelta = (next === null ? 0 : 1) - (previous === undefined ? 0 : 1);
  const sizeDelta = (next === null ? 0 : next.sizeBytes) - (previous === undefined ? 0 : previous.sizeBytes);
  return { itemCount: stats.itemCount + countDelta, sizeBytes: stats.sizeBytes + sizeDelta };
}

export const emptyStats: TableStats = { itemCount: 0, sizeBytes: 0 };

