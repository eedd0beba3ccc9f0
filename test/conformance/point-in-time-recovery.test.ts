// Point-in-time recovery through the SDK against a real server process (on LMDB, and on PostgreSQL
// in CI's second pass): UpdateContinuousBackups / DescribeContinuousBackups with their window, and
// RestoreTableToPointInTime — scenario 6 (an accidental mass delete undone by restoring the second
// before it, every item and index entry back and nothing written after), the latest restorable
// time, overrides, DynamoDB's errors, the window moving on as old changes are folded, and a restore
// that a kill -9 interrupted finishing after the restart. The server's clock is moved by the test
// (--test-clock), so seconds and days pass when the test says.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeContinuousBackupsCommand, DescribeExportCommand, DescribeTableCommand, DynamoDBClient,
  ExportTableToPointInTimeCommand, ListExportsCommand, PutItemCommand,
  QueryCommand, RestoreTableToPointInTimeCommand, UpdateContinuousBackupsCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/index.js';
import { localOnly, newDataDir, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { contents } from '../helpers/table-contents.js';
import { afterFullRun } from '../helpers/background-runs.js';

const dayMs = 24 * 60 * 60 * 1000;

async function createOrders(db: DynamoDBClient, name: string): Promise<void> {
  await db.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'order', AttributeType: 'N' }, { AttributeName: 'status', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'order', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    LocalSecondaryIndexes: [{
      IndexName: 'byStatusLocal', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'status', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  }));
}

const order = (customer: string, n: number, status: string): Record<string, AttributeValue> => ({
  customer: { S: customer }, order: { N: String(n) }, status: { S: status }, note: { S: `${customer}-${n}` },
});

const describeBackups = async (db: DynamoDBClient, TableName: string) =>
  (await db.send(new DescribeContinuousBackupsCommand({ TableName }))).ContinuousBackupsDescription;

async function enable(db: DynamoDBClient, TableName: string, RecoveryPeriodInDays?: number): Promise<void> {
  await db.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays } }));
  // The first copy of the table is made in the background; the window opens when it is.
  await until(async () => (await describeBackups(db, TableName))?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the recovery window');
}

async function restored(db: DynamoDBClient, TableName: string): Promise<void> {
  await until(async () => (await db.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus === 'ACTIVE', `${TableName} restored`);
}

describe('point-in-time recovery', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    const dataDir = newDataDir();
    server = await startServerProcess({ dataDir, args: ['--test-clock', '--pitr-prune-interval-ms', '50', '--s3-dir', join(dataDir, 's3')] });
    db = server.client();
  });
  after(async () => {
    await server.dispose();
  });

  it('is off until enabled; enabling shows 35 days and a window, a new period keeps it, disabling ends it', async () => {
    await createOrders(db, 'Settings');
    assert.deepEqual(await describeBackups(db, 'Settings'), { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
    const answer = await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Settings', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    assert.equal(answer.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED');
    assert.equal(answer.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 35);
    await enable(db, 'Settings');
    const window = (await describeBackups(db, 'Settings'))?.PointInTimeRecoveryDescription;
    const now = await server.advanceClock(0);
    assert.equal(window?.PointInTimeRecoveryStatus, 'ENABLED');
    const earliest = window?.EarliestRestorableDateTime?.getTime() ?? 0;
    const latest = window?.LatestRestorableDateTime?.getTime() ?? 0;
    assert.ok(earliest <= latest && latest <= now, `${earliest} ≤ ${latest} ≤ ${now}`);
    await enable(db, 'Settings', 7);
    const changed = (await describeBackups(db, 'Settings'))?.PointInTimeRecoveryDescription;
    assert.equal(changed?.RecoveryPeriodInDays, 7);
    assert.equal(changed?.EarliestRestorableDateTime?.getTime(), earliest, 'the same log: the window still starts where it did');
    const disabled = await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Settings', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
    assert.deepEqual(disabled.ContinuousBackupsDescription, { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
    await rejects(db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Settings', TargetTableName: 'SettingsCopy', UseLatestRestorableTime: true })),
      'PointInTimeRecoveryUnavailableException', "Point in time recovery is not enabled for table 'Settings'");
  });

  it('answers DynamoDB\'s errors for a missing table and a period out of range', async () => {
    await rejects(describeBackups(db, 'Nope'), 'TableNotFoundException', 'Table not found: Nope');
    await rejects(db.send(new UpdateContinuousBackupsCommand({ TableName: 'Nope', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })),
      'TableNotFoundException', 'Table not found: Nope');
    await rejects(db.send(new UpdateContinuousBackupsCommand({ TableName: 'Nope', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36 } })),
      'ValidationException', "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35");
    await rejects(db.send(new UpdateContinuousBackupsCommand({ TableName: 'Nope', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 0 } })),
      'ValidationException', "1 validation error detected: Value '0' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it('scenario 6: after a mass delete, restores the second before it — every item and index entry, nothing written after', async () => {
    await createOrders(db, 'Orders');
    // Items written before recovery was enabled reach the restore through the first copy.
    for (let n = 1; n <= 30; n++) await db.send(new PutItemCommand({ TableName: 'Orders', Item: order(`c${n % 4}`, n, n % 3 === 0 ? 'open' : 'shipped') }));
    await enable(db, 'Orders');
    await server.advanceClock(1000);
    for (let n = 31; n <= 40; n++) await db.send(new PutItemCommand({ TableName: 'Orders', Item: order(`c${n % 4}`, n, 'open') }));
    await db.send(new DeleteItemCommand({ TableName: 'Orders', Key: { customer: { S: 'c1' }, order: { N: '1' } } }));
    const before = await contents(db, 'Orders');
    const beforeIndex = await contents(db, 'Orders', 'byStatus');
    const beforeLocal = await contents(db, 'Orders', 'byStatusLocal');
    // The accident, a second later: every item deleted, then one new item written.
    const good = await server.advanceClock(1000);
    const accident = await server.advanceClock(1000);
    const keys = JSON.parse(`[${before.join(',')}]`) as Record<string, AttributeValue>[];
    for (let i = 0; i < keys.length; i += 25) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { Orders: keys.slice(i, i + 25).map((item) => ({ DeleteRequest: { Key: { customer: item['customer'] as AttributeValue, order: item['order'] as AttributeValue } } })) } }));
    }
    await db.send(new PutItemCommand({ TableName: 'Orders', Item: order('late', 1, 'open') }));
    assert.deepEqual(await contents(db, 'Orders'), [JSON.stringify({ customer: { S: 'late' }, note: { S: 'late-1' }, order: { N: '1' }, status: { S: 'open' } })]);
    assert.ok(good < accident);

    const answer = await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Orders', TargetTableName: 'OrdersRestored', RestoreDateTime: new Date(good) }));
    const sourceArn = (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.TableArn;
    assert.equal(answer.TableDescription?.TableStatus, 'CREATING');
    assert.deepEqual(answer.TableDescription?.RestoreSummary, { SourceTableArn: sourceArn, RestoreDateTime: new Date(good), RestoreInProgress: true });
    await restored(db, 'OrdersRestored');
    const table = (await db.send(new DescribeTableCommand({ TableName: 'OrdersRestored' }))).Table;
    assert.deepEqual(table?.RestoreSummary, { SourceTableArn: sourceArn, RestoreDateTime: new Date(good), RestoreInProgress: false });
    assert.equal(table?.ItemCount, before.length);
    assert.deepEqual(table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus]), [['byStatus', 'ACTIVE']]);
    assert.equal(table?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(table?.StreamSpecification, undefined);
    assert.deepEqual(await contents(db, 'OrdersRestored'), before);
    assert.deepEqual(await contents(db, 'OrdersRestored', 'byStatus'), beforeIndex);
    assert.deepEqual(await contents(db, 'OrdersRestored', 'byStatusLocal'), beforeLocal);
    const open = await db.send(new QueryCommand({ TableName: 'OrdersRestored', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } }));
    assert.equal(open.Count, beforeIndex.filter((line) => line.includes('"status":{"S":"open"}')).length);
    // The restored table has no point-in-time recovery of its own, as on AWS.
    assert.equal((await describeBackups(db, 'OrdersRestored'))?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'DISABLED');

    // The latest restorable time holds everything, the accident included.
    await db.send(new RestoreTableToPointInTimeCommand({ SourceTableArn: sourceArn, TargetTableName: 'OrdersLatest', UseLatestRestorableTime: true }));
    await restored(db, 'OrdersLatest');
    assert.deepEqual(await contents(db, 'OrdersLatest'), await contents(db, 'Orders'));
  });

  it('takes overrides: billing mode and capacity, fewer indexes, encryption', async () => {
    await createOrders(db, 'Billing');
    await db.send(new PutItemCommand({ TableName: 'Billing', Item: order('a', 1, 'open') }));
    await enable(db, 'Billing');
    await db.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: 'Billing', TargetTableName: 'BillingProvisioned', UseLatestRestorableTime: true,
      BillingModeOverride: 'PROVISIONED', ProvisionedThroughputOverride: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexOverride: [], SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
    }));
    await restored(db, 'BillingProvisioned');
    const table = (await db.send(new DescribeTableCommand({ TableName: 'BillingProvisioned' }))).Table;
    assert.equal(table?.BillingModeSummary, undefined);
    assert.deepEqual([table?.ProvisionedThroughput?.ReadCapacityUnits, table?.ProvisionedThroughput?.WriteCapacityUnits], [7, 3]);
    assert.equal(table?.GlobalSecondaryIndexes, undefined);
    assert.equal(table?.SSEDescription?.Status, 'ENABLED');
    assert.equal(table?.ItemCount, 1);
    await db.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: 'Billing', TargetTableName: 'BillingCapped', UseLatestRestorableTime: true,
      OnDemandThroughputOverride: { MaxReadRequestUnits: 50, MaxWriteRequestUnits: 20 }, LocalSecondaryIndexOverride: [],
    }));
    await restored(db, 'BillingCapped');
    const capped = (await db.send(new DescribeTableCommand({ TableName: 'BillingCapped' }))).Table;
    assert.deepEqual(capped?.OnDemandThroughput, { MaxReadRequestUnits: 50, MaxWriteRequestUnits: 20 });
    assert.equal(capped?.LocalSecondaryIndexes, undefined);
    assert.deepEqual(capped?.GlobalSecondaryIndexes?.map((g) => g.IndexName), ['byStatus']);
    await rejects(db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Billing', TargetTableName: 'BillingBad', UseLatestRestorableTime: true, BillingModeOverride: 'PROVISIONED' })),
      'ValidationException', 'Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED');
    await rejects(db.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: 'Billing', TargetTableName: 'BillingBad', UseLatestRestorableTime: true, ProvisionedThroughputOverride: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    })), 'ValidationException', 'Invalid Request: Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED');
    await rejects(db.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: 'Billing', TargetTableName: 'BillingBad', UseLatestRestorableTime: true, BillingModeOverride: 'PAY_PER_REQUEST',
      ProvisionedThroughputOverride: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    })), 'ValidationException', 'Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST');
    await rejects(db.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: 'Billing', TargetTableName: 'BillingBad', UseLatestRestorableTime: true,
      GlobalSecondaryIndexOverride: [{ IndexName: 'brandNew', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    })), 'ValidationException', 'Invalid Request: Index brandNew does not match a secondary index that existed in the source table and cannot be created during the restore operation');
  });

  it('answers DynamoDB\'s errors for a missing source, a taken target and a moment outside the window', async () => {
    await createOrders(db, 'Errors');
    await enable(db, 'Errors');
    const window = (await describeBackups(db, 'Errors'))?.PointInTimeRecoveryDescription;
    const earliest = window?.EarliestRestorableDateTime?.getTime() ?? 0;
    const restore = (input: Partial<ConstructorParameters<typeof RestoreTableToPointInTimeCommand>[0]>) =>
      db.send(new RestoreTableToPointInTimeCommand({ TargetTableName: 'ErrorsCopy', ...input }));
    await rejects(restore({ SourceTableName: 'Nope', UseLatestRestorableTime: true }), 'TableNotFoundException', 'Table not found: Nope');
    await rejects(restore({ SourceTableName: 'Errors', TargetTableName: 'Orders', UseLatestRestorableTime: true }), 'TableAlreadyExistsException', 'Table already exists: Orders');
    await rejects(restore({ SourceTableName: 'Errors', RestoreDateTime: new Date(earliest - 1000) }), 'InvalidRestoreTimeException',
      'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime');
    const now = await server.advanceClock(0);
    await rejects(restore({ SourceTableName: 'Errors', RestoreDateTime: new Date(now + 60_000) }), 'InvalidRestoreTimeException',
      'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime');
    await rejects(restore({ UseLatestRestorableTime: true }), 'ValidationException', 'Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName');
    await rejects(restore({ SourceTableName: 'Errors', SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Errors', UseLatestRestorableTime: true }), 'ValidationException',
      'Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName');
    await rejects(restore({ SourceTableName: 'Errors' }), 'ValidationException', 'Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both');
    await rejects(restore({ SourceTableName: 'Errors', UseLatestRestorableTime: true, RestoreDateTime: new Date(now) }), 'ValidationException',
      'Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both');
    await rejects(db.send(new UpdateContinuousBackupsCommand({ TableName: 'Errors', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false, RecoveryPeriodInDays: 3 } })),
      'ValidationException', 'Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.');
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'ErrorsCopy' })).catch((e: Error) => e.name)), 'ResourceNotFoundException');
  });

  it('exports a moment of the table in DynamoDB\'s S3 export layout, and answers DynamoDB\'s errors', async () => {
    await createOrders(db, 'Exported');
    for (let n = 1; n <= 12; n++) await db.send(new PutItemCommand({ TableName: 'Exported', Item: order(`e${n % 3}`, n, 'open') }));
    await enable(db, 'Exported');
    await server.advanceClock(1000);
    await db.send(new PutItemCommand({ TableName: 'Exported', Item: order('e9', 99, 'new') }));
    await db.send(new DeleteItemCommand({ TableName: 'Exported', Key: { customer: { S: 'e1' }, order: { N: '1' } } }));
    const wanted = await contents(db, 'Exported');
    const moment = await server.advanceClock(1000);
    await server.advanceClock(1000);
    await db.send(new PutItemCommand({ TableName: 'Exported', Item: order('late', 1, 'open') }));
    const TableArn = (await db.send(new DescribeTableCommand({ TableName: 'Exported' }))).Table?.TableArn as string;
    const started = await db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'exports-bucket', S3Prefix: 'daily', ExportTime: new Date(moment) }));
    const arn = started.ExportDescription?.ExportArn as string;
    assert.equal(started.ExportDescription?.ExportStatus, 'IN_PROGRESS');
    assert.match(arn, /^arn:aws:dynamodb:us-east-1:000000000000:table\/Exported\/export\/\d{14}-[0-9a-f]{8}$/);
    await until(async () => (await db.send(new DescribeExportCommand({ ExportArn: arn }))).ExportDescription?.ExportStatus === 'COMPLETED', 'the export');
    const done = (await db.send(new DescribeExportCommand({ ExportArn: arn }))).ExportDescription;
    assert.equal(done?.ItemCount, wanted.length);
    assert.equal(done?.ExportTime?.getTime(), moment);
    assert.deepEqual([done?.S3Bucket, done?.S3Prefix, done?.ExportFormat, done?.ExportType], ['exports-bucket', 'daily', 'DYNAMODB_JSON', 'FULL_EXPORT']);
    const root = join(server.dataDir, 's3', 'exports-bucket');
    const summary = JSON.parse(readFileSync(join(root, done?.ExportManifest as string), 'utf8')) as { manifestFilesS3Key: string; itemCount: number };
    assert.equal(summary.manifestFilesS3Key, (done?.ExportManifest as string).replace(/manifest-summary\.json$/, 'manifest-files.json'), 'the files manifest by its key in the bucket, as DynamoDB writes it');
    assert.equal(summary.itemCount, wanted.length);
    const exportDir = join(root, (done?.ExportManifest as string).replace(/manifest-summary\.json$/, ''));
    const files = readFileSync(join(exportDir, 'manifest-files.json'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { dataFileS3Key: string });
    const lines = files.flatMap((f) => gunzipSync(readFileSync(join(root, f.dataFileS3Key))).toString('utf8').trim().split('\n'));
    const exported = lines.map((line) => JSON.stringify(Object.fromEntries(Object.entries((JSON.parse(line) as { Item: Record<string, unknown> }).Item).sort(([a], [b]) => (a < b ? -1 : 1))))).sort();
    assert.deepEqual(exported, wanted);
    assert.deepEqual((await db.send(new ListExportsCommand({ TableArn }))).ExportSummaries, [{ ExportArn: arn, ExportStatus: 'COMPLETED', ExportType: 'FULL_EXPORT' }]);

    await createOrders(db, 'NotRecovered');
    const plainArn = (await db.send(new DescribeTableCommand({ TableName: 'NotRecovered' }))).Table?.TableArn as string;
    await rejects(db.send(new ExportTableToPointInTimeCommand({ TableArn: plainArn, S3Bucket: 'exports-bucket' })), 'PointInTimeRecoveryUnavailableException', "Point in time recovery is not enabled for table 'NotRecovered'");
    await rejects(db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'exports-bucket', ExportTime: new Date(moment + 3_600_000) })), 'InvalidExportTimeException',
      "ExportTime must be within the table's point in time recovery window");
    await rejects(db.send(new ExportTableToPointInTimeCommand({ TableArn: `${TableArn}x`, S3Bucket: 'exports-bucket' })), 'TableNotFoundException', `Table not found: ${TableArn}x`);
    await rejects(db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'exports-bucket', ExportType: 'INCREMENTAL_EXPORT' })), 'ValidationException',
      'Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification');
    await rejects(db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'exports-bucket', ExportType: 'INCREMENTAL_EXPORT', ExportTime: new Date(moment) })), 'ValidationException',
      'ExportTime cannot be specified for an INCREMENTAL_EXPORT; use IncrementalExportSpecification');
    await rejects(db.send(new DescribeExportCommand({ ExportArn: `${arn.slice(0, -8)}00000000` })), 'ExportNotFoundException', `Export not found: ${arn.slice(0, -8)}00000000`);
  });

  it('moves the window on: changes older than the period are folded into the base, and a restore to the new earliest moment is exact', async () => {
    await createOrders(db, 'Window');
    await enable(db, 'Window', 1);
    const first = (await describeBackups(db, 'Window'))?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime?.getTime() ?? 0;
    for (let n = 1; n <= 5; n++) await db.send(new PutItemCommand({ TableName: 'Window', Item: order('w', n, 'open') }));
    await server.advanceClock(2 * dayMs);
    await db.send(new DeleteItemCommand({ TableName: 'Window', Key: { customer: { S: 'w' }, order: { N: '1' } } }));
    await afterFullRun(server.endpoint, 'recovery-prune');
    const window = (await describeBackups(db, 'Window'))?.PointInTimeRecoveryDescription;
    const earliest = window?.EarliestRestorableDateTime?.getTime() ?? 0;
    const latest = window?.LatestRestorableDateTime?.getTime() ?? 0;
    assert.ok(earliest >= latest - dayMs && earliest > first, `the window starts a day back (${earliest} vs ${latest})`);
    // A second in: the window's start moves on with the clock while the request travels.
    await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Window', TargetTableName: 'WindowEarliest', RestoreDateTime: new Date(earliest + 1000) }));
    await restored(db, 'WindowEarliest');
    assert.equal((await contents(db, 'WindowEarliest')).length, 5, 'the five items, before the delete');
    await rejects(db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Window', TargetTableName: 'WindowTooOld', RestoreDateTime: new Date(first) })),
      'InvalidRestoreTimeException', 'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime');
  });
});

describe('a restore cut short by kill -9', localOnly, () => {
  it('finishes after the restart: the table becomes ACTIVE with exactly the items of its moment', async () => {
    const first = await startServerProcess({ args: ['--test-clock'] });
    const db = first.client();
    await createOrders(db, 'Crash');
    await enable(db, 'Crash');
    for (let i = 0; i < 600; i += 25) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { Crash: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: order(`k${(i + j) % 7}`, i + j, 'open') } })) } }));
    }
    const moment = await first.advanceClock(1000);
    await first.advanceClock(1000);
    await db.send(new DeleteItemCommand({ TableName: 'Crash', Key: { customer: { S: 'k0' }, order: { N: '0' } } }));
    await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Crash', TargetTableName: 'CrashRestored', RestoreDateTime: new Date(moment) }));
    await first.kill();
    const second = await startServerProcess({ dataDir: first.dataDir, args: ['--test-clock'] });
    try {
      const again = second.client();
      await restored(again, 'CrashRestored');
      const items = await contents(again, 'CrashRestored');
      assert.equal(items.length, 600);
      assert.ok(items.some((line) => line.includes('"note":{"S":"k0-0"}')), 'the item deleted after the moment is there');
      assert.equal((await again.send(new DescribeTableCommand({ TableName: 'CrashRestored' }))).Table?.RestoreSummary?.RestoreInProgress, false);
    } finally {
      await second.dispose();
    }
  });
});

describe('an export cut short by kill -9', localOnly, () => {
  it('is never left IN_PROGRESS: after the restart it is COMPLETED, or FAILED saying why', async () => {
    const dataDir = newDataDir();
    const args = ['--test-clock', '--s3-dir', join(dataDir, 's3')];
    const first = await startServerProcess({ dataDir, args });
    const db = first.client();
    await createOrders(db, 'ExportCrash');
    await enable(db, 'ExportCrash');
    for (let i = 0; i < 1000; i += 25) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { ExportCrash: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: order(`x${(i + j) % 5}`, i + j, 'open') } })) } }));
    }
    const TableArn = (await db.send(new DescribeTableCommand({ TableName: 'ExportCrash' }))).Table?.TableArn as string;
    const ExportArn = (await db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'crash' }))).ExportDescription?.ExportArn as string;
    await first.kill();
    const second = await startServerProcess({ dataDir, args });
    try {
      const described = (await second.client().send(new DescribeExportCommand({ ExportArn }))).ExportDescription;
      if (described?.ExportStatus === 'COMPLETED') assert.equal(described.ItemCount, 1000);
      else assert.deepEqual([described?.ExportStatus, described?.FailureCode], ['FAILED', 'ServerStopped']);
    } finally {
      await second.dispose();
    }
  });
});

describe('enabling cut short by kill -9', localOnly, () => {
  it('makes the first copy after the restart, and restores exactly from it', async () => {
    const first = await startServerProcess({ args: ['--test-clock'] });
    const db = first.client();
    await createOrders(db, 'Copy');
    for (let i = 0; i < 1000; i += 25) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { Copy: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: order(`k${(i + j) % 5}`, i + j, 'open') } })) } }));
    }
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Copy', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await first.kill();
    const second = await startServerProcess({ dataDir: first.dataDir, args: ['--test-clock'] });
    try {
      const again = second.client();
      await until(async () => (await describeBackups(again, 'Copy'))?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the window after the restart');
      const moment = await second.advanceClock(1000);
      await second.advanceClock(1000);
      await again.send(new DeleteItemCommand({ TableName: 'Copy', Key: { customer: { S: 'k3' }, order: { N: '3' } } }));
      await again.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Copy', TargetTableName: 'CopyRestored', RestoreDateTime: new Date(moment) }));
      await restored(again, 'CopyRestored');
      assert.equal((await contents(again, 'CopyRestored')).length, 1000);
      assert.equal((await contents(again, 'Copy')).length, 999);
    } finally {
      await second.dispose();
    }
  });
});

describe('a restore the server stopped before it copied anything', localOnly, () => {
  it('is resumed by the next start and finishes exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratusdb-restore-'));
    let now = Date.UTC(2030, 0, 1);
    const clock = { now: () => now };
    const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
    try {
      const first = await startServer({ port: 0, data: `lmdb://${dir}`, clock, pitrPruneIntervalMs: 0 });
      const db = new DynamoDBClient({ endpoint: first.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      await createOrders(db, 'Stopped');
      for (let n = 1; n <= 40; n++) await db.send(new PutItemCommand({ TableName: 'Stopped', Item: order(`s${n % 3}`, n, 'open') }));
      await enable(db, 'Stopped');
      now += 1000;
      const moment = now;
      now += 1000;
      await db.send(new DeleteItemCommand({ TableName: 'Stopped', Key: { customer: { S: 's1' }, order: { N: '1' } } }));
      await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Stopped', TargetTableName: 'StoppedRestored', RestoreDateTime: new Date(moment) }));
      // Closing at once: the restore's background job has not begun its first page, and stops.
      const logged: string[] = [];
      const log = console.error;
      console.error = (...parts: unknown[]) => logged.push(parts.join(' '));
      try {
        db.destroy();
        await first.close();
      } finally {
        console.error = log;
      }
      assert.deepEqual(logged.filter((line) => line.includes('StoppedRestored')), [], 'the first server did not finish the restore');
      const second = await startServer({ port: 0, data: `lmdb://${dir}`, clock, pitrPruneIntervalMs: 0 });
      const again = new DynamoDBClient({ endpoint: second.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      try {
        await restored(again, 'StoppedRestored');
        const items = await contents(again, 'StoppedRestored');
        assert.equal(items.length, 40);
        assert.ok(items.some((line) => line.includes('"note":{"S":"s1-1"}')));
      } finally {
        again.destroy();
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
