// Item collections of tables with local secondary indexes: ReturnItemCollectionMetrics reports the
// collection a write touched, and a collection may not grow past its limit (10 GB on AWS; a small
// limit here through --item-collection-size-limit-bytes). The size is kept in the write's own
// transaction, so it is exact after any mix of writes and after a restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';

const createOrders = (db: DynamoDBClient, lsi = true) => db.send(new CreateTableCommand({
  TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' as const }, { AttributeName: 'order', AttributeType: 'S' as const }, { AttributeName: 'placed', AttributeType: 'S' as const }].slice(0, lsi ? 3 : 2),
  KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'order', KeyType: 'RANGE' }],
  ...(lsi ? { LocalSecondaryIndexes: [{ IndexName: 'byPlaced', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }] } : {}),
}));
const order = (customer: string, id: string, data = 'x'): Record<string, AttributeValue> =>
  ({ customer: { S: customer }, order: { S: id }, placed: { S: `2026-11-${id}` }, data: { S: data } });
const small = { ItemCollectionKey: { customer: { S: 'c1' } }, SizeEstimateRangeGB: [0, 1] };

describe('ReturnItemCollectionMetrics', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await createOrders(db);
  });
  after(async () => server.dispose());

  it('reports the collection of a PutItem, UpdateItem and DeleteItem asked with SIZE', async () => {
    const put = await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '01'), ReturnItemCollectionMetrics: 'SIZE' }));
    assert.deepEqual(put.ItemCollectionMetrics, small);
    const update = await db.send(new UpdateItemCommand({
      TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: '01' } }, UpdateExpression: 'SET #d = :d', ExpressionAttributeNames: { '#d': 'data' },
      ExpressionAttributeValues: { ':d': { S: 'updated' } }, ReturnItemCollectionMetrics: 'SIZE',
    }));
    assert.deepEqual(update.ItemCollectionMetrics, small);
    const remove = await db.send(new DeleteItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: '01' } }, ReturnItemCollectionMetrics: 'SIZE' }));
    assert.deepEqual(remove.ItemCollectionMetrics, small);
  });

  it('reports nothing with NONE, without the parameter, or on a table without LSIs', async () => {
    const none = await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '02'), ReturnItemCollectionMetrics: 'NONE' }));
    assert.equal(none.ItemCollectionMetrics, undefined);
    const absent = await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '03') }));
    assert.equal(absent.ItemCollectionMetrics, undefined);
    const other = await startServerProcess();
    try {
      const plain = other.client();
      await createOrders(plain, false);
      const out = await plain.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '01'), ReturnItemCollectionMetrics: 'SIZE' }));
      assert.equal(out.ItemCollectionMetrics, undefined);
    } finally {
      await other.dispose();
    }
  });

  it('reports every collection a BatchWriteItem touched, per table', async () => {
    const out = await db.send(new BatchWriteItemCommand({
      RequestItems: { Orders: [{ PutRequest: { Item: order('c1', '04') } }, { PutRequest: { Item: order('c2', '01') } }, { DeleteRequest: { Key: { customer: { S: 'c1' }, order: { S: '02' } } } }] },
      ReturnItemCollectionMetrics: 'SIZE',
    }));
    assert.deepEqual(out.ItemCollectionMetrics, {
      Orders: [small, { ItemCollectionKey: { customer: { S: 'c2' } }, SizeEstimateRangeGB: [0, 1] }, small],
    });
  });
});

describe('item collection size limit', localOnly, () => {
  // Items of 1,037 bytes with 33-byte KEYS_ONLY LSI entries (1,070 a collection): four fit in 5,000 bytes, five do not.
  const limit = 5000;
  const data = 'd'.repeat(1000);
  let server: ServerProcess;
  let db: DynamoDBClient;
  const count = async (customer: string) => (await db.send(new QueryCommand({
    TableName: 'Orders', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: customer } }, Select: 'COUNT', ConsistentRead: true,
  }))).Count;
  const tooBig = (promise: Promise<unknown>) => assert.rejects(promise, (error: Error) => {
    assert.equal(error.name, 'ItemCollectionSizeLimitExceededException');
    assert.equal(error.message, 'Collection size exceeded');
    return true;
  });

  before(async () => {
    server = await startServerProcess({ args: ['--item-collection-size-limit-bytes', String(limit)] });
    db = server.client();
    await createOrders(db);
  });
  after(async () => server.dispose());

  it('refuses a write that grows a collection past the limit, and changes nothing', async () => {
    for (const id of ['01', '02', '03', '04']) await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', id, data) }));
    await tooBig(db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '05', data) })));
    assert.equal(await count('c1'), 4);
    const byPlaced = await db.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byPlaced', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } }));
    assert.equal(byPlaced.Count, 4);
    // Growing an item counts as much as adding one; another collection is not affected.
    await tooBig(db.send(new UpdateItemCommand({
      TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: '01' } }, UpdateExpression: 'SET more = :m', ExpressionAttributeValues: { ':m': { S: data } },
    })));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: '01' } } }))).Item?.['more'], undefined);
    await tooBig(db.send(new BatchWriteItemCommand({ RequestItems: { Orders: [{ PutRequest: { Item: order('c2', '01', data) } }, { PutRequest: { Item: order('c1', '06', data) } }] } })));
    assert.equal(await count('c2'), 0);
    await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c2', '01', data) }));
  });

  it('lets a write shrink a full collection, and room freed is usable again', async () => {
    await db.send(new UpdateItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: '01' } }, UpdateExpression: 'REMOVE #d', ExpressionAttributeNames: { '#d': 'data' } }));
    await db.send(new DeleteItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { S: '02' } } }));
    // 4 × 1,070 bytes − 1,004 (data removed) − 1,070 (deleted) = 2,206: two more fit, not three.
    await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '05', data) }));
    await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '06', data) }));
    await tooBig(db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '07', data) })));
  });

  it('keeps collection sizes across a restart, and forgets them with the table', async () => {
    await server.stop();
    server = await startServerProcess({ dataDir: server.dataDir, args: ['--item-collection-size-limit-bytes', String(limit)] });
    db = server.client();
    await tooBig(db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', '07', data) })));
    await db.send(new DeleteTableCommand({ TableName: 'Orders' }));
    await createOrders(db);
    for (const id of ['01', '02', '03', '04']) await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('c1', id, data) }));
    assert.equal(await count('c1'), 4);
  });
});
