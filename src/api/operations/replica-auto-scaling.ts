// DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling: the auto scaling of a global
// table's replicas, as DynamoDB answers them (recorded by the public ack-api-quirks catalogue) for a
// table that is not a global table (ResourceNotFoundException "Global table with name: 'T' does not
// exist."), and for an on-demand one, which has nothing to scale: it is described with its replicas,
// settings are refused with AWS's text, and disabling auto scaling is accepted. Auto scaling of
// provisioned capacity arrives with the capacity issue; until then a provisioned global table takes
// only AutoScalingDisabled (docs/compatibility.md).
import type { Engine } from '../../engine/engine.js';
import { ResourceNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { TableRecord } from '../../model/table.js';
import { onTable, operation } from '../operation.js';
import { bool, double, integer, list, long, members, str, struct, tableName, type InputOf } from '../validate/shape.js';
import { indexName } from '../validate/common-shapes.js';

const settingsUpdate = struct('AutoScalingSettingsUpdate', [
  ['MinimumUnits', long({ min: 1 })],
  ['MaximumUnits', long({ min: 1 })],
  ['AutoScalingDisabled', bool()],
  ['AutoScalingRoleArn', str({ lengthMin: 1, lengthMax: 1600 })],
  ['ScalingPolicyUpdate', struct('AutoScalingPolicyUpdate', [
    ['PolicyName', str({ lengthMin: 1, lengthMax: 256 })],
    ['TargetTrackingScalingPolicyConfiguration', struct('AutoScalingTargetTrackingScalingPolicyConfigurationUpdate', [
      ['DisableScaleIn', bool()],
      ['ScaleInCooldown', integer()],
      ['ScaleOutCooldown', integer()],
      ['TargetValue', double({ notNull: true })],
    ], { notNull: true })],
  ])],
]);
type SettingsUpdate = InputOf<typeof settingsUpdate>;

const updateShape = members([
  ['GlobalSecondaryIndexUpdates', list(struct('GlobalSecondaryIndexAutoScalingUpdate', [
    ['IndexName', indexName],
    ['ProvisionedWriteCapacityAutoScalingUpdate', settingsUpdate],
  ]), { lengthMin: 1 })],
  ['TableName', tableName({ notNull: true })],
  ['ProvisionedWriteCapacityAutoScalingUpdate', settingsUpdate],
  ['ReplicaUpdates', list(struct('ReplicaAutoScalingUpdate', [
    ['RegionName', str({ notNull: true })],
    ['ReplicaGlobalSecondaryIndexUpdates', list(struct('ReplicaGlobalSecondaryIndexAutoScalingUpdate', [
      ['IndexName', indexName],
      ['ProvisionedReadCapacityAutoScalingUpdate', settingsUpdate],
    ]))],
    ['ReplicaProvisionedReadCapacityAutoScalingUpdate', settingsUpdate],
  ]), { lengthMin: 1 })],
]);

/** The global table named, or AWS's ResourceNotFoundException (a regional table is none). */
function globalTable(engine: Engine, region: string, name: string): TableRecord {
  const table = engine.tables.find(region, name);
  if (table?.replication === undefined) throw new ResourceNotFoundException(messages.replicaAutoScalingNotGlobal(name));
  return table;
}

/** TableAutoScalingDescription: each region's replica (this one's too) with its indexes; no auto scaling settings while none is served. */
function autoScalingDescription(table: TableRecord): Record<string, unknown> {
  const indexes = table.GlobalSecondaryIndexes.map((g) => ({ IndexName: g.IndexName, IndexStatus: g.IndexStatus }));
  const own = { RegionName: table.region, ReplicaStatus: table.TableStatus === 'ACTIVE' ? 'ACTIVE' : 'UPDATING' };
  const others = (table.replication?.Replicas ?? []).filter((r) => r.Witness !== true).map((r) => ({ RegionName: r.RegionName, ReplicaStatus: r.ReplicaStatus }));
  return {
    TableName: table.TableName,
    TableStatus: table.TableStatus,
    Replicas: [own, ...others].map((replica) => ({ ...replica, GlobalSecondaryIndexes: indexes })),
  };
}

export const describeTableReplicaAutoScaling = operation({
  name: 'DescribeTableReplicaAutoScaling',
  kind: 'control',
  members: members([['TableName', tableName({ notNull: true })]]),
  permissions: (input, ctx) => onTable('DescribeTableReplicaAutoScaling', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    return { body: { TableAutoScalingDescription: autoScalingDescription(globalTable(engine, ctx.region, input.TableName)) } };
  },
});

export const updateTableReplicaAutoScaling = operation({
  name: 'UpdateTableReplicaAutoScaling',
  kind: 'control',
  members: updateShape,
  permissions: (input, ctx) => onTable('UpdateTableReplicaAutoScaling', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const table = globalTable(engine, ctx.region, input.TableName);
    // Each settings update, with the name AWS gives it in its refusal (the legacy settings API's).
    const updates: [string, SettingsUpdate | undefined][] = [
      ['GlobalTableProvisionedWriteCapacityAutoScalingSettingsUpdate', input.ProvisionedWriteCapacityAutoScalingUpdate],
      ...(input.GlobalSecondaryIndexUpdates ?? []).map((u): [string, SettingsUpdate | undefined] => ['ProvisionedWriteCapacityAutoScalingSettingsUpdate', u.ProvisionedWriteCapacityAutoScalingUpdate]),
      ...(input.ReplicaUpdates ?? []).flatMap((r): [string, SettingsUpdate | undefined][] => [
        ['ReplicaProvisionedReadCapacityAutoScalingSettingsUpdate', r.ReplicaProvisionedReadCapacityAutoScalingUpdate],
        ...(r.ReplicaGlobalSecondaryIndexUpdates ?? []).map((g): [string, SettingsUpdate | undefined] => ['ProvisionedReadCapacityAutoScalingSettingsUpdate', g.ProvisionedReadCapacityAutoScalingUpdate]),
      ]),
    ];
    // Disabling auto scaling is all an on-demand table (or, for now, a provisioned one) takes.
    const enabling = updates.filter((u): u is [string, SettingsUpdate] => u[1] !== undefined && u[1].AutoScalingDisabled !== true);
    const first = enabling[0];
    if (first !== undefined) {
      if (table.BillingMode === 'PAY_PER_REQUEST') {
        const regions = [table.region, ...(table.replication?.Replicas ?? []).filter((r) => r.Witness !== true).map((r) => r.RegionName)].sort();
        throw new ValidationException(messages.replicaAutoScalingOnDemand(table.TableName, regions, first[0]));
      }
      const missing = (['MaximumUnits', 'ScalingPolicyUpdate', 'MinimumUnits'] as const).filter((m) => first[1][m] === undefined);
      if (missing.length > 0) throw new ValidationException(messages.replicaAutoScalingRequired(table.TableName, missing));
      throw new ValidationException(messages.replicaAutoScalingUnserved);
    }
    return { body: { TableAutoScalingDescription: autoScalingDescription(table) } };
  },
});
