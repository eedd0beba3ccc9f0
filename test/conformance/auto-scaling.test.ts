// Application Auto Scaling of DynamoDB capacity through its own SDK client (and the AWS CLI) against
// a real server process whose clock runs 60 times faster (--clock-speed 60: a minute a second): a
// table's write capacity registered as a scalable target with a target tracking policy rises after
// two minutes of load above the target and falls back after fifteen minutes of quiet, each change
// an activity; registering a range moves the capacity into it; Application Auto Scaling's errors.
// Decided by what the server reports, not by time: the load runs until the capacity has risen.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  ApplicationAutoScalingClient, DeleteScalingPolicyCommand, DeregisterScalableTargetCommand, DescribeScalableTargetsCommand, DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand, PutScalingPolicyCommand, RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CreateTableCommand, DescribeTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { awsCliMissing } from '../helpers/aws-cli.js';

const run = promisify(execFile);
const cliMissing = awsCliMissing();
if (cliMissing !== false) console.log(`# AWS CLI part skipped: ${cliMissing}`);

describe('Application Auto Scaling of DynamoDB capacity', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let scaling: ApplicationAutoScalingClient;
  const writeCapacity = async (TableName: string): Promise<number | undefined> => (await db.send(new DescribeTableCommand({ TableName }))).Table?.ProvisionedThroughput?.WriteCapacityUnits;
  before(async () => {
    server = await startServerProcess({ args: ['--clock-speed', '60'] });
    db = server.client('us-east-1');
    scaling = new ApplicationAutoScalingClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
    await db.send(new CreateTableCommand({
      TableName: 'Scaled', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
  });
  after(async () => {
    scaling.destroy();
    await server.dispose();
  });

  it('refuses what Application Auto Scaling refuses', async () => {
    const target = { ServiceNamespace: 'dynamodb' as const, ResourceId: 'table/Scaled', ScalableDimension: 'dynamodb:table:WriteCapacityUnits' as const };
    await rejects(scaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 10, MaxCapacity: 5 })), 'ValidationException', 'Maximum capacity cannot be less than minimum capacity');
    await rejects(scaling.send(new DeregisterScalableTargetCommand(target)), 'ObjectNotFoundException',
      'No scalable target found for service namespace: dynamodb, resource ID: table/Scaled, scalable dimension: dynamodb:table:WriteCapacityUnits');
    await rejects(scaling.send(new DeleteScalingPolicyCommand({ ...target, PolicyName: 'none' })), 'ObjectNotFoundException',
      'No scaling policy found for service namespace: dynamodb, resource ID: table/Scaled, scalable dimension: dynamodb:table:WriteCapacityUnits, policy name: none');
    await rejects(scaling.send(new RegisterScalableTargetCommand({ ...target, ResourceId: 'table/Scaled/index/none', MinCapacity: 1, MaxCapacity: 5 })), 'ValidationException',
      'Unsupported service namespace, resource type or scalable dimension');
    assert.deepEqual((await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }))).ScalableTargets, []);
  });

  it('registers a target (the capacity moved into its range) and a target tracking policy', async () => {
    const target = { ServiceNamespace: 'dynamodb' as const, ResourceId: 'table/Scaled', ScalableDimension: 'dynamodb:table:WriteCapacityUnits' as const };
    const registered = await scaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 10, MaxCapacity: 200 }));
    assert.match(registered.ScalableTargetARN ?? '', /^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{32}$/);
    assert.equal(await writeCapacity('Scaled'), 10);
    const described = (await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', ResourceIds: ['table/Scaled'] }))).ScalableTargets;
    assert.deepEqual(described?.map((t) => [t.ResourceId, t.ScalableDimension, t.MinCapacity, t.MaxCapacity]), [['table/Scaled', 'dynamodb:table:WriteCapacityUnits', 10, 200]]);
    await rejects(scaling.send(new PutScalingPolicyCommand({
      ...target, PolicyName: 'too-high', PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 95, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBWriteCapacityUtilization' } },
    })), 'ValidationException', "For predefined metric type DynamoDBWriteCapacityUtilization, target value must be between '10.0' and '90.0', but was '95.0'.");
    const policy = await scaling.send(new PutScalingPolicyCommand({
      ...target, PolicyName: 'writes', PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBWriteCapacityUtilization' } },
    }));
    assert.equal(policy.Alarms?.length, 2);
    const policies = (await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/Scaled' }))).ScalingPolicies;
    assert.deepEqual(policies?.map((p) => [p.PolicyName, p.PolicyType, p.TargetTrackingScalingPolicyConfiguration?.TargetValue]), [['writes', 'TargetTrackingScaling', 50]]);
  });

  it('scales out under load above the target, and back in after fifteen quiet minutes', async () => {
    // 10 KB items: 10 write units each, far above half of 10 units a second at a minute a real second.
    let n = 0;
    const item = (i: number) => ({ pk: { S: `k${i % 500}` }, data: { S: 'w'.repeat(10 * 1024 - 100) } });
    await until(async () => {
      for (let i = 0; i < 20; i++) await db.send(new PutItemCommand({ TableName: 'Scaled', Item: item(n++) }));
      return ((await writeCapacity('Scaled')) ?? 0) > 10;
    }, 'the write capacity raised above 10');
    const raised = await writeCapacity('Scaled') as number;
    // The activity is kept just after the change it records.
    const activities = async () => (await scaling.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/Scaled' }))).ScalingActivities ?? [];
    await until(async () => (await activities()).some((a) => a.Description === `Setting write capacity units to ${raised}.`), `the activity that raised the capacity to ${raised}`);
    const up = (await activities()).find((a) => a.Description === `Setting write capacity units to ${raised}.`);
    assert.equal(up?.StatusCode, 'Successful');
    assert.equal(up?.StatusMessage, `Successfully set write capacity units to ${raised}. Change successfully fulfilled by dynamodb.`);
    assert.match(up?.Cause ?? '', /^monitor alarm TargetTracking-table\/Scaled-AlarmHigh in state ALARM triggered policy writes$/);
    // No more writes: after fifteen minutes (of the clock) below the target, back to the minimum.
    await until(async () => (await writeCapacity('Scaled')) === 10 && (await activities())[0]?.Description === 'Setting write capacity units to 10.', 'the write capacity back to its minimum of 10, and its activity');
    const all = await activities();
    assert.equal(all[0]?.Description, 'Setting write capacity units to 10.');
    assert.match(all[0]?.Cause ?? '', /AlarmLow in state ALARM triggered policy writes$/);
    console.log(`# auto scaling: ${n} writes of 10 KB raised write capacity 10 -> ${raised}, then back to 10; ${all.length} activities`);
  });

  it('the AWS CLI sees the same targets and policies', { skip: cliMissing }, async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };
    const cli = async (...args: string[]): Promise<unknown> => {
      const { stdout } = await run('aws', ['application-autoscaling', ...args, '--region', 'us-east-1', '--endpoint-url', server.endpoint, '--output', 'json'], { env });
      return stdout.trim() === '' ? undefined : JSON.parse(stdout);
    };
    const targets = await cli('describe-scalable-targets', '--service-namespace', 'dynamodb') as { ScalableTargets: { ResourceId: string; MinCapacity: number }[] };
    assert.deepEqual(targets.ScalableTargets.map((t) => [t.ResourceId, t.MinCapacity]), [['table/Scaled', 10]]);
    assert.equal(await cli('delete-scaling-policy', '--service-namespace', 'dynamodb', '--resource-id', 'table/Scaled', '--scalable-dimension', 'dynamodb:table:WriteCapacityUnits', '--policy-name', 'writes'), undefined);
    await cli('deregister-scalable-target', '--service-namespace', 'dynamodb', '--resource-id', 'table/Scaled', '--scalable-dimension', 'dynamodb:table:WriteCapacityUnits');
    assert.deepEqual(await cli('describe-scalable-targets', '--service-namespace', 'dynamodb'), { ScalableTargets: [] });
  });
});
