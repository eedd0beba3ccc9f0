// Application Auto Scaling for DynamoDB, on the same endpoint (X-Amz-Target AnyScaleFrontendService.*,
// as `aws application-autoscaling` and the SDKs send it): RegisterScalableTarget,
// DescribeScalableTargets, DeregisterScalableTarget, PutScalingPolicy (target tracking on
// DynamoDBRead/WriteCapacityUtilization), DescribeScalingPolicies, DeleteScalingPolicy and
// DescribeScalingActivities. Targets and policies are kept with their table; engine/auto-scaling.ts
// makes the changes. Other services' namespaces and other policy types are refused.
import type { Engine } from '../../engine/engine.js';
import { AutoScalingError } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { AutoScalingState, ScalableDimension, ScalableTargetRecord, ScalingPolicyRecord, TableRecord } from '../../model/table.js';
import { operation, type RequestContext } from '../operation.js';
import { deregisterTarget, putPolicy, registerTarget, sameTarget, stateOf } from '../auto-scaling-targets.js';
import { bool, double, integer, list, map, members, str, struct } from '../validate/shape.js';

const dimensions: readonly ScalableDimension[] = ['dynamodb:table:ReadCapacityUnits', 'dynamodb:table:WriteCapacityUnits', 'dynamodb:index:ReadCapacityUnits', 'dynamodb:index:WriteCapacityUnits'];
const namespace = str({ notNull: true });
const resourceId = str({ notNull: true, lengthMin: 1, lengthMax: 1600 });
const dimension = str({ notNull: true });
const javaTagMap = 'java.util.Map<java.lang.String,java.lang.String>';
const tagMap = map(str({ lengthMax: 256 }), javaTagMap, { keyLengthMin: 1, keyLengthMax: 128 });
const requiredTagMap = map(str({ lengthMax: 256 }), javaTagMap, { notNull: true, keyLengthMin: 1, keyLengthMax: 128 });
const suspendedState = struct('SuspendedState', [['DynamicScalingInSuspended', bool()], ['DynamicScalingOutSuspended', bool()], ['ScheduledScalingSuspended', bool()]]);
/** Application Auto Scaling's pages: 50 by default and at most. */
const pageMax = 50;

/** Which table (and GSI) a resource id names, checked with its dimension as Application Auto Scaling checks them. */
function targetOf(
  engine: Engine, ctx: RequestContext, serviceNamespace: string, id: string, scalable: string,
  missing: () => AutoScalingError = () => new AutoScalingError('ValidationException', messages.autoScalingNoResource(id)),
): { table: TableRecord; dimension: ScalableDimension; index?: string } {
  const match = /^table\/([^/]+)(?:\/index\/([^/]+))?$/.exec(id);
  const dim = dimensions.find((d) => d === scalable);
  if (serviceNamespace !== 'dynamodb' || match === null || dim === undefined || (match[2] === undefined) !== dim.startsWith('dynamodb:table:')) {
    throw new AutoScalingError('ValidationException', messages.autoScalingUnsupported);
  }
  const table = engine.tables.find(ctx.region, match[1] as string);
  const index = match[2];
  if (table === undefined || (index !== undefined && !table.GlobalSecondaryIndexes.some((g) => g.IndexName === index))) throw missing();
  return { table, dimension: dim, ...(index === undefined ? {} : { index }) };
}

function resourceIdOf(table: string, index: string | undefined): string {
  return index === undefined ? `table/${table}` : `table/${table}/index/${index}`;
}

/** Every table's targets (or policies, activities) in the region, with their table, filtered by resource ids and dimension. */
function each<T extends { readonly ScalableDimension: ScalableDimension; readonly index?: string }>(
  engine: Engine, ctx: RequestContext, pick: (state: AutoScalingState) => readonly T[], ids: readonly string[] | undefined, dim: string | undefined,
): { table: TableRecord; entry: T }[] {
  const out: { table: TableRecord; entry: T }[] = [];
  for (const name of engine.tables.names(ctx.region)) {
    const table = engine.tables.find(ctx.region, name);
    if (table?.autoScaling === undefined) continue;
    for (const entry of pick(table.autoScaling)) {
      if (dim !== undefined && entry.ScalableDimension !== dim) continue;
      if (ids !== undefined && ids.length > 0 && !ids.includes(resourceIdOf(table.TableName, entry.index))) continue;
      out.push({ table, entry });
    }
  }
  return out;
}

/** A page of `all` after NextToken (an offset, as StratusDB writes it). */
function page<T>(all: readonly T[], maxResults: number | undefined, token: string | undefined): { items: T[]; next?: string } {
  const start = token === undefined ? 0 : Number(token);
  if (!Number.isSafeInteger(start) || start < 0) throw new AutoScalingError('InvalidNextTokenException', messages.autoScalingBadToken);
  const size = Math.min(maxResults ?? pageMax, pageMax);
  const items = all.slice(start, start + size);
  return { items, ...(start + size < all.length ? { next: String(start + size) } : {}) };
}

const arnPrefix = (ctx: RequestContext): string => `arn:aws:application-autoscaling:${ctx.region}:${ctx.accountId}`;
const seconds = (ms: number): number => ms / 1000;

const targetKey = members([['ServiceNamespace', namespace], ['ResourceId', resourceId], ['ScalableDimension', dimension]]);
const permissions = (action: string) => () => [{ action: `application-autoscaling:${action}`, resource: '*' }];

export const registerScalableTarget = operation({
  name: 'RegisterScalableTarget',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([...targetKey, ['MinCapacity', integer()], ['MaxCapacity', integer()], ['RoleARN', str({ lengthMin: 1, lengthMax: 1600 })], ['SuspendedState', suspendedState], ['Tags', tagMap]]),
  permissions: permissions('RegisterScalableTarget'),
  async execute({ engine }, ctx, input) {
    const { table, dimension, index } = targetOf(engine, ctx, input.ServiceNamespace, input.ResourceId, input.ScalableDimension);
    const record = await registerTarget(engine, table, { dimension, index, min: input.MinCapacity, max: input.MaxCapacity, roleArn: input.RoleARN, suspended: input.SuspendedState, tags: input.Tags }, ctx.now, ctx.accountId);
    return { body: { ScalableTargetARN: `${arnPrefix(ctx)}:scalable-target/${record.id}` } };
  },
});

export const describeScalableTargets = operation({
  name: 'DescribeScalableTargets',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([['ServiceNamespace', namespace], ['ResourceIds', list(str())], ['ScalableDimension', str()], ['MaxResults', integer({ min: 1 })], ['NextToken', str()]]),
  permissions: permissions('DescribeScalableTargets'),
  async execute({ engine }, ctx, input) {
    if (input.ServiceNamespace !== 'dynamodb') return { body: { ScalableTargets: [] } };
    const all = each(engine, ctx, (s) => s.targets, input.ResourceIds, input.ScalableDimension);
    const { items, next } = page(all, input.MaxResults, input.NextToken);
    return {
      body: {
        ScalableTargets: items.map(({ table, entry }) => ({
          ServiceNamespace: 'dynamodb', ResourceId: resourceIdOf(table.TableName, entry.index), ScalableDimension: entry.ScalableDimension,
          MinCapacity: entry.MinCapacity, MaxCapacity: entry.MaxCapacity, RoleARN: entry.RoleARN, CreationTime: seconds(entry.CreationTime),
          SuspendedState: entry.SuspendedState, ScalableTargetARN: `${arnPrefix(ctx)}:scalable-target/${entry.id}`,
        })),
        NextToken: next,
      },
    };
  },
});

export const deregisterScalableTarget = operation({
  name: 'DeregisterScalableTarget',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: targetKey,
  permissions: permissions('DeregisterScalableTarget'),
  async execute({ engine }, ctx, input) {
    const found = registered(engine, ctx, input.ServiceNamespace, input.ResourceId, input.ScalableDimension);
    // Its policies go with it.
    await deregisterTarget(engine, found.table, found.dimension, found.index);
    return { body: {} };
  },
});

/** A registered target, or Application Auto Scaling's ObjectNotFoundException. */
function registered(engine: Engine, ctx: RequestContext, serviceNamespace: string, id: string, scalable: string): { table: TableRecord; dimension: ScalableDimension; index?: string; target: ScalableTargetRecord } {
  const notFound = (): AutoScalingError => new AutoScalingError('ObjectNotFoundException', messages.autoScalingNoTarget(serviceNamespace, id, scalable));
  // A well-formed id whose table is gone has no target either.
  const found = targetOf(engine, ctx, serviceNamespace, id, scalable, notFound);
  const target = stateOf(found.table).targets.find(sameTarget(found.dimension, found.index));
  if (target === undefined) throw notFound();
  return { ...found, target };
}

const metricFor: Readonly<Record<string, ScalingPolicyRecord['PredefinedMetricType']>> = { ReadCapacityUnits: 'DynamoDBReadCapacityUtilization', WriteCapacityUnits: 'DynamoDBWriteCapacityUtilization' };

export const putScalingPolicy = operation({
  name: 'PutScalingPolicy',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([
    ['PolicyName', str({ notNull: true, lengthMin: 1, lengthMax: 256 })], ...targetKey, ['PolicyType', str()],
    ['StepScalingPolicyConfiguration', struct('StepScalingPolicyConfiguration', [])],
    ['TargetTrackingScalingPolicyConfiguration', struct('TargetTrackingScalingPolicyConfiguration', [
      ['TargetValue', double({ notNull: true })],
      ['PredefinedMetricSpecification', struct('PredefinedMetricSpecification', [['PredefinedMetricType', str({ notNull: true })], ['ResourceLabel', str()]])],
      ['CustomizedMetricSpecification', struct('CustomizedMetricSpecification', [])],
      ['ScaleOutCooldown', integer()], ['ScaleInCooldown', integer()], ['DisableScaleIn', bool()],
    ])],
  ]),
  permissions: permissions('PutScalingPolicy'),
  async execute({ engine }, ctx, input) {
    const found = registered(engine, ctx, input.ServiceNamespace, input.ResourceId, input.ScalableDimension);
    const config = input.TargetTrackingScalingPolicyConfiguration;
    if ((input.PolicyType ?? 'StepScaling') !== 'TargetTrackingScaling' || config === undefined) throw new AutoScalingError('ValidationException', messages.autoScalingPolicyType);
    const metric = config.PredefinedMetricSpecification?.PredefinedMetricType;
    const expected = metricFor[found.dimension.split(':')[2] as string];
    if (metric !== expected) throw new AutoScalingError('ValidationException', messages.autoScalingMetric(found.dimension, expected as string));
    if (config.TargetValue < 10 || config.TargetValue > 90) throw new AutoScalingError('ValidationException', messages.autoScalingTargetValue(expected as string, config.TargetValue));
    const policy = await putPolicy(found.table, engine, {
      PolicyName: input.PolicyName, ScalableDimension: found.dimension, ...(found.index === undefined ? {} : { index: found.index }),
      TargetValue: config.TargetValue, PredefinedMetricType: expected as ScalingPolicyRecord['PredefinedMetricType'],
      ...(config.ScaleInCooldown === undefined ? {} : { ScaleInCooldown: config.ScaleInCooldown }),
      ...(config.ScaleOutCooldown === undefined ? {} : { ScaleOutCooldown: config.ScaleOutCooldown }),
      ...(config.DisableScaleIn === undefined ? {} : { DisableScaleIn: config.DisableScaleIn }),
    }, ctx.now);
    return { body: { PolicyARN: policyArn(ctx, found.table.TableName, policy), Alarms: alarmsOf(ctx, found.table.TableName, policy) } };
  },
});

function policyArn(ctx: RequestContext, table: string, policy: ScalingPolicyRecord): string {
  return `${arnPrefix(ctx)}:scalingPolicy:${policy.id}:resource/dynamodb/${resourceIdOf(table, policy.index)}:policyName/${policy.PolicyName}`;
}

/** The two CloudWatch alarms a target tracking policy comes with (named as AWS names them; not served as alarms). */
function alarmsOf(ctx: RequestContext, table: string, policy: ScalingPolicyRecord): { AlarmName: string; AlarmARN: string }[] {
  return ['AlarmHigh', 'AlarmLow'].map((kind) => {
    const name = `TargetTracking-${resourceIdOf(table, policy.index)}-${kind}-${policy.id}`;
    return { AlarmName: name, AlarmARN: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}` };
  });
}

export const describeScalingPolicies = operation({
  name: 'DescribeScalingPolicies',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([['PolicyNames', list(str())], ['ServiceNamespace', namespace], ['ResourceId', str()], ['ScalableDimension', str()], ['MaxResults', integer({ min: 1 })], ['NextToken', str()]]),
  permissions: permissions('DescribeScalingPolicies'),
  async execute({ engine }, ctx, input) {
    if (input.ServiceNamespace !== 'dynamodb') return { body: { ScalingPolicies: [] } };
    const all = each(engine, ctx, (s) => s.policies, input.ResourceId === undefined ? undefined : [input.ResourceId], input.ScalableDimension)
      .filter(({ entry }) => input.PolicyNames === undefined || input.PolicyNames.length === 0 || input.PolicyNames.includes(entry.PolicyName));
    const { items, next } = page(all, input.MaxResults, input.NextToken);
    return {
      body: {
        ScalingPolicies: items.map(({ table, entry }) => ({
          PolicyARN: policyArn(ctx, table.TableName, entry), PolicyName: entry.PolicyName, ServiceNamespace: 'dynamodb',
          ResourceId: resourceIdOf(table.TableName, entry.index), ScalableDimension: entry.ScalableDimension, PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: entry.TargetValue, PredefinedMetricSpecification: { PredefinedMetricType: entry.PredefinedMetricType },
            ...(entry.ScaleOutCooldown === undefined ? {} : { ScaleOutCooldown: entry.ScaleOutCooldown }),
            ...(entry.ScaleInCooldown === undefined ? {} : { ScaleInCooldown: entry.ScaleInCooldown }),
            ...(entry.DisableScaleIn === undefined ? {} : { DisableScaleIn: entry.DisableScaleIn }),
          },
          Alarms: alarmsOf(ctx, table.TableName, entry), CreationTime: seconds(entry.CreationTime),
        })),
        NextToken: next,
      },
    };
  },
});

export const deleteScalingPolicy = operation({
  name: 'DeleteScalingPolicy',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([['PolicyName', str({ notNull: true, lengthMin: 1, lengthMax: 256 })], ...targetKey]),
  permissions: permissions('DeleteScalingPolicy'),
  async execute({ engine }, ctx, input) {
    const notFound = (): AutoScalingError => new AutoScalingError('ObjectNotFoundException', messages.autoScalingNoPolicy(input.ServiceNamespace, input.ResourceId, input.ScalableDimension, input.PolicyName));
    const found = (() => {
      try {
        return registered(engine, ctx, input.ServiceNamespace, input.ResourceId, input.ScalableDimension);
      } catch (error) {
        if (error instanceof AutoScalingError && error.name === 'ObjectNotFoundException') throw notFound();
        throw error;
      }
    })();
    const matches = (p: ScalingPolicyRecord): boolean => p.PolicyName === input.PolicyName && sameTarget(found.dimension, found.index)(p);
    if (!stateOf(found.table).policies.some(matches)) throw notFound();
    await engine.autoScaling.revise(found.table, (state) => ({ ...state, policies: state.policies.filter((p) => !matches(p)) }));
    return { body: {} };
  },
});

export const describeScalingActivities = operation({
  name: 'DescribeScalingActivities',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([['ServiceNamespace', namespace], ['ResourceId', str()], ['ScalableDimension', str()], ['MaxResults', integer({ min: 1 })], ['NextToken', str()], ['IncludeNotScaledActivities', bool()]]),
  permissions: permissions('DescribeScalingActivities'),
  async execute({ engine }, ctx, input) {
    if (input.ServiceNamespace !== 'dynamodb') return { body: { ScalingActivities: [] } };
    const all = each(engine, ctx, (s) => s.activities, input.ResourceId === undefined ? undefined : [input.ResourceId], input.ScalableDimension)
      .sort((a, b) => b.entry.StartTime - a.entry.StartTime);
    const { items, next } = page(all, input.MaxResults, input.NextToken);
    return {
      body: {
        ScalingActivities: items.map(({ table, entry }) => ({
          ActivityId: entry.ActivityId, ServiceNamespace: 'dynamodb', ResourceId: resourceIdOf(table.TableName, entry.index), ScalableDimension: entry.ScalableDimension,
          Description: entry.Description, Cause: entry.Cause, StartTime: seconds(entry.StartTime), EndTime: seconds(entry.EndTime),
          StatusCode: entry.StatusCode, StatusMessage: entry.StatusMessage,
        })),
        NextToken: next,
      },
    };
  },
});

/** Tags of a scalable target: keys of 1 to 128 characters, values up to 256, at most 50 of them. */
const tagsMax = 50;

/** The scalable target an ARN names, with its table. */
function targetByArn(engine: Engine, ctx: RequestContext, arn: string): { table: TableRecord; target: ScalableTargetRecord } {
  const id = arn.startsWith(`${arnPrefix(ctx)}:scalable-target/`) ? arn.slice(`${arnPrefix(ctx)}:scalable-target/`.length) : undefined;
  const found = id === undefined ? undefined : each(engine, ctx, (s) => s.targets, undefined, undefined).find(({ entry }) => entry.id === id);
  if (found === undefined) throw new AutoScalingError('ResourceNotFoundException', messages.autoScalingNoArn(arn));
  return { table: found.table, target: found.entry };
}

/** Replaces a target's tags (kept with its table). */
async function retag(engine: Engine, table: TableRecord, target: ScalableTargetRecord, tags: Readonly<Record<string, string>>): Promise<void> {
  if (Object.keys(tags).length > tagsMax) throw new AutoScalingError('TooManyTagsException', messages.autoScalingTooManyTags);
  const { Tags: _old, ...rest } = target;
  const next: ScalableTargetRecord = Object.keys(tags).length === 0 ? rest : { ...rest, Tags: tags };
  await engine.autoScaling.revise(table, (state) => ({ ...state, targets: state.targets.map((t) => (t.id === target.id ? next : t)) }));
}

const resourceArn = str({ notNull: true, lengthMin: 1, lengthMax: 1011 });

export const listTagsForResource = operation({
  name: 'ListTagsForResource',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([['ResourceARN', resourceArn]]),
  permissions: permissions('ListTagsForResource'),
  async execute({ engine }, ctx, input) {
    return { body: { Tags: targetByArn(engine, ctx, input.ResourceARN).target.Tags ?? {} } };
  },
});

export const tagResource = operation({
  name: 'TagResource',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([['ResourceARN', resourceArn], ['Tags', requiredTagMap]]),
  permissions: permissions('TagResource'),
  async execute({ engine }, ctx, input) {
    const { table, target } = targetByArn(engine, ctx, input.ResourceARN);
    await retag(engine, table, target, { ...target.Tags, ...input.Tags });
    return { body: {} };
  },
});

export const untagResource = operation({
  name: 'UntagResource',
  target: 'AnyScaleFrontendService',
  kind: 'control',
  members: members([['ResourceARN', resourceArn], ['TagKeys', list(str({ lengthMin: 1, lengthMax: 128 }), { notNull: true })]]),
  permissions: permissions('UntagResource'),
  async execute({ engine }, ctx, input) {
    const { table, target } = targetByArn(engine, ctx, input.ResourceARN);
    const kept = Object.fromEntries(Object.entries(target.Tags ?? {}).filter(([key]) => !input.TagKeys.includes(key)));
    await retag(engine, table, target, kept);
    return { body: {} };
  },
});
