// Failover without losing an acknowledged write: two StratusDB nodes on a replicated PostgreSQL (a
// primary and a synchronous standby, named together in the --data URL) take writes; once a fixed
// number has been acknowledged the primary is stopped as a crash would stop it, and the standby is
// promoted (what a failover manager such as pg_auto_failover or Patroni does). Writers retry what is
// refused meanwhile (InternalServerError, which SDKs retry). Afterwards every acknowledged write is
// there, read through both nodes. The write outage is measured and printed, not asserted.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { CreateTableCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startReplicatedPostgres, type ReplicatedPostgres } from '../helpers/postgres-cluster.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { until } from '../helpers/until.js';

const pair = await startReplicatedPostgres();
const skip = typeof pair === 'string' ? pair : false;
if (skip !== false) console.log(`# ${skip}`);

const writers = 8;
const writesPerWriter = 60;
/** The primary goes down once this many writes have been acknowledged. */
const failAfter = 150;
/** Attempts of one write before the test gives up on it (with a pause between them: a safety net). */
const attemptsMax = 600;

describe('failover to a synchronous standby', { skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
    if (typeof pair !== 'string') pair.stop();
  });

  it('keeps every acknowledged write when the primary dies and the standby takes over', { timeout: 240_000 }, async () => {
    const { primary, standby } = pair as ReplicatedPostgres;
    // The standby is synchronous: the primary acknowledges a commit only once the standby has it.
    const check = new pg.Client({ connectionString: primary.url });
    await check.connect();
    try {
      await until(async () => (await check.query<{ sync_state: string }>('SELECT sync_state FROM pg_stat_replication')).rows[0]?.sync_state === 'sync', 'a synchronous standby');
    } finally {
      await check.end();
    }
    const data = `postgres://stratusdb@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/postgres?schema=failover`;
    nodes.push(...(await startNodes(2, { data })));
    const db = nodes.map((n) => n.client());
    await db[0]?.send(new CreateTableCommand(onDemandTable('Ledger', ['id', 'S'])));

    const acknowledged = new Set<string>();
    let refused = 0;
    let failedAt: number | undefined;
    let lastRefusedAt: number | undefined;
    const write = async (client: DynamoDBClient, id: string): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          await client.send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: id } } }));
          acknowledged.add(id);
          if (acknowledged.size === failAfter) {
            failedAt = performance.now();
            primary.crash();
            (pair as ReplicatedPostgres).promote();
          }
          return;
        } catch (error) {
          assert.equal((error as Error).name, 'InternalServerError', (error as Error).message);
          refused++;
          lastRefusedAt = performance.now();
          if (attempt >= attemptsMax) throw error;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let n = 0; n < writesPerWriter; n++) await write(db[w % 2] as DynamoDBClient, `w${w}-${n}`);
    }));
    assert.ok(failedAt !== undefined, 'the primary went down mid-run');
    assert.equal(acknowledged.size, writers * writesPerWriter);

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
    const outage = lastRefusedAt === undefined ? 0 : (lastRefusedAt - (failedAt as number)) / 1000;
    console.log(`failover: ${acknowledged.size} writes acknowledged, all present; ${refused} refused while the primary was down; write outage ${outage.toFixed(2)} s`);
  });
});
