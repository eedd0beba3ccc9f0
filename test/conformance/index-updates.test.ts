// UpdateTable GlobalSecondaryIndexUpdates through the SDK: a GSI added to a live table is backfilled
// (CREATING with Backfilling, refused to readers, then ACTIVE), writes made during the build land in
// it, a deleted GSI goes through DELETING and disappears, throughput updates apply — with DynamoDB's
// refusals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand, QueryCommand, ScanCommand,
  UpdateTableCommand, type AttributeValue, type DynamoDBClient, type GlobalSecondaryIndexDescription, type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { until } from '../helpers/until.js';

type Item = Record<string, AttributeValue>;

const itemCount = 3000;
const byColour: UpdateTableCommandInput['GlobalSecondaryIndexUpdates'] = [{
  Create: { IndexName: 'byColour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['size'] } },
}];
const colourDefinitions: UpdateTableCommandInput['AttributeDefinitions'] = [{ AttributeName: 'colour', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }];

describe('adding and removing GSIs on a live table', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const index = async (table: string, name: string): Promise<GlobalSecondaryIndexDescription | undefined> =>
    (await db.send(new DescribeTableCommand({ TableName: table }))).Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === name);
  const scanIndex = async (table: string, name: string): Promise<Item[]> => {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: table, IndexName: name, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  };
  const rejects = async (promise: Promise<unknown>, name: string, message: string) =>
    assert.rejects(promise, (error: Error) => {
      assert.equal(error.name, name);
      assert.equal(error.message, message);
      return true;
    });

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Paint', ['id', 'S'])));
    const colours = ['red', 'green', 'blue'];
    for (let i = 0; i < itemCount; i += 25) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { Paint: Array.from({ length: 25 }, (_, j) => {
        const n = i + j;
        // Every tenth item has no colour: the new index is sparse.
        const colour: Item = n % 10 === 0 ? {} : { colour: { S: colours[n % 3] as string } };
        return { PutRequest: { Item: { id: { S: `p${n}` }, n: { N: String(n) }, size: { N: String(n % 7) }, price: { N: '1' }, ...colour } } };
      }) } }));
    }
  });
  after(async () => server.dispose());

  it('backfills a new GSI from the table, keeping writes made during the build', async () => {
    const created = await db.send(new UpdateTableCommand({ TableName: 'Paint', AttributeDefinitions: colourDefinitions, GlobalSecondaryIndexUpdates: byColour }));
    const described = created.TableDescription?.GlobalSecondaryIndexes?.[0];
    assert.deepEqual([described?.IndexName, described?.IndexStatus, described?.Backfilling], ['byColour', 'CREATING', true]);
    assert.deepEqual(created.TableDescription?.AttributeDefinitions?.map((d) => d.AttributeName).sort(), ['colour', 'id', 'n']);
    // Written while the index is being built: a new item, a changed colour, a removed item.
    await db.send(new PutItemCommand({ TableName: 'Paint', Item: { id: { S: 'fresh' }, n: { N: '-1' }, colour: { S: 'red' }, size: { N: '9' } } }));
    await db.send(new PutItemCommand({ TableName: 'Paint', Item: { id: { S: 'p1' }, n: { N: '1' }, colour: { S: 'blue' }, size: { N: '1' } } }));
    await db.send(new DeleteItemCommand({ TableName: 'Paint', Key: { id: { S: 'p2' } } }));
    const during = await index('Paint', 'byColour');
    if (during?.IndexStatus === 'CREATING') {
      await rejects(db.send(new QueryCommand({ TableName: 'Paint', IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } })),
        'ValidationException', 'Cannot read from backfilling global secondary index: byColour');
    }
    await until(async () => (await index('Paint', 'byColour'))?.IndexStatus === 'ACTIVE', 'the index to change state');
    const active = await index('Paint', 'byColour');
    assert.equal(active?.Backfilling, undefined);
    // The index equals the projection of the table.
    const table: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: 'Paint', ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
      table.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    const expected = table.filter((i) => i['colour'] !== undefined).map((i) => JSON.stringify([i['id'], i['colour'], i['n'], i['size']])).sort();
    const entries = (await scanIndex('Paint', 'byColour')).map((i) => JSON.stringify([i['id'], i['colour'], i['n'], i['size']])).sort();
    assert.equal(entries.length, expected.length);
    assert.deepEqual(entries, expected);
    assert.equal(active?.ItemCount, expected.length);
    const red = await db.send(new QueryCommand({ TableName: 'Paint', IndexName: 'byColour', KeyConditionExpression: 'colour = :c AND n < :n', ExpressionAttributeValues: { ':c': { S: 'red' }, ':n': { N: '10' } } }));
    assert.deepEqual(red.Items?.map((i) => i['id']?.S), ['fresh', 'p3', 'p6', 'p9']);
  });

  it('leaves out of a new GSI the items whose values cannot be its key, and builds it all the same', async () => {
    await db.send(new CreateTableCommand(onDemandTable('Odd', ['id', 'S'])));
    const items: Item[] = [
      { id: { S: 'ok' }, g: { S: 'fine' }, r: { B: Buffer.from('r') } },
      { id: { S: 'empty-hash' }, g: { S: '' }, r: { B: Buffer.from('r') } },
      { id: { S: 'empty-range' }, g: { S: 'fine' }, r: { B: new Uint8Array(0) } },
      { id: { S: 'long-hash' }, g: { S: 'h'.repeat(2049) }, r: { B: Buffer.from('r') } },
      { id: { S: 'long-range' }, g: { S: 'fine' }, r: { B: Buffer.alloc(1025, 7) } },
      { id: { S: 'other-type' }, g: { N: '5' }, r: { B: Buffer.from('r') } },
      { id: { S: 'no-range' }, g: { S: 'fine' } },
      { id: { S: 'edge' }, g: { S: 'h'.repeat(2048) }, r: { B: Buffer.alloc(1024, 7) } },
    ];
    for (const Item of items) await db.send(new PutItemCommand({ TableName: 'Odd', Item }));
    await db.send(new UpdateTableCommand({
      TableName: 'Odd', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'r', AttributeType: 'B' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'r', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    await until(async () => (await index('Odd', 'byG'))?.IndexStatus === 'ACTIVE', 'the index to change state');
    assert.deepEqual((await scanIndex('Odd', 'byG')).map((i) => i['id']?.S).sort(), ['edge', 'ok']);
    assert.equal((await index('Odd', 'byG'))?.ItemCount, 2);
  });

  it('refuses GSI updates as DynamoDB does', async () => {
    const create = (name: string) => ({ Create: { IndexName: name, KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const } } });
    const definitions = [{ AttributeName: 'n', AttributeType: 'N' as const }];
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Paint', AttributeDefinitions: colourDefinitions, GlobalSecondaryIndexUpdates: byColour })),
      'ValidationException', 'Attempting to create an index which already exists');
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Paint', GlobalSecondaryIndexUpdates: [create('byN')] })),
      'ValidationException', 'One or more parameter values were invalid: AttributeDefinitions is not specified for index: byN');
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Paint', AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [create('byN'), create('byM')] })),
      'LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Paint', AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [create('byN'), { Delete: { IndexName: 'byN' } }] })),
      'ValidationException', 'One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: byN');
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Paint', GlobalSecondaryIndexUpdates: [{}] })),
      'ValidationException', 'One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null');
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Paint', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byNothing' } }] })),
      'ValidationException', 'Cannot delete an index that is not a GlobalSecondaryIndex: byNothing');
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Paint', AttributeDefinitions: [{ AttributeName: 'other', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [create('byN')] })),
      'ValidationException', 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [n], AttributeDefinitions: [other]');
    assert.deepEqual((await db.send(new DescribeTableCommand({ TableName: 'Paint' }))).Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName), ['byColour']);
  });

  it('deletes a GSI through DELETING, and the name can be used again', async () => {
    const deleted = await db.send(new UpdateTableCommand({ TableName: 'Paint', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColour' } }] }));
    assert.equal(deleted.TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'DELETING');
    await rejects(db.send(new QueryCommand({ TableName: 'Paint', IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } })),
      'ValidationException', 'The table does not have the specified index: byColour');
    await until(async () => (await index('Paint', 'byColour')) === undefined, 'the index to change state');
    await db.send(new UpdateTableCommand({ TableName: 'Paint', AttributeDefinitions: colourDefinitions, GlobalSecondaryIndexUpdates: byColour }));
    await until(async () => (await index('Paint', 'byColour'))?.IndexStatus === 'ACTIVE', 'the index to change state');
    assert.equal((await scanIndex('Paint', 'byColour')).length, (await index('Paint', 'byColour'))?.ItemCount);
  });

  it('updates a GSI\'s throughput on a provisioned table', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'Provisioned', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
    }));
    const updated = await db.send(new UpdateTableCommand({ TableName: 'Provisioned', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 } } }] }));
    const throughput = updated.TableDescription?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput;
    assert.deepEqual([throughput?.ReadCapacityUnits, throughput?.WriteCapacityUnits], [7, 3]);
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Provisioned', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byH', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] })),
      'ValidationException', 'Cannot update an index that is not a GlobalSecondaryIndex: byH');
  });

  it('resumes an interrupted build after a restart', localOnly, async () => {
    await db.send(new UpdateTableCommand({ TableName: 'Paint', AttributeDefinitions: [{ AttributeName: 'size', AttributeType: 'N' }], GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'bySize', KeySchema: [{ AttributeName: 'size', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }] }));
    await server.kill();
    server = await startServerProcess({ dataDir: server.dataDir });
    db = server.client();
    await until(async () => (await index('Paint', 'bySize'))?.IndexStatus === 'ACTIVE', 'the index to change state');
    const entries = await scanIndex('Paint', 'bySize');
    assert.equal(entries.length, itemCount);
    assert.equal((await index('Paint', 'bySize'))?.ItemCount, itemCount);
  });
});
