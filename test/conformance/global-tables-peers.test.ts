// Global tables across server processes: each region served by its own StratusDB, the servers named
// to each other with --peer and sharing a --replication-key. Through the SDK: a replica made at a peer
// (filled, then ACTIVE in both), writes both ways with each stream showing the arrivals once, a TTL
// change reaching the peer, a table
// already at the peer refused with DynamoDB's text, requests between servers without the key refused,
// a region cut off on its own server (`stratusdb region outage`) converging once healed, the peer's
// replica removed; and a kill -9 of a region's server mid-replication: after the restart its links
// resume from their checkpoints, nothing lost and nothing applied twice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, UpdateTimeToLiveCommand, DynamoDBClient, PutItemCommand, UpdateTableCommand,
  DescribeTableReplicaAutoScalingCommand, UpdateTableReplicaAutoScalingCommand,
} from '@aws-sdk/client-dynamodb';
import { localOnly, newDataDir, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { contents } from '../helpers/table-contents.js';
import { readStream } from '../helpers/stream-reader.js';
import { drained, freePorts, getUser, links, replicaActive, startPeers, statuses, user, usersTable } from '../helpers/replication.js';

const cliPath = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;


describe('global tables across two servers (--peer)', localOnly, () => {
  let servers: Awaited<ReturnType<typeof startPeers>>;
  let eastServer: ServerProcess;
  let westServer: ServerProcess;
  let east: DynamoDBClient;
  let west: DynamoDBClient;
  before(async () => {
    servers = await startPeers(['us-east-1', 'eu-west-1']);
    eastServer = servers.get('us-east-1')?.server as ServerProcess;
    westServer = servers.get('eu-west-1')?.server as ServerProcess;
    east = eastServer.client('us-east-1');
    west = westServer.client('eu-west-1');
  });
  after(async () => {
    await Promise.all([...servers.values()].map((s) => s.server.dispose()));
  });

  it('makes a replica at the peer: filled with the items and the index, ACTIVE in both; writes go both ways, each stream shows each arrival once', async () => {
    await east.send(new CreateTableCommand({ TableName: 'Users', ...usersTable }));
    for (let n = 0; n < 30; n++) await east.send(new PutItemCommand({ TableName: 'Users', Item: user(`u${n}`, `name ${n}`, n % 3 === 0 ? 'JP' : 'FR') }));
    const answer = await east.send(new UpdateTableCommand({ TableName: 'Users', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
    assert.deepEqual(statuses(answer.TableDescription?.Replicas), [{ RegionName: 'eu-west-1', ReplicaStatus: 'CREATING' }]);
    await replicaActive(east, 'Users');
    await replicaActive(west, 'Users');
    assert.deepEqual(statuses((await west.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.Replicas), [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
    await west.send(new PutItemCommand({ TableName: 'Users', Item: user('from-west', 'Ana', 'PT') }));
    await east.send(new PutItemCommand({ TableName: 'Users', Item: user('from-east', 'Bo', 'US') }));
    await drained(eastServer);
    await drained(westServer);
    assert.deepEqual(await contents(west, 'Users'), await contents(east, 'Users'));
    assert.deepEqual(await contents(west, 'Users', 'byCountry'), await contents(east, 'Users', 'byCountry'));
    assert.equal((await contents(east, 'Users')).length, 32);
    for (const [server, db, region] of [[eastServer, east, 'us-east-1'], [westServer, west, 'eu-west-1']] as const) {
      const arn = (await db.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.LatestStreamArn as string;
      const mine = (await readStream(server.streamsClient(region), arn)).filter((r) => ['from-west', 'from-east'].includes(r.dynamodb?.Keys?.['userId']?.S ?? ''));
      assert.deepEqual(mine.map((r) => `${r.eventName} ${r.dynamodb?.Keys?.['userId']?.S}`).sort(), ['INSERT from-east', 'INSERT from-west'], region);
    }
    // A settings change made at one server reaches the peer's replica.
    await west.send(new UpdateTimeToLiveCommand({ TableName: 'Users', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
    assert.deepEqual((await east.send(new DescribeTimeToLiveCommand({ TableName: 'Users' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    const link = (await links(westServer)).find((l) => l.table === 'Users');
    assert.deepEqual({ from: link?.from, to: link?.to, peer: link?.peer }, { from: 'us-east-1', to: 'eu-west-1', peer: {} });
  });

  it('refuses a replica where the peer already has a table of that name, and requests between servers without the key', async () => {
    await west.send(new CreateTableCommand({ TableName: 'Taken', ...usersTable }));
    await east.send(new CreateTableCommand({ TableName: 'Taken', ...usersTable }));
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Taken', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })), 'ValidationException',
      'Failed to create a the new replica of table with name: \u2018Taken\u2019 because one or more replicas already existed as tables.');
    // Nothing changed: the table is regional, ACTIVE.
    const taken = (await east.send(new DescribeTableCommand({ TableName: 'Taken' }))).Table;
    assert.equal(taken?.TableStatus, 'ACTIVE');
    assert.equal(taken?.Replicas, undefined);
    // A server without a key of its own takes no replication request, however signed.
    const keyless = await startServerProcess();
    try {
      const refused = await fetch(`${keyless.endpoint}/stratusdb/replication/items`, { method: 'POST', body: JSON.stringify({ table: 'Users', region: 'us-east-1' }) });
      assert.equal(refused.status, 403);
      assert.deepEqual(await refused.json(), { __type: 'com.amazon.coral.service#AccessDeniedException', Message: 'This server takes no replication requests: start it with --replication-key' });
    } finally {
      await keyless.dispose();
    }
    const unsigned = await fetch(`${westServer.endpoint}/stratusdb/replication/items`, { method: 'POST', body: JSON.stringify({ table: 'Users', region: 'eu-west-1' }) });
    assert.equal(unsigned.status, 403);
    assert.deepEqual(await unsigned.json(), { __type: 'com.amazon.coral.service#AccessDeniedException', Message: 'The request is not signed with this server\'s --replication-key' });
  });

  it('a region cut off on its own server (stratusdb region outage) takes and serves writes alone, and converges once healed', async () => {
    const cli = (...args: string[]): string => {
      const run = spawnSync(process.execPath, [cliPath, ...args, '--endpoint', westServer.endpoint], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      return run.stdout;
    };
    assert.equal(cli('region', 'outage', 'eu-west-1'), 'eu-west-1 is cut off; regions cut off now: eu-west-1\n');
    await west.send(new PutItemCommand({ TableName: 'Users', Item: user('cut-west', 'written in the outage') }));
    await east.send(new PutItemCommand({ TableName: 'Users', Item: user('cut-east', 'written in the outage') }));
    await until(async () => (await links(eastServer)).some((l) => l.table === 'Users' && l.peer?.unreachable !== undefined), 'us-east-1 to find eu-west-1 refusing');
    assert.equal(await getUser(east, 'Users', 'cut-west'), undefined);
    assert.equal(await getUser(west, 'Users', 'cut-east'), undefined);
    assert.equal(cli('region', 'heal', 'eu-west-1'), 'eu-west-1 is healed; regions cut off now: none\n');
    await drained(eastServer);
    await drained(westServer);
    assert.equal((await getUser(east, 'Users', 'cut-west'))?.['name']?.S, 'written in the outage');
    assert.equal((await getUser(west, 'Users', 'cut-east'))?.['name']?.S, 'written in the outage');
    assert.deepEqual(await contents(west, 'Users'), await contents(east, 'Users'));
  });

  it('gives the peer\'s replica its overrides — an on-demand read maximum (table and GSI) and a class — and keeps them when the group\'s change', async () => {
    await east.send(new UpdateTableCommand({ TableName: 'Users', ReplicaUpdates: [{ Update: {
      RegionName: 'eu-west-1', OnDemandThroughputOverride: { MaxReadRequestUnits: 900 }, TableClassOverride: 'STANDARD_INFREQUENT_ACCESS',
      GlobalSecondaryIndexes: [{ IndexName: 'byCountry', OnDemandThroughputOverride: { MaxReadRequestUnits: 800 } }],
    } }] }));
    const settings = async (db: DynamoDBClient) => {
      const table = (await db.send(new DescribeTableCommand({ TableName: 'Users' }))).Table;
      return { table: table?.OnDemandThroughput, index: table?.GlobalSecondaryIndexes?.[0]?.OnDemandThroughput, tableClass: table?.TableClassSummary?.TableClass };
    };
    assert.deepEqual(await settings(west), { table: { MaxReadRequestUnits: 900 }, index: { MaxReadRequestUnits: 800 }, tableClass: 'STANDARD_INFREQUENT_ACCESS' });
    const listed = (await east.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.Replicas?.[0];
    assert.deepEqual([listed?.OnDemandThroughputOverride, listed?.GlobalSecondaryIndexes, listed?.ReplicaTableClassSummary], [
      { MaxReadRequestUnits: 900 }, [{ IndexName: 'byCountry', OnDemandThroughputOverride: { MaxReadRequestUnits: 800 } }], { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
    ]);
    // A maximum set for the group in us-east-1 reaches eu-west-1, whose read maximum stays its own.
    await east.send(new UpdateTableCommand({ TableName: 'Users', OnDemandThroughput: { MaxReadRequestUnits: 500, MaxWriteRequestUnits: 600 } }));
    assert.deepEqual((await settings(east)).table, { MaxReadRequestUnits: 500, MaxWriteRequestUnits: 600 });
    assert.deepEqual((await settings(west)).table, { MaxReadRequestUnits: 900, MaxWriteRequestUnits: 600 });
  });

  it('sets replica auto scaling at the peer\'s replica too, and describes it from either server', async () => {
    await east.send(new CreateTableCommand({
      TableName: 'Scaled', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
    }));
    await east.send(new UpdateTableCommand({ TableName: 'Scaled', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
    await replicaActive(east, 'Scaled');
    const settings = (min: number, max: number, target: number) => ({ MinimumUnits: min, MaximumUnits: max, ScalingPolicyUpdate: { TargetTrackingScalingPolicyConfiguration: { TargetValue: target } } });
    await east.send(new UpdateTableReplicaAutoScalingCommand({
      TableName: 'Scaled', ProvisionedWriteCapacityAutoScalingUpdate: settings(10, 50, 60),
      ReplicaUpdates: [{ RegionName: 'eu-west-1', ReplicaProvisionedReadCapacityAutoScalingUpdate: settings(8, 40, 70) }],
    }));
    // Registering moved the peer's replica's capacity into its ranges.
    const capacity = (await west.send(new DescribeTableCommand({ TableName: 'Scaled' }))).Table?.ProvisionedThroughput;
    assert.deepEqual([capacity?.ReadCapacityUnits, capacity?.WriteCapacityUnits], [8, 10]);
    for (const db of [east, west]) {
      const described = (await db.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'Scaled' }))).TableAutoScalingDescription;
      const shown = described?.Replicas?.map((r) => [r.RegionName, r.ReplicaProvisionedWriteCapacityAutoScalingSettings?.MinimumUnits, r.ReplicaProvisionedReadCapacityAutoScalingSettings?.MinimumUnits]).sort();
      assert.deepEqual(shown, [['eu-west-1', 10, 8], ['us-east-1', 10, undefined]]);
    }
  });

  it('removes the replica at the peer: its table goes, and neither region lists the other', async () => {
    await east.send(new UpdateTableCommand({ TableName: 'Users', ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }));
    assert.equal((await east.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.Replicas, undefined);
    await until(async () => west.send(new DescribeTableCommand({ TableName: 'Users' })).then(() => false, (e: Error) => e.name === 'ResourceNotFoundException'), 'the eu-west-1 replica gone');
    assert.deepEqual((await links(eastServer)).filter((l) => l.table === 'Users'), []);
  });
});

describe('global tables across servers, a kill -9', localOnly, () => {
  it('the killed region\'s server resumes every link from its checkpoint: nothing lost, nothing applied twice', async () => {
    const [eastPort, westPort] = await freePorts(2);
    const key = ['--replication-key', 'k', '--test-clock', '--replication-delay-ms', '60000'];
    const eastServer = await startServerProcess({ args: ['--port', String(eastPort), '--peer', `eu-west-1=http://127.0.0.1:${westPort}`, ...key] });
    const westDir = newDataDir();
    const westArgs = ['--port', String(westPort), '--peer', `us-east-1=http://127.0.0.1:${eastPort}`, ...key];
    let westServer = await startServerProcess({ dataDir: westDir, args: westArgs });
    try {
      const east = eastServer.client('us-east-1');
      await east.send(new CreateTableCommand({ TableName: 'Ledger', ...usersTable }));
      await east.send(new UpdateTableCommand({ TableName: 'Ledger', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
      await replicaActive(east, 'Ledger');
      for (let n = 0; n < 30; n++) await east.send(new PutItemCommand({ TableName: 'Ledger', Item: user(`e${n}`, `entry ${n}`) }));
      await Promise.all([eastServer.advanceClock(60_000), westServer.advanceClock(60_000)]);
      for (let n = 30; n < 60; n++) await east.send(new PutItemCommand({ TableName: 'Ledger', Item: user(`e${n}`, `entry ${n}`) }));
      await until(async () => (await links(westServer)).some((l) => l.table === 'Ledger' && l.applied === 30), 'the first 30 applied in eu-west-1');
      await westServer.kill();
      westServer = await startServerProcess({ dataDir: westDir, args: westArgs });
      const west = westServer.client('eu-west-1');
      assert.equal((await contents(west, 'Ledger')).length, 30);
      // The restarted server's clock starts again from now: move it past the rest's delay.
      await westServer.advanceClock(180_000);
      await drained(westServer);
      assert.deepEqual(await contents(west, 'Ledger'), await contents(east, 'Ledger'));
      assert.equal((await links(westServer)).find((l) => l.table === 'Ledger')?.applied, 30);
      const arn = (await west.send(new DescribeTableCommand({ TableName: 'Ledger' }))).Table?.LatestStreamArn as string;
      const inserts = (await readStream(westServer.streamsClient('eu-west-1'), arn)).filter((r) => r.eventName === 'INSERT');
      assert.equal(inserts.length, 60);
      assert.equal(new Set(inserts.map((r) => r.dynamodb?.Keys?.['userId']?.S)).size, 60);
    } finally {
      await Promise.all([eastServer.dispose(), westServer.dispose()]);
    }
  });
});
