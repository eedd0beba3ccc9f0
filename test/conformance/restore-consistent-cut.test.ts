// A restore is a consistent cut: while 8 clients move money between accounts in transactions, restores
// of the latest restorable moment are taken at seeded points; each restored bank adds up to the total
// (no transfer half-present) and counts a number of applied transfers between what had been
// acknowledged before the restore was asked for and what was acknowledged by the end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeContinuousBackupsCommand, UpdateContinuousBackupsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { accounts, bankTotals, initial, openBank } from '../helpers/bank-workload.js';
import { transfersWithRestores } from '../helpers/bank-restores.js';
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
    const acknowledged = await transfersWithRestores({ clientOf: () => db, restorer: db, clients, transfersPerClient, restoreAfter, seed: 700 });
    const live = await bankTotals(db);
    assert.deepEqual(live, { sum: accounts * initial, applied: acknowledged });
  });
});
