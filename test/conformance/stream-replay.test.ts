// The stream replay invariant: concurrent clients write with every kind of write (PutItem, UpdateItem,
// DeleteItem, conditional ones that fail, BatchWriteItem, TransactWriteItems — some cancelled — and
// PartiQL), over a small key space so items are rewritten often and many writes change nothing. The
// writes come in rounds; between rounds the server's clock (--test-clock) jumps past the shard
// rollover, so each round writes into a new shard and the consumer follows lineage. Reading the whole
// NEW_AND_OLD_IMAGES stream and replaying it onto an empty table must rebuild the table exactly: per
// item, each record's OldImage is exactly the replayed item (no gap, duplicate or reordering), INSERT
// only for a missing item, no MODIFY that changes nothing. On LMDB the server is killed (-9) in the
// second round once half its writes are answered, and restarted. Fixed, seeded writes: no timing.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, ExecuteStatementCommand, PutItemCommand, ScanCommand,
  TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { KillSwitch } from '../helpers/kill-switch.js';
import { listShards, readStream } from '../helpers/stream-reader.js';

type Item = Record<string, AttributeValue>;
const clients = 8;
const writesPerClient = 10;
const rounds = 4;
const rolloverMs = 60 * 60 * 1000;
const expectedRefusals = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException', 'DuplicateItemException', 'TransactionConflictException']);

function keyOf(random: () => number): { pk: AttributeValue; sk: AttributeValue } {
  return { pk: { S: `p${Math.floor(random() * 5)}` }, sk: { S: `s${Math.floor(random() * 6)}` } };
}

/** A small value domain, so that many puts leave an item as it was. */
function itemOf(random: () => number, key: { pk: AttributeValue; sk: AttributeValue }): Item {
  const item: Item = { ...key, v: { N: String(Math.floor(random() * 3)) } };
  if (random() < 0.5) item['tag'] = { S: `t${Math.floor(random() * 2)}` };
  if (random() < 0.2) item['set'] = { SS: ['b', 'a'] };
  return item;
}

function distinctKeys(random: () => number, count: number): { pk: AttributeValue; sk: AttributeValue }[] {
  const keys = new Map<string, { pk: AttributeValue; sk: AttributeValue }>();
  while (keys.size < count) {
    const key = keyOf(random);
    keys.set(`${key.pk.S}/${key.sk.S}`, key);
  }
  return [...keys.values()];
}

/** One random write of any kind. */
async function writeOnce(db: DynamoDBClient, random: () => number): Promise<void> {
  const kind = Math.floor(random() * 8);
  const key = keyOf(random);
  const TableName = 'Replay';
  switch (kind) {
    case 0:
      await db.send(new PutItemCommand({ TableName, Item: itemOf(random, key) }));
      return;
    case 1:
      await db.send(new UpdateItemCommand({ TableName, Key: key, UpdateExpression: 'SET v = if_not_exists(v, :zero) + :one', ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } } }));
      return;
    case 2:
      // Conditional: fails on a missing item; REMOVE of a missing attribute changes nothing.
      await db.send(new UpdateItemCommand({ TableName, Key: key, UpdateExpression: 'REMOVE tag', ConditionExpression: 'attribute_exists(pk)' }));
      return;
    case 3:
      await db.send(new DeleteItemCommand({ TableName, Key: key, ...(random() < 0.3 ? { ConditionExpression: 'v = :one', ExpressionAttributeValues: { ':one': { N: '1' } } } : {}) }));
      return;
    case 4: {
      const keys = distinctKeys(random, 3);
      await db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: keys.map((k) => (random() < 0.7 ? { PutRequest: { Item: itemOf(random, k) } } : { DeleteRequest: { Key: k } })) } }));
      return;
    }
    case 5: {
      const [a, b, c] = distinctKeys(random, 3) as [typeof key, typeof key, typeof key];
      await db.send(new TransactWriteItemsCommand({ TransactItems: [
        { Put: { TableName, Item: itemOf(random, a) } },
        { Update: { TableName, Key: b, UpdateExpression: 'SET tag = :t', ExpressionAttributeValues: { ':t': { S: 'tx' } } } },
        // Sometimes cancels the whole transaction.
        { ConditionCheck: { TableName, Key: c, ConditionExpression: random() < 0.5 ? 'attribute_exists(pk) OR attribute_not_exists(pk)' : 'attribute_exists(pk)' } },
      ] }));
      return;
    }
    case 6:
      await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "Replay" SET v = 7 WHERE pk = '${key.pk.S}' AND sk = '${key.sk.S}'` }));
      return;
    default:
      await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Replay" VALUE {'pk': '${key.pk.S}', 'sk': '${key.sk.S}', 'v': 0}` }));
  }
}

/** A fixed number of seeded writes; stops once the server is gone. Expected refusals are answers too. */
async function writer(db: DynamoDBClient, seed: number, tally: { acknowledged: number }, killSwitch: KillSwitch): Promise<void> {
  const random = seededRandom(seed);
  for (let n = 0; n < writesPerClient && !killSwitch.killed; n++) {
    try {
      await writeOnce(db, random);
      tally.acknowledged++;
    } catch (error) {
      if (killSwitch.killed) break; // the server was killed under us
      if (!expectedRefusals.has((error as Error).name)) throw error;
    }
    killSwitch.answer();
  }
}

/** Replays the stream onto an empty table, checking every record against the replayed item. */
function replay(records: Awaited<ReturnType<typeof readStream>>): Map<string, Item> {
  const table = new Map<string, Item>();
  let previous = -1n;
  for (const record of records) {
    const sequence = BigInt(record.dynamodb?.SequenceNumber ?? '0');
    assert.ok(sequence > previous, 'sequence numbers increase through the stream');
    previous = sequence;
    const keys = record.dynamodb?.Keys as Item;
    const id = `${keys['pk']?.S}/${keys['sk']?.S}`;
    const current = table.get(id);
    const { OldImage, NewImage } = record.dynamodb ?? {};
    switch (record.eventName) {
      case 'INSERT':
        assert.equal(current, undefined, `INSERT of ${id}, which exists`);
        assert.equal(OldImage, undefined);
        table.set(id, NewImage as Item);
        break;
      case 'MODIFY':
        assert.deepEqual(OldImage, current, `MODIFY of ${id}: OldImage is not the item as replayed`);
        assert.notDeepEqual(NewImage, OldImage, `MODIFY of ${id} that changes nothing`);
        table.set(id, NewImage as Item);
        break;
      case 'REMOVE':
        assert.deepEqual(OldImage, current, `REMOVE of ${id}: OldImage is not the item as replayed`);
        assert.equal(NewImage, undefined);
        table.delete(id);
        break;
      default:
        assert.fail(`unknown eventName ${record.eventName}`);
    }
  }
  return table;
}

async function scanAll(db: DynamoDBClient): Promise<Map<string, Item>> {
  const items = new Map<string, Item>();
  let start: Item | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: 'Replay', ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    for (const item of page.Items ?? []) items.set(`${item['pk']?.S}/${item['sk']?.S}`, item);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`stream replay invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it('replaying the stream rebuilds the table exactly', { ...localOnly, timeout: 120_000 }, async () => {
      const args = ['--stream-shard-rollover-ms', String(rolloverMs), '--test-clock'];
      server = await startServerProcess({ args: adapter === 'memory' ? [...args, '--in-memory'] : args });
      let db = server.client();
      let streams: DynamoDBStreamsClient = server.streamsClient();
      await db.send(new CreateTableCommand({
        TableName: 'Replay', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'tag', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byTag', KeySchema: [{ AttributeName: 'tag', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }));
      const arn = (await db.send(new DescribeTableCommand({ TableName: 'Replay' }))).Table?.LatestStreamArn as string;
      const tally = { acknowledged: 0 };
      let advanced = 0;
      for (let round = 0; round < rounds; round++) {
        if (round > 0) {
          // Past the rollover: the round's first write opens the next shard.
          advanced += rolloverMs + 1;
          await server.advanceClock(rolloverMs + 1);
        }
        // A write that always records (a key of its own), so every round has a shard.
        await db.send(new PutItemCommand({ TableName: 'Replay', Item: { pk: { S: `round${round}` }, sk: { S: 'marker' } } }));
        const killSwitch = new KillSwitch(server, adapter === 'lmdb' && round === 1 ? (clients * writesPerClient) / 2 : undefined);
        const client = db;
        await Promise.all(Array.from({ length: clients }, (_, c) => writer(client, 100 * round + c + 1, tally, killSwitch)));
        await killSwitch.done();
        if (killSwitch.killed) {
          // kill -9 with writes in flight, then restart on the same data, the clock where it was.
          server = await startServerProcess({ dataDir: server.dataDir, args });
          await server.advanceClock(advanced);
          db = server.client();
          streams = server.streamsClient();
        }
      }
      const acknowledged = tally.acknowledged;
      const records = await readStream(streams, arn);
      const shards = (await listShards(streams, arn)).length;
      const replayed = replay(records);
      const table = await scanAll(db);
      assert.deepEqual(replayed, table);
      assert.equal(shards, rounds);
      assert.ok(records.length >= rounds, `${records.length} records`);
      console.log(`stream replay (${adapter}): ${acknowledged} writes acknowledged, ${records.length} records over ${shards} shards replayed onto ${table.size} items exactly`);
    });
  });
}
