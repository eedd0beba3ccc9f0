// A restore is a consistent cut: while 8 clients move money between accounts in transactions, restores
// of the latest restorable moment are taken at seeded points; each restored bank adds up to the total
// (no transfer half-present) and counts a number of applied transfers between what had been
// acknowledged before the restore was asked for and what was acknowledged by the end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, RestoreTableToPointInTimeCommand, TransactWriteItemsCommand, UpdateContinuousBackupsCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { accounts, bankTotals, initial, openBank, transferRequest } from '../helpers/bank-workload.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { until } from '../helpers/until.js';

const clients = 8;
const transfersPerClient = 60;
/** Client 0 asks for a restore after each of these many of its own transfers. */
const restoreAfter = [15, 30, 45];

describe('restore consistent cut', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
  });
  after(async () => {
    await server.dispose();
  });

  it(`restores whole transactions only, under ${clients} writing clients`, async () => {
    await openBank([db]);
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Bank', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await until(async () => (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Bank' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the recovery window');
    let acknowledged = 0;
    const asked: { table: string; acknowledgedBefore: number }[] = [];
    const transfers = async (c: number): Promise<void> => {
      const random = seededRandom(700 + c);
      for (let i = 1; i <= transfersPerClient; i++) {
        try {
          await db.send(new TransactWriteItemsCommand(transferRequest(random, `cut-${c}-${i}`)));
          acknowledged++;
        } catch (error) {
          // Not enough money, or a conflict with another client's transfer: nothing moved.
          if ((error as Error).name !== 'TransactionCanceledException' && (error as Error).name !== 'TransactionConflictException') throw error;
        }
        if (c === 0 && restoreAfter.includes(i)) {
          const table = `BankAt${i}`;
          asked.push({ table, acknowledgedBefore: acknowledged });
          await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Bank', TargetTableName: table, UseLatestRestorableTime: true }));
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, c) => transfers(c)));
    assert.equal(asked.length, restoreAfter.length);
    for (const { table, acknowledgedBefore } of asked) {
      await until(async () => (await db.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus === 'ACTIVE', `${table} restored`);
      const { sum, applied } = await bankTotals(db, table);
      assert.equal(sum, accounts * initial, `${table} adds up`);
      assert.ok(applied >= acknowledgedBefore && applied <= acknowledged, `${table}: ${applied} transfers, ${acknowledgedBefore} acknowledged before, ${acknowledged} in all`);
    }
    const live = await bankTotals(db);
    assert.deepEqual(live, { sum: accounts * initial, applied: acknowledged });
  });
});
