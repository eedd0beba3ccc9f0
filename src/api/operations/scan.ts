// Scan: the table's items in storage order — hash-distributed, as in DynamoDB — paged like Query;
// a parallel Scan's segments are disjoint ranges of the partition-key digest that cover it all.
import { keyFromKeyMap } from '../../engine/item-key.js';
import { partitionDigestBytes } from '../../model/key-encoding.js';
import { operation, tableOrIndexArn } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { itemTableName, returnConsumedCapacity } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions } from '../validate/expression-parameters.js';
import { conditionalOperator, expressionAttributeNames, expressionAttributeValues, legacyConditions, select } from '../validate/item-shapes.js';
import { filterCondition } from '../validate/legacy-conditions.js';
import { attributeMap, bool, integer, list, members, namePattern, str } from '../validate/shape.js';
import { normalizeStartKey } from '../validate/start-key.js';
import { checkAttributesToGet, checkSelect } from './read-results.js';
import { checkIndexStartKey, checkSelectOnIndex, indexStartStorageKey, readAndReply, readIndex } from './index-reads.js';
import { pagePartition, readHeld } from './partition-reads.js';
import { expressionAttributes, itemKeys, selectOf, withKeys } from '../condition-keys.js';

/** DynamoDB: TotalSegments is at most 1,000,000. */
export const totalSegmentsMax = 1_000_000;

/** The first digest of segment `i` of `total`, as a big-endian byte string. */
export function segmentBoundary(i: number, total: number): Buffer {
  const space = 1n << BigInt(partitionDigestBytes * 8);
  const value = (space * BigInt(i)) / BigInt(total);
  return Buffer.from(value.toString(16).padStart(partitionDigestBytes * 2, '0'), 'hex');
}

export const scan = operation({
  name: 'Scan',
  kind: 'read',
  members: members([
    ['Select', select],
    ['IndexName', str({ pattern: namePattern, lengthMin: 3, lengthMax: 255 })],
    ['TotalSegments', integer({ min: 1, max: totalSegmentsMax })],
    ['ReturnConsumedCapacity', returnConsumedCapacity],
    ['TableName', itemTableName],
    ['ConditionalOperator', conditionalOperator],
    ['ScanFilter', legacyConditions],
    ['Segment', integer({ min: 0, max: totalSegmentsMax - 1 })],
    ['Limit', integer({ min: 1 })],
    ['AttributesToGet', list(str(), { lengthMin: 1, lengthMax: 255 })],
    ['ExclusiveStartKey', attributeMap()],
    ['ConsistentRead', bool()],
    ['FilterExpression', str()],
    ['ProjectionExpression', str()],
    ['ExpressionAttributeValues', expressionAttributeValues],
    ['ExpressionAttributeNames', expressionAttributeNames],
  ]),
  permissions: (input, ctx, services) => {
    const attributes = expressionAttributes(input, services);
    return [withKeys({ action: 'dynamodb:Scan', resource: tableOrIndexArn(ctx, input.TableName, input.IndexName) }, itemKeys({
      attributes, select: selectOf(input.Select, attributes, input.IndexName), returnConsumedCapacity: input.ReturnConsumedCapacity,
    }))];
  },
  async execute({ engine, expressions }, ctx, input) {
    checkExpressionParameters(input, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'], 'ScanFilter');
    checkAttributesToGet(input.AttributesToGet);
    checkSelect(input.Select, input.ProjectionExpression !== undefined ? 'ProjectionExpression' : input.AttributesToGet !== undefined ? 'AttributesToGet' : undefined, input.IndexName);
    const legacyFilter = filterCondition(input.ScanFilter, input.ConditionalOperator);
    const startKey = normalizeStartKey(input.ExclusiveStartKey);
    const { Segment: segment, TotalSegments: total } = input;
    if (segment !== undefined && segment > 0 && total === undefined) throw new ValidationException(messages.segmentWithoutTotal);
    if (total !== undefined) {
      if (segment === undefined) throw new ValidationException(messages.totalWithoutSegment);
      if (segment >= total) throw new ValidationException(messages.segmentTooLarge(segment, total));
    }
    const resolved = resolveExpressions(input, expressions);
    const table = engine.tables.requireUsable(ctx.region, input.TableName);
    const index = readIndex(table, input.IndexName, input.ConsistentRead);
    if (index !== undefined && startKey !== undefined) {
      checkIndexStartKey(table, index, startKey);
    }
    if (index !== undefined) checkSelectOnIndex(index, input.Select);
    let start: Uint8Array | undefined = total === undefined || segment === undefined || segment === 0 ? undefined : segmentBoundary(segment, total);
    const end = total === undefined || segment === undefined || segment === total - 1 ? undefined : segmentBoundary(segment + 1, total);
    if (startKey !== undefined) {
      let key: Buffer;
      if (index !== undefined) key = indexStartStorageKey(table, index, startKey);
      else {
        try {
          key = keyFromKeyMap(table, startKey);
        } catch (error) {
          if (error instanceof ValidationException) throw new ValidationException(messages.invalidStartKey(error.message));
          throw error;
        }
      }
      const outside = (start !== undefined && Buffer.compare(key, start) < 0) || (end !== undefined && Buffer.compare(key, end) >= 0);
      if (outside) throw new ValidationException(messages.startKeyWrongSegment(total as number, segment as number));
      start = Buffer.concat([key, Uint8Array.of(0)]);
    }
    const range = { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
    const filter = resolved.filter ?? legacyFilter;
    const projection = resolved.projection ?? input.AttributesToGet?.map((name) => [name]);
    // A provisioned table's page is held to the partition it starts in (--enforce-capacity).
    return readHeld(engine, table, index, pagePartition(engine, table, start, undefined), () => readAndReply(engine, table, index, {
      range,
      limit: input.Limit,
      filter,
      projection,
      select: input.Select,
      consistent: input.ConsistentRead === true,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    }));
  },
});
