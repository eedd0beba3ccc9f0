// The index workload, shared by the index invariant on one server and on several nodes: a table
// with GSIs and LSIs of every projection (multi-attribute GSI keys among them), writes of every kind
// that change index keys, their types and presence (fast-check arbitraries), and the invariant —
// every index equals the projection of its table.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand,
  type AttributeValue, type CreateTableCommandInput, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '../../src/model/attribute-value.js';
import { itemSizeBytes } from '../../src/model/item-size.js';

export type Item = Record<string, AttributeValue>;

export interface IndexShape {
  readonly name: string;
  readonly hash: readonly string[];
  readonly range: readonly string[];
  /** Projected non-key attributes; undefined for ALL. */
  readonly include?: readonly string[];
}

const tableKeys = ['pk', 'sk'];
export const indexes: readonly IndexShape[] = [
  { name: 'gKeys', hash: ['gh'], range: ['gr'], include: [] },
  { name: 'gInclude', hash: ['gh'], range: [], include: ['a'] },
  { name: 'gAll', hash: ['b'], range: ['gr'] },
  { name: 'gMulti', hash: ['gh', 'b'], range: ['gr', 'sk'], include: [] },
  { name: 'lAll', hash: ['pk'], range: ['gr'] },
  { name: 'lInclude', hash: ['pk'], range: ['b'], include: ['gh'] },
];
/** Small enough that partitions of a few items reach it. */
export const collectionLimit = 160;
const types: Record<string, 'S' | 'N'> = { pk: 'S', sk: 'N', gh: 'S', gr: 'N', b: 'N' };

export function definition(name: string): CreateTableCommandInput {
  const projection = (i: IndexShape) => (i.include === undefined ? { ProjectionType: 'ALL' as const } : i.include.length === 0 ? { ProjectionType: 'KEYS_ONLY' as const } : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...i.include] });
  const schema = (i: IndexShape) => [...i.hash.map((AttributeName) => ({ AttributeName, KeyType: 'HASH' as const })), ...i.range.map((AttributeName) => ({ AttributeName, KeyType: 'RANGE' as const }))];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: Object.entries(types).map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: indexes.filter((i) => i.name.startsWith('g')).map((i) => ({ IndexName: i.name, KeySchema: schema(i), Projection: projection(i) })),
    LocalSecondaryIndexes: indexes.filter((i) => i.name.startsWith('l')).map((i) => ({ IndexName: i.name, KeySchema: schema(i), Projection: projection(i) })),
  };
}

/** What an index must hold for a table's items. */
function expectedEntries(index: IndexShape, items: readonly Item[]): string[] {
  return items.map((item) => indexEntry(index, item)).filter((e): e is Item => e !== undefined).map(canonical).sort();
}

/** An item's entry in an index, or undefined when it lacks one of the index's key attributes. */
function indexEntry(index: IndexShape, item: Item): Item | undefined {
  const keys = [...index.hash, ...index.range];
  if (!keys.every((k) => { const v = item[k]; return v !== undefined && String(types[k]) in v; })) return undefined;
  const keep = index.include === undefined ? Object.keys(item) : [...tableKeys, ...keys, ...index.include];
  const projected: Item = {};
  for (const name of keep) if (item[name] !== undefined) projected[name] = item[name] as AttributeValue;
  return projected;
}

/** Each partition's item collection size: its items and their LSI entries. */
export function collectionSizes(items: readonly Item[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const item of items) {
    let bytes = itemSizeBytes(item as AttributeMap);
    for (const index of indexes.filter((i) => i.name.startsWith('l'))) {
      const entry = indexEntry(index, item);
      if (entry !== undefined) bytes += itemSizeBytes(entry as AttributeMap);
    }
    const pk = String(item['pk']?.S);
    sizes.set(pk, (sizes.get(pk) ?? 0) + bytes);
  }
  return sizes;
}

export function canonical(item: Item): string {
  return JSON.stringify(Object.keys(item).sort().map((k) => [k, item[k]]));
}

async function scanAll(db: DynamoDBClient, table: string, indexName?: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, Limit: 7, ...(indexName === undefined ? { ConsistentRead: true } : { IndexName: indexName }), ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Checks that every index of `table` is the projection of its items; the items, and the index entries compared. */
export async function checkInvariant(db: DynamoDBClient, table: string): Promise<{ items: Item[]; entries: number }> {
  const items = await scanAll(db, table);
  let entries = 0;
  for (const index of indexes) {
    const actual = (await scanAll(db, table, index.name)).map(canonical).sort();
    assert.deepEqual(actual, expectedEntries(index, items), `index ${index.name} of ${table}`);
    entries += actual.length;
  }
  return { items, entries };
}

// Values: mostly well typed, sometimes of the wrong type (refused by DynamoDB, which must change nothing).
const stringValue = fc.oneof(
  { arbitrary: fc.constantFrom<AttributeValue>({ S: 'x' }, { S: 'y' }, { S: 'z' }), weight: 12 },
  { arbitrary: fc.constantFrom<AttributeValue>({ N: '1' }, { S: '' }), weight: 1 },
);
const numberValue = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 3 }).map((n): AttributeValue => ({ N: String(n) })), weight: 12 },
  { arbitrary: fc.constant<AttributeValue>({ S: 'n' }), weight: 1 },
);
const attributes = fc.record({ gh: stringValue, gr: numberValue, b: numberValue, a: fc.constantFrom<AttributeValue>({ S: 'a1' }, { L: [{ N: '1' }] }) }, { requiredKeys: [] });
const key = fc.record({ pk: fc.constantFrom('p0', 'p1'), sk: fc.integer({ min: 0, max: 3 }) });

export type Op =
  | { kind: 'put'; key: { pk: string; sk: number }; attrs: Item }
  | { kind: 'update'; key: { pk: string; sk: number }; set: Item; remove: string[] }
  | { kind: 'delete'; key: { pk: string; sk: number } }
  | { kind: 'batch'; puts: { key: { pk: string; sk: number }; attrs: Item }[] };

export const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key, attrs: attributes }),
  fc.record({ kind: fc.constant('update' as const), key, set: attributes, remove: fc.subarray(['gh', 'gr', 'b', 'a']) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('batch' as const), puts: fc.uniqueArray(fc.record({ key, attrs: attributes }), { maxLength: 3, selector: (p) => `${p.key.pk}/${p.key.sk}` }) }),
);

export const keyOf = (k: { pk: string; sk: number }): Item => ({ pk: { S: k.pk }, sk: { N: String(k.sk) } });

/** Applies an op; true when it was refused for its item collection. */
export async function apply(db: DynamoDBClient, table: string, o: Op): Promise<boolean> {
  try {
    switch (o.kind) {
      case 'put':
        await db.send(new PutItemCommand({ TableName: table, Item: { ...keyOf(o.key), ...o.attrs } }));
        break;
      case 'update': {
        const remove = o.remove.filter((n) => o.set[n] === undefined);
        const setNames = Object.keys(o.set);
        if (setNames.length === 0 && remove.length === 0) return false;
        const names: Record<string, string> = {};
        const values: Item = {};
        const sets = setNames.map((n, i) => {
          names[`#s${i}`] = n;
          values[`:v${i}`] = o.set[n] as AttributeValue;
          return `#s${i} = :v${i}`;
        });
        const removes = remove.map((n, i) => {
          names[`#r${i}`] = n;
          return `#r${i}`;
        });
        const expression = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].join(' ').trim();
        await db.send(new UpdateItemCommand({ TableName: table, Key: keyOf(o.key), UpdateExpression: expression, ExpressionAttributeNames: names, ...(sets.length > 0 ? { ExpressionAttributeValues: values } : {}) }));
        break;
      }
      case 'delete':
        await db.send(new DeleteItemCommand({ TableName: table, Key: keyOf(o.key) }));
        break;
      case 'batch':
        if (o.puts.length === 0) return false;
        await db.send(new BatchWriteItemCommand({ RequestItems: { [table]: o.puts.map((p) => ({ PutRequest: { Item: { ...keyOf(p.key), ...p.attrs } } })) } }));
        break;
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'ItemCollectionSizeLimitExceededException') return true;
    // Otherwise only DynamoDB's refusals of mistyped or empty index keys are expected here.
    if (!(error instanceof Error) || error.name !== 'ValidationException' || !/Index Key|secondary index key/.test(error.message)) throw error;
  }
  return false;
}
