// RestoreTableFromBackup: a new table holding a backup's items, with the backup's table definition and
// the request's overrides. The answer comes at once with the table CREATING and a RestoreSummary in
// progress; the engine copies the items in the background and makes it ACTIVE.
import { BackupInUseException, TableAlreadyExistsException, TableInUseException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { onTable, operation } from '../operation.js';
import { restoredDefinition } from '../restored-definition.js';
import { describeTable } from '../table-description.js';
import { onDemandThroughput, provisionedThroughput, sseSpecification } from '../validate/common-shapes.js';
import { list, members, namePattern, str, tableNameLengthMax, tableNameLengthMin } from '../validate/shape.js';
import { globalIndex, localIndex } from './create-table.js';

export const restoreTableFromBackup = operation({
  name: 'RestoreTableFromBackup',
  kind: 'control',
  members: members([
    ['TargetTableName', str({ pattern: namePattern, lengthMin: tableNameLengthMin, lengthMax: tableNameLengthMax, notNull: true })],
    ['BackupArn', str({ lengthMin: 37, lengthMax: 1024, notNull: true })],
    ['BillingModeOverride', str({ oneOf: ['PROVISIONED', 'PAY_PER_REQUEST'] })],
    ['GlobalSecondaryIndexOverride', list(globalIndex)],
    ['LocalSecondaryIndexOverride', list(localIndex)],
    ['ProvisionedThroughputOverride', provisionedThroughput],
    ['OnDemandThroughputOverride', onDemandThroughput],
    ['SSESpecificationOverride', sseSpecification],
  ]),
  permissions: (input, ctx) => [{ action: 'dynamodb:RestoreTableFromBackup', resource: input.BackupArn }, ...onTable('RestoreTableFromBackup', input.TargetTableName, ctx)],
  async execute({ engine }, ctx, input) {
    const backup = await engine.backups.find(input.BackupArn);
    if (backup.status !== 'AVAILABLE') throw new BackupInUseException(messages.backupInUse(input.BackupArn));
    const existing = engine.tables.find(ctx.region, input.TargetTableName);
    if (existing !== undefined) {
      if (existing.TableStatus === 'CREATING' || existing.TableStatus === 'DELETING') throw new TableInUseException(messages.restoreTargetInUse(input.TargetTableName));
      throw new TableAlreadyExistsException(messages.tableExists(input.TargetTableName));
    }
    const definition = restoredDefinition(backup.manifest.table, input.TargetTableName, input);
    const table = await engine.backups.restore({ region: ctx.region, backup, definition }, engine.tables.namespaceOf(ctx.region));
    return { body: { TableDescription: describeTable(table, { itemCount: 0, sizeBytes: 0 }) } };
  },
});
