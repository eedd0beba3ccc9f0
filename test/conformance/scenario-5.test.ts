// Scenario 5 of SCENARIOS.md: the seed lesson's `aws_dynamodb_table "user_events"` (UserEvents-<env>,
// PROVISIONED 100/50, hash userId, range SK, GSI EventTypeIndex on eventType/SK with projection ALL
// and its own capacity, stream NEW_AND_OLD_IMAGES, point-in-time recovery, tags) applied to
// StratusDB: a plan shows one table to add, apply makes it exactly so, a second plan shows no
// changes. With Terraform and the AWS provider (then changed in place — a GSI added, tags changed,
// TTL and point-in-time recovery toggled, throughput changed — planned clean again, destroyed), and
// the same table's CloudFormation, SAM and Serverless Framework forms with `stratusdb deploy`.
// The Terraform half is skipped, with the reason, without Terraform or the provider's mirror.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand, ListTagsOfResourceCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { awsProviders, terraformMissing, terraformProject } from '../helpers/terraform.js';
import { copyApp, deploy } from '../helpers/deploy-project.js';

const skipTerraform = terraformMissing();
if (skipTerraform !== false) console.log(`# ${skipTerraform}`);

/** The seed's configuration; `changed` adds a GSI, changes a tag, turns TTL on and PITR off, and lowers the throughput. */
const seed = (changed: boolean): string => `${awsProviders(['dynamodb', 'sts'])}variable "environment" {
  type    = string
  default = "dev"
}
resource "aws_dynamodb_table" "user_events" {
  name           = "UserEvents-\${var.environment}"
  billing_mode   = "PROVISIONED"
  hash_key       = "userId" # partition key
  range_key      = "SK"     # sort key
  read_capacity  = ${changed ? 80 : 100}
  write_capacity = ${changed ? 40 : 50}
  attribute {
    name = "userId"
    type = "S"
  }
  attribute {
    name = "SK"
    type = "S"
  }
  attribute {
    name = "eventType" # needed for GSI — must be declared here
    type = "S"
  }
${changed ? `  attribute {
    name = "day"
    type = "S"
  }
  global_secondary_index {
    name            = "ByDay"
    hash_key        = "day"
    projection_type = "KEYS_ONLY"
    read_capacity   = 5
    write_capacity  = 5
  }
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }
` : ''}  # GSI for querying by eventType across all users
  global_secondary_index {
    name            = "EventTypeIndex"
    hash_key        = "eventType"
    range_key       = "SK"
    projection_type = "ALL"
    read_capacity   = 50
    write_capacity  = 25
  }
  # Enable DynamoDB Streams — captures NEW and OLD images
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
  # Point-in-time recovery — 35-day restore window
  point_in_time_recovery { enabled = ${!changed} }
  tags = {
    Environment = var.environment
    ManagedBy   = "${changed ? 'terraform-changed' : 'terraform'}"
  }
}
`;

/** Checks the table is the seed's, exactly: keys, capacity, the GSI, the stream, PITR and the tags. */
async function checkSeedTable(db: DynamoDBClient, environment: string, managedBy: string): Promise<void> {
  const name = `UserEvents-${environment}`;
  const table = (await db.send(new DescribeTableCommand({ TableName: name }))).Table;
  assert.deepEqual(table?.KeySchema, [{ AttributeName: 'userId', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }]);
  assert.deepEqual(table?.AttributeDefinitions?.map((a) => `${a.AttributeName}:${a.AttributeType}`).sort(), ['SK:S', 'eventType:S', 'userId:S']);
  assert.deepEqual([table?.BillingModeSummary?.BillingMode ?? 'PROVISIONED', table?.ProvisionedThroughput?.ReadCapacityUnits, table?.ProvisionedThroughput?.WriteCapacityUnits], ['PROVISIONED', 100, 50]);
  assert.deepEqual(table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.KeySchema, g.Projection, g.ProvisionedThroughput?.ReadCapacityUnits, g.ProvisionedThroughput?.WriteCapacityUnits]),
    [['EventTypeIndex', [{ AttributeName: 'eventType', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }], { ProjectionType: 'ALL' }, 50, 25]]);
  assert.deepEqual(table?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  const pitr = (await db.send(new DescribeContinuousBackupsCommand({ TableName: name }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  assert.deepEqual([pitr?.PointInTimeRecoveryStatus, pitr?.RecoveryPeriodInDays], ['ENABLED', 35]);
  const tags = (await db.send(new ListTagsOfResourceCommand({ ResourceArn: table?.TableArn }))).Tags;
  assert.deepEqual(Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value])), { Environment: environment, ManagedBy: managedBy });
}

describe('scenario 5: the seed table as code', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
  });
  after(async () => server.dispose());

  it('Terraform: a plan of one table to add, the table exactly so, no changes; changed in place, clean again, destroyed', { skip: skipTerraform, timeout: 900_000 }, async () => {
    const project = await terraformProject('stratusdb-scenario-5', seed(false), () => server.endpoint);
    const plan = await project.run('plan');
    assert.match(plan.stdout, /# aws_dynamodb_table\.user_events will be created/);
    assert.match(plan.stdout, /Plan: 1 to add, 0 to change, 0 to destroy\./);
    await project.run('apply', '-auto-approve');
    await checkSeedTable(db, 'dev', 'terraform');
    assert.match((await project.run('plan', '-detailed-exitcode')).stdout, /No changes\. Your infrastructure matches the configuration\./);

    project.configure(seed(true));
    const changed = await project.run('apply', '-auto-approve');
    assert.match(changed.stdout, /Apply complete! Resources: 0 added, 1 changed, 0 destroyed\./);
    assert.match((await project.run('plan', '-detailed-exitcode')).stdout, /No changes\. Your infrastructure matches the configuration\./);
    const table = (await db.send(new DescribeTableCommand({ TableName: 'UserEvents-dev' }))).Table;
    assert.deepEqual([table?.ProvisionedThroughput?.ReadCapacityUnits, table?.ProvisionedThroughput?.WriteCapacityUnits], [80, 40]);
    assert.deepEqual(table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus]).sort(), [['ByDay', 'ACTIVE'], ['EventTypeIndex', 'ACTIVE']]);
    assert.deepEqual((await db.send(new DescribeTimeToLiveCommand({ TableName: 'UserEvents-dev' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    assert.equal((await db.send(new DescribeContinuousBackupsCommand({ TableName: 'UserEvents-dev' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'DISABLED');
    const tags = (await db.send(new ListTagsOfResourceCommand({ ResourceArn: table?.TableArn }))).Tags;
    assert.deepEqual(Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value])), { Environment: 'dev', ManagedBy: 'terraform-changed' });

    await project.run('destroy', '-auto-approve');
    assert.equal((await db.send(new ListTablesCommand({}))).TableNames?.includes('UserEvents-dev'), false);
  });

  const forms: readonly [string, string, readonly string[], string, string][] = [
    ['CloudFormation', 'template.yaml', ['--parameter', 'Environment=cfn'], 'cfn', 'cloudformation'],
    ['SAM', 'sam.yaml', ['--parameter', 'Environment=sam'], 'sam', 'sam'],
    ['Serverless Framework', 'serverless.yml', ['--stage', 'sls'], 'sls', 'serverless'],
  ];
  for (const [form, file, args, environment, managedBy] of forms) {
    it(`${form} with stratusdb deploy: a plan of one table to create, the table exactly so, then no changes`, async () => {
      const app = copyApp('seed-table');
      const plan = await deploy(server.endpoint, app.dir, [file, ...args, '--plan']);
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, new RegExp(`\\n {2}\\+ table UserEvents-${environment} \\(UserEvents, AWS::DynamoDB::Table\\)\\n {6}1\\. create the table \\(keys userId HASH, SK RANGE; PROVISIONED 100/50; GSI EventTypeIndex; stream NEW_AND_OLD_IMAGES\\)\\n {6}2\\. turn point-in-time recovery on \\(35 days\\)\\nPlan: 1 to create, 0 to change, 0 to delete\\.\\n$`));
      assert.equal((await db.send(new ListTablesCommand({}))).TableNames?.includes(`UserEvents-${environment}`), false, '--plan makes nothing');
      const applied = await deploy(server.endpoint, app.dir, [file, ...args]);
      assert.equal(applied.code, 0, applied.stderr);
      await checkSeedTable(db, environment, managedBy);
      for (const again of [[file, ...args, '--plan'], [file, ...args]]) {
        const run = await deploy(server.endpoint, app.dir, again);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^Stack \S+ \(\S+\) in us-east-1:\nNo changes\.\n$/);
      }
    });
  }
});
