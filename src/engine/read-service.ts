// Reads of item ranges: a page of a table or of an index (Query, Scan, PartiQL SELECT), with a GSI
// read seeing entries as they were --gsi-propagation-delay-ms ago, and a local index fetching its
// table's items when its entries lack what the read needs; and reads of several items as of one
// instant (TransactGetItems, ExecuteTransaction).
import type { AttributeMap } from '../model/attribute-value.js';
import type { KeyRange, StoredItem } from '../model/stored-item.js';
import type { TableRecord } from '../model/table.js';
import type { ItemRef, Storage } from '../storage/storage.js';
import type { IndexHistory } from './index-history.js';
import type { IndexDefinition } from './indexes.js';
import { keyFromItem } from './item-key.js';
import { readPage, readPageAsOf, type Page } from './read-page.js';

export interface PageRead {
  readonly table: TableRecord;
  /** The index read, if any. */
  readonly index?: IndexDefinition | undefined;
  readonly range: KeyRange;
  /** Items evaluated at most (DynamoDB's Limit); 1 MB of data ends a page in any case. */
  readonly limit: number | undefined;
  /** A local index whose entries lack attributes the read needs: answer with the table's items. */
  readonly fetchTableItems?: boolean;
}

export interface ReadPage extends Page {
  /** The entry LastEvaluatedKey is taken from, when the items were replaced (a local index's table items). */
  readonly lastRead?: StoredItem;
}

export interface ItemAt {
  readonly table: TableRecord;
  readonly key: Buffer;
}

export class ReadService {
  constructor(
    private readonly storage: Storage,
    private readonly history: IndexHistory,
  ) {}

  async page(read: PageRead): Promise<ReadPage> {
    const { table, index } = read;
    const id = index?.id ?? table.id;
    // With simulated GSI lag, a GSI read sees the entries changed within the delay as they were.
    const past = index?.global === true && this.history.delayMs > 0 ? this.history.pastStates(index.id) : undefined;
    const page = past !== undefined && past.size > 0
      ? await readPageAsOf(this.storage, id, read.range, read.limit, past)
      : await readPage(this.storage, id, read.range, read.limit);
    if (index === undefined || read.fetchTableItems !== true) return page;
    const lastRead = page.items[page.items.length - 1];
    // The table's items behind a page of local-index entries (an entry whose item vanished meanwhile is dropped).
    const items = await Promise.all(page.items.map((entry) => this.storage.getItem({ tableId: table.id, key: keyFromItem(table, JSON.parse(entry.json) as AttributeMap) })));
    return { ...page, items: items.filter((item): item is StoredItem => item !== undefined), ...(lastRead === undefined ? {} : { lastRead }) };
  }

  item(at: ItemAt): Promise<StoredItem | undefined> {
    return this.storage.getItem({ tableId: at.table.id, key: at.key });
  }

  /** A record kept beside the items (a transaction's token), as last committed. */
  record(ref: ItemRef): Promise<StoredItem | undefined> {
    return this.storage.getItem(ref);
  }

  /** Several items as of one instant: a storage transaction that writes nothing. */
  snapshot(reads: readonly ItemAt[]): Promise<readonly (StoredItem | undefined)[]> {
    return this.storage.write(reads.map((r) => ({ tableId: r.table.id, key: r.key })), (current) => ({ writes: [], result: current }));
  }
}
