// Table changes racing each other on one table name, under writes: every ordered pair of CreateTable,
// DeleteTable, UpdateTable (stream, GSI create, GSI delete), TagResource, UntagResource and
// UpdateTimeToLive, sent at the same moment. Whatever order the server picks, the answers must tell
// one story: a deleted table stays deleted (no zombie, also after kill -9), a change answered 200
// is not lost to another, every acknowledged write to a table that still exists is there, and
// concurrent creates of one name make exactly one table.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand,
  ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand, TagResourceCommand, UntagResourceCommand, UpdateTableCommand, UpdateTimeToLiveCommand,
  type CreateTableCommandInput, type DynamoDBClient, type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';

const operations = ['create', 'delete', 'stream', 'tag', 'untag', 'ttl', 'gsiCreate', 'gsiDelete'] as const;
type Operation = (typeof operations)[number];
const preloaded = 200;
const racingWrites = 12;

function definition(name: string): CreateTableCommandInput {
  return {
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'Gsi0', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    Tags: [{ Key: 'base', Value: '1' }],
  };
}

function send(db: DynamoDBClient, op: Operation, name: string): Promise<unknown> {
  const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
  switch (op) {
    case 'create': return db.send(new CreateTableCommand(definition(name)));
    case 'delete': return db.send(new DeleteTableCommand({ TableName: name }));
    case 'stream': return db.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    case 'tag': return db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'added', Value: '1' }] }));
    case 'untag': return db.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['base'] }));
    case 'ttl': return db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    case 'gsiCreate': return db.send(new UpdateTableCommand({
      TableName: name, AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'Gsi1', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    case 'gsiDelete': return db.send(new UpdateTableCommand({ TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'Gsi0' } }] }));
  }
}

/** The exceptions a table change may meet in a race (never a 5xx, never anything else). */
const raceErrors = new Set(['ResourceNotFoundException', 'ResourceInUseException', 'ValidationException', 'LimitExceededException']);

async function outcome(promise: Promise<unknown>): Promise<'ok' | string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    const name = (error as Error).name;
    assert.ok(raceErrors.has(name), `${name}: ${(error as Error).message}`);
    return name;
  }
}

async function describe_(db: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await db.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    assert.equal((error as Error).name, 'ResourceNotFoundException');
    return undefined;
  }
}

interface Round {
  readonly name: string;
  readonly pair: readonly [Operation, Operation];
  /** The TableId the table must have at the end, or undefined for none. */
  readonly tableId: string | undefined;
  /** Items acknowledged while the table kept its original id. */
  readonly acknowledged: readonly string[];
}

describe('concurrent table changes', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const rounds: Round[] = [];
  before(async () => {
    server = await startServerProcess();
    db = server.client();
  });
  after(async () => server.dispose());

  it('every ordered pair of table changes, under writes, tells one story', { timeout: 300_000 }, async () => {
    let n = 0;
    for (const a of operations) {
      for (const b of operations) {
        const name = `Race${n++}`;
        const original = (await db.send(new CreateTableCommand(definition(name)))).TableDescription?.TableId as string;
        for (let i = 0; i < preloaded; i += 25) {
          await db.send(new BatchWriteItemCommand({ RequestItems: { [name]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: { S: `p${i + j}` }, g: { S: 'x' } } } })) } }));
        }
        const writes = Array.from({ length: racingWrites }, (_, i) => db.send(new PutItemCommand({ TableName: name, Item: { id: { S: `w${i}` }, g: { S: 'y' } } })).then(() => `w${i}`, (error: Error) => {
          assert.equal(error.name, 'ResourceNotFoundException', error.message);
          return undefined;
        }));
        const [first, second] = await Promise.all([outcome(send(db, a, name)), outcome(send(db, b, name))]);
        const acknowledgedWrites = (await Promise.all(writes)).filter((w): w is string => w !== undefined);
        const results = new Map<Operation, string[]>();
        for (const [op, result] of [[a, first], [b, second]] as const) results.set(op, [...(results.get(op) ?? []), result]);
        const succeeded = (op: Operation): boolean => results.get(op)?.includes('ok') === true;
        const table = await describe_(db, name);
        const context = `${a} + ${b}: ${first}, ${second}`;
        if (succeeded('delete') && !succeeded('create')) {
          assert.equal(table, undefined, `zombie after ${context}`);
          await rejects(db.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'late' }, g: { S: 'z' } } })), 'ResourceNotFoundException', 'Requested resource not found');
          assert.ok(!(await db.send(new ListTablesCommand({}))).TableNames?.includes(name), context);
        }
        if (!succeeded('delete')) {
          assert.equal(table?.TableId, original, context);
          assert.equal(succeeded('create'), false, context);
        }
        if (table !== undefined && table.TableId !== original) assert.ok(succeeded('create') && succeeded('delete'), context);
        const kept = table?.TableId === original;
        if (kept) {
          // A change answered 200 is visible: no other change overwrote it.
          if (succeeded('stream')) assert.equal(table.StreamSpecification?.StreamEnabled, true, `stream lost: ${context}`);
          if (succeeded('tag')) assert.ok(table.TableArn !== undefined && (await tagsOf(db, table.TableArn)).includes('added'), `tag lost: ${context}`);
          if (succeeded('untag')) assert.ok(!(await tagsOf(db, table.TableArn as string)).includes('base'), `untag lost: ${context}`);
          if (succeeded('ttl')) assert.equal((await db.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription?.TimeToLiveStatus !== 'DISABLED', true, `TTL lost: ${context}`);
          if (succeeded('gsiCreate')) assert.ok(table.GlobalSecondaryIndexes?.some((g) => g.IndexName === 'Gsi1'), `GSI create lost: ${context}`);
          if (succeeded('gsiDelete')) assert.ok(!table.GlobalSecondaryIndexes?.some((g) => g.IndexName === 'Gsi0' && g.IndexStatus !== 'DELETING'), `GSI delete lost: ${context}`);
          for (const id of [...acknowledgedWrites, 'p0', `p${preloaded - 1}`]) {
            assert.ok((await db.send(new GetItemCommand({ TableName: name, Key: { id: { S: id } }, ConsistentRead: true }))).Item, `${id} lost: ${context}`);
          }
        }
        rounds.push({ name, pair: [a, b], tableId: table?.TableId, acknowledged: kept ? acknowledgedWrites : [] });
      }
    }
  });

  it('keeps the same story after kill -9 and restart', { ...localOnly, timeout: 120_000 }, async () => {
    await server.kill();
    server = await startServerProcess({ dataDir: server.dataDir });
    db = server.client();
    for (const round of rounds) {
      const table = await describe_(db, round.name);
      assert.equal(table?.TableId, round.tableId, `${round.pair.join(' + ')} after restart`);
      for (const id of round.acknowledged) assert.ok((await db.send(new GetItemCommand({ TableName: round.name, Key: { id: { S: id } } }))).Item, `${round.name} ${id} after restart`);
    }
  });

  it('lets exactly one of ten concurrent CreateTable calls of one name succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `Created${round}`;
      const results = await Promise.all(Array.from({ length: 10 }, () => db.send(new CreateTableCommand(definition(name))).then(
        (r) => r.TableDescription?.TableId as string,
        (error: Error) => {
          assert.deepEqual([error.name, error.message], ['ResourceInUseException', `Table already exists: ${name}`]);
          return undefined;
        },
      )));
      const ids = results.filter((id): id is string => id !== undefined);
      assert.equal(ids.length, 1, `round ${round}: ${ids.length} creates succeeded`);
      await db.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'after' }, g: { S: 'x' } } }));
      assert.equal((await describe_(db, name))?.TableId, ids[0]);
      assert.ok((await db.send(new GetItemCommand({ TableName: name, Key: { id: { S: 'after' } } }))).Item);
    }
  });

  it('lets exactly one of ten concurrent DeleteTable calls of one table succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `Deleted${round}`;
      await db.send(new CreateTableCommand(definition(name)));
      const results = await Promise.all(Array.from({ length: 10 }, () => db.send(new DeleteTableCommand({ TableName: name })).then(
        () => 'ok',
        (error: Error) => {
          assert.deepEqual([error.name, error.message], ['ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`]);
          return error.name;
        },
      )));
      assert.equal(results.filter((r) => r === 'ok').length, 1, `round ${round}`);
      assert.equal(await describe_(db, name), undefined);
    }
  });
});

async function tagsOf(db: DynamoDBClient, arn: string): Promise<string[]> {
  return ((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags ?? []).map((t) => t.Key as string);
}
