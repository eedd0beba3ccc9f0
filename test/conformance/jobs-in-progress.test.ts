// What DynamoDB answers while backups, restores and imports are still running, through the SDK against
// a real server process whose jobs the test holds (--test-clock, POST /stratusdb/jobs) instead of
// racing them: a backup still CREATING can be neither deleted nor restored (BackupInUseException); a
// 51st restore at once — from a backup or to a point in time — and a 51st import at once are
// LimitExceededException and make nothing; let go, every held job finishes as it would have.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBackupCommand, CreateTableCommand, DeleteBackupCommand, DescribeBackupCommand, DescribeContinuousBackupsCommand, DescribeImportCommand, DescribeTableCommand,
  DynamoDBClient, ImportTableCommand, ListImportsCommand, ListTablesCommand, PutItemCommand, RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand, type ImportTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { localOnly, type ServerProcess } from '../helpers/server-process.js';
import { putObject, serverWithS3Dir } from '../helpers/s3-dir.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { canonical, contents } from '../helpers/table-contents.js';

const keyed = {
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

async function status(db: DynamoDBClient, TableName: string): Promise<string | undefined> {
  return (await db.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus;
}

async function tableNames(db: DynamoDBClient): Promise<string[]> {
  return (await db.send(new ListTablesCommand({}))).TableNames ?? [];
}

describe('backups, restores and imports in progress', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let s3Dir: string;
  before(async () => {
    ({ server, s3Dir } = await serverWithS3Dir());
    db = server.client();
  });
  after(async () => {
    await server.holdJobs(false);
    await server.dispose();
  });

  it('a backup being made can be neither deleted nor restored (BackupInUseException), and can be once it is AVAILABLE', async () => {
    await db.send(new CreateTableCommand({ TableName: 'Held', ...keyed }));
    for (const id of ['a', 'b', 'c']) await db.send(new PutItemCommand({ TableName: 'Held', Item: { id: { S: id }, n: { N: '1' } } }));
    await server.holdJobs(true);
    const created = (await db.send(new CreateBackupCommand({ TableName: 'Held', BackupName: 'held' }))).BackupDetails;
    const BackupArn = created?.BackupArn as string;
    assert.equal(created?.BackupStatus, 'CREATING');
    assert.equal((await db.send(new DescribeBackupCommand({ BackupArn }))).BackupDescription?.BackupDetails?.BackupStatus, 'CREATING');
    await rejects(db.send(new DeleteBackupCommand({ BackupArn })), 'BackupInUseException', `Backup is being created: ${BackupArn}`);
    await rejects(db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: 'HeldRestored' })), 'BackupInUseException', `Backup is being created: ${BackupArn}`);
    // Neither refusal changed anything: the backup is still there and still being made, and no table was made.
    assert.equal((await db.send(new DescribeBackupCommand({ BackupArn }))).BackupDescription?.BackupDetails?.BackupStatus, 'CREATING');
    assert.deepEqual(await tableNames(db), ['Held']);

    await server.holdJobs(false);
    await until(async () => (await db.send(new DescribeBackupCommand({ BackupArn }))).BackupDescription?.BackupDetails?.BackupStatus === 'AVAILABLE', 'the backup AVAILABLE');
    await db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: 'HeldRestored' }));
    await until(async () => (await status(db, 'HeldRestored')) === 'ACTIVE', 'HeldRestored ACTIVE');
    assert.deepEqual(await contents(db, 'HeldRestored'), await contents(db, 'Held'));
    const deleted = await db.send(new DeleteBackupCommand({ BackupArn }));
    assert.equal(deleted.BackupDescription?.BackupDetails?.BackupStatus, 'DELETED');
    await rejects(db.send(new DescribeBackupCommand({ BackupArn })), 'BackupNotFoundException', `Backup not found: ${BackupArn}`);
  });

  it('50 restores run at once: the 51st, from a backup or to a point in time, is LimitExceededException; once they finish, it is not', async () => {
    await db.send(new CreateTableCommand({ TableName: 'Source', ...keyed }));
    for (let n = 0; n < 5; n++) await db.send(new PutItemCommand({ TableName: 'Source', Item: { id: { S: `item${n}` }, n: { N: String(n) } } }));
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Source', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await until(async () => (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Source' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the recovery window');
    await server.advanceClock(1000);
    const BackupArn = (await db.send(new CreateBackupCommand({ TableName: 'Source', BackupName: 'source' }))).BackupDetails?.BackupArn as string;
    await until(async () => (await db.send(new DescribeBackupCommand({ BackupArn }))).BackupDescription?.BackupDetails?.BackupStatus === 'AVAILABLE', 'the backup AVAILABLE');

    await server.holdJobs(true);
    const targets = Array.from({ length: 50 }, (_, n) => `Restored${String(n).padStart(2, '0')}`);
    for (const [n, TargetTableName] of targets.entries()) {
      // Half from the backup, half to the latest restorable second: both kinds count toward one limit.
      const answer = n % 2 === 0
        ? (await db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName }))).TableDescription
        : (await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Source', TargetTableName, UseLatestRestorableTime: true }))).TableDescription;
      assert.equal(answer?.TableStatus, 'CREATING');
      assert.equal(answer?.RestoreSummary?.RestoreInProgress, true);
    }
    const limit = 'Subscriber limit exceeded: Only 50 restore operations can be done simultaneously';
    await rejects(db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: 'OneTooMany' })), 'LimitExceededException', limit);
    await rejects(db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Source', TargetTableName: 'OneTooMany', UseLatestRestorableTime: true })), 'LimitExceededException', limit);
    assert.equal((await tableNames(db)).includes('OneTooMany'), false);
    // Every held restore is still in progress.
    for (const TableName of targets) assert.equal((await db.send(new DescribeTableCommand({ TableName }))).Table?.RestoreSummary?.RestoreInProgress, true);

    await server.holdJobs(false);
    const source = await contents(db, 'Source');
    for (const TableName of targets) {
      await until(async () => (await status(db, TableName)) === 'ACTIVE', `${TableName} ACTIVE`);
      assert.deepEqual(await contents(db, TableName), source, TableName);
    }
    const answer = await db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: 'OneTooMany' }));
    assert.equal(answer.TableDescription?.TableStatus, 'CREATING');
    await until(async () => (await status(db, 'OneTooMany')) === 'ACTIVE', 'OneTooMany ACTIVE');
  });

  it('50 imports run at once: the 51st is LimitExceededException (a repeated ClientToken still answers its import); once they finish, it is not', async () => {
    putObject(s3Dir, 'held-imports/items/part-0.json', ['x', 'y'].map((id) => `${JSON.stringify({ Item: { id: { S: id }, v: { S: `value of ${id}` } } })}\n`).join(''));
    const request = (TableName: string, ClientToken?: string): ImportTableCommandInput => ({
      S3BucketSource: { S3Bucket: 'held-imports', S3KeyPrefix: 'items/' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'NONE',
      TableCreationParameters: { TableName, ...keyed }, ...(ClientToken === undefined ? {} : { ClientToken }),
    });

    await server.holdJobs(true);
    const arns: string[] = [];
    for (let n = 0; n < 50; n++) {
      const answer = (await db.send(new ImportTableCommand(request(`Imported${String(n).padStart(2, '0')}`, `token-${n}`)))).ImportTableDescription;
      assert.equal(answer?.ImportStatus, 'IN_PROGRESS');
      arns.push(answer?.ImportArn as string);
    }
    const limit = 'Subscriber limit exceeded: Only 50 import operations can be done simultaneously';
    await rejects(db.send(new ImportTableCommand(request('ImportedTooMany'))), 'LimitExceededException', limit);
    assert.equal((await tableNames(db)).includes('ImportedTooMany'), false);
    // Asking again for an import already made is no new import.
    const again = await db.send(new ImportTableCommand(request('Imported00', 'token-0')));
    assert.equal(again.ImportTableDescription?.ImportArn, arns[0]);
    const listed = (await db.send(new ListImportsCommand({ PageSize: 25 }))).ImportSummaryList ?? [];
    assert.deepEqual(listed.map((i) => i.ImportStatus), Array.from({ length: 25 }, () => 'IN_PROGRESS'));
    for (const ImportArn of arns) assert.equal((await db.send(new DescribeImportCommand({ ImportArn }))).ImportTableDescription?.ImportStatus, 'IN_PROGRESS');

    await server.holdJobs(false);
    for (const ImportArn of arns) {
      let described: string | undefined;
      await until(async () => (described = (await db.send(new DescribeImportCommand({ ImportArn }))).ImportTableDescription?.ImportStatus) !== 'IN_PROGRESS', 'the import finished');
      assert.equal(described, 'COMPLETED', ImportArn);
    }
    assert.deepEqual(await contents(db, 'Imported49'), [{ id: { S: 'x' }, v: { S: 'value of x' } }, { id: { S: 'y' }, v: { S: 'value of y' } }].map(canonical));
    const answer = await db.send(new ImportTableCommand(request('ImportedTooMany')));
    assert.equal(answer.ImportTableDescription?.ImportStatus, 'IN_PROGRESS');
  });
});
