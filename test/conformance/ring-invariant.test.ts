// The ring invariant (FoundationDB's Cycle workload): N items each name the next, forming one cycle.
// Concurrent clients rotate three links at a time — read a→b→c→d, then in one transaction, guarded
// by conditions that the links are still as read, make it a→c→b→d. Half the rotations go through
// TransactWriteItems, half through PartiQL's ExecuteTransaction. Whatever interleaves, the items
// must always form a single cycle of length N: checked from TransactGetItems snapshots during the
// run and at the end — on LMDB after a kill -9 and restart.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CreateTableCommand, ExecuteTransactionCommand, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const size = 40;
const clients = 16;
const key = (n: number) => ({ id: { N: String(n) } });


/** The length of the cycle through item 0, or -1 when following `next` does not come back to 0 within N steps. */
function cycleLength(next: ReadonlyMap<number, number>): number {
  let at = 0;
  for (let steps = 1; steps <= next.size; steps++) {
    const to = next.get(at);
    if (to === undefined) return -1;
    if (to === 0) return steps;
    at = to;
  }
  return -1;
}

async function snapshot(db: DynamoDBClient): Promise<Map<number, number>> {
  const read = await db.send(new TransactGetItemsCommand({ TransactItems: Array.from({ length: size }, (_, n) => ({ Get: { TableName: 'Ring', Key: key(n) } })) }));
  return new Map((read.Responses ?? []).map((r, n) => [n, Number(r.Item?.['next']?.N)]));
}

async function nextOf(db: DynamoDBClient, n: number): Promise<number> {
  const got = await db.send(new GetItemCommand({ TableName: 'Ring', Key: key(n), ConsistentRead: true }));
  return Number(got.Item?.['next']?.N);
}

/** Rotations until `stop`; returns [committed, refused because a link changed meanwhile]. */
async function rotate(db: DynamoDBClient, client: number, stop: () => boolean): Promise<[number, number]> {
  const random = seededRandom(1000 + client);
  let committed = 0;
  let refused = 0;
  while (!stop()) {
    try {
      const a = Math.floor(random() * size);
      const b = await nextOf(db, a);
      const c = await nextOf(db, b);
      const d = await nextOf(db, c);
      // Reads racing other rotations can see links from different moments; such a path is no path.
      if (new Set([a, b, c]).size < 3) {
        refused++;
        continue;
      }
      if (client % 2 === 0) {
        const link = (from: number, was: number, to: number) => ({
          Update: { TableName: 'Ring', Key: key(from), UpdateExpression: 'SET #n = :to', ConditionExpression: '#n = :was', ExpressionAttributeNames: { '#n': 'next' }, ExpressionAttributeValues: { ':to': { N: String(to) }, ':was': { N: String(was) } } },
        });
        await db.send(new TransactWriteItemsCommand({ TransactItems: [link(a, b, c), link(c, d, b), link(b, c, d)] }));
      } else {
        const link = (from: number, was: number, to: number) => ({ Statement: `UPDATE Ring SET "next" = ? WHERE id = ? AND "next" = ?`, Parameters: [{ N: String(to) }, { N: String(from) }, { N: String(was) }] });
        await db.send(new ExecuteTransactionCommand({ TransactStatements: [link(a, b, c), link(c, d, b), link(b, c, d)] }));
      }
      committed++;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TransactionCanceledException') {
        refused++;
        continue;
      }
      if (stop()) break; // the server went away under us
      throw error;
    }
  }
  return [committed, refused];
}

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`ring invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it(`stays one cycle of ${size} under ${clients} clients rotating links`, { timeout: 120_000 }, async () => {
      server = await startServerProcess(adapter === 'memory' ? { args: ['--in-memory'] } : {});
      let db = server.client();
      await db.send(new CreateTableCommand({
        TableName: 'Ring', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }));
      for (let n = 0; n < size; n++) await db.send(new PutItemCommand({ TableName: 'Ring', Item: { ...key(n), next: { N: String((n + 1) % size) } } }));
      let stopped = false;
      const workers = Array.from({ length: clients }, (_, c) => rotate(db, c, () => stopped));
      let snapshots = 0;
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        assert.equal(cycleLength(await snapshot(db)), size);
        snapshots++;
      }
      stopped = true;
      if (adapter === 'lmdb') await server.kill();
      const outcomes = await Promise.all(workers);
      const committed = outcomes.reduce((s, [c]) => s + c, 0);
      const refused = outcomes.reduce((s, [, r]) => s + r, 0);
      if (adapter === 'lmdb') {
        server = await startServerProcess({ dataDir: server.dataDir });
        db = server.client();
      }
      const final = await snapshot(db);
      assert.equal(cycleLength(final), size);
      assert.equal(new Set(final.values()).size, size);
      // The ring must have moved, and the guards must have stopped some rotations built on stale reads.
      assert.ok(committed > 100 && refused > 0 && snapshots > 5, `${committed} committed, ${refused} refused, ${snapshots} snapshots`);
      console.log(`ring invariant (${adapter}): ${committed} rotations committed, ${refused} refused on stale links, ${snapshots} snapshots each one cycle`);
    });
  });
}
