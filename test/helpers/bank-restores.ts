// The bank under restores: clients move money in transactions while, after some of client 0's own
// transfers, a restore of the latest moment is asked for; then every restored bank must add up and
// count at least the transfers acknowledged before it was asked for (and no more than in all). Shared
// by the consistent-cut test on one server and on two nodes of one PostgreSQL.
import assert from 'node:assert/strict';
import { DescribeTableCommand, RestoreTableToPointInTimeCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { accounts, bankTotals, initial, transferRequest } from './bank-workload.js';
import { seededRandom } from './seeded-random.js';
import { until } from './until.js';

export interface BankRestoreRun {
  /** The client that sends client `c`'s transfers. */
  readonly clientOf: (c: number) => DynamoDBClient;
  /** The client restores are asked of. */
  readonly restorer: DynamoDBClient;
  readonly clients: number;
  readonly transfersPerClient: number;
  /** Client 0 asks for a restore after each of these many of its own transfers. */
  readonly restoreAfter: readonly number[];
  readonly seed: number;
  /** Called after each of client `c`'s transfers (the `i`-th, from 1). */
  readonly afterTransfer?: (c: number, i: number) => Promise<void>;
}

/** Runs the transfers and restores; checks each restored bank; resolves with the transfers acknowledged. */
export async function transfersWithRestores(run: BankRestoreRun): Promise<number> {
  let acknowledged = 0;
  const asked: { table: string; acknowledgedBefore: number }[] = [];
  await Promise.all(Array.from({ length: run.clients }, async (_, c) => {
    const random = seededRandom(run.seed + c);
    for (let i = 1; i <= run.transfersPerClient; i++) {
      try {
        await run.clientOf(c).send(new TransactWriteItemsCommand(transferRequest(random, `restores-${run.seed}-${c}-${i}`)));
        acknowledged++;
      } catch (error) {
        // Not enough money, or a conflict with another client's transfer: nothing moved.
        if ((error as Error).name !== 'TransactionCanceledException' && (error as Error).name !== 'TransactionConflictException') throw error;
      }
      if (c === 0 && run.restoreAfter.includes(i)) {
        const table = `BankAt${i}`;
        asked.push({ table, acknowledgedBefore: acknowledged });
        await run.restorer.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Bank', TargetTableName: table, UseLatestRestorableTime: true }));
      }
      await run.afterTransfer?.(c, i);
    }
  }));
  assert.equal(asked.length, run.restoreAfter.length);
  for (const { table, acknowledgedBefore } of asked) {
    await until(async () => (await run.restorer.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus === 'ACTIVE', `${table} restored`);
    const { sum, applied } = await bankTotals(run.restorer, table);
    assert.equal(sum, accounts * initial, `${table} adds up`);
    assert.ok(applied >= acknowledgedBefore && applied <= acknowledged, `${table}: ${applied} applied, ${acknowledgedBefore} acknowledged before, ${acknowledged} in all`);
  }
  return acknowledged;
}
