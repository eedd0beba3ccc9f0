// CreateBackup, DescribeBackup, ListBackups and DeleteBackup: on-demand backups kept as files in
// DynamoDB's export layout (engine/backup-service.ts). Details are shaped as DynamoDB shapes them.
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { BackupHeader, StoredBackup } from '../../engine/backups/backup-files.js';
import type { TableStatistics } from '../../engine/table-service.js';
import type { Progress } from '../../engine/work-progress.js';
import { onTable, operation } from '../operation.js';
import { describeTable } from '../table-description.js';
import { integer, members, namePattern, str, tableName, tableNameLengthMax, tableNameLengthMin, timestamp } from '../validate/shape.js';

/** DynamoDB's BackupArn is 37 to 1,024 characters. */
const backupArn = str({ lengthMin: 37, lengthMax: 1024, notNull: true });
const startBackupArn = str({ lengthMin: 37, lengthMax: 1024 });
const backupName = str({ pattern: namePattern, lengthMin: tableNameLengthMin, lengthMax: tableNameLengthMax, notNull: true });
/** ListBackups returns at most 100 backups a page. */
const listLimitMax = 100;

const seconds = (ms: number): number => ms / 1000;

function headerOf(stored: StoredBackup): BackupHeader {
  return stored.status === 'AVAILABLE' ? stored.manifest : stored.header;
}

/** BackupDetails; `made`: a backup being made in this process, its bytes so far (shown as its size while it is CREATING). */
function details(stored: StoredBackup, status: 'CREATING' | 'AVAILABLE' | 'DELETED' = stored.status, made?: Progress): Record<string, unknown> {
  const header = headerOf(stored);
  const size = stored.status === 'AVAILABLE' ? stored.manifest.BackupSizeBytes : made?.bytes;
  return {
    BackupArn: header.BackupArn,
    BackupName: header.BackupName,
    ...(size === undefined ? {} : { BackupSizeBytes: size }),
    BackupStatus: status,
    BackupType: header.BackupType,
    BackupCreationDateTime: seconds(header.BackupCreationDateTime),
    ...(header.BackupExpiryDateTime === undefined ? {} : { BackupExpiryDateTime: seconds(header.BackupExpiryDateTime) }),
  };
}

/** DescribeBackup's description: the backup, its source table, that table's features. */
function description(stored: StoredBackup, status?: 'DELETED', made?: Progress): Record<string, unknown> {
  const { table } = headerOf(stored);
  const stats: TableStatistics = stored.status === 'AVAILABLE' ? { itemCount: stored.manifest.ItemCount, sizeBytes: stored.manifest.BackupSizeBytes } : { itemCount: 0, sizeBytes: 0 };
  const described = describeTable(table, stats);
  return {
    BackupDetails: details(stored, status, made),
    SourceTableDetails: {
      TableName: table.TableName,
      TableId: table.TableId,
      TableArn: table.TableArn,
      TableSizeBytes: stats.sizeBytes,
      KeySchema: table.KeySchema,
      TableCreationDateTime: seconds(table.CreationDateTime),
      ProvisionedThroughput: { ReadCapacityUnits: table.ProvisionedThroughput.ReadCapacityUnits, WriteCapacityUnits: table.ProvisionedThroughput.WriteCapacityUnits },
      ...(table.OnDemandThroughput === undefined ? {} : { OnDemandThroughput: table.OnDemandThroughput }),
      ItemCount: stats.itemCount,
      BillingMode: table.BillingMode,
    },
    SourceTableFeatureDetails: {
      ...(described['LocalSecondaryIndexes'] === undefined ? {} : { LocalSecondaryIndexes: table.LocalSecondaryIndexes.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })) }),
      ...(table.GlobalSecondaryIndexes.length === 0 ? {} : {
        GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.map((i) => ({
          IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection,
          ProvisionedThroughput: { ReadCapacityUnits: i.ProvisionedThroughput.ReadCapacityUnits, WriteCapacityUnits: i.ProvisionedThroughput.WriteCapacityUnits },
        })),
      }),
      ...(table.StreamSpecification?.StreamEnabled === true ? { StreamDescription: table.StreamSpecification } : {}),
      ...(table.TimeToLive?.Enabled === true ? { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: table.TimeToLive.AttributeName } } : {}),
      ...(described['SSEDescription'] === undefined ? {} : { SSEDescription: described['SSEDescription'] }),
    },
  };
}

export const createBackup = operation({
  name: 'CreateBackup',
  kind: 'control',
  members: members([
    ['TableName', tableName({ notNull: true })],
    ['BackupName', backupName],
  ]),
  permissions: (input, ctx) => onTable('CreateBackup', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const header = await engine.backups.create(engine.tables.find(ctx.region, input.TableName), input.TableName, input.BackupName);
    return { body: { BackupDetails: details({ status: 'CREATING', header }) } };
  },
});

export const describeBackup = operation({
  name: 'DescribeBackup',
  kind: 'control',
  members: members([['BackupArn', backupArn]]),
  permissions: (input) => [{ action: 'dynamodb:DescribeBackup', resource: input.BackupArn }],
  async execute({ engine }, _ctx, input) {
    return { body: { BackupDescription: description(await engine.backups.find(input.BackupArn), undefined, engine.backups.progress.of(input.BackupArn)) } };
  },
});

export const deleteBackup = operation({
  name: 'DeleteBackup',
  kind: 'control',
  members: members([['BackupArn', backupArn]]),
  permissions: (input) => [{ action: 'dynamodb:DeleteBackup', resource: input.BackupArn }],
  async execute({ engine }, _ctx, input) {
    return { body: { BackupDescription: description(await engine.backups.delete(input.BackupArn), 'DELETED') } };
  },
});

export const listBackups = operation({
  name: 'ListBackups',
  kind: 'control',
  members: members([
    ['TableName', tableName()],
    ['Limit', integer({ min: 1, max: listLimitMax })],
    ['TimeRangeLowerBound', timestamp()],
    ['TimeRangeUpperBound', timestamp()],
    ['ExclusiveStartBackupArn', startBackupArn],
    ['BackupType', str({ oneOf: ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'] })],
  ]),
  permissions: (input, ctx) => onTable('ListBackups', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const type = input.BackupType ?? 'USER';
    const region = `:${ctx.region}:`;
    if (input.TimeRangeLowerBound !== undefined && input.TimeRangeUpperBound !== undefined && input.TimeRangeLowerBound > input.TimeRangeUpperBound) {
      throw new ValidationException(messages.backupTimeRange);
    }
    if (input.ExclusiveStartBackupArn !== undefined && !input.ExclusiveStartBackupArn.includes(region)) throw new ValidationException(messages.backupStartOtherRegion);
    const matching = (await engine.backups.list()).filter((stored) => {
      const header = headerOf(stored);
      const at = header.BackupCreationDateTime;
      return header.BackupArn.includes(region)
        && (input.TableName === undefined || header.table.TableName === input.TableName || header.table.TableArn === input.TableName)
        && (type === 'ALL' || header.BackupType === type)
        && (input.TimeRangeLowerBound === undefined || at >= input.TimeRangeLowerBound)
        && (input.TimeRangeUpperBound === undefined || at < input.TimeRangeUpperBound);
    });
    const from = input.ExclusiveStartBackupArn === undefined ? 0 : matching.findIndex((s) => headerOf(s).BackupArn === input.ExclusiveStartBackupArn) + 1;
    const limit = input.Limit ?? listLimitMax;
    const page = matching.slice(from, from + limit);
    const more = from + limit < matching.length;
    return {
      body: {
        BackupSummaries: page.map((stored) => {
          const header = headerOf(stored);
          return {
            TableName: header.table.TableName, TableId: header.table.TableId, TableArn: header.table.TableArn, ...details(stored),
          };
        }),
        ...(more && page.length > 0 ? { LastEvaluatedBackupArn: headerOf(page[page.length - 1] as StoredBackup).BackupArn } : {}),
      },
    };
  },
});
