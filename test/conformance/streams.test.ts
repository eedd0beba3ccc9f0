// DynamoDB Streams through the SDK against a real server process (LMDB): StreamSpecification on
// CreateTable/UpdateTable, one exact record per item change (none for no-ops), every view type
// (scenario 3), batches, transactions and PartiQL, the Streams API (ListStreams, DescribeStream,
// GetShardIterator, GetRecords) with its refusals, low latency on LATEST, survival of a restart, and
// scenario 10: TTL deletions in the stream as the service's, with the real clock.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, ExecuteStatementCommand, GetItemCommand, PutItemCommand,
  TransactWriteItemsCommand, UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, type _Record, type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import { rejects } from '../helpers/rejects.js';
import { newDataDir, startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { drainShard, listShards, readStream } from '../helpers/stream-reader.js';
import { onDemandTable } from '../helpers/tables.js';
import { until } from '../helpers/until.js';

type ViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string): AttributeValue => ({ N: n });

/** A record without what varies from run to run (checked separately): eventID, time, sequence number. */
function stable(record: _Record): unknown {
  assert.match(record.eventID ?? '', /^[0-9a-f]{32}$/);
  assert.ok(record.dynamodb?.ApproximateCreationDateTime instanceof Date);
  assert.match(record.dynamodb?.SequenceNumber ?? '', /^[1-9][0-9]{20,}$/);
  const { ApproximateCreationDateTime: _time, SequenceNumber: _sequence, ...dynamodb } = record.dynamodb ?? {};
  return { eventName: record.eventName, eventVersion: record.eventVersion, eventSource: record.eventSource, awsRegion: record.awsRegion, dynamodb };
}

function assertIncreasing(records: readonly _Record[]): void {
  for (let i = 1; i < records.length; i++) {
    assert.ok(BigInt(records[i]?.dynamodb?.SequenceNumber ?? '0') > BigInt(records[i - 1]?.dynamodb?.SequenceNumber ?? '0'), 'sequence numbers increase');
  }
}

describe('DynamoDB Streams (server process)', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  const dataDir = newDataDir();
  const streamArnOf = async (table: string): Promise<string> =>
    (await db.send(new DescribeTableCommand({ TableName: table }))).Table?.LatestStreamArn as string;
  const createStreamTable = async (name: string, view: ViewType, key: 'S' | 'N' = 'S', hashName = 'pk'): Promise<string> => {
    await db.send(new CreateTableCommand({ ...onDemandTable(name, [hashName, key]), StreamSpecification: { StreamEnabled: true, StreamViewType: view } }));
    return streamArnOf(name);
  };

  before(async () => {
    server = await startServerProcess({ dataDir });
    db = server.client();
    streams = server.streamsClient();
  });
  after(async () => {
    await server.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the stream in DescribeTable; refuses enabling twice or disabling none; re-enabling makes a new stream', async () => {
    await db.send(new CreateTableCommand(onDemandTable('Toggle', ['pk', 'S'])));
    const plain = (await db.send(new DescribeTableCommand({ TableName: 'Toggle' }))).Table;
    assert.equal(plain?.StreamSpecification, undefined);
    assert.equal(plain?.LatestStreamArn, undefined);
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: false } })),
      'ValidationException', 'Table has no stream to disable: TableName: Toggle');
    await db.send(new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const enabled = (await db.send(new DescribeTableCommand({ TableName: 'Toggle' }))).Table;
    assert.deepEqual(enabled?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    assert.match(enabled?.LatestStreamLabel ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    assert.equal(enabled?.LatestStreamArn, `arn:aws:dynamodb:us-east-1:000000000000:table/Toggle/stream/${enabled?.LatestStreamLabel}`);
    // Changing the view type of an enabled stream is refused, as on AWS.
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } })),
      'ValidationException', 'Table already has an enabled stream: TableName: Toggle');
    await db.send(new PutItemCommand({ TableName: 'Toggle', Item: { pk: S('before') } }));
    await db.send(new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: false } }));
    const disabled = (await db.send(new DescribeTableCommand({ TableName: 'Toggle' }))).Table;
    assert.equal(disabled?.StreamSpecification, undefined);
    assert.equal(disabled?.LatestStreamArn, enabled?.LatestStreamArn, 'the last stream stays named');
    await db.send(new PutItemCommand({ TableName: 'Toggle', Item: { pk: S('unrecorded') } }));
    await db.send(new UpdateTableCommand({ TableName: 'Toggle', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    const second = await streamArnOf('Toggle');
    assert.notEqual(second, enabled?.LatestStreamArn);
    await db.send(new PutItemCommand({ TableName: 'Toggle', Item: { pk: S('after') } }));

    // The disabled stream: DISABLED, its shard closed, still readable — with only the write made while it was on.
    const oldArn = enabled?.LatestStreamArn as string;
    const old = (await streams.send(new DescribeStreamCommand({ StreamArn: oldArn }))).StreamDescription;
    assert.equal(old?.StreamStatus, 'DISABLED');
    assert.equal(old?.StreamViewType, 'KEYS_ONLY');
    assert.equal(old?.Shards?.length, 1);
    assert.equal(old?.Shards?.[0]?.SequenceNumberRange?.EndingSequenceNumber, old?.Shards?.[0]?.SequenceNumberRange?.StartingSequenceNumber);
    assert.deepEqual((await readStream(streams, oldArn)).map((r) => r.dynamodb?.Keys), [{ pk: S('before') }]);
    const current = (await streams.send(new DescribeStreamCommand({ StreamArn: second }))).StreamDescription;
    assert.equal(current?.StreamStatus, 'ENABLED');
    assert.deepEqual((await readStream(streams, second)).map((r) => r.dynamodb?.NewImage), [{ pk: S('after') }]);
    const listed = await streams.send(new ListStreamsCommand({ TableName: 'Toggle' }));
    assert.deepEqual(listed.Streams?.map((s) => s.StreamArn), [oldArn, second]);
    assert.deepEqual(listed.Streams?.map((s) => s.TableName), ['Toggle', 'Toggle']);
  });

  it('writes one exact record per item change and none for a write that changes nothing (AWS documentation example sizes)', async () => {
    const arn = await createStreamTable('BarkTable', 'NEW_AND_OLD_IMAGES', 'N', 'Id');
    const started = Math.floor(Date.now() / 1000);
    await db.send(new PutItemCommand({ TableName: 'BarkTable', Item: { Id: N('101'), Message: S('New item!') } }));
    // The same item again, in another attribute order: nothing changes, no record.
    await db.send(new PutItemCommand({ TableName: 'BarkTable', Item: { Message: S('New item!'), Id: N('101') } }));
    await db.send(new UpdateItemCommand({ TableName: 'BarkTable', Key: { Id: N('101') }, UpdateExpression: 'SET Message = :m', ExpressionAttributeValues: { ':m': S('New item!') } }));
    await db.send(new UpdateItemCommand({ TableName: 'BarkTable', Key: { Id: N('101') }, UpdateExpression: 'SET Message = :m', ExpressionAttributeValues: { ':m': S('This item has changed') } }));
    await db.send(new DeleteItemCommand({ TableName: 'BarkTable', Key: { Id: N('101') } }));
    // Deleting a missing item changes nothing either.
    await db.send(new DeleteItemCommand({ TableName: 'BarkTable', Key: { Id: N('101') } }));
    const records = await readStream(streams, arn);
    assertIncreasing(records);
    const base = { eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1' };
    const keys = { Id: N('101') };
    assert.deepEqual(records.map(stable), [
      { eventName: 'INSERT', ...base, dynamodb: { Keys: keys, NewImage: { Id: N('101'), Message: S('New item!') }, SizeBytes: 26, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
      {
        eventName: 'MODIFY', ...base,
        dynamodb: { Keys: keys, NewImage: { Id: N('101'), Message: S('This item has changed') }, OldImage: { Id: N('101'), Message: S('New item!') }, SizeBytes: 59, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      },
      { eventName: 'REMOVE', ...base, dynamodb: { Keys: keys, OldImage: { Id: N('101'), Message: S('This item has changed') }, SizeBytes: 38, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
    ]);
    // Each record is dated by the server's clock (whole seconds) between the first write and now.
    const finished = Math.ceil(Date.now() / 1000);
    for (const r of records) {
      const at = (r.dynamodb?.ApproximateCreationDateTime as Date).getTime() / 1000;
      assert.ok(at >= started && at <= finished, `${at} within [${started}, ${finished}]`);
    }
  });

  it('scenario 3: each view type gives exactly the images it promises', async () => {
    const views: ViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];
    for (const view of views) {
      const table = `View_${view}`;
      const arn = await createStreamTable(table, view);
      await db.send(new PutItemCommand({ TableName: table, Item: { pk: S('k'), v: N('1') } }));
      await db.send(new UpdateItemCommand({ TableName: table, Key: { pk: S('k') }, UpdateExpression: 'SET v = v + :one', ExpressionAttributeValues: { ':one': N('1') } }));
      await db.send(new DeleteItemCommand({ TableName: table, Key: { pk: S('k') } }));
      const records = await readStream(streams, arn);
      const v1 = { pk: S('k'), v: N('1') };
      const v2 = { pk: S('k'), v: N('2') };
      const withNew = view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES';
      const withOld = view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES';
      const expected = [
        { eventName: 'INSERT', ...(withNew ? { NewImage: v1 } : {}) },
        { eventName: 'MODIFY', ...(withNew ? { NewImage: v2 } : {}), ...(withOld ? { OldImage: v1 } : {}) },
        { eventName: 'REMOVE', ...(withOld ? { OldImage: v2 } : {}) },
      ];
      assert.deepEqual(records.map((r) => ({
        eventName: r.eventName,
        ...(r.dynamodb?.NewImage === undefined ? {} : { NewImage: r.dynamodb.NewImage }),
        ...(r.dynamodb?.OldImage === undefined ? {} : { OldImage: r.dynamodb.OldImage }),
      })), expected, view);
      for (const r of records) {
        assert.equal(r.dynamodb?.StreamViewType, view);
        assert.deepEqual(r.dynamodb?.Keys, { pk: S('k') });
      }
    }
  });

  it('batches, transactions and PartiQL write one record per changed item, in order', async () => {
    const arn = await createStreamTable('Multi', 'NEW_AND_OLD_IMAGES');
    await db.send(new BatchWriteItemCommand({ RequestItems: { Multi: [
      { PutRequest: { Item: { pk: S('a'), n: N('1') } } },
      { PutRequest: { Item: { pk: S('b'), n: N('1') } } },
      { PutRequest: { Item: { pk: S('keep'), n: N('0') } } },
      { DeleteRequest: { Key: { pk: S('missing') } } },
    ] } }));
    await db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Update: { TableName: 'Multi', Key: { pk: S('a') }, UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': N('2') } } },
      { Delete: { TableName: 'Multi', Key: { pk: S('b') } } },
      { Put: { TableName: 'Multi', Item: { pk: S('c'), n: N('3') } } },
      { ConditionCheck: { TableName: 'Multi', Key: { pk: S('keep') }, ConditionExpression: 'attribute_exists(pk)' } },
    ] }));
    await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "Multi" SET n = 4 WHERE pk = 'c'` }));
    await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Multi" VALUE {'pk': 'd'}` }));
    // A refused transaction writes nothing and records nothing.
    await assert.rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'Multi', Item: { pk: S('e') } } },
      { ConditionCheck: { TableName: 'Multi', Key: { pk: S('missing') }, ConditionExpression: 'attribute_exists(pk)' } },
    ] })), { name: 'TransactionCanceledException' });
    const records = await readStream(streams, arn);
    assertIncreasing(records);
    assert.deepEqual(records.map((r) => [r.eventName, r.dynamodb?.Keys?.['pk']?.S, r.dynamodb?.NewImage?.['n']?.N, r.dynamodb?.OldImage?.['n']?.N]), [
      ['INSERT', 'a', '1', undefined],
      ['INSERT', 'b', '1', undefined],
      ['INSERT', 'keep', '0', undefined],
      ['MODIFY', 'a', '2', '1'],
      ['REMOVE', 'b', undefined, '1'],
      ['INSERT', 'c', '3', undefined],
      ['MODIFY', 'c', '4', '3'],
      ['INSERT', 'd', undefined, undefined],
    ]);
    // The transaction's three records carry one creation time; each record its own eventID.
    assert.equal(new Set(records.map((r) => r.eventID)).size, records.length);
  });

  it('ListStreams pages; DescribeStream shows the shard; GetShardIterator positions; GetRecords pages by Limit', async () => {
    const arn = await createStreamTable('Paging', 'KEYS_ONLY');
    const all = (await streams.send(new ListStreamsCommand({}))).Streams ?? [];
    assert.ok(all.some((s) => s.StreamArn === arn));
    const seen: string[] = [];
    let start: string | undefined;
    do {
      const page = await streams.send(new ListStreamsCommand({ Limit: 2, ...(start === undefined ? {} : { ExclusiveStartStreamArn: start }) }));
      assert.ok((page.Streams ?? []).length <= 2);
      seen.push(...(page.Streams ?? []).map((s) => s.StreamArn as string));
      start = page.LastEvaluatedStreamArn;
    } while (start !== undefined);
    assert.deepEqual(seen, all.map((s) => s.StreamArn));
    assert.deepEqual((await streams.send(new ListStreamsCommand({ TableName: 'NoSuchTable' }))).Streams, []);

    const description = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
    assert.equal(description?.TableName, 'Paging');
    assert.deepEqual(description?.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
    assert.ok(description?.CreationRequestDateTime instanceof Date);
    const shard = description?.Shards?.[0];
    assert.match(shard?.ShardId ?? '', /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.equal(shard?.ParentShardId, undefined);
    assert.equal(shard?.SequenceNumberRange?.EndingSequenceNumber, undefined, 'the open shard has no end');
    const shardId = shard?.ShardId as string;

    const latest = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }))).ShardIterator;
    assert.match(latest ?? '', new RegExp(`^${arn.replace(/[.]/g, '\\.')}\\|1\\|`));
    for (let i = 0; i < 5; i++) await db.send(new PutItemCommand({ TableName: 'Paging', Item: { pk: S(`k${i}`) } }));
    const firstTwo = await streams.send(new GetRecordsCommand({ ShardIterator: latest, Limit: 2 }));
    assert.deepEqual(firstTwo.Records?.map((r) => r.dynamodb?.Keys?.['pk']?.S), ['k0', 'k1']);
    const rest = await drainShard(streams, firstTwo.NextShardIterator);
    assert.deepEqual(rest.records.map((r) => r.dynamodb?.Keys?.['pk']?.S), ['k2', 'k3', 'k4']);
    // An open shard always hands back an iterator, also when there is nothing new.
    assert.ok(rest.next !== undefined);
    const empty = await streams.send(new GetRecordsCommand({ ShardIterator: rest.next }));
    assert.deepEqual(empty.Records, []);
    assert.ok(empty.NextShardIterator !== undefined);

    const records = rest.records;
    const third = records[0]?.dynamodb?.SequenceNumber as string;
    const at = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: third }))).ShardIterator;
    assert.deepEqual((await drainShard(streams, at)).records.map((r) => r.dynamodb?.Keys?.['pk']?.S), ['k2', 'k3', 'k4']);
    const afterIt = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: third }))).ShardIterator;
    assert.deepEqual((await drainShard(streams, afterIt)).records.map((r) => r.dynamodb?.Keys?.['pk']?.S), ['k3', 'k4']);
    const start0 = shard?.SequenceNumberRange?.StartingSequenceNumber as string;
    const fromStart = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: start0 }))).ShardIterator;
    assert.equal((await drainShard(streams, fromStart)).records.length, 5);
    const horizon = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    assert.equal((await drainShard(streams, horizon)).records.length, 5);
  });

  it('GetRecords answers at most 1 MB of records', async () => {
    const arn = await createStreamTable('Large', 'NEW_IMAGE');
    const big = 'x'.repeat(350 * 1024);
    for (let i = 0; i < 4; i++) await db.send(new PutItemCommand({ TableName: 'Large', Item: { pk: S(`k${i}`), data: S(big) } }));
    const shardId = (await listShards(streams, arn))[0]?.ShardId as string;
    const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    const first = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    // Three records of 350 KB would pass 1 MB: two come, then the rest.
    assert.deepEqual(first.Records?.map((r) => r.dynamodb?.Keys?.['pk']?.S), ['k0', 'k1']);
    const rest = await drainShard(streams, first.NextShardIterator);
    assert.deepEqual(rest.records.map((r) => r.dynamodb?.Keys?.['pk']?.S), ['k2', 'k3']);
    assert.equal(rest.records[0]?.dynamodb?.NewImage?.['data']?.S, big);
  });

  it('refuses bad Streams API input with DynamoDB errors', async () => {
    const arn = await createStreamTable('Refusals', 'KEYS_ONLY');
    const shardId = (await listShards(streams, arn))[0]?.ShardId as string;
    const missingArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Nope/stream/2020-01-01T00:00:00.000';
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: missingArn })), 'ResourceNotFoundException', `Requested resource not found: Stream: ${missingArn} not found`);
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: 'sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf' })), 'ValidationException', 'Invalid StreamArn');
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: 'short' })), 'ValidationException',
      "1 validation error detected: Value 'short' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37");
    await rejects(streams.send(new ListStreamsCommand({ Limit: 0 })), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await rejects(streams.send(new ListStreamsCommand({ Limit: 101 })), 'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })),
      'ResourceNotFoundException', 'Requested resource not found: Shard does not exist');
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })),
      'ValidationException', 'One or more parameter values were invalid: SequenceNumber is required for ShardIteratorType AT_SEQUENCE_NUMBER');
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST', SequenceNumber: '100000000000000000001' })),
      'ValidationException', 'One or more parameter values were invalid: SequenceNumber must not be specified for ShardIteratorType LATEST');
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: '900000000000000000001' })),
      'ValidationException', `One or more parameter values were invalid: Invalid SequenceNumber 900000000000000000001 for shard ${shardId}`);
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'bulle' as 'LATEST' })), 'ValidationException',
      "1 validation error detected: Value 'bulle' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: 'sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg' })), 'ValidationException', 'Invalid ShardIterator');
    const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }))).ShardIterator;
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1001 })), 'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
    // A stream of another region is not found.
    const other = server.streamsClient('eu-west-1');
    await rejects(other.send(new DescribeStreamCommand({ StreamArn: arn })), 'ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);
  });

  it('a reader polling LATEST sees a committed write on its very next read', async () => {
    const arn = await createStreamTable('Latency', 'NEW_IMAGE');
    const shardId = (await listShards(streams, arn))[0]?.ShardId as string;
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }))).ShardIterator;
    await db.send(new PutItemCommand({ TableName: 'Latency', Item: { pk: S('now') } }));
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    iterator = page.NextShardIterator;
    // The record is committed with the item: the very next read after the acknowledgement has it.
    assert.deepEqual(page.Records?.map((r) => r.dynamodb?.NewImage), [{ pk: S('now') }]);
  });

  it('keeps streams and records across a restart, and continues the sequence', localOnly, async () => {
    const arn = await createStreamTable('Durable', 'NEW_AND_OLD_IMAGES');
    for (let i = 0; i < 3; i++) await db.send(new PutItemCommand({ TableName: 'Durable', Item: { pk: S(`k${i}`) } }));
    const before = await readStream(streams, arn);
    await server.kill();
    server = await startServerProcess({ dataDir });
    db = server.client();
    streams = server.streamsClient();
    assert.deepEqual(await readStream(streams, arn), before);
    await db.send(new PutItemCommand({ TableName: 'Durable', Item: { pk: S('k3') } }));
    const afterRestart = await readStream(streams, arn);
    assert.equal(afterRestart.length, 4);
    assertIncreasing(afterRestart);
    assert.ok((await streams.send(new ListStreamsCommand({ TableName: 'Durable' }))).Streams?.some((s) => s.StreamArn === arn));
  });
});

describe('scenario 10 end to end (server process, its clock moved by the test)', localOnly, () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess({ args: ['--ttl-sweep-interval-ms', '50', '--ttl-transition-ms', '0', '--test-clock'] });
  });
  after(async () => server.dispose());

  it('an expired item disappears on its own and its REMOVE record names the DynamoDB service', async () => {
    const db = server.client();
    const streams = server.streamsClient();
    await db.send(new CreateTableCommand({ ...onDemandTable('Sessions', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    await db.send(new UpdateTimeToLiveCommand({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    // Both items live when written; then an hour passes on the server's clock and only one has expired.
    const now = Math.floor((await server.advanceClock(0)) / 1000);
    const soon = String(now + 60);
    await db.send(new PutItemCommand({ TableName: 'Sessions', Item: { id: S('old'), expiresAt: N(soon) } }));
    await db.send(new PutItemCommand({ TableName: 'Sessions', Item: { id: S('live'), expiresAt: N(String(now + 7200)) } }));
    const arn = (await db.send(new DescribeTableCommand({ TableName: 'Sessions' }))).Table?.LatestStreamArn as string;
    await server.advanceClock(3600 * 1000);
    await until(async () => (await db.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: S('old') } }))).Item === undefined, 'the expired item to go');
    const records = await readStream(streams, arn);
    assert.deepEqual(records.map((r) => [r.eventName, r.dynamodb?.Keys?.['id']?.S, r.userIdentity]), [
      ['INSERT', 'old', undefined],
      ['INSERT', 'live', undefined],
      ['REMOVE', 'old', { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' }],
    ]);
    assert.ok((await db.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: S('live') } }))).Item !== undefined);
    assert.deepEqual(records[2]?.dynamodb?.OldImage, { id: S('old'), expiresAt: N(soon) });
  });
});
