// ExecuteTransaction: up to 100 PartiQL statements as one transaction — all reads (each SELECT
// names one item by its whole primary key; read from one snapshot) or all writes (INSERT, UPDATE,
// DELETE and EXISTS(SELECT …) as a condition check), applied by TransactWriteItems' machinery with
// its cancellation reasons and ClientRequestToken idempotency.
import { keyFromKeyMap } from '../../engine/item-key.js';
import type { Engine } from '../../engine/engine.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import type { TableRecord } from '../../model/table.js';
import { allOf, Binding } from '../../partiql/bind.js';
import type { Projected } from '../../partiql/ast.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { list, str, struct, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import type { ReturnConsumedCapacity } from './consumed-capacity.js';
import { parametersShape, statementShape } from './execute-statement.js';
import {
  absentCondition, fullKey, insertItem, prepare, projectStatement, updateCondition, writeKey, writeTable, type Prepared,
} from './partiql-statement.js';
import { tableKeySchema } from './query.js';
import { transactionActionsMax, transactWrite, type ParsedAction } from './transact-write-items.js';
import { readSnapshot } from './transact-get-items.js';
import { cancellation, conflictReasons } from './transaction-reasons.js';

const shape: Members = [
  ['TransactStatements', list(struct('ParameterizedStatement', [
    ['Statement', statementShape],
    ['Parameters', parametersShape],
    ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
  ]), { notNull: true, lengthMin: 1, lengthMax: transactionActionsMax })],
  ['ClientRequestToken', str({ lengthMin: 1, lengthMax: 36 })],
  ['ReturnConsumedCapacity', returnConsumedCapacity],
];

interface TransactStatementInput {
  readonly Statement: string;
  readonly Parameters?: readonly unknown[];
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

interface ExecuteTransactionInput {
  readonly TransactStatements: readonly TransactStatementInput[];
  readonly ClientRequestToken?: string;
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

export const executeTransaction: Operation = async (engine, ctx, body) => {
  const input = validateInput<ExecuteTransactionInput>(body, shape);
  const prepared = input.TransactStatements.map((s) => prepare(engine, s.Statement, s.Parameters));
  const reads = prepared.filter((p) => p.statement.kind === 'select').length;
  if (reads > 0 && reads < prepared.length) throw new ValidationException(messages.partiqlTransactionMixed);
  if (reads > 0) return readTransaction(engine, ctx.region, prepared, input.ReturnConsumedCapacity);
  const actions = prepared.map((p, i) => writeAction(engine, ctx.region, p, i, input.TransactStatements[i]?.ReturnValuesOnConditionCheckFailure === 'ALL_OLD'));
  const reply = await transactWrite(engine, ctx.region, actions, {
    token: input.ClientRequestToken,
    request: input.TransactStatements,
    returnConsumedCapacity: input.ReturnConsumedCapacity,
    returnItemCollectionMetrics: undefined,
  });
  // A transaction of writes answers an empty Responses list, beside its capacity.
  return reply === '{}' ? '{"Responses":[]}' : `{"Responses":[],${reply.slice(1)}`;
};

function refuse(index: number, message: string): never {
  throw new ValidationException(messages.partiqlTransactionStatement(index, message));
}

/** A statement as a TransactWriteItems action: Put (INSERT), Update, Delete or ConditionCheck (EXISTS). */
function writeAction(engine: Engine, region: string, prepared: Prepared, index: number, returnItemOnFailure: boolean): ParsedAction {
  const statement = prepared.statement;
  const binding = new Binding(prepared.parameters);
  switch (statement.kind) {
    case 'select':
      throw new ValidationException(messages.partiqlTransactionMixed);
    case 'insert': {
      const table = writeTable(engine, region, statement.target);
      const item = insertItem(statement.item, binding);
      return {
        kind: 'Put', input: { TableName: table.TableName }, item, keyMap: undefined, update: undefined,
        check: { condition: absentCondition(table), returnItemOnFailure: false },
        failure: { Code: 'DuplicateItem', Message: messages.partiqlDuplicateItem },
      };
    }
    case 'update': {
      const table = writeTable(engine, region, statement.target);
      const { keyMap, rest } = writeKey(table, statement.where, binding);
      const update = binding.update(statement.clauses);
      return { kind: 'Update', input: { TableName: table.TableName }, item: undefined, keyMap, update, check: { condition: updateCondition(table, rest, binding), returnItemOnFailure } };
    }
    case 'delete': {
      const table = writeTable(engine, region, statement.target);
      const { keyMap, rest } = writeKey(table, statement.where, binding);
      const others = allOf(rest);
      const check = others === undefined ? undefined : { condition: binding.condition(others), returnItemOnFailure };
      return { kind: 'Delete', input: { TableName: table.TableName }, item: undefined, keyMap, update: undefined, check };
    }
    case 'exists': {
      const select = statement.select;
      if (select.target.index !== undefined) refuse(index, messages.partiqlTransactionIndexWrite);
      const table = engine.requireUsableTable(region, select.target.table);
      const full = fullKey(tableKeySchema(table), select.where, binding);
      const others = allOf(full?.rest ?? []);
      if (full === undefined || others === undefined) refuse(index, messages.partiqlExistsKey);
      return {
        kind: 'ConditionCheck', input: { TableName: table.TableName }, item: undefined, keyMap: full.keyMap, update: undefined,
        check: { condition: binding.condition(others), returnItemOnFailure },
      };
    }
  }
}

/** SELECTs of single items, all read as of one instant (as TransactGetItems reads). */
async function readTransaction(engine: Engine, region: string, prepared: readonly Prepared[], returnCapacity: ReturnConsumedCapacity | undefined): Promise<string> {
  const reads: { table: TableRecord; key: Buffer; projection: readonly Projected[] | undefined }[] = [];
  const seen = new Set<string>();
  prepared.forEach((p, i) => {
    const statement = p.statement;
    if (statement.kind !== 'select') throw new ValidationException(messages.partiqlTransactionMixed);
    if (statement.target.index !== undefined) refuse(i, messages.partiqlTransactionIndexRead);
    const table = engine.requireUsableTable(region, statement.target.table);
    const full = fullKey(tableKeySchema(table), statement.where, new Binding(p.parameters));
    if (full === undefined || full.rest.length > 0) refuse(i, messages.partiqlTransactionSelectKey);
    const key = keyFromKeyMap(table, full.keyMap);
    const identity = `${table.id}:${key.toString('hex')}`;
    if (seen.has(identity)) throw new ValidationException(messages.transactionDuplicateItem);
    seen.add(identity);
    reads.push({ table, key, projection: statement.projection });
  });
  if (engine.injectConflict()) throw cancellation(conflictReasons(reads.length, engine.options.random ?? Math.random));
  return readSnapshot(engine, reads.map((r) => ({
    table: r.table, key: r.key, project: r.projection === undefined ? undefined : (item: AttributeMap) => projectStatement(item, r.projection),
  })), returnCapacity);
}
