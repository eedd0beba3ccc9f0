// Terraform's AWS provider (5.100) making tables from data: `restore_source_table_arn` with
// `restore_date_time` (a moment of a point-in-time recovery window, on a server whose clock the test
// moves), and `import_table` (DynamoDB JSON under a bucket of the server's --s3-dir); and the
// arguments the other Terraform tests leave out: a GSI's `on_demand_throughput`, a customer key
// (`server_side_encryption.kms_key_arn`), and a replica block's `kms_key_arn`,
// `point_in_time_recovery` and `propagate_tags`; aws_dynamodb_contributor_insights on an index; and
// aws_dynamodb_table_replica's `kms_key_arn`, `point_in_time_recovery`, `table_class_override` and
// `deletion_protection_enabled`. Applied, checked through the SDK, planned again
// without changes, destroyed. Skipped, with the reason,
// without Terraform or the provider in a filesystem mirror.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand, DescribeContinuousBackupsCommand, DescribeContributorInsightsCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand,
  UpdateContinuousBackupsCommand, waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { awsProviders, terraformMissing, terraformProject } from '../helpers/terraform.js';

const skip = terraformMissing();
if (skip !== false) console.log(`# ${skip}`);

const configuration = (restoreAt: string): string => `${awsProviders(['dynamodb', 'sts', 'kms'], { alias: 'west', region: 'us-west-2' })}resource "aws_dynamodb_contributor_insights" "by_kind" {
  table_name = aws_dynamodb_table.extras.name
  index_name = "byKind"
}
resource "aws_dynamodb_table" "audit" {
  name             = "Audit"
  billing_mode     = "PAY_PER_REQUEST"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  server_side_encryption {
    enabled     = true
    kms_key_arn = "arn:aws:kms:us-east-1:000000000000:key/abababab-cdcd-efef-0101-232323232323"
  }
  attribute {
    name = "id"
    type = "S"
  }
  lifecycle {
    ignore_changes = [replica]
  }
}
resource "aws_dynamodb_table_replica" "audit_west" {
  provider                    = aws.west
  global_table_arn            = aws_dynamodb_table.audit.arn
  kms_key_arn                 = "arn:aws:kms:us-west-2:000000000000:key/12121212-3434-5656-7878-909090909090"
  point_in_time_recovery      = true
  table_class_override        = "STANDARD_INFREQUENT_ACCESS"
  deletion_protection_enabled = false
}
resource "aws_dynamodb_table" "extras" {
  name         = "Extras"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "kind"
    type = "S"
  }
  global_secondary_index {
    name            = "byKind"
    hash_key        = "kind"
    projection_type = "ALL"
    on_demand_throughput {
      max_read_request_units  = 40
      max_write_request_units = 20
    }
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = "arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555"
  }
  replica {
    region_name            = "us-west-2"
    kms_key_arn            = "arn:aws:kms:us-west-2:000000000000:key/66666666-7777-8888-9999-000000000000"
    point_in_time_recovery = true
    propagate_tags         = true
  }
  tags = {
    team = "extras"
  }
}
resource "aws_dynamodb_table" "as_of" {
  name                     = "LedgerAsOf"
  billing_mode             = "PAY_PER_REQUEST"
  hash_key                 = "id"
  restore_source_table_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Ledger"
  restore_date_time        = "${restoreAt}"
  attribute {
    name = "id"
    type = "S"
  }
}
resource "aws_dynamodb_table" "imported" {
  name         = "Imported"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  import_table {
    input_format           = "DYNAMODB_JSON"
    input_compression_type = "NONE"
    s3_bucket_source {
      bucket     = "imports"
      key_prefix = "users/"
    }
  }
}
`;

describe('Terraform: tables made from a point in time and from an import', { skip }, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess({ args: ['--test-clock'] });
    db = server.client();
  });
  after(async () => server?.dispose());

  it('restore_source_table_arn with restore_date_time, and import_table: applied, read back without changes, destroyed', { timeout: 600_000 }, async () => {
    // The source: a balance of 10, then (a minute later on the server's clock) 99.
    await db.send(new CreateTableCommand({ TableName: 'Ledger', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    await waitUntilTableExists({ client: db, maxWaitTime: 60 }, { TableName: 'Ledger' });
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Ledger', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await db.send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: 'a' }, balance: { N: '10' } } }));
    const before = await server.advanceClock(60_000);
    await db.send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: 'a' }, balance: { N: '99' } } }));
    await server.advanceClock(600_000);
    // A whole second 30 s before the change (Terraform writes RFC 3339 to the second).
    const restoreAt = new Date(Math.floor((before - 30_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

    // The import's data: DynamoDB JSON lines under s3://imports/users/ (the server's --s3-dir).
    const prefix = join(`${server.dataDir}-s3`, 'imports', 'users');
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'part-0.json'), ['{"Item":{"id":{"S":"u1"},"name":{"S":"Ada"}}}', '{"Item":{"id":{"S":"u2"},"name":{"S":"Grace"}}}', ''].join('\n'));

    const project = await terraformProject('stratusdb-terraform-restores', configuration(restoreAt), () => server.endpoint);
    await project.run('apply', '-auto-approve');
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'LedgerAsOf', Key: { id: { S: 'a' } } }))).Item?.['balance'], { N: '10' });
    const restored = (await db.send(new DescribeTableCommand({ TableName: 'LedgerAsOf' }))).Table;
    assert.equal(restored?.RestoreSummary?.SourceTableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Ledger');
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'Imported', Key: { id: { S: 'u2' } } }))).Item?.['name'], { S: 'Grace' });
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'Imported' }))).Table?.ItemCount, 2);

    const extras = (await db.send(new DescribeTableCommand({ TableName: 'Extras' }))).Table;
    assert.deepEqual(extras?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.OnDemandThroughput]), [['byKind', { MaxReadRequestUnits: 40, MaxWriteRequestUnits: 20 }]]);
    assert.deepEqual([extras?.SSEDescription?.Status, extras?.SSEDescription?.SSEType, extras?.SSEDescription?.KMSMasterKeyArn],
      ['ENABLED', 'KMS', 'arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555']);
    const west = server.client('us-west-2');
    const replica = (await west.send(new DescribeTableCommand({ TableName: 'Extras' }))).Table;
    assert.equal(replica?.SSEDescription?.KMSMasterKeyArn, 'arn:aws:kms:us-west-2:000000000000:key/66666666-7777-8888-9999-000000000000');
    assert.equal((await west.send(new DescribeContinuousBackupsCommand({ TableName: 'Extras' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED');
    assert.deepEqual((await west.send(new ListTagsOfResourceCommand({ ResourceArn: replica?.TableArn }))).Tags, [{ Key: 'team', Value: 'extras' }]);

    assert.equal((await db.send(new DescribeContributorInsightsCommand({ TableName: 'Extras', IndexName: 'byKind' }))).ContributorInsightsStatus, 'ENABLED');
    const auditWest = (await west.send(new DescribeTableCommand({ TableName: 'Audit' }))).Table;
    assert.deepEqual([auditWest?.TableStatus, auditWest?.TableClassSummary?.TableClass, auditWest?.SSEDescription?.KMSMasterKeyArn],
      ['ACTIVE', 'STANDARD_INFREQUENT_ACCESS', 'arn:aws:kms:us-west-2:000000000000:key/12121212-3434-5656-7878-909090909090']);
    assert.equal((await west.send(new DescribeContinuousBackupsCommand({ TableName: 'Audit' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED');

    assert.match((await project.run('plan', '-detailed-exitcode')).stdout, /No changes\. Your infrastructure matches the configuration\./);
    // The replica resource first: the table's own destroy would otherwise remove a replica it read before that went.
    await project.run('destroy', '-auto-approve', '-target=aws_dynamodb_table_replica.audit_west');
    await project.run('destroy', '-auto-approve');
    assert.deepEqual((await db.send(new ListTablesCommand({}))).TableNames, ['Ledger']);
  });
});
