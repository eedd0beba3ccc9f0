// The bank invariant: 50 concurrent clients move money between 100 accounts with TransactWriteItems
// (each transfer carries a ClientRequestToken and is sent twice); the total never changes — checked
// with TransactGetItems snapshots while transfers run — and no transfer applies twice. On LMDB the
// server is killed (-9) once half the transfers are answered, and restarted: every acknowledged
// transfer is there, the total holds. Each client makes a fixed number of seeded transfers.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { accounts, bankTotals, checkSnapshot, initial, openBank, transferRequest } from '../helpers/bank-workload.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { checkWhile, KillSwitch } from '../helpers/kill-switch.js';

const clients = 50;
const transfersPerClient = 8;
/** LMDB: the server is killed once this many transfers have been answered. */
const killAfter = (clients * transfersPerClient) / 2;

/** A fixed number of seeded transfers, each sent and then retried with its token; stops once the server is gone. */
async function transfers(db: DynamoDBClient, client: number, tally: { acknowledged: number }, killSwitch: KillSwitch): Promise<void> {
  const random = seededRandom(client + 1);
  for (let n = 0; n < transfersPerClient && !killSwitch.killed; n++) {
    const request = transferRequest(random, `c${client}-t${n}`);
    try {
      await db.send(new TransactWriteItemsCommand(request));
      // The retry with the same token must not move the money again.
      await db.send(new TransactWriteItemsCommand(request));
      tally.acknowledged++;
    } catch (error) {
      if (killSwitch.killed) break; // the server went away under us
      // Not enough money: nothing moved.
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
    }
    killSwitch.answer();
  }
}

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`bank invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it('keeps the total and applies each transfer once, under 50 concurrent clients', { ...localOnly, timeout: 120_000 }, async () => {
      server = await startServerProcess(adapter === 'memory' ? { args: ['--in-memory'] } : {});
      let db = server.client();
      await openBank([db]);
      const tally = { acknowledged: 0 };
      const killSwitch = new KillSwitch(server, adapter === 'lmdb' ? killAfter : undefined);
      const workers = Promise.all(Array.from({ length: clients }, (_, c) => transfers(db, c, tally, killSwitch)));
      // Snapshots of every account while transfers run (until they finish or the server is killed): each must add up.
      const snapshots = await checkWhile(workers, killSwitch, () => checkSnapshot(db));
      if (adapter === 'lmdb') {
        assert.equal(killSwitch.killed, true);
        server = await startServerProcess({ dataDir: server.dataDir });
        db = server.client();
      } else {
        assert.equal(killSwitch.answered, clients * transfersPerClient);
      }
      const { sum, applied } = await bankTotals(db);
      assert.equal(sum, accounts * initial);
      const { acknowledged } = tally;
      // Every acknowledged transfer applied exactly once; one cut off by the kill may have applied once too.
      if (adapter === 'memory') assert.equal(applied, acknowledged);
      else assert.ok(applied >= acknowledged && applied <= acknowledged + clients, `${applied} applied, ${acknowledged} acknowledged`);
      console.log(`bank invariant (${adapter}): ${acknowledged} transfers acknowledged, ${applied} applied, ${snapshots} consistent snapshots`);
    });
  });
}
