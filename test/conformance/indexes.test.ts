// Secondary indexes through the SDK: GSIs and LSIs declared at CreateTable, maintained with every
// write, read by Query and Scan with IndexName — projections, sparse entries, paging keys, the
// checks DynamoDB makes, statistics, and entries that survive a restart and go with DeleteTable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, PutItemCommand, QueryCommand,
  ScanCommand, UpdateItemCommand, type AttributeValue, type CreateTableCommandInput, type DynamoDBClient, type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';

type Item = Record<string, AttributeValue>;

/** Orders: pk=customer, sk=order id; GSIs by status (KEYS_ONLY), by day (INCLUDE amount), by sku (ALL); an LSI by amount. */
const orders: CreateTableCommandInput = {
  TableName: 'Orders',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'order', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' }, { AttributeName: 'day', AttributeType: 'S' },
    { AttributeName: 'amount', AttributeType: 'N' }, { AttributeName: 'sku', AttributeType: 'B' },
  ],
  KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'order', KeyType: 'RANGE' }],
  GlobalSecondaryIndexes: [
    { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    { IndexName: 'byDay', KeySchema: [{ AttributeName: 'day', KeyType: 'HASH' }, { AttributeName: 'amount', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] } },
    { IndexName: 'bySku', KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }, { AttributeName: 'day', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
  ],
  LocalSecondaryIndexes: [
    { IndexName: 'byTotal', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'amount', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
  ],
};

const order = (customer: string, id: string, extra: Item): Item => ({ customer: { S: customer }, order: { S: id }, ...extra });
const sku = (n: number): AttributeValue => ({ B: Uint8Array.of(n) });

describe('secondary indexes', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const query = async (input: Omit<QueryCommandInput, 'TableName'>) => db.send(new QueryCommand({ TableName: 'Orders', ...input }));
  const rejects = async (promise: Promise<unknown>, message: string) =>
    assert.rejects(promise, (error: Error) => {
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, message);
      return true;
    });

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(orders));
    const items = [
      order('ann', 'o1', { status: { S: 'open' }, day: { S: '2026-11-01' }, amount: { N: '30' }, sku: sku(1), note: { S: 'gift' }, qty: { N: '3' } }),
      order('ann', 'o2', { status: { S: 'open' }, day: { S: '2026-11-01' }, amount: { N: '5' }, sku: sku(2), qty: { N: '1' } }),
      order('ann', 'o3', { status: { S: 'shipped' }, day: { S: '2026-11-02' }, amount: { N: '12.5' }, sku: sku(1) }),
      order('bob', 'o1', { status: { S: 'open' }, day: { S: '2026-11-02' }, amount: { N: '-4' }, note: { S: 'refund' } }),
      // Sparse: no status, day or amount, so only in the indexes whose keys it has (none).
      order('bob', 'o2', { qty: { N: '9' } }),
    ];
    for (const Item of items) await db.send(new PutItemCommand({ TableName: 'Orders', Item }));
  });
  after(async () => server.dispose());

  it('answers a GSI Query with the projected attributes only (KEYS_ONLY, INCLUDE, ALL)', async () => {
    const open = await query({ IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } });
    assert.equal(open.Count, 3);
    assert.deepEqual(
      new Set(open.Items?.map((i) => JSON.stringify(i))),
      new Set([order('ann', 'o1', { status: { S: 'open' } }), order('ann', 'o2', { status: { S: 'open' } }), order('bob', 'o1', { status: { S: 'open' } })].map((i) => JSON.stringify(i))),
    );
    const day = await query({ IndexName: 'byDay', KeyConditionExpression: '#d = :d', ExpressionAttributeNames: { '#d': 'day' }, ExpressionAttributeValues: { ':d': { S: '2026-11-01' } } });
    assert.deepEqual(day.Items, [
      order('ann', 'o2', { day: { S: '2026-11-01' }, amount: { N: '5' } }),
      order('ann', 'o1', { day: { S: '2026-11-01' }, amount: { N: '30' }, note: { S: 'gift' } }),
    ]);
    const bySku = await query({ IndexName: 'bySku', KeyConditionExpression: 'sku = :k', ExpressionAttributeValues: { ':k': sku(1) }, ScanIndexForward: false });
    assert.deepEqual(bySku.Items?.map((i) => i['order']?.S), ['o3', 'o1']);
    assert.deepEqual(bySku.Items?.[1], order('ann', 'o1', { status: { S: 'open' }, day: { S: '2026-11-01' }, amount: { N: '30' }, sku: sku(1), note: { S: 'gift' }, qty: { N: '3' } }));
  });

  it('orders a numeric index sort key numerically and narrows it with every key condition', async () => {
    const totals = async (condition: string, values: Item) =>
      (await query({ IndexName: 'byTotal', KeyConditionExpression: `customer = :c AND ${condition}`, ExpressionAttributeValues: { ':c': { S: 'ann' }, ...values } })).Items?.map((i) => i['amount']?.N);
    assert.deepEqual(await totals('amount > :v', { ':v': { N: '4' } }), ['5', '12.5', '30']);
    assert.deepEqual(await totals('amount <= :v', { ':v': { N: '12.5' } }), ['5', '12.5']);
    assert.deepEqual(await totals('amount BETWEEN :a AND :b', { ':a': { N: '5' }, ':b': { N: '29' } }), ['5', '12.5']);
    assert.deepEqual(await totals('amount = :v', { ':v': { N: '30' } }), ['30']);
    const prefix = await query({ IndexName: 'byDay', KeyConditionExpression: '#d = :d AND amount >= :t', ExpressionAttributeNames: { '#d': 'day' }, ExpressionAttributeValues: { ':d': { S: '2026-11-02' }, ':t': { N: '-10' } } });
    assert.deepEqual(prefix.Items?.map((i) => i['amount']?.N), ['-4', '12.5']);
  });

  it('pages an index with LastEvaluatedKey holding the table and index keys, in both directions', async () => {
    for (const forward of [true, false]) {
      const seen: string[] = [];
      let start: Item | undefined;
      let pages = 0;
      do {
        const page = await query({
          IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } },
          Limit: 1, ScanIndexForward: forward, ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        });
        pages++;
        for (const i of page.Items ?? []) seen.push(`${i['customer']?.S}/${i['order']?.S}`);
        start = page.LastEvaluatedKey;
        if (start !== undefined) assert.deepEqual(Object.keys(start).sort(), ['customer', 'order', 'status']);
      } while (start !== undefined);
      assert.equal(pages, 4);
      assert.deepEqual([...seen].sort(), ['ann/o1', 'ann/o2', 'bob/o1']);
    }
  });

  it('fetches the table item behind a local index entry when the read asks for more than it projects', async () => {
    const all = await query({ IndexName: 'byTotal', KeyConditionExpression: 'customer = :c AND amount < :t', ExpressionAttributeValues: { ':c': { S: 'ann' }, ':t': { N: '10' } }, Select: 'ALL_ATTRIBUTES' });
    assert.deepEqual(all.Items, [order('ann', 'o2', { status: { S: 'open' }, day: { S: '2026-11-01' }, amount: { N: '5' }, sku: sku(2), qty: { N: '1' } })]);
    const some = await query({ IndexName: 'byTotal', KeyConditionExpression: 'customer = :c', FilterExpression: 'qty > :n', ProjectionExpression: 'qty', ExpressionAttributeValues: { ':c': { S: 'ann' }, ':n': { N: '1' } } });
    assert.deepEqual(some.Items, [{ qty: { N: '3' } }]);
  });

  it('keeps every index in step with UpdateItem, DeleteItem and BatchWriteItem', async () => {
    await db.send(new UpdateItemCommand({ TableName: 'Orders', Key: order('ann', 'o2', {}), UpdateExpression: 'SET #s = :s REMOVE #d', ExpressionAttributeNames: { '#s': 'status', '#d': 'day' }, ExpressionAttributeValues: { ':s': { S: 'shipped' } } }));
    await db.send(new DeleteItemCommand({ TableName: 'Orders', Key: order('bob', 'o1', {}) }));
    await db.send(new BatchWriteItemCommand({ RequestItems: { Orders: [
      { PutRequest: { Item: order('cat', 'o1', { status: { S: 'open' }, day: { S: '2026-11-01' }, amount: { N: '1' } }) } },
      { DeleteRequest: { Key: order('ann', 'o3', {}) } },
    ] } }));
    const statuses = async (s: string) =>
      (await query({ IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: s } } })).Items?.map((i) => `${i['customer']?.S}/${i['order']?.S}`).sort();
    assert.deepEqual(await statuses('open'), ['ann/o1', 'cat/o1']);
    assert.deepEqual(await statuses('shipped'), ['ann/o2']);
    const days = await query({ IndexName: 'byDay', KeyConditionExpression: '#d = :d', ExpressionAttributeNames: { '#d': 'day' }, ExpressionAttributeValues: { ':d': { S: '2026-11-01' } } });
    assert.deepEqual(days.Items?.map((i) => `${i['customer']?.S}/${i['order']?.S}`), ['cat/o1', 'ann/o1']);
    const scanned = await db.send(new ScanCommand({ TableName: 'Orders', IndexName: 'bySku' }));
    assert.deepEqual(scanned.Items?.map((i) => `${i['customer']?.S}/${i['order']?.S}`), ['ann/o1']);
    const table = (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table;
    assert.deepEqual(table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.ItemCount]), [['byStatus', 3], ['byDay', 2], ['bySku', 1]]);
    assert.deepEqual(table?.LocalSecondaryIndexes?.map((i) => [i.IndexName, i.ItemCount]), [['byTotal', 3]]);
    assert.ok((table?.GlobalSecondaryIndexes?.[2]?.IndexSizeBytes ?? 0) > 0);
  });

  it('refuses what DynamoDB refuses, and changes nothing', async () => {
    const before = await db.send(new ScanCommand({ TableName: 'Orders', ConsistentRead: true }));
    await rejects(db.send(new PutItemCommand({ TableName: 'Orders', Item: order('dan', 'o1', { status: { N: '1' } }) })),
      'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus');
    await rejects(db.send(new PutItemCommand({ TableName: 'Orders', Item: order('dan', 'o1', { day: { S: '' } }) })),
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byDay, IndexKey: day');
    await rejects(db.send(new UpdateItemCommand({ TableName: 'Orders', Key: order('ann', 'o1', {}), UpdateExpression: 'SET amount = :t', ExpressionAttributeValues: { ':t': { S: 'lots' } } })),
      'The update expression attempted to update the secondary index key to unsupported type');
    await rejects(db.send(new BatchWriteItemCommand({ RequestItems: { Orders: [{ PutRequest: { Item: order('dan', 'o2', { sku: { S: 'x' } }) } }] } })),
      'One or more parameter values were invalid: Type mismatch for Index Key sku Expected: B Actual: S IndexName: bySku');
    assert.deepEqual(await db.send(new ScanCommand({ TableName: 'Orders', ConsistentRead: true })).then((r) => r.Items), before.Items);

    const open = { KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } };
    await rejects(query({ IndexName: 'byNothing', ...open }), 'The table does not have the specified index: byNothing');
    await rejects(query({ IndexName: 'byStatus', ConsistentRead: true, ...open }), 'Consistent reads are not supported on global secondary indexes');
    await rejects(query({ IndexName: 'byStatus', Select: 'ALL_ATTRIBUTES', ...open }),
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL');
    await rejects(query({ IndexName: 'byStatus', FilterExpression: '#s = :s', ...open }), 'Filter Expression can only contain non-primary key attributes: Primary key attribute: status');
    await rejects(query({ IndexName: 'byStatus', ExclusiveStartKey: order('ann', 'o1', {}), ...open }), 'The provided starting key is invalid');
    await rejects(query({ IndexName: 'byStatus', ExclusiveStartKey: { ...order('ann', 'o1', {}), status: { S: 'shipped' } }, ...open }),
      'The provided starting key is outside query boundaries based on provided conditions');
    await rejects(query({ IndexName: 'byDay', KeyConditionExpression: 'amount = :t', ExpressionAttributeValues: { ':t': { N: '1' } } }), 'Query condition missed key schema element: day');
    await rejects(db.send(new ScanCommand({ TableName: 'Orders', IndexName: 'byTotal', ExclusiveStartKey: order('ann', 'o1', {}) })), 'The provided starting key is invalid');
    // A consistent read of a local index is allowed.
    const lsi = await query({ IndexName: 'byTotal', ConsistentRead: true, KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'cat' } } });
    assert.equal(lsi.Count, 1);
  });

  it('reports the write capacity each index consumed, and index reads as the index\'s', async () => {
    const put = await db.send(new PutItemCommand({
      TableName: 'Orders', ReturnConsumedCapacity: 'INDEXES',
      Item: order('eve', 'o1', { status: { S: 'open' }, day: { S: '2026-11-03' }, amount: { N: '7' }, sku: sku(3) }),
    }));
    assert.deepEqual(put.ConsumedCapacity, {
      TableName: 'Orders', CapacityUnits: 5, Table: { CapacityUnits: 1 },
      GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 1 }, byDay: { CapacityUnits: 1 }, bySku: { CapacityUnits: 1 } },
      LocalSecondaryIndexes: { byTotal: { CapacityUnits: 1 } },
    });
    // A new status moves the byStatus entry (a delete and a put), rewrites the ALL projection of
    // bySku, and leaves byDay (which does not project status) and byTotal untouched.
    const update = await db.send(new UpdateItemCommand({
      TableName: 'Orders', Key: order('eve', 'o1', {}), ReturnConsumedCapacity: 'INDEXES',
      UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'shipped' } },
    }));
    assert.deepEqual(update.ConsumedCapacity, {
      TableName: 'Orders', CapacityUnits: 4, Table: { CapacityUnits: 1 },
      GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 2 }, bySku: { CapacityUnits: 1 } },
    });
    const remove = await db.send(new DeleteItemCommand({ TableName: 'Orders', Key: order('eve', 'o1', {}), ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(remove.ConsumedCapacity, { TableName: 'Orders', CapacityUnits: 5 });
    const read = await query({ IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } }, ReturnConsumedCapacity: 'INDEXES' });
    assert.deepEqual(read.ConsumedCapacity, { TableName: 'Orders', CapacityUnits: 0.5, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 0.5 } } });
    const batch = await db.send(new BatchWriteItemCommand({ ReturnConsumedCapacity: 'INDEXES', RequestItems: { Orders: [{ PutRequest: { Item: order('eve', 'o2', { status: { S: 'open' } }) } }] } }));
    assert.deepEqual(batch.ConsumedCapacity, [{ TableName: 'Orders', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 1 } } }]);
    await db.send(new DeleteItemCommand({ TableName: 'Orders', Key: order('eve', 'o2', {}) }));
  });

  it('serves the GSI of scenario 5\'s Terraform table (provisioned, with the index\'s own capacity)', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'UserEvents-dev', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 50 },
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' }, { AttributeName: 'eventType', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'EventTypeIndex', KeySchema: [{ AttributeName: 'eventType', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 50, WriteCapacityUnits: 25 },
      }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      Tags: [{ Key: 'Environment', Value: 'dev' }],
    }));
    for (const [user, sk, type] of [['u1', 'EVENT#1', 'click'], ['u2', 'EVENT#2', 'click'], ['u1', 'EVENT#3', 'view']]) {
      await db.send(new PutItemCommand({ TableName: 'UserEvents-dev', Item: { userId: { S: user as string }, SK: { S: sk as string }, eventType: { S: type as string }, page: { S: '/buy' } } }));
    }
    const clicks = await db.send(new QueryCommand({ TableName: 'UserEvents-dev', IndexName: 'EventTypeIndex', KeyConditionExpression: 'eventType = :t', ExpressionAttributeValues: { ':t': { S: 'click' } } }));
    assert.deepEqual(clicks.Items?.map((i) => [i['userId']?.S, i['SK']?.S, i['page']?.S]), [['u1', 'EVENT#1', '/buy'], ['u2', 'EVENT#2', '/buy']]);
    const index = (await db.send(new DescribeTableCommand({ TableName: 'UserEvents-dev' }))).Table?.GlobalSecondaryIndexes?.[0];
    assert.deepEqual([index?.IndexStatus, index?.ItemCount, index?.ProvisionedThroughput?.ReadCapacityUnits, index?.ProvisionedThroughput?.WriteCapacityUnits], ['ACTIVE', 3, 50, 25]);
  });

  it('holds index and table keys at their size limits, and refuses index keys past them', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'Long', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'gh', AttributeType: 'S' }, { AttributeName: 'gr', AttributeType: 'B' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byLong', KeySchema: [{ AttributeName: 'gh', KeyType: 'HASH' }, { AttributeName: 'gr', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }));
    const long = (fill: string, n: number) => fill.repeat(n);
    // Longest sort keys on both sides: the entry key takes the table key's digest instead of the key itself.
    for (const fill of ['a', 'b']) {
      await db.send(new PutItemCommand({ TableName: 'Long', Item: { pk: { S: long(fill, 2048) }, sk: { S: long(fill, 1024) }, gh: { S: long('g', 2048) }, gr: { B: new Uint8Array(1024).fill(7) } } }));
    }
    const got = await db.send(new QueryCommand({ TableName: 'Long', IndexName: 'byLong', KeyConditionExpression: 'gh = :g AND gr = :r', ExpressionAttributeValues: { ':g': { S: long('g', 2048) }, ':r': { B: new Uint8Array(1024).fill(7) } }, Limit: 1 }));
    assert.equal(got.Count, 1);
    const rest = await db.send(new QueryCommand({ TableName: 'Long', IndexName: 'byLong', KeyConditionExpression: 'gh = :g', ExpressionAttributeValues: { ':g': { S: long('g', 2048) } }, ExclusiveStartKey: got.LastEvaluatedKey }));
    assert.equal(rest.Count, 1);
    assert.notEqual(rest.Items?.[0]?.['sk']?.S, got.Items?.[0]?.['sk']?.S);
    await rejects(db.send(new PutItemCommand({ TableName: 'Long', Item: { pk: { S: 'p' }, sk: { S: 's' }, gh: { S: 'g' }, gr: { B: new Uint8Array(1025) } } })),
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
    await rejects(db.send(new PutItemCommand({ TableName: 'Long', Item: { pk: { S: 'p' }, sk: { S: 's' }, gh: { S: long('g', 2049) } } })),
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
  });

  it('keeps index entries across a restart and removes them with the table', localOnly, async () => {
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServerProcess({ dataDir });
    db = server.client();
    const open = await query({ IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } });
    assert.equal(open.Count, 2);
    await db.send(new DeleteTableCommand({ TableName: 'Orders' }));
    await db.send(new CreateTableCommand(orders));
    const again = await query({ IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } });
    assert.equal(again.Count, 0);
    const table = (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table;
    assert.deepEqual(table?.GlobalSecondaryIndexes?.map((i) => i.ItemCount), [0, 0, 0]);
  });
});
