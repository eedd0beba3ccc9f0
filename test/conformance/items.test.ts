// PutItem, GetItem, DeleteItem through the AWS SDK (and lib-dynamodb) against a real server process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';

describe('single items', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Items', ['pk', 'S'], ['sk', 'N'])));
    await db.send(new CreateTableCommand(onDemandTable('Blobs', ['id', 'B'])));
  });
  after(async () => server.dispose());

  it('stores every type and returns it normalised: numbers canonical, sets sorted', async () => {
    await db.send(new PutItemCommand({
      TableName: 'Items',
      Item: {
        pk: { S: 'all' }, sk: { N: '01.50' },
        s: { S: 'héllo' }, n: { N: '-0001.2300E+2' }, b: { B: Uint8Array.from([1, 2, 3]) },
        t: { BOOL: true }, z: { NULL: true },
        ss: { SS: ['b', 'a', 'é', 'Z'] }, ns: { NS: ['10', '9', '-1', '1.5e1'] }, bs: { BS: [Uint8Array.from([2]), Uint8Array.from([1, 0])] },
        l: { L: [{ S: 'x' }, { N: '1E+2' }, { L: [] }] }, m: { M: { deep: { M: { v: { N: '0.000' } } } } },
      },
    }));
    const got = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'all' }, sk: { N: '1.5' } }, ConsistentRead: true }));
    assert.deepEqual(got.Item, {
      pk: { S: 'all' }, sk: { N: '1.5' },
      s: { S: 'héllo' }, n: { N: '-123' }, b: { B: Uint8Array.from([1, 2, 3]) },
      t: { BOOL: true }, z: { NULL: true },
      ss: { SS: ['Z', 'a', 'b', 'é'] }, ns: { NS: ['-1', '9', '10', '15'] }, bs: { BS: [Uint8Array.from([1, 0]), Uint8Array.from([2])] },
      l: { L: [{ S: 'x' }, { N: '100' }, { L: [] }] }, m: { M: { deep: { M: { v: { N: '0' } } } } },
    });
  });

  it('keeps numbers at the edges of the range exactly', async () => {
    const big = '9.9999999999999999999999999999999999999E+125';
    const small = '1E-130';
    const precise = '12345678901234567890123456789012345678';
    await db.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'edge' }, sk: { N: small }, big: { N: big }, neg: { N: `-${precise}` } } }));
    const got = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'edge' }, sk: { N: '0.' + '0'.repeat(129) + '1' } } }));
    assert.equal(got.Item?.['big']?.N, '99999999999999999999999999999999999999' + '0'.repeat(88));
    assert.equal(got.Item?.['neg']?.N, `-${precise}`);
    assert.equal(got.Item?.['sk']?.N, '0.' + '0'.repeat(129) + '1');
  });

  it('replaces on put and returns ALL_OLD; consumed capacity follows the larger item', async () => {
    const key = { pk: { S: 'cap' }, sk: { N: '1' } };
    const first = await db.send(new PutItemCommand({ TableName: 'Items', Item: { ...key, v: { S: 'x'.repeat(3000) } }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(first.Attributes, undefined);
    assert.deepEqual(first.ConsumedCapacity, { TableName: 'Items', CapacityUnits: 3 });
    const second = await db.send(new PutItemCommand({ TableName: 'Items', Item: { ...key, v: { S: 'small' } }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'INDEXES' }));
    assert.equal(second.Attributes?.['v']?.S?.length, 3000);
    assert.deepEqual(second.ConsumedCapacity, { TableName: 'Items', CapacityUnits: 3, Table: { CapacityUnits: 3 } });
    const eventual = await db.send(new GetItemCommand({ TableName: 'Items', Key: key, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(eventual.ConsumedCapacity, { TableName: 'Items', CapacityUnits: 0.5 });
    const missing = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'none' }, sk: { N: '1' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(missing.Item, undefined);
    assert.deepEqual(missing.ConsumedCapacity, { TableName: 'Items', CapacityUnits: 1 });
  });

  it('reads 4 KB units: a 9 KB item costs 3 consistent units, 1.5 eventual', async () => {
    const key = { pk: { S: 'big' }, sk: { N: '2' } };
    await db.send(new PutItemCommand({ TableName: 'Items', Item: { ...key, v: { S: 'y'.repeat(9000) } } }));
    const strong = await db.send(new GetItemCommand({ TableName: 'Items', Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(strong.ConsumedCapacity?.CapacityUnits, 3);
    const weak = await db.send(new GetItemCommand({ TableName: 'Items', Key: key, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(weak.ConsumedCapacity?.CapacityUnits, 1.5);
  });

  it('narrows GetItem with AttributesToGet', async () => {
    const got = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'all' }, sk: { N: '1.5' } }, AttributesToGet: ['s', 't', 'absent'] }));
    assert.deepEqual(got.Item, { s: { S: 'héllo' }, t: { BOOL: true } });
  });

  it('deletes with ALL_OLD; deleting a missing item succeeds and changes nothing', async () => {
    const key = { pk: { S: 'del' }, sk: { N: '7' } };
    await db.send(new PutItemCommand({ TableName: 'Items', Item: { ...key, a: { S: 'b' } } }));
    const before = (await db.send(new DescribeTableCommand({ TableName: 'Items' }))).Table?.ItemCount ?? 0;
    const removed = await db.send(new DeleteItemCommand({ TableName: 'Items', Key: key, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(removed.Attributes, { ...key, a: { S: 'b' } });
    assert.deepEqual(removed.ConsumedCapacity, { TableName: 'Items', CapacityUnits: 1 });
    const again = await db.send(new DeleteItemCommand({ TableName: 'Items', Key: key, ReturnValues: 'ALL_OLD' }));
    assert.equal(again.Attributes, undefined);
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'Items' }))).Table?.ItemCount, before - 1);
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Items', Key: key }))).Item, undefined);
  });

  it('accepts attribute names up to 65,535 bytes', async () => {
    const name = 'n'.repeat(65535);
    await db.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'long-name' }, sk: { N: '1' }, [name]: { S: 'v' } } }));
    const got = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'long-name' }, sk: { N: '1' } } }));
    assert.equal(got.Item?.[name]?.S, 'v');
  });

  it('uses binary keys by their bytes', async () => {
    await db.send(new PutItemCommand({ TableName: 'Blobs', Item: { id: { B: Uint8Array.from([0, 255]) }, v: { N: '1' } } }));
    const got = await db.send(new GetItemCommand({ TableName: 'Blobs', Key: { id: { B: Uint8Array.from([0, 255]) } } }));
    assert.deepEqual(got.Item, { id: { B: Uint8Array.from([0, 255]) }, v: { N: '1' } });
  });

  it('treats numerically equal keys as the same item', async () => {
    await db.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'num' }, sk: { N: '100' }, v: { S: 'first' } } }));
    await db.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: 'num' }, sk: { N: '1E2' }, v: { S: 'second' } } }));
    const got = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'num' }, sk: { N: '100.000' } } }));
    assert.equal(got.Item?.['v']?.S, 'second');
  });

  it('works through lib-dynamodb (DocumentClient)', async () => {
    const doc = DynamoDBDocumentClient.from(db);
    await doc.send(new PutCommand({ TableName: 'Items', Item: { pk: 'doc', sk: 3, tags: new Set(['b', 'a']), nested: { list: [1, 'two', null, true] } } }));
    const got = await doc.send(new GetCommand({ TableName: 'Items', Key: { pk: 'doc', sk: 3 } }));
    assert.deepEqual(got.Item, { pk: 'doc', sk: 3, tags: new Set(['a', 'b']), nested: { list: [1, 'two', null, true] } });
  });

  it('keeps acknowledged items across a restart', localOnly, async () => {
    const dataDir = server.dataDir;
    assert.equal(await server.stop(), 0);
    server = await startServerProcess({ dataDir });
    db = server.client();
    const got = await db.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: 'num' }, sk: { N: '100' } } }));
    assert.equal(got.Item?.['v']?.S, 'second');
  });
});
