// `stratusdb backup|restore|export|import` against a real server process: each asks for the work
// through the DynamoDB API, follows it to its end and prints the outcome (exit 0), or prints
// DynamoDB's exception and exits 1. Run away from a terminal, so no progress bar is drawn (the
// bar itself: src/cli/progress-bar.test.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { BatchWriteItemCommand, CreateTableCommand, DescribeContinuousBackupsCommand, UpdateContinuousBackupsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localOnly, newDataDir, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { contents } from '../helpers/table-contents.js';
import { until } from '../helpers/until.js';

const run = promisify(execFile);
const cli = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('stratusdb backup, restore, export and import', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const stratusdb = async (...args: string[]): Promise<Outcome> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args, '--endpoint', server.endpoint], { env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'secret' } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  before(async () => {
    const dataDir = newDataDir();
    server = await startServerProcess({ dataDir, args: ['--backup-dir', join(dataDir, 'backups'), '--s3-dir', join(dataDir, 's3')] });
    db = server.client();
    await db.send(new CreateTableCommand({
      TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    await db.send(new BatchWriteItemCommand({
      RequestItems: { Orders: Array.from({ length: 25 }, (_, n) => ({ PutRequest: { Item: { id: { S: `o${n}` }, total: { N: `${n}.5` }, lines: { L: [{ S: 'pen' }, { N: String(n) }] } } } })) },
    }));
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await until(async () => (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the window open');
  });
  after(() => server.dispose());

  it('backs up and restores from the backup and to the latest moment', async () => {
    const backup = await stratusdb('backup', '--table', 'Orders', '--name', 'nightly');
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /^backup arn:aws:dynamodb:us-east-1:000000000000:table\/Orders\/backup\/\d{14}-[0-9a-f]{8} AVAILABLE: 25 items, \d+ bytes \(\d+\.\d s\)\n$/);
    const arn = (/arn:\S+/.exec(backup.stdout) as RegExpExecArray)[0];
    const fromBackup = await stratusdb('restore', '--backup-arn', arn, '--target', 'FromBackup');
    assert.match(fromBackup.stdout, /^FromBackup restored, ACTIVE: 25 items \(\d+\.\d s\)\n$/);
    const latest = await stratusdb('restore', '--table', 'Orders', '--target', 'FromPitr');
    assert.match(latest.stdout, /^FromPitr restored, ACTIVE: 25 items \(\d+\.\d s\)\n$/);
    const wanted = await contents(db, 'Orders');
    assert.deepEqual(await contents(db, 'FromBackup'), wanted);
    assert.deepEqual(await contents(db, 'FromPitr'), wanted);
  });

  it('exports, and imports the export as a new table', async () => {
    const exported = await stratusdb('export', '--table', 'Orders', '--bucket', 'cli-exports', '--prefix', 'daily');
    assert.equal(exported.code, 0, exported.stderr);
    const match = /^export (arn:\S+\/export\/(\d{14}-[0-9a-f]{8})) COMPLETED: 25 items in s3 bucket cli-exports, manifest daily\/AWSDynamoDB\/\2\/manifest-summary\.json \(\d+\.\d s\)\n$/.exec(exported.stdout);
    assert.ok(match !== null, exported.stdout);
    const imported = await stratusdb('import', '--bucket', 'cli-exports', '--prefix', `daily/AWSDynamoDB/${match[2] as string}/data/`, '--compression', 'GZIP', '--table', 'Imported', '--key', 'id:S');
    assert.match(imported.stdout, /^import arn:aws:dynamodb:us-east-1:000000000000:table\/Imported\/import\/\d{14}-[0-9a-f]{8} COMPLETED: 25 items imported, 0 errors, 25 processed \(\d+\.\d s\)\n$/);
    assert.deepEqual(await contents(db, 'Imported'), await contents(db, 'Orders'));
  });

  it('prints DynamoDB\'s exception and exits 1 when the work is refused or fails', async () => {
    assert.deepEqual(await stratusdb('backup', '--table', 'Nope'), { code: 1, stdout: '', stderr: 'stratusdb backup: ResourceNotFoundException: Requested resource not found: Table: Nope not found\n' });
    assert.deepEqual(await stratusdb('import', '--bucket', 'b1', '--table', 'Bad', '--key', 'id'), { code: 1, stdout: '', stderr: 'stratusdb import: UsageError: --key must be NAME:TYPE or HASH:TYPE,RANGE:TYPE with types S, N or B\n' });
    assert.deepEqual(await stratusdb('restore', '--table', 'Orders', '--target', 'Orders'), {
      code: 1, stdout: '', stderr: 'stratusdb restore: TableAlreadyExistsException: Table already exists: Orders\n',
    });
    const noBucket = await stratusdb('import', '--bucket', 'no-such-bucket', '--table', 'Never', '--key', 'id:S');
    assert.equal(noBucket.code, 1);
    assert.match(noBucket.stderr, /^import arn:\S+ FAILED: 0 items imported, 0 errors, 0 processed: S3NoSuchBucket: The specified bucket does not exist: no-such-bucket \(\d+\.\d s\)\n$/);
  });
});
