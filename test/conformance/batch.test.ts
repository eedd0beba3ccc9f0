// BatchGetItem and BatchWriteItem through the SDK: across tables, projections, capacity,
// UnprocessedKeys past 16 MB, and refusals that apply nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DescribeTableCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';

describe('batch operations', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const count = async (table: string) => (await db.send(new DescribeTableCommand({ TableName: table }))).Table?.ItemCount;
  const put = (id: string, extra: Record<string, { S: string }> = {}): WriteRequest => ({ PutRequest: { Item: { id: { S: id }, ...extra } } });

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Left', ['id', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('Right', ['id', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('Huge', ['id', 'S'])));
  });
  after(async () => server.dispose());

  it('writes and deletes across tables in one call, with capacity per table', async () => {
    const out = await db.send(new BatchWriteItemCommand({
      RequestItems: {
        Left: Array.from({ length: 15 }, (_, i) => put(`l${i}`, { v: { S: 'x' } })),
        Right: Array.from({ length: 10 }, (_, i) => put(`r${i}`)),
      },
      ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.deepEqual(out.UnprocessedItems, {});
    assert.deepEqual(out.ConsumedCapacity, [{ TableName: 'Left', CapacityUnits: 15 }, { TableName: 'Right', CapacityUnits: 10 }]);
    assert.equal(await count('Left'), 15);
    await db.send(new BatchWriteItemCommand({ RequestItems: { Left: [{ DeleteRequest: { Key: { id: { S: 'l0' } } } }, { DeleteRequest: { Key: { id: { S: 'missing' } } } }] } }));
    assert.equal(await count('Left'), 14);
  });

  it('reads across tables with projections; missing keys are simply absent', async () => {
    const out = await db.send(new BatchGetItemCommand({
      RequestItems: {
        Left: { Keys: [{ id: { S: 'l1' } }, { id: { S: 'l2' } }, { id: { S: 'nope' } }], ProjectionExpression: '#v', ExpressionAttributeNames: { '#v': 'v' } },
        Right: { Keys: [{ id: { S: 'r1' } }], ConsistentRead: true },
      },
      ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.deepEqual(out.Responses?.['Left'], [{ v: { S: 'x' } }, { v: { S: 'x' } }]);
    assert.deepEqual(out.Responses?.['Right'], [{ id: { S: 'r1' } }]);
    assert.deepEqual(out.UnprocessedKeys, {});
    assert.deepEqual(out.ConsumedCapacity, [{ TableName: 'Left', CapacityUnits: 1.5 }, { TableName: 'Right', CapacityUnits: 1 }]);
  });

  it('works through lib-dynamodb', async () => {
    const doc = DynamoDBDocumentClient.from(db);
    const out = await doc.send(new BatchGetCommand({ RequestItems: { Right: { Keys: [{ id: 'r2' }, { id: 'r3' }] } } }));
    assert.deepEqual(new Set(out.Responses?.['Right']?.map((i) => i['id'])), new Set(['r2', 'r3']));
  });

  it('hands back keys past 16 MB as UnprocessedKeys', async () => {
    const big = 'x'.repeat(390_000);
    for (let batch = 0; batch < 2; batch++) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { Huge: Array.from({ length: 25 }, (_, i) => put(`h${batch * 25 + i}`, { blob: { S: big } })) } }));
    }
    const keys = Array.from({ length: 50 }, (_, i) => ({ id: { S: `h${i}` } }));
    const first = await db.send(new BatchGetItemCommand({ RequestItems: { Huge: { Keys: keys, ProjectionExpression: 'id' } } }));
    const got = first.Responses?.['Huge']?.length ?? 0;
    const left = first.UnprocessedKeys?.['Huge']?.Keys?.length ?? 0;
    assert.ok(got > 0 && left > 0, `got ${got}, left ${left}`);
    assert.equal(got + left, 50);
    assert.equal(first.UnprocessedKeys?.['Huge']?.ProjectionExpression, 'id');
    const second = await db.send(new BatchGetItemCommand({ RequestItems: first.UnprocessedKeys ?? {} }));
    assert.equal(second.Responses?.['Huge']?.length, left);
  });

  const refusals: [string, ConstructorParameters<typeof BatchWriteItemCommand>[0], string, string][] = [
    ['duplicate keys', { RequestItems: { Left: [put('d'), { DeleteRequest: { Key: { id: { S: 'd' } } } }] } }, 'ValidationException', 'Provided list of item keys contains duplicates'],
    ['an empty request', { RequestItems: { Left: [put('e1'), {}] } }, 'ValidationException', 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
    ['a put without its key', { RequestItems: { Left: [put('e2'), { PutRequest: { Item: { other: { S: 'x' } } } }] } }, 'ValidationException', 'The provided key element does not match the schema'],
    ['an unknown table', { RequestItems: { Left: [put('e3')], Missing: [put('e4')] } }, 'ResourceNotFoundException', 'Requested resource not found'],
  ];
  for (const [name, input, type, message] of refusals) {
    it(`refuses ${name} and writes nothing`, async () => {
      const before = await count('Left');
      await assert.rejects(db.send(new BatchWriteItemCommand(input)), (error: Error) => error.name === type && error.message === message);
      assert.equal(await count('Left'), before);
    });
  }

  it('refuses more than 100 keys and duplicate keys in BatchGetItem', async () => {
    await assert.rejects(db.send(new BatchGetItemCommand({ RequestItems: { Left: { Keys: Array.from({ length: 60 }, (_, i) => ({ id: { S: `a${i}` } })) }, Right: { Keys: Array.from({ length: 41 }, (_, i) => ({ id: { S: `b${i}` } })) } } })),
      { name: 'ValidationException', message: 'Too many items requested for the BatchGetItem call' });
    await assert.rejects(db.send(new BatchGetItemCommand({ RequestItems: { Left: { Keys: [{ id: { S: 'x' } }, { id: { S: 'x' } }] } } })),
      { name: 'ValidationException', message: 'Provided list of item keys contains duplicates' });
  });
});
