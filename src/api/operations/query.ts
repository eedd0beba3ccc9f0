// Query: one partition's items as a native range read over the sort key, paged (Limit, 1 MB,
// ExclusiveStartKey/LastEvaluatedKey), filtered and projected — in either direction.
import { keyFromKeyMap } from '../../engine/item-key.js';
import { conditionPaths } from '../../expressions/condition-paths.js';
import type { KeyCondition } from '../../expressions/key-condition.js';
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import { itemKey, keyValueBytes } from '../../model/key-encoding.js';
import { queryRange, sortKeyMatches, type SortKeyCondition } from '../../model/key-range.js';
import { primaryKey, type KeyAttribute, type TableRecord } from '../../model/table.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../errors.js';
import { messages } from '../messages.js';
import { itemTableName, returnConsumedCapacity } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';
import { conditionalOperator, expressionAttributeNames, expressionAttributeValues, legacyConditions, select } from '../validate/item-shapes.js';
import { filterCondition, keyConditions, type LegacyCondition } from '../validate/legacy-conditions.js';
import { attributeMap, bool, integer, list, namePattern, str, type Members } from '../validate/shape.js';
import { normalizeStartKey } from '../validate/start-key.js';
import { validateInput } from '../validate/validate-input.js';
import type { ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkAttributesToGet, checkSelect, type Select } from './read-results.js';
import { checkIndexStartKey, checkSelectOnIndex, indexKeys, indexStartStorageKey, readAndReply, readIndex, tableStartKey } from './index-reads.js';
import type { IndexDefinition } from '../../engine/indexes.js';
import { indexQueryRange } from '../../model/index-key.js';

const shape: Members = [
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
];

interface QueryInput extends ExpressionInput {
  readonly Select?: Select;
  readonly IndexName?: string;
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly QueryFilter?: Readonly<Record<string, LegacyCondition>>;
  readonly TableName: string;
  readonly ConditionalOperator?: 'AND' | 'OR';
  readonly AttributesToGet?: readonly string[];
  readonly Limit?: number;
  readonly KeyConditions?: Readonly<Record<string, LegacyCondition>>;
  readonly ExclusiveStartKey?: Readonly<Record<string, unknown>>;
  readonly ConsistentRead?: boolean;
  readonly ScanIndexForward?: boolean;
}

export const query: Operation = async (engine, ctx, body) => {
  const input = validateInput<QueryInput>(body, shape);
  // Legacy KeyConditions may accompany expressions as long as KeyConditionExpression is absent.
  const legacy = ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']
    .filter((p) => !(p === 'KeyConditions' && input.KeyConditionExpression === undefined));
  checkExpressionParameters(input as QueryInput & Record<string, unknown>, ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'], legacy);
  const legacyFilter = filterCondition(input.QueryFilter, input.ConditionalOperator);
  checkAttributesToGet(input.AttributesToGet);
  checkSelect(input.Select, input.ProjectionExpression !== undefined ? 'ProjectionExpression' : input.AttributesToGet !== undefined ? 'AttributesToGet' : undefined, input.IndexName);
  const startKey = normalizeStartKey(input.ExclusiveStartKey);
  if (input.KeyConditions === undefined && input.KeyConditionExpression === undefined) throw new ValidationException(messages.keyConditionRequired);
  const resolved = resolveExpressions(input, engine.expressions);
  const conditions = resolved.keyConditions ?? keyConditions(input.KeyConditions ?? {});
  if (conditions.length !== 1 && conditions.length !== 2) throw new ValidationException(messages.keyConditionCount);
  const table = engine.requireUsableTable(ctx.region, input.TableName);
  const index = readIndex(table, input.IndexName, input.ConsistentRead);
  const schema = index === undefined ? primaryKey(table) : indexKeys(table, index).schema;
  const { hash, range: rangeAttribute } = checkKeyConditions(table, index, schema, conditions, startKey);
  const filter = resolved.filter ?? legacyFilter;
  if (filter !== undefined) {
    const heads = input.QueryFilter !== undefined ? Object.keys(input.QueryFilter) : conditionPaths(filter).map((p) => String(p[0]));
    for (const key of [schema.hash.name, schema.range?.name]) {
      if (key !== undefined && heads.includes(key)) throw new ValidationException(messages.filterOnKey(input.QueryFilter !== undefined ? 'QueryFilter' : 'Filter Expression', key));
    }
  }
  if (index !== undefined) checkSelectOnIndex(index, input.Select);
  const hashBytes = keyValueBytes(hash.attribute.type, hash.value);
  const bytes = index === undefined
    ? queryRange(hashBytes, rangeAttribute?.attribute.type, rangeAttribute?.condition)
    : indexQueryRange(hashBytes, rangeAttribute?.attribute.type, rangeAttribute?.condition);
  const reverse = input.ScanIndexForward === false;
  let start: Uint8Array = bytes.start;
  let end = bytes.end;
  if (startKey !== undefined) {
    const after = index === undefined ? keyFromKeyMap(table, startKey) : indexStartStorageKey(table, index, startKey);
    if (reverse) end = after;
    else start = Buffer.concat([after, Uint8Array.of(0)]);
  }
  const projection = resolved.projection ?? input.AttributesToGet?.map((name) => [name]);
  return readAndReply(engine.storage, table, index, {
    range: { start, ...(end === undefined ? {} : { end }), reverse },
    limit: input.Limit,
    filter,
    projection,
    select: input.Select,
    consistent: input.ConsistentRead === true,
    returnConsumedCapacity: input.ReturnConsumedCapacity,
  }, engine.indexHistory);
};

interface HashPart {
  readonly attribute: KeyAttribute;
  readonly value: AttributeValue;
}
interface RangePart {
  readonly attribute: KeyAttribute;
  readonly condition: SortKeyCondition;
}

/** Checks the key conditions (and the starting key) against the table's or index's key schema, in DynamoDB's order. */
function checkKeyConditions(
  table: TableRecord, index: IndexDefinition | undefined, schema: { hash: KeyAttribute; range?: KeyAttribute },
  conditions: readonly KeyCondition[], startKey: AttributeMap | undefined,
): { hash: HashPart; range?: RangePart } {
  const keys = schema.range === undefined ? [schema.hash] : [schema.hash, schema.range];
  if (startKey !== undefined) {
    if (index !== undefined) checkIndexStartKey(table, index, startKey);
    else if (Object.keys(startKey).length !== keys.length) throw new ValidationException(messages.invalidStartKey());
  }
  let hash: HashPart | undefined;
  let range: RangePart | undefined;
  for (const attribute of keys) {
    const isHash = attribute === schema.hash;
    if (startKey !== undefined && startKey[attribute.name] === undefined) throw new ValidationException(messages.invalidStartKey());
    if (isHash && schema.range === undefined && conditions.length > 1) throw new ValidationException(messages.keyConditionNotSupported);
    const condition = conditions.find((c) => c.name === attribute.name);
    if (condition === undefined) {
      if (isHash || conditions.length > 1) throw new ValidationException(messages.missedKeyElement(attribute.name));
      continue;
    }
    if (condition.values.some((v) => !(attribute.type in v))) throw new ValidationException(messages.conditionTypeMismatch);
    if (isHash && condition.operator !== 'EQ') throw new ValidationException(messages.keyConditionNotSupported);
    if (isHash) hash = { attribute, value: condition.values[0] as AttributeValue };
    else range = { attribute, condition: { operator: condition.operator, values: condition.values } };
  }
  const found = hash as HashPart;
  if (startKey !== undefined) {
    if (index !== undefined) tableStartKey(table, startKey);
    else {
      try {
        keyFromKeyMap(table, startKey);
      } catch (error) {
        if (error instanceof ValidationException) throw new ValidationException(messages.invalidStartKey(error.message));
        throw error;
      }
    }
    const sameHash = itemKey(keyValueBytes(found.attribute.type, startKey[found.attribute.name] as AttributeValue), undefined)
      .equals(itemKey(keyValueBytes(found.attribute.type, found.value), undefined));
    if (range === undefined) {
      if (!sameHash) throw new ValidationException(messages.startKeyOutsideQuery);
    } else {
      if (!sortKeyMatches(range.attribute.type, startKey[range.attribute.name] as AttributeValue, range.condition)) throw new ValidationException(messages.startKeyRangeMismatch);
      if (!sameHash) throw new ValidationException(messages.startKeySingleRow);
    }
  }
  return range === undefined ? { hash: found } : { hash: found, range };
}
