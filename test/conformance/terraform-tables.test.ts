// Terraform's AWS provider (5.100) against a real server process, with every DynamoDB resource it
// offers that StratusDB serves: aws_dynamodb_table with keys, a GSI and an LSI, on-demand and
// provisioned billing with on_demand_throughput, a stream, point_in_time_recovery with
// recovery_period_in_days, ttl, server_side_encryption, deletion_protection_enabled, table_class,
// tags and a replica block, and one restored from another's point in time (restore_source_name,
// restore_to_latest_time); aws_dynamodb_table_item, aws_dynamodb_tag, aws_dynamodb_resource_policy,
// aws_dynamodb_contributor_insights and aws_dynamodb_table_replica (a second provider in us-west-2).
// Applied, checked through the SDK, read back without drift (plan: no changes), updated in place,
// read back again, and destroyed. The provider also calls STS GetCallerIdentity and KMS DescribeKey
// here. aws_dynamodb_global_table (version 2017.11.29) is refused with DynamoDB's own text.
// Skipped, with the reason, without Terraform or the provider in a filesystem mirror.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeContinuousBackupsCommand, DescribeContributorInsightsCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand,
  GetResourcePolicyCommand, ListTablesCommand, ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { awsProviders, terraformMissing, terraformProject } from '../helpers/terraform.js';

const skip = terraformMissing();
if (skip !== false) console.log(`# ${skip}`);

/** What the update step changes: PITR's period, a tag, deletion protection (alone in its UpdateTable, as DynamoDB wants). */
interface Settings {
  readonly recoveryDays: number;
  readonly env: string;
  readonly protected: boolean;
}

const tables = (s: Settings): string => `${awsProviders(['dynamodb', 'sts', 'kms'], { alias: 'west', region: 'us-west-2' })}resource "aws_dynamodb_table" "orders" {
  name                        = "Orders"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "customerId"
  range_key                   = "orderId"
  stream_enabled              = true
  stream_view_type            = "NEW_AND_OLD_IMAGES"
  deletion_protection_enabled = ${s.protected}
  table_class                 = "STANDARD"
  attribute {
    name = "customerId"
    type = "S"
  }
  attribute {
    name = "orderId"
    type = "S"
  }
  attribute {
    name = "status"
    type = "S"
  }
  attribute {
    name = "placedAt"
    type = "N"
  }
  global_secondary_index {
    name            = "byStatus"
    hash_key        = "status"
    range_key       = "placedAt"
    projection_type = "INCLUDE"
    non_key_attributes = ["total"]
  }
  local_secondary_index {
    name            = "byPlacedAt"
    range_key       = "placedAt"
    projection_type = "KEYS_ONLY"
  }
  point_in_time_recovery {
    enabled                 = true
    recovery_period_in_days = ${s.recoveryDays}
  }
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }
  on_demand_throughput {
    max_read_request_units  = 100
    max_write_request_units = 50
  }
  replica {
    region_name = "us-west-2"
  }
  tags = {
    team = "orders"
    env  = "${s.env}"
  }
}
resource "aws_dynamodb_table_item" "first" {
  table_name = aws_dynamodb_table.orders.name
  hash_key   = aws_dynamodb_table.orders.hash_key
  range_key  = aws_dynamodb_table.orders.range_key
  item = jsonencode({
    customerId = { S = "c1" }
    orderId    = { S = "o1" }
    total      = { N = "42" }
  })
}
resource "aws_dynamodb_table" "events" {
  name           = "Events"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 3
  hash_key       = "id"
  table_class    = "STANDARD_INFREQUENT_ACCESS"
  server_side_encryption {
    enabled = true
  }
  # The owner tag is aws_dynamodb_tag's, as the provider documents.
  lifecycle {
    ignore_changes = [tags, tags_all]
  }
  attribute {
    name = "id"
    type = "S"
  }
  global_secondary_index {
    name            = "byId"
    hash_key        = "id"
    projection_type = "ALL"
    read_capacity   = 2
    write_capacity  = 2
  }
}
resource "aws_dynamodb_tag" "owner" {
  resource_arn = aws_dynamodb_table.events.arn
  key          = "owner"
  value        = "alice"
}
resource "aws_dynamodb_contributor_insights" "orders" {
  table_name = aws_dynamodb_table.orders.name
}
resource "aws_dynamodb_resource_policy" "orders" {
  resource_arn = aws_dynamodb_table.orders.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::000000000000:root" }
      Action    = "dynamodb:GetItem"
      Resource  = aws_dynamodb_table.orders.arn
    }]
  })
}
resource "aws_dynamodb_table" "sessions" {
  name             = "Sessions"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
  lifecycle {
    ignore_changes = [replica]
  }
}
resource "aws_dynamodb_table" "accounts" {
  name         = "Accounts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}
resource "aws_dynamodb_table" "restored" {
  name                   = "AccountsRestored"
  billing_mode           = "PAY_PER_REQUEST"
  hash_key               = "id"
  restore_source_name    = aws_dynamodb_table.accounts.name
  restore_to_latest_time = true
  attribute {
    name = "id"
    type = "S"
  }
}
resource "aws_dynamodb_table_replica" "sessions_west" {
  provider         = aws.west
  global_table_arn = aws_dynamodb_table.sessions.arn
  tags = {
    region = "west"
  }
}
`;

const legacy = `${awsProviders(['dynamodb', 'sts'])}resource "aws_dynamodb_table" "legacy" {
  name             = "Legacy"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
}
resource "aws_dynamodb_global_table" "legacy" {
  name = aws_dynamodb_table.legacy.name
  replica {
    region_name = "us-east-1"
  }
}
`;

const noChanges = /No changes\. Your infrastructure matches the configuration\./;

describe('Terraform: every DynamoDB resource of the AWS provider', { skip }, () => {
  let server: ServerProcess;
  const clients: DynamoDBClient[] = [];
  const db = (region = 'us-east-1'): DynamoDBClient => {
    const client = new DynamoDBClient({ endpoint: server.endpoint, region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    clients.push(client);
    return client;
  };
  before(async () => {
    server = await startServerProcess();
  });
  after(async () => {
    for (const client of clients) client.destroy();
    await server?.dispose();
  });

  it('applies tables, items, tags, policies, insights and replicas; reads them back without drift; updates in place; destroys', { timeout: 900_000 }, async () => {
    const project = await terraformProject('stratusdb-terraform-tables', tables({ recoveryDays: 14, env: 'test', protected: false }), () => server.endpoint);
    await project.run('apply', '-auto-approve');
    const east = db();
    const orders = (await east.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table;
    assert.deepEqual(orders?.KeySchema, [{ AttributeName: 'customerId', KeyType: 'HASH' }, { AttributeName: 'orderId', KeyType: 'RANGE' }]);
    assert.deepEqual(orders?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.Projection?.ProjectionType, g.Projection?.NonKeyAttributes]), [['byStatus', 'INCLUDE', ['total']]]);
    assert.deepEqual(orders?.LocalSecondaryIndexes?.map((l) => [l.IndexName, l.Projection?.ProjectionType]), [['byPlacedAt', 'KEYS_ONLY']]);
    assert.deepEqual([orders?.BillingModeSummary?.BillingMode, orders?.OnDemandThroughput, orders?.StreamSpecification],
      ['PAY_PER_REQUEST', { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 }, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }]);
    assert.deepEqual(orders?.Replicas?.map((r) => [r.RegionName, r.ReplicaStatus]), [['us-west-2', 'ACTIVE']]);
    const pitr = (await east.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    assert.deepEqual([pitr?.PointInTimeRecoveryStatus, pitr?.RecoveryPeriodInDays], ['ENABLED', 14]);
    assert.deepEqual((await east.send(new DescribeTimeToLiveCommand({ TableName: 'Orders' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    const tagsOf = async (arn: string, client = east): Promise<Record<string, string>> => Object.fromEntries(((await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags ?? []).map((t) => [t.Key, t.Value]));
    assert.deepEqual(await tagsOf(orders?.TableArn as string), { env: 'test', team: 'orders' });
    assert.deepEqual((await east.send(new GetItemCommand({ TableName: 'Orders', Key: { customerId: { S: 'c1' }, orderId: { S: 'o1' } } }))).Item?.['total'], { N: '42' });
    assert.match((await east.send(new GetResourcePolicyCommand({ ResourceArn: orders?.TableArn as string }))).Policy ?? '', /"dynamodb:GetItem"/);
    assert.equal((await east.send(new DescribeContributorInsightsCommand({ TableName: 'Orders' }))).ContributorInsightsStatus, 'ENABLED');
    const events = (await east.send(new DescribeTableCommand({ TableName: 'Events' }))).Table;
    assert.deepEqual([events?.SSEDescription?.Status, events?.TableClassSummary?.TableClass, events?.ProvisionedThroughput?.WriteCapacityUnits], ['ENABLED', 'STANDARD_INFREQUENT_ACCESS', 3]);
    assert.deepEqual(await tagsOf(events?.TableArn as string), { owner: 'alice' });
    const restored = (await east.send(new DescribeTableCommand({ TableName: 'AccountsRestored' }))).Table;
    assert.equal(restored?.RestoreSummary?.SourceTableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Accounts');
    const west = db('us-west-2');
    const sessionsWest = (await west.send(new DescribeTableCommand({ TableName: 'Sessions' }))).Table;
    assert.equal(sessionsWest?.TableStatus, 'ACTIVE');
    assert.deepEqual(await tagsOf(sessionsWest?.TableArn as string, west), { region: 'west' });

    assert.match((await project.run('plan', '-detailed-exitcode')).stdout, noChanges);

    // In place: PITR's period and a tag, then deletion protection; each read back without drift.
    project.configure(tables({ recoveryDays: 7, env: 'staging', protected: true }));
    const updated = await project.run('apply', '-auto-approve');
    assert.match(updated.stdout, /Apply complete! Resources: 0 added, 1 changed, 0 destroyed\./);
    assert.match((await project.run('plan', '-detailed-exitcode')).stdout, noChanges);
    const after = (await east.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table;
    assert.equal(after?.DeletionProtectionEnabled, true);
    assert.equal((await east.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 7);
    assert.deepEqual(await tagsOf(after?.TableArn as string), { env: 'staging', team: 'orders' });

    project.configure(tables({ recoveryDays: 7, env: 'staging', protected: false }));
    await project.run('apply', '-auto-approve');
    // The replica resource first: the table's own destroy would otherwise remove a replica it read before that went.
    await project.run('destroy', '-auto-approve', '-target=aws_dynamodb_table_replica.sessions_west');
    await project.run('destroy', '-auto-approve');
    assert.deepEqual((await east.send(new ListTablesCommand({}))).TableNames, []);
    assert.deepEqual((await west.send(new ListTablesCommand({}))).TableNames, []);
  });

  it('refuses aws_dynamodb_global_table (version 2017.11.29) with DynamoDB\'s text', { timeout: 600_000 }, async () => {
    const project = await terraformProject('stratusdb-terraform-legacy', legacy, () => server.endpoint);
    await assert.rejects(project.run('apply', '-auto-approve'), (error: Error & { stderr?: string }) => {
      assert.match(error.stderr ?? '', /DynamoDB global tables version 2017\.11\.29 is not supported\. We recommend using DynamoDB global tables version 2019\.11\.21/);
      return true;
    });
    await project.run('destroy', '-auto-approve');
    assert.equal((await db().send(new ListTablesCommand({}))).TableNames?.includes('Legacy'), false);
  });
});
