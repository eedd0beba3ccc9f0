// Shapes shared by several operations (DynamoDB's model types), members in AWS's order.
import { integer, list, long, str, struct, tableName, type Shape } from './shape.js';

export const returnConsumedCapacity = str({ oneOf: ['INDEXES', 'TOTAL', 'NONE'] });
export const returnItemCollectionMetrics = str({ oneOf: ['SIZE', 'NONE'] });
export const returnValues = str({ oneOf: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] });
export const returnValuesOnConditionCheckFailure = str({ oneOf: ['ALL_OLD', 'NONE'] });
export const itemTableName = tableName({ notNull: true });

export const provisionedThroughput = (c: { notNull?: true } = {}): Shape =>
  struct('ProvisionedThroughput', [
    ['WriteCapacityUnits', long({ notNull: true, min: 1 })],
    ['ReadCapacityUnits', long({ notNull: true, min: 1 })],
  ], c);

export const onDemandThroughput = struct('OnDemandThroughput', [
  ['MaxReadRequestUnits', long()],
  ['MaxWriteRequestUnits', long()],
]);

export const warmThroughput = struct('WarmThroughput', [
  ['ReadUnitsPerSecond', long()],
  ['WriteUnitsPerSecond', long()],
]);

/** A table's or LSI's key schema has at most two elements; a GSI's has no length limit in the model (multi-attribute keys). */
export const keySchema = (typed: boolean, global = false): Shape =>
  list(
    struct('KeySchemaElement', [
      ['AttributeName', str({ notNull: true, lengthMin: 1, lengthMax: 255 })],
      ['KeyType', typed ? str({ notNull: true, oneOf: ['HASH', 'RANGE'] }) : str({ notNull: true })],
    ]),
    global ? { notNull: true, lengthMin: 1 } : { notNull: true, lengthMin: 1, lengthMax: 2 },
  );

export const projection = struct(
  'Projection',
  [
    ['ProjectionType', str({ oneOf: ['ALL', 'INCLUDE', 'KEYS_ONLY'] })],
    ['NonKeyAttributes', list(str(), { lengthMin: 1, lengthMax: 20 })],
  ],
  { notNull: true },
);

export const indexName = str({ notNull: true, pattern: '[a-zA-Z0-9_.-]+', lengthMin: 3, lengthMax: 255 });

export const streamSpecification = struct('StreamSpecification', [
  ['StreamEnabled', { kind: 'boolean', notNull: true }],
  ['StreamViewType', str({ oneOf: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] })],
]);

export const sseSpecification = struct('SSESpecification', [
  ['Enabled', { kind: 'boolean' }],
  ['SSEType', str({ oneOf: ['AES256', 'KMS'] })],
  ['KMSMasterKeyId', str()],
]);

export const tags = list(
  struct('Tag', [
    ['Key', str({ notNull: true, lengthMin: 1, lengthMax: 128 })],
    ['Value', str({ notNull: true, lengthMin: 0, lengthMax: 256 })],
  ]),
);

export const limit = (max: number): Shape => integer({ min: 1, max });
