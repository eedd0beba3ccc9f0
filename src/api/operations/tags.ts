// TagResource, UntagResource, ListTagsOfResource: tables are addressed by ARN, checked in
// DynamoDB's order (missing ARN, foreign ARN, shape, table).
import type { TableRecord, Tag } from '../../model/table.js';
import type { Engine } from '../../engine/engine.js';
import type { Operation, RequestContext } from '../context.js';
import { AccessDeniedException, ResourceNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { checkTypes } from '../validate/check-types.js';
import { checkConstraints } from '../validate/check-constraints.js';
import { tags } from '../validate/common-shapes.js';
import { list, str, type Members } from '../validate/shape.js';
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
  const table = engine.findTable(ctx.region, name);
  if (table === undefined || table.TableArn !== arn) throw new ResourceNotFoundException(messages.resourceArnNotFound(arn));
  return table;
}

/** Changes the tags of the table the ARN names, on its latest record (the same table, not one created since). */
async function reviseByArn(engine: Engine, ctx: RequestContext, table: TableRecord, arn: string, change: (latest: TableRecord) => TableRecord): Promise<void> {
  const gone = () => new ResourceNotFoundException(messages.resourceArnNotFound(arn));
  await engine.reviseTable(ctx.region, table.TableName, (latest) => {
    if (latest.TableArn !== arn || latest.id !== table.id) throw gone();
    return change(latest);
  }, gone);
}

const tagShape: Members = [['ResourceArn', str()], ['Tags', tags]];
const untagShape: Members = [['ResourceArn', str()], ['TagKeys', list(str())]];
const listShape: Members = [['ResourceArn', str()], ['NextToken', str()]];

export const tagResource: Operation = async (engine, ctx, body) => {
  const input = checkTypes(body, tagShape) as { ResourceArn?: string; Tags?: Tag[] };
  const arn = checkArn(ctx, 'TagResource', input.ResourceArn);
  if (input.Tags === undefined) throw new ValidationException(messages.validationErrors([messages.constraint('null', 'tags', messages.notNull)]));
  checkConstraints(input, tagShape);
  const table = findByArn(engine, ctx, arn);
  if (input.Tags.length === 0) throw new ValidationException(messages.atLeastOneTag);
  const tags = input.Tags;
  await reviseByArn(engine, ctx, table, arn, (latest) => {
    checkTags(tags, latest.Tags);
    const merged = new Map<string, Tag>(latest.Tags.map((t) => [t.Key, t]));
    for (const tag of tags) merged.set(tag.Key, { Key: tag.Key, Value: tag.Value });
    return { ...latest, Tags: [...merged.values()] };
  });
  return '{}';
};

export const untagResource: Operation = async (engine, ctx, body) => {
  const input = checkTypes(body, untagShape) as { ResourceArn?: string; TagKeys?: string[] };
  const arn = checkArn(ctx, 'UntagResource', input.ResourceArn);
  if (input.TagKeys === undefined) throw new ValidationException(messages.validationErrors([messages.constraint('null', 'tagKeys', messages.notNull)]));
  checkConstraints(input, untagShape);
  const table = findByArn(engine, ctx, arn);
  if (input.TagKeys.length === 0) throw new ValidationException(messages.atLeastOneTagKey);
  const removed = new Set(input.TagKeys);
  await reviseByArn(engine, ctx, table, arn, (latest) => ({ ...latest, Tags: latest.Tags.filter((t) => !removed.has(t.Key)) }));
  return '{}';
};

export const listTagsOfResource: Operation = async (engine, ctx, body) => {
  const input = checkTypes(body, listShape) as { ResourceArn?: string };
  const arn = checkArn(ctx, 'ListTagsOfResource', input.ResourceArn);
  const table = findByArn(engine, ctx, arn);
  return JSON.stringify({ Tags: table.Tags });
};
