// ExecuteStatement: one PartiQL statement (see partiql-statement.ts). A SELECT answers a page of
// Items with NextToken while more remain; INSERT, UPDATE and DELETE answer Items [] (or the item
// RETURNING asks for).
import { operation, RawJson } from '../operation.js';
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from '../validate/common-shapes.js';
import { attributeValue, bool, integer, list, members, str } from '../validate/shape.js';
import { prepare, runStatement, statementPermission } from './partiql-statement.js';

/** DynamoDB: a statement is 1 to 8,192 characters. */
export const statementLengthMax = 8192;

export const statementShape = str({ notNull: true, lengthMin: 1, lengthMax: statementLengthMax });
export const parametersShape = list(attributeValue(), { lengthMin: 1 });

export const executeStatement = operation({
  name: 'ExecuteStatement',
  kind: 'write',
  members: members([
    ['Statement', statementShape],
    ['Parameters', parametersShape],
    ['ConsistentRead', bool()],
    ['NextToken', str({ lengthMin: 1, lengthMax: 32768 })],
    ['ReturnConsumedCapacity', returnConsumedCapacity],
    ['Limit', integer({ min: 1 })],
    ['ReturnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure],
  ]),
  permissions: (input, ctx, { statements, engine }) => statementPermission(statements, input.Statement, ctx, engine),
  async execute({ engine, statements }, ctx, input) {
    const prepared = prepare(statements, input.Statement, input.Parameters);
    const result = await runStatement(engine, ctx.region, prepared, {
      consistent: input.ConsistentRead === true,
      limit: input.Limit,
      nextToken: input.NextToken,
      returnConsumedCapacity: input.ReturnConsumedCapacity,
      returnItemOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
    });
    return {
      body: {
        Items: result.items.map((item) => new RawJson(item)),
        NextToken: result.nextToken,
        LastEvaluatedKey: result.lastEvaluatedKey,
        ConsumedCapacity: result.capacity,
      },
      usage: [result.usage],
    };
  },
});
