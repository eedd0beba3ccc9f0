// Item reads and writes by table name: GetItem, PutItem, UpdateItem, DeleteItem, BatchGetItem and
// BatchWriteItem. Each resolves its table, checks keys and index keys against it, and writes through
// the one write path (item-writer.ts); a write planned on a table that changed meanwhile is planned
// again on the table as it now is. Outcomes are structured: the items, the units each table and
// index consumed, the item collection's size — the API layer shapes them into DynamoDB's replies.
import { ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { UpdateAction } from '../expressions/ast.js';
import type { AttributeMap } from '../model/attribute-value.js';
import { readCapacityUnits } from '../model/capacity-units.js';
import { itemSizeBytes } from '../model/item-size.js';
import type { StoredItem } from '../model/stored-item.js';
import { primaryKey, type TableRecord } from '../model/table.js';
import { CatalogConflict, type Storage } from '../storage/storage.js';
import { checkCondition, parseStored, updatedItem, type WriteCondition } from './item-decisions.js';
import { checkIndexKeys, type IndexKeyWrite, type IndexUnits } from './indexes.js';
import { keyAttributes, keyFromItem, keyFromKeyMap } from './item-key.js';
import type { WriteTarget } from './item-collections.js';
import type { ItemWrite, ItemWriteOutcome, ItemWriter, NextItem, WriteOptions } from './item-writer.js';
import { keyRangeExceeded, type ThrottlingReason } from './capacity-meter.js';
import type { KeyRanges } from './key-ranges.js';
import type { StrongConsistency } from './replication/strong-consistency.js';
import type { TableService } from './table-service.js';

/** DynamoDB: BatchGetItem answers at most 16 MB; the rest comes back as UnprocessedKeys. */
export const batchGetReplyBytesMax = 16 * 1024 * 1024;
/** A write planned on a table that keeps changing is planned again at most this often. */
const replansMax = 5;

/** What a write consumed and made, for the reply's ConsumedCapacity and ItemCollectionMetrics. */
export interface WriteUsage {
  readonly table: TableRecord;
  /** The table's write units; the indexes' are in indexUnits. */
  readonly capacityUnits: number;
  readonly indexUnits: readonly IndexUnits[];
  /** Tables with LSIs: the size of the item's collection after the write. */
  readonly collectionBytes?: number;
}

export interface PutOutcome extends WriteUsage {
  readonly previous: StoredItem | undefined;
}

export interface DeleteOutcome extends WriteUsage {
  readonly previous: StoredItem | undefined;
}

export interface UpdateOutcome extends WriteUsage {
  readonly previous: AttributeMap | undefined;
  /** Undefined when nothing was created (an update that only removes, on a missing item). */
  readonly next: AttributeMap | undefined;
}

export interface GetOutcome {
  readonly table: TableRecord;
  readonly item: StoredItem | undefined;
  readonly capacityUnits: number;
}

export interface BatchGetRequest {
  readonly tableName: string;
  readonly keys: readonly AttributeMap[];
  readonly consistent: boolean;
}

export interface BatchGetOutcome {
  readonly table: TableRecord;
  /** The items found among the keys read, in key order. */
  readonly items: readonly StoredItem[];
  /** Keys left unread (the reply reached 16 MB). */
  readonly unprocessed: readonly AttributeMap[];
  readonly capacityUnits: number;
}

export type BatchWriteRequest = { readonly tableName: string; readonly put: AttributeMap } | { readonly tableName: string; readonly delete: AttributeMap };

export interface BatchWriteOutcome extends WriteUsage {
  /** The item (a put) or key (a delete) written. */
  readonly keyItem: AttributeMap;
}

export class ItemService {
  constructor(
    private readonly tables: TableService,
    private readonly writer: ItemWriter,
    private readonly storage: Storage,
    private readonly target: (table: TableRecord) => WriteTarget,
    private readonly strong: StrongConsistency,
    private readonly keyRanges: KeyRanges,
  ) {}

  async get(region: string, tableName: string, keyMap: AttributeMap, consistent: boolean): Promise<GetOutcome> {
    const table = this.tables.requireUsable(region, tableName);
    const key = keyFromKeyMap(table, keyMap);
    // A hot key's partition throttles before anything is read (--enforce-capacity).
    const watched = this.keyRanges.watched(table);
    if (watched) this.keyRanges.admit(table, key, 'read', keyMap);
    if (consistent && isStrong(table)) await this.strong.read(table, [key]);
    const item = await this.storage.getItem({ tableId: table.id, key });
    const capacityUnits = readCapacityUnits(item?.sizeBytes ?? 0, consistent);
    if (watched) this.keyRanges.done(table, key, 'read', capacityUnits, keyMap);
    return { table, item, capacityUnits };
  }

  /** PutItem: `item` normalised and within the size limit, `sizeBytes` its size. */
  async put(region: string, tableName: string, item: AttributeMap, sizeBytes: number, check?: WriteCondition): Promise<PutOutcome> {
    const stored: StoredItem = { json: JSON.stringify(item), sizeBytes };
    const [outcome, table] = await this.planned(region, tableName, item, (table) => {
      const target = this.target(table);
      const key = keyFromItem(table, item);
      if (target.indexes.length > 0) checkIndexKeys(target.indexes, item);
      return { table, target, key, decide: (previous) => putDecision(stored, item, previous, check, target) };
    });
    return { ...usage(table, outcome), previous: outcome.previous };
  }

  async delete(region: string, tableName: string, keyMap: AttributeMap, check?: WriteCondition): Promise<DeleteOutcome> {
    const [outcome, table] = await this.planned(region, tableName, keyMap, (table) => {
      const target = this.target(table);
      return { table, target, key: keyFromKeyMap(table, keyMap), decide: (previous) => deleteDecision(previous, check, target) };
    });
    return { ...usage(table, outcome), previous: outcome.previous };
  }

  /** UpdateItem: the actions apply to the current item, or to the bare key when there is none (unless they only remove). */
  async update(region: string, tableName: string, keyMap: AttributeMap, actions: readonly UpdateAction[], check?: WriteCondition): Promise<UpdateOutcome> {
    let decided: { previous: AttributeMap | undefined; next: AttributeMap | undefined } | undefined;
    const [outcome, table] = await this.planned(region, tableName, keyMap, (table) => {
      const key = keyFromKeyMap(table, keyMap);
      const schema = primaryKey(table);
      for (const keyName of [schema.hash.name, schema.range?.name]) {
        if (keyName !== undefined && actions.some((a) => a.path[0] === keyName)) throw new ValidationException(messages.updateKeyAttribute(keyName));
      }
      const target = this.target(table);
      const keys = keyAttributes(table, keyMap);
      return {
        table, target, key,
        decide: (stored) => {
          const previous = parseStored(stored);
          checkCondition(check, previous);
          const decision = updatedItem(stored, previous, keys, actions, target.indexes);
          decided = { previous, next: decision.item };
          return decision;
        },
      };
    });
    const { previous, next } = decided as { previous: AttributeMap | undefined; next: AttributeMap | undefined };
    return { ...usage(table, outcome), previous, next };
  }

  /** BatchGetItem: every table and key is checked before anything is read. */
  async batchGet(region: string, requests: readonly BatchGetRequest[]): Promise<BatchGetOutcome[]> {
    const planned = requests.map((r) => {
      const table = this.tables.requireUsable(region, r.tableName);
      return { request: r, table, keys: r.keys.map((k) => keyFromKeyMap(table, k)) };
    });
    for (const { request, table, keys } of planned) if (request.consistent && isStrong(table)) await this.strong.read(table, keys);
    let replyBytes = 0;
    const outcomes: BatchGetOutcome[] = [];
    for (const { request, table, keys } of planned) {
      const items: StoredItem[] = [];
      const unprocessed: AttributeMap[] = [];
      let units = 0;
      for (const [i, key] of keys.entries()) {
        if (replyBytes >= batchGetReplyBytesMax) {
          unprocessed.push(request.keys[i] as AttributeMap);
          continue;
        }
        const keyMap = request.keys[i] as AttributeMap;
        // A key whose partition is spent comes back unprocessed (--enforce-capacity).
        const watched = this.keyRanges.watched(table);
        if (watched && this.keyRanges.spent(table, key, 'read', keyMap).length > 0) {
          unprocessed.push(keyMap);
          continue;
        }
        const item = await this.storage.getItem({ tableId: table.id, key });
        const keyUnits = readCapacityUnits(item?.sizeBytes ?? 0, request.consistent);
        units += keyUnits;
        if (watched) this.keyRanges.done(table, key, 'read', keyUnits, keyMap);
        if (item === undefined) continue;
        replyBytes += item.sizeBytes;
        items.push(item);
      }
      outcomes.push({ table, items, unprocessed, capacityUnits: units });
    }
    return outcomes;
  }

  /** BatchWriteItem: every request checked against its table before any is applied, then all in one transaction. */
  async batchWrite(region: string, requests: readonly BatchWriteRequest[]): Promise<BatchWriteOutcome[]> {
    const tableNames = [...new Set(requests.map((r) => r.tableName))];
    let planned: { table: TableRecord; keyItem: AttributeMap; key: Buffer }[] = [];
    const outcomes = await this.plannedAll(region, tableNames, (tables) => {
      const byName = new Map(tables.map((t) => [t.TableName, t]));
      const seen = new Set<string>();
      planned = [];
      return requests.map((r): ItemWrite => {
        const table = byName.get(r.tableName) as TableRecord;
        const keyItem = 'put' in r ? r.put : r.delete;
        let key: Buffer;
        try {
          key = 'put' in r ? keyFromItem(table, r.put) : keyFromKeyMap(table, r.delete);
        } catch (error) {
          // A put's missing or mistyped key is reported as a key mismatch in batches, as DynamoDB does.
          if (error instanceof ValidationException && /Missing the key|Type mismatch for key/.test(error.message)) throw new ValidationException(messages.keySchemaMismatch);
          throw error;
        }
        const target = this.target(table);
        if ('put' in r && target.indexes.length > 0) checkIndexKeys(target.indexes, r.put);
        const identity = `${table.id}:${key.toString('hex')}`;
        if (seen.has(identity)) throw new ValidationException(messages.duplicateKeys);
        seen.add(identity);
        planned.push({ table, keyItem, key });
        const next: NextItem = 'put' in r ? { next: { json: JSON.stringify(r.put), sizeBytes: itemSizeBytes(r.put) }, item: r.put } : { next: null };
        return { table, target, key, decide: () => next };
      });
    }, tableNames.some((name) => this.keyRanges.watchesIndexes(this.tables.find(region, name))) ? { indexKeys: noCheck } : undefined);
    return outcomes.map((o, i) => {
      const { table, keyItem, key } = planned[i] as { table: TableRecord; keyItem: AttributeMap; key: Buffer };
      if (this.keyRanges.watched(table)) {
        this.keyRanges.done(table, key, 'write', o.capacityUnits, keyItem);
        this.keyRanges.indexDone(table, o.indexKeys);
      }
      return { ...usage(table, o), keyItem };
    });
  }

  /**
   * Which of a batch's writes meet a spent partition (their indexes in `requests`): those come back
   * unprocessed. A put is held to its GSI partitions too; a delete only to the table's (the GSI entries
   * it removes are known once it runs).
   */
  spentWrites(region: string, requests: readonly BatchWriteRequest[]): ReadonlySet<number> {
    const spent = new Set<number>();
    requests.forEach((r, i) => {
      const table = this.tables.find(region, r.tableName);
      if (table === undefined || !this.keyRanges.watched(table)) return;
      const keyItem = 'put' in r ? r.put : r.delete;
      let key: Buffer;
      try {
        key = 'put' in r ? keyFromItem(table, r.put) : keyFromKeyMap(table, r.delete);
      } catch {
        return; // refused as the batch runs
      }
      if (this.keyRanges.spent(table, key, 'write', keyItem).length > 0) spent.add(i);
      else if ('put' in r && this.keyRanges.watchesIndexes(table) && this.keyRanges.putSpent(table, this.target(table).indexes, r.put).length > 0) spent.add(i);
    });
    return spent;
  }

  /**
   * Deletes an item for the service (TTL): only while `check` holds in the delete's own transaction.
   * Resolves to false when the item no longer qualifies (rewritten, gone, or its table changed).
   */
  async deleteAsService(table: TableRecord, item: AttributeMap, check: WriteCondition): Promise<boolean> {
    const target = this.target(table);
    try {
      await this.writer.write([{ table, target, key: keyFromItem(table, item), decide: (previous) => deleteDecision(previous, check, target) }], { principal: 'ttl' });
      return true;
    } catch (error) {
      // Rewritten since it was read (a later expiry, gone), or the table changed: not ours to delete now.
      if (error instanceof CatalogConflict || (error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** One item's write planned on its table (by name), through the writer; planned again when the table changed. */
  private async planned(region: string, tableName: string, keyAttributes: AttributeMap, plan: (table: TableRecord) => ItemWrite): Promise<[ItemWriteOutcome, TableRecord]> {
    let table = this.tables.requireUsable(region, tableName);
    for (let attempt = 1; ; attempt++) {
      const write = plan(table);
      try {
        // A hot key's partition throttles before anything is written (--enforce-capacity), and a hot
        // GSI key's once the entries the write makes are known.
        const watched = this.keyRanges.watched(table);
        if (watched) this.keyRanges.admit(table, write.key, 'write', keyAttributes);
        const options = this.keyRanges.watchesIndexes(table) ? { indexKeys: this.admitIndexKeys(table) } : undefined;
        const outcome = isStrong(table) ? await this.strong.write(table, [write.key], () => this.writer.writeOne(write, options)) : await this.writer.writeOne(write, options);
        if (watched) {
          this.keyRanges.done(table, write.key, 'write', outcome.capacityUnits, keyAttributes);
          this.keyRanges.indexDone(table, outcome.indexKeys);
        }
        return [outcome, table];
      } catch (error) {
        if (!(error instanceof CatalogConflict) || attempt >= replansMax) throw error;
        table = await this.tables.refreshUsable(table);
      }
    }
  }

  /** Refuses a write whose GSI entries go to a spent partition of their index. */
  private admitIndexKeys(table: TableRecord): (keys: readonly (readonly IndexKeyWrite[])[]) => void {
    return (keys) => {
      let reasons: readonly ThrottlingReason[] = [];
      for (const entries of keys) if (reasons.length === 0) reasons = this.keyRanges.indexSpent(table, entries);
      if (reasons.length > 0) throw keyRangeExceeded(table, reasons);
    };
  }

  /** Runs `write` of `writes` once the strongly consistent tables among theirs have a majority of their regions behind it. */
  private strongly<T>(writes: readonly ItemWrite[], write: () => Promise<T>): Promise<T> {
    // Tables in name order: two batches over the same tables mark them in the same order (no deadlock).
    const strong = [...new Set(writes.filter((w) => isStrong(w.table)).map((w) => w.table))].sort((a, b) => (a.TableName < b.TableName ? -1 : 1));
    return strong.reduce<() => Promise<T>>((inner, table) => () => this.strong.write(table, writes.filter((w) => w.table === table).map((w) => w.key), inner), write)();
  }

  /** Plans on the named tables (usable ones, from the catalog's copy) and writes; again on a CatalogConflict. */
  async plannedAll(region: string, tableNames: readonly string[], plan: (tables: readonly TableRecord[]) => readonly ItemWrite[], options?: WriteOptions): Promise<ItemWriteOutcome[]> {
    let tables = tableNames.map((name) => this.tables.requireUsable(region, name));
    for (let attempt = 1; ; attempt++) {
      const writes = plan(tables);
      try {
        return await this.strongly(writes, () => this.writer.write(writes, options));
      } catch (error) {
        if (!(error instanceof CatalogConflict) || attempt >= replansMax) throw error;
        tables = await Promise.all(tables.map((t) => this.tables.refreshUsable(t)));
      }
    }
  }
}

/** A batch's GSI entries are asked for (to charge their partitions) but not checked: its puts were, before it ran. */
function noCheck(): void {}

/** A table with multi-region strong consistency: its writes and strongly consistent reads need a majority of its regions. */
function isStrong(table: TableRecord): boolean {
  return table.replication?.strong === true;
}

function usage(table: TableRecord, outcome: ItemWriteOutcome): WriteUsage {
  return {
    table,
    capacityUnits: outcome.capacityUnits,
    indexUnits: outcome.indexUnits,
    ...(outcome.collectionBytes === undefined ? {} : { collectionBytes: outcome.collectionBytes }),
  };
}

function putDecision(stored: StoredItem, item: AttributeMap, previous: StoredItem | undefined, check: WriteCondition | undefined, target: WriteTarget): NextItem {
  if (check === undefined) return { next: stored, item };
  const before = parseStored(previous);
  checkCondition(check, before);
  return target.indexes.length > 0 ? { next: stored, item, before } : { next: stored, item };
}

/** A delete of a missing item writes nothing and records no change, but is charged a write unit. */
function deleteDecision(previous: StoredItem | undefined, check: WriteCondition | undefined, target: WriteTarget): NextItem {
  if (check === undefined) return { next: null };
  const before = parseStored(previous);
  checkCondition(check, before);
  return target.indexes.length > 0 ? { next: null, before } : { next: null };
}
