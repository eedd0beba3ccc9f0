// `stratusdb check`: reads a whole store and reports what does not hold — an item that cannot be read
// or parsed, one stored under a key that is not its own, a size or count that disagrees with the
// table's statistics, an index entry missing, stale or left over. Read-only.
import type { AttributeMap } from '../model/attribute-value.js';
import { itemSizeBytes } from '../model/item-size.js';
import type { TableRecord } from '../model/table.js';
import type { RangeEntry, Storage } from '../storage/storage.js';
import { indexEntry, tableIndexes } from './indexes.js';
import { keyFromItem } from './item-key.js';
import { tablePrefix } from './catalog.js';

const pageSize = 1000;

export interface TableReport {
  readonly table: string;
  readonly region: string;
  readonly items: number;
  readonly problems: readonly string[];
}

export interface StoreReport {
  readonly tables: readonly TableReport[];
  /** Problems outside any one table (the catalog). */
  readonly problems: readonly string[];
}

export async function verifyStore(storage: Storage): Promise<StoreReport> {
  const problems: string[] = [];
  const tables: TableRecord[] = [];
  for (const { key, value } of await storage.readCatalog()) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (key.startsWith(tablePrefix)) tables.push(parsed as TableRecord);
    } catch {
      problems.push(`catalog entry ${key} cannot be parsed`);
    }
  }
  const reports: TableReport[] = [];
  for (const table of tables) reports.push(await verifyTable(storage, table));
  return { tables: reports, problems };
}

async function verifyTable(storage: Storage, table: TableRecord): Promise<TableReport> {
  const problems: string[] = [];
  const indexes = tableIndexes(table).filter((i) => !i.backfilling);
  /** Per index: the entries its table's items call for, by hex key. */
  const expected = new Map(indexes.map((i) => [i.id, new Map<string, string>()]));
  let items = 0;
  let bytes = 0;
  await eachEntry(storage, table.id, problems, 'item', (entry) => {
    let item: AttributeMap;
    try {
      item = JSON.parse(entry.item.json) as AttributeMap;
    } catch {
      problems.push(`item ${hex(entry.key)} cannot be parsed`);
      return;
    }
    items++;
    bytes += entry.item.sizeBytes;
    try {
      if (!keyFromItem(table, item).equals(entry.key)) problems.push(`item ${hex(entry.key)} is stored under a key that is not its own`);
    } catch (error) {
      problems.push(`item ${hex(entry.key)} has no valid key: ${(error as Error).message}`);
    }
    const size = itemSizeBytes(item);
    if (size !== entry.item.sizeBytes) problems.push(`item ${hex(entry.key)} is ${size} bytes, recorded as ${entry.item.sizeBytes}`);
    for (const index of indexes) {
      const wanted = indexEntry(index, entry.key, item, entry.item.json);
      if (wanted !== undefined) expected.get(index.id)?.set(hex(wanted.key), wanted.item.json);
    }
  });
  const stats = await storage.tableStats(table.id);
  if (stats.itemCount !== items) problems.push(`${items} items found, the table's statistics say ${stats.itemCount}`);
  if (stats.sizeBytes !== bytes) problems.push(`${bytes} bytes of items found, the table's statistics say ${stats.sizeBytes}`);
  for (const index of indexes) {
    const wanted = expected.get(index.id) as Map<string, string>;
    let missing = wanted.size;
    await eachEntry(storage, index.id, problems, `index ${index.name} entry`, (entry) => {
      const key = hex(entry.key);
      const json = wanted.get(key);
      if (json === undefined) problems.push(`index ${index.name} holds entry ${key}, which no item calls for`);
      else {
        missing--;
        if (json !== entry.item.json) problems.push(`index ${index.name} entry ${key} differs from its item's projection`);
      }
    });
    if (missing > 0) problems.push(`index ${index.name} lacks ${missing} of its ${wanted.size} entries`);
  }
  return { table: table.TableName, region: table.namespace, items, problems };
}

/** Every entry of a storage id in key order; a page that cannot be read is reported and ends the walk. */
async function eachEntry(storage: Storage, id: string, problems: string[], what: string, visit: (entry: RangeEntry) => void): Promise<void> {
  let start: Uint8Array | undefined;
  for (;;) {
    let page: RangeEntry[];
    try {
      page = await storage.readRange(id, start === undefined ? {} : { start }, pageSize);
    } catch (error) {
      problems.push(`cannot read past ${what} ${start === undefined ? '(the first)' : hex(start)}: ${(error as Error).message}`);
      return;
    }
    for (const entry of page) visit(entry);
    const last = page[page.length - 1];
    if (last === undefined || page.length < pageSize) return;
    start = Buffer.concat([last.key, Uint8Array.of(0)]);
  }
}

function hex(key: Uint8Array): string {
  return Buffer.from(key).toString('hex');
}
