// Several StratusDB processes (nodes) on one PostgreSQL, each request sent to whichever node: every
// node sees every table change at once, reads what another node acknowledged, and concurrent writes
// of one item through different nodes serialise (no lost update, conditions decided on the latest
// item); a transaction that meets another write on an item is cancelled with TransactionConflict; a
// ClientRequestToken holds across nodes. Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { onDemandTable } from '../helpers/tables.js';
import { until } from '../helpers/until.js';

const postgres = await postgresForSuite();

describe('three nodes on one PostgreSQL', { skip: postgres.skip }, () => {
  const nodes: ServerProcess[] = [];
  let db: DynamoDBClient[] = [];
  let data = '';
  before(async () => {
    if (postgres.skip !== false) return;
    data = freshSchemaUrl(postgres.url);
    // One node first (it creates the schema), then two more on the same data.
    nodes.push(...(await startNodes(3, { data })));
    db = nodes.map((n) => n.client());
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it('shows a table created, changed or deleted through one node through every other at once', async () => {
    const [a, b, c] = db as [DynamoDBClient, DynamoDBClient, DynamoDBClient];
    await a.send(new CreateTableCommand(onDemandTable('Shared', ['pk', 'S'])));
    // Used through another node the moment the create is answered.
    await b.send(new PutItemCommand({ TableName: 'Shared', Item: { pk: { S: 'one' }, g: { S: 'x' } } }));
    assert.deepEqual((await c.send(new ListTablesCommand({}))).TableNames, ['Shared']);
    assert.equal((await c.send(new DescribeTableCommand({ TableName: 'Shared' }))).Table?.TableStatus, 'ACTIVE');

    await a.send(new UpdateTableCommand({
      TableName: 'Shared', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
    }));
    const described = await b.send(new DescribeTableCommand({ TableName: 'Shared' }));
    assert.deepEqual(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName), ['byG']);

    await c.send(new DeleteTableCommand({ TableName: 'Shared' }));
    await assert.rejects(a.send(new DescribeTableCommand({ TableName: 'Shared' })), { name: 'ResourceNotFoundException', message: 'Requested resource not found: Table: Shared not found' });
    await assert.rejects(b.send(new PutItemCommand({ TableName: 'Shared', Item: { pk: { S: 'two' } } })), { name: 'ResourceNotFoundException', message: 'Requested resource not found' });
    assert.deepEqual((await a.send(new ListTablesCommand({}))).TableNames, []);
  });

  it('reads on any node what another acknowledged, with a strongly consistent read', async () => {
    await db[0]?.send(new CreateTableCommand(onDemandTable('Reads', ['pk', 'S'])));
    for (let i = 0; i < 30; i++) {
      const writer = db[i % 3] as DynamoDBClient;
      const reader = db[(i + 1) % 3] as DynamoDBClient;
      await writer.send(new PutItemCommand({ TableName: 'Reads', Item: { pk: { S: 'k' }, n: { N: String(i) } } }));
      const got = await reader.send(new GetItemCommand({ TableName: 'Reads', Key: { pk: { S: 'k' } }, ConsistentRead: true }));
      assert.equal(got.Item?.['n']?.N, String(i));
    }
  });

  it('serialises increments of one item through three nodes: none lost, each condition decided on the latest item', async () => {
    await db[0]?.send(new CreateTableCommand(onDemandTable('Counter', ['pk', 'S'])));
    await db[0]?.send(new PutItemCommand({ TableName: 'Counter', Item: { pk: { S: 'c' }, adds: { N: '0' }, version: { N: '0' } } }));
    const perClient = 40;
    // ADD increments: every one acknowledged is counted.
    const adds = db.flatMap((client) => [0, 1].map(async () => {
      for (let i = 0; i < perClient; i++) {
        await client.send(new UpdateItemCommand({ TableName: 'Counter', Key: { pk: { S: 'c' } }, UpdateExpression: 'ADD adds :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
      }
    }));
    // Optimistic increments: read the version, write version + 1 only if it is still the one read.
    let won = 0;
    let lost = 0;
    const optimistic = db.map(async (client) => {
      for (let i = 0; i < perClient; i++) {
        const seen = (await client.send(new GetItemCommand({ TableName: 'Counter', Key: { pk: { S: 'c' } }, ConsistentRead: true }))).Item?.['version']?.N ?? '0';
        try {
          await client.send(new UpdateItemCommand({
            TableName: 'Counter', Key: { pk: { S: 'c' } }, UpdateExpression: 'SET version = :next', ConditionExpression: 'version = :seen',
            ExpressionAttributeValues: { ':seen': { N: seen }, ':next': { N: String(Number(seen) + 1) } },
          }));
          won++;
        } catch (error) {
          assert.equal((error as Error).name, 'ConditionalCheckFailedException');
          lost++;
        }
      }
    });
    await Promise.all([...adds, ...optimistic]);
    const item = (await db[2]?.send(new GetItemCommand({ TableName: 'Counter', Key: { pk: { S: 'c' } }, ConsistentRead: true })))?.Item;
    assert.equal(item?.['adds']?.N, String(3 * 2 * perClient));
    assert.equal(item?.['version']?.N, String(won));
    assert.equal(won + lost, 3 * perClient);
  });

  it('never loses an update under transactions over overlapping items through three nodes; those that meet are cancelled with TransactionConflict', async () => {
    await db[0]?.send(new CreateTableCommand(onDemandTable('Pairs', ['pk', 'S'])));
    const counters = ['a', 'b', 'c', 'd'];
    const applied = new Map(counters.map((c) => [c, 0]));
    let conflicts = 0;
    await Promise.all(db.flatMap((client, node) => [0, 1].map(async (w) => {
      const random = seededRandom(10 * node + w + 1);
      for (let i = 0; i < 30; i++) {
        const first = Math.floor(random() * counters.length);
        const pair = [counters[first] as string, counters[(first + 1 + Math.floor(random() * (counters.length - 1))) % counters.length] as string];
        try {
          await client.send(new TransactWriteItemsCommand({
            TransactItems: pair.map((pk) => ({ Update: { TableName: 'Pairs', Key: { pk: { S: pk } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } })),
          }));
          for (const pk of pair) applied.set(pk, (applied.get(pk) ?? 0) + 1);
        } catch (error) {
          assert.equal((error as Error).name, 'TransactionCanceledException');
          const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
          assert.ok(reasons.some((r) => r.Code === 'TransactionConflict') && reasons.every((r) => r.Code === 'TransactionConflict' || r.Code === 'None'), JSON.stringify(reasons));
          conflicts++;
        }
      }
    })));
    for (const pk of counters) {
      const item = await db[0]?.send(new GetItemCommand({ TableName: 'Pairs', Key: { pk: { S: pk } }, ConsistentRead: true }));
      assert.equal(Number(item?.Item?.['n']?.N ?? '0'), applied.get(pk), `counter ${pk}`);
    }
    console.log(`overlapping transactions: ${180 - conflicts} applied, ${conflicts} cancelled with TransactionConflict`);
  });

  it('applies a transaction once when its retry, with the same ClientRequestToken, goes to another node', async () => {
    await db[0]?.send(new CreateTableCommand(onDemandTable('Tokens', ['pk', 'S'])));
    const transaction = (amount: string) => ({
      ClientRequestToken: 'transfer-1',
      TransactItems: [{ Update: { TableName: 'Tokens', Key: { pk: { S: 'a' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: amount } } } }],
    });
    for (const client of db) await client.send(new TransactWriteItemsCommand(transaction('1')));
    const item = await db[1]?.send(new GetItemCommand({ TableName: 'Tokens', Key: { pk: { S: 'a' } }, ConsistentRead: true }));
    assert.equal(item?.Item?.['n']?.N, '1');
    // The same token with other parameters, on yet another node, is refused.
    await assert.rejects((db[2] as DynamoDBClient).send(new TransactWriteItemsCommand(transaction('2'))), { name: 'IdempotentParameterMismatchException' });
  });

  it('cancels a transaction that meets another write on an item (TransactionConflict); a single write waits for it instead', async () => {
    const [a, b] = db as [DynamoDBClient, DynamoDBClient];
    await a.send(new CreateTableCommand(onDemandTable('Conflicts', ['pk', 'S'])));
    for (const pk of ['x', 'y']) await a.send(new PutItemCommand({ TableName: 'Conflicts', Item: { pk: { S: pk }, n: { N: '0' } } }));
    // Hold item x as another node's write in progress does: its lock, in an open transaction.
    const schema = new URL(data).searchParams.get('schema') as string;
    const holder = new pg.Client({ connectionString: postgres.url });
    await holder.connect();
    try {
      const row = (await holder.query<{ table_id: Buffer; key: Buffer }>(`SELECT table_id, key FROM ${schema}.items WHERE json LIKE '{"pk":{"S":"x"}%'`)).rows[0];
      assert.ok(row !== undefined);
      const lock = createHash('sha1').update(row.table_id).update(row.key).digest().readBigInt64BE(0);
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [String(lock)]);
      const add = (pk: string) => ({ Update: { TableName: 'Conflicts', Key: { pk: { S: pk } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } });
      const refused = await a.send(new TransactWriteItemsCommand({ TransactItems: [add('y'), add('x')] })).then(() => undefined, (error: unknown) => error);
      assert.equal((refused as Error).name, 'TransactionCanceledException');
      assert.equal((refused as Error).message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]');
      assert.deepEqual((refused as { CancellationReasons?: unknown }).CancellationReasons, [{ Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }]);
      const y = await b.send(new GetItemCommand({ TableName: 'Conflicts', Key: { pk: { S: 'y' } }, ConsistentRead: true }));
      assert.equal(y.Item?.['n']?.N, '0', 'nothing of the cancelled transaction was applied');

      // A single-item write waits for the item (PostgreSQL shows its lock request waiting), then applies.
      const put = b.send(new UpdateItemCommand({ ...add('x').Update, ReturnValues: 'ALL_NEW' }));
      const [classid, objid] = [String(BigInt.asUintN(64, lock) >> 32n), String(BigInt.asUintN(64, lock) & 0xffffffffn)];
      await until(async () => {
        const waiting = await holder.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2`, [classid, objid]);
        return waiting.rowCount === 1;
      }, 'the UpdateItem waiting for the item');
      await holder.query('ROLLBACK');
      assert.equal((await put).Attributes?.['n']?.N, '1');
    } finally {
      await holder.end();
    }
    await a.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: { TableName: 'Conflicts', Key: { pk: { S: 'x' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }] }));
    const x = await b.send(new GetItemCommand({ TableName: 'Conflicts', Key: { pk: { S: 'x' } }, ConsistentRead: true }));
    assert.equal(x.Item?.['n']?.N, '2');
  });
});
