// Shapes shared by several operations (DynamoDB's model types), members in AWS's order.
import { bool, integer, list, long, namePattern, str, struct, tableName, type Constraints } from './shape.js';

export const returnConsumedCapacity = str({ oneOf: ['INDEXES', 'TOTAL', 'NONE'] });
export const returnItemCollectionMetrics = str({ oneOf: ['SIZE', 'NONE'] });
export const returnValues = str({ oneOf: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] });
export const returnValuesOnConditionCheckFailure = str({ oneOf: ['ALL_OLD', 'NONE'] });
export const itemTableName = tableName({ notNull: true });

const throughputMembers = [
  ['WriteCapacityUnits', long({ notNull: true, min: 1 })],
  ['ReadCapacityUnits', long({ notNull: true, min: 1 })],
] as const;
export const provisionedThroughput = struct('ProvisionedThroughput', throughputMembers);
export const requiredProvisionedThroughput = struct('ProvisionedThroughput', throughputMembers, { notNull: true });

export const onDemandThroughput = struct('OnDemandThroughput', [
  ['MaxReadRequestUnits', long()],
  ['MaxWriteRequestUnits', long()],
]);

export const warmThroughput = struct('WarmThroughput', [
  ['ReadUnitsPerSecond', long()],
  ['WriteUnitsPerSecond', long()],
]);

/** AttributeDefinitions; AWS reports a definition's missing type before its missing name (recorded in 2026). */
export const attributeDefinitions = <const C extends Constraints = {}>(c?: C) => list(struct('AttributeDefinition', [
  ['AttributeType', str({ notNull: true, oneOf: ['B', 'N', 'S'] })],
  ['AttributeName', str({ notNull: true, lengthMin: 1, lengthMax: 255 })],
]), c);

/** A table's key schema: at most two elements, KeyType one of HASH and RANGE. */
export const tableKeySchema = list(
  struct('KeySchemaElement', [
    ['AttributeName', str({ notNull: true, lengthMin: 1, lengthMax: 255 })],
    ['KeyType', str({ notNull: true, oneOf: ['HASH', 'RANGE'] })],
  ]),
  { notNull: true, lengthMin: 1, lengthMax: 2 },
);

const indexKeySchemaElement = struct('KeySchemaElement', [
  ['AttributeName', str({ notNull: true, lengthMin: 1, lengthMax: 255 })],
  // An index's KeyType is judged by the semantic checks ("…must be HASH"), not as an enum.
  ['KeyType', str({ notNull: true })],
]);
/** An LSI's key schema has at most two elements. */
export const localIndexKeySchema = list(indexKeySchemaElement, { notNull: true, lengthMin: 1, lengthMax: 2 });
/** A GSI's has no length limit in the model (multi-attribute keys). */
export const globalIndexKeySchema = list(indexKeySchemaElement, { notNull: true, lengthMin: 1 });

export const projection = struct(
  'Projection',
  [
    ['ProjectionType', str({ oneOf: ['ALL', 'INCLUDE', 'KEYS_ONLY'] })],
    ['NonKeyAttributes', list(str(), { lengthMin: 1, lengthMax: 20 })],
  ],
  { notNull: true },
);

export const indexName = str({ notNull: true, pattern: namePattern, lengthMin: 3, lengthMax: 255, lengthFirst: true });

export const streamSpecification = struct('StreamSpecification', [
  ['StreamEnabled', bool({ notNull: true })],
  // The enum's order as AWS lists it in its constraint text (recorded in 2026).
  ['StreamViewType', str({ oneOf: ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'] })],
]);

export const sseSpecification = struct('SSESpecification', [
  ['Enabled', bool()],
  ['SSEType', str({ oneOf: ['AES256', 'KMS'] })],
  ['KMSMasterKeyId', str({ lengthMin: 1 })],
]);

/** Tags' members are checked by tag-rules.ts with AWS's own texts, not as member constraints. */
export const tags = list(
  struct('Tag', [
    ['Key', str()],
    ['Value', str()],
  ]),
);

export const limit = (max: number) => integer({ min: 1, max });
