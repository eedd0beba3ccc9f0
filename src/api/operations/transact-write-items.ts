// TransactWriteItems: up to 100 Put / Update / Delete / ConditionCheck actions across tables, all
// applied in one storage transaction (items, index entries, item collections, the token record) or
// none. Every action's condition is evaluated; any failure cancels the whole transaction with one
// reason per action, in request order, as DynamoDB reports it.
import { checkIndexKeys } from '../../engine/indexes.js';
import { keyAttributes, keyFromItem, keyFromKeyMap } from '../../engine/item-key.js';
import { checkCondition, updatedItem, type WriteCondition } from '../../engine/items.js';
import { canonicalDigest, liveToken, tokenItem, tokenRef } from '../../engine/transaction-tokens.js';
import { writeItems, type ItemWriteOutcome, type NextItem } from '../../engine/write-items.js';
import type { Engine } from '../../engine/engine.js';
import type { UpdateAction } from '../../expressions/ast.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { writeCapacityUnits } from '../../model/capacity-units.js';
import { itemSizeBytes, itemSizeBytesMax } from '../../model/item-size.js';
import { primaryKey, type TableRecord } from '../../model/table.js';
import type { StoredItem } from '../../storage/storage.js';
import type { Operation } from '../context.js';
import {
  ConditionalCheckFailedException, IdempotentParameterMismatchException, TransactionInProgressException, ValidationException,
} from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap, normalizeItem } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity, returnItemCollectionMetrics, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';
import { expressionAttributeNames, expressionAttributeValues } from '../validate/item-shapes.js';
import { attributeMap, list, str, struct, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { consumedCapacity, type IndexCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { collectionMetrics, type ReturnItemCollectionMetrics } from './item-collection-metrics.js';
import { cancellation, conflictReasons, throwIfRequestLevel, type Reason } from './transaction-reasons.js';
import { ownValue, setOwn } from '../../model/own-properties.js';

/** DynamoDB: a transaction holds at most 100 actions. */
export const transactionActionsMax = 100;

const expressionMembers: Members = [
  ['ConditionExpression', str()],
  ['ExpressionAttributeNames', expressionAttributeNames],
  ['ExpressionAttributeValues', expressionAttributeValues],
  ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
];

const shape: Members = [
  ['TransactItems', list(struct('TransactWriteItem', [
    ['ConditionCheck', struct('ConditionCheck', [
      ['Key', attributeMap({ notNull: true })], ['TableName', itemTableName], ['ConditionExpression', str({ notNull: true })], ...expressionMembers.slice(1),
    ])],
    ['Put', struct('Put', [['Item', attributeMap({ notNull: true })], ['TableName', itemTableName], ...expressionMembers])],
    ['Delete', struct('Delete', [['Key', attributeMap({ notNull: true })], ['TableName', itemTableName], ...expressionMembers])],
    ['Update', struct('Update', [
      ['Key', attributeMap({ notNull: true })], ['UpdateExpression', str({ notNull: true })], ['TableName', itemTableName], ...expressionMembers,
    ])],
  ]), { notNull: true, lengthMin: 1, lengthMax: transactionActionsMax })],
  ['ClientRequestToken', str({ lengthMin: 1, lengthMax: 36 })],
  ['ReturnConsumedCapacity', returnConsumedCapacity],
  ['ReturnItemCollectionMetrics', returnItemCollectionMetrics],
];

interface ActionInput extends ExpressionInput {
  readonly TableName: string;
  readonly Item?: Record<string, unknown>;
  readonly Key?: Record<string, unknown>;
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

interface TransactWriteInput {
  readonly TransactItems: readonly Partial<Record<'ConditionCheck' | 'Put' | 'Delete' | 'Update', ActionInput>>[];
  readonly ClientRequestToken?: string;
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly ReturnItemCollectionMetrics?: ReturnItemCollectionMetrics;
}

type Kind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';

/** An action parsed and checked as far as it can be without its table. */
export interface ParsedAction {
  readonly kind: Kind;
  readonly input: ActionInput;
  readonly item: AttributeMap | undefined;
  readonly keyMap: AttributeMap | undefined;
  readonly check: WriteCondition | undefined;
  readonly update: readonly UpdateAction[] | undefined;
  /** The reason a failed condition reports, when not ConditionalCheckFailed (PartiQL INSERT: DuplicateItem). */
  readonly failure?: Reason;
}

/** An action bound to its table and item, or refused before reading anything (a ValidationError). */
interface PlannedAction extends ParsedAction {
  readonly table: TableRecord;
  readonly key: Buffer | undefined;
  readonly refusal: string | undefined;
}

const kinds: readonly Kind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];


export const transactWriteItems: Operation = async (engine, ctx, body) => {
  const input = validateInput<TransactWriteInput>(body, shape);
  // Expressions and values are checked first, every action in request order, before any table.
  const parsed = input.TransactItems.map((entry) => parseAction(engine, entry));
  return transactWrite(engine, ctx.region, parsed, {
    token: input.ClientRequestToken,
    request: input.TransactItems,
    returnConsumedCapacity: input.ReturnConsumedCapacity,
    returnItemCollectionMetrics: input.ReturnItemCollectionMetrics,
  });
};

export interface TransactWriteOptions {
  readonly token: string | undefined;
  /** What a repeated token must repeat exactly (the request's actions). */
  readonly request: unknown;
  readonly returnConsumedCapacity: ReturnConsumedCapacity | undefined;
  readonly returnItemCollectionMetrics: ReturnItemCollectionMetrics | undefined;
}

/** Plans and applies parsed actions as one transaction, honouring a ClientRequestToken (also ExecuteTransaction's). */
export async function transactWrite(engine: Engine, region: string, parsed: readonly ParsedAction[], options: TransactWriteOptions): Promise<string> {
  const planned = parsed.map((action) => planAction(engine, region, action));
  const seen = new Set<string>();
  for (const action of planned) {
    if (action.key === undefined) continue;
    const identity = `${action.table.id}:${action.key.toString('hex')}`;
    if (seen.has(identity)) throw new ValidationException(messages.transactionDuplicateItem);
    seen.add(identity);
  }
  const token = options.token;
  if (token === undefined) return run(engine, options, planned, undefined);
  const namespace = engine.namespaceOf(region);
  const inFlight = `${namespace}\n${token}`;
  if (engine.tokensInFlight.has(inFlight)) throw new TransactionInProgressException(messages.transactionInProgress);
  engine.tokensInFlight.add(inFlight);
  try {
    const digest = canonicalDigest(options.request);
    const ref = tokenRef(namespace, token);
    const previous = liveToken(await engine.storage.getItem(ref), engine.options.clock.now());
    if (previous !== undefined) {
      if (previous.digest !== digest) throw new IdempotentParameterMismatchException(messages.idempotentParameterMismatch);
      // Applied already: answer without writing again (the capacity is that of reading the items).
      const capacities = Object.entries(previous.items).map(([name, count]) => consumedCapacity(options.returnConsumedCapacity, name, count * 2)).filter((c) => c !== undefined);
      return capacities.length > 0 ? `{"ConsumedCapacity":${JSON.stringify(capacities)}}` : '{}';
    }
    return await run(engine, options, planned, { ref, digest });
  } finally {
    engine.tokensInFlight.delete(inFlight);
  }
}

function parseAction(engine: Engine, entry: TransactWriteInput['TransactItems'][number]): ParsedAction {
  const present = kinds.filter((k) => entry[k] !== undefined);
  if (present.length !== 1) throw new ValidationException(messages.transactItemOneAction);
  const kind = present[0] as Kind;
  const action = entry[kind] as ActionInput;
  const expressions = kind === 'Update' ? (['UpdateExpression', 'ConditionExpression'] as const) : (['ConditionExpression'] as const);
  checkExpressionParameters(action as ActionInput & Record<string, unknown>, [...expressions], []);
  const item = action.Item === undefined ? undefined : normalizeItem(action.Item);
  if (item !== undefined && itemSizeBytes(item) > itemSizeBytesMax) throw new ValidationException(messages.itemTooLarge);
  const keyMap = action.Key === undefined ? undefined : normalizeAttributeMap(action.Key);
  const resolved = resolveExpressions(action, engine.expressions);
  const check = resolved.condition === undefined ? undefined : { condition: resolved.condition, returnItemOnFailure: action.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' };
  return { kind, input: action, item, keyMap, check, update: resolved.update };
}

function planAction(engine: Engine, region: string, action: ParsedAction): PlannedAction {
  const table = engine.requireUsableTable(region, action.input.TableName);
  let key: Buffer;
  try {
    key = action.item !== undefined ? keyFromItem(table, action.item) : keyFromKeyMap(table, action.keyMap as AttributeMap);
  } catch (error) {
    if (!(error instanceof ValidationException)) throw error;
    throwIfRequestLevel(error);
    return { ...action, table, key: undefined, refusal: error.message };
  }
  if (action.kind === 'Update') {
    const schema = primaryKey(table);
    for (const name of [schema.hash.name, schema.range?.name]) {
      if (name !== undefined && action.update?.some((a) => a.path[0] === name)) throw new ValidationException(messages.updateKeyAttribute(name));
    }
  }
  if (action.item !== undefined) {
    try {
      const { indexes } = engine.writeTarget(table);
      if (indexes.length > 0) checkIndexKeys(indexes, action.item);
    } catch (error) {
      if (!(error instanceof ValidationException)) throw error;
      return { ...action, table, key, refusal: error.message };
    }
  }
  return { ...action, table, key, refusal: undefined };
}

/** One action's decision inside the transaction; a failure is recorded, not thrown, so every action is judged. */
function decideAction(engine: Engine, action: PlannedAction, stored: StoredItem | undefined, fail: (reason: Reason) => void): NextItem {
  const previous = stored === undefined ? undefined : (JSON.parse(stored.json) as AttributeMap);
  try {
    checkCondition(action.check, previous);
    switch (action.kind) {
      case 'ConditionCheck':
        return { next: undefined };
      case 'Delete':
        return { next: null };
      case 'Put': {
        const item = action.item as AttributeMap;
        return { next: { json: JSON.stringify(item), sizeBytes: itemSizeBytes(item) }, item };
      }
      case 'Update': {
        const keys = keyAttributes(action.table, action.keyMap as AttributeMap);
        const { next, json, sizeBytes } = updatedItem(stored, previous, keys, action.update ?? [], engine.writeTarget(action.table));
        return { next: { json, sizeBytes }, item: next };
      }
    }
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      fail(action.failure ?? { Code: 'ConditionalCheckFailed', Message: messages.conditionalCheckFailed, ...error.extra });
      return { next: undefined };
    }
    if (error instanceof ValidationException) {
      fail({ Code: 'ValidationError', Message: error.message });
      return { next: undefined };
    }
    throw error;
  }
}

async function run(engine: Engine, options: TransactWriteOptions, planned: readonly PlannedAction[], token: { ref: ReturnType<typeof tokenRef>; digest: string } | undefined): Promise<string> {
  const reasons: Reason[] = planned.map((a) => (a.refusal === undefined ? { Code: 'None' } : { Code: 'ValidationError', Message: a.refusal }));
  if (reasons.some((r) => r.Code !== 'None') && planned.every((a) => a.key === undefined)) throw cancellation(reasons);
  if (engine.injectConflict()) throw cancellation(conflictReasons(planned.length, engine.options.random ?? Math.random));
  const bound = planned.map((a, i) => ({ action: a, at: i })).filter((b) => b.action.key !== undefined);
  const items: Record<string, number> = {};
  for (const { action } of bound) setOwn(items, action.table.TableName, (ownValue(items, action.table.TableName) ?? 0) + 1);
  const also = token === undefined ? [] : [{ ref: token.ref, next: tokenItem({ digest: token.digest, at: engine.options.clock.now(), items }) }];
  const outcomes = await writeItems(
    engine.storage,
    bound.map(({ action, at }) => ({
      target: engine.writeTarget(action.table),
      key: action.key as Buffer,
      decide: (stored: StoredItem | undefined) => {
        // Refused already (e.g. a mistyped index key): nothing to judge.
        if (action.refusal !== undefined) return { next: undefined };
        // A decide may run again after a storage conflict: each run judges the action afresh.
        reasons[at] = { Code: 'None' };
        return decideAction(engine, action, stored, (reason) => (reasons[at] = reason));
      },
    })),
    () => {
      if (reasons.some((r) => r.Code !== 'None')) throw cancellation(reasons);
    },
    also,
  );
  engine.indexHistory.record(outcomes.flatMap((o) => o.indexHistory));
  return reply(options, bound.map((b) => b.action), outcomes);
}

/** Transactional writes cost twice the units of plain ones, index writes included. */
function reply(options: TransactWriteOptions, actions: readonly PlannedAction[], outcomes: readonly ItemWriteOutcome[]): string {
  const perTable = new Map<string, { table: number; indexes: IndexCapacity[] }>();
  const metrics = new Map<string, Record<string, unknown>[]>();
  actions.forEach((action, i) => {
    const outcome = outcomes[i] as ItemWriteOutcome;
    const name = action.table.TableName;
    const sum = perTable.get(name) ?? { table: 0, indexes: [] };
    sum.table += 2 * (outcome.written ? outcome.capacityUnits : writeCapacityUnits(outcome.previous?.sizeBytes ?? 0, 0));
    sum.indexes.push(...outcome.indexUnits.map((u) => ({ ...u, units: 2 * u.units })));
    perTable.set(name, sum);
    if (action.kind === 'ConditionCheck') return;
    const keyItem = action.item ?? (action.keyMap as AttributeMap);
    const collection = collectionMetrics(options.returnItemCollectionMetrics, action.table, keyItem, outcome.collectionBytes);
    if (collection !== undefined) metrics.set(name, [...(metrics.get(name) ?? []), collection]);
  });
  const members: string[] = [];
  const capacities = [...perTable].map(([name, sum]) => consumedCapacity(options.returnConsumedCapacity, name, sum.table, sum.indexes)).filter((c) => c !== undefined);
  if (capacities.length > 0) members.push(`"ConsumedCapacity":${JSON.stringify(capacities)}`);
  if (metrics.size > 0) members.push(`"ItemCollectionMetrics":${JSON.stringify(Object.fromEntries(metrics))}`);
  return `{${members.join(',')}}`;
}
