// DeleteItem: the engine checks the key and removes atomically; deleting a missing item succeeds and
// changes nothing.
import { onTable, operation, RawJson } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity, returnItemCollectionMetrics, returnValues, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { conditionalOperator, expected, expressionAttributeNames, expressionAttributeValues } from '../validate/item-shapes.js';
import { attributeMap, members, str } from '../validate/shape.js';
import { collectionMetrics } from './item-collection-metrics.js';
import { expectedCondition } from '../validate/legacy-conditions.js';
import { consumedCapacity, usageOf } from './consumed-capacity.js';
import { checkExpressionParameters, resolveExpressions } from '../validate/expression-parameters.js';
import { itemKeys, leadingKeys, withKeys } from '../condition-keys.js';

export const deleteItem = operation({
  name: 'DeleteItem',
  kind: 'write',
  members: members([
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
  ]),
  permissions: (input, ctx, services) => onTable('DeleteItem', input.TableName, ctx).map((p) => withKeys(p, itemKeys({
    leading: leadingKeys(services, ctx, input.TableName, [input.Key]), returnValues: input.ReturnValues, returnConsumedCapacity: input.ReturnConsumedCapacity,
  }))),
  async execute({ engine, expressions }, ctx, input) {
    checkExpressionParameters(input, ['ConditionExpression'], ['Expected', 'ConditionalOperator'], 'Expected');
    const keyMap = normalizeAttributeMap(input.Key);
    if (input.ReturnValues !== undefined && input.ReturnValues !== 'ALL_OLD' && input.ReturnValues !== 'NONE') {
      throw new ValidationException(messages.returnValuesPutDelete);
    }
    const expected = expectedCondition(input.Expected, input.ConditionalOperator);
    const condition = resolveExpressions(input, expressions).condition ?? expected;
    const check = condition === undefined ? undefined : { condition, returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
    const outcome = await engine.items.delete(ctx.region, input.TableName, keyMap, check);
    const name = outcome.table.TableName;
    return {
      body: {
        Attributes: input.ReturnValues === 'ALL_OLD' && outcome.previous !== undefined ? new RawJson(outcome.previous.json) : undefined,
        ConsumedCapacity: consumedCapacity(input.ReturnConsumedCapacity, name, outcome.capacityUnits, outcome.indexUnits),
        ItemCollectionMetrics: collectionMetrics(input.ReturnItemCollectionMetrics, outcome.table, keyMap, outcome.collectionBytes),
      },
      usage: [usageOf(name, 'write', outcome.capacityUnits, outcome.indexUnits)],
    };
  },
});
