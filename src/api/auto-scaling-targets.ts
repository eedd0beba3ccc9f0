// Scalable targets and target tracking policies as they are kept with a table, shared by Application
// Auto Scaling's operations and DynamoDB's UpdateTableReplicaAutoScaling (which sets them for a
// global table's replicas): registering (or changing) a target, which brings the capacity into its
// range; putting a policy; deregistering a target with its policies.
import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine.js';
import { AutoScalingError } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { AutoScalingState, ScalableDimension, ScalableTargetRecord, ScalingPolicyRecord, SuspendedState, TableRecord } from '../model/table.js';

export function stateOf(table: TableRecord): AutoScalingState {
  return table.autoScaling ?? { targets: [], policies: [], activities: [] };
}

export const sameTarget = (dim: ScalableDimension, index: string | undefined) => (t: { readonly ScalableDimension: ScalableDimension; readonly index?: string }): boolean =>
  t.ScalableDimension === dim && t.index === index;

export interface TargetChange {
  readonly dimension: ScalableDimension;
  readonly index?: string | undefined;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly roleArn?: string | undefined;
  readonly suspended?: Partial<SuspendedState> | undefined;
  /** Tags of a new target (an existing one keeps its own; TagResource changes them). */
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** Registers a target of `table` (or changes its range), with Application Auto Scaling's checks; the capacity is moved into the range. */
export async function registerTarget(engine: Engine, table: TableRecord, change: TargetChange, now: number, accountId: string): Promise<ScalableTargetRecord> {
  const { dimension, index } = change;
  const existing = stateOf(table).targets.find(sameTarget(dimension, index));
  const min = change.min ?? existing?.MinCapacity;
  const max = change.max ?? existing?.MaxCapacity;
  if (min === undefined || max === undefined) throw new AutoScalingError('ValidationException', messages.autoScalingRangeRequired);
  if (min < 1) throw new AutoScalingError('ValidationException', messages.autoScalingMinimum);
  if (max < min) throw new AutoScalingError('ValidationException', messages.autoScalingRange);
  const record: ScalableTargetRecord = {
    ScalableDimension: dimension, ...(index === undefined ? {} : { index }), MinCapacity: min, MaxCapacity: max,
    RoleARN: change.roleArn ?? existing?.RoleARN ?? `arn:aws:iam::${accountId}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`,
    CreationTime: existing?.CreationTime ?? now,
    SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false, ...existing?.SuspendedState, ...change.suspended },
    id: existing?.id ?? randomUUID().replaceAll('-', ''),
    ...(existing?.Tags !== undefined ? { Tags: existing.Tags } : change.tags !== undefined && Object.keys(change.tags).length > 0 ? { Tags: change.tags } : {}),
  };
  const updated = await engine.autoScaling.revise(table, (state) => ({ ...state, targets: [...state.targets.filter((t) => !sameTarget(dimension, index)(t)), record] }));
  await engine.autoScaling.intoRange(updated, record);
  return record;
}

/** Puts (or replaces) a target tracking policy; its target must be registered. */
export async function putPolicy(table: TableRecord, engine: Engine, policy: Omit<ScalingPolicyRecord, 'CreationTime' | 'id'>, now: number): Promise<ScalingPolicyRecord> {
  const matches = (p: ScalingPolicyRecord): boolean => p.PolicyName === policy.PolicyName && sameTarget(policy.ScalableDimension, policy.index)(p);
  const existing = stateOf(table).policies.find(matches);
  const record: ScalingPolicyRecord = { ...policy, CreationTime: existing?.CreationTime ?? now, id: existing?.id ?? randomUUID() };
  await engine.autoScaling.revise(table, (state) => ({ ...state, policies: [...state.policies.filter((p) => !matches(p)), record] }));
  return record;
}

/** Removes a target and its policies. */
export async function deregisterTarget(engine: Engine, table: TableRecord, dimension: ScalableDimension, index: string | undefined): Promise<void> {
  const other = (t: { readonly ScalableDimension: ScalableDimension; readonly index?: string }): boolean => !sameTarget(dimension, index)(t);
  await engine.autoScaling.revise(table, (state) => ({ ...state, targets: state.targets.filter(other), policies: state.policies.filter(other) }));
}
