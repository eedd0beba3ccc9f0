// One PostgreSQL round trip per single-item write, counted on the wire by a proxy between the nodes
// and PostgreSQL (postgres-round-trips.ts): a new item, an update, a delete, a failed condition, an
// item with index entries, a two-item transaction — each one round trip when the node has seen the
// items (or they are new). An item another node changed since this node last saw it costs one more:
// the first round trip writes nothing and brings the item back. Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CreateTableCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { postgresRoundTrips } from '../helpers/postgres-round-trips.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { tcpProxy, viaProxy } from '../helpers/tcp-proxy.js';

const postgres = await postgresForSuite();

/** The round trips that read or write items (a background task's reading the catalog is not one). */
function aboutItems(label: string): boolean {
  return label === 'write-guessed' || label === 'item' || label.startsWith('range-') || /\bitems\b|stratusdb_apply/.test(label);
}

describe('round trips to PostgreSQL', { skip: postgres.skip }, () => {
  const disposers: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const dispose of disposers.reverse()) await dispose();
  });

  it('writes a single item in one round trip', async () => {
    const trips = postgresRoundTrips();
    const proxy = await tcpProxy(new URL(postgres.url), trips);
    disposers.push(() => proxy.close());
    const nodes: ServerProcess[] = await startNodes(2, { data: viaProxy(freshSchemaUrl(postgres.url), proxy) });
    for (const node of nodes) disposers.push(() => node.dispose());
    const [a, b] = nodes.map((node) => node.client()) as [DynamoDBClient, DynamoDBClient];
    await a.send(new CreateTableCommand(onDemandTable('Plain', ['pk', 'S'])));
    await a.send(new CreateTableCommand({
      ...onDemandTable('Indexed', ['pk', 'S']),
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    /** The item round trips `act` makes. */
    const during = async (act: () => Promise<unknown>): Promise<string[]> => {
      const before = trips.labels.length;
      await act();
      return trips.labels.slice(before).filter(aboutItems);
    };
    const one = ['write-guessed'];

    assert.deepEqual(await during(() => a.send(new PutItemCommand({ TableName: 'Plain', Item: { pk: { S: 'k' }, n: { N: '1' } } }))), one, 'a new item');
    assert.deepEqual(await during(() => a.send(new UpdateItemCommand({
      TableName: 'Plain', Key: { pk: { S: 'k' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }))), one, 'an update');
    assert.deepEqual(await during(() => assert.rejects(a.send(new PutItemCommand({
      TableName: 'Plain', Item: { pk: { S: 'k' } }, ConditionExpression: 'attribute_not_exists(pk)',
    })), { name: 'ConditionalCheckFailedException' })), one, 'a failed condition');
    assert.deepEqual(await during(() => a.send(new PutItemCommand({ TableName: 'Indexed', Item: { pk: { S: 'i' }, g: { S: 'x' } } }))), one, 'an item and its index entry');
    assert.deepEqual(await during(() => a.send(new PutItemCommand({ TableName: 'Indexed', Item: { pk: { S: 'i' }, g: { S: 'y' } } }))), one, 'an index entry moved');
    assert.deepEqual(await during(() => a.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: 'Plain', Item: { pk: { S: 't1' } } } },
        { Update: { TableName: 'Plain', Key: { pk: { S: 'k' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
      ],
    }))), one, 'a transaction of two items');

    // Node b never saw k: it guesses k absent, finds it, and decides again on what it found.
    assert.deepEqual(await during(() => b.send(new UpdateItemCommand({
      TableName: 'Plain', Key: { pk: { S: 'k' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }))), ['write-guessed', 'write-guessed'], 'an item this node has not seen');
    let old: unknown;
    assert.deepEqual(await during(async () => {
      old = (await b.send(new DeleteItemCommand({ TableName: 'Plain', Key: { pk: { S: 'k' } }, ReturnValues: 'ALL_OLD' }))).Attributes;
    }), one, 'a delete of an item this node saw');
    assert.deepEqual(old, { pk: { S: 'k' }, n: { N: '4' } }, 'every increment applied once');
    assert.deepEqual(await during(() => b.send(new DeleteItemCommand({ TableName: 'Plain', Key: { pk: { S: 't1' } } }))), ['write-guessed', 'write-guessed'], 'a delete of an item this node has not seen');
    assert.deepEqual(await during(() => b.send(new PutItemCommand({ TableName: 'Plain', Item: { pk: { S: 't1' } } }))), one, 'an item this node saw deleted');
    const read = await a.send(new GetItemCommand({ TableName: 'Plain', Key: { pk: { S: 'k' } }, ConsistentRead: true }));
    assert.equal(read.Item, undefined);
  });
});
