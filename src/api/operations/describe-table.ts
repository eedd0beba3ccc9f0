// DescribeTable: the table's full description with live ItemCount and TableSizeBytes.
import { describeTable as describe } from '../table-description.js';
import { onTable, operation } from '../operation.js';
import { checkConstraints } from '../validate/check-constraints.js';
import { checkTypes } from '../validate/check-types.js';
import { members, tableName, type InputOfMembers } from '../validate/shape.js';
import { checkTableNameParameter } from '../validate/table-name-parameter.js';

export const tableNameOnly = members([['TableName', tableName({ notNull: true })]]);

/**
 * Type, TableName and constraint checks shared by DescribeTable and DeleteTable, in DynamoDB's order.
 * DescribeTable reports a name's length as a constraint, as AWS answered in 2026; DeleteTable keeps
 * the control plane's older text (no newer recording found).
 */
export function decodeTableName(lengthText: boolean): (body: unknown) => InputOfMembers<typeof tableNameOnly> {
  return (body) => {
    const input = checkTypes(body, tableNameOnly);
    checkTableNameParameter(input, lengthText);
    checkConstraints(input, tableNameOnly);
    return input as InputOfMembers<typeof tableNameOnly>;
  };
}

export const describeTable = operation({
  name: 'DescribeTable',
  kind: 'control',
  members: tableNameOnly,
  decode: decodeTableName(false),
  permissions: (input, ctx) => onTable('DescribeTable', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const table = engine.tables.require(ctx.region, input.TableName);
    return { body: { Table: describe(table, await engine.tables.stats(table)) } };
  },
});
