// The ring invariant (FoundationDB's Cycle workload): N items each name the next, forming one cycle.
// Concurrent clients rotate three links at a time — read a→b→c→d, then in one transaction, guarded
// by conditions that the links are still as read, make it a→c→b→d. Half the rotations go through
// TransactWriteItems, half through PartiQL's ExecuteTransaction. Whatever interleaves, the items
// must always form a single cycle of length N: checked from TransactGetItems snapshots during the
// run and at the end — on LMDB after a kill -9 once a fixed number of rotations has been answered.
// Each client makes a fixed number of seeded attempts: the test decides by counts, never by time.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { checkWhile, KillSwitch } from '../helpers/kill-switch.js';
import { cycleLength, linkUpdate, nextOf, openRing, ringSize, ringSnapshot, rotate } from '../helpers/ring-workload.js';

const clients = 16;
const attemptsPerClient = 12;
/** LMDB: the server is killed once this many attempts have been answered. */
const killAfter = (clients * attemptsPerClient) / 2;

interface Tally {
  committed: number;
  refused: number;
}

/** A guarded rotation built on links read before another rotation moved them is refused whole. */
async function staleRotationRefused(db: DynamoDBClient): Promise<void> {
  // 0→1→2→3 becomes 0→2→1→3; the same rotation again is stale on every link.
  await db.send(new TransactWriteItemsCommand({ TransactItems: [linkUpdate(0, 1, 2), linkUpdate(2, 3, 1), linkUpdate(1, 2, 3)] }));
  await assert.rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [linkUpdate(0, 1, 2), linkUpdate(2, 3, 1), linkUpdate(1, 2, 3)] })), (error: Error & { CancellationReasons?: { Code?: string }[] }) => {
    assert.equal(error.name, 'TransactionCanceledException');
    assert.deepEqual(error.CancellationReasons?.map((r) => r.Code), ['ConditionalCheckFailed', 'ConditionalCheckFailed', 'ConditionalCheckFailed']);
    return true;
  });
  // …and back: 0→2→1→3 becomes 0→1→2→3.
  await db.send(new TransactWriteItemsCommand({ TransactItems: [linkUpdate(0, 2, 1), linkUpdate(1, 3, 2), linkUpdate(2, 1, 3)] }));
}

/** A fixed number of seeded rotation attempts; stops early once the server is gone (`killed`). */
async function rotations(db: DynamoDBClient, client: number, tally: Tally, killSwitch: KillSwitch): Promise<void> {
  const random = seededRandom(1000 + client);
  for (let attempt = 0; attempt < attemptsPerClient && !killSwitch.killed; attempt++) {
    try {
      const a = Math.floor(random() * ringSize);
      const b = await nextOf(db, a);
      const c = await nextOf(db, b);
      const d = await nextOf(db, c);
      // Reads racing other rotations can see links from different moments; such a path is no path.
      if (new Set([a, b, c]).size < 3) {
        tally.refused++;
      } else {
        await rotate(db, [a, b, c, d], client % 2 === 1);
        tally.committed++;
      }
    } catch (error) {
      if (killSwitch.killed) break; // the server went away under us
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
      tally.refused++;
    }
    killSwitch.answer();
  }
}

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`ring invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it(`stays one cycle of ${ringSize} under ${clients} clients rotating links`, { ...localOnly, timeout: 120_000 }, async () => {
      server = await startServerProcess(adapter === 'memory' ? { args: ['--in-memory'] } : {});
      let db = server.client();
      await openRing(db);
      await staleRotationRefused(db);
      assert.equal(cycleLength(await ringSnapshot(db)), ringSize);
      const tally: Tally = { committed: 0, refused: 0 };
      const killSwitch = new KillSwitch(server, adapter === 'lmdb' ? killAfter : undefined);
      const workers = Promise.all(Array.from({ length: clients }, (_, c) => rotations(db, c, tally, killSwitch)));
      // Snapshots while the clients run (until they finish or the server is killed), each one cycle.
      const snapshots = await checkWhile(workers, killSwitch, async () => assert.equal(cycleLength(await ringSnapshot(db)), ringSize));
      if (adapter === 'lmdb') {
        assert.equal(killSwitch.killed, true);
        server = await startServerProcess({ dataDir: server.dataDir });
        db = server.client();
      } else {
        assert.equal(killSwitch.answered, clients * attemptsPerClient);
        assert.equal(tally.committed + tally.refused, killSwitch.answered);
      }
      const final = await ringSnapshot(db);
      assert.equal(cycleLength(final), ringSize);
      assert.equal(new Set(final.values()).size, ringSize);
      // A refusal means another rotation committed meanwhile: some rotation always commits.
      assert.ok(tally.committed >= 1, `${tally.committed} committed, ${tally.refused} refused`);
      console.log(`ring invariant (${adapter}): ${tally.committed} rotations committed, ${tally.refused} refused on stale links, ${snapshots} snapshots each one cycle`);
    });
  });
}
