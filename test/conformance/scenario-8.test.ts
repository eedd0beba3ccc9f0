// Seed scenario 8, the data-modelling patterns, as applications write them with lib-dynamodb:
// a simple table, "faux-SQL" (posts and comments joined in code) and single-table design where each
// access pattern is one Query, including those served by an overloaded, sparse GSI. (The
// stream-fed writer arrives with streams.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, paginateScan, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';

describe('scenario 8: data-modelling patterns', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    doc = DynamoDBDocumentClient.from(db);
    await db.send(new CreateTableCommand(onDemandTable('Users', ['userId', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('Posts', ['postId', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('Comments', ['postId', 'S'], ['commentId', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('App', ['PK', 'S'], ['SK', 'S'])));
  });
  after(async () => server.dispose());

  it('simple table: one item per key, read and updated by key', async () => {
    await doc.send(new PutCommand({ TableName: 'Users', Item: { userId: 'u1', name: 'Ada', visits: 0 } }));
    await doc.send(new UpdateCommand({ TableName: 'Users', Key: { userId: 'u1' }, UpdateExpression: 'ADD visits :one', ExpressionAttributeValues: { ':one': 1 } }));
    const user = await doc.send(new GetCommand({ TableName: 'Users', Key: { userId: 'u1' } }));
    assert.deepEqual(user.Item, { userId: 'u1', name: 'Ada', visits: 1 });
  });

  it('faux-SQL: posts and their comments in two tables, joined in code', async () => {
    await doc.send(new PutCommand({ TableName: 'Posts', Item: { postId: 'p1', title: 'Hello', author: 'u1' } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { Comments: ['c1', 'c2', 'c3'].map((c) => ({ PutRequest: { Item: { postId: 'p1', commentId: c, text: `comment ${c}` } } })) } }));
    const post = (await doc.send(new GetCommand({ TableName: 'Posts', Key: { postId: 'p1' } }))).Item;
    const comments = (await doc.send(new QueryCommand({ TableName: 'Comments', KeyConditionExpression: 'postId = :p', ExpressionAttributeValues: { ':p': 'p1' } }))).Items ?? [];
    const joined = { ...post, comments: comments.map((c) => c['text']) };
    assert.deepEqual(joined, { postId: 'p1', title: 'Hello', author: 'u1', comments: ['comment c1', 'comment c2', 'comment c3'] });
  });

  it('single-table design: customers, orders and order lines, every access pattern one Query', async () => {
    const items = [
      { PK: 'CUSTOMER#42', SK: 'PROFILE', name: 'Grace', email: 'grace@example.com' },
      { PK: 'CUSTOMER#42', SK: 'ORDER#2026-01-05#o1', total: 30, status: 'SHIPPED' },
      { PK: 'CUSTOMER#42', SK: 'ORDER#2026-02-11#o2', total: 12, status: 'PENDING' },
      { PK: 'CUSTOMER#42', SK: 'ORDER#2026-03-20#o3', total: 99, status: 'PENDING' },
      { PK: 'ORDER#o2', SK: 'LINE#1', sku: 'book', qty: 1 },
      { PK: 'ORDER#o2', SK: 'LINE#2', sku: 'pen', qty: 3 },
      { PK: 'CUSTOMER#7', SK: 'PROFILE', name: 'Alan' },
    ];
    await doc.send(new BatchWriteCommand({ RequestItems: { App: items.map((Item) => ({ PutRequest: { Item } })) } }));
    const q = async (input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) => (await doc.send(new QueryCommand({ TableName: 'App', ...input }))).Items ?? [];

    // Customer profile and orders together (the item collection).
    const collection = await q({ KeyConditionExpression: 'PK = :c', ExpressionAttributeValues: { ':c': 'CUSTOMER#42' } });
    assert.deepEqual(collection.map((i) => i['SK']), ['ORDER#2026-01-05#o1', 'ORDER#2026-02-11#o2', 'ORDER#2026-03-20#o3', 'PROFILE']);
    // Orders only, newest first.
    const newest = await q({ KeyConditionExpression: 'PK = :c AND begins_with(SK, :o)', ExpressionAttributeValues: { ':c': 'CUSTOMER#42', ':o': 'ORDER#' }, ScanIndexForward: false, Limit: 2 });
    assert.deepEqual(newest.map((i) => i['SK']), ['ORDER#2026-03-20#o3', 'ORDER#2026-02-11#o2']);
    // Orders in a date range.
    const february = await q({ KeyConditionExpression: 'PK = :c AND SK BETWEEN :from AND :to', ExpressionAttributeValues: { ':c': 'CUSTOMER#42', ':from': 'ORDER#2026-02-01', ':to': 'ORDER#2026-02-29~' } });
    assert.deepEqual(february.map((i) => i['total']), [12]);
    // Pending orders (filter after the key condition).
    const pending = await q({ KeyConditionExpression: 'PK = :c AND begins_with(SK, :o)', FilterExpression: '#s = :p', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':c': 'CUSTOMER#42', ':o': 'ORDER#', ':p': 'PENDING' } });
    assert.deepEqual(pending.map((i) => i['total']), [12, 99]);
    // An order's lines.
    const lines = await q({ KeyConditionExpression: 'PK = :o', ExpressionAttributeValues: { ':o': 'ORDER#o2' }, ProjectionExpression: 'sku, qty' });
    assert.deepEqual(lines, [{ sku: 'book', qty: 1 }, { sku: 'pen', qty: 3 }]);
    // Every profile (an occasional Scan, paged through the paginator).
    const profiles: string[] = [];
    for await (const page of paginateScan({ client: doc, pageSize: 2 }, { TableName: 'App', FilterExpression: 'SK = :p', ExpressionAttributeValues: { ':p': 'PROFILE' } })) {
      for (const item of page.Items ?? []) profiles.push(String(item['name']));
    }
    assert.deepEqual(profiles.sort(), ['Alan', 'Grace']);
  });

  it('all-in NoSQL: one overloaded, sparse GSI answers three access patterns, each one Query', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'Shop', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'GSI1', KeySchema: [{ AttributeName: 'GSI1PK', KeyType: 'HASH' }, { AttributeName: 'GSI1SK', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    const items = [
      { PK: 'CUSTOMER#7', SK: 'PROFILE', email: 'ada@example.com', GSI1PK: 'EMAIL#ada@example.com', GSI1SK: 'CUSTOMER' },
      { PK: 'CUSTOMER#7', SK: 'ORDER#2026-11-20#a', status: 'open', GSI1PK: 'STATUS#open', GSI1SK: '2026-11-20' },
      { PK: 'CUSTOMER#7', SK: 'ORDER#2026-11-18#b', status: 'shipped', GSI1PK: 'STATUS#shipped', GSI1SK: '2026-11-18' },
      { PK: 'CUSTOMER#9', SK: 'ORDER#2026-11-21#c', status: 'open', GSI1PK: 'STATUS#open', GSI1SK: '2026-11-21' },
      { PK: 'PRODUCT#42', SK: 'PRODUCT', category: 'books', GSI1PK: 'CATEGORY#books', GSI1SK: 'PRODUCT#42' },
      // Order lines are never looked up through the index: they carry no GSI1 keys (sparse).
      { PK: 'ORDER#a', SK: 'LINE#1', product: 'PRODUCT#42', qty: 2 },
    ];
    await doc.send(new BatchWriteCommand({ RequestItems: { Shop: items.map((Item) => ({ PutRequest: { Item } })) } }));
    const gsi = async (pk: string, extra: Record<string, unknown> = {}) =>
      (await doc.send(new QueryCommand({ TableName: 'Shop', IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ...extra }))).Items ?? [];
    // Open orders, newest first, across customers.
    assert.deepEqual((await gsi('STATUS#open', { ScanIndexForward: false })).map((i) => i['SK']), ['ORDER#2026-11-21#c', 'ORDER#2026-11-20#a']);
    // A customer by e-mail address.
    assert.deepEqual((await gsi('EMAIL#ada@example.com')).map((i) => i['PK']), ['CUSTOMER#7']);
    // Products of a category.
    assert.deepEqual((await gsi('CATEGORY#books')).map((i) => i['PK']), ['PRODUCT#42']);
    // Shipping an order moves it between index partitions in the same write.
    await doc.send(new UpdateCommand({ TableName: 'Shop', Key: { PK: 'CUSTOMER#7', SK: 'ORDER#2026-11-20#a' }, UpdateExpression: 'SET #s = :s, GSI1PK = :pk', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'shipped', ':pk': 'STATUS#shipped' } }));
    assert.deepEqual((await gsi('STATUS#open')).map((i) => i['SK']), ['ORDER#2026-11-21#c']);
    assert.deepEqual((await gsi('STATUS#shipped')).map((i) => i['SK']), ['ORDER#2026-11-18#b', 'ORDER#2026-11-20#a']);
    const table = await db.send(new DescribeTableCommand({ TableName: 'Shop' }));
    assert.equal(table.Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, 5);
  });
});
