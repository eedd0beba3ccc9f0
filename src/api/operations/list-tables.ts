// ListTables: names in ascending order, paged by ExclusiveStartTableName / Limit.
import type { Operation } from '../context.js';
import { validateInput } from '../validate/validate-input.js';
import { integer, tableName, type Members } from '../validate/shape.js';

/** DynamoDB: ListTables returns at most 100 names per call. */
export const listTablesLimitMax = 100;

const shape: Members = [
  ['ExclusiveStartTableName', tableName()],
  ['Limit', integer({ min: 1, max: listTablesLimitMax })],
];

export const listTables: Operation = async (engine, ctx, body) => {
  const input = validateInput<{ ExclusiveStartTableName?: string; Limit?: number }>(body, shape);
  const limit = input.Limit ?? listTablesLimitMax;
  let names = engine.tableNames(ctx.region);
  const start = input.ExclusiveStartTableName;
  if (start !== undefined) {
    const startBytes = Buffer.from(start);
    names = names.filter((n) => Buffer.compare(Buffer.from(n), startBytes) > 0);
  }
  const page = names.slice(0, limit);
  const out: Record<string, unknown> = { TableNames: page };
  if (names.length > limit) out['LastEvaluatedTableName'] = page[page.length - 1];
  return JSON.stringify(out);
};
