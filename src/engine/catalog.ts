// The tables and streams of one server, as storage's catalog holds them, with a copy in memory for
// reads. Every change of a table's record is one catalog transaction that decides on the record as
// storage has it at that moment (not on a copy read earlier), so concurrent changes of one table —
// a delete and an update, two creates — are ordered by storage and none is lost. Each change bumps
// the catalog's version; the copy in memory takes a change only if it is newer than what it holds.
// Table names are scoped by namespace (a region, or one shared namespace in --shared-db mode).
import type { TableRecord } from '../model/table.js';
import { StorageFailure } from '../errors/storage-failure.js';
import type { CatalogChange, CatalogEntry, CatalogGuard, Storage } from '../storage/storage.js';
import { enabledStream, type StreamInfo } from './streams/stream-info.js';

export const tablePrefix = 'table/';
/** Tables whose items are still being removed after DeleteTable; resumed at start. */
const droppingPrefix = 'dropping/';
/** Streams, open or closed (a closed one stays readable until it ages out), by storage id. */
const streamPrefix = 'stream/';
/** The catalog's version: one more with every change. */
const versionKey = 'version';
/** Per table id, the catalog version of its record: item writes are guarded by it. */
const livePrefix = 'live/';

/** What one change of a table does, decided on its current record. */
export interface TableChange<T> {
  /** The table's next record; null removes it; absent leaves it as it is. */
  readonly record?: TableRecord | null;
  /** Stream entries the change opens or closes (streamTransitions). */
  readonly streams?: readonly StreamInfo[];
  /** Storage ids whose data is to be removed (a deleted table's, its indexes', its collections'). */
  readonly dropping?: readonly string[];
  readonly result: T;
}

export class Catalog {
  private readonly guards = new WeakMap<TableRecord, CatalogGuard>();
  private readonly tables = new Map<string, TableRecord>();
  private readonly streams = new Map<string, StreamInfo>();
  /** The catalog version each table slot and stream was last set at, so an older change never lands after a newer one. */
  private readonly versions = new Map<string, number>();
  /** The newest catalog version this copy has seen. */
  private version = 0;

  constructor(private readonly storage: Storage) {}

  /** Loads every table from `entries` (the store's catalog, read once at start); returns the ids of tables whose data removal must resume. */
  async load(entries: readonly CatalogEntry[]): Promise<string[]> {
    const { tables, streams, dropping, live, version } = this.parse(entries);
    for (const [key, record] of tables) this.tables.set(key, record);
    for (const [id, info] of streams) this.streams.set(id, info);
    this.version = version;
    // Stores from before streams or write guards were catalogued get those entries now.
    const missing = [...this.tables.values()].map(enabledStream).filter((s): s is StreamInfo => s !== undefined && !this.streams.has(s.storageId));
    const unguarded = [...this.tables.values()].filter((t) => !live.has(t.id));
    if (missing.length > 0 || unguarded.length > 0) {
      await this.commit([...missing.map(streamEntry), ...unguarded.map((t) => ({ key: livePrefix + t.id, value: String(t.version ?? 0) }))], { streams: missing });
    }
    return dropping;
  }

  /**
   * Reads the whole catalog again (another process changed it): every table and stream as storage
   * holds it now, those gone removed — each only where this copy holds nothing newer.
   */
  async reload(): Promise<void> {
    const { tables, streams, version } = this.parse(await this.storage.readCatalog());
    for (const key of this.tables.keys()) if (!tables.has(key)) this.setTable(key, null, version);
    for (const [key, record] of tables) this.setTable(key, record, version);
    for (const id of this.streams.keys()) if (!streams.has(id)) this.setStream(id, null, version);
    for (const [id, info] of streams) this.setStream(id, info, version);
  }

  /** Every entry of storage's catalog, by kind: one consistent reading. */
  private parse(entries: readonly CatalogEntry[]): { tables: Map<string, TableRecord>; streams: Map<string, StreamInfo>; dropping: string[]; live: Set<string>; version: number } {
    const out = { tables: new Map<string, TableRecord>(), streams: new Map<string, StreamInfo>(), dropping: [] as string[], live: new Set<string>(), version: 0 };
    for (const { key, value } of entries) {
      if (key.startsWith(tablePrefix)) {
        const record = parseEntry(key, value) as TableRecord;
        out.tables.set(slot(record.namespace, record.TableName), record);
      } else if (key.startsWith(droppingPrefix)) out.dropping.push(key.slice(droppingPrefix.length));
      else if (key.startsWith(streamPrefix)) {
        const info = parseEntry(key, value) as StreamInfo;
        out.streams.set(info.storageId, info);
      } else if (key.startsWith(livePrefix)) out.live.add(key.slice(livePrefix.length));
      else if (key === versionKey) out.version = Number(value);
    }
    return out;
  }

  /** The guard an item write planned on this record carries (see Storage.write). */
  guardOf(table: TableRecord): CatalogGuard {
    // Records are immutable snapshots (a change makes a new one): one guard per record serves every write.
    let guard = this.guards.get(table);
    if (guard === undefined) {
      guard = { key: livePrefix + table.id, value: String(table.version ?? 0) };
      this.guards.set(table, guard);
    }
    return guard;
  }

  /** Reads a table's record from storage again (a write's guard found it changed). */
  async refresh(namespace: string, name: string): Promise<TableRecord | undefined> {
    const key = recordKey(namespace, name);
    const { version, value } = await this.storage.updateCatalog([versionKey, key], ([v, record]) => ({ changes: [], result: { version: Number(v ?? '0'), value: record } }));
    this.setTable(slot(namespace, name), value === undefined ? null : (parseEntry(key, value) as TableRecord), version);
    return this.get(namespace, name);
  }

  /** The newest catalog version this copy has seen: it changes whenever a table's record does. */
  get currentVersion(): number {
    return this.version;
  }

  get(namespace: string, name: string): TableRecord | undefined {
    return this.tables.get(slot(namespace, name));
  }

  /** Table names of a namespace in DynamoDB's ListTables order (ascending by UTF-8 bytes). */
  names(namespace: string): string[] {
    const names: string[] = [];
    for (const record of this.tables.values()) if (record.namespace === namespace) names.push(record.TableName);
    return names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  all(): TableRecord[] {
    return [...this.tables.values()];
  }

  /** Every stream of a namespace, oldest first. */
  streamsOf(namespace: string): StreamInfo[] {
    const out = [...this.streams.values()].filter((s) => s.namespace === namespace);
    return out.sort((a, b) => a.createdAt - b.createdAt || (a.StreamArn < b.StreamArn ? -1 : 1));
  }

  streamByArn(namespace: string, arn: string): StreamInfo | undefined {
    for (const info of this.streams.values()) if (info.StreamArn === arn && info.namespace === namespace) return info;
    return undefined;
  }

  /** A stream by storage id, as last saved (a reader's view of whether it has closed). */
  stream(storageId: string): StreamInfo | undefined {
    return this.streams.get(storageId);
  }

  allStreams(): StreamInfo[] {
    return [...this.streams.values()];
  }

  /**
   * One change of the table `name`, decided on its record as storage holds it, in one catalog
   * transaction with the stream and drop entries it makes. `decide` may throw (a DynamoDB error):
   * then nothing changes.
   */
  async change<T>(namespace: string, name: string, decide: (current: TableRecord | undefined) => TableChange<T>): Promise<T> {
    const key = recordKey(namespace, name);
    const outcome = await this.storage.updateCatalog<{ change: TableChange<T>; record: TableRecord | null | undefined; version: number | undefined }>([versionKey, key], ([version, value]) => {
      const current = value === undefined ? undefined : (parseEntry(key, value) as TableRecord);
      const change = decide(current);
      if (change.record === undefined && (change.streams ?? []).length === 0 && (change.dropping ?? []).length === 0) {
        return { changes: [], result: { change, record: undefined, version: undefined } };
      }
      const next = Number(version ?? '0') + 1;
      const record = change.record === undefined || change.record === null ? change.record : { ...change.record, version: next };
      const changes: CatalogChange[] = [{ key: versionKey, value: String(next) }];
      if (record !== undefined) changes.push({ key, value: record === null ? undefined : JSON.stringify(record) });
      // The write guard follows the table: a new version for a changed record, gone with a removed one.
      if (record !== undefined) changes.push({ key: livePrefix + (record ?? (current as TableRecord)).id, value: record === null ? undefined : String(next) });
      if (record !== undefined && current !== undefined && record !== null && record.id !== current.id) changes.push({ key: livePrefix + current.id, value: undefined });
      changes.push(...(change.streams ?? []).map(streamEntry), ...(change.dropping ?? []).map((id) => ({ key: droppingPrefix + id, value: '1' })));
      return { changes, result: { change, record, version: next } };
    });
    if (outcome.version !== undefined) {
      if (outcome.record !== undefined) this.setTable(slot(namespace, name), outcome.record, outcome.version);
      for (const s of outcome.change.streams ?? []) this.setStream(s.storageId, s, outcome.version);
    }
    return outcome.change.result;
  }

  /** Forgets an aged-out stream and marks its records for removal. */
  async removeStream(info: StreamInfo): Promise<void> {
    await this.commit([{ key: streamPrefix + info.storageId, value: undefined }, { key: droppingPrefix + info.storageId, value: '1' }], { removedStream: info.storageId });
  }

  /** A storage id's data is gone: forget that it was being removed. */
  async dropped(storageId: string): Promise<void> {
    await this.commit([{ key: droppingPrefix + storageId, value: undefined }], {});
  }

  /** Bookkeeping changes outside any table record, as one catalog version. */
  private async commit(changes: readonly CatalogChange[], effect: { streams?: readonly StreamInfo[]; removedStream?: string }): Promise<void> {
    const version = await this.storage.updateCatalog([versionKey], ([current]) => {
      const next = Number(current ?? '0') + 1;
      return { changes: [{ key: versionKey, value: String(next) }, ...changes], result: next };
    });
    for (const s of effect.streams ?? []) this.setStream(s.storageId, s, version);
    if (effect.removedStream !== undefined) this.setStream(effect.removedStream, null, version);
  }

  private setTable(key: string, record: TableRecord | null, version: number): void {
    this.version = Math.max(this.version, version);
    if ((this.versions.get(key) ?? 0) > version) return;
    this.versions.set(key, version);
    if (record === null) this.tables.delete(key);
    else this.tables.set(key, record);
  }

  private setStream(storageId: string, info: StreamInfo | null, version: number): void {
    this.version = Math.max(this.version, version);
    const key = streamPrefix + storageId;
    if ((this.versions.get(key) ?? 0) > version) return;
    this.versions.set(key, version);
    if (info === null) this.streams.delete(storageId);
    else this.streams.set(storageId, info);
  }
}

function parseEntry(key: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new StorageFailure(`the catalog entry ${key} is damaged: restore the data from a backup`);
  }
}

function slot(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

function recordKey(namespace: string, name: string): string {
  return `${tablePrefix}${namespace}/${name}`;
}

function streamEntry(info: StreamInfo): CatalogChange {
  return { key: streamPrefix + info.storageId, value: JSON.stringify(info) };
}
