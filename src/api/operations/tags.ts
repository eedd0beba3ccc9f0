// TagResource, UntagResource, ListTagsOfResource: tables are addressed by ARN, checked in
// DynamoDB's order (missing ARN, foreign ARN, shape, table).
import type { TableRecord, Tag } from '../../model/table.js';
import type { Engine } from '../../engine/engine.js';
import { operation, type RequestContext } from '../operation.js';
import { AccessDeniedException, ResourceNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { checkTypes } from '../validate/check-types.js';
import { checkConstraints } from '../validate/check-constraints.js';
import { tags } from '../validate/common-shapes.js';
import { isArn, list, members, str, type InputOfMembers, type Members } from '../validate/shape.js';
import { checkTagKeys, checkTags } from './tag-rules.js';
import { arnParts, sameNamespace, type ArnParts } from '../validate/table-arn.js';

/**
 * The ARN's own form, checked before the other members: missing, not an ARN, not DynamoDB's.
 * (AWS, recorded in 2026: "ARNs must start with 'arn:'"; another service's ARN is denied.)
 */
function checkArn(ctx: RequestContext, action: string, arn: string | undefined): { arn: string; parts: ArnParts } {
  if (arn === undefined) throw new ValidationException(messages.invalidTableArn);
  if (!isArn(arn)) throw new ValidationException(messages.arnPrefix(arn));
  const parts = arnParts(arn);
  if (parts === undefined || parts.service !== 'dynamodb') throw new AccessDeniedException(messages.notAuthorized(ctx.accountId, action, arn));
  return { arn, parts };
}

/** The table the ARN names, in AWS's order: the kind of resource, the account, the region, the table. */
function findByArn(engine: Engine, ctx: RequestContext, arn: string, parts: ArnParts): TableRecord {
  const [type, name, sub] = parts.resource.split('/');
  if (type !== 'table' || name === undefined || name === '' || (sub !== undefined && sub !== 'index' && sub !== 'stream')) {
    throw new ValidationException(messages.notDynamoDbResourceArn(arn));
  }
  if (sub === 'index') throw new ValidationException(messages.onlyTableOrStreamArn(arn));
  if (parts.account !== ctx.accountId) throw new AccessDeniedException(messages.accessIsDenied);
  if (!sameNamespace(engine.tables, parts.region, ctx)) throw new ValidationException(messages.invalidResourceArn(arn));
  // A stream carries no tags of its own: AWS answers its ARN as not found.
  const table = sub === undefined ? engine.tables.find(ctx.region, name) : undefined;
  if (table === undefined || table.TableArn !== arn) throw new ResourceNotFoundException(messages.resourceArnNotFound(arn));
  return table;
}

/** Changes the tags of the table the ARN names, on its latest record (the same table, not one created since). */
async function reviseByArn(engine: Engine, ctx: RequestContext, table: TableRecord, arn: string, change: (latest: TableRecord) => TableRecord): Promise<void> {
  const gone = () => new ResourceNotFoundException(messages.resourceArnNotFound(arn));
  await engine.tables.revise(ctx.region, table.TableName, (latest) => {
    if (latest.TableArn !== arn || latest.id !== table.id) throw gone();
    return change(latest);
  }, gone);
}

/** Only the JSON types are checked before the ARN (the rest in DynamoDB's order, in execute). */
const typesOnly = <const M extends Members>(m: M) => (body: unknown) => checkTypes(body, m) as InputOfMembers<M>;

const tagShape = members([['ResourceArn', str()], ['Tags', tags]]);
const untagShape = members([['ResourceArn', str()], ['TagKeys', list(str())]]);
const listShape = members([['ResourceArn', str()], ['NextToken', str()]]);

export const tagResource = operation({
  name: 'TagResource',
  kind: 'control',
  members: tagShape,
  decode: typesOnly(tagShape),
  permissions: (input) => [{ action: 'dynamodb:TagResource', resource: input.ResourceArn ?? '*' }],
  async execute({ engine }, ctx, input) {
    const { arn, parts } = checkArn(ctx, 'TagResource', input.ResourceArn);
    if (input.Tags === undefined) throw new ValidationException(messages.validationErrors([messages.constraint('null', 'tags', messages.notNull)]));
    checkConstraints(input, tagShape);
    const table = findByArn(engine, ctx, arn, parts);
    if (input.Tags.length === 0) throw new ValidationException(messages.atLeastOneTag);
    const requested = input.Tags;
    await reviseByArn(engine, ctx, table, arn, (latest) => {
      const merged = new Map<string, Tag>(latest.Tags.map((t) => [t.Key, t]));
      for (const tag of checkTags(requested, latest.Tags)) merged.set(tag.Key, tag);
      return { ...latest, Tags: [...merged.values()] };
    });
    return { body: {} };
  },
});

export const untagResource = operation({
  name: 'UntagResource',
  kind: 'control',
  members: untagShape,
  decode: typesOnly(untagShape),
  permissions: (input) => [{ action: 'dynamodb:UntagResource', resource: input.ResourceArn ?? '*' }],
  async execute({ engine }, ctx, input) {
    const { arn, parts } = checkArn(ctx, 'UntagResource', input.ResourceArn);
    if (input.TagKeys === undefined) throw new ValidationException(messages.validationErrors([messages.constraint('null', 'tagKeys', messages.notNull)]));
    checkConstraints(input, untagShape);
    const table = findByArn(engine, ctx, arn, parts);
    if (input.TagKeys.length === 0) throw new ValidationException(messages.atLeastOneTagKey);
    checkTagKeys(input.TagKeys);
    const removed = new Set(input.TagKeys);
    await reviseByArn(engine, ctx, table, arn, (latest) => ({ ...latest, Tags: latest.Tags.filter((t) => !removed.has(t.Key)) }));
    return { body: {} };
  },
});

export const listTagsOfResource = operation({
  name: 'ListTagsOfResource',
  kind: 'control',
  members: listShape,
  decode: typesOnly(listShape),
  permissions: (input) => [{ action: 'dynamodb:ListTagsOfResource', resource: input.ResourceArn ?? '*' }],
  async execute({ engine }, ctx, input) {
    const { arn, parts } = checkArn(ctx, 'ListTagsOfResource', input.ResourceArn);
    return { body: { Tags: findByArn(engine, ctx, arn, parts).Tags } };
  },
});
