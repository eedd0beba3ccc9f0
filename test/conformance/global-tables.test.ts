// Global tables (version 2019.11.21) through the SDK against a real server process serving several
// regions: UpdateTable ReplicaUpdates adds a replica (CREATING, filled with the table's items and
// index, then ACTIVE; the stream enabled NEW_AND_OLD_IMAGES), every write reaches the other regions
// and shows in their streams (and is not sent back), conflicting writes end on the same last writer
// everywhere, a delete is not undone by an older write, a new GSI or TTL made in one region reaches
// every replica (deletion protection stays regional), an outage cut off a region that then
// converges when healed (or refuses requests, if asked), a replica removed by ReplicaUpdates or by
// DeleteTable in its region leaves the group, a kill -9 mid-replication loses nothing; DynamoDB's
// errors for ReplicaUpdates, with the texts recorded from AWS; the 2017.11.29 API as AWS answers it today.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateGlobalTableCommand, CreateTableCommand, DeleteItemCommand, DescribeGlobalTableCommand, DescribeGlobalTableSettingsCommand, ListGlobalTablesCommand,
  UpdateGlobalTableCommand, UpdateGlobalTableSettingsCommand, UpdateTimeToLiveCommand, DescribeTimeToLiveCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand,
  UpdateTableCommand, type UpdateTableCommandInput, DescribeTableReplicaAutoScalingCommand, UpdateTableReplicaAutoScalingCommand,
} from '@aws-sdk/client-dynamodb';
import { localOnly, newDataDir, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { contents } from '../helpers/table-contents.js';
import { readStream } from '../helpers/stream-reader.js';
import { drained, getUser, links, outage, replicaActive, statuses, user, usersTable } from '../helpers/replication.js';


async function addReplica(db: DynamoDBClient, TableName: string, RegionName: string): Promise<void> {
  await db.send(new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName } }] }));
  await replicaActive(db, TableName);
}

describe('global tables in one process', localOnly, () => {
  let server: ServerProcess;
  let east: DynamoDBClient;
  let west: DynamoDBClient;
  let asia: DynamoDBClient;
  before(async () => {
    server = await startServerProcess({ args: ['--test-clock'] });
    east = server.client('us-east-1');
    west = server.client('eu-west-1');
    asia = server.client('ap-southeast-1');
  });
  after(async () => {
    await server.holdJobs(false);
    await server.dispose();
  });

  it('adds a replica: CREATING (seen while held), filled with every item and index entry, then ACTIVE in both regions', async () => {
    await east.send(new CreateTableCommand({ TableName: 'Users', ...usersTable }));
    for (let n = 0; n < 40; n++) await east.send(new PutItemCommand({ TableName: 'Users', Item: user(`u${n}`, `name ${n}`, n % 2 === 0 ? 'FR' : 'JP') }));
    await server.holdJobs(true);
    const answer = (await east.send(new UpdateTableCommand({ TableName: 'Users', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }))).TableDescription;
    assert.equal(answer?.TableStatus, 'UPDATING');
    assert.equal(answer?.GlobalTableVersion, '2019.11.21');
    // As AWS describes a replica without overrides: the group's warm throughput, settings replicated.
    assert.deepEqual(answer?.Replicas, [{
      RegionName: 'eu-west-1', ReplicaStatus: 'CREATING', WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'UPDATING' },
      GlobalTableSettingsReplicationMode: 'ENABLED_WITH_OVERRIDES',
    }]);
    assert.equal(answer?.GlobalTableSettingsReplicationMode, 'ENABLED_WITH_OVERRIDES');
    // DynamoDB turns the stream on, with both images, for the replicas to replicate.
    assert.deepEqual(answer?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const creating = (await west.send(new DescribeTableCommand({ TableName: 'Users' }))).Table;
    assert.equal(creating?.TableStatus, 'CREATING');
    assert.deepEqual(statuses(creating?.Replicas), [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
    assert.equal(creating?.GlobalTableVersion, '2019.11.21');
    // A replica being made answers only DescribeTable, as on AWS.
    await rejects(getUser(west, 'Users', 'u1'), 'ResourceNotFoundException', 'Requested resource not found');
    await rejects(west.send(new DeleteTableCommand({ TableName: 'Users' })), 'ResourceInUseException', 'Attempt to change a resource which is still in use: Table: Users is being used.');
    // One replica change at a time; none from the replica being made.
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Users', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }] })), 'ResourceInUseException', 'The resource which you are attempting to change is in use.');
    await rejects(west.send(new UpdateTableCommand({ TableName: 'Users', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }] })), 'ValidationException',
      'Create/Update/Delete of replica is not allowed while the replica is being added to table with name: \u2018Users\u2019 in region: \u2018eu-west-1\u2019.');
    // Writes go on while it is made, and reach it.
    await east.send(new PutItemCommand({ TableName: 'Users', Item: user('during', 'written while CREATING') }));
    await east.send(new DeleteItemCommand({ TableName: 'Users', Key: { userId: { S: 'u0' } } }));
    await server.holdJobs(false);
    await replicaActive(east, 'Users');
    await replicaActive(west, 'Users');
    assert.deepEqual(statuses((await east.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.Replicas), [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]);
    assert.deepEqual(statuses((await west.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.Replicas), [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
    await drained(server);
    assert.deepEqual(await contents(west, 'Users'), await contents(east, 'Users'));
    assert.deepEqual(await contents(west, 'Users', 'byCountry'), await contents(east, 'Users', 'byCountry'));
    assert.equal((await contents(west, 'Users')).length, 40);
    const japanese = await west.send(new QueryCommand({ TableName: 'Users', IndexName: 'byCountry', KeyConditionExpression: 'country = :c', ExpressionAttributeValues: { ':c': { S: 'JP' } } }));
    assert.equal(japanese.Count, 20);
  });

  it('replicates every write both ways; each region\'s stream shows the writes that arrived, none is sent back', async () => {
    await west.send(new PutItemCommand({ TableName: 'Users', Item: user('from-west', 'Ana', 'PT') }));
    await east.send(new PutItemCommand({ TableName: 'Users', Item: user('from-east', 'Bo', 'US') }));
    await drained(server);
    assert.deepEqual(await getUser(east, 'Users', 'from-west'), user('from-west', 'Ana', 'PT'));
    assert.deepEqual(await getUser(west, 'Users', 'from-east'), user('from-east', 'Bo', 'US'));
    const streamOf = async (db: DynamoDBClient, region: string, id: string): Promise<string[]> => {
      const arn = (await db.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.LatestStreamArn as string;
      const records = await readStream(server.streamsClient(region), arn);
      return records.filter((r) => r.dynamodb?.Keys?.['userId']?.S === id).map((r) => `${r.eventName} ${r.dynamodb?.NewImage?.['name']?.S ?? '-'}`);
    };
    // One record in each region: the write where it was made, and where it arrived — not twice.
    assert.deepEqual(await streamOf(west, 'eu-west-1', 'from-west'), ['INSERT Ana']);
    assert.deepEqual(await streamOf(east, 'us-east-1', 'from-west'), ['INSERT Ana']);
    assert.deepEqual(await streamOf(east, 'us-east-1', 'from-east'), ['INSERT Bo']);
    assert.deepEqual(await streamOf(west, 'eu-west-1', 'from-east'), ['INSERT Bo']);
  });

  it('ReplicaUpdates errors: DynamoDB\'s checks and texts, nothing changed', async () => {
    const update = (input: Omit<UpdateTableCommandInput, 'TableName'>, db = east): Promise<unknown> => db.send(new UpdateTableCommand({ TableName: 'Users', ...input }));
    await rejects(update({ ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }], DeletionProtectionEnabled: true }), 'ValidationException',
      'One or more parameter values were invalid: Replica modification must be the only operation in the request');
    await rejects(update({ ReplicaUpdates: [{}] }), 'ValidationException', 'There are no actions specified in the Replica Update Action of the request.');
    await rejects(update({ ReplicaUpdates: [{ Update: { RegionName: 'eu-west-1' } }] }), 'ValidationException', 'There are no actions specified in the Replica Update Action of the request.');
    await rejects(update({ ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }, { Delete: { RegionName: 'eu-west-1' } }] }), 'ValidationException',
      'Update table operation with more than one type of replica actions not allowed.');
    await rejects(update({ ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }, { Create: { RegionName: 'ap-northeast-1' } }] }), 'ValidationException',
      'Update table operation with more than one create or delete replica actions not allowed');
    await rejects(update({ ReplicaUpdates: [{ Create: { RegionName: 'us-east-1' } }] }), 'ValidationException',
      'Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.');
    await rejects(update({ ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }), 'ValidationException',
      'Failed to create a the new replica of table with name: \u2018Users\u2019 because one or more replicas already existed as tables.');
    await rejects(update({ ReplicaUpdates: [{ Delete: { RegionName: 'ca-central-1' } }] }), 'ValidationException',
      'Update global table operation failed because one or more replicas were not part of the global table. Please retry the request without these replicas: [ca-central-1].');
    // An eventually consistent group does not become a strongly consistent one (recorded from AWS: the count is checked first).
    await rejects(update({ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }] }), 'ValidationException',
      'Unsupported replica count for global tables with MultiRegionConsistency set to STRONG.');
    await rejects(update({ MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }, { Create: { RegionName: 'ap-northeast-1' } }] }), 'ValidationException',
      'MultiRegionConsistency parameter is unsupported on existing global table');
    await rejects(update({ StreamSpecification: { StreamEnabled: false } }), 'ValidationException', 'One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.');
    // A table of that name already in the other region is not adopted.
    await asia.send(new CreateTableCommand({ TableName: 'Taken', ...usersTable }));
    await east.send(new CreateTableCommand({ TableName: 'Taken', ...usersTable }));
    await rejects(east.send(new UpdateTableCommand({ TableName: 'Taken', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }] })), 'ValidationException',
      'Failed to create a the new replica of table with name: \u2018Taken\u2019 because one or more replicas already existed as tables.');
    assert.equal((await east.send(new DescribeTableCommand({ TableName: 'Taken' }))).Table?.Replicas, undefined);
    // An Update of a member is accepted.
    const updated = await east.send(new UpdateTableCommand({ TableName: 'Users', ReplicaUpdates: [{ Update: { RegionName: 'eu-west-1', TableClassOverride: 'STANDARD' } }] }));
    assert.deepEqual(statuses(updated.TableDescription?.Replicas), [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]);
  });

  it('the 2017.11.29 API answers as AWS answers it today: no such global table can be made, none exists', async () => {
    const legacy = 'One or more parameter values were invalid: DynamoDB global tables version 2017.11.29 is not supported. We recommend using DynamoDB global tables version 2019.11.21, instead of version 2017.11.29 (Legacy).';
    await rejects(east.send(new CreateGlobalTableCommand({ GlobalTableName: 'Users', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'ap-southeast-1' }] })), 'ValidationException', legacy);
    await rejects(east.send(new UpdateGlobalTableCommand({ GlobalTableName: 'Nowhere', ReplicaUpdates: [{ Create: { RegionName: 'ap-southeast-1' } }] })), 'ValidationException', legacy);
    await rejects(east.send(new UpdateGlobalTableCommand({ GlobalTableName: 'Users', ReplicaUpdates: [] })), 'ValidationException', 'One or more parameter values were invalid');
    // A table replicated with version 2019.11.21 is no legacy global table.
    await rejects(east.send(new DescribeGlobalTableCommand({ GlobalTableName: 'Users' })), 'GlobalTableNotFoundException', "Global table not found: Global table with name: 'Users' does not exist.");
    await rejects(east.send(new UpdateGlobalTableCommand({ GlobalTableName: 'Users', ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] })), 'GlobalTableNotFoundException', "Global table with name: 'Users' does not exist.");
    await rejects(east.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'Users' })), 'GlobalTableNotFoundException', "Global table with name: 'Users' does not exist.");
    await rejects(east.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'Users', GlobalTableBillingMode: 'PAY_PER_REQUEST' })), 'GlobalTableNotFoundException', "Global table with name: 'Users' does not exist.");
    const listed = await east.send(new ListGlobalTablesCommand({ RegionName: 'us-east-1', Limit: 1 }));
    assert.deepEqual(listed.GlobalTables, []);
    assert.equal(listed.LastEvaluatedGlobalTableName, undefined);
    // Nothing changed: the table is still replicated to eu-west-1.
    assert.deepEqual(statuses((await east.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.Replicas), [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]);
  });

  it('replica auto scaling: a regional table is no global table; an on-demand one is described and takes only AutoScalingDisabled', async () => {
    await east.send(new CreateTableCommand({ TableName: 'Scaled', ...usersTable }));
    await rejects(east.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'Scaled' })), 'ResourceNotFoundException', "Global table with name: 'Scaled' does not exist.");
    await rejects(east.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'Scaled', ProvisionedWriteCapacityAutoScalingUpdate: { AutoScalingDisabled: true } })), 'ResourceNotFoundException', "Global table with name: 'Scaled' does not exist.");
    await rejects(east.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'Missing' })), 'ResourceNotFoundException', "Global table with name: 'Missing' does not exist.");
    await addReplica(east, 'Scaled', 'eu-west-1');
    const expected = {
      TableName: 'Scaled', TableStatus: 'ACTIVE',
      Replicas: ['us-east-1', 'eu-west-1'].map((RegionName) => ({ RegionName, ReplicaStatus: 'ACTIVE', GlobalSecondaryIndexes: [{ IndexName: 'byCountry', IndexStatus: 'ACTIVE' }] })),
    };
    assert.deepEqual((await east.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'Scaled' }))).TableAutoScalingDescription, expected);
    const enable = { MinimumUnits: 1, MaximumUnits: 10, ScalingPolicyUpdate: { TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } } };
    // Recorded from AWS: the regions upper-cased and sorted, the name between two left quotes.
    await rejects(east.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'Scaled', ProvisionedWriteCapacityAutoScalingUpdate: enable })), 'ValidationException',
      "Failed to update global table with name \u2018Scaled\u2018. Replicas 'EU-WEST-1', 'US-EAST-1' BillingMode is PayPerRequest. You must convert table's BillingMode to PROVISIONED to set parameters: 'GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate'.");
    await rejects(east.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'Scaled', ReplicaUpdates: [{ RegionName: 'eu-west-1', ReplicaProvisionedReadCapacityAutoScalingUpdate: enable }] })), 'ValidationException',
      "Failed to update global table with name \u2018Scaled\u2018. Replicas 'EU-WEST-1', 'US-EAST-1' BillingMode is PayPerRequest. You must convert table's BillingMode to PROVISIONED to set parameters: 'ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate'.");
    const disabled = await east.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'Scaled', ProvisionedWriteCapacityAutoScalingUpdate: { AutoScalingDisabled: true } }));
    assert.deepEqual(disabled.TableAutoScalingDescription, expected);
  });

  it('replica auto scaling of a provisioned global table: Application Auto Scaling targets and policies on the replicas', async () => {
    await east.send(new CreateTableCommand({
      TableName: 'ScaledP', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
    }));
    await addReplica(east, 'ScaledP', 'eu-west-1');
    const settings = (min: number, max: number, target: number) => ({ MinimumUnits: min, MaximumUnits: max, ScalingPolicyUpdate: { TargetTrackingScalingPolicyConfiguration: { TargetValue: target } } });
    await rejects(east.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'ScaledP', ProvisionedWriteCapacityAutoScalingUpdate: { MinimumUnits: 5 } })), 'ValidationException',
      "Failed to update settings for global table with name: \u2018ScaledP\u2019: Parameters 'MaximumUnits', 'ScalingPolicyUpdate' are required unless auto scaling is being disabled.");
    await east.send(new UpdateTableReplicaAutoScalingCommand({
      TableName: 'ScaledP', ProvisionedWriteCapacityAutoScalingUpdate: settings(10, 50, 60),
      ReplicaUpdates: [{ RegionName: 'eu-west-1', ReplicaProvisionedReadCapacityAutoScalingUpdate: settings(8, 40, 70) }],
    }));
    const described = (await west.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'ScaledP' }))).TableAutoScalingDescription;
    const write = { MinimumUnits: 10, MaximumUnits: 50, AutoScalingDisabled: false, ScalingPolicies: [{ PolicyName: 'DynamoDBWriteCapacityUtilization:table/ScaledP', TargetTrackingScalingPolicyConfiguration: { TargetValue: 60 } }] };
    const shown = described?.Replicas?.map((r) => ({
      RegionName: r.RegionName,
      write: r.ReplicaProvisionedWriteCapacityAutoScalingSettings === undefined ? undefined : { ...r.ReplicaProvisionedWriteCapacityAutoScalingSettings, AutoScalingRoleArn: undefined },
      read: r.ReplicaProvisionedReadCapacityAutoScalingSettings?.MinimumUnits,
    }));
    assert.deepEqual(shown, [
      { RegionName: 'eu-west-1', write: { ...write, AutoScalingRoleArn: undefined }, read: 8 },
      { RegionName: 'us-east-1', write: { ...write, AutoScalingRoleArn: undefined }, read: undefined },
    ]);
    // Registering moved each replica's capacity into its range.
    assert.equal((await east.send(new DescribeTableCommand({ TableName: 'ScaledP' }))).Table?.ProvisionedThroughput?.WriteCapacityUnits, 10);
    assert.equal((await west.send(new DescribeTableCommand({ TableName: 'ScaledP' }))).Table?.ProvisionedThroughput?.ReadCapacityUnits, 8);
    await east.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'ScaledP', ProvisionedWriteCapacityAutoScalingUpdate: { AutoScalingDisabled: true } }));
    const after = (await east.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'ScaledP' }))).TableAutoScalingDescription;
    assert.deepEqual(after?.Replicas?.map((r) => [r.RegionName, r.ReplicaProvisionedWriteCapacityAutoScalingSettings, r.ReplicaProvisionedReadCapacityAutoScalingSettings?.MaximumUnits]), [['us-east-1', undefined, undefined], ['eu-west-1', undefined, 40]]);
  });

  it('a replica\'s overrides: its read capacity (table and GSI) and class of its own, listed by the other regions, kept when the group\'s capacity changes', async () => {
    const read = (db: DynamoDBClient) => db.send(new DescribeTableCommand({ TableName: 'Tuned' })).then(({ Table: t }) => ({
      table: [t?.ProvisionedThroughput?.ReadCapacityUnits, t?.ProvisionedThroughput?.WriteCapacityUnits], index: [t?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.ReadCapacityUnits, t?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.WriteCapacityUnits],
      tableClass: t?.TableClassSummary?.TableClass, status: t?.TableStatus,
      replicas: t?.Replicas?.map(({ WarmThroughput: _w, GlobalTableSettingsReplicationMode: _m, ...r }) => r),
    }));
    await east.send(new CreateTableCommand({
      TableName: 'Tuned', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }, { AttributeName: 'name', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byName', KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }],
    }));
    await east.send(new UpdateTableCommand({ TableName: 'Tuned', ReplicaUpdates: [{ Create: {
      RegionName: 'eu-west-1', ProvisionedThroughputOverride: { ReadCapacityUnits: 20 }, TableClassOverride: 'STANDARD_INFREQUENT_ACCESS',
      GlobalSecondaryIndexes: [{ IndexName: 'byName', ProvisionedThroughputOverride: { ReadCapacityUnits: 15 } }],
    } }] }));
    await replicaActive(east, 'Tuned');
    const westOverrides = {
      RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE', ProvisionedThroughputOverride: { ReadCapacityUnits: 20 },
      GlobalSecondaryIndexes: [{ IndexName: 'byName', ProvisionedThroughputOverride: { ReadCapacityUnits: 15 } }], ReplicaTableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
    };
    assert.deepEqual(await read(west), { table: [20, 5], index: [15, 5], tableClass: 'STANDARD_INFREQUENT_ACCESS', status: 'ACTIVE', replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }] });
    assert.deepEqual((await read(east)).replicas, [westOverrides]);
    // An Update replaces what it names, and keeps the rest.
    await east.send(new UpdateTableCommand({ TableName: 'Tuned', ReplicaUpdates: [{ Update: { RegionName: 'eu-west-1', ProvisionedThroughputOverride: { ReadCapacityUnits: 30 } } }] }));
    assert.deepEqual(await read(west), { table: [30, 5], index: [15, 5], tableClass: 'STANDARD_INFREQUENT_ACCESS', status: 'ACTIVE', replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }] });
    assert.deepEqual((await read(east)).replicas, [{ ...westOverrides, ProvisionedThroughputOverride: { ReadCapacityUnits: 30 } }]);
    // The group's capacity changed in us-east-1 reaches eu-west-1, whose reads stay its own.
    await until(async () => (await read(east)).status === 'ACTIVE', 'Tuned ACTIVE');
    await east.send(new UpdateTableCommand({ TableName: 'Tuned', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 9 } }));
    assert.deepEqual((await read(east)).table, [7, 9]);
    assert.deepEqual((await read(west)).table, [30, 9]);
  });

  it('settings changes reach every replica — a new GSI and TTL from either region — while deletion protection stays regional', async () => {
    await west.send(new UpdateTableCommand({
      TableName: 'Users', AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byName', KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    }));
    for (const db of [east, west]) {
      await until(async () => (await db.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'byName')?.IndexStatus === 'ACTIVE', 'byName ACTIVE');
    }
    const byName = await east.send(new QueryCommand({ TableName: 'Users', IndexName: 'byName', KeyConditionExpression: '#n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'Ana' } } }));
    assert.deepEqual(byName.Items, [{ userId: { S: 'from-west' }, name: { S: 'Ana' } }]);
    await east.send(new UpdateTimeToLiveCommand({ TableName: 'Users', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
    assert.deepEqual((await west.send(new DescribeTimeToLiveCommand({ TableName: 'Users' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    await east.send(new UpdateTableCommand({ TableName: 'Users', DeletionProtectionEnabled: true }));
    assert.equal((await west.send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.DeletionProtectionEnabled, false);
    await east.send(new UpdateTableCommand({ TableName: 'Users', DeletionProtectionEnabled: false }));
  });

  it('conflicting writes to one item end on the same last writer in every region; a delete is not undone by an older write', async () => {
    await east.send(new CreateTableCommand({ TableName: 'Conflicts', ...usersTable }));
    await addReplica(east, 'Conflicts', 'eu-west-1');
    // Both regions cut off from each other: each write stays where it was made.
    await outage(server, 'eu-west-1', true);
    await east.send(new PutItemCommand({ TableName: 'Conflicts', Item: user('same', 'east first') }));
    await server.advanceClock(5);
    await west.send(new PutItemCommand({ TableName: 'Conflicts', Item: user('same', 'west later') }));
    await west.send(new PutItemCommand({ TableName: 'Conflicts', Item: user('gone', 'west writes it first') }));
    await server.advanceClock(5);
    await east.send(new PutItemCommand({ TableName: 'Conflicts', Item: user('gone', 'east writes it later') }));
    await server.advanceClock(5);
    await east.send(new DeleteItemCommand({ TableName: 'Conflicts', Key: { userId: { S: 'gone' } } }));
    assert.equal((await getUser(east, 'Conflicts', 'same'))?.['name']?.S, 'east first');
    assert.equal((await getUser(west, 'Conflicts', 'same'))?.['name']?.S, 'west later');
    assert.equal((await links(server)).filter((l) => l.table === 'Conflicts').every((l) => l.cut), true);
    await outage(server, 'eu-west-1', false);
    await drained(server);
    // The later write wins in both; the delete (later than west's write of "gone") keeps it gone in both.
    assert.equal((await getUser(east, 'Conflicts', 'same'))?.['name']?.S, 'west later');
    assert.equal((await getUser(west, 'Conflicts', 'same'))?.['name']?.S, 'west later');
    assert.equal(await getUser(east, 'Conflicts', 'gone'), undefined);
    assert.equal(await getUser(west, 'Conflicts', 'gone'), undefined);
    assert.deepEqual(await contents(west, 'Conflicts'), await contents(east, 'Conflicts'));
  });

  it('an outage that refuses requests answers HTTP 503 in that region only; the others serve, and all converge when it heals', async () => {
    await east.send(new CreateTableCommand({ TableName: 'Outage', ...usersTable }));
    await addReplica(east, 'Outage', 'eu-west-1');
    await addReplica(east, 'Outage', 'ap-southeast-1');
    assert.deepEqual(statuses((await east.send(new DescribeTableCommand({ TableName: 'Outage' }))).Table?.Replicas),
      [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }, { RegionName: 'ap-southeast-1', ReplicaStatus: 'ACTIVE' }]);
    assert.deepEqual(await outage(server, 'eu-west-1', true, true), ['eu-west-1']);
    await rejects(west.send(new GetItemCommand({ TableName: 'Outage', Key: { userId: { S: 'x' } } })), 'ServiceUnavailable', 'The service is currently unavailable or busy.');
    await east.send(new PutItemCommand({ TableName: 'Outage', Item: user('during-outage', 'from east') }));
    await asia.send(new PutItemCommand({ TableName: 'Outage', Item: user('during-outage-2', 'from asia') }));
    await until(async () => (await getUser(asia, 'Outage', 'during-outage')) !== undefined, 'east → asia while eu-west-1 is out');
    const cut = (await links(server)).filter((l) => l.table === 'Outage' && l.cut);
    assert.deepEqual(cut.map((l) => `${l.from}>${l.to}`).sort(), ['ap-southeast-1>eu-west-1', 'eu-west-1>ap-southeast-1', 'eu-west-1>us-east-1', 'us-east-1>eu-west-1']);
    assert.equal(cut.filter((l) => l.to === 'eu-west-1').reduce((n, l) => n + l.pending, 0), 2);
    assert.deepEqual(await outage(server, 'eu-west-1', false), []);
    await drained(server);
    const expected = await contents(east, 'Outage');
    assert.equal(expected.length, 2);
    assert.deepEqual(await contents(west, 'Outage'), expected);
    assert.deepEqual(await contents(asia, 'Outage'), expected);
  });

  it('a replica removed by ReplicaUpdates Delete, or by DeleteTable in its region, leaves the group', async () => {
    await east.send(new UpdateTableCommand({ TableName: 'Outage', ReplicaUpdates: [{ Delete: { RegionName: 'ap-southeast-1' } }] }));
    assert.deepEqual(statuses((await east.send(new DescribeTableCommand({ TableName: 'Outage' }))).Table?.Replicas), [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]);
    assert.deepEqual(statuses((await west.send(new DescribeTableCommand({ TableName: 'Outage' }))).Table?.Replicas), [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
    await until(async () => asia.send(new DescribeTableCommand({ TableName: 'Outage' })).then(() => false, (e: Error) => e.name === 'ResourceNotFoundException'), 'the ap-southeast-1 replica gone');
    await west.send(new DeleteTableCommand({ TableName: 'Outage' }));
    const regional = (await east.send(new DescribeTableCommand({ TableName: 'Outage' }))).Table;
    assert.equal(regional?.Replicas, undefined);
    assert.equal(regional?.GlobalTableVersion, undefined);
    assert.equal(regional?.GlobalTableSettingsReplicationMode, undefined);
    // Its stream stays, as on AWS.
    assert.deepEqual(regional?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    await east.send(new PutItemCommand({ TableName: 'Outage', Item: user('after', 'regional again') }));
    assert.deepEqual((await links(server)).filter((l) => l.table === 'Outage'), []);
  });
});

describe('global tables across a kill -9', localOnly, () => {
  it('resumes every link from its checkpoint after a restart: nothing lost, nothing applied twice', async () => {
    const dataDir = newDataDir();
    const args = ['--test-clock', '--replication-delay-ms', '60000'];
    let server = await startServerProcess({ dataDir, args });
    try {
      const east = server.client('us-east-1');
      await east.send(new CreateTableCommand({ TableName: 'Ledger', ...usersTable }));
      await addReplica(east, 'Ledger', 'eu-west-1');
      for (let n = 0; n < 30; n++) await east.send(new PutItemCommand({ TableName: 'Ledger', Item: user(`e${n}`, `entry ${n}`) }));
      // Half of them due: the link applies those, and is killed with the rest still held back.
      await server.advanceClock(60_000);
      for (let n = 30; n < 60; n++) await east.send(new PutItemCommand({ TableName: 'Ledger', Item: user(`e${n}`, `entry ${n}`) }));
      await until(async () => (await links(server)).some((l) => l.to === 'eu-west-1' && l.applied === 30), 'the first 30 applied');
      await server.kill();
      server = await startServerProcess({ dataDir, args });
      const west = server.client('eu-west-1');
      assert.equal((await contents(west, 'Ledger')).length, 30);
      await server.advanceClock(180_000);
      await drained(server);
      assert.deepEqual(await contents(west, 'Ledger'), await contents(server.client('us-east-1'), 'Ledger'));
      // The restarted link applied only the 30 it had not: its checkpoint was written with the first 30.
      assert.equal((await links(server)).find((l) => l.to === 'eu-west-1')?.applied, 30);
      const arn = (await west.send(new DescribeTableCommand({ TableName: 'Ledger' }))).Table?.LatestStreamArn as string;
      const inserts = (await readStream(server.streamsClient('eu-west-1'), arn)).filter((r) => r.eventName === 'INSERT');
      assert.equal(inserts.length, 60);
      assert.equal(new Set(inserts.map((r) => r.dynamodb?.Keys?.['userId']?.S)).size, 60);
    } finally {
      await server.dispose();
    }
  });
});
