// The failover workload, shared by the failover tests: writers put distinct items through the nodes
// (each write retried while it is refused with InternalServerError, as SDKs retry it), the primary is
// made to fail once a fixed number has been acknowledged, and afterwards an independent check
// compares the acknowledgements with what a scan through every node finds.
import assert from 'node:assert/strict';
import { CreateTableCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { onDemandTable } from './tables.js';

export interface LedgerRun {
  readonly acknowledged: ReadonlySet<string>;
  /** Attempts refused while the database was failing over. */
  readonly refused: number;
  /** From the failure to the last refusal, seconds. */
  readonly outageSeconds: number;
}

export async function runLedger(db: readonly DynamoDBClient[], options: {
  readonly writers: number;
  readonly writesPerWriter: number;
  /** The failure is caused once this many writes have been acknowledged. */
  readonly failAfter: number;
  readonly fail: () => unknown;
  /** Attempts of one write before the test gives up on it, 25 ms apart (a safety net). */
  readonly attemptsMax: number;
}): Promise<LedgerRun> {
  await db[0]?.send(new CreateTableCommand(onDemandTable('Ledger', ['id', 'S'])));
  const acknowledged = new Set<string>();
  let refused = 0;
  let failedAt: number | undefined;
  let lastRefusedAt: number | undefined;
  let failing: unknown;
  const write = async (client: DynamoDBClient, id: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: id } } }));
        acknowledged.add(id);
        if (acknowledged.size === options.failAfter) {
          failedAt = performance.now();
          failing = options.fail();
        }
        return;
      } catch (error) {
        assert.equal((error as Error).name, 'InternalServerError', (error as Error).message);
        refused++;
        lastRefusedAt = performance.now();
        if (attempt >= options.attemptsMax) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  };
  await Promise.all(Array.from({ length: options.writers }, async (_, w) => {
    for (let n = 0; n < options.writesPerWriter; n++) await write(db[w % db.length] as DynamoDBClient, `w${w}-${n}`);
  }));
  await failing;
  assert.ok(failedAt !== undefined, 'the failure came mid-run');
  assert.equal(acknowledged.size, options.writers * options.writesPerWriter);
  return { acknowledged, refused, outageSeconds: lastRefusedAt === undefined ? 0 : (lastRefusedAt - failedAt) / 1000 };
}

/** Every acknowledged write is in a consistent scan through each node. */
export async function assertAllPresent(db: readonly DynamoDBClient[], acknowledged: ReadonlySet<string>): Promise<void> {
  for (const client of db) {
    const found = new Set<string>();
    let start: Record<string, never> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: 'Ledger', ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
      for (const item of page.Items ?? []) found.add(item['id']?.S ?? '');
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start !== undefined);
    assert.deepEqual([...acknowledged].filter((id) => !found.has(id)), [], 'acknowledged writes missing after the failover');
  }
}
