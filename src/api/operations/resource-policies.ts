// Resource-based policies of tables and streams: PutResourcePolicy (a document of at most 20 KB, its
// revision id the same for the same document; ExpectedRevisionId — NO_POLICY for none — makes the
// change conditional; ConfirmRemoveSelfResourceAccess to put one that denies its author
// PutResourcePolicy), GetResourcePolicy and DeleteResourcePolicy. A table's policy and its stream's
// are separate slots. Each change is one catalog transaction on the table's latest record; --auth iam
// evaluates the policies with the caller's own (pipeline/authorize.ts).
import type { Engine } from '../../engine/engine.js';
import { PolicyNotFoundException, ResourceNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { evaluate } from '../../iam/evaluate.js';
import { parsePolicy } from '../../iam/policy.js';
import type { ResourcePolicyState, TableRecord } from '../../model/table.js';
import { operation, type RequestContext } from '../operation.js';
import { streamArn } from '../table-description.js';
import { arnParts, sameNamespace } from '../validate/table-arn.js';
import { bool, members, str } from '../validate/shape.js';

const policyBytesMax = 20_480;

/** The table an ARN names (the table's or its stream's), found as AWS looks for it. */
function resourceOf(engine: Engine, ctx: RequestContext, arn: string): TableRecord {
  const parts = arnParts(arn);
  const [type, name, sub] = parts?.resource.split('/') ?? [];
  if (parts === undefined || parts.service !== 'dynamodb' || type !== 'table' || name === undefined || name === '' || (sub !== undefined && sub !== 'stream')) {
    throw new ValidationException(messages.notDynamoDbResourceArn(arn));
  }
  const table = parts.account === ctx.accountId && sameNamespace(engine.tables, parts.region, ctx) ? engine.tables.find(ctx.region, name) : undefined;
  if (table === undefined) throw new ResourceNotFoundException(messages.tableNotFound(name));
  if (sub === undefined ? table.TableArn !== arn : streamArn(table) !== arn) throw new PolicyNotFoundException(messages.policyNotFound(arn));
  return table;
}

/** Changes one policy slot on the table's latest record; `decide` sees the slot's policy as stored. */
async function change(engine: Engine, ctx: RequestContext, arn: string, decide: (current: ResourcePolicyState | undefined, table: TableRecord) => ResourcePolicyState | undefined): Promise<void> {
  const table = resourceOf(engine, ctx, arn);
  await engine.tables.revise(ctx.region, table.TableName, (latest) => {
    if (latest.id !== table.id) throw new ResourceNotFoundException(messages.tableNotFound(table.TableName));
    const policies = { ...latest.resourcePolicies };
    const next = decide(policies[arn], latest);
    if (next === undefined) delete policies[arn];
    else policies[arn] = next;
    return { ...latest, resourcePolicies: policies };
  }, () => new ResourceNotFoundException(messages.tableNotFound(table.TableName)));
}

/** ExpectedRevisionId against the slot's policy: NO_POLICY wants none; an id wants that one. */
function checkRevision(expected: string | undefined, current: ResourcePolicyState | undefined, table: TableRecord, arn: string): void {
  if (expected === undefined) return;
  if (expected === 'NO_POLICY') {
    if (current !== undefined) throw new PolicyNotFoundException(messages.policyExpectedNone(table.TableName, current.revisionId));
    return;
  }
  if (current === undefined) throw new PolicyNotFoundException(messages.policyNotFound(arn));
  if (current.revisionId !== expected) throw new PolicyNotFoundException(messages.policyRevisionMismatch(expected, table.TableName, current.revisionId));
}

export const putResourcePolicy = operation({
  name: 'PutResourcePolicy',
  kind: 'control',
  members: members([['ResourceArn', str({ notNull: true, lengthMin: 1, lengthMax: 1283 })], ['Policy', str({ notNull: true })], ['ExpectedRevisionId', str({ lengthMin: 1, lengthMax: 255 })], ['ConfirmRemoveSelfResourceAccess', bool()]]),
  permissions: (input) => [{ action: 'dynamodb:PutResourcePolicy', resource: input.ResourceArn }],
  async execute({ engine }, ctx, input) {
    const bytes = Buffer.byteLength(input.Policy, 'utf8');
    if (bytes > policyBytesMax) throw new ValidationException(messages.policyTooLarge(bytes));
    let policy;
    try {
      policy = parsePolicy(input.Policy, 'resource');
    } catch (error) {
      throw new ValidationException(messages.policyMalformed((error as Error).message));
    }
    // A policy that would deny its author further changes needs saying so.
    const caller = ctx.caller;
    if (caller !== undefined && input.ConfirmRemoveSelfResourceAccess !== true) {
      const denied = evaluate([policy], { action: 'dynamodb:PutResourcePolicy', resource: input.ResourceArn, principal: caller.arn, keys: new Map() }) === 'deny';
      if (denied) throw new ValidationException(messages.policyLocksOut('dynamodb:PutResourcePolicy'));
    }
    let revisionId = '';
    await change(engine, ctx, input.ResourceArn, (current, table) => {
      checkRevision(input.ExpectedRevisionId, current, table, input.ResourceArn);
      // The same document keeps its revision; a new one gets a later one.
      if (current?.document === input.Policy) {
        revisionId = current.revisionId;
        return current;
      }
      revisionId = String(Math.max(ctx.now, Number(current?.revisionId ?? 0) + 1));
      return { document: input.Policy, revisionId };
    });
    return { body: { RevisionId: revisionId } };
  },
});

export const getResourcePolicy = operation({
  name: 'GetResourcePolicy',
  kind: 'control',
  members: members([['ResourceArn', str({ notNull: true, lengthMin: 1, lengthMax: 1283 })]]),
  permissions: (input) => [{ action: 'dynamodb:GetResourcePolicy', resource: input.ResourceArn }],
  async execute({ engine }, ctx, input) {
    const table = resourceOf(engine, ctx, input.ResourceArn);
    const policy = table.resourcePolicies?.[input.ResourceArn];
    if (policy === undefined) throw new PolicyNotFoundException(messages.policyNotFound(input.ResourceArn));
    return { body: { Policy: policy.document, RevisionId: policy.revisionId } };
  },
});

export const deleteResourcePolicy = operation({
  name: 'DeleteResourcePolicy',
  kind: 'control',
  members: members([['ResourceArn', str({ notNull: true, lengthMin: 1, lengthMax: 1283 })], ['ExpectedRevisionId', str({ lengthMin: 1, lengthMax: 255 })]]),
  permissions: (input) => [{ action: 'dynamodb:DeleteResourcePolicy', resource: input.ResourceArn }],
  async execute({ engine }, ctx, input) {
    let revisionId = '';
    await change(engine, ctx, input.ResourceArn, (current, table) => {
      if (current === undefined) throw new PolicyNotFoundException(messages.policyNotFound(input.ResourceArn));
      checkRevision(input.ExpectedRevisionId, current, table, input.ResourceArn);
      revisionId = current.revisionId;
      return undefined;
    });
    return { body: { RevisionId: revisionId } };
  },
});
