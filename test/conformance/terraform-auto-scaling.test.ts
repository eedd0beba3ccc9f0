// Terraform's AWS provider (5.100) against a real server process: an aws_dynamodb_table with an
// aws_appautoscaling_target and a target tracking aws_appautoscaling_policy are applied, read back
// without drift (plan: no changes), seen through the Application Auto Scaling SDK, and destroyed.
// Skipped, with the reason, without Terraform or the provider in a filesystem mirror (the image's
// /opt/tf-plugins, or STRATUSDB_TF_PLUGINS).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand } from '@aws-sdk/client-application-auto-scaling';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { awsProviders, terraformMissing, terraformProject, type TerraformProject } from '../helpers/terraform.js';

const skip = terraformMissing();
if (skip !== false) console.log(`# ${skip}`);

const configuration = `${awsProviders(['dynamodb', 'applicationautoscaling', 'sts'])}resource "aws_dynamodb_table" "orders" {
  name           = "Orders"
  billing_mode   = "PROVISIONED"
  read_capacity  = 5
  write_capacity = 5
  hash_key       = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
resource "aws_appautoscaling_target" "writes" {
  service_namespace  = "dynamodb"
  resource_id        = "table/\${aws_dynamodb_table.orders.name}"
  scalable_dimension = "dynamodb:table:WriteCapacityUnits"
  min_capacity       = 5
  max_capacity       = 100
  tags = { team = "orders" }
}
resource "aws_appautoscaling_policy" "writes" {
  name               = "writes"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.writes.service_namespace
  resource_id        = aws_appautoscaling_target.writes.resource_id
  scalable_dimension = aws_appautoscaling_target.writes.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 70
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBWriteCapacityUtilization"
    }
  }
}
`;

describe('Terraform: aws_appautoscaling_target and aws_appautoscaling_policy', { skip }, () => {
  let server: ServerProcess;
  let scaling: ApplicationAutoScalingClient;
  let terraform: TerraformProject['run'];
  before(async () => {
    server = await startServerProcess();
    scaling = new ApplicationAutoScalingClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    terraform = (await terraformProject('stratusdb-terraform', configuration, () => server.endpoint)).run;
  });
  after(async () => {
    scaling?.destroy();
    await server?.dispose();
  });

  it('applies, reads back without drift, and destroys', { timeout: 600_000 }, async () => {
    await terraform('apply', '-auto-approve');
    const targets = (await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }))).ScalableTargets;
    assert.deepEqual(targets?.map((t) => [t.ResourceId, t.ScalableDimension, t.MinCapacity, t.MaxCapacity]), [['table/Orders', 'dynamodb:table:WriteCapacityUnits', 5, 100]]);
    const policies = (await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb' }))).ScalingPolicies;
    assert.deepEqual(policies?.map((p) => [p.PolicyName, p.PolicyType, p.TargetTrackingScalingPolicyConfiguration?.TargetValue]), [['writes', 'TargetTrackingScaling', 70]]);
    // Read back, everything is as configured: plan exits 0 (2 would mean changes).
    const plan = await terraform('plan', '-detailed-exitcode');
    assert.match(plan.stdout, /No changes\. Your infrastructure matches the configuration\./);
    await terraform('destroy', '-auto-approve');
    assert.deepEqual((await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }))).ScalableTargets, []);
  });
});
