// The convergence checker of global tables: seeded random puts, updates, deletes and conditional
// writes on a few keys in three regions — served by one server process, and by three processes that
// replicate to each other over HTTP (--peer) — whose clocks the test moves (--test-clock) and whose
// replication lags by a delay (--replication-delay-ms), with one region cut off and healed midway. Each operation is issued at least a millisecond after the one before, so
// the order they are issued in is the order of their stamps, and the last-writer-wins model of the
// table is the last effective write of each key. After the heal and the drain every replica equals
// that model (so no deleted item came back), and each region's stream shows each key's writes in
// stamp order. A failing seed replays exactly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConditionalCheckFailedException, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand, UpdateTableCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { localOnly, startServerProcess } from '../helpers/server-process.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { canonical, contents } from '../helpers/table-contents.js';
import { readStream } from '../helpers/stream-reader.js';
import { drained, outage, replicaActive, startPeers } from '../helpers/replication.js';

const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;
const delayMs = 1000;
const keys = 6;
const operations = 240;

const definition = {
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

/** An item as every write leaves it whole: which operation wrote it, and where. */
const item = (key: string, op: number, region: string): Record<string, AttributeValue> => ({ id: { S: key }, op: { N: String(op) }, at: { S: region } });

interface Counts {
  writes: number;
  refusedConditions: number;
  ineffectiveDeletes: number;
  conflicts: number;
  lateOverDeletes: number;
}

/** Where the three regions are served: what the checker needs of it. */
interface Deployment {
  client(region: string): DynamoDBClient;
  streams(region: string): DynamoDBStreamsClient;
  /** Moves every server's clock; resolves to the time now. */
  advanceClock(ms: number): Promise<number>;
  outage(region: string, on: boolean): Promise<void>;
  drained(): Promise<void>;
  dispose(): Promise<void>;
}

const testArgs = ['--test-clock', '--replication-delay-ms', String(delayMs)];

async function oneServer(): Promise<Deployment> {
  const server = await startServerProcess({ args: testArgs });
  const clients = new Map(regions.map((r) => [r as string, server.client(r)]));
  return {
    client: (region) => clients.get(region) as DynamoDBClient,
    streams: (region) => server.streamsClient(region),
    advanceClock: (ms) => server.advanceClock(ms),
    outage: async (region, on) => void (await outage(server, region, on)),
    drained: () => drained(server),
    dispose: () => server.dispose(),
  };
}

async function threeServers(): Promise<Deployment> {
  const servers = await startPeers(regions, testArgs);
  const of = (region: string) => servers.get(region)?.server as NonNullable<ReturnType<typeof servers.get>>['server'];
  const clients = new Map(regions.map((r) => [r as string, of(r).client(r)]));
  const all = [...servers.values()].map((s) => s.server);
  return {
    client: (region) => clients.get(region) as DynamoDBClient,
    streams: (region) => of(region).streamsClient(region),
    advanceClock: async (ms) => Math.max(...(await Promise.all(all.map((s) => s.advanceClock(ms))))),
    // Every server cuts its links to and from the region.
    outage: async (region, on) => void (await Promise.all(all.map((s) => outage(s, region, on)))),
    drained: async () => void (await Promise.all(all.map((s) => drained(s)))),
    dispose: async () => void (await Promise.all(all.map((s) => s.dispose()))),
  };
}

for (const [where, deploy] of [['one server', oneServer], ['three servers (--peer)', threeServers]] as const) describe(`replication convergence (seeded), ${where}`, localOnly, () => {
  let deployment: Deployment;
  before(async () => {
    deployment = await deploy();
  });
  after(() => deployment.dispose());

  for (const seed of [12, 28, 47]) {
    it(`seed ${seed}: every replica equals the last-writer-wins model, each stream in stamp order`, async (t) => {
      const random = seededRandom(seed);
      const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
      const TableName = `Converge${seed}`;
      const home = deployment.client('us-east-1');
      await home.send(new CreateTableCommand({ TableName, ...definition }));
      for (const region of regions.slice(1)) {
        await home.send(new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName: region } }] }));
        await replicaActive(home, TableName);
      }
      for (const region of regions) await replicaActive(deployment.client(region), TableName);
      const model = new Map<string, Record<string, AttributeValue> | null>();
      /** Per key, the last effective write: which operation, where, when (clock ms). */
      const last = new Map<string, { op: number; region: string; at: number; deleted: boolean }>();
      const counts: Counts = { writes: 0, refusedConditions: 0, ineffectiveDeletes: 0, conflicts: 0, lateOverDeletes: 0 };
      // Each seed cuts off another region.
      const cutRegion = regions[seed % regions.length] as string;
      let now = await deployment.advanceClock(0);
      for (let op = 1; op <= operations; op++) {
        if (op === Math.floor(operations / 3)) await deployment.outage(cutRegion, true);
        if (op === Math.floor((2 * operations) / 3)) await deployment.outage(cutRegion, false);
        // At least a millisecond after the operation before: issue order is stamp order.
        now = await deployment.advanceClock(1 + Math.floor(random() * 400));
        const region = pick(regions);
        const db = deployment.client(region);
        const key = `k${Math.floor(random() * keys)}`;
        const kind = random();
        const previous = last.get(key);
        let effective = true;
        let deleted = false;
        if (kind < 0.35) {
          await db.send(new PutItemCommand({ TableName, Item: item(key, op, region) }));
        } else if (kind < 0.55) {
          await db.send(new UpdateItemCommand({
            TableName, Key: { id: { S: key } }, UpdateExpression: 'SET #op = :op, #at = :at',
            ExpressionAttributeNames: { '#op': 'op', '#at': 'at' }, ExpressionAttributeValues: { ':op': { N: String(op) }, ':at': { S: region } },
          }));
        } else if (kind < 0.75) {
          // A delete of an item this region does not have changes nothing (and is not replicated).
          const old = await db.send(new DeleteItemCommand({ TableName, Key: { id: { S: key } }, ReturnValues: 'ALL_OLD' }));
          effective = old.Attributes !== undefined;
          deleted = true;
          if (!effective) counts.ineffectiveDeletes++;
        } else {
          // Conditional on what this region has now: another region's write may not have arrived.
          try {
            await db.send(new PutItemCommand({ TableName, Item: item(key, op, region), ConditionExpression: 'attribute_not_exists(id) OR #at = :here', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':here': { S: region } } }));
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            effective = false;
            counts.refusedConditions++;
          }
        }
        if (!effective) continue;
        counts.writes++;
        if (previous !== undefined && previous.region !== region && now - previous.at < delayMs) {
          counts.conflicts++;
          if (previous.deleted) counts.lateOverDeletes++;
        }
        last.set(key, { op, region, at: now, deleted });
        model.set(key, deleted ? null : item(key, op, region));
      }
      await deployment.outage(cutRegion, false);
      await deployment.advanceClock(delayMs + 1000);
      await deployment.drained();
      const expected = [...model.values()].filter((v): v is Record<string, AttributeValue> => v !== null).map(canonical).sort();
      for (const region of regions) assert.deepEqual((await contents(deployment.client(region), TableName)).sort(), expected, `${region} after the heal`);
      for (const region of regions) {
        const db = deployment.client(region);
        const arn = (await db.send(new DescribeTableCommand({ TableName }))).Table?.LatestStreamArn as string;
        const records = await readStream(deployment.streams(region), arn);
        const seen = new Map<string, number>();
        for (const record of records) {
          const written = record.dynamodb?.NewImage?.['op']?.N;
          if (written === undefined) continue;
          const key = record.dynamodb?.Keys?.['id']?.S as string;
          assert.ok(Number(written) > (seen.get(key) ?? 0), `${region}: ${key}'s stream goes back from op ${seen.get(key)} to op ${written}`);
          seen.set(key, Number(written));
        }
      }
      t.diagnostic(`seed ${seed}: ${counts.writes} effective writes, ${counts.conflicts} conflicting (another region's write of the key less than ${delayMs} ms before), ${counts.lateOverDeletes} of them over a delete, ${counts.refusedConditions} conditions refused, ${counts.ineffectiveDeletes} deletes of items the region did not have; ${cutRegion} cut off for a third of the run`);
      assert.ok(counts.conflicts > 0 && counts.lateOverDeletes > 0 && counts.refusedConditions > 0, `seed ${seed} exercised too little: ${JSON.stringify(counts)}`);
    });
  }
});
