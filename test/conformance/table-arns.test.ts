// A table's ARN wherever a table name goes (issue 17, class 12), through the AWS SDK and
// lib-dynamodb: every item, batch, transaction and table operation, and what comes back is named
// by the bare table name, as AWS answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand,
  DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand,
  TransactWriteItemsCommand, UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { rejects } from '../helpers/rejects.js';

describe('table ARNs in place of table names', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let arn: string;
  const key = (id: string) => ({ pk: { S: id } });
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    const created = await db.send(new CreateTableCommand(onDemandTable('Orders', ['pk', 'S'])));
    arn = created.TableDescription?.TableArn ?? '';
    assert.match(arn, /^arn:aws:dynamodb:us-east-1:\d{12}:table\/Orders$/);
  });
  after(async () => server.dispose());

  it('reads and writes single items by ARN; capacity names the table', async () => {
    const put = await db.send(new PutItemCommand({ TableName: arn, Item: { ...key('a'), n: { N: '1' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(put.ConsumedCapacity, { TableName: 'Orders', CapacityUnits: 1 });
    const updated = await db.send(new UpdateItemCommand({ TableName: arn, Key: key('a'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'ALL_NEW' }));
    assert.deepEqual(updated.Attributes, { ...key('a'), n: { N: '2' } });
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: arn, Key: key('a'), ConsistentRead: true }))).Item, { ...key('a'), n: { N: '2' } });
    const query = await db.send(new QueryCommand({ TableName: arn, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual({ count: query.Count, capacity: query.ConsumedCapacity }, { count: 1, capacity: { TableName: 'Orders', CapacityUnits: 0.5 } });
    assert.equal((await db.send(new ScanCommand({ TableName: arn }))).Count, 1);
    await db.send(new DeleteItemCommand({ TableName: arn, Key: key('a') }));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Orders', Key: key('a'), ConsistentRead: true }))).Item, undefined);
  });

  it('answers batches under the bare name, joining a table named both ways', async () => {
    const written = await db.send(new BatchWriteItemCommand({
      RequestItems: { [arn]: [{ PutRequest: { Item: key('b1') } }], Orders: [{ PutRequest: { Item: key('b2') } }] },
      ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.deepEqual(written.UnprocessedItems, {});
    assert.deepEqual(written.ConsumedCapacity, [{ TableName: 'Orders', CapacityUnits: 2 }]);
    const read = await db.send(new BatchGetItemCommand({ RequestItems: { [arn]: { Keys: [key('b1'), key('b2')], ConsistentRead: true } } }));
    assert.deepEqual(Object.keys(read.Responses ?? {}), ['Orders']);
    assert.deepEqual(read.Responses?.['Orders']?.map((item) => item['pk']?.S).sort(), ['b1', 'b2']);
    // The same item named once by name and once by ARN is one item twice.
    await rejects(db.send(new BatchWriteItemCommand({
      RequestItems: { [arn]: [{ DeleteRequest: { Key: key('b1') } }], Orders: [{ DeleteRequest: { Key: key('b1') } }] },
    })), 'ValidationException', 'Provided list of item keys contains duplicates');
  });

  it('runs transactions by ARN', async () => {
    await db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: arn, Item: { ...key('t1'), v: { S: 'x' } } } },
      { Update: { TableName: arn, Key: key('t2'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'y' } } } },
      { ConditionCheck: { TableName: arn, Key: key('b1'), ConditionExpression: 'attribute_exists(pk)' } },
    ] }));
    const got = await db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: arn, Key: key('t1') } }, { Get: { TableName: 'Orders', Key: key('t2') } }] }));
    assert.deepEqual(got.Responses?.map((r) => r.Item?.['v']?.S), ['x', 'y']);
  });

  it('works through lib-dynamodb', async () => {
    const doc = DynamoDBDocumentClient.from(db);
    await doc.send(new UpdateCommand({ TableName: arn, Key: { pk: 'doc' }, UpdateExpression: 'SET n = if_not_exists(n, :zero) + :one', ExpressionAttributeValues: { ':zero': 0, ':one': 1 } }));
    assert.deepEqual((await doc.send(new GetCommand({ TableName: arn, Key: { pk: 'doc' }, ConsistentRead: true }))).Item, { pk: 'doc', n: 1 });
  });

  it('describes, updates and deletes the table by ARN; the answers carry the bare name', async () => {
    const described = await db.send(new DescribeTableCommand({ TableName: arn }));
    assert.deepEqual({ name: described.Table?.TableName, arn: described.Table?.TableArn }, { name: 'Orders', arn });
    const updated = await db.send(new UpdateTableCommand({ TableName: arn, DeletionProtectionEnabled: false }));
    assert.equal(updated.TableDescription?.TableName, 'Orders');
    await db.send(new UpdateTimeToLiveCommand({ TableName: arn, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    assert.equal((await db.send(new DescribeTimeToLiveCommand({ TableName: arn }))).TimeToLiveDescription?.AttributeName, 'expires');
    const deleted = await db.send(new DeleteTableCommand({ TableName: arn }));
    assert.deepEqual({ name: deleted.TableDescription?.TableName, status: deleted.TableDescription?.TableStatus }, { name: 'Orders', status: 'DELETING' });
  });

  it('creates a table named by an ARN of its own region and account', async () => {
    const wanted = arn.replace(/Orders$/, 'ByArn');
    const created = await db.send(new CreateTableCommand({ ...onDemandTable('unused', ['id', 'S']), TableName: wanted }));
    assert.deepEqual({ name: created.TableDescription?.TableName, arn: created.TableDescription?.TableArn }, { name: 'ByArn', arn: wanted });
  });

  it('refuses another region’s ARN and another account’s, writing nothing', async () => {
    const byArn = arn.replace(/Orders$/, 'ByArn');
    const otherRegion = byArn.replace(':us-east-1:', ':eu-west-1:');
    await rejects(db.send(new PutItemCommand({ TableName: otherRegion, Item: key('x') })), 'ValidationException', `1 validation error detected: Invalid AWS region in '${otherRegion}'`);
    const otherAccount = byArn.replace(/:\d{12}:/, ':999999999999:');
    await rejects(db.send(new PutItemCommand({ TableName: otherAccount, Item: key('x') })), 'AccessDeniedException', 'Access is denied');
    assert.equal((await db.send(new ScanCommand({ TableName: 'ByArn' }))).Count, 0);
  });
});
