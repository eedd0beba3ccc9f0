// Secondary-index maintenance: each index of a table as the engine uses it, the checks an item's
// index key attributes must pass, and the derived writes that keep every index equal to the
// projection of its table — computed from the item before and after a write, inside its transaction.
import { hash } from 'node:crypto';
import { ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { ownValue, setOwn } from '../model/own-properties.js';
import { indexEntryKey, indexPartitionBytes, indexSortKeyFits } from '../model/index-key.js';
import { writeCapacityUnits } from '../model/capacity-units.js';
import { itemSizeBytes } from '../model/item-size.js';
import { keyValueBytes, partitionDigest } from '../model/key-encoding.js';
import { primaryKey, type KeyAttribute, type LocalIndexRecord, type Projection, type TableRecord } from '../model/table.js';
import type { DerivedWrite, StoredItem } from '../storage/storage.js';
import type { IndexEntryChange } from './index-history.js';
import { partitionKeyBytesMax, sortKeyBytesMax } from './item-key.js';

export interface IndexDefinition {
  readonly name: string;
  readonly global: boolean;
  /** Storage identity of the index's entries (16 hex chars, derived from the table's). */
  readonly id: string;
  /** The partition key: one attribute, or up to four for a GSI (multi-attribute keys). */
  readonly hashKeys: readonly KeyAttribute[];
  /** The sort key: none, one attribute, or up to four for a GSI, in key-schema order. */
  readonly rangeKeys: readonly KeyAttribute[];
  /** hashKeys then rangeKeys. */
  readonly keyAttributes: readonly KeyAttribute[];
  readonly projection: Projection;
  /** Attribute names an entry holds, or undefined for ALL. */
  readonly projected: ReadonlySet<string> | undefined;
  /** A GSI still being filled from its table: maintained by writes, not yet readable. */
  readonly backfilling: boolean;
}

/** Per table record: a change to a table's definition saves a new record (see Engine.updateTable). */
const cache = new WeakMap<TableRecord, readonly IndexDefinition[]>();

/** The storage identity of an index: a table's indexes never share one, nor one with a table. */
export function indexStorageId(tableId: string, indexName: string): string {
  return hash('sha256', `${tableId}/index/${indexName}`, 'hex').slice(0, 16);
}

/** Every live index of a table (LSIs first), memoised per table record. */
export function tableIndexes(table: TableRecord): readonly IndexDefinition[] {
  const lsis = table.LocalSecondaryIndexes;
  const gsis = table.GlobalSecondaryIndexes;
  if (lsis.length === 0 && gsis.length === 0) return [];
  const cached = cache.get(table);
  if (cached !== undefined) return cached;
  const key = primaryKey(table);
  const define = (index: LocalIndexRecord & { Backfilling?: boolean }, global: boolean): IndexDefinition => {
    const attribute = (name: string): KeyAttribute => {
      const def = table.AttributeDefinitions.find((d) => d.AttributeName === name);
      if (def === undefined) throw new Error(`index key attribute ${name} has no definition`);
      return { name, type: def.AttributeType };
    };
    const hashKeys = index.KeySchema.filter((k) => k.KeyType === 'HASH').map((k) => attribute(k.AttributeName));
    const rangeKeys = index.KeySchema.filter((k) => k.KeyType === 'RANGE').map((k) => attribute(k.AttributeName));
    const keys = [key.hash.name, key.range?.name, ...hashKeys.map((k) => k.name), ...rangeKeys.map((k) => k.name)].filter((n): n is string => n !== undefined);
    const projected = index.Projection.ProjectionType === 'ALL' ? undefined
      : new Set([...keys, ...(index.Projection.ProjectionType === 'INCLUDE' ? index.Projection.NonKeyAttributes ?? [] : [])]);
    return {
      name: index.IndexName, global, id: indexStorageId(table.id, index.IndexName), hashKeys, rangeKeys, keyAttributes: [...hashKeys, ...rangeKeys],
      projection: index.Projection, projected, backfilling: index.Backfilling === true,
    };
  };
  // A GSI being deleted is no longer maintained (its entries are being removed).
  const live = gsis.filter((i) => i.IndexStatus !== 'DELETING');
  const definitions = [...lsis.map((i) => define(i, false)), ...live.map((i) => define(i, true))];
  cache.set(table, definitions);
  return definitions;
}

export function findIndex(table: TableRecord, name: string): IndexDefinition | undefined {
  return tableIndexes(table).find((i) => i.name === name);
}

/**
 * An item's index key attributes, where present, must have the declared type and not be empty.
 * `update` selects UpdateItem's wording for a mistyped value.
 */
export function checkIndexKeys(indexes: readonly IndexDefinition[], item: AttributeMap, update = false): void {
  for (const index of indexes) {
    const sortParts: Buffer[] = [];
    for (const attribute of index.keyAttributes) {
      const value = ownValue(item, attribute.name);
      if (value === undefined) continue;
      if (!(attribute.type in value)) {
        if (update) throw new ValidationException(messages.updateIndexKeyType);
        throw new ValidationException(messages.indexKeyTypeMismatch(attribute.name, attribute.type, Object.keys(value)[0] ?? '', index.name));
      }
      const isRange = index.rangeKeys.includes(attribute);
      if (attribute.type === 'N') {
        if (isRange && index.rangeKeys.length > 1) sortParts.push(keyValueBytes('N', value));
        continue;
      }
      const bytes = keyValueBytes(attribute.type, value);
      if (bytes.length === 0) throw new ValidationException(messages.emptyIndexKey(index.name, attribute.name, attribute.type === 'S' ? 'string' : 'binary'));
      if (!isRange && bytes.length > partitionKeyBytesMax) throw new ValidationException(messages.hashKeyTooLarge);
      if (isRange && bytes.length > sortKeyBytesMax) throw new ValidationException(messages.rangeKeyTooLarge);
      if (isRange) sortParts.push(bytes);
    }
    // The sort key attributes together must fit one storage key (see docs/compatibility.md).
    if (sortParts.length > 0 && sortParts.length === index.rangeKeys.length && !indexSortKeyFits(sortParts)) {
      throw new ValidationException(messages.rangeKeyTooLarge);
    }
  }
}

/** The bytes of each attribute, or undefined when one is missing or of another type (not in the index). */
export function keyParts(attributes: readonly KeyAttribute[], item: AttributeMap): Buffer[] | undefined {
  const parts: Buffer[] = [];
  for (const attribute of attributes) {
    const value = ownValue(item, attribute.name);
    if (value === undefined || !(attribute.type in value)) return undefined;
    parts.push(keyValueBytes(attribute.type, value));
  }
  return parts;
}

/**
 * Where an item's entry in a GSI would go: a key holding the digest of its index partition key (what
 * places it in one of the index's partitions), or undefined when the item has no entry there.
 */
export function indexPartitionKey(index: IndexDefinition, item: AttributeMap): Buffer | undefined {
  const hashParts = keyParts(index.hashKeys, item);
  return hashParts === undefined ? undefined : partitionDigest(indexPartitionBytes(hashParts));
}

interface Entry {
  readonly key: Buffer;
  readonly item: StoredItem;
}

/**
 * The entry an item has in an index, or undefined when it has none: it lacks the index key (a
 * sparse index), or its values cannot be one — empty, or past the key size limits — which writes
 * refuse, but an item written before a GSI was added may hold (DynamoDB leaves it out).
 */
export function indexEntry(index: IndexDefinition, tableKey: Uint8Array, item: AttributeMap, json: string | undefined): Entry | undefined {
  const hashParts = keyParts(index.hashKeys, item);
  if (hashParts === undefined) return undefined;
  const sortParts = keyParts(index.rangeKeys, item);
  if (sortParts === undefined) return undefined;
  if (hashParts.some((p) => p.length === 0 || p.length > partitionKeyBytesMax) || sortParts.some((p) => p.length === 0 || p.length > sortKeyBytesMax)) return undefined;
  if (sortParts.length > 1 && !indexSortKeyFits(sortParts)) return undefined;
  const key = indexEntryKey(indexPartitionBytes(hashParts), sortParts, tableKey);
  if (index.projected === undefined) return { key, item: { json: json ?? JSON.stringify(item), sizeBytes: itemSizeBytes(item) } };
  const projected: Record<string, AttributeValue> = {};
  for (const name in item) if (index.projected.has(name)) setOwn(projected, name, item[name] as AttributeValue);
  return { key, item: { json: JSON.stringify(projected), sizeBytes: itemSizeBytes(projected) } };
}

/** Write capacity one write consumed on one index. */
export interface IndexUnits {
  readonly name: string;
  readonly global: boolean;
  readonly units: number;
}

/** A GSI entry a write put or removed: its index, its key (which begins with the index partition's digest), the units it cost, the item it is (or was) of. */
export interface IndexKeyWrite {
  readonly index: IndexDefinition;
  readonly key: Buffer;
  readonly units: number;
  readonly item: AttributeMap;
}

export interface IndexChanges {
  readonly writes: DerivedWrite[];
  /** Only the indexes written: an index the write did not touch consumes nothing. */
  readonly units: IndexUnits[];
  /** The GSI entries changed, with their previous state (for simulated propagation lag). */
  readonly history: IndexEntryChange[];
  /** How many bytes the item's LSI entries grew by (negative: shrank), for its item collection. */
  readonly localBytes: number;
}

/**
 * The index writes that take every index from `previous` to `next` (either may be absent), and the
 * write capacity each costs as DynamoDB counts it: an entry that moved is a delete plus a put (two
 * writes); a changed projection under the same key one write of the larger entry; an entry that did
 * not change is not rewritten and costs nothing. `keys`, when given, is told each GSI entry written
 * (for its partition's capacity and Contributor Insights).
 */
export function indexWrites(
  indexes: readonly IndexDefinition[], tableKey: Uint8Array,
  previous: AttributeMap | undefined, next: AttributeMap | undefined, nextJson?: string, previousJson?: string, keys?: IndexKeyWrite[],
): IndexChanges {
  const writes: DerivedWrite[] = [];
  const units: IndexUnits[] = [];
  const history: IndexEntryChange[] = [];
  let localBytes = 0;
  for (const index of indexes) {
    const before = previous === undefined ? undefined : indexEntry(index, tableKey, previous, previousJson);
    const after = next === undefined ? undefined : indexEntry(index, tableKey, next, nextJson);
    if (!index.global) localBytes += (after?.item.sizeBytes ?? 0) - (before?.item.sizeBytes ?? 0);
    const moved = before !== undefined && after !== undefined && !before.key.equals(after.key);
    let cost = 0;
    if (before !== undefined && (after === undefined || moved)) {
      writes.push({ ref: { tableId: index.id, key: before.key }, next: null });
      const units = writeCapacityUnits(before.item.sizeBytes, 0);
      cost += units;
      if (index.global) history.push({ indexId: index.id, key: before.key, before: before.item });
      if (index.global && keys !== undefined) keys.push({ index, key: before.key, units, item: previous as AttributeMap });
    }
    if (after !== undefined && (before === undefined || moved || before.item.json !== after.item.json)) {
      writes.push({ ref: { tableId: index.id, key: after.key }, next: after.item });
      const units = writeCapacityUnits(moved || before === undefined ? 0 : before.item.sizeBytes, after.item.sizeBytes);
      cost += units;
      if (index.global) history.push({ indexId: index.id, key: after.key, before: moved || before === undefined ? null : before.item });
      if (index.global && keys !== undefined) keys.push({ index, key: after.key, units, item: next as AttributeMap });
    }
    if (cost > 0) units.push({ name: index.name, global: index.global, units: cost });
  }
  return { writes, units, history, localBytes };
}
