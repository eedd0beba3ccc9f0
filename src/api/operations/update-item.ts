// UpdateItem: UpdateExpression (or legacy AttributeUpdates) applied atomically to the current item
// or to a new one, an optional condition, and ReturnValues as DynamoDB computes them.
import type { Path, UpdateAction } from '../../expressions/ast.js';
import { projectItem } from '../../expressions/project.js';
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import { onTable, operation } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap, normalizeAttributeValue } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity, returnItemCollectionMetrics, returnValues, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions } from '../validate/expression-parameters.js';
import { conditionalOperator, expected, expressionAttributeNames, expressionAttributeValues } from '../validate/item-shapes.js';
import { attributeMap, attributeValue, map, members, str, struct, type InputOf } from '../validate/shape.js';
import { collectionMetrics } from './item-collection-metrics.js';
import { expectedCondition } from '../validate/legacy-conditions.js';
import { consumedCapacity, usageOf } from './consumed-capacity.js';
import { expressionAttributes, itemKeys, leadingKeys, withKeys } from '../condition-keys.js';

const attributeValueUpdate = struct('AttributeValueUpdate', [
  ['Value', attributeValue()],
  ['Action', str({ oneOf: ['ADD', 'PUT', 'DELETE'] })],
]);

export const updateItem = operation({
  name: 'UpdateItem',
  kind: 'write',
  members: members([
    ['ReturnConsumedCapacity', returnConsumedCapacity],
    ['TableName', itemTableName],
    ['ReturnItemCollectionMetrics', returnItemCollectionMetrics],
    ['ReturnValues', returnValues],
    ['Key', attributeMap({ notNull: true })],
    ['ConditionalOperator', conditionalOperator],
    ['Expected', expected],
    ['AttributeUpdates', map(attributeValueUpdate, 'com.amazonaws.dynamodb.v20120810.AttributeValueUpdate')],
    ['ConditionExpression', str()],
    ['UpdateExpression', str()],
    ['ExpressionAttributeValues', expressionAttributeValues],
    ['ExpressionAttributeNames', expressionAttributeNames],
    ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
  ]),
  permissions: (input, ctx, services) => onTable('UpdateItem', input.TableName, ctx).map((p) => withKeys(p, itemKeys({
    leading: leadingKeys(services, ctx, input.TableName, [input.Key]),
    attributes: input.AttributeUpdates !== undefined ? Object.keys(input.AttributeUpdates) : expressionAttributes(input, services),
    returnValues: input.ReturnValues, returnConsumedCapacity: input.ReturnConsumedCapacity,
  }))),
  async execute({ engine, expressions }, ctx, input) {
    checkExpressionParameters(input, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected', 'ConditionalOperator'], 'Expected');
    const keyMap = normalizeAttributeMap(input.Key);
    const legacy = input.AttributeUpdates === undefined ? undefined : legacyActions(input.AttributeUpdates);
    const expected = expectedCondition(input.Expected, input.ConditionalOperator);
    const resolved = resolveExpressions(input, expressions);
    const condition = resolved.condition ?? expected;
    const actions = resolved.update ?? legacy ?? [];
    const check = condition === undefined ? undefined : { condition, returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
    const outcome = await engine.items.update(ctx.region, input.TableName, keyMap, actions, check);
    const name = outcome.table.TableName;
    return {
      body: {
        Attributes: returned(input.ReturnValues ?? 'NONE', outcome.previous, outcome.next, actions.map((a) => a.path)),
        ConsumedCapacity: consumedCapacity(input.ReturnConsumedCapacity, name, outcome.capacityUnits, outcome.indexUnits),
        ItemCollectionMetrics: collectionMetrics(input.ReturnItemCollectionMetrics, outcome.table, keyMap, outcome.collectionBytes),
      },
      usage: [usageOf(name, 'write', outcome.capacityUnits, outcome.indexUnits)],
    };
  },
});

/** What ReturnValues asks for; UPDATED_* are the updated paths of the old or new item. */
export function returned(mode: 'NONE' | 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW', previous: AttributeMap | undefined, next: AttributeMap | undefined, paths: readonly Path[]): AttributeMap | undefined {
  let out: AttributeMap | undefined;
  switch (mode) {
    case 'NONE':
      return undefined;
    case 'ALL_OLD':
      out = previous;
      break;
    case 'ALL_NEW':
      out = next;
      break;
    case 'UPDATED_OLD':
      out = previous === undefined ? undefined : projectItem(previous, paths);
      break;
    case 'UPDATED_NEW':
      out = next === undefined ? undefined : projectItem(next, paths);
      break;
  }
  return out === undefined || Object.keys(out).length === 0 ? undefined : out;
}

/** The legacy AttributeUpdates parameter, checked as DynamoDB checks it and expressed as update actions. */
function legacyActions(updates: Readonly<Record<string, InputOf<typeof attributeValueUpdate>>>): UpdateAction[] {
  const actions: UpdateAction[] = [];
  for (const [name, u] of Object.entries(updates)) {
    const value: AttributeValue | undefined = u.Value === undefined ? undefined : normalizeAttributeValue(u.Value, 1);
    const action = u.Action ?? 'PUT';
    if (value === undefined && action !== 'DELETE') throw new ValidationException(messages.deleteWithoutValueOnly);
    const type = value === undefined ? undefined : Object.keys(value)[0] ?? '';
    if (value !== undefined && action === 'DELETE' && !['SS', 'NS', 'BS'].includes(type ?? '')) throw new ValidationException(messages.deleteValueType(type ?? ''));
    if (value !== undefined && action === 'ADD' && !['L', 'SS', 'NS', 'BS', 'N'].includes(type ?? '')) throw new ValidationException(messages.addValueType(type ?? ''));
    const path = [name];
    if (action === 'PUT') actions.push({ kind: 'set', path, value: { kind: 'value', value: value as AttributeValue } });
    else if (action === 'DELETE') actions.push(value === undefined ? { kind: 'remove', path } : { kind: 'delete', path, value });
    else if (type === 'L') {
      actions.push({ kind: 'set', path, value: { kind: 'list_append', first: { kind: 'if_not_exists', path, fallback: { kind: 'value', value: { L: [] } } }, second: { kind: 'value', value: value as AttributeValue } } });
    } else actions.push({ kind: 'add', path, value: value as AttributeValue });
  }
  return actions;
}
