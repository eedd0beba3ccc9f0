// ExecuteStatement: one PartiQL statement (see partiql-statement.ts). A SELECT answers a page of
// Items with NextToken while more remain; INSERT, UPDATE and DELETE answer Items [] (or the item
// RETURNING asks for).
import type { Operation } from '../context.js';
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { attributeValue, bool, integer, list, str, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import type { ReturnConsumedCapacity } from './consumed-capacity.js';
import { prepare, runStatement } from './partiql-statement.js';

/** DynamoDB: a statement is 1 to 8,192 characters. */
export const statementLengthMax = 8192;

export const statementShape = str({ notNull: true, lengthMin: 1, lengthMax: statementLengthMax });
export const parametersShape = list(attributeValue(), { lengthMin: 1 });

const shape: Members = [
  ['Statement', statementShape],
  ['Parameters', parametersShape],
  ['ConsistentRead', bool()],
  ['NextToken', str({ lengthMin: 1, lengthMax: 32768 })],
  ['ReturnConsumedCapacity', returnConsumedCapacity],
  ['Limit', integer({ min: 1 })],
  ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
];

interface ExecuteStatementInput {
  readonly Statement: string;
  readonly Parameters?: readonly unknown[];
  readonly ConsistentRead?: boolean;
  readonly NextToken?: string;
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly Limit?: number;
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export const executeStatement: Operation = async (engine, ctx, body) => {
  const input = validateInput<ExecuteStatementInput>(body, shape);
  const prepared = prepare(engine, input.Statement, input.Parameters);
  const result = await runStatement(engine, ctx.region, prepared, {
    consistent: input.ConsistentRead === true,
    limit: input.Limit,
    nextToken: input.NextToken,
    returnConsumedCapacity: input.ReturnConsumedCapacity,
    returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
  });
  const members = [`"Items":[${result.items.join(',')}]`];
  if (result.nextToken !== undefined) members.push(`"NextToken":${JSON.stringify(result.nextToken)}`);
  if (result.lastEvaluatedKey !== undefined) members.push(`"LastEvaluatedKey":${JSON.stringify(result.lastEvaluatedKey)}`);
  if (result.capacity !== undefined) members.push(`"ConsumedCapacity":${JSON.stringify(result.capacity)}`);
  return `{${members.join(',')}}`;
};
