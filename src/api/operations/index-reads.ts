// What Query and Scan share when they read a secondary index (IndexName): finding the index and
// its consistency rule, the starting key (the index's and the table's key attributes), the
// LastEvaluatedKey of an entry, whether a local index must fetch the table's items, and the page.
import { findIndex, keyParts, type IndexDefinition } from '../../engine/indexes.js';
import { keyAttributes, keyFromKeyMap } from '../../engine/item-key.js';
import type { Engine } from '../../engine/engine.js';
import type { Condition, Path } from '../../expressions/ast.js';
import { conditionPaths } from '../../expressions/condition-paths.js';
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import { indexEntryKey, indexPartitionBytes } from '../../model/index-key.js';
import { keyValueBytes } from '../../model/key-encoding.js';
import { primaryKey, type TableRecord } from '../../model/table.js';
import type { KeyRange } from '../../model/stored-item.js';
import type { OperationResult } from '../operation.js';
import type { ReturnConsumedCapacity } from './consumed-capacity.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { readResults, type Select } from './read-results.js';
import { ownValue, setOwn } from '../../model/own-properties.js';

/** The index a read names, checked as DynamoDB checks it first: it exists, and a GSI is not read consistently. */
export function readIndex(table: TableRecord, indexName: string | undefined, consistent: boolean | undefined): IndexDefinition | undefined {
  if (indexName === undefined) return undefined;
  const index = findIndex(table, indexName);
  if (index === undefined) throw new ValidationException(messages.noSuchIndex(indexName));
  if (index.global && consistent === true) throw new ValidationException(messages.consistentReadOnGsi);
  if (index.backfilling) throw new ValidationException(messages.backfillingIndex(index.name));
  return index;
}

/** Every key attribute a starting key on an index carries: the table's and the index's. */
export function indexStartKeyNames(table: TableRecord, index: IndexDefinition): string[] {
  const base = primaryKey(table);
  const names = [base.hash.name, base.range?.name, ...index.keyAttributes.map((k) => k.name)].filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}

/** The table's part of a starting key on an index, validated as a table key. */
export function tableStartKey(table: TableRecord, startKey: AttributeMap): Buffer {
  const base = primaryKey(table);
  const own: Record<string, AttributeValue> = {};
  for (const attribute of [base.hash, base.range]) {
    const value = attribute === undefined ? undefined : ownValue(startKey, attribute.name);
    if (attribute !== undefined && value !== undefined) setOwn(own, attribute.name, value);
  }
  try {
    return keyFromKeyMap(table, own);
  } catch (error) {
    if (error instanceof ValidationException) throw new ValidationException(messages.invalidStartKey(error.message));
    throw error;
  }
}

/** The storage key of the entry a starting key names in an index. */
export function indexStartStorageKey(table: TableRecord, index: IndexDefinition, startKey: AttributeMap): Buffer {
  const tableKey = tableStartKey(table, startKey);
  const hashParts = keyParts(index.hashKeys, startKey) as Buffer[];
  return indexEntryKey(indexPartitionBytes(hashParts), keyParts(index.rangeKeys, startKey) as Buffer[], tableKey);
}

/** Checks each key attribute of an index in a starting key: present, of the declared type, not empty. */
export function checkIndexStartKey(table: TableRecord, index: IndexDefinition, startKey: AttributeMap): void {
  if (Object.keys(startKey).length !== indexStartKeyNames(table, index).length) throw new ValidationException(messages.invalidStartKey());
  for (const attribute of index.keyAttributes) {
    const value = ownValue(startKey, attribute.name);
    if (value === undefined) throw new ValidationException(messages.invalidStartKey());
    if (!(attribute.type in value)) throw new ValidationException(messages.keySchemaMismatch);
    if (attribute.type !== 'N' && keyValueBytes(attribute.type, value).length === 0) {
      throw new ValidationException(messages.emptyKeyInKey(attribute.name, attribute.type === 'S' ? 'string' : 'binary'));
    }
  }
}

/** LastEvaluatedKey of an index entry: the table's key and the index's key attributes. */
export function indexEntryKeyAttributes(table: TableRecord, index: IndexDefinition, item: AttributeMap): AttributeMap {
  const out: Record<string, AttributeValue> = { ...keyAttributes(table, item) };
  for (const attribute of index.keyAttributes) setOwn(out, attribute.name, ownValue(item, attribute.name) as AttributeValue);
  return out;
}

/** A GSI that does not project everything cannot answer Select ALL_ATTRIBUTES. */
export function checkSelectOnIndex(index: IndexDefinition, select: Select | undefined): void {
  if (index.global && select === 'ALL_ATTRIBUTES' && index.projected !== undefined) throw new ValidationException(messages.allAttributesOnGsi(index.name));
}

/**
 * Whether a local index must fetch the table's items: its entries lack attributes the read asks for
 * (ALL_ATTRIBUTES, or a projection or filter naming an attribute the index does not hold).
 */
export function fetchesTableItems(index: IndexDefinition, select: Select | undefined, projection: readonly Path[] | undefined, filter: Condition | undefined): boolean {
  const projected = index.projected;
  if (index.global || projected === undefined) return false;
  if (select === 'ALL_ATTRIBUTES') return true;
  const missing = (paths: readonly Path[]): boolean => paths.some((p) => !projected.has(String(p[0])));
  return (projection !== undefined && missing(projection)) || (filter !== undefined && missing(conditionPaths(filter)));
}

export interface PageRequest {
  readonly range: KeyRange;
  readonly limit: number | undefined;
  readonly filter: Condition | undefined;
  readonly projection: readonly Path[] | undefined;
  readonly select: Select | undefined;
  readonly consistent: boolean;
  readonly returnConsumedCapacity: ReturnConsumedCapacity | undefined;
}

/** Reads one page of a table or an index (fetching a local index's table items when needed) and builds the reply. */
export async function readAndReply(engine: Engine, table: TableRecord, index: IndexDefinition | undefined, request: PageRequest): Promise<OperationResult> {
  const fetchTableItems = index !== undefined && fetchesTableItems(index, request.select, request.projection, request.filter);
  // A strongly consistent read of a table with multi-region strong consistency sees what a majority of its regions has.
  if (request.consistent && table.replication?.strong === true) await engine.strong.barrier(table);
  const page = await engine.reads.page({ table, index, range: request.range, limit: request.limit, fetchTableItems });
  return readResults(table, page, {
    filter: request.filter,
    projection: request.projection,
    select: request.select,
    consistent: request.consistent,
    returnConsumedCapacity: request.returnConsumedCapacity,
    ...(index === undefined ? {} : { index, keyOf: (item: AttributeMap) => indexEntryKeyAttributes(table, index, item) }),
    ...(page.lastRead === undefined ? {} : { lastRead: page.lastRead }),
  });
}
