// StratusDB's own operations for `stratusdb deploy` (X-Amz-Target StratusDB_20261207.*, JSON 1.0,
// signed like DynamoDB's): triggers registered on a running server (they start at once and are kept
// in the catalog, so they survive a restart), and the record of what each stack's deployment made.
// AWS has no such API — on AWS, CloudFormation makes tables and Lambda's event source mappings — so
// the names are StratusDB's; IAM policies name them as `stratusdb:<Operation>`, on the function's and
// the stack's ARNs as Lambda and CloudFormation write them.
import { ResourceNotFoundException, ServiceUnavailable, ValidationException } from '../../errors/errors.js';
import type { StackRecord } from '../../engine/deployments.js';
import { operation, type RequestContext, type Services } from '../operation.js';
import type { TriggerControl } from '../../model/trigger-control.js';
import { list, map, members, str } from '../validate/shape.js';

const target = 'StratusDB_20261207';
/** Lambda's function names and CloudFormation's stack names: letters, digits, hyphens (and underscores for functions). */
const triggerName = () => str({ notNull: true, lengthMin: 1, lengthMax: 64, pattern: '[A-Za-z0-9_-]+' });
const stackName = () => str({ notNull: true, lengthMin: 1, lengthMax: 128, pattern: '[a-zA-Z][-a-zA-Z0-9]*' });

function functionArn(ctx: RequestContext, name: string): string {
  return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;
}

function stackArn(ctx: RequestContext, name: string): string {
  return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${name}/*`;
}

function control(services: Services): TriggerControl {
  if (services.triggers === undefined) throw new ServiceUnavailable('triggers are not running on this server yet');
  return services.triggers;
}

/** The definition's JSON text as an object, with its name checked against the request's. */
function definitionOf(text: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationException('Definition is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationException('Definition must be a JSON object');
  const definition = value as Record<string, unknown>;
  if (definition['name'] !== name) throw new ValidationException(`Definition's name must be the TriggerName (${name})`);
  return definition;
}

export const putTrigger = operation({
  name: 'PutTrigger',
  target,
  kind: 'control',
  members: members([['TriggerName', triggerName()], ['Definition', str({ notNull: true, lengthMin: 2, lengthMax: 65_536 })], ['StackName', str({ lengthMin: 1, lengthMax: 128 })]]),
  permissions: (input, ctx) => [{ action: 'stratusdb:PutTrigger', resource: functionArn(ctx, input.TriggerName) }],
  async execute(services, _ctx, input) {
    const definition = definitionOf(input.Definition, input.TriggerName);
    const answer = await control(services).put(definition, input.StackName);
    if ('refused' in answer) throw new ValidationException(answer.refused);
    return { body: { Outcome: answer.outcome } };
  },
});

export const deleteTrigger = operation({
  name: 'DeleteTrigger',
  target,
  kind: 'control',
  members: members([['TriggerName', triggerName()]]),
  permissions: (input, ctx) => [{ action: 'stratusdb:DeleteTrigger', resource: functionArn(ctx, input.TriggerName) }],
  async execute(services, _ctx, input) {
    if (!(await control(services).delete(input.TriggerName))) throw new ResourceNotFoundException(`Trigger not found: ${input.TriggerName}`);
    return { body: {} };
  },
});

export const listTriggers = operation({
  name: 'ListTriggers',
  target,
  kind: 'control',
  members: members([]),
  permissions: (_input, ctx) => [{ action: 'stratusdb:ListTriggers', resource: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:*` }],
  async execute(services) {
    const triggers = control(services).list().map((t) => ({
      TriggerName: t.name, Definition: t.definition, StackName: t.stack, State: t.state, LastProcessingResult: t.lastProcessingResult,
    }));
    return { body: { Triggers: triggers } };
  },
});

function describeStack(stack: StackRecord): Record<string, unknown> {
  return { StackName: stack.name, Source: stack.source, Tables: stack.tables, Triggers: stack.triggers, LastUpdatedTime: stack.updated / 1000 };
}

export const describeStackRecord = operation({
  name: 'DescribeStack',
  target,
  kind: 'control',
  members: members([['StackName', stackName()]]),
  permissions: (input, ctx) => [{ action: 'stratusdb:DescribeStack', resource: stackArn(ctx, input.StackName) }],
  async execute({ engine }, ctx, input) {
    const stack = engine.deployments.stack(ctx.region, input.StackName);
    if (stack === undefined) throw new ResourceNotFoundException(`Stack with id ${input.StackName} does not exist`);
    return { body: { Stack: describeStack(stack) } };
  },
});

export const putStackRecord = operation({
  name: 'PutStack',
  target,
  kind: 'control',
  members: members([
    ['StackName', stackName()], ['Source', str({ notNull: true, lengthMin: 1, lengthMax: 4096 })],
    ['Tables', map(str(), 'String', { notNull: true })], ['Triggers', list(str(), { notNull: true })],
  ]),
  permissions: (input, ctx) => [{ action: 'stratusdb:PutStack', resource: stackArn(ctx, input.StackName) }],
  async execute({ engine }, ctx, input) {
    await engine.deployments.putStack({ name: input.StackName, region: ctx.region, source: input.Source, tables: input.Tables, triggers: input.Triggers, updated: ctx.now });
    return { body: {} };
  },
});

export const deleteStackRecord = operation({
  name: 'DeleteStack',
  target,
  kind: 'control',
  members: members([['StackName', stackName()]]),
  permissions: (input, ctx) => [{ action: 'stratusdb:DeleteStack', resource: stackArn(ctx, input.StackName) }],
  async execute({ engine }, ctx, input) {
    if (!(await engine.deployments.deleteStack(ctx.region, input.StackName))) throw new ResourceNotFoundException(`Stack with id ${input.StackName} does not exist`);
    return { body: {} };
  },
});

/** The account the server's resources belong to (the ARNs and pseudo parameters a deployment makes). */
export const describeAccount = operation({
  name: 'DescribeAccount',
  target,
  kind: 'control',
  members: members([]),
  permissions: () => [{ action: 'stratusdb:DescribeAccount', resource: '*' }],
  execute: async (_services, ctx) => ({ body: { AccountId: ctx.accountId } }),
});

export const deploymentOperations = [describeAccount, putTrigger, deleteTrigger, listTriggers, describeStackRecord, putStackRecord, deleteStackRecord];
