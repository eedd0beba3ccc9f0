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
import type { Operation } from '../context.js';
import { ValidationException } from '../errors.js';
import { messages } from '../messages.js';
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
  // A storage transaction that writes nothing: every item as of one instant.
  const items = await engine.storage.write(reads.map((r) => ({ tableId: r.table.id, key: r.key as Buffer })), (current) => ({ writes: [], result: current }));
  const perTable = new Map<string, number>();
  const responses = reads.map((read, i) => {
    const stored = items[i] as StoredItem | undefined;
    // Transactional reads cost twice a strongly consistent read.
    perTable.set(read.table.TableName, (perTable.get(read.table.TableName) ?? 0) + 2 * readCapacityUnits(stored?.sizeBytes ?? 0, true));
    if (stored === undefined) return '{}';
    if (read.projection === undefined) return `{"Item":${stored.json}}`;
    return `{"Item":${JSON.stringify(projectItem(JSON.parse(stored.json) as AttributeMap, read.projection))}}`;
  });
  const members = [`"Responses":[${responses.join(',')}]`];
  const capacities = [...perTable].map(([name, units]) => consumedCapacity(input.ReturnConsumedCapacity, name, units)).filter((c) => c !== undefined);
  if (capacities.length > 0) members.push(`"ConsumedCapacity":${JSON.stringify(capacities)}`);
  return `{${members.join(',')}}`;
};
