// GetItem: the stored JSON is spliced into the reply unparsed unless a projection narrows it.
import type { AttributeMap } from '../../model/attribute-value.js';
import { onTable, operation, RawJson } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity } from '../validate/common-shapes.js';
import { expressionAttributeNames } from '../validate/item-shapes.js';
import { attributeMap, bool, list, members, str } from '../validate/shape.js';
import { consumedCapacity, usageOf } from './consumed-capacity.js';
import { checkExpressionParameters, resolveExpressions } from '../validate/expression-parameters.js';
import { projectItem } from '../../expressions/project.js';
import { ownValue, setOwn } from '../../model/own-properties.js';
import { expressionAttributes, itemKeys, leadingKeys, selectOf, withKeys } from '../condition-keys.js';

/** DynamoDB: AttributesToGet lists 1 to 255 names. */
export const attributesToGetMax = 255;

export const getItem = operation({
  name: 'GetItem',
  kind: 'read',
  members: members([
    ['ReturnConsumedCapacity', returnConsumedCapacity],
    ['AttributesToGet', list(str(), { lengthMin: 1, lengthMax: attributesToGetMax })],
    ['TableName', itemTableName],
    ['Key', attributeMap({ notNull: true })],
    ['ConsistentRead', bool()],
    ['ProjectionExpression', str()],
    ['ExpressionAttributeNames', expressionAttributeNames],
  ]),
  permissions: (input, ctx, services) => {
    const attributes = expressionAttributes(input, services);
    return onTable('GetItem', input.TableName, ctx).map((p) => withKeys(p, itemKeys({
      leading: leadingKeys(services, ctx, input.TableName, [input.Key]), attributes, select: selectOf(undefined, attributes), returnConsumedCapacity: input.ReturnConsumedCapacity,
    })));
  },
  async execute({ engine, expressions }, ctx, input) {
    checkExpressionParameters(input, ['ProjectionExpression'], ['AttributesToGet']);
    const keyMap = normalizeAttributeMap(input.Key);
    const names = input.AttributesToGet;
    if (names !== undefined) {
      const seen = new Set<string>();
      for (const name of names) {
        if (seen.has(name)) throw new ValidationException(messages.duplicateAttributeName(name));
        seen.add(name);
      }
    }
    const { projection } = resolveExpressions(input, expressions);
    const outcome = await engine.items.get(ctx.region, input.TableName, keyMap, input.ConsistentRead === true);
    let item: unknown;
    if (outcome.item !== undefined) {
      if (projection !== undefined) item = projectItem(JSON.parse(outcome.item.json) as AttributeMap, projection);
      else if (names !== undefined) item = pick(JSON.parse(outcome.item.json) as AttributeMap, names);
      else item = new RawJson(outcome.item.json);
    }
    const name = outcome.table.TableName;
    return {
      body: { Item: item, ConsumedCapacity: consumedCapacity(input.ReturnConsumedCapacity, name, outcome.capacityUnits) },
      usage: [usageOf(name, 'read', outcome.capacityUnits)],
    };
  },
});

function pick(item: AttributeMap, names: readonly string[]): AttributeMap {
  const out: Record<string, AttributeMap[string]> = {};
  for (const name of names) {
    const value = ownValue(item, name);
    if (value !== undefined) setOwn(out, name, value);
  }
  return out;
}
