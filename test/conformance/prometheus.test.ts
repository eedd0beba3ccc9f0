// GET /metrics: DynamoDB's CloudWatch metrics in Prometheus's text format, against a real server
// process: the consumed capacity per table and GSI equals what the SDK was told in ConsumedCapacity,
// per operation latency counts the requests, returned items, conditional check failures, user errors
// and throttling as they happened, provisioned capacity as the tables have it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** The value of the sample `name{labels}` (labels in the order the server writes them), or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics (Prometheus)', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess({ args: ['--enforce-capacity'] });
    db = server.client('us-east-1');
  });
  after(async () => {
    await server.dispose();
  });

  it('counts what the clients were told, per table, index and operation', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'Metered', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 1 },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 1000 } }],
    }));
    let tableWrites = 0;
    let indexWrites = 0;
    for (let n = 0; n < 3; n++) {
      const told = (await db.send(new PutItemCommand({ TableName: 'Metered', Item: { pk: { S: `k${n}` }, g: { S: 'G' }, data: { S: 'm'.repeat(1500 * (n + 1)) } }, ReturnConsumedCapacity: 'INDEXES' }))).ConsumedCapacity;
      tableWrites += told?.Table?.CapacityUnits ?? 0;
      indexWrites += told?.GlobalSecondaryIndexes?.['byG']?.CapacityUnits ?? 0;
    }
    const query = await db.send(new QueryCommand({ TableName: 'Metered', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G' } }, ReturnConsumedCapacity: 'INDEXES' }));
    const get = await db.send(new GetItemCommand({ TableName: 'Metered', Key: { pk: { S: 'k0' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    await assert.rejects(db.send(new PutItemCommand({ TableName: 'Metered', Item: { pk: { S: 'k0' } }, ConditionExpression: 'attribute_not_exists(pk)' })));
    await assert.rejects(db.send(new GetItemCommand({ TableName: 'Missing', Key: { pk: { S: 'x' } } })));
    // 1 WCU with 300 s of burst: a 399 KB write spends it, the next is throttled.
    await db.send(new PutItemCommand({ TableName: 'Metered', Item: { pk: { S: 'big' }, data: { S: 'b'.repeat(399 * 1024 - 100) } } }));
    tableWrites += 399;
    await assert.rejects(db.send(new PutItemCommand({ TableName: 'Metered', Item: { pk: { S: 'small' } } })));

    const res = await fetch(`${server.endpoint}/metrics`);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const table = 'Region="us-east-1",TableName="Metered"';
    assert.equal(sample(text, 'dynamodb_ConsumedWriteCapacityUnits', table), tableWrites);
    assert.equal(sample(text, 'dynamodb_ConsumedWriteCapacityUnits', `${table},GlobalSecondaryIndexName="byG"`), indexWrites);
    assert.equal(sample(text, 'dynamodb_ConsumedReadCapacityUnits', `${table},GlobalSecondaryIndexName="byG"`), query.ConsumedCapacity?.GlobalSecondaryIndexes?.['byG']?.CapacityUnits);
    assert.equal(sample(text, 'dynamodb_ConsumedReadCapacityUnits', table), get.ConsumedCapacity?.CapacityUnits);
    assert.equal(sample(text, 'dynamodb_ReturnedItemCount', `${table},Operation="Query"`), 3);
    assert.equal(sample(text, 'dynamodb_SuccessfulRequestLatency_count', `Region="us-east-1",TableName="Metered",Operation="PutItem"`), 4);
    assert.equal(sample(text, 'dynamodb_ConditionalCheckFailedRequests', table), 1);
    assert.equal(sample(text, 'dynamodb_UserErrors', 'Region="us-east-1"'), 1);
    assert.equal(sample(text, 'dynamodb_ThrottledRequests', `${table},Operation="PutItem"`), 1);
    assert.equal(sample(text, 'dynamodb_WriteThrottleEvents', table), 1);
    // By cause: the table's provisioned throughput, not a key range.
    assert.equal(sample(text, 'dynamodb_WriteProvisionedThroughputThrottleEvents', table), 1);
    assert.equal(sample(text, 'dynamodb_WriteKeyRangeThroughputThrottleEvents', table), undefined);
    assert.equal(sample(text, 'dynamodb_ProvisionedReadCapacityUnits', table), 100);
    assert.equal(sample(text, 'dynamodb_ProvisionedReadCapacityUnits', `${table},GlobalSecondaryIndexName="byG"`), 7);
  });
});
