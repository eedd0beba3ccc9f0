// The global tables API of version 2017.11.29 (CreateGlobalTable, DescribeGlobalTable,
// UpdateGlobalTable, ListGlobalTables, DescribeGlobalTableSettings, UpdateGlobalTableSettings), served
// as DynamoDB serves it today: it makes no such global table any more — CreateGlobalTable, and an
// UpdateGlobalTable that adds a replica, are refused with the recommendation of version 2019.11.21
// (UpdateTable's ReplicaUpdates) — so no name is a legacy global table: the others answer
// GlobalTableNotFoundException, and ListGlobalTables an empty list. Tables replicated with
// version 2019.11.21 are not legacy global tables either, as on AWS.
import { GlobalTableNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { operation, type Permission, type RequestContext } from '../operation.js';
import { integer, list, long, members, namePattern, str, struct, tableNameLengthMax, tableNameLengthMin } from '../validate/shape.js';

const nameConstraints = { pattern: namePattern, lengthMin: tableNameLengthMin, lengthMax: tableNameLengthMax } as const;
const globalTableName = str(nameConstraints);
const requiredGlobalTableName = str({ ...nameConstraints, notNull: true });
const replica = struct('Replica', [['RegionName', str()]]);

/** What IAM checks for a global table: the action on `arn:aws:dynamodb::ACCOUNT:global-table/NAME`. */
function onGlobalTable(action: string, name: string | undefined, ctx: RequestContext): Permission[] {
  return [{ action: `dynamodb:${action}`, resource: name === undefined ? '*' : `arn:aws:dynamodb::${ctx.accountId}:global-table/${name}` }];
}

export const createGlobalTable = operation({
  name: 'CreateGlobalTable',
  kind: 'control',
  members: members([['GlobalTableName', requiredGlobalTableName], ['ReplicationGroup', list(replica, { notNull: true })]]),
  permissions: (input, ctx) => onGlobalTable('CreateGlobalTable', input.GlobalTableName, ctx),
  async execute() {
    throw new ValidationException(messages.legacyGlobalTables);
  },
});

export const describeGlobalTable = operation({
  name: 'DescribeGlobalTable',
  kind: 'control',
  members: members([['GlobalTableName', requiredGlobalTableName]]),
  permissions: (input, ctx) => onGlobalTable('DescribeGlobalTable', input.GlobalTableName, ctx),
  async execute(_services, _ctx, input) {
    throw new GlobalTableNotFoundException(messages.legacyGlobalTableNotFoundDescribe(input.GlobalTableName));
  },
});

export const updateGlobalTable = operation({
  name: 'UpdateGlobalTable',
  kind: 'control',
  members: members([
    ['GlobalTableName', requiredGlobalTableName],
    ['ReplicaUpdates', list(struct('ReplicaUpdate', [
      ['Create', struct('CreateReplicaAction', [['RegionName', str({ notNull: true })]])],
      ['Delete', struct('DeleteReplicaAction', [['RegionName', str({ notNull: true })]])],
    ]), { notNull: true })],
  ]),
  permissions: (input, ctx) => onGlobalTable('UpdateGlobalTable', input.GlobalTableName, ctx),
  async execute(_services, _ctx, input) {
    if (input.ReplicaUpdates.length === 0) throw new ValidationException(messages.legacyReplicaUpdatesEmpty);
    // Adding a replica is refused before the global table is looked for.
    if (input.ReplicaUpdates.some((u) => u.Create !== undefined)) throw new ValidationException(messages.legacyGlobalTables);
    throw new GlobalTableNotFoundException(messages.legacyGlobalTableNotFound(input.GlobalTableName));
  },
});

export const listGlobalTables = operation({
  name: 'ListGlobalTables',
  kind: 'control',
  members: members([['ExclusiveStartGlobalTableName', globalTableName], ['Limit', integer({ min: 1 })], ['RegionName', str()]]),
  permissions: () => [{ action: 'dynamodb:ListGlobalTables', resource: '*' }],
  async execute() {
    return { body: { GlobalTables: [] } };
  },
});

export const describeGlobalTableSettings = operation({
  name: 'DescribeGlobalTableSettings',
  kind: 'control',
  members: members([['GlobalTableName', requiredGlobalTableName]]),
  permissions: (input, ctx) => onGlobalTable('DescribeGlobalTableSettings', input.GlobalTableName, ctx),
  async execute(_services, _ctx, input) {
    throw new GlobalTableNotFoundException(messages.legacyGlobalTableNotFound(input.GlobalTableName));
  },
});

export const updateGlobalTableSettings = operation({
  name: 'UpdateGlobalTableSettings',
  kind: 'control',
  members: members([
    ['GlobalTableName', requiredGlobalTableName],
    ['GlobalTableBillingMode', str({ oneOf: ['PROVISIONED', 'PAY_PER_REQUEST'] })],
    ['GlobalTableProvisionedWriteCapacityUnits', long({ min: 1 })],
  ]),
  permissions: (input, ctx) => onGlobalTable('UpdateGlobalTableSettings', input.GlobalTableName, ctx),
  async execute(_services, _ctx, input) {
    throw new GlobalTableNotFoundException(messages.legacyGlobalTableNotFound(input.GlobalTableName));
  },
});
