// A commit that fails changes nothing: with --storage-faults failing a seeded share of item commits
// (and checking every storage decision for purity), a seeded mix of PutItem, UpdateItem, DeleteItem,
// BatchWriteItem and TransactWriteItems on a table with a GSI and a stream either succeeds whole or
// answers InternalServerError (HTTP 500) having written nothing — no item, no index entry, no stream
// record. The table, its index and its stream end up exactly as the successful requests made them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, PutItemCommand, QueryCommand, ScanCommand,
  TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { readStream } from '../helpers/stream-reader.js';

const seed = 20261205;
const operations = 120;
const keys = 12;

interface Model {
  items: Map<string, number>;
  /** Item changes in commit order: what the stream must hold. */
  changes: string[];
}

describe('failed commits (--storage-faults write=0.35)', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  before(async () => {
    server = await startServerProcess({ args: ['--storage-faults', `write=0.35,seed=${seed}`] });
    db = server.client();
    streams = server.streamsClient();
  });
  after(() => server.dispose());

  it('either apply whole or answer InternalServerError having changed nothing', { timeout: 300_000 }, async () => {
    await db.send(new CreateTableCommand({
      TableName: 'Faulty', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'grp', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'grp', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    const random = seededRandom(seed);
    const pick = (): string => `k${Math.floor(random() * keys)}`;
    const model: Model = { items: new Map(), changes: [] };
    const item = (id: string, n: number): Record<string, AttributeValue> => ({ id: { S: id }, grp: { S: 'g' }, n: { N: String(n) } });
    let failures = 0;
    let successes = 0;
    for (let i = 0; i < operations; i++) {
      const kind = Math.floor(random() * 5);
      const a = pick();
      const other = pick();
      const b = other === a ? `${a}x` : other;
      const value = i + 1;
      // What the request does to the model when it succeeds: the item changes, in order.
      let apply: () => void;
      let request: Promise<unknown>;
      switch (kind) {
        case 0:
          request = db.send(new PutItemCommand({ TableName: 'Faulty', Item: item(a, value) }));
          apply = () => put(model, a, value);
          break;
        case 1:
          request = db.send(new UpdateItemCommand({
            TableName: 'Faulty', Key: { id: { S: a } }, UpdateExpression: 'SET grp = :g ADD n :one', ExpressionAttributeValues: { ':g': { S: 'g' }, ':one': { N: '1' } },
          }));
          apply = () => put(model, a, (model.items.get(a) ?? 0) + 1);
          break;
        case 2:
          request = db.send(new DeleteItemCommand({ TableName: 'Faulty', Key: { id: { S: a } } }));
          apply = () => remove(model, a);
          break;
        case 3:
          request = db.send(new BatchWriteItemCommand({ RequestItems: { Faulty: [{ PutRequest: { Item: item(a, value) } }, { DeleteRequest: { Key: { id: { S: b } } } }] } }));
          apply = () => {
            put(model, a, value);
            remove(model, b);
          };
          break;
        default:
          request = db.send(new TransactWriteItemsCommand({
            TransactItems: [{ Put: { TableName: 'Faulty', Item: item(a, value) } }, { Put: { TableName: 'Faulty', Item: item(b, value) } }],
          }));
          apply = () => {
            put(model, a, value);
            put(model, b, value);
          };
      }
      const outcome = await request.then(() => undefined, (error: Error & { $metadata?: { httpStatusCode?: number } }) => error);
      if (outcome === undefined) {
        successes++;
        apply();
      } else {
        failures++;
        assert.equal(outcome.name, 'InternalServerError', `operation ${i}: ${outcome.message}`);
        assert.equal(outcome.message, 'Internal server error');
        assert.equal(outcome.$metadata?.httpStatusCode, 500);
      }
    }
    // The seed decides: both outcomes happen, often.
    assert.ok(failures >= 20 && successes >= 20, `${failures} failures, ${successes} successes`);

    const expected = [...model.items].map(([id, n]) => `${id}=${n}`).sort();
    const scanned = (await db.send(new ScanCommand({ TableName: 'Faulty', ConsistentRead: true }))).Items ?? [];
    assert.deepEqual(scanned.map((x) => `${x['id']?.S}=${x['n']?.N}`).sort(), expected);
    const indexed = (await db.send(new QueryCommand({ TableName: 'Faulty', IndexName: 'byGroup', KeyConditionExpression: 'grp = :g', ExpressionAttributeValues: { ':g': { S: 'g' } } }))).Items ?? [];
    assert.deepEqual(indexed.map((x) => `${x['id']?.S}=${x['n']?.N}`).sort(), expected);
    const described = await db.send(new DescribeTableCommand({ TableName: 'Faulty' }));
    assert.equal(described.Table?.ItemCount, model.items.size);
    const records = await readStream(streams, described.Table?.LatestStreamArn as string);
    assert.deepEqual(records.map((r) => `${r.eventName} ${r.dynamodb?.Keys?.['id']?.S}=${r.dynamodb?.NewImage?.['n']?.N ?? '-'}`), model.changes);
  });
});

function put(model: Model, id: string, n: number): void {
  const before = model.items.get(id);
  if (before === n) return; // the same item again: no change, no record
  model.items.set(id, n);
  model.changes.push(`${before === undefined ? 'INSERT' : 'MODIFY'} ${id}=${n}`);
}

function remove(model: Model, id: string): void {
  if (!model.items.has(id)) return;
  model.items.delete(id);
  model.changes.push(`REMOVE ${id}=-`);
}
