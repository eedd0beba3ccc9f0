// ExportTableToPointInTime, DescribeExport and ListExports (engine/export-service.ts): full and
// incremental exports, in DynamoDB JSON or Amazon Ion, into the directory standing in for S3.
import { TableNotFoundException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { ExportRecord } from '../../engine/export-service.js';
import type { Progress } from '../../engine/work-progress.js';
import { arnPage } from '../arn-pages.js';
import { operation } from '../operation.js';
import { integer, members, str, struct, timestamp } from '../validate/shape.js';

/** ListExports returns at most 25 exports a page. */
const listExportsMax = 25;
const seconds = (ms: number): number => ms / 1000;

/** DynamoDB's ExportDescription, from the record (times in epoch seconds); `made`: an export being written in this process, its counts so far. */
function description(record: ExportRecord, made?: Progress): Record<string, unknown> {
  const billed = record.BilledSizeBytes ?? made?.bytes;
  const items = record.ItemCount ?? made?.items;
  return {
    ExportArn: record.ExportArn,
    ExportStatus: record.ExportStatus,
    StartTime: seconds(record.StartTime),
    ...(record.EndTime === undefined ? {} : { EndTime: seconds(record.EndTime) }),
    ...(record.ExportManifest === undefined ? {} : { ExportManifest: record.ExportManifest }),
    TableArn: record.TableArn,
    TableId: record.TableId,
    ...(record.IncrementalExportSpecification === undefined ? { ExportTime: seconds(record.ExportTime) } : {}),
    ...(record.ClientToken === undefined ? {} : { ClientToken: record.ClientToken }),
    S3Bucket: record.S3Bucket,
    ...(record.S3Prefix === undefined ? {} : { S3Prefix: record.S3Prefix }),
    S3SseAlgorithm: 'AES256',
    ...(record.FailureCode === undefined ? {} : { FailureCode: record.FailureCode, FailureMessage: record.FailureMessage }),
    ExportFormat: record.ExportFormat,
    ...(billed === undefined ? {} : { BilledSizeBytes: billed }),
    ...(items === undefined ? {} : { ItemCount: items }),
    ExportType: record.ExportType,
    ...(record.IncrementalExportSpecification === undefined ? {} : {
      IncrementalExportSpecification: {
        ExportFromTime: seconds(record.IncrementalExportSpecification.ExportFromTime), ExportToTime: seconds(record.IncrementalExportSpecification.ExportToTime),
        ExportViewType: record.IncrementalExportSpecification.ExportViewType,
      },
    }),
  };
}

export const exportTableToPointInTime = operation({
  name: 'ExportTableToPointInTime',
  kind: 'control',
  members: members([
    ['TableArn', str({ lengthMin: 1, lengthMax: 1024, notNull: true })],
    ['ExportTime', timestamp()],
    ['ClientToken', str()],
    ['S3Bucket', str({ lengthMax: 255, pattern: '^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$', notNull: true })],
    ['S3BucketOwner', str()],
    ['S3Prefix', str({ lengthMax: 1024 })],
    ['S3SseAlgorithm', str({ oneOf: ['AES256', 'KMS'] })],
    ['S3SseKmsKeyId', str({ lengthMin: 1, lengthMax: 2048 })],
    ['ExportFormat', str({ oneOf: ['DYNAMODB_JSON', 'ION'] })],
    ['ExportType', str({ oneOf: ['FULL_EXPORT', 'INCREMENTAL_EXPORT'] })],
    ['IncrementalExportSpecification', struct('IncrementalExportSpecification', [
      ['ExportFromTime', timestamp()], ['ExportToTime', timestamp()], ['ExportViewType', str({ oneOf: ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES'] })],
    ])],
  ]),
  permissions: (input) => [{ action: 'dynamodb:ExportTableToPointInTime', resource: input.TableArn }],
  async execute({ engine }, ctx, input) {
    const name = input.TableArn.slice(input.TableArn.indexOf(':table/') + ':table/'.length);
    const table = input.TableArn.includes(':table/') ? engine.tables.find(ctx.region, name) : undefined;
    if (table === undefined || table.TableArn !== input.TableArn || table.TableStatus === 'CREATING' || table.TableStatus === 'DELETING') {
      throw new TableNotFoundException(messages.backupTableNotFound(input.TableArn));
    }
    const record = await engine.exports.start({
      region: ctx.region, table, exportTime: input.ExportTime, bucket: input.S3Bucket, prefix: input.S3Prefix, clientToken: input.ClientToken,
      format: input.ExportFormat ?? 'DYNAMODB_JSON',
      incremental: input.ExportType !== 'INCREMENTAL_EXPORT' ? undefined : {
        from: input.IncrementalExportSpecification?.ExportFromTime, to: input.IncrementalExportSpecification?.ExportToTime,
        view: input.IncrementalExportSpecification?.ExportViewType ?? 'NEW_AND_OLD_IMAGES',
      },
    });
    return { body: { ExportDescription: description(record) } };
  },
});

export const describeExport = operation({
  name: 'DescribeExport',
  kind: 'control',
  members: members([['ExportArn', str({ lengthMin: 37, lengthMax: 1024, notNull: true })]]),
  permissions: (input) => [{ action: 'dynamodb:DescribeExport', resource: input.ExportArn }],
  async execute({ engine }, _ctx, input) {
    return { body: { ExportDescription: description(await engine.exports.find(input.ExportArn), engine.exports.progress.of(input.ExportArn)) } };
  },
});

export const listExports = operation({
  name: 'ListExports',
  kind: 'control',
  members: members([
    ['TableArn', str({ lengthMin: 1, lengthMax: 1024 })],
    ['MaxResults', integer({ min: 1, max: listExportsMax })],
    ['NextToken', str()],
  ]),
  permissions: (input) => [{ action: 'dynamodb:ListExports', resource: input.TableArn ?? '*' }],
  async execute({ engine }, ctx, input) {
    const matching = (await engine.exports.all()).filter((e) => e.region === ctx.region && (input.TableArn === undefined || e.TableArn === input.TableArn));
    const { page, nextToken } = arnPage(matching, (e) => e.ExportArn, input.NextToken, input.MaxResults ?? listExportsMax);
    return {
      body: {
        ExportSummaries: page.map((e) => ({ ExportArn: e.ExportArn, ExportStatus: e.ExportStatus, ExportType: e.ExportType })),
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      },
    };
  },
});
