// UpdateContinuousBackups and DescribeContinuousBackups: point-in-time recovery of a table, and the
// window a restore can reach (engine/recovery-service.ts). Continuous backups themselves are always
// on, as on DynamoDB; point-in-time recovery is what a caller turns on and off.
import { TableNotFoundException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { RecoveryWindow } from '../../engine/recovery-service.js';
import { onTable, operation } from '../operation.js';
import { bool, integer, members, struct, tableName } from '../validate/shape.js';
import { tableNameOnly } from './describe-table.js';

/** DynamoDB keeps 1 to 35 days of point-in-time recovery. */
const recoveryPeriodDaysMin = 1;
const recoveryPeriodDaysMax = 35;

const seconds = (ms: number): number => ms / 1000;

export function continuousBackupsDescription(window: RecoveryWindow): Record<string, unknown> {
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: window.enabled
      ? {
        PointInTimeRecoveryStatus: 'ENABLED',
        RecoveryPeriodInDays: window.periodDays,
        ...(window.earliest === undefined ? {} : { EarliestRestorableDateTime: seconds(window.earliest) }),
        ...(window.latest === undefined ? {} : { LatestRestorableDateTime: seconds(window.latest) }),
      }
      : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}

export const updateContinuousBackups = operation({
  name: 'UpdateContinuousBackups',
  kind: 'control',
  members: members([
    ['TableName', tableName({ notNull: true })],
    ['PointInTimeRecoverySpecification', struct('PointInTimeRecoverySpecification', [
      ['PointInTimeRecoveryEnabled', bool({ notNull: true })],
      ['RecoveryPeriodInDays', integer({ min: recoveryPeriodDaysMin, max: recoveryPeriodDaysMax })],
    ], { notNull: true })],
  ]),
  permissions: (input, ctx) => onTable('UpdateContinuousBackups', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const spec = input.PointInTimeRecoverySpecification;
    if (!spec.PointInTimeRecoveryEnabled && spec.RecoveryPeriodInDays !== undefined) throw new ValidationException(messages.recoveryPeriodWhenDisabling);
    const table = await engine.recovery.update(engine.tables.namespaceOf(ctx.region), input.TableName, spec.PointInTimeRecoveryEnabled, spec.RecoveryPeriodInDays);
    return { body: { ContinuousBackupsDescription: continuousBackupsDescription(await engine.recovery.window(table)) } };
  },
});

export const describeContinuousBackups = operation({
  name: 'DescribeContinuousBackups',
  kind: 'control',
  members: tableNameOnly,
  permissions: (input, ctx) => onTable('DescribeContinuousBackups', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const table = engine.tables.find(ctx.region, input.TableName);
    if (table === undefined) throw new TableNotFoundException(messages.backupTableNotFound(input.TableName));
    return { body: { ContinuousBackupsDescription: continuousBackupsDescription(await engine.recovery.window(table)) } };
  },
});
