// DeleteTable: refused while the table changes state or is protected; answers DELETING, with the
// description DynamoDB gives on delete — no key schema, attribute definitions, creation time or indexes.
// A table with point-in-time recovery is backed up first (a SYSTEM backup, as AWS keeps).
import { describeTable } from '../table-description.js';
import { ResourceInUseException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { onTable, operation } from '../operation.js';
import { decodeTableName, tableNameOnly } from './describe-table.js';

export const deleteTable = operation({
  name: 'DeleteTable',
  kind: 'control',
  members: tableNameOnly,
  decode: decodeTableName(true),
  permissions: (input, ctx) => onTable('DeleteTable', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const table = engine.tables.require(ctx.region, input.TableName);
    if (table.replication?.source !== undefined) throw new ResourceInUseException(messages.replicaBeingUsed(table.TableName));
    if (table.replication?.strong === true) throw new ValidationException(messages.strongDeleteOne);
    const stats = await engine.tables.stats(table);
    // A table with point-in-time recovery leaves a system backup behind, as on AWS.
    if (table.PointInTimeRecovery !== undefined && table.TableStatus === 'ACTIVE' && !table.DeletionProtectionEnabled) await engine.backups.systemBackup(table);
    const deleting = await engine.tables.delete(ctx.region, input.TableName);
    // A replica of a global table deleted in its own region leaves the group, as on AWS.
    if (deleting.replication !== undefined) await engine.globalTables.forget(deleting.region, deleting.TableName, deleting.replication.Replicas);
    const { KeySchema: _k, AttributeDefinitions: _a, CreationDateTime: _c, GlobalSecondaryIndexes: _g, LocalSecondaryIndexes: _l, ...description } = describeTable(deleting, stats);
    return { body: { TableDescription: description } };
  },
});
