// ExecuteTransaction: up to 100 PartiQL statements as one transaction — all reads (each SELECT
// names one item by its whole primary key; read as of one instant) or all writes (INSERT, UPDATE,
// DELETE and EXISTS(SELECT …) as a condition check), applied as TransactWriteItems' actions with
// their cancellation reasons and ClientRequestToken idempotency.
import { keyFromKeyMap } from '../../engine/item-key.js';
import type { Engine } from '../../engine/engine.js';
import type { TransactAction } from '../../engine/transaction-service.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import type { TableRecord } from '../../model/table.js';
import type { Projected } from '../../partiql/ast.js';
import { allOf, Binding } from '../../partiql/bind.js';
import { operation, type OperationResult, type Permission, type RequestContext } from '../operation.js';
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { list, members, str, struct } from '../validate/shape.js';
import type { ReturnConsumedCapacity } from './consumed-capacity.js';
import { parametersShape, statementShape } from './execute-statement.js';
import {
  absentCondition, fullKey, insertItem, prepare, projectStatement, statementPermission, updateCondition, writeKey, writeTable, type Prepared,
} from './partiql-statement.js';
import { tableKeySchema } from './query.js';
import { snapshotReply } from './transact-get-items.js';
import { transactionActionsMax, transactWriteReply } from './transact-write-items.js';

export const executeTransaction = operation({
  name: 'ExecuteTransaction',
  kind: 'write',
  members: members([
    ['TransactStatements', list(struct('ParameterizedStatement', [
      ['Statement', statementShape],
      ['Parameters', parametersShape],
      ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
    ]), { notNull: true, lengthMin: 1, lengthMax: transactionActionsMax })],
    ['ClientRequestToken', str({ lengthMin: 1, lengthMax: 36 })],
    ['ReturnConsumedCapacity', returnConsumedCapacity],
  ]),
  permissions: (input, ctx, { statements, engine }) => input.TransactStatements.flatMap((s): Permission[] => statementPermission(statements, s.Statement, ctx, engine)),
  async execute({ engine, statements }, ctx, input) {
    const prepared = input.TransactStatements.map((s) => prepare(statements, s.Statement, s.Parameters));
    const reads = prepared.filter((p) => p.statement.kind === 'select').length;
    if (reads > 0 && reads < prepared.length) throw new ValidationException(messages.partiqlTransactionMixed);
    if (reads > 0) return readTransaction(engine, ctx, prepared, input.ReturnConsumedCapacity);
    const actions = prepared.map((p, i) => writeAction(engine, ctx.region, p, i, input.TransactStatements[i]?.ReturnValuesOnConditionCheckFailure === 'ALL_OLD'));
    const token = input.ClientRequestToken === undefined ? undefined : { value: input.ClientRequestToken, request: input.TransactStatements };
    const result = transactWriteReply(await engine.transactions.write(ctx.region, actions, token), input.ReturnConsumedCapacity, undefined);
    // A transaction of writes answers an empty Responses list, before its capacity.
    return { ...result, body: { Responses: [], ...result.body } };
  },
});

function refuse(index: number, message: string): never {
  throw new ValidationException(messages.partiqlTransactionStatement(index, message));
}

/** A statement as a TransactWriteItems action: Put (INSERT), Update, Delete or ConditionCheck (EXISTS). */
function writeAction(engine: Engine, region: string, prepared: Prepared, index: number, returnItemOnFailure: boolean): TransactAction {
  const statement = prepared.statement;
  const binding = new Binding(prepared.parameters);
  switch (statement.kind) {
    case 'select':
      throw new ValidationException(messages.partiqlTransactionMixed);
    case 'insert': {
      const table = writeTable(engine, region, statement.target);
      const item = insertItem(statement.item, binding);
      return {
        kind: 'Put', tableName: table.TableName, item,
        check: { condition: absentCondition(table), returnItemOnFailure: false },
        failure: { Code: 'DuplicateItem', Message: messages.partiqlDuplicateItem },
      };
    }
    case 'update': {
      const table = writeTable(engine, region, statement.target);
      const { keyMap, rest } = writeKey(table, statement.where, binding);
      const update = binding.update(statement.clauses);
      return { kind: 'Update', tableName: table.TableName, keyMap, update, check: { condition: updateCondition(table, rest, binding), returnItemOnFailure } };
    }
    case 'delete': {
      const table = writeTable(engine, region, statement.target);
      const { keyMap, rest } = writeKey(table, statement.where, binding);
      const others = allOf(rest);
      const check = others === undefined ? undefined : { condition: binding.condition(others), returnItemOnFailure };
      return { kind: 'Delete', tableName: table.TableName, keyMap, check };
    }
    case 'exists': {
      const select = statement.select;
      if (select.target.index !== undefined) refuse(index, messages.partiqlTransactionIndexWrite);
      const table = engine.tables.requireUsable(region, select.target.table);
      const full = fullKey(tableKeySchema(table), select.where, binding);
      const others = allOf(full?.rest ?? []);
      if (full === undefined || others === undefined) refuse(index, messages.partiqlExistsKey);
      return { kind: 'ConditionCheck', tableName: table.TableName, keyMap: full.keyMap, check: { condition: binding.condition(others), returnItemOnFailure } };
    }
  }
}

/** SELECTs of single items, all read as of one instant (as TransactGetItems reads). */
async function readTransaction(engine: Engine, ctx: RequestContext, prepared: readonly Prepared[], returnCapacity: ReturnConsumedCapacity | undefined): Promise<OperationResult> {
  const reads: { table: TableRecord; key: Buffer; keyMap: AttributeMap; projection: readonly Projected[] | undefined }[] = [];
  const seen = new Set<string>();
  prepared.forEach((p, i) => {
    const statement = p.statement;
    if (statement.kind !== 'select') throw new ValidationException(messages.partiqlTransactionMixed);
    if (statement.target.index !== undefined) refuse(i, messages.partiqlTransactionIndexRead);
    const table = engine.tables.requireUsable(ctx.region, statement.target.table);
    const full = fullKey(tableKeySchema(table), statement.where, new Binding(p.parameters));
    if (full === undefined || full.rest.length > 0) refuse(i, messages.partiqlTransactionSelectKey);
    const key = keyFromKeyMap(table, full.keyMap);
    const identity = `${table.id}:${key.toString('hex')}`;
    if (seen.has(identity)) throw new ValidationException(messages.transactionDuplicateItem);
    seen.add(identity);
    reads.push({ table, key, keyMap: full.keyMap, projection: statement.projection });
  });
  const outcomes = await engine.transactions.read(reads);
  const projections = reads.map((r) => {
    const projection = r.projection;
    return projection === undefined ? undefined : (item: AttributeMap) => projectStatement(item, projection);
  });
  return snapshotReply(outcomes, projections, returnCapacity);
}
