// RestoreTableFromBackup: a new table holding a backup's items, with the backup's table definition and
// the request's overrides. The answer comes at once with the table CREATING and a RestoreSummary in
// progress; the engine copies the items in the background and makes it ACTIVE.
import { BackupInUseException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { onTable, operation } from '../operation.js';
import { checkRestoreTarget, restoredDefinition, restoreOverrideMembers, restoreTargetPermissions, targetTableName } from '../restored-definition.js';
import { describeTable } from '../table-description.js';
import { members, str } from '../validate/shape.js';

export const restoreTableFromBackup = operation({
  name: 'RestoreTableFromBackup',
  kind: 'control',
  members: members([
    ['TargetTableName', targetTableName],
    ['BackupArn', str({ lengthMin: 37, lengthMax: 1024, notNull: true })],
    ...restoreOverrideMembers,
  ]),
  permissions: (input, ctx) => [
    { action: 'dynamodb:RestoreTableFromBackup', resource: input.BackupArn }, ...onTable('RestoreTableFromBackup', input.TargetTableName, ctx), ...restoreTargetPermissions(ctx, input.TargetTableName),
  ],
  async execute({ engine }, ctx, input) {
    const backup = await engine.backups.find(input.BackupArn);
    if (backup.status !== 'AVAILABLE') throw new BackupInUseException(messages.backupInUse(input.BackupArn));
    checkRestoreTarget(engine.tables.find(ctx.region, input.TargetTableName), input.TargetTableName);
    const definition = restoredDefinition(backup.manifest.table, input.TargetTableName, input);
    const table = await engine.backups.restore({ region: ctx.region, backup, definition }, engine.tables.namespaceOf(ctx.region));
    return { body: { TableDescription: describeTable(table, { itemCount: 0, sizeBytes: 0 }) } };
  },
});
