// CloudWatch's metric reads for DynamoDB's metrics, against a real server process on a test clock
// that moves only when told (so each minute's statistics are known): the SDK v3 client (JSON 1.0),
// the AWS CLI, and boto3 in the query protocol and, where its botocore speaks it, CBOR. The values
// equal the ConsumedCapacity the clients were told, per minute, table and index.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, type CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { BatchWriteItemCommand, CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { until } from '../helpers/until.js';
import { awsCliMissing } from '../helpers/aws-cli.js';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const script = fileURLToPath(new URL('../../../test/fixtures/cloudwatch/read_metrics.py', import.meta.url));
const minute = 60_000;

/** The interpreters here whose boto3 can talk to CloudWatch, with the protocols their botocore speaks. */
function boto3Interpreters(): { python: string; cbor: boolean }[] {
  const found: { python: string; cbor: boolean }[] = [];
  const seen = new Set<string>();
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import boto3, botocore.serialize as s; print(boto3.__file__); print("smithy-rpc-v2-cbor" in s.SERIALIZERS)'], { encoding: 'utf8', timeout: 120_000 });
    if (probe.status !== 0) continue;
    const [file, cbor] = probe.stdout.trim().split('\n');
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    found.push({ python, cbor: cbor === 'True' });
  }
  return found;
}

describe('CloudWatch metrics (GetMetricStatistics, GetMetricData, ListMetrics)', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let cw: CloudWatchClient;
  /** The first minute's start (epoch ms on the server's clock), and what each of the two minutes was told. */
  let first = 0;
  const writes: number[][] = [[], []];
  const indexWrites: number[][] = [[], []];
  let reads = 0;

  before(async () => {
    // The clock all but stands still (a millisecond in sixteen real minutes): the test moves it a minute at a time.
    server = await startServerProcess({ args: ['--test-clock', '--clock-speed', '0.000001'] });
    db = server.client('us-east-1');
    cw = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const now = await server.advanceClock(0);
    first = (Math.floor(now / minute) + 1) * minute;
    await server.advanceClock(first + 1000 - now);
    await db.send(new CreateTableCommand({
      TableName: 'Watched', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 40, WriteCapacityUnits: 50 },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 7 } }],
    }));
    for (const [m, sizes] of [[0, [100, 2500, 5000]], [1, [1200, 9000]]] as const) {
      for (const [n, size] of sizes.entries()) {
        const told = (await db.send(new PutItemCommand({ TableName: 'Watched', Item: { pk: { S: `k${m}-${n}` }, g: { S: 'G' }, data: { S: 'x'.repeat(size) } }, ReturnConsumedCapacity: 'INDEXES' }))).ConsumedCapacity;
        writes[m]?.push(told?.Table?.CapacityUnits ?? Number.NaN);
        indexWrites[m]?.push(told?.GlobalSecondaryIndexes?.['byG']?.CapacityUnits ?? Number.NaN);
      }
      if (m === 0) {
        reads += (await db.send(new GetItemCommand({ TableName: 'Watched', Key: { pk: { S: 'k0-2' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity?.CapacityUnits ?? Number.NaN;
        await db.send(new QueryCommand({ TableName: 'Watched', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G' } } }));
        await server.advanceClock(minute);
      }
    }
    await assert.rejects(db.send(new PutItemCommand({ TableName: 'Watched', Item: { pk: { S: 'k0-0' } }, ConditionExpression: 'attribute_not_exists(pk)' })));
  });
  after(async () => {
    cw?.destroy();
    await server.dispose();
  });

  const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
  const table = [{ Name: 'TableName', Value: 'Watched' }];
  const window = (): { StartTime: Date; EndTime: Date } => ({ StartTime: new Date(first), EndTime: new Date(first + 2 * minute) });

  it('answers each minute\'s statistics of consumed capacity as the clients were told it, per table and GSI', async () => {
    const stats = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedWriteCapacityUnits', Dimensions: table, ...window(), Period: 60, Statistics: ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'] }));
    assert.equal(stats.Label, 'ConsumedWriteCapacityUnits');
    assert.deepEqual(stats.Datapoints, writes.map((w, m) => ({
      Timestamp: new Date(first + m * minute), Sum: sum(w), SampleCount: w.length, Average: sum(w) / w.length, Minimum: Math.min(...w), Maximum: Math.max(...w), Unit: 'Count',
    })));
    // One two-minute period holds both; the GSI has its own metric.
    const both = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedWriteCapacityUnits', Dimensions: [...table, { Name: 'GlobalSecondaryIndexName', Value: 'byG' }], ...window(), Period: 120, Statistics: ['Sum'] }));
    assert.deepEqual(both.Datapoints, [{ Timestamp: new Date(first), Sum: sum(indexWrites.flat()), Unit: 'Count' }]);
    const read = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedReadCapacityUnits', Dimensions: table, ...window(), Period: 60, Statistics: ['Sum'] }));
    assert.deepEqual(read.Datapoints, [{ Timestamp: new Date(first), Sum: reads, Unit: 'Count' }]);
    const failed = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'ConditionalCheckFailedRequests', Dimensions: table, ...window(), Period: 60, Statistics: ['Sum'] }));
    assert.deepEqual(failed.Datapoints, [{ Timestamp: new Date(first + minute), Sum: 1, Unit: 'Count' }]);
    const returned = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'ReturnedItemCount', Dimensions: [...table, { Name: 'Operation', Value: 'Query' }], ...window(), Period: 60, Statistics: ['Sum'] }));
    assert.deepEqual(returned.Datapoints, [{ Timestamp: new Date(first), Sum: 3, Unit: 'Count' }]);
    const latency = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'SuccessfulRequestLatency', Dimensions: [...table, { Name: 'Operation', Value: 'PutItem' }], ...window(), Period: 60, Statistics: ['SampleCount'] }));
    assert.deepEqual(latency.Datapoints?.map((d) => [d.SampleCount, d.Unit]), [[3, 'Milliseconds'], [2, 'Milliseconds']]);
    // Another unit than the metric's, or other dimensions: no datapoints.
    const otherUnit = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedWriteCapacityUnits', Dimensions: table, ...window(), Period: 60, Statistics: ['Sum'], Unit: 'Seconds' }));
    assert.deepEqual(otherUnit.Datapoints, []);
    const noDimensions = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedWriteCapacityUnits', ...window(), Period: 60, Statistics: ['Sum'] }));
    assert.deepEqual(noDimensions.Datapoints, []);
  });

  it('answers GetMetricData newest first unless asked, and the provisioned capacity of each minute', async () => {
    const query = (id: string, name: string, stat: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: name, Dimensions: table }, Period: 60, Stat: stat } });
    const data = await cw.send(new GetMetricDataCommand({ ...window(), MetricDataQueries: [query('w', 'ConsumedWriteCapacityUnits', 'Sum'), { ...query('hidden', 'ConsumedReadCapacityUnits', 'Sum'), ReturnData: false }] }));
    assert.deepEqual(data.MetricDataResults, [
      { Id: 'w', Label: 'ConsumedWriteCapacityUnits', Timestamps: [new Date(first + minute), new Date(first)], Values: [sum(writes[1] ?? []), sum(writes[0] ?? [])], StatusCode: 'Complete' },
    ]);
    assert.deepEqual(data.Messages, []);
    // The provisioned capacity is read into each minute (the current one as it is when read); the next
    // minute, a capacity change shows.
    await server.advanceClock(minute);
    await db.send(new UpdateTableCommand({ TableName: 'Watched', ProvisionedThroughput: { ReadCapacityUnits: 40, WriteCapacityUnits: 80 } }));
    const later = await cw.send(new GetMetricDataCommand({ StartTime: new Date(first + minute), EndTime: new Date(first + 3 * minute), ScanBy: 'TimestampAscending', MetricDataQueries: [{ ...query('p', 'ProvisionedWriteCapacityUnits', 'Maximum'), Label: 'provisioned' }] }));
    assert.deepEqual(later.MetricDataResults, [{ Id: 'p', Label: 'provisioned', Timestamps: [new Date(first + minute), new Date(first + 2 * minute)], Values: [50, 80], StatusCode: 'Complete' }]);
  });

  it('follows a GSI\'s backfill to 100 percent (OnlineIndexPercentageProgress)', async () => {
    await db.send(new CreateTableCommand({ TableName: 'Backfilled', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
    for (let batch = 0; batch < 12; batch++) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { Backfilled: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `k${batch * 25 + i}` }, g: { S: `g${i % 3}` } } } })) } }));
    }
    await db.send(new UpdateTableCommand({
      TableName: 'Backfilled', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    await until(async () => (await db.send(new DescribeTableCommand({ TableName: 'Backfilled' }))).Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus === 'ACTIVE', 'the index ACTIVE');
    const progress = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/DynamoDB', MetricName: 'OnlineIndexPercentageProgress', Dimensions: [{ Name: 'TableName', Value: 'Backfilled' }, { Name: 'GlobalSecondaryIndexName', Value: 'byG' }],
      StartTime: new Date(first), EndTime: new Date(first + 10 * minute), Period: 600, Statistics: ['Maximum'],
    }));
    assert.deepEqual(progress.Datapoints?.map((d) => [d.Maximum, d.Unit]), [[100, 'Count']]);
  });

  it('lists the metrics a table has, filtered by name and dimensions', async () => {
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/DynamoDB', Dimensions: [{ Name: 'TableName', Value: 'Watched' }] }));
    const names = (listed.Metrics ?? []).map((m) => `${m.MetricName} ${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',')}`);
    assert.deepEqual(names, [
      'ConditionalCheckFailedRequests TableName=Watched',
      'ConsumedReadCapacityUnits TableName=Watched',
      'ConsumedReadCapacityUnits TableName=Watched,GlobalSecondaryIndexName=byG',
      'ConsumedWriteCapacityUnits TableName=Watched',
      'ConsumedWriteCapacityUnits TableName=Watched,GlobalSecondaryIndexName=byG',
      'ProvisionedReadCapacityUnits TableName=Watched',
      'ProvisionedReadCapacityUnits TableName=Watched,GlobalSecondaryIndexName=byG',
      'ProvisionedWriteCapacityUnits TableName=Watched',
      'ProvisionedWriteCapacityUnits TableName=Watched,GlobalSecondaryIndexName=byG',
      'ReturnedItemCount TableName=Watched,Operation=Query',
      'SuccessfulRequestLatency TableName=Watched,Operation=GetItem',
      'SuccessfulRequestLatency TableName=Watched,Operation=PutItem',
      'SuccessfulRequestLatency TableName=Watched,Operation=Query',
    ]);
    assert.equal(listed.NextToken, undefined);
    const other = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/EC2' }));
    assert.deepEqual(other.Metrics, []);
  });

  it('refuses what CloudWatch refuses, with its codes in x-amzn-query-error', async () => {
    const refused = async (command: GetMetricStatisticsCommand | GetMetricDataCommand): Promise<CloudWatchServiceException & { Code?: string; Type?: string }> => {
      try {
        await cw.send(command as GetMetricStatisticsCommand);
      } catch (error) {
        return error as CloudWatchServiceException;
      }
      throw new Error('expected a refusal');
    };
    const base = { Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedWriteCapacityUnits', Dimensions: table, Period: 60, Statistics: ['Sum' as const] };
    const cases: [GetMetricStatisticsCommand | GetMetricDataCommand, string, string, string][] = [
      [new GetMetricStatisticsCommand({ ...base, StartTime: new Date(first), EndTime: new Date(first) }), 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter StartTime must not equal parameter EndTime.'],
      [new GetMetricStatisticsCommand({ ...base, StartTime: new Date(first + minute), EndTime: new Date(first) }), 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.'],
      [new GetMetricStatisticsCommand({ ...base, StartTime: new Date(first), EndTime: new Date(first + 1441 * minute) }), 'InvalidParameterCombinationException', 'InvalidParameterCombination', 'You have requested up to 1441 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.'],
      [new GetMetricStatisticsCommand({ ...base, ...window(), Period: 90 }), 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter Period must be a multiple of 60.'],
      [new GetMetricStatisticsCommand({ ...base, ...window(), Statistics: [] }), 'InvalidParameterCombinationException', 'InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics.'],
      [new GetMetricStatisticsCommand({ ...base, MetricName: undefined, ...window() } as unknown as GetMetricStatisticsCommand['input']), 'MissingRequiredParameterException', 'MissingParameter', 'The parameter MetricName is required.'],
      [new GetMetricDataCommand({ StartTime: new Date(first), EndTime: new Date(first), MetricDataQueries: [{ Id: 'a', Expression: 'SUM(METRICS())' }] }), 'ValidationException', 'ValidationError', 'The parameter StartTime must not equal parameter EndTime.'],
      [new GetMetricDataCommand({ ...window(), MetricDataQueries: [{ Id: 'A', Expression: 'x' }] }), 'InvalidParameterValueException', 'InvalidParameterValue', 'The value A for parameter MetricDataQueries.member.1.Id is invalid.'],
    ];
    for (const [command, name, code, message] of cases) {
      const error = await refused(command);
      assert.deepEqual([error.name, error.Code, error.Type, error.message, error.$metadata.httpStatusCode], [name, code, 'Sender', message, 400]);
    }
  });

  it('serves `aws cloudwatch get-metric-statistics` as the README shows it', { skip: awsCliMissing() }, () => {
    const out = execFileSync('aws', ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/DynamoDB', '--metric-name', 'ConsumedWriteCapacityUnits',
      '--dimensions', 'Name=TableName,Value=Watched', '--start-time', new Date(first).toISOString(), '--end-time', new Date(first + 2 * minute).toISOString(),
      '--period', '60', '--statistics', 'Sum', '--region', 'us-east-1', '--endpoint-url', server.endpoint, '--output', 'json'],
    { encoding: 'utf8', env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' } });
    const parsed = JSON.parse(out) as { Label: string; Datapoints: { Timestamp: string | number; Sum: number; Unit: string }[] };
    assert.equal(parsed.Label, 'ConsumedWriteCapacityUnits');
    // The CLI prints a timestamp as the protocol carried it: epoch seconds in JSON and CBOR, ISO 8601 in the query protocol.
    const ms = (t: string | number): number => (typeof t === 'number' ? t * 1000 : Date.parse(t));
    assert.deepEqual(parsed.Datapoints.map((d) => [ms(d.Timestamp), d.Sum, d.Unit]), writes.map((w, m) => [first + m * minute, sum(w), 'Count']));
  });

  const pythons = boto3Interpreters();
  const runs = pythons.flatMap(({ python, cbor }) => [{ python, protocol: 'query' }, ...(cbor ? [{ python, protocol: 'smithy-rpc-v2-cbor' }] : [])]);
  for (const { python, protocol } of runs.length > 0 ? runs : [{ python: '', protocol: 'query' }]) {
    it(`answers boto3 (${python || 'none'}) in the ${protocol} protocol`, { skip: python === '' ? 'no python3 that can import boto3 here (Debian: apt-get install python3-boto3, as .ci/run does)' : false }, () => {
      const out = execFileSync(python, [script, server.endpoint, protocol, 'Watched', String(first / 1000), String((first + 2 * minute) / 1000)], { encoding: 'utf8' });
      const parsed = JSON.parse(out) as Record<string, unknown>;
      assert.deepEqual(parsed, {
        protocol,
        statistics: { Label: 'ConsumedWriteCapacityUnits', Datapoints: writes.map((w, m) => ({ Timestamp: (first + m * minute) / 1000, Sum: sum(w), SampleCount: w.length, Maximum: Math.max(...w), Unit: 'Count' })) },
        data: { MetricDataResults: [{ Id: 'writes', Label: 'ConsumedWriteCapacityUnits', Timestamps: writes.map((_, m) => (first + m * minute) / 1000), Values: writes.map(sum), StatusCode: 'Complete' }], Messages: [] },
        metrics: { Metrics: [{ Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedWriteCapacityUnits', Dimensions: [{ Name: 'TableName', Value: 'Watched' }] }, { Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedWriteCapacityUnits', Dimensions: [{ Name: 'TableName', Value: 'Watched' }, { Name: 'GlobalSecondaryIndexName', Value: 'byG' }] }] },
        error: { code: 'InvalidParameterValue', message: 'The parameter StartTime must not equal parameter EndTime.', status: 400 },
      });
    });
  }
});
