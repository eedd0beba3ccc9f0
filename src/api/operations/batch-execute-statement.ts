// BatchExecuteStatement: up to 25 statements, each run on its own (not as a transaction). A SELECT
// must name an item's whole primary key; each statement's failure — a throttled table's included
// (--enforce-capacity) — is its slot's Error, and the batch itself succeeds.
import type { Engine } from '../../engine/engine.js';
import { throughputExceeded } from '../../engine/capacity-meter.js';
import { DynamoDbError, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { Binding } from '../../partiql/bind.js';
import { operation, RawJson, type Usage } from '../operation.js';
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { bool, list, members, struct } from '../validate/shape.js';
import { parametersShape, statementShape } from './execute-statement.js';
import { fullKey, prepare, runStatement, statementPermission, type Prepared } from './partiql-statement.js';
import { tableKeySchema } from './query.js';

/** DynamoDB: a batch holds 1 to 25 statements. */
export const batchStatementsMax = 25;

/** A batch error's Code: the exception's name without "Exception" (ValidationException → ValidationError). */
function errorCode(error: DynamoDbError): string {
  if (error.name === 'ValidationException') return 'ValidationError';
  if (error.name === 'ThrottlingException') return 'ThrottlingError';
  return error.name.replace(/Exception$/, '');
}

export const batchExecuteStatement = operation({
  name: 'BatchExecuteStatement',
  kind: 'write',
  members: members([
    ['Statements', list(struct('BatchStatementRequest', [
      ['Statement', statementShape],
      ['Parameters', parametersShape],
      ['ConsistentRead', bool()],
      ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
    ]), { notNull: true, lengthMin: 1, lengthMax: batchStatementsMax })],
    ['ReturnConsumedCapacity', returnConsumedCapacity],
  ]),
  permissions: (input, ctx, { statements, engine }) => input.Statements.flatMap((s) => statementPermission(statements, s.Statement, ctx, engine)),
  async execute({ engine, statements }, ctx, input) {
    const capacities: Record<string, unknown>[] = [];
    const usage: Usage[] = [];
    const responses: string[] = [];
    for (const statement of input.Statements) {
      let tableName: string | undefined;
      try {
        const prepared = prepare(statements, statement.Statement, statement.Parameters);
        tableName = targetTable(prepared);
        checkBatchRead(engine, ctx.region, prepared);
        // A statement whose table is throttled fails alone (--enforce-capacity); the others run.
        const table = engine.tables.find(ctx.region, tableName);
        const throttled = table === undefined ? [] : engine.capacity.throttled(table, prepared.statement.kind === 'select' ? 'read' : 'write');
        if (throttled.length > 0) throw throughputExceeded(throttled);
        const result = await runStatement(engine, ctx.region, prepared, {
          consistent: statement.ConsistentRead === true,
          returnConsumedCapacity: input.ReturnConsumedCapacity,
          returnItemOnFailure: statement.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
        });
        if (result.capacity !== undefined) capacities.push(result.capacity);
        usage.push(result.usage);
        const item = prepared.statement.kind === 'select' && result.items[0] !== undefined ? `,"Item":${result.items[0]}` : '';
        responses.push(`{"TableName":${JSON.stringify(result.table.TableName)}${item}}`);
      } catch (error) {
        if (!(error instanceof DynamoDbError) || error.statusCode !== 400) throw error;
        const failure: Record<string, unknown> = { Code: errorCode(error), Message: error.message };
        const item = error.extra['Item'];
        if (item !== undefined) failure['Item'] = item;
        responses.push(JSON.stringify({ Error: failure, ...(tableName === undefined ? {} : { TableName: tableName }) }));
      }
    }
    const merged = mergeCapacities(capacities);
    return {
      body: { Responses: new RawJson(`[${responses.join(',')}]`), ConsumedCapacity: merged.length > 0 ? merged : undefined },
      usage,
    };
  },
});

function targetTable(prepared: Prepared): string {
  const statement = prepared.statement;
  return statement.kind === 'exists' ? statement.select.target.table : statement.target.table;
}

/** A batch SELECT reads one item: the table (not an index) and every key attribute by equality. */
function checkBatchRead(engine: Engine, region: string, prepared: Prepared): void {
  const statement = prepared.statement;
  if (statement.kind !== 'select') return;
  const refuse = (): never => {
    throw new ValidationException(messages.partiqlBatchSelectKey);
  };
  if (statement.target.index !== undefined) refuse();
  const table = engine.tables.requireUsable(region, statement.target.table);
  const full = fullKey(tableKeySchema(table), statement.where, new Binding(prepared.parameters));
  if (full === undefined || full.rest.length > 0) refuse();
}

/** One ConsumedCapacity entry per table, the statements' units added up. */
export function mergeCapacities(capacities: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const byTable = new Map<string, Record<string, unknown>>();
  for (const capacity of capacities) {
    const name = capacity['TableName'] as string;
    const sum = byTable.get(name);
    byTable.set(name, sum === undefined ? structuredClone(capacity) : addUnits(sum, capacity));
  }
  return [...byTable.values()];
}

function addUnits(sum: Record<string, unknown>, more: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...sum };
  for (const [member, value] of Object.entries(more)) {
    if (member === 'TableName') continue;
    if (typeof value === 'number') out[member] = ((out[member] as number | undefined) ?? 0) + value;
    else if (typeof value === 'object' && value !== null) out[member] = addUnits((out[member] as Record<string, unknown> | undefined) ?? {}, value as Record<string, unknown>);
  }
  return out;
}
