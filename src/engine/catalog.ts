// The tables of one server, held in memory and written through to storage's catalog. Table names
// are scoped by namespace (a region, or one shared namespace in --shared-db mode).
import type { TableRecord } from '../model/table.js';
import { StorageFailure, type Storage } from '../storage/storage.js';
import { enabledStream, type StreamInfo } from '../streams/stream-info.js';

export const tablePrefix = 'table/';
/** Tables whose items are still being removed after DeleteTable; resumed at start. */
const droppingPrefix = 'dropping/';
/** Streams, open or closed (a closed one stays readable until it ages out), by storage id. */
const streamPrefix = 'stream/';

export class Catalog {
  private readonly tables = new Map<string, TableRecord>();
  private readonly streams = new Map<string, StreamInfo>();

  constructor(private readonly storage: Storage) {}

  /** Loads every table; returns the ids of tables whose data removal must resume. */
  async load(): Promise<string[]> {
    const dropping: string[] = [];
    for (const { key, value } of await this.storage.readCatalog()) {
      if (key.startsWith(tablePrefix)) {
        const record = parseEntry(key, value) as TableRecord;
        this.tables.set(slot(record.namespace, record.TableName), record);
      } else if (key.startsWith(droppingPrefix)) dropping.push(key.slice(droppingPrefix.length));
      else if (key.startsWith(streamPrefix)) {
        const info = parseEntry(key, value) as StreamInfo;
        this.streams.set(info.storageId, info);
      }
    }
    // Tables whose stream predates the stream catalog get their entry now.
    const missing = [...this.tables.values()].map(enabledStream).filter((s): s is StreamInfo => s !== undefined && !this.streams.has(s.storageId));
    if (missing.length > 0) await this.saveStreams(missing);
    return dropping;
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

  /** Saves a table record with the stream changes it makes (streamTransitions), in one catalog transaction. */
  async save(record: TableRecord, streams: readonly StreamInfo[] = []): Promise<void> {
    await this.storage.writeCatalog([{ key: recordKey(record), value: JSON.stringify(record) }, ...streams.map(streamEntry)]);
    this.tables.set(slot(record.namespace, record.TableName), record);
    for (const s of streams) this.streams.set(s.storageId, s);
  }

  /** Removes the definition and marks its data (the table's and its indexes' storage ids) for removal, in one catalog transaction. */
  async remove(record: TableRecord, storageIds: readonly string[], streams: readonly StreamInfo[] = []): Promise<void> {
    await this.storage.writeCatalog([
      { key: recordKey(record), value: undefined },
      ...storageIds.map((id) => ({ key: droppingPrefix + id, value: '1' })),
      ...streams.map(streamEntry),
    ]);
    if (this.tables.get(slot(record.namespace, record.TableName))?.id === record.id) this.tables.delete(slot(record.namespace, record.TableName));
    for (const s of streams) this.streams.set(s.storageId, s);
  }

  async saveStreams(streams: readonly StreamInfo[]): Promise<void> {
    await this.storage.writeCatalog(streams.map(streamEntry));
    for (const s of streams) this.streams.set(s.storageId, s);
  }

  /** Forgets an aged-out stream and marks its records for removal. */
  async removeStream(info: StreamInfo): Promise<void> {
    await this.storage.writeCatalog([{ key: streamPrefix + info.storageId, value: undefined }, { key: droppingPrefix + info.storageId, value: '1' }]);
    this.streams.delete(info.storageId);
  }

  async dropped(tableId: string): Promise<void> {
    await this.storage.writeCatalog([{ key: droppingPrefix + tableId, value: undefined }]);
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

function recordKey(record: TableRecord): string {
  return `${tablePrefix}${record.namespace}/${record.TableName}`;
}

function streamEntry(info: StreamInfo): { key: string; value: string } {
  return { key: streamPrefix + info.storageId, value: JSON.stringify(info) };
}
