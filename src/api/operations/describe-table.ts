// DescribeTable: the table's full description with live ItemCount and TableSizeBytes.
import { describeTable as describe } from '../../engine/describe-table.js';
import type { Operation } from '../context.js';
import { checkConstraints } from '../validate/check-constraints.js';
import { checkTypes } from '../validate/check-types.js';
import { namePattern, str, type Members } from '../validate/shape.js';
import { checkTableNameParameter } from '../validate/table-name-parameter.js';

export const tableNameOnlyShape: Members = [['TableName', str({ pattern: namePattern })]];

/** Type, TableName and constraint checks shared by DescribeTable and DeleteTable. */
export function tableNameInput(body: unknown): string {
  const input = checkTypes(body, tableNameOnlyShape);
  checkTableNameParameter(input);
  checkConstraints(input, tableNameOnlyShape);
  return input['TableName'] as string;
}

export const describeTable: Operation = async (engine, ctx, body) => {
  const table = engine.requireTable(ctx.region, tableNameInput(body));
  return JSON.stringify({ Table: describe(table, await engine.tableStats(table)) });
};
