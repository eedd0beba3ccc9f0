// PutItem: validate and normalise the item, then the engine checks its key against the table and
// replaces it atomically.
import type { AttributeMap } from '../../model/attribute-value.js';
import { itemSizeBytes, itemSizeBytesMax } from '../../model/item-size.js';
import { onTable, operation, RawJson } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeItem } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity, returnItemCollectionMetrics, returnValues, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { conditionalOperator, expected, expressionAttributeNames, expressionAttributeValues } from '../validate/item-shapes.js';
import { attributeMap, members, str } from '../validate/shape.js';
import { expectedCondition } from '../validate/legacy-conditions.js';
import { consumedCapacity, usageOf } from './consumed-capacity.js';
import { checkExpressionParameters, resolveExpressions } from '../validate/expression-parameters.js';
import { collectionMetrics } from './item-collection-metrics.js';
import { itemKeys, leadingKeys, withKeys } from '../condition-keys.js';

export const putItem = operation({
  name: 'PutItem',
  kind: 'write',
  members: members([
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
  ]),
  permissions: (input, ctx, services) => onTable('PutItem', input.TableName, ctx).map((p) => withKeys(p, itemKeys({
    leading: leadingKeys(services, ctx, input.TableName, [input.Item]), attributes: Object.keys(input.Item), returnValues: input.ReturnValues, returnConsumedCapacity: input.ReturnConsumedCapacity,
  }))),
  async execute({ engine, expressions }, ctx, input) {
    checkExpressionParameters(input, ['ConditionExpression'], ['Expected', 'ConditionalOperator'], 'Expected');
    const item: AttributeMap = normalizeItem(input.Item);
    if (input.ReturnValues !== undefined && input.ReturnValues !== 'ALL_OLD' && input.ReturnValues !== 'NONE') {
      throw new ValidationException(messages.returnValuesPutDelete);
    }
    const sizeBytes = itemSizeBytes(item);
    if (sizeBytes > itemSizeBytesMax) throw new ValidationException(messages.itemTooLarge);
    const condition = resolveExpressions(input, expressions).condition ?? expectedCondition(input.Expected, input.ConditionalOperator);
    const check = condition === undefined ? undefined : { condition, returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
    const outcome = await engine.items.put(ctx.region, input.TableName, item, sizeBytes, check);
    const name = outcome.table.TableName;
    return {
      body: {
        Attributes: input.ReturnValues === 'ALL_OLD' && outcome.previous !== undefined ? new RawJson(outcome.previous.json) : undefined,
        ConsumedCapacity: consumedCapacity(input.ReturnConsumedCapacity, name, outcome.capacityUnits, outcome.indexUnits),
        ItemCollectionMetrics: collectionMetrics(input.ReturnItemCollectionMetrics, outcome.table, item, outcome.collectionBytes),
      },
      usage: [usageOf(name, 'write', outcome.capacityUnits, outcome.indexUnits)],
    };
  },
});
