// Commit-ordered streams across three nodes on one PostgreSQL: writers of every kind through all
// three nodes while a consumer tails the stream through one of them; node 0 is killed (-9) once a
// fixed number of writes has been answered and started again at once (node-churn.ts). The tail must
// see exactly the records a full read finds afterwards — none skipped (a record given a lower sequence
// number but committed after a higher one was read would be), none twice, in order — and replaying
// them must rebuild the table, as every node reads it. Fixed, seeded writes. Skipped, with the
// reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { expectedRefusals, replay, replayTable, scanAll, writeOnce } from '../helpers/replay-workload.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { cutOff, NodeChurn } from '../helpers/node-churn.js';
import { startNodes } from '../helpers/server-process.js';
import { listShards, readStream } from '../helpers/stream-reader.js';

const postgres = await postgresForSuite();

const writersPerNode = 4;
const writesPerWriter = 15;
/** Node 0 is killed once this many writes have been answered. */
const killAfter = (3 * writersPerNode * writesPerWriter) / 2;

describe('stream replay invariant on three nodes, one killed', { skip: postgres.skip }, () => {
  let churn: NodeChurn | undefined;
  after(async () => {
    await Promise.all(churn?.nodes.map((n) => n.dispose()) ?? []);
  });

  it('a consumer tailing the stream through one node misses nothing written through the others', { timeout: 180_000 }, async () => {
    const data = freshSchemaUrl(postgres.url);
    const nodes = await startNodes(3, { data });
    const streams = nodes[2]?.streamsClient();
    assert.ok(streams !== undefined);
    churn = new NodeChurn(nodes, data, killAfter);
    const cluster = churn;
    await cluster.client(0).send(new CreateTableCommand(replayTable));
    const arn = (await cluster.client(1).send(new DescribeTableCommand({ TableName: 'Replay' }))).Table?.LatestStreamArn as string;
    const [shard] = await listShards(streams, arn);
    let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard?.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;

    let acknowledged = 0;
    let writing = true;
    const writers = Promise.all([0, 1, 2].flatMap((node) => Array.from({ length: writersPerNode }, async (_, w) => {
      const random = seededRandom(100 * node + w + 1);
      for (let n = 0; n < writesPerWriter; n++) {
        try {
          if ((await cluster.through(node, (db) => writeOnce(db, random))) !== cutOff) acknowledged++;
        } catch (error) {
          if (!expectedRefusals.has((error as Error).name)) throw error;
        }
      }
    }))).finally(() => (writing = false));

    // Tail while the writes run, then once more after the last one is answered.
    const tailed: _Record[] = [];
    for (let last = false; !last;) {
      last = !writing;
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      tailed.push(...(page.Records ?? []));
      iterator = page.NextShardIterator;
      if (last && (page.Records ?? []).length > 0) last = false;
    }
    await writers;
    await cluster.done();
    assert.equal(cluster.killed, true);

    const full = await readStream(streams, arn);
    const sequence = (records: readonly _Record[]) => records.map((r) => r.dynamodb?.SequenceNumber);
    assert.deepEqual(sequence(tailed), sequence(full), 'the tail saw every record, once, in order');
    const replayed = replay(full);
    for (const node of [0, 1, 2]) assert.deepEqual(replayed, await scanAll(cluster.client(node)), `the table as node ${node} reads it`);
    console.log(`stream replay (3 nodes, one killed): ${acknowledged} writes acknowledged, ${cluster.cutOff} cut off by the kill, ${full.length} records tailed while written and replayed exactly`);
  });
});
