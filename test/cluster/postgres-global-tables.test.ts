// A global table on two nodes sharing one PostgreSQL (both regions in that store): a replica added
// through one node, writes in both regions through both nodes; every region converges, and each link
// is run by one node only (its lease) — the changes applied across the nodes add up to the writes
// made, none twice. Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { drained, links, replicaActive } from '../helpers/replication.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { contents } from '../helpers/table-contents.js';

const postgres = await postgresForSuite();
const writesPerRegion = 40;

describe('global tables on two nodes of one PostgreSQL', { skip: postgres.skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it('converges, with each link run by one node', { timeout: 180_000 }, async () => {
    nodes.push(...(await startNodes(2, { data: freshSchemaUrl(postgres.url) })));
    const [first, second] = nodes as [ServerProcess, ServerProcess];
    const east = first.client('us-east-1');
    const west = second.client('eu-west-1');
    await east.send(new CreateTableCommand({
      TableName: 'Shared', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    await east.send(new UpdateTableCommand({ TableName: 'Shared', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
    await replicaActive(east, 'Shared');
    await replicaActive(second.client('us-east-1'), 'Shared');
    await Promise.all([
      (async () => {
        for (let n = 0; n < writesPerRegion; n++) await east.send(new PutItemCommand({ TableName: 'Shared', Item: { id: { S: `east${n}` } } }));
      })(),
      (async () => {
        for (let n = 0; n < writesPerRegion; n++) await west.send(new PutItemCommand({ TableName: 'Shared', Item: { id: { S: `west${n}` } } }));
      })(),
    ]);
    await drained(first);
    await drained(second);
    const expected = await contents(east, 'Shared');
    assert.equal(expected.length, 2 * writesPerRegion);
    assert.deepEqual(await contents(west, 'Shared'), expected);
    assert.deepEqual(await contents(first.client('eu-west-1'), 'Shared'), expected);
    // Each direction's changes were applied once, by whichever node held that link's lease.
    const all = [...(await links(first)), ...(await links(second))];
    for (const [from, to] of [['us-east-1', 'eu-west-1'], ['eu-west-1', 'us-east-1']]) {
      const applied = all.filter((l) => l.from === from && l.to === to).reduce((sum, l) => sum + l.applied, 0);
      assert.equal(applied, writesPerRegion, `${from} → ${to}`);
    }
  });
});
