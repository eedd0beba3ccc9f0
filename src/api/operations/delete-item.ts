// DeleteItem: check the key, remove atomically; deleting a missing item succeeds and changes nothing.
import { keyFromKeyMap } from '../../engine/item-key.js';
import { deleteItem as remove } from '../../engine/items.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity, returnItemCollectionMetrics, returnValues, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { conditionalOperator, expected, expressionAttributeNames, expressionAttributeValues } from '../validate/item-shapes.js';
import { attributeMap, str, type Members } from '../validate/shape.js';
import { collectionMetrics, withCollectionMetrics, type ReturnItemCollectionMetrics } from './item-collection-metrics.js';
import { validateInput } from '../validate/validate-input.js';
import { expectedCondition, type ExpectedAttributeValue } from '../validate/legacy-conditions.js';
import { consumedCapacity, withCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';

const shape: Members = [
  ['ReturnConsumedCapacity', returnConsumedCapacity],
  ['TableName', itemTableName],
  ['ReturnValues', returnValues],
  ['ReturnItemCollectionMetrics', returnItemCollectionMetrics],
  ['Key', attributeMap({ notNull: true })],
  ['ConditionalOperator', conditionalOperator],
  ['Expected', expected],
  ['ConditionExpression', str()],
  ['ExpressionAttributeValues', expressionAttributeValues],
  ['ExpressionAttributeNames', expressionAttributeNames],
  ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
];

interface DeleteItemInput extends ExpressionInput {
  readonly ReturnItemCollectionMetrics?: ReturnItemCollectionMetrics;
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly TableName: string;
  readonly ReturnValues?: string;
  readonly Key: Record<string, unknown>;
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
  readonly Expected?: Readonly<Record<string, ExpectedAttributeValue>>;
  readonly ConditionalOperator?: 'AND' | 'OR';
}

export const deleteItem: Operation = async (engine, ctx, body) => {
  const input = validateInput<DeleteItemInput>(body, shape);
  checkExpressionParameters(input as DeleteItemInput & Record<string, unknown>, ['ConditionExpression'], ['Expected']);
  const keyMap = normalizeAttributeMap(input.Key);
  if (input.ReturnValues !== undefined && input.ReturnValues !== 'ALL_OLD' && input.ReturnValues !== 'NONE') {
    throw new ValidationException(messages.returnValuesPutDelete);
  }
  const expected = expectedCondition(input.Expected, input.ConditionalOperator);
  const condition = resolveExpressions(input, engine.expressions).condition ?? expected;
  const table = engine.requireUsableTable(ctx.region, input.TableName);
  const key = keyFromKeyMap(table, keyMap);
  const check = condition === undefined ? undefined : { condition, returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
  const outcome = await remove(engine.storage, engine.writeTarget(table), key, check);
  engine.indexHistory.record(outcome.indexHistory);
  const members: string[] = [];
  if (input.ReturnValues === 'ALL_OLD' && outcome.previous !== undefined) members.push(`"Attributes":${outcome.previous.json}`);
  withCapacity(members, consumedCapacity(input.ReturnConsumedCapacity, table.TableName, outcome.capacityUnits, outcome.indexUnits));
  withCollectionMetrics(members, collectionMetrics(input.ReturnItemCollectionMetrics, table, keyMap, outcome.collectionBytes));
  return `{${members.join(',')}}`;
};
