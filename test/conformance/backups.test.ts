// On-demand backups through the SDK against a real server process: CreateBackup (CREATING, then
// AVAILABLE), DescribeBackup with the source table's details, ListBackups (by table, type, time range,
// paging), RestoreTableFromBackup with and without overrides (every item and index entry back, on a
// new table CREATING → ACTIVE with a RestoreSummary), DeleteBackup, DynamoDB's errors; the files in
// DynamoDB's export layout; a backup restored after the data directory is lost, onto a new server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateBackupCommand, CreateTableCommand, DeleteBackupCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeBackupCommand, DescribeTableCommand, DynamoDBClient,
  ListBackupsCommand, ListTagsOfResourceCommand, PutItemCommand, RestoreTableFromBackupCommand, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { localOnly, newDataDir, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { afterFullRun } from '../helpers/background-runs.js';
import { tempDir } from '../helpers/temp-dirs.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { contents, type Item } from '../helpers/table-contents.js';


async function createMusic(db: DynamoDBClient, TableName: string): Promise<void> {
  await db.send(new CreateTableCommand({
    TableName, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 4 },
    AttributeDefinitions: [{ AttributeName: 'artist', AttributeType: 'S' }, { AttributeName: 'song', AttributeType: 'S' }, { AttributeName: 'genre', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'artist', KeyType: 'HASH' }, { AttributeName: 'song', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'byGenre', KeySchema: [{ AttributeName: 'genre', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' },
      ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 },
    }],
    Tags: [{ Key: 'team', Value: 'music' }],
  }));
}

/** Items with every kind of value: 38-digit numbers, binary, sets, nested maps and lists, empty strings. */
function song(n: number): Item {
  return {
    artist: { S: `artist${n % 7}` }, song: { S: `song${n}` }, genre: { S: n % 3 === 0 ? 'rock' : 'jazz' },
    plays: { N: n % 2 === 0 ? '12345678901234567890123456789012345678' : `-0.${n}E-5` }, cover: { B: Buffer.from([n % 256, 0, 255]) },
    tags: { SS: ['a', `t${n}`] }, scores: { NS: ['1', '2.5', `${n}.25`] }, blobs: { BS: [Buffer.from('xy'), Buffer.from([n % 256])] },
    meta: { M: { empty: { S: '' }, list: { L: [{ N: '1' }, { BOOL: true }, { NULL: true }, { M: { deep: { S: 'yes' } } }] } } },
  };
}

/** Puts songs 0 … count-1 into `TableName`, 25 a BatchWriteItem. */
async function loadSongs(db: DynamoDBClient, TableName: string, count: number): Promise<void> {
  for (let n = 0; n < count; n += 25) {
    await db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: Array.from({ length: Math.min(25, count - n) }, (_, j) => ({ PutRequest: { Item: song(n + j) } })) } }));
  }
}

async function available(db: DynamoDBClient, BackupArn: string): Promise<void> {
  await until(async () => (await db.send(new DescribeBackupCommand({ BackupArn }))).BackupDescription?.BackupDetails?.BackupStatus === 'AVAILABLE', 'the backup AVAILABLE');
}

async function active(db: DynamoDBClient, TableName: string): Promise<void> {
  await until(async () => (await db.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus === 'ACTIVE', `${TableName} ACTIVE`);
}

describe('on-demand backups', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let backupDir: string;
  before(async () => {
    backupDir = mkdtempSync(join(tmpdir(), 'stratusdb-backups-test-'));
    server = await startServerProcess({ args: ['--backup-dir', backupDir] });
    db = server.client();
  });
  after(async () => {
    await server.dispose();
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('backs a table up and restores it exactly, with its index and its definition, not its tags', async () => {
    await createMusic(db, 'Music');
    await loadSongs(db, 'Music', 120);
    const created = await db.send(new CreateBackupCommand({ TableName: 'Music', BackupName: 'MusicBackup' }));
    const details = created.BackupDetails;
    assert.equal(details?.BackupName, 'MusicBackup');
    assert.equal(details?.BackupStatus, 'CREATING');
    assert.equal(details?.BackupType, 'USER');
    assert.match(details?.BackupArn ?? '', /^arn:aws:dynamodb:us-east-1:000000000000:table\/Music\/backup\/\d{14}-[0-9a-f]{8}$/);
    const arn = details?.BackupArn as string;
    await available(db, arn);
    // Written after the backup is whole: not in it.
    await db.send(new PutItemCommand({ TableName: 'Music', Item: song(1000) }));

    const described = (await db.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription;
    assert.equal(described?.BackupDetails?.BackupStatus, 'AVAILABLE');
    assert.ok((described?.BackupDetails?.BackupSizeBytes ?? 0) > 0);
    assert.equal(described?.SourceTableDetails?.TableName, 'Music');
    assert.equal(described?.SourceTableDetails?.ItemCount, 120);
    assert.equal(described?.SourceTableDetails?.BillingMode, 'PROVISIONED');
    assert.deepEqual(described?.SourceTableDetails?.ProvisionedThroughput, { ReadCapacityUnits: 5, WriteCapacityUnits: 4 });
    assert.deepEqual(described?.SourceTableFeatureDetails?.GlobalSecondaryIndexes?.map((g) => g.IndexName), ['byGenre']);

    const before = await contents(db, 'Music');
    const restore = await db.send(new RestoreTableFromBackupCommand({ TargetTableName: 'MusicRestored', BackupArn: arn }));
    assert.equal(restore.TableDescription?.TableStatus, 'CREATING');
    assert.equal(restore.TableDescription?.RestoreSummary?.SourceBackupArn, arn);
    assert.equal(restore.TableDescription?.RestoreSummary?.RestoreInProgress, true);
    await active(db, 'MusicRestored');
    const table = (await db.send(new DescribeTableCommand({ TableName: 'MusicRestored' }))).Table;
    assert.equal(table?.RestoreSummary?.RestoreInProgress, false);
    assert.equal(table?.RestoreSummary?.SourceTableArn, (await db.send(new DescribeTableCommand({ TableName: 'Music' }))).Table?.TableArn);
    assert.deepEqual([table?.ProvisionedThroughput?.ReadCapacityUnits, table?.ProvisionedThroughput?.WriteCapacityUnits], [5, 4]);
    assert.equal(table?.ItemCount, 120);
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: table?.TableArn }))).Tags, [], 'tags are not restored, as on AWS');
    const restored = await contents(db, 'MusicRestored');
    assert.deepEqual(restored, before.filter((line) => !line.includes('"song1000"')));
    assert.deepEqual(await contents(db, 'MusicRestored', 'byGenre'), restored.filter((line) => line.includes('"genre"')));

    const overridden = await db.send(new RestoreTableFromBackupCommand({
      TargetTableName: 'MusicOnDemand', BackupArn: arn, BillingModeOverride: 'PAY_PER_REQUEST', GlobalSecondaryIndexOverride: [],
    }));
    assert.equal(overridden.TableDescription?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    await active(db, 'MusicOnDemand');
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'MusicOnDemand' }))).Table?.GlobalSecondaryIndexes, undefined);
    assert.deepEqual(await contents(db, 'MusicOnDemand'), restored);
  });

  it('keeps the backup in DynamoDB\'s export layout: manifests and gzipped DynamoDB JSON lines', async () => {
    const summaries = (await db.send(new ListBackupsCommand({ TableName: 'Music' }))).BackupSummaries ?? [];
    const arn = summaries[0]?.BackupArn as string;
    const dir = join(backupDir, arn.slice(arn.lastIndexOf('/') + 1));
    const summary = JSON.parse(readFileSync(join(dir, 'manifest-summary.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(summary['itemCount'], 120);
    assert.equal(summary['outputFormat'], 'DYNAMODB_JSON');
    assert.equal(summary['exportType'], 'FULL_EXPORT');
    const files = readFileSync(join(dir, 'manifest-files.json'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { itemCount: number; dataFileS3Key: string });
    assert.equal(files.reduce((n, f) => n + f.itemCount, 0), 120);
    const lines = files.flatMap((f) => gunzipSync(readFileSync(join(dir, f.dataFileS3Key))).toString('utf8').trim().split('\n'));
    const items = lines.map((line) => (JSON.parse(line) as { Item: Item }).Item);
    assert.equal(items.length, 120);
    assert.deepEqual(items.find((item) => item['song']?.S === 'song4')?.['plays'], { N: '12345678901234567890123456789012345678' });
    assert.ok(existsSync(join(dir, 'stratusdb-backup.json')));
    assert.ok(!existsSync(join(dir, 'stratusdb-backup.creating.json')));
  });

  it('lists backups by table, type and time, in pages', async () => {
    await createMusic(db, 'Albums');
    const arns: string[] = [];
    for (const name of ['AlbumsOne', 'AlbumsTwo', 'AlbumsThree']) {
      const arn = (await db.send(new CreateBackupCommand({ TableName: 'Albums', BackupName: name }))).BackupDetails?.BackupArn as string;
      await available(db, arn);
      arns.push(arn);
    }
    const all = (await db.send(new ListBackupsCommand({ TableName: 'Albums' }))).BackupSummaries ?? [];
    assert.deepEqual(all.map((s) => s.BackupName), ['AlbumsOne', 'AlbumsTwo', 'AlbumsThree']);
    assert.deepEqual(Object.keys(all[0] ?? {}).sort(), ['BackupArn', 'BackupCreationDateTime', 'BackupName', 'BackupSizeBytes', 'BackupStatus', 'BackupType', 'TableArn', 'TableId', 'TableName']);
    const first = await db.send(new ListBackupsCommand({ TableName: 'Albums', Limit: 2 }));
    assert.deepEqual(first.BackupSummaries?.map((s) => s.BackupName), ['AlbumsOne', 'AlbumsTwo']);
    assert.equal(first.LastEvaluatedBackupArn, arns[1]);
    const second = await db.send(new ListBackupsCommand({ TableName: 'Albums', Limit: 2, ExclusiveStartBackupArn: first.LastEvaluatedBackupArn }));
    assert.deepEqual(second.BackupSummaries?.map((s) => s.BackupName), ['AlbumsThree']);
    assert.equal(second.LastEvaluatedBackupArn, undefined);
    assert.deepEqual((await db.send(new ListBackupsCommand({ TableName: 'Albums', BackupType: 'SYSTEM' }))).BackupSummaries, []);
    assert.equal((await db.send(new ListBackupsCommand({ TableName: 'Albums', BackupType: 'ALL' }))).BackupSummaries?.length, 3);
    assert.deepEqual((await db.send(new ListBackupsCommand({ TableName: 'Albums', TimeRangeUpperBound: new Date(2000, 0, 1) }))).BackupSummaries, []);
    assert.ok(((await db.send(new ListBackupsCommand({}))).BackupSummaries?.length ?? 0) >= 4);
    assert.deepEqual((await server.client('eu-west-1').send(new ListBackupsCommand({}))).BackupSummaries, [], 'another region has none');
  });

  it('keeps a SYSTEM backup of a table with point-in-time recovery when it is deleted, and restores the deleted table from it', async () => {
    await createMusic(db, 'Deleted');
    await loadSongs(db, 'Deleted', 10);
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Deleted', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await until(async () => (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Deleted' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the window');
    const before = await contents(db, 'Deleted');
    await db.send(new DeleteTableCommand({ TableName: 'Deleted' }));
    assert.deepEqual((await db.send(new ListBackupsCommand({ TableName: 'Deleted' }))).BackupSummaries, [], 'USER backups only by default');
    const system = (await db.send(new ListBackupsCommand({ TableName: 'Deleted', BackupType: 'SYSTEM' }))).BackupSummaries ?? [];
    assert.deepEqual(system.map((b) => [b.BackupName, b.BackupType, b.BackupStatus]), [['Deleted$DeletedTableBackup', 'SYSTEM', 'AVAILABLE']]);
    const created = system[0]?.BackupCreationDateTime?.getTime() ?? 0;
    assert.equal(system[0]?.BackupExpiryDateTime?.getTime(), created + 35 * 24 * 60 * 60 * 1000);
    await rejects(db.send(new DeleteBackupCommand({ BackupArn: system[0]?.BackupArn })), 'ValidationException',
      `Invalid Request: User is not allowed to delete the system backup with arn ${system[0]?.BackupArn as string}. It will automatically expire on ${new Date(created + 35 * 24 * 60 * 60 * 1000).toISOString()}`);
    await db.send(new RestoreTableFromBackupCommand({ TargetTableName: 'Deleted', BackupArn: system[0]?.BackupArn }));
    await active(db, 'Deleted');
    assert.deepEqual(await contents(db, 'Deleted'), before);
  });

  it('deletes a backup (DELETED, then gone) and answers DynamoDB\'s errors', async () => {
    const arn = (await db.send(new ListBackupsCommand({ TableName: 'Albums' }))).BackupSummaries?.[0]?.BackupArn as string;
    const deleted = await db.send(new DeleteBackupCommand({ BackupArn: arn }));
    assert.equal(deleted.BackupDescription?.BackupDetails?.BackupStatus, 'DELETED');
    await rejects(db.send(new DescribeBackupCommand({ BackupArn: arn })), 'BackupNotFoundException', `Backup not found: ${arn}`);
    await rejects(db.send(new DeleteBackupCommand({ BackupArn: arn })), 'BackupNotFoundException', `Backup not found: ${arn}`);
    await rejects(db.send(new RestoreTableFromBackupCommand({ TargetTableName: 'Gone', BackupArn: arn })), 'BackupNotFoundException', `Backup not found: ${arn}`);
    await rejects(db.send(new CreateBackupCommand({ TableName: 'Nope', BackupName: 'NopeBackup' })), 'TableNotFoundException', 'Table not found: Nope');
    const other = (await db.send(new ListBackupsCommand({ TableName: 'Albums' }))).BackupSummaries?.[0]?.BackupArn as string;
    await rejects(db.send(new RestoreTableFromBackupCommand({ TargetTableName: 'Music', BackupArn: other })), 'TableAlreadyExistsException', 'Table already exists: Music');
    await rejects(db.send(new CreateBackupCommand({ TableName: 'Albums', BackupName: 'no spaces' })), 'ValidationException',
      "1 validation error detected: Value 'no spaces' at 'backupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    await rejects(db.send(new ListBackupsCommand({ TimeRangeLowerBound: new Date(2_000_000_000_000), TimeRangeUpperBound: new Date(1_000_000_000_000) })), 'ValidationException',
      'One or more parameter values were invalid: Time range lower bound must be less than or equal to upper bound');
    await rejects(db.send(new ListBackupsCommand({ ExclusiveStartBackupArn: other.replace('us-east-1', 'eu-west-1') })), 'ValidationException',
      'Invalid Request: The supplied ExclusiveStartBackupArn does not match the region');
    await rejects(db.send(new DescribeBackupCommand({ BackupArn: 'arn:short' })), 'ValidationException',
      "1 validation error detected: Value 'arn:short' at 'backupArn' failed to satisfy constraint: Member must have length greater than or equal to 37");
  });
});

describe('a SYSTEM backup expires', localOnly, () => {
  it('is listed and restorable for 35 days after its table was deleted, then gone, its files removed', async () => {
    const dataDir = newDataDir();
    const backupDir = join(dataDir, 'backups');
    const server = await startServerProcess({ dataDir, args: ['--test-clock', '--backup-dir', backupDir, '--pitr-prune-interval-ms', '20'] });
    try {
      const db = server.client();
      await createMusic(db, 'Expiring');
      await db.send(new PutItemCommand({ TableName: 'Expiring', Item: song(1) }));
      await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Expiring', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      await until(async () => (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Expiring' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the window');
      await db.send(new DeleteTableCommand({ TableName: 'Expiring' }));
      const arn = (await db.send(new ListBackupsCommand({ BackupType: 'SYSTEM' }))).BackupSummaries?.[0]?.BackupArn as string;
      // The server's clock runs on from where the test moves it: ten minutes before the expiry, then past it.
      await server.advanceClock(35 * 24 * 60 * 60 * 1000 - 10 * 60 * 1000);
      assert.equal((await db.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription?.BackupDetails?.BackupStatus, 'AVAILABLE', 'before its expiry');
      await server.advanceClock(10 * 60 * 1000);
      await rejects(db.send(new DescribeBackupCommand({ BackupArn: arn })), 'BackupNotFoundException', `Backup not found: ${arn}`);
      assert.deepEqual((await db.send(new ListBackupsCommand({ BackupType: 'ALL' }))).BackupSummaries, []);
      await afterFullRun(server.endpoint, 'recovery-prune');
      assert.deepEqual(readdirSync(backupDir), []);
    } finally {
      await server.dispose();
    }
  });
});

describe('a backup outlives its data directory', localOnly, () => {
  it('restores onto a new server, on another storage engine, after the first one\'s data is gone', async () => {
    const backupDir = tempDir('stratusdb-backups-test');
    const first = await startServerProcess({ args: ['--backup-dir', backupDir] });
    const db = first.client();
    await createMusic(db, 'Lost');
    await loadSongs(db, 'Lost', 60);
    const arn = (await db.send(new CreateBackupCommand({ TableName: 'Lost', BackupName: 'LostBackup' }))).BackupDetails?.BackupArn as string;
    await available(db, arn);
    const before = await contents(db, 'Lost');
    await first.dispose(); // its data directory is removed
    assert.ok(readdirSync(backupDir).length === 1);
    // The backup's files are the same whatever the store: the second server keeps its data in memory.
    const second = await startServerProcess({ data: 'memory://', args: ['--backup-dir', backupDir] });
    try {
      const again = second.client();
      await again.send(new RestoreTableFromBackupCommand({ TargetTableName: 'Lost', BackupArn: arn }));
      await active(again, 'Lost');
      assert.deepEqual(await contents(again, 'Lost'), before);
    } finally {
      await second.dispose();
    }
  });
});

describe('a backup cut short by kill -9', localOnly, () => {
  it('is made again after the restart: never listed AVAILABLE half-made, then whole', async () => {
    const backupDir = tempDir('stratusdb-backups-test');
    const first = await startServerProcess({ args: ['--backup-dir', backupDir] });
    const db = first.client();
    await createMusic(db, 'Killed');
    await loadSongs(db, 'Killed', 2000);
    const arn = (await db.send(new CreateBackupCommand({ TableName: 'Killed', BackupName: 'KilledBackup' }))).BackupDetails?.BackupArn as string;
    await first.kill();
    const id = arn.slice(arn.lastIndexOf('/') + 1);
    // Whatever the kill left, a manifest is only there once every data file is.
    if (existsSync(join(backupDir, id, 'stratusdb-backup.json'))) assert.ok(!existsSync(join(backupDir, id, 'stratusdb-backup.creating.json')));
    const second = await startServerProcess({ dataDir: first.dataDir, args: ['--backup-dir', backupDir] });
    try {
      const again = second.client();
      await available(again, arn);
      assert.equal((await again.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription?.SourceTableDetails?.ItemCount, 2000);
      await again.send(new RestoreTableFromBackupCommand({ TargetTableName: 'KilledRestored', BackupArn: arn }));
      await active(again, 'KilledRestored');
      assert.equal((await contents(again, 'KilledRestored')).length, 2000);
    } finally {
      await second.dispose();
    }
  });
});
