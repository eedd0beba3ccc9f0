// CloudWatch Contributor Insights for DynamoDB, against a real server process on a test clock that
// moves only when told: Update/Describe/ListContributorInsights as AWS answers them (recorded
// texts and states), and CloudWatch's GetInsightRuleReport naming the most accessed keys and items
// and the keys a hot partition throttled, with exactly the requests made.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetInsightRuleReportCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateTableCommand, DescribeContributorInsightsCommand, DescribeTableCommand, GetItemCommand, ListContributorInsightsCommand, PutItemCommand, QueryCommand,
  UpdateContributorInsightsCommand, UpdateTableCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { awsCliMissing } from '../helpers/aws-cli.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const minute = 60_000;
const item = (pk: string, sk: string, size = 0): Record<string, AttributeValue> => ({ pk: { S: pk }, sk: { S: sk }, g: { S: `G-${pk}` }, ...(size > 0 ? { data: { S: 'x'.repeat(size) } } : {}) });

describe('Contributor Insights', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let cw: CloudWatchClient;
  let first = 0;
  let rules: string[] = [];
  let indexRule = '';

  before(async () => {
    server = await startServerProcess({ args: ['--enforce-capacity', '--test-clock', '--clock-speed', '0.000001'] });
    db = server.client('us-east-1');
    cw = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    const now = await server.advanceClock(0);
    first = (Math.floor(now / minute) + 1) * minute;
    await server.advanceClock(first + 1000 - now);
    await db.send(new CreateTableCommand({
      TableName: 'Keys', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1000, WriteCapacityUnits: 4000 },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 4000 } }],
    }));
  });
  after(async () => {
    cw?.destroy();
    await server.dispose();
  });

  it('is DISABLED until enabled, then has DynamoDB\'s four rules; enabling again in the same mode changes nothing', async () => {
    assert.deepEqual(strip(await db.send(new DescribeContributorInsightsCommand({ TableName: 'Keys' }))), { TableName: 'Keys', ContributorInsightsStatus: 'DISABLED' });
    assert.deepEqual(strip(await db.send(new ListContributorInsightsCommand({}))), { ContributorInsightsSummaries: [] });
    const enabled = await db.send(new UpdateContributorInsightsCommand({ TableName: 'Keys', ContributorInsightsAction: 'ENABLE' }));
    assert.deepEqual(strip(enabled), { TableName: 'Keys', ContributorInsightsStatus: 'ENABLING', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' });
    const described = await db.send(new DescribeContributorInsightsCommand({ TableName: 'Keys' }));
    // The rules are named for the table and the moment they were made (the clock's, in ms).
    const changed = described.LastUpdateDateTime?.getTime() ?? Number.NaN;
    assert.ok(changed >= first + 1000 && changed < first + minute);
    rules = ['PKC', 'SKC', 'PKT', 'SKT'].map((kind) => `DynamoDBContributorInsights-${kind}-Keys-${changed}`);
    assert.deepEqual(strip(described), {
      TableName: 'Keys', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS', ContributorInsightsRuleList: rules, LastUpdateDateTime: new Date(changed),
    });
    assert.equal((await db.send(new UpdateContributorInsightsCommand({ TableName: 'Keys', ContributorInsightsAction: 'ENABLE', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' }))).ContributorInsightsStatus, 'ENABLED');
    // A GSI has its own (no sort key: two rules).
    assert.equal((await db.send(new UpdateContributorInsightsCommand({ TableName: 'Keys', IndexName: 'byG', ContributorInsightsAction: 'ENABLE' }))).ContributorInsightsStatus, 'ENABLING');
    const index = await db.send(new DescribeContributorInsightsCommand({ TableName: 'Keys', IndexName: 'byG' }));
    const indexChanged = index.LastUpdateDateTime?.getTime() ?? Number.NaN;
    indexRule = `DynamoDBContributorInsights-PKC-Keys-byG-${indexChanged}`;
    assert.deepEqual(index.ContributorInsightsRuleList, [indexRule, `DynamoDBContributorInsights-PKT-Keys-byG-${indexChanged}`]);
    assert.deepEqual(strip(await db.send(new ListContributorInsightsCommand({}))), { ContributorInsightsSummaries: [
      { TableName: 'Keys', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' },
      { TableName: 'Keys', IndexName: 'byG', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' },
    ] });
  });

  it('refuses a missing table and an index the table does not have, as AWS does', async () => {
    await rejects(db.send(new UpdateContributorInsightsCommand({ TableName: 'Nope', ContributorInsightsAction: 'ENABLE' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Nope not found');
    await rejects(db.send(new DescribeContributorInsightsCommand({ TableName: 'Keys', IndexName: 'nope' })), 'ResourceNotFoundException', 'Requested resource not found: Index: nope not found for table: Keys');
    await rejects(db.send(new UpdateContributorInsightsCommand({ TableName: 'Keys', ContributorInsightsAction: 'TOGGLE' as 'ENABLE' })), 'ValidationException',
      '1 validation error detected: Value \'TOGGLE\' at \'contributorInsightsAction\' failed to satisfy constraint: Member must satisfy enum value set: [ENABLE, DISABLE]');
  });

  it('reports the most accessed keys and items, and the keys a hot partition throttled, through GetInsightRuleReport', async () => {
    // This minute: hot is written five times and read three, warm written twice, cold once; the GSI is queried twice (G-hot).
    for (const sk of ['1', '2', '3', '4', '5']) await db.send(new PutItemCommand({ TableName: 'Keys', Item: item('hot', sk) }));
    for (let n = 0; n < 3; n++) await db.send(new GetItemCommand({ TableName: 'Keys', Key: { pk: { S: 'hot' }, sk: { S: '1' } } }));
    for (const sk of ['1', '2']) await db.send(new PutItemCommand({ TableName: 'Keys', Item: item('warm', sk) }));
    await db.send(new PutItemCommand({ TableName: 'Keys', Item: item('cold', '1') }));
    for (let n = 0; n < 2; n++) await db.send(new QueryCommand({ TableName: 'Keys', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G-hot' } } }));
    // The next minute, three 399 KB writes of `burst` spend its partition's second of 1,000 units: the fourth is throttled.
    await server.advanceClock(minute);
    for (const sk of ['a', 'b', 'c']) await db.send(new PutItemCommand({ TableName: 'Keys', Item: item('burst', sk, 399 * 1024 - 300) }));
    await rejects(db.send(new PutItemCommand({ TableName: 'Keys', Item: item('burst', 'd') })), 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.');
    // CloudWatch counts the throttle by its cause: a key range.
    const events = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/DynamoDB', MetricName: 'WriteKeyRangeThroughputThrottleEvents', Dimensions: [{ Name: 'TableName', Value: 'Keys' }], StartTime: new Date(first), EndTime: new Date(first + 2 * minute), Period: 120, Statistics: ['Sum'] }));
    assert.deepEqual(events.Datapoints?.map((d) => d.Sum), [1]);

    const report = (rule: string, extra: Partial<ConstructorParameters<typeof GetInsightRuleReportCommand>[0]> = {}) => cw.send(new GetInsightRuleReportCommand({
      RuleName: rule, StartTime: new Date(first), EndTime: new Date(first + 2 * minute), Period: 60, ...extra,
    }));
    const at = (m: number): Date => new Date(first + m * minute);
    const accessed = await report(rules[0] as string, { Metrics: ['UniqueContributors', 'MaxContributorValue', 'SampleCount', 'Sum'] });
    assert.deepEqual(strip(accessed), {
      KeyLabels: ['pk'], AggregationStatistic: 'Sum', AggregateValue: 14, ApproximateUniqueCount: 4,
      Contributors: [
        { Keys: ['hot'], ApproximateAggregateValue: 8, Datapoints: [{ Timestamp: at(0), ApproximateValue: 8 }] },
        { Keys: ['burst'], ApproximateAggregateValue: 3, Datapoints: [{ Timestamp: at(1), ApproximateValue: 3 }] },
        { Keys: ['warm'], ApproximateAggregateValue: 2, Datapoints: [{ Timestamp: at(0), ApproximateValue: 2 }] },
        { Keys: ['cold'], ApproximateAggregateValue: 1, Datapoints: [{ Timestamp: at(0), ApproximateValue: 1 }] },
      ],
      MetricDatapoints: [
        { Timestamp: at(0), UniqueContributors: 3, MaxContributorValue: 8, SampleCount: 11, Sum: 11 },
        { Timestamp: at(1), UniqueContributors: 1, MaxContributorValue: 3, SampleCount: 3, Sum: 3 },
      ],
    });
    const items = await report(rules[1] as string, { MaxContributorCount: 2 });
    assert.deepEqual(items.KeyLabels, ['pk', 'sk']);
    assert.deepEqual(items.Contributors?.map((c) => [c.Keys, c.ApproximateAggregateValue]), [[['hot', '1'], 4], [['burst', 'a'], 1]]);
    assert.equal(items.ApproximateUniqueCount, 11);
    const throttledKeys = await report(rules[2] as string);
    assert.deepEqual(throttledKeys.Contributors?.map((c) => [c.Keys, c.ApproximateAggregateValue]), [[['burst'], 1]]);
    // The GSI's: each entry a write put there (the throttled write put none), and each Query.
    const index = await report(indexRule);
    assert.deepEqual(index.Contributors?.map((c) => [c.Keys, c.ApproximateAggregateValue]), [[['G-hot'], 7], [['G-burst'], 3], [['G-warm'], 2], [['G-cold'], 1]]);
    await assert.rejects(report('DynamoDBContributorInsights-PKC-Other-1'), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.deepEqual([error.name, error.message, error.$metadata?.httpStatusCode], ['ResourceNotFoundException', 'StratusDB has no Contributor Insights rule named DynamoDBContributorInsights-PKC-Other-1 in this region', 404]);
      return true;
    });
  });

  it('keeps only the throttled-key rules in THROTTLED_KEYS mode, and leaves the list once disabled', async () => {
    const changed = await db.send(new UpdateContributorInsightsCommand({ TableName: 'Keys', ContributorInsightsAction: 'ENABLE', ContributorInsightsMode: 'THROTTLED_KEYS' }));
    assert.deepEqual([changed.ContributorInsightsStatus, changed.ContributorInsightsMode], ['ENABLING', 'THROTTLED_KEYS']);
    const described = await db.send(new DescribeContributorInsightsCommand({ TableName: 'Keys' }));
    const stamp = described.LastUpdateDateTime?.getTime() ?? Number.NaN;
    assert.deepEqual(described.ContributorInsightsRuleList, [`DynamoDBContributorInsights-PKT-Keys-${stamp}`, `DynamoDBContributorInsights-SKT-Keys-${stamp}`]);
    const disabled = await db.send(new UpdateContributorInsightsCommand({ TableName: 'Keys', ContributorInsightsAction: 'DISABLE' }));
    assert.deepEqual([disabled.ContributorInsightsStatus, disabled.ContributorInsightsMode], ['DISABLING', 'THROTTLED_KEYS']);
    assert.deepEqual(strip(await db.send(new DescribeContributorInsightsCommand({ TableName: 'Keys' }))), {
      TableName: 'Keys', ContributorInsightsStatus: 'DISABLED', ContributorInsightsMode: 'THROTTLED_KEYS', ContributorInsightsRuleList: [], LastUpdateDateTime: (await db.send(new DescribeContributorInsightsCommand({ TableName: 'Keys' }))).LastUpdateDateTime,
    });
    assert.deepEqual((await db.send(new ListContributorInsightsCommand({ TableName: 'Keys' }))).ContributorInsightsSummaries?.map((s) => s.IndexName), ['byG']);
  });

  it('serves `aws dynamodb update-contributor-insights` and `aws cloudwatch get-insight-rule-report`', { skip: awsCliMissing() }, () => {
    const aws = (...args: string[]): unknown => JSON.parse(execFileSync('aws', [...args, '--region', 'us-east-1', '--endpoint-url', server.endpoint, '--output', 'json'], {
      encoding: 'utf8', env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    }));
    assert.deepEqual(aws('dynamodb', 'update-contributor-insights', '--table-name', 'Keys', '--contributor-insights-action', 'ENABLE'),
      { TableName: 'Keys', ContributorInsightsStatus: 'ENABLING', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' });
    const report = aws('cloudwatch', 'get-insight-rule-report', '--rule-name', indexRule,
      '--start-time', new Date(first).toISOString(), '--end-time', new Date(first + 2 * minute).toISOString(), '--period', '60') as { Contributors: { Keys: string[]; ApproximateAggregateValue: number }[] };
    assert.deepEqual(report.Contributors.map((c) => [c.Keys, c.ApproximateAggregateValue]), [[['G-hot'], 7], [['G-burst'], 3], [['G-warm'], 2], [['G-cold'], 1]]);
  });

  it('leaves a deleted GSI\'s insights out of the list', async () => {
    await db.send(new UpdateContributorInsightsCommand({ TableName: 'Keys', ContributorInsightsAction: 'ENABLE' }));
    await db.send(new UpdateTableCommand({ TableName: 'Keys', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] }));
    await until(async () => (await db.send(new DescribeTableCommand({ TableName: 'Keys' }))).Table?.GlobalSecondaryIndexes === undefined, 'the index gone');
    assert.deepEqual(strip(await db.send(new ListContributorInsightsCommand({}))), { ContributorInsightsSummaries: [
      { TableName: 'Keys', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' },
    ] });
  });
});

/** The reply without the SDK's $metadata. */
function strip<T extends { $metadata?: unknown }>(reply: T): Omit<T, '$metadata'> {
  const { $metadata: _, ...rest } = reply;
  return rest;
}
