// Seed scenario 8, the data-modelling patterns, as applications write them with lib-dynamodb:
// a simple table, "faux-SQL" (posts and comments joined in code) and single-table design where each
// access pattern is one Query. (The overloaded GSI and the stream-fed writer arrive with indexes and
// streams.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
});
