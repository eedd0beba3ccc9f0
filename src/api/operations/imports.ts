// ImportTable, DescribeImport and ListImports (engine/import-service.ts): a new table from DynamoDB
// JSON, Amazon Ion or CSV objects in the directory standing in for S3 (--s3-dir), checked as DynamoDB
// checks them; bad items are counted and logged, not imported.
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { ImportRecord } from '../../engine/import-service.js';
import { arnPage } from '../arn-pages.js';
import { onTable, operation } from '../operation.js';
import { attributeDefinitions, onDemandThroughput, provisionedThroughput, sseSpecification, tableKeySchema } from '../validate/common-shapes.js';
import { integer, list, members, namePattern, str, struct, tableNameLengthMax, tableNameLengthMin } from '../validate/shape.js';
import { checkDefinition, globalIndex } from './create-table.js';

/** ListImports returns at most 25 imports a page. */
const listImportsMax = 25;
const seconds = (ms: number): number => ms / 1000;

/** DynamoDB's ImportTableDescription, from the record (times in epoch seconds). */
function description(record: ImportRecord): Record<string, unknown> {
  return {
    ImportArn: record.ImportArn,
    ImportStatus: record.ImportStatus,
    TableArn: record.TableArn,
    TableId: record.TableId,
    ...(record.ClientToken === undefined ? {} : { ClientToken: record.ClientToken }),
    S3BucketSource: record.S3BucketSource,
    ErrorCount: record.ErrorCount,
    CloudWatchLogGroupArn: record.CloudWatchLogGroupArn,
    InputFormat: record.InputFormat,
    ...(record.InputFormatOptions === undefined ? {} : { InputFormatOptions: record.InputFormatOptions }),
    InputCompressionType: record.InputCompressionType,
    TableCreationParameters: record.TableCreationParameters,
    StartTime: seconds(record.StartTime),
    ...(record.EndTime === undefined ? {} : { EndTime: seconds(record.EndTime) }),
    ProcessedSizeBytes: record.ProcessedSizeBytes,
    ProcessedItemCount: record.ProcessedItemCount,
    ImportedItemCount: record.ImportedItemCount,
    ...(record.FailureCode === undefined ? {} : { FailureCode: record.FailureCode, FailureMessage: record.FailureMessage }),
  };
}

const tableCreationParameters = struct('TableCreationParameters', [
  ['TableName', str({ pattern: namePattern, lengthMin: tableNameLengthMin, lengthMax: tableNameLengthMax, notNull: true })],
  ['AttributeDefinitions', attributeDefinitions({ notNull: true })],
  ['KeySchema', tableKeySchema],
  ['BillingMode', str({ oneOf: ['PROVISIONED', 'PAY_PER_REQUEST'] })],
  ['ProvisionedThroughput', provisionedThroughput],
  ['OnDemandThroughput', onDemandThroughput],
  ['SSESpecification', sseSpecification],
  ['GlobalSecondaryIndexes', list(globalIndex)],
], { notNull: true });

export const importTable = operation({
  name: 'ImportTable',
  kind: 'control',
  members: members([
    ['ClientToken', str({ pattern: '^[^\\$]+$' })],
    ['S3BucketSource', struct('S3BucketSource', [
      ['S3BucketOwner', str({ pattern: '[0-9]{12}' })],
      ['S3Bucket', str({ lengthMax: 255, pattern: '^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$', notNull: true })],
      ['S3KeyPrefix', str({ lengthMax: 1024 })],
    ], { notNull: true })],
    ['InputFormat', str({ oneOf: ['DYNAMODB_JSON', 'ION', 'CSV'], notNull: true })],
    ['InputFormatOptions', struct('InputFormatOptions', [
      ['Csv', struct('CsvOptions', [
        ['Delimiter', str({ lengthMin: 1, lengthMax: 1, pattern: '[,;:|\\t ]' })],
        ['HeaderList', list(str({ lengthMin: 1, lengthMax: 65536, pattern: '[\\x20-\\x21\\x23-\\x2B\\x2D-\\x7E]*' }), { lengthMin: 1, lengthMax: 255 })],
      ])],
    ])],
    ['InputCompressionType', str({ oneOf: ['GZIP', 'ZSTD', 'NONE'] })],
    ['TableCreationParameters', tableCreationParameters],
  ]),
  permissions: (input, ctx) => onTable('ImportTable', input.TableCreationParameters.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const source = input.S3BucketSource;
    if (input.InputFormatOptions !== undefined && input.InputFormat !== 'CSV') throw new ValidationException(messages.importFormatOptions(input.InputFormat));
    if (!engine.imports.prefixInside(source.S3Bucket, source.S3KeyPrefix ?? '')) throw new ValidationException(messages.importPrefixOutside);
    const parameters = input.TableCreationParameters;
    const definition = checkDefinition({ ...parameters, TableName: parameters.TableName });
    const record = await engine.imports.start({
      region: ctx.region, namespace: engine.tables.namespaceOf(ctx.region), definition, clientToken: input.ClientToken,
      S3BucketSource: source, InputFormat: input.InputFormat,
      ...(input.InputFormatOptions === undefined ? {} : { InputFormatOptions: input.InputFormatOptions }),
      InputCompressionType: input.InputCompressionType ?? 'NONE', TableCreationParameters: parameters,
    });
    return { body: { ImportTableDescription: description(record) } };
  },
});

export const describeImport = operation({
  name: 'DescribeImport',
  kind: 'control',
  members: members([['ImportArn', str({ lengthMin: 37, lengthMax: 1024, notNull: true })]]),
  permissions: (input) => [{ action: 'dynamodb:DescribeImport', resource: input.ImportArn }],
  async execute({ engine }, _ctx, input) {
    return { body: { ImportTableDescription: description(await engine.imports.find(input.ImportArn)) } };
  },
});

export const listImports = operation({
  name: 'ListImports',
  kind: 'control',
  members: members([
    ['TableArn', str({ lengthMin: 1, lengthMax: 1024 })],
    ['PageSize', integer({ min: 1, max: listImportsMax })],
    ['NextToken', str({ lengthMin: 112, lengthMax: 1024, pattern: '([0-9a-f]{16})+' })],
  ]),
  permissions: (input) => [{ action: 'dynamodb:ListImports', resource: input.TableArn ?? '*' }],
  async execute({ engine }, ctx, input) {
    const matching = (await engine.imports.all()).filter((i) => i.region === ctx.region && (input.TableArn === undefined || i.TableArn === input.TableArn));
    const { page, nextToken } = arnPage(matching, (i) => i.ImportArn, input.NextToken, input.PageSize ?? listImportsMax);
    return {
      body: {
        ImportSummaryList: page.map((i) => ({
          ImportArn: i.ImportArn, ImportStatus: i.ImportStatus, TableArn: i.TableArn, S3BucketSource: i.S3BucketSource,
          CloudWatchLogGroupArn: i.CloudWatchLogGroupArn, InputFormat: i.InputFormat, StartTime: seconds(i.StartTime),
          ...(i.EndTime === undefined ? {} : { EndTime: seconds(i.EndTime) }),
        })),
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      },
    };
  },
});
