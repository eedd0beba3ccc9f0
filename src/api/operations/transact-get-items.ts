// TransactGetItems: up to 100 Gets across tables read from one consistent snapshot (one storage
// transaction that writes nothing), each projected; a key that does not fit its table cancels the
// read with a ValidationError reason, as DynamoDB reports it.
import { keyFromKeyMap } from '../../engine/item-key.js';
import { projectItem } from '../../expressions/project.js';
import type { Path } from '../../expressions/ast.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { readCapacityUnits } from '../../model/capacity-units.js';
import type { TableRecord } from '../../model/table.js';
import type { StoredItem } from '../../storage/storage.js';
import type { Engine } from '../../engine/engine.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap } from '../validate/attribute-value.js';
import { itemTableName, returnConsumedCapacity } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';
import { expressionAttributeNames } from '../validate/item-shapes.js';
import { attributeMap, list, str, struct, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { consumedCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { cancellation, conflictReasons, throwIfRequestLevel, type Reason } from './transaction-reasons.js';
import { transactionActionsMax } from './transact-write-items.js';

const shape: Members = [
  ['TransactItems', list(struct('TransactGetItem', [
    ['Get', struct('Get', [
      ['Key', attributeMap({ notNull: true })], ['TableName', itemTableName], ['ProjectionExpression', str()], ['ExpressionAttributeNames', expressionAttributeNames],
    ], { notNull: true })],
  ]), { notNull: true, lengthMin: 1, lengthMax: transactionActionsMax })],
  ['ReturnConsumedCapacity', returnConsumedCapacity],
];

interface GetInput extends ExpressionInput {
  readonly Key: Record<string, unknown>;
  readonly TableName: string;
}

interface TransactGetInput {
  readonly TransactItems: readonly { readonly Get: GetInput }[];
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
}


export const transactGetItems: Operation = async (engine, ctx, body) => {
  const input = validateInput<TransactGetInput>(body, shape);
  const parsed = input.TransactItems.map(({ Get: get }) => {
    checkExpressionParameters(get as GetInput & Record<string, unknown>, ['ProjectionExpression'], []);
    const keyMap = normalizeAttributeMap(get.Key);
    return { get, keyMap, projection: resolveExpressions(get, engine.expressions).projection };
  });
  const reads: { table: TableRecord; key: Buffer | undefined; projection: Path[] | undefined }[] = [];
  const reasons: Reason[] = [];
  const seen = new Set<string>();
  for (const { get, keyMap, projection } of parsed) {
    const table = engine.requireUsableTable(ctx.region, get.TableName);
    try {
      const key = keyFromKeyMap(table, keyMap);
      const identity = `${table.id}:${key.toString('hex')}`;
      if (seen.has(identity)) throw new ValidationException(messages.transactionDuplicateItem);
      seen.add(identity);
      reads.push({ table, key, projection });
      reasons.push({ Code: 'None' });
    } catch (error) {
      if (!(error instanceof ValidationException) || error.message === messages.transactionDuplicateItem) throw error;
      throwIfRequestLevel(error);
      reads.push({ table, key: undefined, projection });
      reasons.push({ Code: 'ValidationError', Message: error.message });
    }
  }
  if (reasons.some((r) => r.Code !== 'None')) throw cancellation(reasons);
  if (engine.injectConflict()) throw cancellation(conflictReasons(reads.length, engine.options.random ?? Math.random));
  return readSnapshot(engine, reads.map((r) => ({
    table: r.table, key: r.key as Buffer, project: r.projection === undefined ? undefined : (item: AttributeMap) => projectItem(item, r.projection as Path[]),
  })), input.ReturnConsumedCapacity);
};

/** One item a transaction reads, and how its answer is projected (undefined: the whole item). */
export interface SnapshotRead {
  readonly table: TableRecord;
  readonly key: Buffer;
  readonly project: ((item: AttributeMap) => AttributeMap) | undefined;
}

/**
 * Reads items as of one instant (a storage transaction that writes nothing) and answers
 * `{"Responses":[…]}` in their order; each costs twice a strongly consistent read.
 */
export async function readSnapshot(engine: Engine, reads: readonly SnapshotRead[], returnCapacity: ReturnConsumedCapacity | undefined): Promise<string> {
  const items = await engine.storage.write(reads.map((r) => ({ tableId: r.table.id, key: r.key })), (current) => ({ writes: [], result: current }));
  const perTable = new Map<string, number>();
  const responses = reads.map((read, i) => {
    const stored = items[i] as StoredItem | undefined;
    perTable.set(read.table.TableName, (perTable.get(read.table.TableName) ?? 0) + 2 * readCapacityUnits(stored?.sizeBytes ?? 0, true));
    if (stored === undefined) return '{}';
    if (read.project === undefined) return `{"Item":${stored.json}}`;
    return `{"Item":${JSON.stringify(read.project(JSON.parse(stored.json) as AttributeMap))}}`;
  });
  const members = [`"Responses":[${responses.join(',')}]`];
  const capacities = [...perTable].map(([name, units]) => consumedCapacity(returnCapacity, name, units)).filter((c) => c !== undefined);
  if (capacities.length > 0) members.push(`"ConsumedCapacity":${JSON.stringify(capacities)}`);
  return `{${members.join(',')}}`;
}
