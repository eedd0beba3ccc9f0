// Time to live through the SDK: UpdateTimeToLive / DescribeTimeToLive (the new status at once, or
// ENABLING → ENABLED with --ttl-transition-ms, the
// once-an-hour change limit, DynamoDB's texts), and the sweeper: expired items (a Number of epoch
// seconds at or before now) disappear with their index entries; future, non-number and
// more-than-five-years-expired ones stay; expired items stay readable until deleted. An injected
// clock drives time, and a test waits for whole sweeps (counted) rather than for time to pass; one
// case runs the real server process with its CLI flags and the real clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateTableCommand, DeleteItemCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
  UpdateItemCommand, UpdateTimeToLiveCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '../../src/index.js';
import { startServerProcess, localOnly } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { afterFullRun } from '../helpers/background-runs.js';
import { seededRandom } from '../helpers/seeded-random.js';

const start = Date.UTC(2030, 0, 1);
const seconds = (ms: number) => String(ms / 1000);

function clientOf(server: RunningServer): DynamoDBClient {
  return new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
}

async function createSessions(db: DynamoDBClient): Promise<void> {
  await db.send(new CreateTableCommand({
    TableName: 'Sessions', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'user', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byUser', KeySchema: [{ AttributeName: 'user', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  }));
}


describe('UpdateTimeToLive / DescribeTimeToLive', localOnly, () => {
  let now = start;
  let server: RunningServer;
  let db: DynamoDBClient;
  const describeTtl = async () => (await db.send(new DescribeTimeToLiveCommand({ TableName: 'Sessions' }))).TimeToLiveDescription;
  const update = (Enabled: boolean, AttributeName = 'expiresAt') => db.send(new UpdateTimeToLiveCommand({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled, AttributeName } }));
  before(async () => {
    server = await startServer({ port: 0, data: 'memory://', clock: { now: () => now }, ttlSweepIntervalMs: 0 });
    db = clientOf(server);
    await createSessions(db);
  });
  after(async () => {
    db.destroy();
    await server.close();
  });

  it('enables (ENABLED at once, as on AWS), refuses a repeat, another attribute and a change within the hour, then disables', async () => {
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: 'DISABLED' });
    await rejects(update(false), 'ValidationException', 'TimeToLive is already disabled');
    const enabled = await update(true);
    assert.deepEqual(enabled.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expiresAt' });
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    await rejects(update(true), 'ValidationException', 'TimeToLive is already enabled');
    const otherAttribute = 'TimeToLive is active on a different AttributeName: current AttributeName is expiresAt';
    await rejects(update(true, 'other'), 'ValidationException', otherAttribute);
    await rejects(update(false, 'other'), 'ValidationException', otherAttribute);
    await rejects(update(false), 'ValidationException', 'Time to live has been modified multiple times within a fixed interval');
    now += 60 * 60 * 1000;
    assert.deepEqual((await update(false)).TimeToLiveSpecification, { Enabled: false, AttributeName: 'expiresAt' });
    assert.deepEqual(await describeTtl(), { TimeToLiveStatus: 'DISABLED' });
  });

  it('checks the request before the table, and the table exists', async () => {
    await rejects(db.send(new UpdateTimeToLiveCommand({ TableName: 'Nope', TimeToLiveSpecification: { Enabled: true, AttributeName: '' } })), 'ValidationException',
      "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await rejects(db.send(new UpdateTimeToLiveCommand({ TableName: 'Nope', TimeToLiveSpecification: { Enabled: true, AttributeName: 'x' } })), 'ResourceNotFoundException', 'Requested resource not found');
    await rejects(db.send(new DescribeTimeToLiveCommand({ TableName: 'Nope' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Nope not found');
  });
});

describe('TTL deletion (injected clock)', localOnly, () => {
  let now = start;
  let server: RunningServer;
  let db: DynamoDBClient;
  const item = (id: string, user: string, expiresAt?: AttributeValue): Record<string, AttributeValue> => ({ id: { S: id }, user: { S: user }, ...(expiresAt === undefined ? {} : { expiresAt }) });
  const exists = async (id: string) => (await db.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: { S: id } }, ConsistentRead: true }))).Item !== undefined;
  before(async () => {
    server = await startServer({ port: 0, data: 'memory://', clock: { now: () => now }, ttlSweepIntervalMs: 10, ttlTransitionMs: 1000 });
    db = clientOf(server);
    await createSessions(db);
  });
  after(async () => {
    db.destroy();
    await server.close();
  });

  it('deletes expired items with their index entries, and only those', async () => {
    const put = (i: Record<string, AttributeValue>) => db.send(new PutItemCommand({ TableName: 'Sessions', Item: i }));
    await put(item('expired', 'ann', { N: seconds(now - 10_000) }));
    await put(item('exactly-now', 'ann', { N: seconds(now + 1000) }));
    await put(item('future', 'ann', { N: seconds(now + 60_000) }));
    await put(item('ancient', 'ann', { N: seconds(now - 6 * 365 * 24 * 3600 * 1000) }));
    await put(item('text', 'ann', { S: seconds(now - 10_000) }));
    await put(item('none', 'ann'));
    await db.send(new UpdateTimeToLiveCommand({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    // --ttl-transition-ms keeps the transition visible for that long.
    assert.deepEqual((await db.send(new DescribeTimeToLiveCommand({ TableName: 'Sessions' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLING', AttributeName: 'expiresAt' });
    // While ENABLING nothing is deleted: after a whole sweep, an expired item is still read like any other.
    await afterFullRun(server.endpoint, 'ttl-sweep');
    assert.equal(await exists('expired'), true);
    now += 1000; // ENABLED; 'exactly-now' expires at this very second
    await until(async () => !(await exists('expired')) && !(await exists('exactly-now')), 'the expired items to go');
    const left = (await db.send(new ScanCommand({ TableName: 'Sessions', ConsistentRead: true }))).Items?.map((i) => i['id']?.S).sort();
    assert.deepEqual(left, ['ancient', 'future', 'none', 'text']);
    const indexed = (await db.send(new QueryCommand({ TableName: 'Sessions', IndexName: 'byUser', KeyConditionExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'user' }, ExpressionAttributeValues: { ':u': { S: 'ann' } } }))).Items;
    assert.deepEqual(indexed?.map((i) => i['id']?.S).sort(), ['ancient', 'future', 'none', 'text']);
    now += 60_000;
    await until(async () => !(await exists('future')), 'the future item to expire');
    await afterFullRun(server.endpoint, 'ttl-sweep');
    assert.equal(await exists('ancient'), true);
    assert.equal(await exists('text'), true);
    // TimeToLiveDeletedItemCount counts the three deletions, for Prometheus and through CloudWatch.
    const scraped = await (await fetch(`${server.endpoint}/metrics`)).text();
    assert.ok(scraped.includes('dynamodb_TimeToLiveDeletedItemCount{Region="us-east-1",TableName="Sessions"} 3\n'), scraped);
    const cw = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
    const stats = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/DynamoDB', MetricName: 'TimeToLiveDeletedItemCount', Dimensions: [{ Name: 'TableName', Value: 'Sessions' }],
      StartTime: new Date(start - 3600_000), EndTime: new Date(now + 60_000), Period: 86_400, Statistics: ['Sum'],
    }));
    cw.destroy();
    assert.deepEqual(stats.Datapoints?.map((d) => [d.Sum, d.Unit]), [[3, 'Count']]);
  });

  it('never deletes an item before its expiry while writers race to extend it', { timeout: 60_000 }, async () => {
    await db.send(new CreateTableCommand({ TableName: 'Leases', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    await db.send(new UpdateTimeToLiveCommand({ TableName: 'Leases', TimeToLiveSpecification: { Enabled: true, AttributeName: 'until' } }));
    now += 1000;
    const random = seededRandom(42);
    const leases = 30;
    // The expiry each lease was last acknowledged with; a lease is renewed only by a write that found it.
    const acknowledged = new Map<number, number>();
    for (let n = 0; n < leases; n++) {
      const until = now + 2000 + Math.floor(random() * 8000);
      await db.send(new PutItemCommand({ TableName: 'Leases', Item: { id: { S: `lease-${n}` }, until: { N: seconds(until) } } }));
      acknowledged.set(n, until);
    }
    let deletions = 0;
    let renewals = 0;
    for (let step = 0; step < 40; step++) {
      // Writers renew some leases, each a different one (racing the sweeper, which runs every 10 ms)...
      const chosen = [...new Set(Array.from({ length: 10 }, () => Math.floor(random() * leases)))];
      await Promise.all(chosen.map(async (n) => {
        const until = now + 1000 + Math.floor(random() * 6000);
        try {
          await db.send(new UpdateItemCommand({
            TableName: 'Leases', Key: { id: { S: `lease-${n}` } }, UpdateExpression: 'SET #u = :u', ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeNames: { '#u': 'until' }, ExpressionAttributeValues: { ':u': { N: seconds(until) } },
          }));
          acknowledged.set(n, until);
          renewals++;
        } catch (error) {
          assert.equal((error as Error).name, 'ConditionalCheckFailedException');
        }
      }));
      // ...then time moves on, and the sweeper looks at every lease at least once.
      now += 500;
      await afterFullRun(server.endpoint, 'ttl-sweep');
      // A lease is there exactly while its acknowledged expiry is ahead.
      for (const [n, until] of acknowledged) {
        const present = (await db.send(new GetItemCommand({ TableName: 'Leases', Key: { id: { S: `lease-${n}` } }, ConsistentRead: true }))).Item !== undefined;
        assert.equal(present, until > now, `lease-${n} (until ${until}) ${present ? 'kept' : 'deleted'} at ${now}`);
        if (!present) {
          acknowledged.delete(n);
          deletions++;
        }
      }
    }
    // The seed decides both numbers; both kinds of event happen many times.
    assert.ok(deletions >= 5 && renewals >= 50, `${deletions} deletions, ${renewals} renewals`);
  });
});

describe('TTL through the server process (real clock, CLI flags)', () => {
  it('deletes an expired item within the sweep interval', localOnly, async () => {
    const server = await startServerProcess({ args: ['--ttl-sweep-interval-ms', '50', '--ttl-transition-ms', '0'] });
    try {
      const db = server.client();
      await createSessions(db);
      await db.send(new UpdateTimeToLiveCommand({ TableName: 'Sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
      assert.equal((await db.send(new DescribeTimeToLiveCommand({ TableName: 'Sessions' }))).TimeToLiveDescription?.TimeToLiveStatus, 'ENABLED');
      await db.send(new PutItemCommand({ TableName: 'Sessions', Item: { id: { S: 'old' }, user: { S: 'bo' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) - 1) } } }));
      await db.send(new PutItemCommand({ TableName: 'Sessions', Item: { id: { S: 'new' }, user: { S: 'bo' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) } } }));
      await until(async () => (await db.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: { S: 'old' } } }))).Item === undefined, 'the expired item to go');
      assert.ok((await db.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: { S: 'new' } } }))).Item);
      await db.send(new DeleteItemCommand({ TableName: 'Sessions', Key: { id: { S: 'new' } } }));
    } finally {
      await server.dispose();
    }
  });
});
