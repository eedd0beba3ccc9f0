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
import { list, members, str, type InputOfMembers, type Members } from '../validate/shape.js';
import { checkTags } from './tag-rules.js';

const anyArnPattern = /^.+:.+:.+:.+:.+:.+\/.+$/;
const tableArnPattern = /^arn:aws:dynamodb:.+:\d+:table\/[^/]{2}[^/]+$/;

function checkArn(ctx: RequestContext, action: string, arn: string | undefined): string {
  if (arn === undefined) throw new ValidationException(messages.invalidTableArn);
  if (!anyArnPattern.test(arn)) throw new AccessDeniedException(messages.notAuthorized(ctx.accountId, action, arn));
  return arn;
}

function findByArn(engine: Engine, ctx: RequestContext, arn: string): TableRecord {
  if (!tableArnPattern.test(arn)) throw new ValidationException(messages.invalidResourceArn(arn));
  const name = arn.slice(arn.indexOf(':table/') + ':table/'.length);
  const table = engine.tables.find(ctx.region, name);
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
    const arn = checkArn(ctx, 'TagResource', input.ResourceArn);
    if (input.Tags === undefined) throw new ValidationException(messages.validationErrors([messages.constraint('null', 'tags', messages.notNull)]));
    checkConstraints(input, tagShape);
    const table = findByArn(engine, ctx, arn);
    if (input.Tags.length === 0) throw new ValidationException(messages.atLeastOneTag);
    const requested: readonly Tag[] = input.Tags;
    await reviseByArn(engine, ctx, table, arn, (latest) => {
      checkTags(requested, latest.Tags);
      const merged = new Map<string, Tag>(latest.Tags.map((t) => [t.Key, t]));
      for (const tag of requested) merged.set(tag.Key, { Key: tag.Key, Value: tag.Value });
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
    const arn = checkArn(ctx, 'UntagResource', input.ResourceArn);
    if (input.TagKeys === undefined) throw new ValidationException(messages.validationErrors([messages.constraint('null', 'tagKeys', messages.notNull)]));
    checkConstraints(input, untagShape);
    const table = findByArn(engine, ctx, arn);
    if (input.TagKeys.length === 0) throw new ValidationException(messages.atLeastOneTagKey);
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
    const arn = checkArn(ctx, 'ListTagsOfResource', input.ResourceArn);
    return { body: { Tags: findByArn(engine, ctx, arn).Tags } };
  },
});
