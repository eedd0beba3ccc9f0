// RestoreTableToPointInTime: a new table holding exactly the source table's items (and index entries)
// of a moment in its recovery window. The answer comes at once with the table CREATING and a
// RestoreSummary in progress; the engine copies the items in the background and makes it ACTIVE.
import { TableNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { TableRecord } from '../../model/table.js';
import { onTable, operation, type RequestContext } from '../operation.js';
import { checkRestoreTarget, restoredDefinition, restoreOverrideMembers, restoreTargetPermissions, targetTableName } from '../restored-definition.js';
import { describeTable } from '../table-description.js';
import { bool, members, plainTableName, str, timestamp } from '../validate/shape.js';

export const restoreTableToPointInTime = operation({
  name: 'RestoreTableToPointInTime',
  kind: 'control',
  members: members([
    ['SourceTableArn', str({ lengthMin: 1, lengthMax: 1024 })],
    ['SourceTableName', plainTableName()],
    ['TargetTableName', targetTableName],
    ['UseLatestRestorableTime', bool()],
    ['RestoreDateTime', timestamp()],
    ...restoreOverrideMembers,
  ]),
  permissions: (input, ctx) => [
    ...onTable('RestoreTableToPointInTime', input.SourceTableName ?? nameInArn(input.SourceTableArn), ctx),
    ...onTable('RestoreTableToPointInTime', input.TargetTableName, ctx),
    ...restoreTargetPermissions(ctx, input.TargetTableName),
  ],
  async execute({ engine }, ctx, input) {
    if ((input.SourceTableArn === undefined) === (input.SourceTableName === undefined)) throw new ValidationException(messages.restoreSource);
    const latest = input.UseLatestRestorableTime === true;
    if (latest === (input.RestoreDateTime !== undefined)) throw new ValidationException(messages.restoreTime);
    const source = sourceTable(engine.tables.find.bind(engine.tables), ctx, input.SourceTableName, input.SourceTableArn);
    checkRestoreTarget(engine.tables.find(ctx.region, input.TargetTableName), input.TargetTableName);
    const definition = restoredDefinition(source, input.TargetTableName, input);
    const table = await engine.recovery.restore({
      region: ctx.region, source, at: latest ? 'latest' : (input.RestoreDateTime as number), definition,
    });
    return { body: { TableDescription: describeTable(table, { itemCount: 0, sizeBytes: 0 }) } };
  },
});

function nameInArn(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const at = arn.indexOf(':table/');
  return at < 0 ? arn : arn.slice(at + ':table/'.length).split('/')[0];
}

/** The source table, by name or by ARN (which must name a table of the request's region and account). */
function sourceTable(find: (region: string, name: string) => TableRecord | undefined, ctx: RequestContext, name: string | undefined, arn: string | undefined): TableRecord {
  const wanted = name ?? nameInArn(arn) ?? '';
  const table = find(ctx.region, wanted);
  if (table === undefined || table.TableStatus === 'CREATING' || table.TableStatus === 'DELETING' || (arn !== undefined && table.TableArn !== arn)) {
    throw new TableNotFoundException(messages.backupTableNotFound(arn ?? wanted));
  }
  return table;
}
