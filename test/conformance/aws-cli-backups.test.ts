// The AWS CLI's backup and point-in-time recovery flows, as the README writes them:
// update-continuous-backups, describe-continuous-backups, restore-table-to-point-in-time with
// --restore-date-time (an ISO date) and with --use-latest-restorable-time; create-backup,
// describe-backup, list-backups, restore-table-from-backup, delete-backup; wait table-exists;
// export-table-to-point-in-time, describe-export, then import-table of that export, describe-import, list-imports.
// Skipped, with the reason, without `aws`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { awsCliMissing } from '../helpers/aws-cli.js';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { localOnly, newDataDir, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);

const missing = awsCliMissing();
if (missing !== false) console.log(`# skipped: ${missing}`);

describe('AWS CLI: backups and point-in-time recovery', { skip: localOnly.skip || missing }, () => {
  let server: ServerProcess;
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'secret', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };
  const aws = async (...args: string[]): Promise<unknown> => {
    const { stdout } = await run('aws', ['dynamodb', ...args, '--endpoint-url', server.endpoint, '--output', 'json'], { env });
    return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as unknown);
  };
  before(async () => {
    const dataDir = newDataDir();
    server = await startServerProcess({ dataDir, args: ['--test-clock', '--backup-dir', join(dataDir, 'backups'), '--s3-dir', join(dataDir, 's3')] });
  });
  after(async () => {
    await server.dispose();
  });

  it('enables recovery, undoes a delete with --restore-date-time, and restores the latest moment', async () => {
    await aws('create-table', '--table-name', 'Orders', '--attribute-definitions', 'AttributeName=id,AttributeType=S',
      '--key-schema', 'AttributeName=id,KeyType=HASH', '--billing-mode', 'PAY_PER_REQUEST');
    await aws('put-item', '--table-name', 'Orders', '--item', '{"id":{"S":"o1"},"total":{"N":"12.50"}}');
    const enabled = await aws('update-continuous-backups', '--table-name', 'Orders', '--point-in-time-recovery-specification', 'PointInTimeRecoveryEnabled=true') as
      { ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: string } } };
    assert.equal(enabled.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus, 'ENABLED');
    for (;;) {
      const described = await aws('describe-continuous-backups', '--table-name', 'Orders') as { ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { EarliestRestorableDateTime?: string } } };
      if (described.ContinuousBackupsDescription.PointInTimeRecoveryDescription.EarliestRestorableDateTime !== undefined) break;
    }
    // The clock moves on whole seconds: the delete comes two seconds after the moment restored.
    const before = await server.advanceClock(1000);
    await server.advanceClock(2000);
    await aws('delete-item', '--table-name', 'Orders', '--key', '{"id":{"S":"o1"}}');
    const restored = await aws('restore-table-to-point-in-time', '--source-table-name', 'Orders', '--target-table-name', 'OrdersRestored',
      '--restore-date-time', new Date(before).toISOString()) as { TableDescription: { TableStatus: string } };
    assert.equal(restored.TableDescription.TableStatus, 'CREATING');
    await aws('wait', 'table-exists', '--table-name', 'OrdersRestored');
    assert.deepEqual(await aws('get-item', '--table-name', 'OrdersRestored', '--key', '{"id":{"S":"o1"}}'), { Item: { id: { S: 'o1' }, total: { N: '12.5' } } });
    await aws('restore-table-to-point-in-time', '--source-table-name', 'Orders', '--target-table-name', 'OrdersLatest', '--use-latest-restorable-time');
    await aws('wait', 'table-exists', '--table-name', 'OrdersLatest');
    assert.deepEqual(await aws('scan', '--table-name', 'OrdersLatest', '--query', 'Count'), 0);
  });

  it('backs up, lists, describes, restores and deletes a backup', async () => {
    const created = await aws('create-backup', '--table-name', 'Orders', '--backup-name', 'OrdersBackup') as { BackupDetails: { BackupArn: string; BackupStatus: string } };
    const arn = created.BackupDetails.BackupArn;
    for (;;) {
      const described = await aws('describe-backup', '--backup-arn', arn) as { BackupDescription: { BackupDetails: { BackupStatus: string } } };
      if (described.BackupDescription.BackupDetails.BackupStatus === 'AVAILABLE') break;
    }
    assert.deepEqual(await aws('list-backups', '--table-name', 'Orders', '--query', 'BackupSummaries[].BackupName'), ['OrdersBackup']);
    await aws('restore-table-from-backup', '--target-table-name', 'OrdersFromBackup', '--backup-arn', arn);
    await aws('wait', 'table-exists', '--table-name', 'OrdersFromBackup');
    assert.deepEqual(await aws('scan', '--table-name', 'OrdersFromBackup', '--query', 'Count'), 0, 'o1 was deleted before the backup');
    assert.equal(await aws('delete-backup', '--backup-arn', arn, '--query', 'BackupDescription.BackupDetails.BackupStatus'), 'DELETED');
    assert.deepEqual(await aws('list-backups', '--table-name', 'Orders', '--query', 'BackupSummaries'), []);
  });

  it('exports a table and imports the export as a new table', async () => {
    await aws('put-item', '--table-name', 'Orders', '--item', '{"id":{"S":"o2"},"lines":{"L":[{"N":"1"},{"S":"pen"}]},"flags":{"SS":["gift","rush"]}}');
    await server.advanceClock(1000);
    const arn = await aws('describe-table', '--table-name', 'Orders', '--query', 'Table.TableArn') as string;
    const exportArn = await aws('export-table-to-point-in-time', '--table-arn', arn, '--s3-bucket', 'backups-bucket', '--s3-prefix', 'orders',
      '--query', 'ExportDescription.ExportArn') as string;
    while (await aws('describe-export', '--export-arn', exportArn, '--query', 'ExportDescription.ExportStatus') === 'IN_PROGRESS');
    assert.equal(await aws('describe-export', '--export-arn', exportArn, '--query', 'ExportDescription.ExportStatus'), 'COMPLETED');
    const dataPrefix = `orders/AWSDynamoDB/${exportArn.slice(exportArn.lastIndexOf('/') + 1)}/data/`;
    const importArn = await aws('import-table', '--s3-bucket-source', `S3Bucket=backups-bucket,S3KeyPrefix=${dataPrefix}`, '--input-format', 'DYNAMODB_JSON',
      '--input-compression-type', 'GZIP', '--table-creation-parameters',
      '{"TableName":"OrdersImported","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}',
      '--query', 'ImportTableDescription.ImportArn') as string;
    while (await aws('describe-import', '--import-arn', importArn, '--query', 'ImportTableDescription.ImportStatus') === 'IN_PROGRESS');
    assert.deepEqual(await aws('describe-import', '--import-arn', importArn, '--query', 'ImportTableDescription.[ImportStatus,ImportedItemCount,ErrorCount]'), ['COMPLETED', 1, 0]);
    await aws('wait', 'table-exists', '--table-name', 'OrdersImported');
    assert.deepEqual(await aws('get-item', '--table-name', 'OrdersImported', '--key', '{"id":{"S":"o2"}}'),
      { Item: { id: { S: 'o2' }, lines: { L: [{ N: '1' }, { S: 'pen' }] }, flags: { SS: ['gift', 'rush'] } } });
    assert.deepEqual(await aws('list-imports', '--table-arn', arn.replace(/Orders$/, 'OrdersImported'), '--query', 'ImportSummaryList[].ImportArn'), [importArn]);
  });
});
