// DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling: the auto scaling of a global
// table's replicas, as DynamoDB answers them (recorded by the public ack-api-quirks catalogue) — a
// table that is not a global table is ResourceNotFoundException "Global table with name: 'T' does
// not exist."; an on-demand one has nothing to scale (settings refused with AWS's text, disabling
// accepted); a provisioned one gets Application Auto Scaling targets and target tracking policies
// (the same as application-auto-scaling.ts keeps): the write settings for every replica, a replica's
// read settings for that replica — those another server holds (--peer) set there, through the
// replication channel, and described from what it answers.
import type { Engine } from '../../engine/engine.js';
import { ResourceNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { AutoScalingState, ScalableDimension, TableRecord } from '../../model/table.js';
import { onTable, operation, type RequestContext } from '../operation.js';
import { deregisterTarget, putPolicy, registerTarget, sameTarget, stateOf } from '../auto-scaling-targets.js';
import { bool, double, integer, list, long, members, str, struct, tableName, type InputOf, type InputOfMembers } from '../validate/shape.js';
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

type UpdateInput = InputOfMembers<typeof updateShape>;

/** The global table named, or AWS's ResourceNotFoundException (a regional table is none). */
function globalTable(engine: Engine, region: string, name: string): TableRecord {
  const table = engine.tables.find(region, name);
  if (table?.replication === undefined) throw new ResourceNotFoundException(messages.replicaAutoScalingNotGlobal(name));
  return table;
}

/** An AutoScalingSettingsDescription of a replica's (or its GSI's) target, when it has one. */
function settingsOf(state: AutoScalingState | undefined, dimension: ScalableDimension, index?: string): Record<string, unknown> | undefined {
  const target = state?.targets.find(sameTarget(dimension, index));
  if (target === undefined) return undefined;
  return {
    MinimumUnits: target.MinCapacity, MaximumUnits: target.MaxCapacity, AutoScalingDisabled: false, AutoScalingRoleArn: target.RoleARN,
    ScalingPolicies: (state?.policies ?? []).filter(sameTarget(dimension, index)).map((p) => ({
      PolicyName: p.PolicyName,
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: p.TargetValue, ...(p.DisableScaleIn === undefined ? {} : { DisableScaleIn: p.DisableScaleIn }),
        ...(p.ScaleInCooldown === undefined ? {} : { ScaleInCooldown: p.ScaleInCooldown }), ...(p.ScaleOutCooldown === undefined ? {} : { ScaleOutCooldown: p.ScaleOutCooldown }),
      },
    })),
  };
}

/** The auto scaling state of the table's replica in `region`: this server's, or the peer's that holds it (undefined: none known). */
async function replicaState(engine: Engine, region: string, name: string): Promise<AutoScalingState | undefined> {
  const here = engine.tables.find(region, name);
  if (here !== undefined) return stateOf(here);
  return engine.globalTables.heldByPeer(region) ? engine.globalTables.autoScalingAt(region, name) : undefined;
}

/** TableAutoScalingDescription: each region's replica (this one's first) with its indexes and the auto scaling set on it. */
async function autoScalingDescription(engine: Engine, table: TableRecord): Promise<Record<string, unknown>> {
  const own = { RegionName: table.region, ReplicaStatus: table.TableStatus === 'ACTIVE' ? 'ACTIVE' : 'UPDATING' };
  const others = (table.replication?.Replicas ?? []).filter((r) => r.Witness !== true).map((r) => ({ RegionName: r.RegionName, ReplicaStatus: r.ReplicaStatus }));
  const replicas = [own, ...others];
  const states = await Promise.all(replicas.map((r) => replicaState(engine, r.RegionName, table.TableName)));
  return {
    TableName: table.TableName,
    TableStatus: table.TableStatus,
    Replicas: replicas.map((replica, i) => {
      const here = states[i];
      const read = settingsOf(here, 'dynamodb:table:ReadCapacityUnits');
      const write = settingsOf(here, 'dynamodb:table:WriteCapacityUnits');
      return {
        ...replica,
        GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.map((g) => {
          const indexRead = settingsOf(here, 'dynamodb:index:ReadCapacityUnits', g.IndexName);
          const indexWrite = settingsOf(here, 'dynamodb:index:WriteCapacityUnits', g.IndexName);
          return {
            IndexName: g.IndexName, IndexStatus: g.IndexStatus,
            ...(indexRead === undefined ? {} : { ProvisionedReadCapacityAutoScalingSettings: indexRead }),
            ...(indexWrite === undefined ? {} : { ProvisionedWriteCapacityAutoScalingSettings: indexWrite }),
          };
        }),
        ...(read === undefined ? {} : { ReplicaProvisionedReadCapacityAutoScalingSettings: read }),
        ...(write === undefined ? {} : { ReplicaProvisionedWriteCapacityAutoScalingSettings: write }),
      };
    }),
  };
}

/** When and for which account a change is made. */
type ChangeContext = Pick<RequestContext, 'now' | 'accountId'>;

/** One settings update applied to a replica this server holds: its target and policy set, or (disabled) removed. */
async function applySettings(engine: Engine, ctx: ChangeContext, replica: TableRecord, dimension: ScalableDimension, index: string | undefined, update: SettingsUpdate): Promise<void> {
  if (update.AutoScalingDisabled === true) {
    if (stateOf(replica).targets.some(sameTarget(dimension, index))) await deregisterTarget(engine, replica, dimension, index);
    return;
  }
  const policy = update.ScalingPolicyUpdate;
  if (policy === undefined || update.MinimumUnits === undefined || update.MaximumUnits === undefined) return; // checked before
  await registerTarget(engine, replica, { dimension, index, min: update.MinimumUnits, max: update.MaximumUnits, roleArn: update.AutoScalingRoleArn }, ctx.now, ctx.accountId);
  const config = policy.TargetTrackingScalingPolicyConfiguration;
  const metric = dimension.endsWith('ReadCapacityUnits') ? 'DynamoDBReadCapacityUtilization' : 'DynamoDBWriteCapacityUtilization';
  const resource = index === undefined ? `table/${replica.TableName}` : `table/${replica.TableName}/index/${index}`;
  await putPolicy(engine.tables.find(replica.region, replica.TableName) ?? replica, engine, {
    PolicyName: policy.PolicyName ?? `${metric}:${resource}`, ScalableDimension: dimension, ...(index === undefined ? {} : { index }),
    TargetValue: config.TargetValue, PredefinedMetricType: metric,
    ...(config.ScaleInCooldown === undefined ? {} : { ScaleInCooldown: config.ScaleInCooldown }),
    ...(config.ScaleOutCooldown === undefined ? {} : { ScaleOutCooldown: config.ScaleOutCooldown }),
    ...(config.DisableScaleIn === undefined ? {} : { DisableScaleIn: config.DisableScaleIn }),
  }, ctx.now);
}

export const describeTableReplicaAutoScaling = operation({
  name: 'DescribeTableReplicaAutoScaling',
  kind: 'control',
  members: members([['TableName', tableName({ notNull: true })]]),
  permissions: (input, ctx) => onTable('DescribeTableReplicaAutoScaling', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    return { body: { TableAutoScalingDescription: await autoScalingDescription(engine, globalTable(engine, ctx.region, input.TableName)) } };
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
    // Disabling auto scaling is all an on-demand table takes.
    const enabling = updates.filter((u): u is [string, SettingsUpdate] => u[1] !== undefined && u[1].AutoScalingDisabled !== true);
    const first = enabling[0];
    if (first !== undefined && table.BillingMode === 'PAY_PER_REQUEST') {
      const regions = [table.region, ...(table.replication?.Replicas ?? []).filter((r) => r.Witness !== true).map((r) => r.RegionName)].sort();
      throw new ValidationException(messages.replicaAutoScalingOnDemand(table.TableName, regions, first[0]));
    }
    for (const [, update] of enabling) {
      const missing = (['MaximumUnits', 'ScalingPolicyUpdate', 'MinimumUnits'] as const).filter((m) => update[m] === undefined);
      if (missing.length > 0) throw new ValidationException(messages.replicaAutoScalingRequired(table.TableName, missing));
    }
    if (table.BillingMode === 'PAY_PER_REQUEST') return { body: { TableAutoScalingDescription: await autoScalingDescription(engine, table) } };
    // Write settings go to every replica; a replica's read settings to that one — here, or at the peer holding it.
    const regions = [table.region, ...(table.replication?.Replicas ?? []).filter((r) => r.Witness !== true).map((r) => r.RegionName)];
    const held: TableRecord[] = [];
    for (const region of regions) {
      const replica = engine.tables.find(region, table.TableName);
      if (replica !== undefined) held.push(replica);
      else if (engine.globalTables.heldByPeer(region)) await engine.globalTables.settingsAt(region, table.TableName, { operation: 'UpdateTableReplicaAutoScaling', input: forRegion(input, region) });
    }
    await applyHeld(engine, ctx, held, input);
    const latest = engine.tables.find(ctx.region, table.TableName) ?? table;
    return { body: { TableAutoScalingDescription: await autoScalingDescription(engine, latest) } };
  },
});

/** Another server's UpdateTableReplicaAutoScaling (`body`: its members less TableName) applied to this server's replica in `region`. */
export async function applyReplicaAutoScaling(engine: Engine, region: string, table: string, body: Readonly<Record<string, unknown>>): Promise<void> {
  const input = updateTableReplicaAutoScaling.decode({ ...body, TableName: table });
  const replica = engine.tables.find(region, table);
  if (replica === undefined) return;
  await applyHeld(engine, { now: engine.options.clock.now(), accountId: replica.TableArn.split(':')[4] ?? '' }, [replica], input);
}

/** What of an update concerns the replica in `region`: the write settings, and its own read settings (less TableName). */
function forRegion(input: UpdateInput, region: string): Record<string, unknown> {
  const { TableName: _t, ReplicaUpdates, ...rest } = input;
  const own = (ReplicaUpdates ?? []).filter((r) => r.RegionName === region);
  return { ...rest, ...(own.length === 0 ? {} : { ReplicaUpdates: own }) };
}

/** Applies an update to the replicas this server holds (`held`): the write settings to each, a replica's read settings to that one. */
async function applyHeld(engine: Engine, ctx: ChangeContext, held: readonly TableRecord[], input: UpdateInput): Promise<void> {
  for (const replica of held) {
    if (input.ProvisionedWriteCapacityAutoScalingUpdate !== undefined) await applySettings(engine, ctx, replica, 'dynamodb:table:WriteCapacityUnits', undefined, input.ProvisionedWriteCapacityAutoScalingUpdate);
    for (const u of input.GlobalSecondaryIndexUpdates ?? []) {
      if (u.ProvisionedWriteCapacityAutoScalingUpdate !== undefined) await applySettings(engine, ctx, replica, 'dynamodb:index:WriteCapacityUnits', u.IndexName, u.ProvisionedWriteCapacityAutoScalingUpdate);
    }
  }
  for (const r of input.ReplicaUpdates ?? []) {
    const replica = held.find((h) => h.region === r.RegionName);
    if (replica === undefined) continue;
    if (r.ReplicaProvisionedReadCapacityAutoScalingUpdate !== undefined) await applySettings(engine, ctx, replica, 'dynamodb:table:ReadCapacityUnits', undefined, r.ReplicaProvisionedReadCapacityAutoScalingUpdate);
    for (const g of r.ReplicaGlobalSecondaryIndexUpdates ?? []) {
      if (g.ProvisionedReadCapacityAutoScalingUpdate !== undefined) await applySettings(engine, ctx, replica, 'dynamodb:index:ReadCapacityUnits', g.IndexName, g.ProvisionedReadCapacityAutoScalingUpdate);
    }
  }
}
