// The stream replay invariant: concurrent clients write with every kind of write (PutItem, UpdateItem,
// DeleteItem, conditional ones that fail, BatchWriteItem, TransactWriteItems — some cancelled — and
// PartiQL), over a small key space so items are rewritten often and many writes change nothing. The
// writes come in rounds; between rounds the server's clock (--test-clock) jumps past the shard
// rollover, so each round writes into a new shard and the consumer follows lineage. Reading the whole
// NEW_AND_OLD_IMAGES stream and replaying it onto an empty table must rebuild the table exactly: per
// item, each record's OldImage is exactly the replayed item (no gap, duplicate or reordering), INSERT
// only for a missing item, no MODIFY that changes nothing. On LMDB the server is killed (-9) in the
// second round once half its writes are answered, and restarted. Fixed, seeded writes: no timing.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, DescribeTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { KillSwitch } from '../helpers/kill-switch.js';
import { listShards, readStream } from '../helpers/stream-reader.js';
import { expectedRefusals, replay, replayTable, scanAll, writeOnce } from '../helpers/replay-workload.js';

const clients = 8;
const writesPerClient = 10;
const rounds = 4;
const rolloverMs = 60 * 60 * 1000;

/** A fixed number of seeded writes; stops once the server is gone. Expected refusals are answers too. */
async function writer(db: DynamoDBClient, seed: number, tally: { acknowledged: number }, killSwitch: KillSwitch): Promise<void> {
  const random = seededRandom(seed);
  for (let n = 0; n < writesPerClient && !killSwitch.killed; n++) {
    try {
      await writeOnce(db, random);
      tally.acknowledged++;
    } catch (error) {
      if (killSwitch.killed) break; // the server was killed under us
      if (!expectedRefusals.has((error as Error).name)) throw error;
    }
    killSwitch.answer();
  }
}

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`stream replay invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it('replaying the stream rebuilds the table exactly', { ...localOnly, timeout: 120_000 }, async () => {
      const args = ['--stream-shard-rollover-ms', String(rolloverMs), '--test-clock'];
      server = await startServerProcess({ args: adapter === 'memory' ? [...args, '--in-memory'] : args });
      let db = server.client();
      let streams: DynamoDBStreamsClient = server.streamsClient();
      await db.send(new CreateTableCommand(replayTable));
      const arn = (await db.send(new DescribeTableCommand({ TableName: 'Replay' }))).Table?.LatestStreamArn as string;
      const tally = { acknowledged: 0 };
      let advanced = 0;
      for (let round = 0; round < rounds; round++) {
        if (round > 0) {
          // Past the rollover: the round's first write opens the next shard.
          advanced += rolloverMs + 1;
          await server.advanceClock(rolloverMs + 1);
        }
        // A write that always records (a key of its own), so every round has a shard.
        await db.send(new PutItemCommand({ TableName: 'Replay', Item: { pk: { S: `round${round}` }, sk: { S: 'marker' } } }));
        const killSwitch = new KillSwitch(server, adapter === 'lmdb' && round === 1 ? (clients * writesPerClient) / 2 : undefined);
        const client = db;
        await Promise.all(Array.from({ length: clients }, (_, c) => writer(client, 100 * round + c + 1, tally, killSwitch)));
        await killSwitch.done();
        if (killSwitch.killed) {
          // kill -9 with writes in flight, then restart on the same data, the clock where it was.
          server = await startServerProcess({ dataDir: server.dataDir, args });
          await server.advanceClock(advanced);
          db = server.client();
          streams = server.streamsClient();
        }
      }
      const acknowledged = tally.acknowledged;
      const records = await readStream(streams, arn);
      const shards = (await listShards(streams, arn)).length;
      const replayed = replay(records);
      const table = await scanAll(db);
      assert.deepEqual(replayed, table);
      assert.equal(shards, rounds);
      assert.ok(records.length >= rounds, `${records.length} records`);
      console.log(`stream replay (${adapter}): ${acknowledged} writes acknowledged, ${records.length} records over ${shards} shards replayed onto ${table.size} items exactly`);
    });
  });
}
