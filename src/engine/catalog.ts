// The tables of one server, held in memory and written through to storage's catalog. Table names
// are scoped by namespace (a region, or one shared namespace in --shared-db mode).
import type { TableRecord } from '../model/table.js';
import type { Storage } from '../storage/storage.js';

const tablePrefix = 'table/';
/** Tables whose items are still being removed after DeleteTable; resumed at start. */
const droppingPrefix = 'dropping/';

export class Catalog {
  private readonly tables = new Map<string, TableRecord>();

  constructor(private readonly storage: Storage) {}

  /** Loads every table; returns the ids of tables whose data removal must resume. */
  async load(): Promise<string[]> {
    const dropping: string[] = [];
    for (const { key, value } of await this.storage.readCatalog()) {
      if (key.startsWith(tablePrefix)) {
        const record = JSON.parse(value) as TableRecord;
        this.tables.set(slot(record.namespace, record.TableName), record);
      } else if (key.startsWith(droppingPrefix)) dropping.push(key.slice(droppingPrefix.length));
    }
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

  async save(record: TableRecord): Promise<void> {
    await this.storage.writeCatalog([{ key: recordKey(record), value: JSON.stringify(record) }]);
    this.tables.set(slot(record.namespace, record.TableName), record);
  }

  /** Removes the definition and marks its data (the table's and its indexes' storage ids) for removal, in one catalog transaction. */
  async remove(record: TableRecord, storageIds: readonly string[]): Promise<void> {
    await this.storage.writeCatalog([
      { key: recordKey(record), value: undefined },
      ...storageIds.map((id) => ({ key: droppingPrefix + id, value: '1' })),
    ]);
    if (this.tables.get(slot(record.namespace, record.TableName))?.id === record.id) this.tables.delete(slot(record.namespace, record.TableName));
  }

  async dropped(tableId: string): Promise<void> {
    await this.storage.writeCatalog([{ key: droppingPrefix + tableId, value: undefined }]);
  }
}

function slot(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

function recordKey(record: TableRecord): string {
  return `${tablePrefix}${record.namespace}/${record.TableName}`;
}
