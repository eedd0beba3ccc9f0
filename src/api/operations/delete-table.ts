// DeleteTable: refused while the table changes state or is protected; answers DELETING.
import { describeTable } from '../../engine/describe-table.js';
import type { Operation } from '../context.js';
import { tableNameInput } from './describe-table.js';

export const deleteTable: Operation = async (engine, ctx, body) => {
  const table = engine.requireTable(ctx.region, tableNameInput(body));
  const stats = await engine.tableStats(table);
  const deleting = await engine.deleteTable(ctx.region, table.TableName);
  return JSON.stringify({ TableDescription: describeTable(deleting, stats) });
};
