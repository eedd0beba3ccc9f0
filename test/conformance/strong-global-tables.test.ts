// Multi-region strong consistency (MultiRegionConsistency STRONG) through the SDK against real server
// processes: a group of three regions made in one UpdateTable (two replicas, or one and a witness),
// with AWS's checks and texts; a write in one region is read strongly in the others at once and a
// condition sees the latest write; concurrent writes of one item from two regions meet
// ReplicatedWriteConflictException; increments from three regions at once lose nothing; histories of
// concurrent clients in three regions are linearizable per item (test/helpers/linearizability.ts),
// across a region cut too, in which the cut-off region refuses strongly consistent work while the
// others go on; the group is fixed until one call dissolves it. Also across three servers (--peer).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, QueryCommand,
  TransactWriteItemsCommand, UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand, type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { drained, outage, replicaActive, startPeers, user, usersTable } from '../helpers/replication.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { RegisterWorkload } from '../helpers/register-workload.js';

const strong = (TableName: string, replicas: readonly string[], witness?: string): UpdateTableCommandInput => ({
  TableName, MultiRegionConsistency: 'STRONG', ReplicaUpdates: replicas.map((RegionName) => ({ Create: { RegionName } })),
  ...(witness === undefined ? {} : { GlobalTableWitnessUpdates: [{ Create: { RegionName: witness } }] }),
});

async function heldWrites(server: ServerProcess): Promise<number> {
  return ((await (await fetch(`${server.endpoint}/stratusdb/metrics`)).json()) as { strongWritesHeld: number }).strongWritesHeld;
}


describe('multi-region strong consistency in one process', localOnly, () => {
  let server: ServerProcess;
  let east: DynamoDBClient;
  let west: DynamoDBClient;
  let ohio: DynamoDBClient;
  before(async () => {
    server = await startServerProcess({ args: ['--test-clock'] });
    east = server.client('us-east-1');
    west = server.client('us-west-2');
    ohio = server.client('us-east-2');
  });
  after(async () => {
    await server.holdJobs(false);
    await server.dispose();
  });

  it('refuses what AWS refuses, with its texts, and changes nothing', async () => {
    await east.send(new CreateTableCommand({ TableName: 'Refused', ...usersTable }));
    const refused = (input: Partial<UpdateTableCommandInput>, message: string) => rejects(east.send(new UpdateTableCommand({ TableName: 'Refused', ...input })), 'ValidationException', message);
    await refused({ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] }, 'Unsupported replica count for global tables with MultiRegionConsistency set to STRONG.');
    await refused({ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'us-east-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'eu-west-1' } }] },
      'Unsupported replica count for global tables with MultiRegionConsistency set to STRONG.');
    await refused({ ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }] }, 'MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.');
    await refused({ MultiRegionConsistency: 'EVENTUAL', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }] }, 'MultiRegionConsistency must be set as STRONG when GlobalTableWitnessUpdates parameter is present.');
    await refused(strong('Refused', ['us-west-2'], 'us-west-2'), 'Cannot target multiple regions with the same action');
    await refused(strong('Refused', ['us-west-2'], 'us-east-1'), 'Cannot add a witness in the same region as an existing replica when creating a global table with MultiRegionConsistency set to STRONG.');
    await refused({ ...strong('Refused', ['us-west-2'], 'us-east-2'), DeletionProtectionEnabled: true }, 'Requests that modify replicas or witnesses must not also modify other fields');
    await refused({ MultiRegionConsistency: 'STRONG', GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }] },
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required');
    await refused({ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: 'us-east-2' } }, { Create: { RegionName: 'eu-west-1' } }] },
      "1 validation error detected: Value '[GlobalTableWitnessGroupUpdate(Create=CreateGlobalTableWitnessGroupMemberAction(RegionName=us-east-2), Delete=null), GlobalTableWitnessGroupUpdate(Create=CreateGlobalTableWitnessGroupMemberAction(RegionName=eu-west-1), Delete=null)]' at 'globalTableWitnessUpdates' failed to satisfy constraint: Member must have length less than or equal to 1");
    // StratusDB's texts (AWS's are not recorded): a table with items, with TTL, with a local index.
    await east.send(new PutItemCommand({ TableName: 'Refused', Item: user('u1', 'Ann') }));
    await refused(strong('Refused', ['us-west-2', 'us-east-2']), 'One or more parameter values were invalid: A table must be empty to become a global table with MultiRegionConsistency set to STRONG.');
    await east.send(new CreateTableCommand({
      TableName: 'WithLsi', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], BillingMode: 'PAY_PER_REQUEST',
      LocalSecondaryIndexes: [{ IndexName: 'byAt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    await rejects(east.send(new UpdateTableCommand(strong('WithLsi', ['us-west-2', 'us-east-2']))), 'ValidationException',
      'One or more parameter values were invalid: A table with local secondary indexes cannot become a global table with MultiRegionConsistency set to STRONG.');
    const table = (await east.send(new DescribeTableCommand({ TableName: 'Refused' }))).Table;
    assert.equal(table?.GlobalTableVersion, undefined);
    assert.equal(table?.MultiRegionConsistency, undefined);
    assert.deepEqual((await west.send(new ListTablesCommand({}))).TableNames, []);
  });

  it('makes a group of three replicas in one call; a write is read strongly everywhere at once; the group is fixed', async () => {
    await east.send(new CreateTableCommand({ TableName: 'Accounts', ...usersTable }));
    const made = (await east.send(new UpdateTableCommand(strong('Accounts', ['us-west-2', 'us-east-2'])))).TableDescription;
    assert.equal(made?.TableStatus, 'UPDATING');
    assert.equal(made?.MultiRegionConsistency, 'STRONG');
    assert.equal(made?.GlobalTableVersion, '2019.11.21');
    assert.deepEqual(made?.Replicas?.map((r) => r.RegionName), ['us-west-2', 'us-east-2']);
    for (const db of [east, west, ohio]) await replicaActive(db, 'Accounts');
    const described = (await west.send(new DescribeTableCommand({ TableName: 'Accounts' }))).Table;
    assert.equal(described?.MultiRegionConsistency, 'STRONG');
    assert.deepEqual(described?.Replicas?.map((r) => [r.RegionName, r.ReplicaStatus]), [['us-east-1', 'ACTIVE'], ['us-east-2', 'ACTIVE']]);
    assert.equal(described?.GlobalTableWitnesses, undefined);
    // Each write acknowledged is read strongly in every region at once — no waiting for replication.
    for (let n = 0; n < 10; n++) {
      const writer = [east, west, ohio][n % 3] as DynamoDBClient;
      await writer.send(new PutItemCommand({ TableName: 'Accounts', Item: user('acc', `v${n}`) }));
      for (const reader of [east, west, ohio]) {
        const item = (await reader.send(new GetItemCommand({ TableName: 'Accounts', Key: { userId: { S: 'acc' } }, ConsistentRead: true }))).Item;
        assert.equal(item?.['name']?.S, `v${n}`);
      }
      const query = await [ohio, east, west][n % 3]?.send(new QueryCommand({ TableName: 'Accounts', KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: 'acc' } }, ConsistentRead: true }));
      assert.equal(query?.Items?.[0]?.['name']?.S, `v${n}`);
    }
    // A condition in one region sees the write just made in another.
    await east.send(new PutItemCommand({ TableName: 'Accounts', Item: user('cond', 'first') }));
    await rejects(west.send(new PutItemCommand({ TableName: 'Accounts', Item: user('cond', 'second'), ConditionExpression: 'attribute_not_exists(userId)' })), 'ConditionalCheckFailedException', 'The conditional request failed');
    // Fixed: no replica added or removed alone, no mode change, no DeleteTable of one member; no TTL, no transactions.
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Accounts', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })), 'ValidationException', 'Cannot add replicas to a global table with strong MultiRegionConsistency');
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Accounts', MultiRegionConsistency: 'EVENTUAL', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })), 'ValidationException', 'MultiRegionConsistency parameter is unsupported on existing global table');
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Accounts', MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] })), 'ValidationException', 'Only Replica Create actions are supported when MultiRegionConsistency parameter is provided.');
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Accounts', ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] })), 'ValidationException', 'Deletion of only one table replica is not supported for global tables with MultiRegionConsistency set to STRONG.');
    await rejects(west.send(new DeleteTableCommand({ TableName: 'Accounts' })), 'ValidationException', 'Deletion of only one table replica is not supported for global tables with MultiRegionConsistency set to STRONG.');
    await rejects(east.send(new UpdateTimeToLiveCommand({ TableName: 'Accounts', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })), 'ValidationException',
      'One or more parameter values were invalid: Time to Live is not supported for global tables with MultiRegionConsistency set to STRONG.');
    await rejects(east.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Accounts', Item: user('tx', 'no') } }] })), 'ValidationException',
      'One or more parameter values were invalid: Transactions are not supported for global tables with MultiRegionConsistency set to STRONG.');
  });

  it('refuses a write of an item another region is writing (ReplicatedWriteConflictException), and the first write stands', async () => {
    await east.send(new PutItemCommand({ TableName: 'Accounts', Item: user('hot', 'before') }));
    await server.holdJobs(true);
    // Held once a majority has marked its item: the write is in flight in us-east-1.
    const first = east.send(new PutItemCommand({ TableName: 'Accounts', Item: user('hot', 'from east') }));
    await until(async () => (await heldWrites(server)) === 1, 'the write in us-east-1 held with its item marked');
    await rejects(west.send(new PutItemCommand({ TableName: 'Accounts', Item: user('hot', 'from west') })), 'ReplicatedWriteConflictException',
      'The request was rejected because one or more items in the request are being modified by a request in another Region.');
    await rejects(ohio.send(new UpdateItemCommand({ TableName: 'Accounts', Key: { userId: { S: 'hot' } }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'from ohio' } } })),
      'ReplicatedWriteConflictException', 'The request was rejected because one or more items in the request are being modified by a request in another Region.');
    await server.holdJobs(false);
    await first;
    for (const db of [east, west, ohio]) assert.equal((await db.send(new GetItemCommand({ TableName: 'Accounts', Key: { userId: { S: 'hot' } }, ConsistentRead: true }))).Item?.['name']?.S, 'from east');
  });

  it('loses no increment made from three regions at once (each retried on a conflict)', async () => {
    const perRegion = 15;
    let conflicts = 0;
    await Promise.all([east, west, ohio].map(async (db) => {
      for (let n = 0; n < perRegion; n++) {
        for (;;) {
          try {
            await db.send(new UpdateItemCommand({ TableName: 'Accounts', Key: { userId: { S: 'counter' } }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
            break;
          } catch (error) {
            if ((error as Error).name !== 'ReplicatedWriteConflictException') throw error;
            conflicts++;
          }
        }
      }
    }));
    for (const db of [east, west, ohio]) {
      assert.equal((await db.send(new GetItemCommand({ TableName: 'Accounts', Key: { userId: { S: 'counter' } }, ConsistentRead: true }))).Item?.['hits']?.N, String(3 * perRegion));
    }
    console.log(`# increments: ${3 * perRegion}, conflicts met and retried: ${conflicts}`);
  });

  it('gives linearizable histories per item to concurrent clients in three regions, across a region cut', async () => {
    const workload = new RegisterWorkload('Linear', Array.from({ length: 8 }, (_, i) => `k${i}`), seededRandom(20261206));
    const clients = [{ region: 'us-east-1', db: east }, { region: 'us-west-2', db: west }, { region: 'us-east-2', db: ohio }];
    const run = (rounds: number, regions: readonly string[]): Promise<void> => workload.run(rounds, clients.filter((c) => regions.includes(c.region)));
    await east.send(new CreateTableCommand({ TableName: 'Linear', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await east.send(new UpdateTableCommand(strong('Linear', ['us-west-2'], 'us-east-2')));
    for (const db of [east, west]) await replicaActive(db, 'Linear');
    await run(12, ['us-east-1', 'us-west-2']);
    // us-west-2 cut off: it refuses strongly consistent work; us-east-1 goes on with the witness.
    await outage(server, 'us-west-2', true);
    await rejects(west.send(new GetItemCommand({ TableName: 'Linear', Key: { id: { S: 'k0' } }, ConsistentRead: true })), 'ServiceUnavailable', 'The service is currently unavailable or busy.');
    await rejects(west.send(new PutItemCommand({ TableName: 'Linear', Item: { id: { S: 'k0' }, v: { S: 'cut' } } })), 'ServiceUnavailable', 'The service is currently unavailable or busy.');
    await west.send(new GetItemCommand({ TableName: 'Linear', Key: { id: { S: 'k0' } } })); // an eventually consistent read is served
    await run(12, ['us-east-1']);
    await outage(server, 'us-west-2', false);
    await run(12, ['us-east-1', 'us-west-2']);
    workload.assertLinearizable();
    const { writes, reads, refused } = workload.counts;
    console.log(`# linearizability: ${writes} writes (puts and deletes), ${reads} strong reads (GetItem and Query), ${refused} refused, ${workload.history.size} items`);
    await drained(server);
  });

  it('keeps the witness out of sight in its region, and dissolves the group in one call', async () => {
    const described = (await east.send(new DescribeTableCommand({ TableName: 'Linear' }))).Table;
    assert.deepEqual(described?.GlobalTableWitnesses, [{ RegionName: 'us-east-2', WitnessStatus: 'ACTIVE' }]);
    assert.deepEqual(described?.Replicas?.map((r) => r.RegionName), ['us-west-2']);
    await rejects(ohio.send(new DescribeTableCommand({ TableName: 'Linear' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Linear not found');
    assert.ok(!((await ohio.send(new ListTablesCommand({}))).TableNames ?? []).includes('Linear'));
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Linear', ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] })), 'ValidationException', 'Update table delete operation does not include all witnesses.');
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Linear', ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] })), 'ValidationException',
      'Update global table operation failed because one or more witnesses were not part of the global table. Please retry the request without these witnesses: [eu-west-1].');
    const before = (await east.send(new GetItemCommand({ TableName: 'Linear', Key: { id: { S: 'k1' } }, ConsistentRead: true }))).Item;
    await east.send(new UpdateTableCommand({ TableName: 'Linear', ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }], GlobalTableWitnessUpdates: [{ Delete: { RegionName: 'us-east-2' } }] }));
    await until(async () => (await east.send(new DescribeTableCommand({ TableName: 'Linear' }))).Table?.TableStatus === 'ACTIVE', 'Linear a regional table again');
    const regional = (await east.send(new DescribeTableCommand({ TableName: 'Linear' }))).Table;
    assert.equal(regional?.MultiRegionConsistency, undefined);
    assert.equal(regional?.GlobalTableWitnesses, undefined);
    assert.equal(regional?.Replicas, undefined);
    assert.deepEqual((await east.send(new GetItemCommand({ TableName: 'Linear', Key: { id: { S: 'k1' } }, ConsistentRead: true }))).Item, before);
    await rejects(west.send(new DescribeTableCommand({ TableName: 'Linear' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Linear not found');
    // The witness's region has no table of that name left either: one can be made there.
    await ohio.send(new CreateTableCommand({ TableName: 'Linear', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  });
});

describe('multi-region strong consistency across three servers (--peer)', localOnly, () => {
  let servers: Map<string, { server: ServerProcess }>;
  const regions = ['us-east-1', 'us-west-2', 'us-east-2'];
  before(async () => {
    servers = await startPeers(regions);
  });
  after(async () => {
    await Promise.all([...servers.values()].map(({ server }) => server.dispose()));
  });

  it('makes the group at the peers; each write is read strongly at every server at once; a cut-off server refuses, the others go on', async () => {
    const db = (region: string): DynamoDBClient => (servers.get(region) as { server: ServerProcess }).server.client(region);
    await db('us-east-1').send(new CreateTableCommand({ TableName: 'Orders', ...usersTable }));
    await db('us-east-1').send(new UpdateTableCommand(strong('Orders', ['us-west-2', 'us-east-2'])));
    for (const region of regions) await replicaActive(db(region), 'Orders');
    assert.equal((await db('us-east-2').send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.MultiRegionConsistency, 'STRONG');
    for (let n = 0; n < 6; n++) {
      await db(regions[n % 3] as string).send(new PutItemCommand({ TableName: 'Orders', Item: user('o1', `v${n}`) }));
      for (const region of regions) assert.equal((await db(region).send(new GetItemCommand({ TableName: 'Orders', Key: { userId: { S: 'o1' } }, ConsistentRead: true }))).Item?.['name']?.S, `v${n}`);
    }
    const cut = servers.get('us-east-2')?.server as ServerProcess;
    await outage(cut, 'us-east-2', true);
    await rejects(db('us-east-2').send(new PutItemCommand({ TableName: 'Orders', Item: user('o1', 'cut') })), 'ServiceUnavailable', 'The service is currently unavailable or busy.');
    // The two others still make a majority.
    await db('us-west-2').send(new PutItemCommand({ TableName: 'Orders', Item: user('o1', 'during the cut') }));
    assert.equal((await db('us-east-1').send(new GetItemCommand({ TableName: 'Orders', Key: { userId: { S: 'o1' } }, ConsistentRead: true }))).Item?.['name']?.S, 'during the cut');
    await outage(cut, 'us-east-2', false);
    assert.equal((await db('us-east-2').send(new GetItemCommand({ TableName: 'Orders', Key: { userId: { S: 'o1' } }, ConsistentRead: true }))).Item?.['name']?.S, 'during the cut');
  });
});
