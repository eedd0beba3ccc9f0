// UpdateItem: UpdateExpression (or legacy AttributeUpdates) applied atomically to the current item
// or to a new one, an optional condition, and ReturnValues as DynamoDB computes them.
import { keyAttributes, keyFromKeyMap } from '../../engine/item-key.js';
import { updateItem as update } from '../../engine/items.js';
import type { Path, UpdateAction } from '../../expressions/ast.js';
import { projectItem } from '../../expressions/project.js';
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import { primaryKey } from '../../model/table.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap, normalizeAttributeValue } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity, returnItemCollectionMetrics, returnValues, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';
import { conditionalOperator, expected, expressionAttributeNames, expressionAttributeValues } from '../validate/item-shapes.js';
import { attributeMap, attributeValue, map, str, struct, type Members } from '../validate/shape.js';
import { collectionMetrics, withCollectionMetrics, type ReturnItemCollectionMetrics } from './item-collection-metrics.js';
import { validateInput } from '../validate/validate-input.js';
import { expectedCondition, type ExpectedAttributeValue } from '../validate/legacy-conditions.js';
import { consumedCapacity, withCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';

const shape: Members = [
  ['ReturnConsumedCapacity', returnConsumedCapacity],
  ['TableName', itemTableName],
  ['ReturnItemCollectionMetrics', returnItemCollectionMetrics],
  ['ReturnValues', returnValues],
  ['Key', attributeMap({ notNull: true })],
  ['ConditionalOperator', conditionalOperator],
  ['Expected', expected],
  ['AttributeUpdates', map(struct('AttributeValueUpdate', [
    ['Value', attributeValue()],
    ['Action', str({ oneOf: ['ADD', 'PUT', 'DELETE'] })],
  ]), 'com.amazonaws.dynamodb.v20120810.AttributeValueUpdate')],
  ['ConditionExpression', str()],
  ['UpdateExpression', str()],
  ['ExpressionAttributeValues', expressionAttributeValues],
  ['ExpressionAttributeNames', expressionAttributeNames],
  ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
];

interface AttributeUpdate {
  readonly Value?: Record<string, unknown>;
  readonly Action?: 'ADD' | 'PUT' | 'DELETE';
}

interface UpdateItemInput extends ExpressionInput {
  readonly ReturnItemCollectionMetrics?: ReturnItemCollectionMetrics;
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly TableName: string;
  readonly ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
  readonly Key: Record<string, unknown>;
  readonly AttributeUpdates?: Readonly<Record<string, AttributeUpdate>>;
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
  readonly Expected?: Readonly<Record<string, ExpectedAttributeValue>>;
  readonly ConditionalOperator?: 'AND' | 'OR';
}

export const updateItem: Operation = async (engine, ctx, body) => {
  const input = validateInput<UpdateItemInput>(body, shape);
  checkExpressionParameters(input as UpdateItemInput & Record<string, unknown>, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']);
  const keyMap = normalizeAttributeMap(input.Key);
  const legacy = input.AttributeUpdates === undefined ? undefined : legacyActions(input.AttributeUpdates);
  const expected = expectedCondition(input.Expected, input.ConditionalOperator);
  const resolved = resolveExpressions(input, engine.expressions);
  const expressionActions = resolved.update;
  const condition = resolved.condition ?? expected;
  const actions = expressionActions ?? legacy ?? [];
  const table = engine.requireUsableTable(ctx.region, input.TableName);
  const key = keyFromKeyMap(table, keyMap);
  const schema = primaryKey(table);
  for (const keyName of [schema.hash.name, schema.range?.name]) {
    if (keyName !== undefined && actions.some((a) => a.path[0] === keyName)) throw new ValidationException(messages.updateKeyAttribute(keyName));
  }
  const check = condition === undefined ? undefined : { condition, returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
  const outcome = await update(engine.storage, engine.writeTarget(table), key, keyAttributes(table, keyMap), actions, check);
  engine.indexHistory.record(outcome.indexHistory);
  const members: string[] = [];
  const attributes = returned(input.ReturnValues ?? 'NONE', outcome.previous, outcome.next, actions.map((a) => a.path));
  if (attributes !== undefined) members.push(`"Attributes":${JSON.stringify(attributes)}`);
  withCapacity(members, consumedCapacity(input.ReturnConsumedCapacity, table.TableName, outcome.capacityUnits, outcome.indexUnits));
  withCollectionMetrics(members, collectionMetrics(input.ReturnItemCollectionMetrics, table, keyMap, outcome.collectionBytes));
  return `{${members.join(',')}}`;
};

/** What ReturnValues asks for; UPDATED_* are the updated paths of the old or new item. */
export function returned(mode: 'NONE' | 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW', previous: AttributeMap | undefined, next: AttributeMap, paths: readonly Path[]): AttributeMap | undefined {
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
      out = projectItem(next, paths);
      break;
  }
  return out === undefined || Object.keys(out).length === 0 ? undefined : out;
}

/** The legacy AttributeUpdates parameter, checked as DynamoDB checks it and expressed as update actions. */
function legacyActions(updates: Readonly<Record<string, AttributeUpdate>>): UpdateAction[] {
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
