// The bank invariant across three nodes on one PostgreSQL: 30 clients move money between 100
// accounts with TransactWriteItems, each transfer sent to one node and sent again, with the same
// ClientRequestToken, to another; TransactGetItems snapshots taken through a third must always add
// up. Node 0 is killed (-9) once a fixed number of transfers has been answered, while transfers are in
// flight, and restarted afterwards: the total holds, every acknowledged transfer applied exactly once,
// and one cut off by the kill at most once. Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { accounts, bankTotals, checkSnapshot, initial, openBank, transferRequest } from '../helpers/bank-workload.js';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { answeredByServer } from '../helpers/node-churn.js';
import { startNodes, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const postgres = await postgresForSuite();

const clients = 30;
const transfersPerClient = 8;
/** Node 0 is killed once this many transfers have been answered. */
const killAfter = 100;

interface Tally {
  answered: number;
  acknowledged: number;
  /** Transfers whose first send got no answer (node 0 died under it): applied once or not at all. */
  uncertain: number;
  killed: boolean;
}

describe('bank invariant on three nodes, one killed', { skip: postgres.skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it('keeps the total; each acknowledged transfer applied once, retried through another node', { timeout: 180_000 }, async () => {
    const data = freshSchemaUrl(postgres.url);
    nodes.push(...(await startNodes(3, { data })));
    const db = nodes.map((n) => n.client());
    await openBank(db);

    const tally: Tally = { answered: 0, acknowledged: 0, uncertain: 0, killed: false };
    let kill: Promise<void> | undefined;
    const answered = (): void => {
      tally.answered++;
      if (tally.answered === killAfter) {
        tally.killed = true;
        kill = nodes[0]?.kill();
      }
    };
    const client = async (c: number): Promise<void> => {
      const random = seededRandom(c + 1);
      const first = db[c % 3] as DynamoDBClient;
      const again = db[(c + 1) % 3] as DynamoDBClient;
      for (let n = 0; n < transfersPerClient; n++) {
        const request = transferRequest(random, `c${c}-t${n}`);
        try {
          await first.send(new TransactWriteItemsCommand(request));
          tally.acknowledged++;
        } catch (error) {
          if (!answeredByServer(error)) {
            // Node 0 died under the request: it may have committed. This client's node is gone.
            tally.uncertain++;
            answered();
            return;
          }
          // Not enough money, or a conflict with another transfer: nothing moved.
          assert.equal((error as Error).name, 'TransactionCanceledException', (error as Error).message);
          answered();
          continue;
        }
        answered();
        // The same transfer again, through another node: answered as done, applied no second time.
        try {
          await again.send(new TransactWriteItemsCommand(request));
        } catch (error) {
          if (answeredByServer(error)) throw error;
          // Sent to node 0 after it died: the transfer stands as acknowledged.
        }
      }
    };
    const workers = Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
    let finished = false;
    const settled = workers.finally(() => (finished = true));
    let snapshots = 0;
    while (!finished) {
      await checkSnapshot(db[1] as DynamoDBClient);
      snapshots++;
    }
    await settled;
    await kill;
    assert.equal(tally.killed, true);

    const restarted = await startServerProcess({ data });
    nodes.push(restarted);
    const { sum, applied } = await bankTotals(restarted.client());
    assert.equal(sum, accounts * initial);
    assert.ok(applied >= tally.acknowledged && applied <= tally.acknowledged + tally.uncertain, `${applied} applied, ${tally.acknowledged} acknowledged, ${tally.uncertain} cut off`);
    console.log(`bank invariant (3 nodes): ${tally.acknowledged} transfers acknowledged, ${applied} applied, ${tally.uncertain} cut off by the kill, ${snapshots} consistent snapshots`);
  });
});
