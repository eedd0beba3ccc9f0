// The index invariant, as a property: after any sequence of puts, updates, deletes and batch writes
// (changing index keys, their types and presence), every index — multi-attribute GSI keys among
// them — equals the projection of its table, on both storage adapters, and on LMDB again after a
// kill -9 and restart. With a small item collection limit, a write is refused exactly when it would
// grow a collection (a partition's items and LSI entries) past the limit.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand,
  type AttributeValue, type CreateTableCommandInput, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import type { AttributeMap } from '../../src/model/attribute-value.js';
import { itemSizeBytes } from '../../src/model/item-size.js';

type Item = Record<string, AttributeValue>;

interface IndexShape {
  readonly name: string;
  readonly hash: readonly string[];
  readonly range: readonly string[];
  /** Projected non-key attributes; undefined for ALL. */
  readonly include?: readonly string[];
}

const tableKeys = ['pk', 'sk'];
const indexes: readonly IndexShape[] = [
  { name: 'gKeys', hash: ['gh'], range: ['gr'], include: [] },
  { name: 'gInclude', hash: ['gh'], range: [], include: ['a'] },
  { name: 'gAll', hash: ['b'], range: ['gr'] },
  { name: 'gMulti', hash: ['gh', 'b'], range: ['gr', 'sk'], include: [] },
  { name: 'lAll', hash: ['pk'], range: ['gr'] },
  { name: 'lInclude', hash: ['pk'], range: ['b'], include: ['gh'] },
];
/** Small enough that partitions of a few items reach it. */
const collectionLimit = 160;
const types: Record<string, 'S' | 'N'> = { pk: 'S', sk: 'N', gh: 'S', gr: 'N', b: 'N' };

function definition(name: string): CreateTableCommandInput {
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
function collectionSizes(items: readonly Item[]): Map<string, number> {
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

/** The table an op would leave if applied (the model a collection refusal is checked against). */
function applied(items: readonly Item[], o: Op): Item[] {
  const byKey = new Map(items.map((i) => [`${i['pk']?.S}/${i['sk']?.N}`, i]));
  const id = (k: { pk: string; sk: number }) => `${k.pk}/${k.sk}`;
  switch (o.kind) {
    case 'put':
      byKey.set(id(o.key), { ...keyOf(o.key), ...o.attrs });
      break;
    case 'update': {
      const next: Item = { ...(byKey.get(id(o.key)) ?? keyOf(o.key)), ...o.set };
      for (const name of o.remove) if (o.set[name] === undefined) delete next[name];
      byKey.set(id(o.key), next);
      break;
    }
    case 'delete':
      byKey.delete(id(o.key));
      break;
    case 'batch':
      for (const p of o.puts) byKey.set(id(p.key), { ...keyOf(p.key), ...p.attrs });
      break;
  }
  return [...byKey.values()];
}

/** A write is refused for its item collection exactly when it grows one past the limit. */
function checkCollections(before: readonly Item[], after: readonly Item[], o: Op, refused: boolean): void {
  const sizesBefore = collectionSizes(before);
  const grown = (items: readonly Item[]) => [...collectionSizes(items)].some(([pk, bytes]) => bytes > collectionLimit && bytes > (sizesBefore.get(pk) ?? 0));
  if (refused) {
    assert.deepEqual(after.map(canonical).sort(), before.map(canonical).sort(), 'a refused write changed the table');
    assert.ok(grown(applied(before, o)), `refused without growing a collection past the limit: ${JSON.stringify(o)}`);
    collectionRefusals++;
  } else {
    assert.ok(!grown(after), `a collection grew past the limit: ${JSON.stringify(o)}`);
  }
}

function canonical(item: Item): string {
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

/** Entries compared, over the whole test: proof the property looked at real indexes. */
let entriesChecked = 0;
/** Writes refused for their item collection: proof the limit was reached. */
let collectionRefusals = 0;

async function checkInvariant(db: DynamoDBClient, table: string): Promise<Item[]> {
  const items = await scanAll(db, table);
  for (const index of indexes) {
    const actual = (await scanAll(db, table, index.name)).map(canonical).sort();
    assert.deepEqual(actual, expectedEntries(index, items), `index ${index.name} of ${table}`);
    entriesChecked += actual.length;
  }
  return items;
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

type Op =
  | { kind: 'put'; key: { pk: string; sk: number }; attrs: Item }
  | { kind: 'update'; key: { pk: string; sk: number }; set: Item; remove: string[] }
  | { kind: 'delete'; key: { pk: string; sk: number } }
  | { kind: 'batch'; puts: { key: { pk: string; sk: number }; attrs: Item }[] };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key, attrs: attributes }),
  fc.record({ kind: fc.constant('update' as const), key, set: attributes, remove: fc.subarray(['gh', 'gr', 'b', 'a']) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('batch' as const), puts: fc.uniqueArray(fc.record({ key, attrs: attributes }), { maxLength: 3, selector: (p) => `${p.key.pk}/${p.key.sk}` }) }),
);

const keyOf = (k: { pk: string; sk: number }): Item => ({ pk: { S: k.pk }, sk: { N: String(k.sk) } });

/** Applies an op; true when it was refused for its item collection. */
async function apply(db: DynamoDBClient, table: string, o: Op): Promise<boolean> {
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

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`index invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it('keeps every index equal to the projection of its table after every write', { ...localOnly, timeout: 240_000 }, async () => {
      entriesChecked = 0;
      collectionRefusals = 0;
      const limit = ['--item-collection-size-limit-bytes', String(collectionLimit)];
      server = await startServerProcess({ args: adapter === 'memory' ? ['--in-memory', ...limit] : limit });
      const db = server.client();
      let run = 0;
      const tables: string[] = [];
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
          const table = `Inv${run++}`;
          tables.push(table);
          await db.send(new CreateTableCommand(definition(table)));
          let items: Item[] = [];
          for (const o of ops) {
            const refused = await apply(db, table, o);
            const next = await checkInvariant(db, table);
            checkCollections(items, next, o, refused);
            items = next;
          }
        }),
        { numRuns: 20, seed: 20261121 },
      );
      assert.ok(entriesChecked > 500, `only ${entriesChecked} index entries were compared`);
      assert.ok(collectionRefusals > 5, `only ${collectionRefusals} writes reached the item collection limit`);
      if (adapter === 'lmdb') {
        await server.kill();
        server = await startServerProcess({ dataDir: server.dataDir, args: limit });
        const again = server.client();
        for (const table of tables) await checkInvariant(again, table);
        console.log(`index invariant: ${tables.length} tables, ${entriesChecked} index entries compared, ${collectionRefusals} writes refused for their item collection`);
      }
    });
  });
}
