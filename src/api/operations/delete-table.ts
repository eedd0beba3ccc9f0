// DeleteTable: refused while the table changes state or is protected; answers DELETING.
import { describeTable } from '../table-description.js';
import { onTable, operation } from '../operation.js';
import { decodeTableName, tableNameOnly } from './describe-table.js';

export const deleteTable = operation({
  name: 'DeleteTable',
  kind: 'control',
  members: tableNameOnly,
  decode: decodeTableName,
  permissions: (input, ctx) => onTable('DeleteTable', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const table = engine.tables.require(ctx.region, input.TableName);
    const stats = await engine.tables.stats(table);
    const deleting = await engine.tables.delete(ctx.region, input.TableName);
    return { body: { TableDescription: describeTable(deleting, stats) } };
  },
});
