// TransactWriteItems: up to 100 ConditionCheck / Put / Delete / Update actions across tables,
// applied together or not at all. Here each action's expressions and values are checked (every
// action in request order, before any table is looked at) and the reply is built; the engine's
// transaction service binds, judges and applies them (with their cancellation reasons and the
// ClientRequestToken's idempotency).
import type { TransactAction, TransactKind, TransactWriteResult } from '../../engine/transaction-service.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { ExpressionCache } from '../../expressions/expression-cache.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { itemSizeBytes, itemSizeBytesMax } from '../../model/item-size.js';
import { operation, tableArn, type OperationResult, type Permission } from '../operation.js';
import { normalizeAttributeMap, normalizeItem } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity, returnItemCollectionMetrics, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';
import { expressionAttributeNames, expressionAttributeValues } from '../validate/item-shapes.js';
import { attributeMap, list, members, str, struct } from '../validate/shape.js';
import { transactionCapacity, usageOf, type IndexCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { collectionMetrics, type ReturnItemCollectionMetrics } from './item-collection-metrics.js';
import { expressionAttributes, itemKeys, leadingKeys, withKeys } from '../condition-keys.js';

/** DynamoDB: a transaction holds at most 100 actions. */
export const transactionActionsMax = 100;
/** DynamoDB: the items of one write transaction add up to at most 4 MB. */
export const transactionItemBytesMax = 4 * 1024 * 1024;

const placeholders = [
  ['ExpressionAttributeNames', expressionAttributeNames],
  ['ExpressionAttributeValues', expressionAttributeValues],
  ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
] as const;
const condition = ['ConditionExpression', str()] as const;

const transactItem = struct('TransactWriteItem', [
  ['ConditionCheck', struct('ConditionCheck', [
    ['Key', attributeMap({ notNull: true })], ['TableName', itemTableName], ['ConditionExpression', str({ notNull: true })], ...placeholders,
  ])],
  ['Put', struct('Put', [['Item', attributeMap({ notNull: true })], ['TableName', itemTableName], condition, ...placeholders])],
  ['Delete', struct('Delete', [['Key', attributeMap({ notNull: true })], ['TableName', itemTableName], condition, ...placeholders])],
  ['Update', struct('Update', [
    ['Key', attributeMap({ notNull: true })], ['UpdateExpression', str({ notNull: true })], ['TableName', itemTableName], condition, ...placeholders,
  ])],
]);

type ActionInput = ExpressionInput & {
  readonly TableName: string;
  readonly Item?: Readonly<Record<string, unknown>>;
  readonly Key?: Readonly<Record<string, unknown>>;
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
};

const kinds: readonly TransactKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];
const actionNames: Readonly<Record<TransactKind, string>> = { ConditionCheck: 'ConditionCheckItem', Put: 'PutItem', Delete: 'DeleteItem', Update: 'UpdateItem' };

export const transactWriteItems = operation({
  name: 'TransactWriteItems',
  kind: 'write',
  members: members([
    ['TransactItems', list(transactItem, { notNull: true, lengthMin: 1, lengthMax: transactionActionsMax })],
    ['ClientRequestToken', str({ lengthMin: 1, lengthMax: 36 })],
    ['ReturnConsumedCapacity', returnConsumedCapacity],
    ['ReturnItemCollectionMetrics', returnItemCollectionMetrics],
  ]),
  permissions: (input, ctx, services) => input.TransactItems.flatMap((entry): Permission[] => kinds.flatMap((kind) => {
    const action = entry[kind] as ActionInput | undefined;
    if (action === undefined) return [];
    const item = (action.Item ?? action.Key) as Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
    return [withKeys({ action: `dynamodb:${actionNames[kind]}`, resource: tableArn(ctx, action.TableName) }, itemKeys({
      leading: leadingKeys(services, ctx, action.TableName, [item]),
      attributes: kind === 'Put' ? Object.keys(action.Item ?? {}) : kind === 'Update' ? expressionAttributes(action, services) : undefined,
      returnConsumedCapacity: input.ReturnConsumedCapacity, enclosing: 'TransactWriteItems',
    }))];
  })),
  async execute({ engine, expressions }, ctx, input) {
    // Expressions and values are checked first, every action in request order, before any table.
    // The items a transaction puts count toward 4 MB as sent; an update's result is held to 400 KB alone.
    let itemBytes = 0;
    const actions = input.TransactItems.map((entry) => {
      const parsed = parseAction(entry as Partial<Record<TransactKind, ActionInput>>, expressions);
      itemBytes += parsed.itemBytes;
      return parsed.action;
    });
    if (itemBytes > transactionItemBytesMax) throw new ValidationException(messages.transactionTooLarge);
    const token = input.ClientRequestToken === undefined ? undefined : { value: input.ClientRequestToken, request: input.TransactItems };
    const result = await engine.transactions.write(ctx.region, actions, token);
    return transactWriteReply(result, input.ReturnConsumedCapacity, input.ReturnItemCollectionMetrics);
  },
});

/** An action as the engine takes it, and the size of the item it puts (0 for the other kinds). */
function parseAction(entry: Partial<Record<TransactKind, ActionInput>>, expressions: ExpressionCache): { action: TransactAction; itemBytes: number } {
  const present = kinds.filter((k) => entry[k] !== undefined);
  if (present.length === 0) throw new ValidationException(messages.transactItemNoAction);
  if (present.length > 1) throw new ValidationException(messages.transactItemOneAction);
  const kind = present[0] as TransactKind;
  const action = entry[kind] as ActionInput;
  const parameters = kind === 'Update' ? (['UpdateExpression', 'ConditionExpression'] as const) : (['ConditionExpression'] as const);
  checkExpressionParameters(action as ActionInput & Readonly<Record<string, unknown>>, [...parameters], []);
  const item = action.Item === undefined ? undefined : normalizeItem(action.Item);
  const itemBytes = item === undefined ? 0 : itemSizeBytes(item);
  if (itemBytes > itemSizeBytesMax) throw new ValidationException(messages.itemTooLarge);
  const keyMap = action.Key === undefined ? undefined : normalizeAttributeMap(action.Key);
  const resolved = resolveExpressions(action, expressions);
  const check = resolved.condition === undefined ? undefined : { condition: resolved.condition, returnItemOnFailure: action.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
  return { action: { kind, tableName: action.TableName, item, keyMap, check, update: resolved.update }, itemBytes };
}

/**
 * The reply of a write transaction (also ExecuteTransaction's): transactional writes cost twice the
 * units of plain ones, index writes included; a replayed token costs reading the items it wrote.
 */
export function transactWriteReply(
  result: TransactWriteResult, returnCapacity: ReturnConsumedCapacity | undefined, returnMetrics: ReturnItemCollectionMetrics | undefined,
): OperationResult {
  if (result.replayed) {
    const perTable = Object.entries(result.items);
    const capacities = perTable.map(([name, count]) => transactionCapacity(returnCapacity, 'read', name, count * 2)).filter((c) => c !== undefined);
    return {
      body: { ConsumedCapacity: capacities.length > 0 ? capacities : undefined },
      usage: perTable.map(([name, count]) => usageOf(name, 'read', count * 2)),
    };
  }
  const perTable = new Map<string, { table: number; indexes: IndexCapacity[] }>();
  const metrics = new Map<string, Record<string, unknown>[]>();
  for (const outcome of result.outcomes) {
    const name = outcome.table.TableName;
    const sum = perTable.get(name) ?? { table: 0, indexes: [] };
    sum.table += 2 * outcome.capacityUnits;
    sum.indexes.push(...outcome.indexUnits.map((u) => ({ ...u, units: 2 * u.units })));
    perTable.set(name, sum);
    if (outcome.kind === 'ConditionCheck') continue;
    const collection = collectionMetrics(returnMetrics, outcome.table, outcome.keyItem as AttributeMap, outcome.collectionBytes);
    if (collection !== undefined) metrics.set(name, [...(metrics.get(name) ?? []), collection]);
  }
  const capacities = [...perTable].map(([name, sum]) => transactionCapacity(returnCapacity, 'write', name, sum.table, sum.indexes)).filter((c) => c !== undefined);
  return {
    body: {
      ConsumedCapacity: capacities.length > 0 ? capacities : undefined,
      ItemCollectionMetrics: metrics.size > 0 ? Object.fromEntries(metrics) : undefined,
    },
    usage: [...perTable].map(([name, sum]) => usageOf(name, 'write', sum.table, sum.indexes)),
  };
}
