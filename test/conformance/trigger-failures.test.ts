// Lambda's delivery semantics for stream triggers, against a server process: the event shape and
// environment, retries until success, timeouts, crashed and looping workers, bisection, partial batch
// responses, retry exhaustion into a file or a table, and filter criteria. Each trigger has its own
// table; records written in one BatchWriteItem commit together, so they reach the handler as one batch.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { readStream } from '../helpers/stream-reader.js';
import { onDemandTable } from '../helpers/tables.js';
import { batches, fixturesDir, invocations, writeProject, type Project } from '../helpers/trigger-project.js';
import { until } from '../helpers/until.js';

const handler = `${fixturesDir}recording-handler.mjs#handler`;
const triggerNames = ['shape', 'retry', 'timeout', 'crash', 'bisect', 'partial', 'exhaust', 'filter', 'parallel', 'window'] as const;
type Name = (typeof triggerNames)[number];

describe('trigger delivery semantics', localOnly, () => {
  let server: ServerProcess;
  let client: DynamoDBClient;
  let project: Project;
  const out = (name: Name): string => project.file(`${name}.jsonl`);

  before(async () => {
    project = writeProject({});
    const env = (name: Name, extra: Record<string, string> = {}) => {
      mkdirSync(project.file(`${name}-state`), { recursive: true });
      return { OUT_FILE: out(name), STATE_DIR: project.file(`${name}-state`), ...extra };
    };
    const trigger = (name: Name, extra: object = {}) => ({ name, table: `T-${name}`, handler, startingPosition: 'TRIM_HORIZON', environment: env(name), ...extra });
    const config = {
      triggers: [
        trigger('shape', { environment: env('shape', { RAW_FILE: project.file('shape-raw.jsonl') }) }),
        trigger('retry'),
        trigger('timeout', { timeoutSeconds: 1 }),
        trigger('crash', { timeoutSeconds: 1 }),
        trigger('bisect', { bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, destinationOnFailure: 'failures/bisect.jsonl' }),
        trigger('partial', { functionResponseTypes: ['ReportBatchItemFailures'] }),
        trigger('exhaust', { maximumRetryAttempts: 2, destinationOnFailure: 'arn:aws:dynamodb:us-east-1:000000000000:table/Failures' }),
        trigger('filter', {
          filterCriteria: {
            filters: [
              { pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { stock: { N: [{ numeric: ['>', 10] }] } } } }) },
              { pattern: { dynamodb: { Keys: { id: { S: [{ prefix: 'vip-' }] } } } } },
            ],
          },
        }),
        trigger('window', { maximumBatchingWindowInSeconds: 300 }),
        trigger('parallel', { parallelizationFactor: 4, batchSize: 5, environment: env('parallel', { DELAY_MS: '20' }) }),
      ],
    };
    writeFileSync(project.configFile, JSON.stringify(config, null, 2));
    server = await startServerProcess({ args: ['--config', project.configFile, '--trigger-retry-base-ms', '20', '--test-clock'] });
    client = server.client();
    await client.send(new CreateTableCommand(onDemandTable('Failures', ['requestId', 'S'])));
    for (const name of triggerNames) {
      await client.send(new CreateTableCommand({ ...onDemandTable(`T-${name}`, ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    }
  });
  after(() => server.dispose());

  const writeBatch = (name: Name, ids: readonly string[]) =>
    client.send(new BatchWriteItemCommand({ RequestItems: { [`T-${name}`]: ids.map((id) => ({ PutRequest: { Item: { id: { S: id }, stock: { N: '1' } } } })) } }));
  const seen = (name: Name, count: number) => until(async () => invocations(out(name)).length >= count, `${count} invocations of ${name}`);
  const status = async (name: Name): Promise<Record<string, unknown>> => {
    const body = (await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: Record<string, unknown>[] };
    return body.triggers.find((t) => t['name'] === name) ?? {};
  };
  const streamArn = async (name: Name): Promise<string> =>
    (await server.streamsClient().send(new ListStreamsCommand({ TableName: `T-${name}` }))).Streams?.[0]?.StreamArn ?? '';

  it('delivers records exactly as Lambda does: the Streams record plus eventSourceARN, with Lambda\'s environment', async () => {
    await client.send(new PutItemCommand({ TableName: 'T-shape', Item: { id: { S: 'k1' }, stock: { N: '3' } } }));
    await seen('shape', 1);
    const arn = await streamArn('shape');
    const fromStreams = (await readStream(server.streamsClient(), arn)).map((r) => r as unknown as Record<string, unknown>);
    const raw = JSON.parse(readFileSync(project.file('shape-raw.jsonl'), 'utf8').split('\n')[0] as string) as {
      event: { Records: Record<string, unknown>[] }; env: Record<string, string | null>; context: Record<string, unknown>;
    };
    assert.equal(raw.event.Records.length, 1);
    const record = raw.event.Records[0] as Record<string, unknown>;
    const streams = fromStreams[0] as Record<string, unknown> & { dynamodb: Record<string, unknown> };
    assert.deepEqual(Object.keys(raw.event), ['Records']);
    assert.deepEqual(record, {
      eventID: streams['eventID'],
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: Math.floor((streams.dynamodb['ApproximateCreationDateTime'] as Date).getTime() / 1000),
        Keys: { id: { S: 'k1' } },
        NewImage: { id: { S: 'k1' }, stock: { N: '3' } },
        SequenceNumber: streams.dynamodb['SequenceNumber'],
        SizeBytes: 15,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: arn,
    });
    assert.deepEqual(raw.env, {
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'shape',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_ENDPOINT_URL_DYNAMODB: server.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIASTRATUSDBLOCAL00',
      AWS_PROFILE: null,
    });
    assert.equal(raw.context['functionName'], 'shape');
    assert.equal(raw.context['functionVersion'], '$LATEST');
    assert.equal(raw.context['invokedFunctionArn'], 'arn:aws:lambda:us-east-1:000000000000:function:shape');
    assert.equal(raw.context['memoryLimitInMB'], '128');
    assert.match(String(raw.context['awsRequestId']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const remaining = invocations(out('shape'))[0]?.remainingMs ?? 0;
    assert.ok(remaining > 2000 && remaining <= 3000, `getRemainingTimeInMillis() within the 3 s default timeout: ${remaining}`);
  });

  it('retries a failing batch whole, with backoff, until the handler succeeds; later records wait their turn', async () => {
    await writeBatch('retry', ['a', 'flaky-1', 'b']);
    await seen('retry', 3);
    await client.send(new PutItemCommand({ TableName: 'T-retry', Item: { id: { S: 'c' } } }));
    await seen('retry', 4);
    await until(async () => (await status('retry'))['recordsDelivered'] === 4, 'the runner to count the last batch');
    assert.deepEqual(batches(out('retry')), [['a', 'flaky-1', 'b'], ['a', 'flaky-1', 'b'], ['a', 'flaky-1', 'b'], ['c']]);
    const s = await status('retry');
    assert.deepEqual([s['invocations'], s['errors'], s['retries'], s['recordsDelivered'], s['recordsDiscarded']], [4, 2, 2, 4, 0]);
    // Both failures listed, newest first (the console's trigger view shows them).
    const failures = s['recentFailures'] as { at: number; records: number; firstSequenceNumber: string; error: string }[];
    assert.deepEqual(failures.map((f) => [f.records, f.error]), [[3, 'TypeError: flaky flaky-1'], [3, 'TypeError: flaky flaky-1']]);
    assert.equal(failures[0]?.firstSequenceNumber, failures[1]?.firstSequenceNumber);
    assert.ok((failures[0]?.at ?? 0) >= (failures[1]?.at ?? 0));
    assert.match(server.output(), /\[trigger retry\] invocation failed \(3 records from \d+\): TypeError: flaky flaky-1/);
  });

  it('times out a handler past timeoutSeconds, replaces its worker and retries', async () => {
    await writeBatch('timeout', ['slow-1']);
    await seen('timeout', 2);
    await until(async () => (await status('timeout'))['recordsDelivered'] === 1, 'the retry to succeed');
    assert.deepEqual(batches(out('timeout')), [['slow-1'], ['slow-1']]);
    assert.match(server.output(), /\[trigger timeout\] invocation failed \(1 records from \d+\): Sandbox\.Timedout: Task timed out after 1\.00 seconds/);
  });

  it('survives a handler that exits its worker or spins forever, and keeps serving requests meanwhile', async () => {
    await writeBatch('crash', ['exit-1']);
    await seen('crash', 2);
    await writeBatch('crash', ['loop-1']);
    await seen('crash', 3);
    // The loop runs in its worker thread; the server still answers.
    assert.ok((await client.send(new GetItemCommand({ TableName: 'T-crash', Key: { id: { S: 'loop-1' } } }))).Item);
    await until(async () => (await status('crash'))['recordsDelivered'] === 2, 'both delivered');
    assert.deepEqual(batches(out('crash')), [['exit-1'], ['exit-1'], ['loop-1'], ['loop-1']]);
    assert.match(server.output(), /\[trigger crash\] invocation failed \(1 records from \d+\): Runtime\.ExitError: Runtime exited with error: exit status 3/);
    assert.match(server.output(), /\[trigger crash\] invocation failed \(1 records from \d+\): Sandbox\.Timedout/);
  });

  it('bisects a failing batch down to the poison record and sends it, alone, to the failure file', async () => {
    await writeBatch('bisect', ['a', 'b', 'poison-1', 'c']);
    await seen('bisect', 5);
    assert.deepEqual(batches(out('bisect')), [['a', 'b', 'poison-1', 'c'], ['a', 'b'], ['poison-1', 'c'], ['poison-1'], ['c']]);
    const arn = await streamArn('bisect');
    const shard = (await server.streamsClient().send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards?.[0]?.ShardId;
    const poisonSeq = invocations(out('bisect'))[3]?.records[0]?.seq;
    await until(async () => { try { return readFileSync(project.file('failures/bisect.jsonl'), 'utf8').length > 0; } catch { return false; } }, 'the failure record');
    const lines = readFileSync(project.file('failures/bisect.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0] as string) as Record<string, Record<string, unknown>>;
    assert.match(String(record['requestContext']?.['requestId']), /^[0-9a-f-]{36}$/);
    assert.match(String(record['timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const info = record['DDBStreamBatchInfo'] as Record<string, unknown>;
    assert.match(String(info['approximateArrivalOfFirstRecord']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual({ ...record, requestContext: { ...record['requestContext'], requestId: 'x' }, timestamp: 't', DDBStreamBatchInfo: { ...info, approximateArrivalOfFirstRecord: 'f', approximateArrivalOfLastRecord: 'l' } }, {
      requestContext: { requestId: 'x', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bisect', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: 't',
      DDBStreamBatchInfo: {
        shardId: shard, startSequenceNumber: poisonSeq, endSequenceNumber: poisonSeq,
        approximateArrivalOfFirstRecord: 'f', approximateArrivalOfLastRecord: 'l', batchSize: 1, streamArn: arn,
      },
    });
    await until(async () => (await status('bisect'))['recordsDelivered'] === 3, 'the runner to count the last batch');
    const s = await status('bisect');
    assert.deepEqual([s['recordsDelivered'], s['recordsDiscarded'], s['retries']], [3, 1, 0]);
  });

  it('checkpoints a partial batch response at the first failure and retries from there', async () => {
    await writeBatch('partial', ['a', 'b', 'partial-1', 'c', 'd']);
    await seen('partial', 2);
    await until(async () => (await status('partial'))['recordsDelivered'] === 5, 'all delivered');
    assert.deepEqual(batches(out('partial')), [['a', 'b', 'partial-1', 'c', 'd'], ['partial-1', 'c', 'd']]);
    const s = await status('partial');
    assert.deepEqual([s['invocations'], s['errors'], s['retries']], [2, 0, 1]);
  });

  it('gives up after maximumRetryAttempts and records the batch in the destination table', async () => {
    await writeBatch('exhaust', ['poison-2']);
    await seen('exhaust', 3);
    await until(async () => ((await client.send(new ScanCommand({ TableName: 'Failures' }))).Items ?? []).length === 1, 'the failure item');
    const [item] = (await client.send(new ScanCommand({ TableName: 'Failures' }))).Items ?? [];
    const seq = invocations(out('exhaust'))[0]?.records[0]?.seq;
    assert.equal(item?.['condition']?.S, 'RetryAttemptsExhausted');
    assert.equal(item?.['approximateInvokeCount']?.N, '3');
    assert.equal(item?.['batchSize']?.N, '1');
    assert.equal(item?.['startSequenceNumber']?.S, seq);
    assert.equal(item?.['endSequenceNumber']?.S, seq);
    assert.equal(item?.['streamArn']?.S, await streamArn('exhaust'));
    const record = JSON.parse(item?.['invocationRecord']?.S ?? '{}') as { requestContext: { requestId: string } };
    assert.equal(record.requestContext.requestId, item?.['requestId']?.S);
    assert.deepEqual(batches(out('exhaust')), [['poison-2'], ['poison-2'], ['poison-2']]);
    // The shard moves on past the discarded record.
    await client.send(new PutItemCommand({ TableName: 'T-exhaust', Item: { id: { S: 'after' } } }));
    await seen('exhaust', 4);
    assert.deepEqual(batches(out('exhaust'))[3], ['after']);
  });

  it('drops records that match no filter before invoking', async () => {
    const put = (id: string, stock: number) => client.send(new PutItemCommand({ TableName: 'T-filter', Item: { id: { S: id }, stock: { N: String(stock) } } }));
    await put('a', 5);
    await put('b', 20);
    await put('vip-1', 1);
    await client.send(new UpdateItemCommand({ TableName: 'T-filter', Key: { id: { S: 'b' } }, UpdateExpression: 'SET stock = :s', ExpressionAttributeValues: { ':s': { N: '30' } } }));
    await client.send(new DeleteItemCommand({ TableName: 'T-filter', Key: { id: { S: 'vip-1' } } }));
    await put('z', 99);
    await until(async () => invocations(out('filter')).flatMap((i) => i.records).some((r) => r.key === 'z'), 'the last record');
    assert.deepEqual(invocations(out('filter')).flatMap((i) => i.records.map((r) => `${r.event} ${r.key}`)), ['INSERT b', 'INSERT vip-1', 'REMOVE vip-1', 'INSERT z']);
    await until(async () => (await status('filter'))['recordsDelivered'] === 4, 'the runner to count the last batch');
    const s = await status('filter');
    assert.deepEqual([s['recordsDelivered'], s['recordsFiltered']], [4, 2]);
  });

  it('with parallelizationFactor, runs lanes concurrently, each item always in one lane and in order', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `item-${i}`);
    for (let round = 0; round < 3; round++) {
      // Each round changes every item (an identical put would write no record).
      await client.send(new BatchWriteItemCommand({ RequestItems: { 'T-parallel': keys.map((id) => ({ PutRequest: { Item: { id: { S: id }, round: { N: String(round) } } } })) } }));
    }
    await until(async () => (await status('parallel'))['recordsDelivered'] === 60, 'all 60 records');
    const seen = invocations(out('parallel'));
    assert.ok(seen.every((i) => i.records.length <= 5), 'batches of at most batchSize');
    const threads = new Set(seen.map((i) => i.thread));
    assert.ok(threads.size >= 2, `several lanes (workers) ran: ${threads.size}`);
    const laneOf = new Map<string, number | undefined>();
    const seqsOf = new Map<string, bigint[]>();
    for (const invocation of seen) {
      for (const r of invocation.records) {
        if (laneOf.has(r.key)) assert.equal(laneOf.get(r.key), invocation.thread, `${r.key} stays in its lane`);
        laneOf.set(r.key, invocation.thread);
        seqsOf.set(r.key, [...(seqsOf.get(r.key) ?? []), BigInt(r.seq)]);
      }
    }
    for (const [key, seqs] of seqsOf) {
      assert.equal(seqs.length, 3, `${key} delivered once per write`);
      assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!, `${key} in order`);
    }
  });

  it('with a batching window, gathers records written apart into one batch', async () => {
    // Three commits, one after another; the 300 s window is on the server's clock, which only the test moves.
    for (const id of ['w1', 'w2', 'w3']) await client.send(new PutItemCommand({ TableName: 'T-window', Item: { id: { S: id } } }));
    assert.equal((await status('window'))['invocations'], 0, 'the batch waits for its window');
    await server.advanceClock(300 * 1000);
    await seen('window', 1);
    assert.deepEqual(batches(out('window')), [['w1', 'w2', 'w3']]);
  });
});
