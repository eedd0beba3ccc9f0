// ListTables: names in ascending order, paged by ExclusiveStartTableName / Limit.
import { operation } from '../operation.js';
import { integer, members, plainTableName } from '../validate/shape.js';

/** DynamoDB: ListTables returns at most 100 names per call. */
export const listTablesLimitMax = 100;

export const listTables = operation({
  name: 'ListTables',
  kind: 'control',
  members: members([
    ['ExclusiveStartTableName', plainTableName()],
    ['Limit', integer({ min: 1, max: listTablesLimitMax })],
  ]),
  permissions: () => [{ action: 'dynamodb:ListTables', resource: '*' }],
  async execute({ engine }, ctx, input) {
    const limit = input.Limit ?? listTablesLimitMax;
    let names = engine.tables.names(ctx.region);
    const start = input.ExclusiveStartTableName;
    if (start !== undefined) {
      const startBytes = Buffer.from(start);
      names = names.filter((n) => Buffer.compare(Buffer.from(n), startBytes) > 0);
    }
    const page = names.slice(0, limit);
    return { body: { TableNames: page, LastEvaluatedTableName: names.length > limit ? page[page.length - 1] : undefined } };
  },
});
