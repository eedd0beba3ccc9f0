// --gsi-propagation-delay-ms: GSI reads see writes only after the delay (as on AWS, where GSIs are
// eventually consistent); the table and its LSIs see them at once. The delay is an hour of the
// server's clock, which the test moves (--test-clock): what is not visible yet cannot become visible
// by the machine being slow.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DeleteItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';

const delayMs = 60 * 60 * 1000;

describe('simulated GSI propagation lag', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const byStatus = async (status: string) =>
    (await db.send(new QueryCommand({ TableName: 'Jobs', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: status } } })))
      .Items?.map((i) => i['id']?.S) ?? [];
  const settle = () => server.advanceClock(delayMs + 1);

  before(async () => {
    server = await startServerProcess({ args: ['--gsi-propagation-delay-ms', String(delayMs), '--test-clock'] });
    db = server.client();
    await db.send(new CreateTableCommand({
      TableName: 'Jobs', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'status', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
  });
  after(async () => server.dispose());

  it('shows a GSI the writes of the last N ms as they were before', async () => {
    await db.send(new PutItemCommand({ TableName: 'Jobs', Item: { id: { S: 'j1' }, status: { S: 'queued' } } }));
    // The table has it at once; the index not yet.
    assert.equal((await db.send(new ScanCommand({ TableName: 'Jobs', ConsistentRead: true }))).Count, 1);
    assert.deepEqual(await byStatus('queued'), []);
    await settle();
    assert.deepEqual(await byStatus('queued'), ['j1']);
    // A moved entry: the old index partition keeps it, the new one lacks it, until the delay passes.
    await db.send(new UpdateItemCommand({ TableName: 'Jobs', Key: { id: { S: 'j1' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'done' } } }));
    assert.deepEqual([await byStatus('queued'), await byStatus('done')], [['j1'], []]);
    const stale = await db.send(new QueryCommand({ TableName: 'Jobs', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'queued' } } }));
    assert.equal(stale.Items?.[0]?.['status']?.S, 'queued');
    await settle();
    assert.deepEqual([await byStatus('queued'), await byStatus('done')], [[], ['j1']]);
    // A delete lingers in the index for the delay too.
    await db.send(new DeleteItemCommand({ TableName: 'Jobs', Key: { id: { S: 'j1' } } }));
    assert.deepEqual(await byStatus('done'), ['j1']);
    await settle();
    assert.deepEqual(await byStatus('done'), []);
  });
});
