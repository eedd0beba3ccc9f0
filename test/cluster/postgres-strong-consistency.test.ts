// Multi-region strong consistency as deployed: three regions, each a group of two nodes on a
// PostgreSQL schema of its own, naming the other regions with --peer (each node a different node of
// each other region, so the messages of one write reach either node of a region). Concurrent
// increments through all six nodes lose none, and the histories of concurrent clients on all six
// nodes are linearizable per item (test/helpers/linearizability.ts), across a cut of one region's
// two nodes too — which holds only when the nodes of a region see each other's marks on items.
// Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { linearizable, type RegisterOp } from '../helpers/linearizability.js';
import { freePorts, outage, replicaActive } from '../helpers/replication.js';
import { rejects } from '../helpers/rejects.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const postgres = await postgresForSuite();
const regions = ['us-east-1', 'us-west-2', 'us-east-2'] as const;
const nodesPerRegion = 2;

interface Node {
  readonly region: string;
  readonly server: ServerProcess;
  readonly db: DynamoDBClient;
}

describe('multi-region strong consistency with two nodes per region, each region on its own PostgreSQL schema', { skip: postgres.skip }, () => {
  let nodes: Node[] = [];
  before(async () => {
    const ports = await freePorts(regions.length * nodesPerRegion);
    const port = (region: number, node: number): number => ports[region * nodesPerRegion + node] as number;
    nodes = await Promise.all(regions.flatMap((region, r) => {
      const data = freshSchemaUrl(postgres.url, `mrsc_${process.pid}_${r}`);
      return Array.from({ length: nodesPerRegion }, async (_, n) => {
        // Node n of each region names node n of every other region.
        const peers = regions.flatMap((other, o) => (o === r ? [] : ['--peer', `${other}=http://127.0.0.1:${port(o, n)}`]));
        const server = await startServerProcess({ data, args: ['--port', String(port(r, n)), '--replication-key', 'cluster-key', ...peers] });
        return { region, server, db: server.client(region) };
      });
    }));
    const [first] = nodes as [Node];
    await first.db.send(new CreateTableCommand({
      TableName: 'Strong', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    await first.db.send(new UpdateTableCommand({ TableName: 'Strong', MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'us-east-2' } }] }));
    for (const node of nodes) await replicaActive(node.db, 'Strong');
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.server.dispose()));
  });

  it('loses no increment made through all six nodes at once (each retried on a conflict)', { timeout: 300_000 }, async () => {
    const perNode = 8;
    let conflicts = 0;
    await Promise.all(nodes.map(async ({ db }) => {
      for (let n = 0; n < perNode; n++) {
        for (;;) {
          try {
            await db.send(new UpdateItemCommand({ TableName: 'Strong', Key: { id: { S: 'counter' } }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
            break;
          } catch (error) {
            if ((error as Error).name !== 'ReplicatedWriteConflictException') throw error;
            conflicts++;
          }
        }
      }
    }));
    for (const { region, db } of nodes) {
      assert.equal((await db.send(new GetItemCommand({ TableName: 'Strong', Key: { id: { S: 'counter' } }, ConsistentRead: true }))).Item?.['hits']?.N, String(nodes.length * perNode), region);
    }
    console.log(`# increments: ${nodes.length * perNode} through ${nodes.length} nodes, conflicts met and retried: ${conflicts}`);
  });

  it('gives linearizable histories per item to concurrent clients on every node, across a cut of one region', { timeout: 300_000 }, async () => {
    const random = seededRandom(20261207);
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const history = new Map<string, RegisterOp[]>(keys.map((k) => [k, []]));
    let clock = 0;
    const counts = { writes: 0, reads: 0, refused: 0 };
    const run = async (rounds: number, serving: readonly string[]): Promise<void> => {
      await Promise.all(nodes.filter((n) => serving.includes(n.region)).map(async ({ region, db }) => {
        for (let n = 0; n < rounds; n++) {
          const key = keys[Math.floor(random() * keys.length)] as string;
          const ops = history.get(key) as RegisterOp[];
          const start = clock++;
          const choice = random();
          if (choice < 0.5) {
            // A put of a value of its own, or (one in five) a delete: a write of "no item".
            const value = choice < 0.4 ? `${region}-${start}` : undefined;
            try {
              if (value === undefined) await db.send(new DeleteItemCommand({ TableName: 'Strong', Key: { id: { S: key } } }));
              else await db.send(new PutItemCommand({ TableName: 'Strong', Item: { id: { S: key }, v: { S: value } } }));
              ops.push({ kind: 'write', value, start, end: clock++ });
              counts.writes++;
            } catch (error) {
              const name = (error as Error).name;
              if (name === 'ReplicatedWriteConflictException') counts.refused++; // refused before anything was written
              else if (name === 'ServiceUnavailable') ops.push({ kind: 'write', value, start, end: Infinity, maybe: true }); // outcome unknown
              else throw error;
            }
          } else {
            try {
              const item = choice < 0.75
                ? (await db.send(new GetItemCommand({ TableName: 'Strong', Key: { id: { S: key } }, ConsistentRead: true }))).Item
                : (await db.send(new QueryCommand({ TableName: 'Strong', KeyConditionExpression: 'id = :k', ExpressionAttributeValues: { ':k': { S: key } }, ConsistentRead: true }))).Items?.[0];
              ops.push({ kind: 'read', value: item?.['v']?.S, start, end: clock++ });
              counts.reads++;
            } catch (error) {
              if ((error as Error).name !== 'ServiceUnavailable') throw error;
              counts.refused++;
            }
          }
        }
      }));
    };
    await run(6, regions);
    // us-east-2 cut off on both its nodes: they refuse strongly consistent work; the two other regions go on.
    const cut = nodes.filter((n) => n.region === 'us-east-2');
    for (const node of cut) await outage(node.server, 'us-east-2', true);
    for (const node of cut) {
      await rejects(node.db.send(new PutItemCommand({ TableName: 'Strong', Item: { id: { S: 'k0' }, v: { S: 'cut' } } })), 'ServiceUnavailable', 'The service is currently unavailable or busy.');
    }
    await run(6, ['us-east-1', 'us-west-2']);
    for (const node of cut) await outage(node.server, 'us-east-2', false);
    await run(6, regions);
    for (const [key, ops] of history) assert.ok(linearizable(ops), `the history of ${key} is linearizable: ${JSON.stringify(ops)}`);
    assert.ok(counts.writes > 0 && counts.reads > 0);
    console.log(`# linearizability on ${nodes.length} nodes: ${counts.writes} writes (puts and deletes), ${counts.reads} strong reads (GetItem and Query), ${counts.refused} refused, ${keys.length} items`);
  });
});
