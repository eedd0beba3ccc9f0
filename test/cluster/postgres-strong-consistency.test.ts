// Multi-region strong consistency as deployed: three regions, each a group of two nodes on a
// PostgreSQL schema of its own, naming the other regions with --peer (each node a different node of
// each other region, so the messages of one write reach either node of a region). Concurrent
// increments through all six nodes lose none, and the histories of concurrent clients on all six
// nodes are linearizable per item (test/helpers/linearizability.ts), across a cut of one region's
// two nodes too — which holds only when the nodes of a region see each other's marks on items.
// Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { RegisterWorkload } from '../helpers/register-workload.js';
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
    const workload = new RegisterWorkload('Strong', Array.from({ length: 12 }, (_, i) => `k${i}`), seededRandom(20261207));
    const run = (rounds: number, serving: readonly string[]): Promise<void> => workload.run(rounds, nodes.filter((n) => serving.includes(n.region)));
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
    workload.assertLinearizable();
    const { writes, reads, refused } = workload.counts;
    console.log(`# linearizability on ${nodes.length} nodes: ${writes} writes (puts and deletes), ${reads} strong reads (GetItem and Query), ${refused} refused, ${workload.history.size} items`);
  });
});
