// Query: one partition's items as a native range read over the sort key, paged (Limit, 1 MB,
// ExclusiveStartKey/LastEvaluatedKey), filtered and projected — in either direction.
import { conditionPaths } from '../../expressions/condition-paths.js';
import { keyFromKeyMap } from '../../engine/item-key.js';
import { keyValueBytes } from '../../model/key-encoding.js';
import { queryRange } from '../../model/key-range.js';
import { primaryKey, type TableRecord } from '../../model/table.js';
import { operation, tableOrIndexArn } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { itemTableName, returnConsumedCapacity } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions } from '../validate/expression-parameters.js';
import { conditionalOperator, expressionAttributeNames, expressionAttributeValues, legacyConditions, select } from '../validate/item-shapes.js';
import { filterCondition, keyConditions } from '../validate/legacy-conditions.js';
import { attributeMap, bool, integer, list, members, namePattern, str } from '../validate/shape.js';
import { normalizeStartKey } from '../validate/start-key.js';
import { checkAttributesToGet, checkSelect } from './read-results.js';
import { checkSelectOnIndex, indexStartStorageKey, readAndReply, readIndex } from './index-reads.js';
import { pagePartition, readHeld } from './partition-reads.js';
import { indexPartitionBytes, indexQueryRange } from '../../model/index-key.js';
import { checkQueryKey, type KeySchemaAttributes, type QueryKey } from './query-key.js';
import type { IndexDefinition } from '../../engine/indexes.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import type { KeyRange } from '../../model/stored-item.js';
import { expressionAttributes, itemKeys, queryPartitionKeys, selectOf, withKeys } from '../condition-keys.js';

export const query = operation({
  name: 'Query',
  kind: 'read',
  members: members([
    ['Select', select],
    ['IndexName', str({ pattern: namePattern, lengthMin: 3, lengthMax: 255 })],
    ['ReturnConsumedCapacity', returnConsumedCapacity],
    ['QueryFilter', legacyConditions],
    ['TableName', itemTableName],
    ['ConditionalOperator', conditionalOperator],
    ['AttributesToGet', list(str(), { lengthMin: 1, lengthMax: 255 })],
    ['Limit', integer({ min: 1 })],
    ['KeyConditions', legacyConditions],
    ['ExclusiveStartKey', attributeMap()],
    ['ConsistentRead', bool()],
    ['ScanIndexForward', bool()],
    ['KeyConditionExpression', str()],
    ['FilterExpression', str()],
    ['ProjectionExpression', str()],
    ['ExpressionAttributeValues', expressionAttributeValues],
    ['ExpressionAttributeNames', expressionAttributeNames],
  ]),
  permissions: (input, ctx, services) => {
    const attributes = expressionAttributes(input, services);
    return [withKeys({ action: 'dynamodb:Query', resource: tableOrIndexArn(ctx, input.TableName, input.IndexName) }, itemKeys({
      partition: queryPartitionKeys(input, services, ctx), attributes, select: selectOf(input.Select, attributes, input.IndexName), returnConsumedCapacity: input.ReturnConsumedCapacity,
    }))];
  },
  async execute({ engine, expressions }, ctx, input) {
    // Legacy KeyConditions may accompany expressions as long as KeyConditionExpression is absent.
    const legacy = ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']
      .filter((p) => !(p === 'KeyConditions' && input.KeyConditionExpression === undefined));
    checkExpressionParameters(input, ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'], legacy, 'QueryFilter');
    const legacyFilter = filterCondition(input.QueryFilter, input.ConditionalOperator);
    checkAttributesToGet(input.AttributesToGet);
    checkSelect(input.Select, input.ProjectionExpression !== undefined ? 'ProjectionExpression' : input.AttributesToGet !== undefined ? 'AttributesToGet' : undefined, input.IndexName);
    const startKey = normalizeStartKey(input.ExclusiveStartKey);
    if (input.KeyConditions === undefined && input.KeyConditionExpression === undefined) throw new ValidationException(messages.keyConditionRequired);
    const resolved = resolveExpressions(input, expressions);
    const conditions = resolved.keyConditions ?? keyConditions(input.KeyConditions ?? {});
    // Only a GSI's multi-attribute key takes more than two conditions (up to eight); see query-key.ts.
    if (conditions.length === 0 || conditions.length > 8 || (conditions.length > 2 && input.IndexName === undefined)) {
      throw new ValidationException(messages.keyConditionCount);
    }
    const table = engine.tables.requireUsable(ctx.region, input.TableName);
    const index = readIndex(table, input.IndexName, input.ConsistentRead);
    const schema = index ?? tableKeySchema(table);
    if (conditions.length > 2 && schema.hashKeys.length === 1 && schema.rangeKeys.length <= 1) throw new ValidationException(messages.keyConditionCount);
    const key = checkQueryKey(table, index, schema, conditions, startKey);
    const filter = resolved.filter ?? legacyFilter;
    if (filter !== undefined) {
      const heads = input.QueryFilter !== undefined ? Object.keys(input.QueryFilter) : conditionPaths(filter).map((p) => String(p[0]));
      for (const { name } of [...schema.hashKeys, ...schema.rangeKeys]) {
        if (heads.includes(name)) throw new ValidationException(messages.filterOnKey(input.QueryFilter !== undefined ? 'QueryFilter' : 'Filter Expression', name));
      }
    }
    if (index !== undefined) checkSelectOnIndex(index, input.Select);
    const reverse = input.ScanIndexForward === false;
    const range = queryKeyRange(table, index, key, startKey, reverse);
    const projection = resolved.projection ?? input.AttributesToGet?.map((name) => [name]);
    // Held to the partition it reads (--enforce-capacity), which Contributor Insights counts.
    const hash = key.hash.map((p) => p.value);
    const result = await readHeld(engine, table, index, pagePartition(engine, table, range.start, hash), () => readAndReply(engine, table, index, {
      range,
      limit: input.Limit,
      filter,
      projection,
      select: input.Select,
      consistent: input.ConsistentRead === true,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
    }));
    return result;
  },
});

/** The storage range a checked query key selects, after the starting key when there is one. */
export function queryKeyRange(table: TableRecord, index: IndexDefinition | undefined, key: QueryKey, startKey: AttributeMap | undefined, reverse: boolean): KeyRange {
  const hashParts = key.hash.map((p) => keyValueBytes(p.attribute.type, p.value));
  const bytes = index === undefined
    ? queryRange(hashParts[0] as Buffer, key.range?.attribute.type, key.range?.condition)
    : indexQueryRange(indexPartitionBytes(hashParts), key.equalRanges.map((p) => keyValueBytes(p.attribute.type, p.value)), key.range?.attribute.type, key.range?.condition);
  let start: Uint8Array = bytes.start;
  let end = bytes.end;
  if (startKey !== undefined) {
    const after = index === undefined ? keyFromKeyMap(table, startKey) : indexStartStorageKey(table, index, startKey);
    if (reverse) end = after;
    else start = Buffer.concat([after, Uint8Array.of(0)]);
  }
  return { start, ...(end === undefined ? {} : { end }), reverse };
}

/** The table's own key schema in the shape Query checks it in. */
export function tableKeySchema(table: TableRecord): KeySchemaAttributes {
  const { hash, range } = primaryKey(table);
  return { hashKeys: [hash], rangeKeys: range === undefined ? [] : [range] };
}
