// A stream over time, with an injected clock so hours pass at once: shards roll over to child shards
// (lineage, CHILD_SHARDS, closed shards drain to a null iterator), iterators expire after 15 minutes,
// records older than 24 hours are trimmed (TrimmedDataAccessException), closed shards and disabled
// streams age out, a deleted table's stream stays readable, and TTL deletions appear as service
// REMOVE records (scenario 10).
import assert from 'node:assert/strict';
import { localOnly } from '../helpers/server-process.js';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { startServer, type RunningServer } from '../../src/index.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { drainShard, listShards, readStream } from '../helpers/stream-reader.js';
import { onDemandTable } from '../helpers/tables.js';

const hourMs = 60 * 60 * 1000;
const S = (s: string): AttributeValue => ({ S: s });


describe('stream lifecycle (injected clock)', localOnly, () => {
  let now = Date.UTC(2030, 0, 1);
  let server: RunningServer;
  let db: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
  const create = async (name: string, view: 'KEYS_ONLY' | 'NEW_AND_OLD_IMAGES' = 'KEYS_ONLY'): Promise<string> => {
    await db.send(new CreateTableCommand({ ...onDemandTable(name, ['pk', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: view } }));
    return (await db.send(new DescribeTableCommand({ TableName: name }))).Table?.LatestStreamArn as string;
  };
  const put = (table: string, pk: string, extra: Record<string, AttributeValue> = {}) => db.send(new PutItemCommand({ TableName: table, Item: { pk: S(pk), ...extra } }));
  const keysOf = (records: readonly _Record[]) => records.map((r) => r.dynamodb?.Keys?.['pk']?.S);

  before(async () => {
    server = await startServer({
      port: 0, data: 'memory://', clock: { now: () => now }, streamTrimIntervalMs: 10, ttlSweepIntervalMs: 10, ttlTransitionMs: 0,
    });
    db = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    streams = new DynamoDBStreamsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    db.destroy();
    streams.destroy();
    await server.close();
  });

  it('rolls shards over after four hours: child shards with their parent, the parent closed and drained', async () => {
    const arn = await create('Rolling');
    await put('Rolling', 'a');
    now += 4 * hourMs;
    await put('Rolling', 'b');
    now += 4 * hourMs;
    await put('Rolling', 'c');
    await put('Rolling', 'd');
    const shards = await listShards(streams, arn);
    assert.equal(shards.length, 3);
    assert.deepEqual(shards.map((s) => s.ParentShardId), [undefined, shards[0]?.ShardId, shards[1]?.ShardId]);
    assert.deepEqual([...shards.map((s) => s.ShardId)].sort(), shards.map((s) => s.ShardId), 'shard ids sort by age');
    assert.ok(shards[0]?.SequenceNumberRange?.EndingSequenceNumber !== undefined);
    assert.ok(shards[1]?.SequenceNumberRange?.EndingSequenceNumber !== undefined);
    assert.equal(shards[2]?.SequenceNumberRange?.EndingSequenceNumber, undefined);
    // The parent's iterator gives its one record, then no further iterator: the shard is closed and drained.
    const parentIterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shards[0]?.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    const first = await streams.send(new GetRecordsCommand({ ShardIterator: parentIterator }));
    assert.deepEqual(keysOf(first.Records ?? []), ['a']);
    assert.equal(first.NextShardIterator, undefined);
    // A consumer following lineage reads everything in order.
    assert.deepEqual(keysOf(await readStream(streams, arn)), ['a', 'b', 'c', 'd']);
    const children = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId: shards[0]?.ShardId } }));
    assert.deepEqual(children.StreamDescription?.Shards?.map((s) => s.ShardId), [shards[1]?.ShardId]);
    // A filter without its Type or its ShardId is refused (DynamoDB does; its text is not recorded).
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { ShardId: shards[0]?.ShardId } })), 'ValidationException',
      "1 validation error detected: Value null at 'shardFilter.type' failed to satisfy constraint: Member must not be null");
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS' } })), 'ValidationException',
      "1 validation error detected: Value null at 'shardFilter.shardId' failed to satisfy constraint: Member must not be null");
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: {} })), 'ValidationException',
      "2 validation errors detected: Value null at 'shardFilter.type' failed to satisfy constraint: Member must not be null; Value null at 'shardFilter.shardId' failed to satisfy constraint: Member must not be null");
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'PARENT_SHARDS' as 'CHILD_SHARDS', ShardId: shards[0]?.ShardId } })), 'ValidationException',
      "1 validation error detected: Value 'PARENT_SHARDS' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]");
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId: 'qwerty' } })), 'ValidationException',
      "1 validation error detected: Value 'qwerty' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28");
    const page = await streams.send(new DescribeStreamCommand({ StreamArn: arn, Limit: 1 }));
    assert.equal(page.StreamDescription?.Shards?.length, 1);
    assert.equal(page.StreamDescription?.LastEvaluatedShardId, shards[0]?.ShardId);
    const last = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: shards[2]?.ShardId }));
    assert.deepEqual(last.StreamDescription?.Shards, []);
    // LATEST on a closed shard points past its end: nothing to read, and no further iterator.
    const latestClosed = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shards[1]?.ShardId, ShardIteratorType: 'LATEST' }))).ShardIterator;
    const none = await streams.send(new GetRecordsCommand({ ShardIterator: latestClosed }));
    assert.deepEqual(none.Records, []);
    assert.equal(none.NextShardIterator, undefined);
  });

  it('expires iterators 15 minutes after they were issued', async () => {
    const arn = await create('Expiring');
    const shardId = (await listShards(streams, arn))[0]?.ShardId;
    const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }))).ShardIterator;
    now += 15 * 60 * 1000;
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    assert.deepEqual(page.Records, []);
    now += 1;
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: iterator })), 'ExpiredIteratorException', 'The provided iterator exceeds the maximum age allowed.');
    // The iterator a read hands back is new: it lives another 15 minutes.
    const fresh = await streams.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }));
    assert.deepEqual(fresh.Records, []);
  });

  it('trims records older than 24 hours and refuses iterators into trimmed data', async () => {
    const arn = await create('Trimmed');
    await put('Trimmed', 'old1');
    await put('Trimmed', 'old2');
    const shardId = (await listShards(streams, arn))[0]?.ShardId as string;
    const oldRecords = await readStream(streams, arn);
    now += 20 * hourMs;
    await put('Trimmed', 'young');
    now += 4 * hourMs - 60_000;
    // Issued a minute before the old records age out; used after.
    const stale = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    now += 2 * 60_000;
    await until(async () => (await readStream(streams, arn).catch(() => [])).length === 1, 'the old records to be trimmed');
    assert.deepEqual(keysOf(await readStream(streams, arn)), ['young']);
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: stale })), 'TrimmedDataAccessException', 'The data you are trying to access has been trimmed.');
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: oldRecords[0]?.dynamodb?.SequenceNumber })),
      'TrimmedDataAccessException', 'The data you are trying to access has been trimmed.');
    // Just after the last trimmed record is still a valid start: here the end of the first shard ('young'
    // was written 20 hours later, in a child shard).
    const afterTrimmed = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: oldRecords[1]?.dynamodb?.SequenceNumber }))).ShardIterator;
    assert.deepEqual(await drainShard(streams, afterTrimmed), { records: [], next: undefined });
  });

  it('stops listing shards closed more than 24 hours ago', async () => {
    const arn = await create('Aging');
    await put('Aging', 'a');
    now += 5 * hourMs;
    await put('Aging', 'b');
    assert.equal((await listShards(streams, arn)).length, 2);
    now += 25 * hourMs;
    await put('Aging', 'c');
    // Shard 0 closed 25 hours ago: no longer listed. Shard 1's record is 25 hours old: trimmed.
    const shards = await listShards(streams, arn);
    assert.equal(shards.length, 2);
    await until(async () => (await readStream(streams, arn).catch(() => [])).length === 1, 'the old records to be trimmed');
    assert.deepEqual(keysOf(await readStream(streams, arn)), ['c']);
    assert.equal(shards[1]?.SequenceNumberRange?.EndingSequenceNumber, undefined);
  });

  it("keeps a deleted table's stream readable (DISABLED) until it ages out, and a disabled stream likewise", async () => {
    const arn = await create('Deleted', 'NEW_AND_OLD_IMAGES');
    await put('Deleted', 'x');
    await db.send(new DeleteTableCommand({ TableName: 'Deleted' }));
    const description = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
    assert.equal(description?.StreamStatus, 'DISABLED');
    assert.ok(description?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber !== undefined);
    assert.deepEqual(keysOf(await readStream(streams, arn)), ['x']);
    const disabledArn = await create('Disabled');
    await db.send(new UpdateTableCommand({ TableName: 'Disabled', StreamSpecification: { StreamEnabled: false } }));
    now += 24 * hourMs + 1000;
    for (const gone of [arn, disabledArn]) {
      await until(async () => !((await streams.send(new ListStreamsCommand({}))).Streams ?? []).some((s) => s.StreamArn === gone), 'the closed stream to age out');
      await rejects(streams.send(new DescribeStreamCommand({ StreamArn: gone })), 'ResourceNotFoundException', `Requested resource not found: Stream: ${gone} not found`);
    }
  });

  it('scenario 10: TTL deletions appear in the stream as REMOVE records by the DynamoDB service', async () => {
    const arn = await create('Expiry', 'NEW_AND_OLD_IMAGES');
    await db.send(new UpdateTimeToLiveCommand({ TableName: 'Expiry', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    const seconds = Math.floor(now / 1000);
    await put('Expiry', 'expired', { expiresAt: { N: String(seconds - 10) } });
    await put('Expiry', 'future', { expiresAt: { N: String(seconds + 3600) } });
    await put('Expiry', 'byHand');
    await db.send(new DeleteItemCommand({ TableName: 'Expiry', Key: { pk: S('byHand') } }));
    await until(async () => (await readStream(streams, arn)).length === 5, 'the expired item to be deleted');
    const records = await readStream(streams, arn);
    // The sweeper runs on its own schedule: order the two deletions by key.
    const removes = records.filter((r) => r.eventName === 'REMOVE').sort((a, b) => ((a.dynamodb?.Keys?.['pk']?.S ?? '') < (b.dynamodb?.Keys?.['pk']?.S ?? '') ? -1 : 1));
    assert.deepEqual(removes.map((r) => [r.dynamodb?.Keys?.['pk']?.S, r.userIdentity]), [
      ['byHand', undefined],
      ['expired', { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' }],
    ]);
    const ttlRemove = removes[1];
    assert.deepEqual(ttlRemove?.dynamodb?.OldImage, { pk: S('expired'), expiresAt: { N: String(seconds - 10) } });
    assert.equal(ttlRemove?.dynamodb?.NewImage, undefined);
  });
});
