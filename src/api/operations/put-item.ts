// PutItem: validate and normalise the item, check its key against the table, replace atomically.
import { keyFromItem } from '../../engine/item-key.js';
import { putItem as put } from '../../engine/items.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { itemSizeBytes, itemSizeBytesMax } from '../../model/item-size.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeItem } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity, returnItemCollectionMetrics, returnValues, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { conditionalOperator, expected, expressionAttributeNames, expressionAttributeValues } from '../validate/item-shapes.js';
import { attributeMap, str, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { expectedCondition, type ExpectedAttributeValue } from '../validate/legacy-conditions.js';
import { consumedCapacity, withCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';
import { checkIndexKeys } from '../../engine/indexes.js';
import { collectionMetrics, withCollectionMetrics, type ReturnItemCollectionMetrics } from './item-collection-metrics.js';

const shape: Members = [
  ['ReturnConsumedCapacity', returnConsumedCapacity],
  ['TableName', itemTableName],
  ['Item', attributeMap({ notNull: true })],
  ['ConditionalOperator', conditionalOperator],
  ['Expected', expected],
  ['ReturnValues', returnValues],
  ['ReturnItemCollectionMetrics', returnItemCollectionMetrics],
  ['ConditionExpression', str()],
  ['ExpressionAttributeValues', expressionAttributeValues],
  ['ExpressionAttributeNames', expressionAttributeNames],
  ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
];

interface PutItemInput extends ExpressionInput {
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly TableName: string;
  readonly Item: Record<string, unknown>;
  readonly ReturnValues?: string;
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
  readonly Expected?: Readonly<Record<string, ExpectedAttributeValue>>;
  readonly ConditionalOperator?: 'AND' | 'OR';
  readonly ReturnItemCollectionMetrics?: ReturnItemCollectionMetrics;
}

export const putItem: Operation = async (engine, ctx, body) => {
  const input = validateInput<PutItemInput>(body, shape);
  checkExpressionParameters(input as PutItemInput & Record<string, unknown>, ['ConditionExpression'], ['Expected']);
  const item: AttributeMap = normalizeItem(input.Item);
  if (input.ReturnValues !== undefined && input.ReturnValues !== 'ALL_OLD' && input.ReturnValues !== 'NONE') {
    throw new ValidationException(messages.returnValuesPutDelete);
  }
  const sizeBytes = itemSizeBytes(item);
  if (sizeBytes > itemSizeBytesMax) throw new ValidationException(messages.itemTooLarge);
  const expected = expectedCondition(input.Expected, input.ConditionalOperator);
  const condition = resolveExpressions(input, engine.expressions).condition ?? expected;
  const table = engine.requireUsableTable(ctx.region, input.TableName);
  const key = keyFromItem(table, item);
  const target = engine.writeTarget(table);
  if (target.indexes.length > 0) checkIndexKeys(target.indexes, item);
  const check = condition === undefined ? undefined : { condition, returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
  const outcome = await put(engine.storage, target, key, { json: JSON.stringify(item), sizeBytes }, check, item);
  engine.indexHistory.record(outcome.indexHistory);
  const members: string[] = [];
  if (input.ReturnValues === 'ALL_OLD' && outcome.previous !== undefined) members.push(`"Attributes":${outcome.previous.json}`);
  withCapacity(members, consumedCapacity(input.ReturnConsumedCapacity, table.TableName, outcome.capacityUnits, outcome.indexUnits));
  withCollectionMetrics(members, collectionMetrics(input.ReturnItemCollectionMetrics, table, item, outcome.collectionBytes));
  return `{${members.join(',')}}`;
};
