// DescribeTable: the table's full description with live ItemCount and TableSizeBytes.
import { describeTable as describe } from '../table-description.js';
import { onTable, operation } from '../operation.js';
import { checkConstraints } from '../validate/check-constraints.js';
import { checkTypes } from '../validate/check-types.js';
import { members, namePattern, str, type InputOfMembers } from '../validate/shape.js';
import { checkTableNameParameter } from '../validate/table-name-parameter.js';

export const tableNameOnly = members([['TableName', str({ pattern: namePattern, notNull: true })]]);

/** Type, TableName and constraint checks shared by DescribeTable and DeleteTable, in DynamoDB's order. */
export function decodeTableName(body: unknown): InputOfMembers<typeof tableNameOnly> {
  const input = checkTypes(body, tableNameOnly);
  checkTableNameParameter(input);
  checkConstraints(input, tableNameOnly);
  return input as InputOfMembers<typeof tableNameOnly>;
}

export const describeTable = operation({
  name: 'DescribeTable',
  kind: 'control',
  members: tableNameOnly,
  decode: decodeTableName,
  permissions: (input, ctx) => onTable('DescribeTable', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const table = engine.tables.require(ctx.region, input.TableName);
    return { body: { Table: describe(table, await engine.tables.stats(table)) } };
  },
});
