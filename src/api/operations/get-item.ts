// GetItem: the stored JSON is spliced into the reply unparsed unless AttributesToGet narrows it.
import { keyFromKeyMap } from '../../engine/item-key.js';
import { getItem as get } from '../../engine/items.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity } from '../validate/common-shapes.js';
import { expressionAttributeNames } from '../validate/item-shapes.js';
import { attributeMap, bool, list, str, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { consumedCapacity, withCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';
import { projectItem } from '../../expressions/project.js';
import { ownValue, setOwn } from '../../model/own-properties.js';

/** DynamoDB: AttributesToGet lists 1 to 255 names. */
export const attributesToGetMax = 255;

const shape: Members = [
  ['ReturnConsumedCapacity', returnConsumedCapacity],
  ['AttributesToGet', list(str(), { lengthMin: 1, lengthMax: attributesToGetMax })],
  ['TableName', itemTableName],
  ['Key', attributeMap({ notNull: true })],
  ['ConsistentRead', bool()],
  ['ProjectionExpression', str()],
  ['ExpressionAttributeNames', expressionAttributeNames],
];

interface GetItemInput extends ExpressionInput {
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly AttributesToGet?: readonly string[];
  readonly TableName: string;
  readonly Key: Record<string, unknown>;
  readonly ConsistentRead?: boolean;
}

export const getItem: Operation = async (engine, ctx, body) => {
  const input = validateInput<GetItemInput>(body, shape);
  checkExpressionParameters(input as GetItemInput & Record<string, unknown>, ['ProjectionExpression'], ['AttributesToGet']);
  const keyMap = normalizeAttributeMap(input.Key);
  const names = input.AttributesToGet;
  if (names !== undefined) {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw new ValidationException(messages.duplicateAttributeName(name));
      seen.add(name);
    }
  }
  const { projection } = resolveExpressions(input, engine.expressions);
  const table = engine.requireUsableTable(ctx.region, input.TableName);
  const key = keyFromKeyMap(table, keyMap);
  const outcome = await get(engine.storage, table.id, key, input.ConsistentRead === true);
  const members: string[] = [];
  if (outcome.item !== undefined) {
    if (projection !== undefined) members.push(`"Item":${JSON.stringify(projectItem(JSON.parse(outcome.item.json) as AttributeMap, projection))}`);
    else if (names !== undefined) members.push(`"Item":${JSON.stringify(pick(JSON.parse(outcome.item.json) as AttributeMap, names))}`);
    else members.push(`"Item":${outcome.item.json}`);
  }
  withCapacity(members, consumedCapacity(input.ReturnConsumedCapacity, table.TableName, outcome.capacityUnits));
  return `{${members.join(',')}}`;
};

function pick(item: AttributeMap, names: readonly string[]): AttributeMap {
  const out: Record<string, AttributeMap[string]> = {};
  for (const name of names) {
    const value = ownValue(item, name);
    if (value !== undefined) setOwn(out, name, value);
  }
  return out;
}
