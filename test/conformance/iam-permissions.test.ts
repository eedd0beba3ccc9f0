// Each operation needs exactly the IAM actions AWS documents for it (--auth iam): with a policy that
// allows those actions it succeeds; with one that allows every action but them (NotAction) it is
// refused with AccessDeniedException naming one of them. The table below is that documentation: every
// DynamoDB and DynamoDB Streams operation (items, batches, transactions, PartiQL, tables, streams,
// backups and restores, tags, TTL, PITR, exports and imports, Contributor Insights, global tables,
// resource policies); then one action each of the other services on the endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchExecuteStatementCommand, BatchGetItemCommand, BatchWriteItemCommand, DescribeBackupCommand, DescribeContributorInsightsCommand, DescribeEndpointsCommand,
  DescribeTableReplicaAutoScalingCommand, ExecuteTransactionCommand, ListContributorInsightsCommand, ListExportsCommand, ListGlobalTablesCommand, ListImportsCommand,
  UpdateContributorInsightsCommand, CreateBackupCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeLimitsCommand,
  DescribeTableCommand, DescribeTimeToLiveCommand, ExecuteStatementCommand, GetItemCommand, ListBackupsCommand, ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand,
  GetResourcePolicyCommand, PutResourcePolicyCommand, QueryCommand, ScanCommand, TagResourceCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UntagResourceCommand, UpdateContinuousBackupsCommand, UpdateItemCommand,
  UpdateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient, UpdateTableReplicaAutoScalingCommand, CreateGlobalTableCommand, DescribeGlobalTableCommand,
  UpdateGlobalTableCommand, DescribeGlobalTableSettingsCommand, UpdateGlobalTableSettingsCommand, DeleteBackupCommand, RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand, ExportTableToPointInTimeCommand, DescribeExportCommand, ImportTableCommand, DescribeImportCommand, DeleteResourcePolicyCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { CreateGroupCommand, CreateRoleCommand, GetUserCommand, type IAMClient, ListPoliciesCommand, ListGroupsCommand, ListRolesCommand, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand } from '@aws-sdk/client-application-auto-scaling';
import { localOnly, type ServerProcess } from '../helpers/server-process.js';
import { destroyClients, dynamo, iam, newUser, root, startAuthServer, sts, type TestUser } from '../helpers/auth.js';

interface Case {
  readonly operation: string;
  readonly actions: readonly string[];
  readonly run: (db: DynamoDBClient, streams: DynamoDBStreamsClient, n: number) => Promise<unknown>;
  /**
   * What the call answers once authorized, when it refuses for its own reasons: a table that is no
   * global table, the 2017.11.29 global tables that are no longer made.
   */
  readonly refusal?: string;
}

const key = { id: { S: 'k1' } };
let arn = '';
let backupArn = '';
let iterator = '';
/** A shard iterator of the table's stream (the root describes the stream; the caller asks for the iterator). */
async function shardIterator(streams: DynamoDBStreamsClient): Promise<unknown> {
  return streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
}
let shardId = '';
/** A table policy that grants nothing the cases use. */
const harmless = (): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'dynamodb:DescribeTable', Resource: arn }] });
let streamArn = '';
/** A backup DeleteBackup deletes, an export and an import the root made for the Describe calls. */
let spareBackupArn = '';
let exportArn = '';
let importArn = '';
/** What a restore needs on its target table besides the restore's own action (AWS's backup and restore IAM guide). */
const restoreTargetActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem'];

const cases: readonly Case[] = [
  { operation: 'CreateTable', actions: ['dynamodb:CreateTable'], run: (db, _s, n) => db.send(new CreateTableCommand({ TableName: `Made${n}`, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] })) },
  { operation: 'DeleteTable', actions: ['dynamodb:DeleteTable'], run: (db, _s, n) => db.send(new DeleteTableCommand({ TableName: `Made${n - 2}` })) },
  { operation: 'DescribeTable', actions: ['dynamodb:DescribeTable'], run: (db) => db.send(new DescribeTableCommand({ TableName: 'Perms' })) },
  { operation: 'ListTables', actions: ['dynamodb:ListTables'], run: (db) => db.send(new ListTablesCommand({})) },
  { operation: 'UpdateTable', actions: ['dynamodb:UpdateTable'], run: (db) => db.send(new UpdateTableCommand({ TableName: 'Perms', DeletionProtectionEnabled: false })) },
  { operation: 'DescribeLimits', actions: ['dynamodb:DescribeLimits'], run: (db) => db.send(new DescribeLimitsCommand({})) },
  { operation: 'PutItem', actions: ['dynamodb:PutItem'], run: (db) => db.send(new PutItemCommand({ TableName: 'Perms', Item: { ...key, n: { N: '1' } } })) },
  { operation: 'GetItem', actions: ['dynamodb:GetItem'], run: (db) => db.send(new GetItemCommand({ TableName: 'Perms', Key: key })) },
  { operation: 'UpdateItem', actions: ['dynamodb:UpdateItem'], run: (db) => db.send(new UpdateItemCommand({ TableName: 'Perms', Key: key, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } })) },
  { operation: 'DeleteItem', actions: ['dynamodb:DeleteItem'], run: (db) => db.send(new DeleteItemCommand({ TableName: 'Perms', Key: { id: { S: 'gone' } } })) },
  { operation: 'Query', actions: ['dynamodb:Query'], run: (db) => db.send(new QueryCommand({ TableName: 'Perms', KeyConditionExpression: 'id = :k', ExpressionAttributeValues: { ':k': { S: 'k1' } } })) },
  { operation: 'Scan', actions: ['dynamodb:Scan'], run: (db) => db.send(new ScanCommand({ TableName: 'Perms' })) },
  { operation: 'BatchGetItem', actions: ['dynamodb:BatchGetItem'], run: (db) => db.send(new BatchGetItemCommand({ RequestItems: { Perms: { Keys: [key] } } })) },
  { operation: 'BatchWriteItem', actions: ['dynamodb:BatchWriteItem'], run: (db) => db.send(new BatchWriteItemCommand({ RequestItems: { Perms: [{ PutRequest: { Item: { id: { S: 'b1' } } } }] } })) },
  {
    operation: 'TransactWriteItems', actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
    run: (db) => db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Perms', Item: { id: { S: 't1' } } } }, { ConditionCheck: { TableName: 'Perms', Key: key, ConditionExpression: 'attribute_exists(id)' } }] })),
  },
  { operation: 'TransactGetItems', actions: ['dynamodb:GetItem'], run: (db) => db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Perms', Key: key } }] })) },
  { operation: 'ExecuteStatement SELECT', actions: ['dynamodb:PartiQLSelect'], run: (db) => db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "Perms" WHERE id = 'k1'` })) },
  { operation: 'ExecuteStatement UPDATE', actions: ['dynamodb:PartiQLUpdate'], run: (db) => db.send(new ExecuteStatementCommand({ Statement: `UPDATE "Perms" SET m = 1 WHERE id = 'k1'` })) },
  { operation: 'DescribeTimeToLive', actions: ['dynamodb:DescribeTimeToLive'], run: (db) => db.send(new DescribeTimeToLiveCommand({ TableName: 'Perms' })) },
  { operation: 'UpdateTimeToLive', actions: ['dynamodb:UpdateTimeToLive'], run: (db) => db.send(new UpdateTimeToLiveCommand({ TableName: 'Perms', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } })) },
  { operation: 'TagResource', actions: ['dynamodb:TagResource'], run: (db) => db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'a' }] })) },
  { operation: 'UntagResource', actions: ['dynamodb:UntagResource'], run: (db) => db.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] })) },
  { operation: 'ListTagsOfResource', actions: ['dynamodb:ListTagsOfResource'], run: (db) => db.send(new ListTagsOfResourceCommand({ ResourceArn: arn })) },
  { operation: 'DescribeContinuousBackups', actions: ['dynamodb:DescribeContinuousBackups'], run: (db) => db.send(new DescribeContinuousBackupsCommand({ TableName: 'Perms' })) },
  { operation: 'UpdateContinuousBackups', actions: ['dynamodb:UpdateContinuousBackups'], run: (db) => db.send(new UpdateContinuousBackupsCommand({ TableName: 'Perms', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })) },
  { operation: 'CreateBackup', actions: ['dynamodb:CreateBackup'], run: (db, _s, n) => db.send(new CreateBackupCommand({ TableName: 'Perms', BackupName: `b${n}` })) },
  { operation: 'ListBackups', actions: ['dynamodb:ListBackups'], run: (db) => db.send(new ListBackupsCommand({})) },
  { operation: 'PutResourcePolicy', actions: ['dynamodb:PutResourcePolicy'], run: (db) => db.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: harmless() })) },
  { operation: 'GetResourcePolicy', actions: ['dynamodb:GetResourcePolicy'], run: (db) => db.send(new GetResourcePolicyCommand({ ResourceArn: arn })) },
  { operation: 'DescribeBackup', actions: ['dynamodb:DescribeBackup'], run: (db) => db.send(new DescribeBackupCommand({ BackupArn: backupArn })) },
  { operation: 'DescribeEndpoints', actions: ['dynamodb:DescribeEndpoints'], run: (db) => db.send(new DescribeEndpointsCommand({})) },
  { operation: 'ListGlobalTables', actions: ['dynamodb:ListGlobalTables'], run: (db) => db.send(new ListGlobalTablesCommand({})) },
  { operation: 'DescribeTableReplicaAutoScaling', actions: ['dynamodb:DescribeTableReplicaAutoScaling'], run: (db) => db.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'Perms' })), refusal: 'ResourceNotFoundException' },
  {
    operation: 'UpdateTableReplicaAutoScaling', actions: ['dynamodb:UpdateTableReplicaAutoScaling'], refusal: 'ResourceNotFoundException',
    run: (db) => db.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'Perms', ReplicaUpdates: [{ RegionName: 'us-east-1', ReplicaGlobalSecondaryIndexUpdates: [] }] })),
  },
  { operation: 'CreateGlobalTable', actions: ['dynamodb:CreateGlobalTable'], run: (db) => db.send(new CreateGlobalTableCommand({ GlobalTableName: 'Perms', ReplicationGroup: [{ RegionName: 'us-east-1' }] })), refusal: 'ValidationException' },
  { operation: 'DescribeGlobalTable', actions: ['dynamodb:DescribeGlobalTable'], run: (db) => db.send(new DescribeGlobalTableCommand({ GlobalTableName: 'Perms' })), refusal: 'GlobalTableNotFoundException' },
  {
    operation: 'UpdateGlobalTable', actions: ['dynamodb:UpdateGlobalTable'], refusal: 'GlobalTableNotFoundException',
    run: (db) => db.send(new UpdateGlobalTableCommand({ GlobalTableName: 'Perms', ReplicaUpdates: [{ Delete: { RegionName: 'us-west-2' } }] })),
  },
  { operation: 'DescribeGlobalTableSettings', actions: ['dynamodb:DescribeGlobalTableSettings'], run: (db) => db.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'Perms' })), refusal: 'GlobalTableNotFoundException' },
  {
    operation: 'UpdateGlobalTableSettings', actions: ['dynamodb:UpdateGlobalTableSettings'], refusal: 'GlobalTableNotFoundException',
    run: (db) => db.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'Perms', GlobalTableBillingMode: 'PAY_PER_REQUEST' })),
  },
  { operation: 'DeleteBackup', actions: ['dynamodb:DeleteBackup'], run: (db) => db.send(new DeleteBackupCommand({ BackupArn: spareBackupArn })) },
  {
    operation: 'RestoreTableFromBackup', actions: ['dynamodb:RestoreTableFromBackup', ...restoreTargetActions],
    run: (db, _s, n) => db.send(new RestoreTableFromBackupCommand({ BackupArn: backupArn, TargetTableName: `FromBackup${n}` })),
  },
  {
    operation: 'RestoreTableToPointInTime', actions: ['dynamodb:RestoreTableToPointInTime', ...restoreTargetActions],
    run: (db, _s, n) => db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Perms', TargetTableName: `FromPitr${n}`, UseLatestRestorableTime: true })),
  },
  { operation: 'ExportTableToPointInTime', actions: ['dynamodb:ExportTableToPointInTime'], run: (db) => db.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'perms-exports' })) },
  { operation: 'DescribeExport', actions: ['dynamodb:DescribeExport'], run: (db) => db.send(new DescribeExportCommand({ ExportArn: exportArn })) },
  {
    operation: 'ImportTable', actions: ['dynamodb:ImportTable'],
    run: (db, _s, n) => db.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'perms-imports' }, InputFormat: 'DYNAMODB_JSON',
      TableCreationParameters: { TableName: `Imported${n}`, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
    })),
  },
  { operation: 'DescribeImport', actions: ['dynamodb:DescribeImport'], run: (db) => db.send(new DescribeImportCommand({ ImportArn: importArn })) },
  { operation: 'ListExports', actions: ['dynamodb:ListExports'], run: (db) => db.send(new ListExportsCommand({ TableArn: arn })) },
  { operation: 'ListImports', actions: ['dynamodb:ListImports'], run: (db) => db.send(new ListImportsCommand({ TableArn: arn })) },
  { operation: 'UpdateContributorInsights', actions: ['dynamodb:UpdateContributorInsights'], run: (db) => db.send(new UpdateContributorInsightsCommand({ TableName: 'Perms', ContributorInsightsAction: 'ENABLE' })) },
  { operation: 'DescribeContributorInsights', actions: ['dynamodb:DescribeContributorInsights'], run: (db) => db.send(new DescribeContributorInsightsCommand({ TableName: 'Perms' })) },
  { operation: 'ListContributorInsights', actions: ['dynamodb:ListContributorInsights'], run: (db) => db.send(new ListContributorInsightsCommand({ TableName: 'Perms' })) },
  { operation: 'ExecuteStatement INSERT', actions: ['dynamodb:PartiQLInsert'], run: (db, _s, n) => db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Perms" VALUE {'id': 'p${n}'}` })) },
  { operation: 'ExecuteStatement DELETE', actions: ['dynamodb:PartiQLDelete'], run: (db) => db.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "Perms" WHERE id = 'nothing'` })) },
  {
    operation: 'BatchExecuteStatement', actions: ['dynamodb:PartiQLSelect', 'dynamodb:PartiQLUpdate'],
    run: (db) => db.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT * FROM "Perms" WHERE id = 'k1'` }, { Statement: `UPDATE "Perms" SET b = 1 WHERE id = 'k1'` }] })),
  },
  {
    operation: 'ExecuteTransaction', actions: ['dynamodb:PartiQLUpdate', 'dynamodb:PartiQLInsert'],
    run: (db, _s, n) => db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `UPDATE "Perms" SET c = 1 WHERE id = 'k1'` }, { Statement: `INSERT INTO "Perms" VALUE {'id': 'x${n}'}` }] })),
  },
  {
    operation: 'TransactWriteItems (update, delete)', actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    run: (db) => db.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: { TableName: 'Perms', Key: key, UpdateExpression: 'SET d = :d', ExpressionAttributeValues: { ':d': { N: '1' } } } }, { Delete: { TableName: 'Perms', Key: { id: { S: 'gone' } } } }] })),
  },
  { operation: 'GetShardIterator', actions: ['dynamodb:GetShardIterator'], run: (_db, streams) => shardIterator(streams) },
  { operation: 'GetRecords', actions: ['dynamodb:GetRecords'], run: (_db, streams) => streams.send(new GetRecordsCommand({ ShardIterator: iterator })) },
  { operation: 'ListStreams', actions: ['dynamodb:ListStreams'], run: (_db, streams) => streams.send(new ListStreamsCommand({})) },
  { operation: 'DescribeStream', actions: ['dynamodb:DescribeStream'], run: (_db, streams) => streams.send(new DescribeStreamCommand({ StreamArn: streamArn })) },
  // Last: the cases above read the table's policy.
  { operation: 'DeleteResourcePolicy', actions: ['dynamodb:DeleteResourcePolicy'], run: (db) => db.send(new DeleteResourcePolicyCommand({ ResourceArn: arn })) },
];

interface Clients {
  readonly cloudWatch: CloudWatchClient;
  readonly scaling: ApplicationAutoScalingClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
}

/** CloudWatch's, Application Auto Scaling's, IAM's and STS's operations: one action each. */
const otherCases: readonly { readonly operation: string; readonly action: string; readonly run: (c: Clients, n: number) => Promise<unknown> }[] = [
  { operation: 'ListMetrics', action: 'cloudwatch:ListMetrics', run: (c) => c.cloudWatch.send(new ListMetricsCommand({ Namespace: 'AWS/DynamoDB' })) },
  {
    operation: 'GetMetricStatistics', action: 'cloudwatch:GetMetricStatistics',
    run: (c) => c.cloudWatch.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/DynamoDB', MetricName: 'ConsumedReadCapacityUnits', Dimensions: [{ Name: 'TableName', Value: 'Perms' }], StartTime: new Date(0), EndTime: new Date(3_600_000), Period: 60, Statistics: ['Sum'],
    })),
  },
  { operation: 'DescribeScalableTargets', action: 'application-autoscaling:DescribeScalableTargets', run: (c) => c.scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' })) },
  { operation: 'DescribeScalingPolicies', action: 'application-autoscaling:DescribeScalingPolicies', run: (c) => c.scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb' })) },
  { operation: 'ListUsers', action: 'iam:ListUsers', run: (c) => c.iam.send(new ListUsersCommand({})) },
  { operation: 'GetUser', action: 'iam:GetUser', run: (c) => c.iam.send(new GetUserCommand({})) },
  { operation: 'CreateGroup', action: 'iam:CreateGroup', run: (c, n) => c.iam.send(new CreateGroupCommand({ GroupName: `group${n}` })) },
  { operation: 'ListRoles', action: 'iam:ListRoles', run: (c) => c.iam.send(new ListRolesCommand({})) },
  { operation: 'ListPolicies', action: 'iam:ListPolicies', run: (c) => c.iam.send(new ListPoliciesCommand({})) },
  { operation: 'AssumeRole', action: 'sts:AssumeRole', run: (c) => c.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/assumable', RoleSessionName: 's' })) },
];

/** Replaces the user's one inline policy with a statement that allows on every resource. */
async function userPolicy(server: ServerProcess, user: TestUser, statement: Record<string, unknown>): Promise<void> {
  await iam(server).send(new PutUserPolicyCommand({ UserName: user.userName, PolicyName: 'test', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*', ...statement }] }) }));
}

describe('operations need exactly the IAM actions AWS documents (--auth iam)', localOnly, () => {
  let server: ServerProcess;
  let user: TestUser;
  before(async () => {
    // The test clock: an export's time must be past the moment PITR was turned on.
    server = await startAuthServer('iam', ['--test-clock']);
    const admin = dynamo(server);
    const made = await admin.send(new CreateTableCommand({
      TableName: 'Perms', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    }));
    arn = made.TableDescription?.TableArn as string;
    streamArn = made.TableDescription?.LatestStreamArn as string;
    await admin.send(new PutItemCommand({ TableName: 'Perms', Item: key }));
    await admin.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: harmless() }));
    backupArn = (await admin.send(new CreateBackupCommand({ TableName: 'Perms', BackupName: 'fixture' }))).BackupDetails?.BackupArn as string;
    spareBackupArn = (await admin.send(new CreateBackupCommand({ TableName: 'Perms', BackupName: 'spare' }))).BackupDetails?.BackupArn as string;
    await admin.send(new UpdateContinuousBackupsCommand({ TableName: 'Perms', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await server.advanceClock(1000);
    exportArn = (await admin.send(new ExportTableToPointInTimeCommand({ TableArn: arn, S3Bucket: 'perms-exports' }))).ExportDescription?.ExportArn as string;
    importArn = (await admin.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'perms-imports' }, InputFormat: 'DYNAMODB_JSON',
      TableCreationParameters: { TableName: 'ImportedByRoot', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
    }))).ImportTableDescription?.ImportArn as string;
    const rootStreams = new DynamoDBStreamsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root, maxAttempts: 1 });
    try {
      shardId = (await rootStreams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards?.[0]?.ShardId as string;
      iterator = (await rootStreams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator as string;
    } finally {
      rootStreams.destroy();
    }
    user = await newUser(server, 'tester');
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] };
    await iam(server).send(new CreateRoleCommand({ RoleName: 'assumable', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  });
  after(async () => {
    destroyClients();
    await server.dispose();
  });

  it(`allows each of ${otherCases.length} operations of the other services on the endpoint with its action and refuses it without`, async () => {
    const clients: Clients = {
      cloudWatch: new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: user, maxAttempts: 1 }),
      scaling: new ApplicationAutoScalingClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: user, maxAttempts: 1 }),
      iam: iam(server, user),
      sts: sts(server, user),
    };
    try {
      let n = 0;
      for (const c of otherCases) {
        n++;
        await userPolicy(server, user, { Action: [c.action] });
        await c.run(clients, n).catch((error: Error) => assert.fail(`${c.operation} with ${c.action}: ${error.name}: ${error.message}`));
        await userPolicy(server, user, { NotAction: [c.action] });
        n++;
        await assert.rejects(c.run(clients, n), (error: Error) => {
          assert.ok(['AccessDeniedException', 'AccessDenied'].includes(error.name), `${c.operation}: ${error.name}: ${error.message}`);
          assert.ok(error.message.includes(`is not authorized to perform: ${c.action} on resource:`), `${c.operation}: ${error.message}`);
          return true;
        });
      }
      // The listings name the path they cover, as AWS's refusals do (ListPolicies not as an ARN).
      await userPolicy(server, user, { NotAction: ['iam:List*'] });
      const refusal = async (run: Promise<unknown>): Promise<string> => run.then(() => 'allowed', (error: Error) => error.message);
      const who = `User: arn:aws:iam::000000000000:user/${user.userName} is not authorized to perform:`;
      assert.equal(await refusal(clients.iam.send(new ListUsersCommand({}))), `${who} iam:ListUsers on resource: arn:aws:iam::000000000000:user/ because no identity-based policy allows the iam:ListUsers action`);
      assert.equal(await refusal(clients.iam.send(new ListRolesCommand({ PathPrefix: '/service/' }))), `${who} iam:ListRoles on resource: arn:aws:iam::000000000000:role/service/ because no identity-based policy allows the iam:ListRoles action`);
      assert.equal(await refusal(clients.iam.send(new ListGroupsCommand({}))), `${who} iam:ListGroups on resource: arn:aws:iam::000000000000:group/ because no identity-based policy allows the iam:ListGroups action`);
      assert.equal(await refusal(clients.iam.send(new ListPoliciesCommand({}))), `${who} iam:ListPolicies on resource: policy path / because no identity-based policy allows the iam:ListPolicies action`);
      // Who am I needs no permission at all.
      await userPolicy(server, user, { NotAction: ['*'] });
      assert.equal((await clients.sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::000000000000:user/${user.userName}`);
    } finally {
      clients.cloudWatch.destroy();
      clients.scaling.destroy();
    }
  });

  it(`allows each of ${cases.length} operations with its actions and refuses it without them`, async () => {
    const db = dynamo(server, user);
    const streams = new DynamoDBStreamsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: user, maxAttempts: 1 });
    try {
      let n = 0;
      for (const c of cases) {
        n++;
        await userPolicy(server, user, { Action: c.actions });
        // Past authorization; an operation may still refuse for its own reasons (a table that is no global table).
        await c.run(db, streams, n).then(
          () => assert.equal(c.refusal, undefined, `${c.operation} answered, though it refuses with ${c.refusal ?? ''}`),
          (error: Error) => assert.equal(error.name, c.refusal, `${c.operation} with ${c.actions.join(', ')}: ${error.name}: ${error.message}`),
        );
        await userPolicy(server, user, { NotAction: c.actions });
        n++;
        await assert.rejects(c.run(db, streams, n), (error: Error) => {
          assert.equal(error.name, 'AccessDeniedException', `${c.operation}: ${error.message}`);
          assert.ok(c.actions.some((action) => error.message.includes(`is not authorized to perform: ${action} on resource:`)), `${c.operation}: ${error.message}`);
          return true;
        });
      }
    } finally {
      streams.destroy();
    }
  });
});
