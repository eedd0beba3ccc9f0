// The index invariant, as a property: after any sequence of puts, updates, deletes and batch writes
// (changing index keys, their types and presence), every index equals the projection of its table —
// on both storage adapters, and on LMDB again after a kill -9 and restart.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand,
  type AttributeValue, type CreateTableCommandInput, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

type Item = Record<string, AttributeValue>;

interface IndexShape {
  readonly name: string;
  readonly hash: string;
  readonly range?: string;
  /** Projected non-key attributes; undefined for ALL. */
  readonly include?: readonly string[];
}

const tableKeys = ['pk', 'sk'];
const indexes: readonly IndexShape[] = [
  { name: 'gKeys', hash: 'gh', range: 'gr', include: [] },
  { name: 'gInclude', hash: 'gh', include: ['a'] },
  { name: 'gAll', hash: 'b', range: 'gr' },
  { name: 'lAll', hash: 'pk', range: 'gr' },
  { name: 'lInclude', hash: 'pk', range: 'b', include: ['gh'] },
];
const types: Record<string, 'S' | 'N'> = { pk: 'S', sk: 'N', gh: 'S', gr: 'N', b: 'N' };

function definition(name: string): CreateTableCommandInput {
  const projection = (i: IndexShape) => (i.include === undefined ? { ProjectionType: 'ALL' as const } : i.include.length === 0 ? { ProjectionType: 'KEYS_ONLY' as const } : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...i.include] });
  const schema = (i: IndexShape) => [{ AttributeName: i.hash, KeyType: 'HASH' as const }, ...(i.range === undefined ? [] : [{ AttributeName: i.range, KeyType: 'RANGE' as const }])];
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
  const out: string[] = [];
  for (const item of items) {
    const keys = [index.hash, index.range].filter((k): k is string => k !== undefined);
    if (!keys.every((k) => { const v = item[k]; return v !== undefined && String(types[k]) in v; })) continue;
    const keep = index.include === undefined ? Object.keys(item) : [...tableKeys, ...keys, ...index.include];
    const projected: Item = {};
    for (const name of keep) if (item[name] !== undefined) projected[name] = item[name] as AttributeValue;
    out.push(canonical(projected));
  }
  return out.sort();
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

async function checkInvariant(db: DynamoDBClient, table: string): Promise<void> {
  const items = await scanAll(db, table);
  for (const index of indexes) {
    const actual = (await scanAll(db, table, index.name)).map(canonical).sort();
    assert.deepEqual(actual, expectedEntries(index, items), `index ${index.name} of ${table}`);
    entriesChecked += actual.length;
  }
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

async function apply(db: DynamoDBClient, table: string, o: Op): Promise<void> {
  try {
    switch (o.kind) {
      case 'put':
        await db.send(new PutItemCommand({ TableName: table, Item: { ...keyOf(o.key), ...o.attrs } }));
        break;
      case 'update': {
        const remove = o.remove.filter((n) => o.set[n] === undefined);
        const setNames = Object.keys(o.set);
        if (setNames.length === 0 && remove.length === 0) return;
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
        if (o.puts.length === 0) return;
        await db.send(new BatchWriteItemCommand({ RequestItems: { [table]: o.puts.map((p) => ({ PutRequest: { Item: { ...keyOf(p.key), ...p.attrs } } })) } }));
        break;
    }
  } catch (error) {
    // Only DynamoDB's refusals of mistyped or empty index keys are expected here.
    if (!(error instanceof Error) || error.name !== 'ValidationException' || !/Index Key|secondary index key/.test(error.message)) throw error;
  }
}

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`index invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it('keeps every index equal to the projection of its table after every write', { timeout: 240_000 }, async () => {
      entriesChecked = 0;
      server = await startServerProcess(adapter === 'memory' ? { args: ['--in-memory'] } : {});
      const db = server.client();
      let run = 0;
      const tables: string[] = [];
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
          const table = `Inv${run++}`;
          tables.push(table);
          await db.send(new CreateTableCommand(definition(table)));
          for (const o of ops) {
            await apply(db, table, o);
            await checkInvariant(db, table);
          }
        }),
        { numRuns: 20, seed: 20261121 },
      );
      assert.ok(entriesChecked > 500, `only ${entriesChecked} index entries were compared`);
      if (adapter === 'lmdb') {
        await server.kill();
        server = await startServerProcess({ dataDir: server.dataDir });
        const again = server.client();
        for (const table of tables) await checkInvariant(again, table);
        console.log(`index invariant: ${tables.length} tables, ${entriesChecked} index entries compared`);
      }
    });
  });
}
