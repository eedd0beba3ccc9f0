// One capacity limit per table across the nodes of one PostgreSQL (--enforce-capacity): what a
// request takes through one node is paid by every node's copy of the table's bucket once the nodes
// have told each other (a sharing round, counted in GET /stratusdb/metrics), so a client spreading its
// writes over the nodes gets the table's capacity, not the nodes' sum of it. Clocks that all but
// stand still (--clock-speed 0.000001) keep the buckets where the writes left them. Skipped, with
// the reason, without PostgreSQL.
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterFullRun } from '../helpers/background-runs.js';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { rejects } from '../helpers/rejects.js';
import { provisionedTable } from '../helpers/tables.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';

const postgres = await postgresForSuite();
const tableText = 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';

describe('capacity shared by two nodes on one PostgreSQL', { skip: postgres.skip }, () => {
  const nodes: ServerProcess[] = [];
  let db: DynamoDBClient[] = [];
  before(async () => {
    if (postgres.skip !== false) return;
    nodes.push(...(await startNodes(2, { data: freshSchemaUrl(postgres.url), args: ['--enforce-capacity', '--test-clock', '--clock-speed', '0.000001'] })));
    db = nodes.map((n) => n.client());
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it('throttles a node for what was written through the other', async () => {
    const [a, b] = db as [DynamoDBClient, DynamoDBClient];
    const [nodeA, nodeB] = nodes as [ServerProcess, ServerProcess];
    await a.send(new CreateTableCommand(provisionedTable('Shared', 1000, 1, ['pk', 'S'])));
    // Each node has heard of the other before anything is written.
    for (const node of [nodeA, nodeB, nodeA, nodeB]) await afterFullRun(node.endpoint, 'capacity-share');
    // 1 WCU keeps 300 units of burst: a 399 KB write through A spends all of it.
    await a.send(new PutItemCommand({ TableName: 'Shared', Item: { pk: { S: 'big' }, data: { S: 'x'.repeat(399 * 1024 - 100) } } }));
    // A tells, then B hears: B's copy of the bucket is spent too, and B throttles a write it has never seen.
    await afterFullRun(nodeA.endpoint, 'capacity-share');
    await afterFullRun(nodeB.endpoint, 'capacity-share');
    await rejects(b.send(new PutItemCommand({ TableName: 'Shared', Item: { pk: { S: 'small' } } })), 'ProvisionedThroughputExceededException', tableText);
    await rejects(a.send(new PutItemCommand({ TableName: 'Shared', Item: { pk: { S: 'small' } } })), 'ProvisionedThroughputExceededException', tableText);
  });
});
