// Point-in-time recovery and backups across two nodes on one PostgreSQL: 8 clients move money between
// accounts through both nodes while one node is asked for restores of the latest moment and the other
// for an on-demand backup. Every restored bank adds up (the log orders both nodes' changes through
// its head; a restore fences it) and counts at least the transfers acknowledged before it was asked
// for; the backup, restored through the other node, holds every account. Skipped, with the reason,
// without PostgreSQL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateBackupCommand, DescribeBackupCommand, DescribeContinuousBackupsCommand, DescribeTableCommand, RestoreTableFromBackupCommand, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { accounts, bankTotals, initial, openBank } from '../helpers/bank-workload.js';
import { transfersWithRestores } from '../helpers/bank-restores.js';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { until } from '../helpers/until.js';

const postgres = await postgresForSuite();

const clients = 8;
const transfersPerClient = 40;
const restoreAfter = [10, 25];

describe('point-in-time recovery and backups on two nodes', { skip: postgres.skip }, () => {
  const nodes: ServerProcess[] = [];
  const backupDir = mkdtempSync(join(tmpdir(), 'stratusdb-backups-cluster-'));
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('restores consistent cuts of both nodes\' writes, and a backup through the other node', { timeout: 180_000 }, async () => {
    nodes.push(...(await startNodes(2, { data: freshSchemaUrl(postgres.url), args: ['--backup-dir', backupDir] })));
    const [a, b] = nodes.map((n) => n.client());
    if (a === undefined || b === undefined) throw new Error('two nodes');
    await openBank([a, b]);
    await a.send(new UpdateContinuousBackupsCommand({ TableName: 'Bank', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await until(async () => (await b.send(new DescribeContinuousBackupsCommand({ TableName: 'Bank' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the window, seen from the other node');

    let backupArn = '';
    const acknowledged = await transfersWithRestores({
      clientOf: (c) => (c % 2 === 0 ? a : b), restorer: a, clients, transfersPerClient, restoreAfter, seed: 900,
      afterTransfer: async (c, i) => {
        if (c === 1 && i === 20) backupArn = (await b.send(new CreateBackupCommand({ TableName: 'Bank', BackupName: 'BankMidway' }))).BackupDetails?.BackupArn as string;
      },
    });
    await until(async () => (await a.send(new DescribeBackupCommand({ BackupArn: backupArn }))).BackupDescription?.BackupDetails?.BackupStatus === 'AVAILABLE', 'the backup');
    await a.send(new RestoreTableFromBackupCommand({ TargetTableName: 'BankFromBackup', BackupArn: backupArn }));
    await until(async () => (await b.send(new DescribeTableCommand({ TableName: 'BankFromBackup' }))).Table?.TableStatus === 'ACTIVE', 'the backup restored');
    // A backup reads page by page while transfers go on (as AWS's do), so its balances need not add up:
    // every account is there.
    assert.equal((await b.send(new DescribeTableCommand({ TableName: 'BankFromBackup' }))).Table?.ItemCount, accounts);
    assert.deepEqual(await bankTotals(a), { sum: accounts * initial, applied: acknowledged });
  });
});
