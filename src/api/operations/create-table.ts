// CreateTable: every check DynamoDB makes on a table definition, in DynamoDB's order, then the
// engine gives the table its identity and status.
import type { NewTable } from '../../engine/engine.js';
import { describeTable } from '../table-description.js';
import type { AttributeDefinition, BillingMode, GlobalIndexRecord, KeySchemaElement, LocalIndexRecord, Projection, StreamState } from '../../model/table.js';
import { checkAccountLimits, provisionedElsewhere } from '../account-limits.js';
import { onTable, operation } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { checkConstraints } from '../validate/check-constraints.js';
import { checkTypes } from '../validate/check-types.js';
import {
  attributeDefinitions,
  globalIndexKeySchema, indexName, localIndexKeySchema, onDemandThroughput, projection, provisionedThroughput, sseSpecification,
  streamSpecification, tableKeySchema, tags, warmThroughput,
} from '../validate/common-shapes.js';
import { bool, list, members, namePattern, str, struct, type InputOf, type InputOfMembers } from '../validate/shape.js';
import { checkTableNameParameter } from '../validate/table-name-parameter.js';
import { checkTags } from './tag-rules.js';
import { checkOnDemand, checkWarmAtCreate } from '../capacity-settings.js';
import { streamLabel } from '../../model/stream-label.js';

/** DynamoDB: at most 5 local secondary indexes per table. */
export const localIndexesMax = 5;
/** DynamoDB: at most 20 global secondary indexes per table (default quota). */
export const globalIndexesMax = 20;
/** Largest capacity DynamoDB accepts in a ProvisionedThroughput. */
export const capacityUnitsMax = 1_000_000_000_000;

export const localIndex = struct('LocalSecondaryIndex', [
  ['IndexName', indexName],
  ['KeySchema', localIndexKeySchema],
  ['Projection', projection],
]);
export const globalIndex = struct('GlobalSecondaryIndex', [
  ['IndexName', indexName],
  ['KeySchema', globalIndexKeySchema],
  ['Projection', projection],
  ['ProvisionedThroughput', provisionedThroughput],
  ['OnDemandThroughput', onDemandThroughput],
  ['WarmThroughput', warmThroughput],
]);

export const createTableShape = members([
  ['AttributeDefinitions', attributeDefinitions({ notNull: true })],
  ['TableName', str({ pattern: namePattern, notNull: true, orTableArn: true })],
  ['BillingMode', str({ oneOf: ['PROVISIONED', 'PAY_PER_REQUEST'] })],
  ['ProvisionedThroughput', provisionedThroughput],
  ['KeySchema', tableKeySchema],
  ['LocalSecondaryIndexes', list(localIndex)],
  ['GlobalSecondaryIndexes', list(globalIndex)],
  ['StreamSpecification', streamSpecification],
  ['SSESpecification', sseSpecification],
  ['Tags', tags],
  ['TableClass', str()],
  ['DeletionProtectionEnabled', bool()],
  ['OnDemandThroughput', onDemandThroughput],
  ['WarmThroughput', warmThroughput],
  ['ResourcePolicy', str()],
]);

export type CreateTableInput = InputOfMembers<typeof createTableShape>;
/** A GSI as CreateTable and UpdateTable's Create describe it. */
export type GlobalIndexInput = InputOf<typeof globalIndex>;
type IndexInput = GlobalIndexInput | InputOf<typeof localIndex>;
type Throughput = InputOf<typeof provisionedThroughput>;
type SseInput = InputOf<typeof sseSpecification>;

/** A key schema whose KeyTypes the checks above found to be HASH and RANGE. */
function checkedKeySchema(elements: readonly { readonly AttributeName: string; readonly KeyType: string }[]): KeySchemaElement[] {
  return elements.map((e) => ({ AttributeName: e.AttributeName, KeyType: e.KeyType === 'RANGE' ? 'RANGE' : 'HASH' }));
}

const tableClasses = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const;
type TableClass = (typeof tableClasses)[number];

/** The table class named, checked as DynamoDB checks it. */
export function checkTableClass(tableClass: string | undefined): TableClass | undefined {
  if (tableClass === undefined) return undefined;
  const known = tableClasses.find((c) => c === tableClass);
  if (known === undefined) throw new ValidationException(messages.invalidTableClass);
  return known;
}

export const createTable = operation({
  name: 'CreateTable',
  kind: 'control',
  members: createTableShape,
  decode(body) {
    const input = checkTypes(body, createTableShape);
    checkTableNameParameter(input, true);
    checkConstraints(input, createTableShape);
    return input as CreateTableInput;
  },
  permissions: (input, ctx) => onTable('CreateTable', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    const definition = checkDefinition(input);
    checkAccountLimits(engine, definition, provisionedElsewhere(engine, ctx.region, input.TableName));
    const table = await engine.tables.create(ctx.region, definition, streamLabel);
    return { body: { TableDescription: describeTable(table, { itemCount: 0, sizeBytes: 0 }) } };
  },
});

/** A table definition checked as CreateTable checks it (ImportTable checks its TableCreationParameters so). */
export function checkDefinition(input: CreateTableInput): NewTable {
  const billing: BillingMode = input.BillingMode ?? 'PROVISIONED';
  checkThroughput(billing, input.ProvisionedThroughput);
  checkOnDemand(input.OnDemandThroughput, billing, false);
  checkWarmAtCreate(input.WarmThroughput, billing, input.ProvisionedThroughput?.ReadCapacityUnits ?? 0, input.ProvisionedThroughput?.WriteCapacityUnits ?? 0);
  const definitions = input.AttributeDefinitions.map((d) => d.AttributeName);
  const duplicate = definitions.find((name, i) => definitions.indexOf(name) !== i);
  if (duplicate !== undefined) throw new ValidationException(messages.duplicateAttributeDefinition(duplicate));
  checkKeySchema(input.KeySchema, definitions);
  if (input.LocalSecondaryIndexes === undefined && input.GlobalSecondaryIndexes === undefined && input.KeySchema.length !== definitions.length) {
    throw new ValidationException(messages.definitionCountMismatch);
  }
  const indexNames = new Set<string>();
  const lsis = checkLocalIndexes(input, definitions, indexNames);
  const gsis = checkGlobalIndexes(input, billing, definitions, indexNames);
  checkDefinitionsUsed(input, definitions);
  const stream = input.StreamSpecification;
  if (stream?.StreamEnabled === true && stream.StreamViewType === undefined) throw new ValidationException(messages.createStreamViewTypeRequired);
  if (stream?.StreamEnabled === false && stream.StreamViewType !== undefined) throw new ValidationException(messages.createStreamViewTypeForbidden);
  checkSse(input.SSESpecification);
  const tableClass = checkTableClass(input.TableClass);
  const tags = checkTags(input.Tags ?? [], []);
  const zeroThroughput = { ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
  const pt = billing === 'PROVISIONED' ? (input.ProvisionedThroughput as Throughput) : zeroThroughput;
  return {
    TableName: input.TableName,
    AttributeDefinitions: input.AttributeDefinitions.map(definitionOf),
    KeySchema: checkedKeySchema(input.KeySchema),
    BillingMode: billing,
    ProvisionedThroughput: { ...pt, NumberOfDecreasesToday: 0 },
    LocalSecondaryIndexes: lsis,
    GlobalSecondaryIndexes: gsis.map((gsi) => globalIndexRecord(gsi, billing, 'ACTIVE')),
    ...(input.StreamSpecification?.StreamEnabled ? { StreamSpecification: input.StreamSpecification as StreamState } : {}),
    ...(input.SSESpecification?.Enabled ? { SSESpecification: { ...input.SSESpecification, Enabled: true } } : {}),
    ...(tableClass === undefined ? {} : { TableClass: tableClass }),
    DeletionProtectionEnabled: input.DeletionProtectionEnabled ?? false,
    ...(input.OnDemandThroughput === undefined ? {} : { OnDemandThroughput: input.OnDemandThroughput }),
    ...(input.WarmThroughput === undefined ? {} : { WarmThroughput: input.WarmThroughput }),
    Tags: tags,
  };
}

/** A definition as DynamoDB describes it: the name, then the type (the request's shape checks the type first). */
export function definitionOf(d: { readonly AttributeName: string; readonly AttributeType: 'B' | 'N' | 'S' }): AttributeDefinition {
  return { AttributeName: d.AttributeName, AttributeType: d.AttributeType };
}

export function checkThroughput(billing: BillingMode, pt: Throughput | undefined): void {
  if (billing === 'PAY_PER_REQUEST') {
    if (pt !== undefined) throw new ValidationException(messages.throughputForbidden);
    return;
  }
  if (pt === undefined) throw new ValidationException(messages.throughputRequired);
  if (pt.ReadCapacityUnits > capacityUnitsMax) throw new ValidationException(messages.throughputOutOfBounds(pt.ReadCapacityUnits, 'ReadCapacityUnits'));
  if (pt.WriteCapacityUnits > capacityUnitsMax) throw new ValidationException(messages.throughputOutOfBounds(pt.WriteCapacityUnits, 'WriteCapacityUnits'));
}

function checkKeySchema(schema: readonly KeySchemaElement[], definitions: readonly string[]): void {
  const keys = schema.map((k) => k.AttributeName);
  if (keys.length > definitions.length) throw new ValidationException(messages.keyWithoutDefinition);
  if (keys.some((k) => !definitions.includes(k))) throw new ValidationException(messages.keysNotDefined(keys, definitions));
  if (keys.length === 2 && keys[0] === keys[1]) throw new ValidationException(messages.bothKeysSameName);
  if (schema[0]?.KeyType !== 'HASH') throw new ValidationException(messages.firstNotHash);
  if (schema.length === 2 && schema[1]?.KeyType !== 'RANGE') throw new ValidationException(messages.secondNotRange);
}

function checkIndexKeys(index: IndexInput, definitions: readonly string[]): void {
  const keys = index.KeySchema.map((k) => k.AttributeName);
  if (keys.some((k) => !definitions.includes(k))) throw new ValidationException(messages.keysNotDefined(keys, definitions));
  if (keys.length === 2 && keys[0] === keys[1]) throw new ValidationException(messages.bothKeysSameName);
  if (index.KeySchema[0]?.KeyType !== 'HASH') throw new ValidationException(messages.firstNotHash);
  if (index.KeySchema.length === 2 && index.KeySchema[1]?.KeyType !== 'RANGE') throw new ValidationException(messages.secondNotRange);
}

function checkProjection(index: IndexInput): void {
  const type = index.Projection.ProjectionType;
  const nonKey = index.Projection.NonKeyAttributes;
  if (type === undefined) throw new ValidationException(messages.unknownProjection);
  if (nonKey !== undefined && type !== 'INCLUDE') throw new ValidationException(messages.nonKeyAttributesWithoutInclude(type));
  if (nonKey === undefined && type === 'INCLUDE') throw new ValidationException(messages.includeWithoutNonKeyAttributes);
  const duplicate = nonKey?.find((name, i) => nonKey.indexOf(name) !== i);
  if (duplicate !== undefined) throw new ValidationException(messages.duplicateNonKeyAttribute(duplicate));
}

/** With indexes, every attribute definition must be a key of the table or of an index. */
function checkDefinitionsUsed(input: CreateTableInput, definitions: readonly string[]): void {
  const indexes = [...(input.LocalSecondaryIndexes ?? []), ...(input.GlobalSecondaryIndexes ?? [])];
  if (indexes.length === 0) return;
  const used = [...new Set([...input.KeySchema, ...indexes.flatMap((i) => i.KeySchema)].map((k) => k.AttributeName))];
  const unused = definitions.filter((name) => !used.includes(name));
  if (unused.length > 0) throw new ValidationException(messages.unusedDefinitions(definitions, used));
}

export function checkSse(sse: SseInput | undefined): void {
  if (sse === undefined) return;
  if (sse.Enabled !== true) {
    if (sse.SSEType !== undefined) throw new ValidationException(messages.sseTypeWithoutEnabled);
    if (sse.KMSMasterKeyId !== undefined) throw new ValidationException(messages.sseKeyWithoutEnabled);
    return;
  }
  if (sse.SSEType === 'AES256') throw new ValidationException(messages.sseAes256);
  if (sse.KMSMasterKeyId !== undefined && sse.SSEType !== 'KMS') throw new ValidationException(messages.sseKeyNeedsKms);
}


function checkUniqueName(name: string, seen: Set<string>): void {
  if (seen.has(name)) throw new ValidationException(messages.duplicateIndexName(name));
  seen.add(name);
}

export function checkLocalIndexes(input: Pick<CreateTableInput, 'LocalSecondaryIndexes' | 'KeySchema'>, definitions: readonly string[], seen: Set<string>): LocalIndexRecord[] {
  const indexes = input.LocalSecondaryIndexes;
  if (indexes === undefined) return [];
  if (indexes.length === 0) throw new ValidationException(messages.emptyIndexList('LocalSecondaryIndexes'));
  if (input.KeySchema.length !== 2) throw new ValidationException(messages.lsiNeedsRangeKey);
  const tableHash = input.KeySchema[0]?.AttributeName ?? '';
  for (const index of indexes) {
    checkIndexKeys(index, definitions);
    if (index.KeySchema.length !== 2) throw new ValidationException(messages.indexNeedsRangeKey(index.IndexName));
    const indexHash = index.KeySchema[0]?.AttributeName ?? '';
    if (indexHash !== tableHash) throw new ValidationException(messages.lsiHashMismatch(index.IndexName, indexHash, tableHash));
    checkProjection(index);
    checkUniqueName(index.IndexName, seen);
  }
  if (indexes.length > localIndexesMax) throw new ValidationException(messages.tooManyLsi);
  return indexes.map((i) => ({ IndexName: i.IndexName, KeySchema: checkedKeySchema(i.KeySchema), Projection: i.Projection as Projection }));
}

/** Most attributes a GSI's partition key, and its sort key, may each consist of (multi-attribute keys). */
const keyAttributesMax = 4;

/**
 * A GSI's key schema: one to four HASH elements, then up to four RANGE elements, each attribute
 * defined and named once. A table's and an LSI's are checked by checkIndexKeys.
 */
function checkGlobalIndexKeys(index: GlobalIndexInput, definitions: readonly string[]): void {
  const keys = index.KeySchema.map((k) => k.AttributeName);
  if (keys.some((k) => !definitions.includes(k))) throw new ValidationException(messages.keysNotDefined(keys, definitions));
  // A hash and a range key of one name is the two-element schema's text; a longer schema has its own.
  if (keys.some((k, i) => keys.indexOf(k) !== i)) throw new ValidationException(keys.length === 2 ? messages.bothKeysSameName : messages.repeatedKeyAttribute);
  if (index.KeySchema[0]?.KeyType !== 'HASH') throw new ValidationException(messages.firstNotHash);
  const firstRange = index.KeySchema.findIndex((k) => k.KeyType !== 'HASH');
  const hashCount = firstRange < 0 ? index.KeySchema.length : firstRange;
  const rest = index.KeySchema.slice(hashCount);
  if (rest.some((k) => k.KeyType !== 'RANGE')) {
    if (index.KeySchema.length === 2) throw new ValidationException(messages.secondNotRange);
    throw new ValidationException(messages.hashAfterRange);
  }
  if (hashCount > keyAttributesMax) throw new ValidationException(messages.tooManyKeyAttributes('HASH'));
  if (rest.length > keyAttributesMax) throw new ValidationException(messages.tooManyKeyAttributes('RANGE'));
}

/** One GSI's key schema, projection and throughput (CreateTable, and UpdateTable's Create). */
export function checkGlobalIndex(index: GlobalIndexInput, billing: BillingMode, definitions: readonly string[]): void {
  checkGlobalIndexKeys(index, definitions);
  checkProjection(index);
  if (billing === 'PAY_PER_REQUEST' && index.ProvisionedThroughput !== undefined) {
    throw new ValidationException(messages.gsiThroughputOnDemand(index.IndexName));
  }
  if (billing === 'PROVISIONED' && index.ProvisionedThroughput === undefined) {
    throw new ValidationException(messages.gsiThroughputMissing(index.IndexName));
  }
}

/** The catalog record of a new GSI. */
export function globalIndexRecord(index: GlobalIndexInput, billing: BillingMode, status: GlobalIndexRecord['IndexStatus']): GlobalIndexRecord {
  const zeroThroughput = { ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
  return {
    IndexName: index.IndexName,
    KeySchema: checkedKeySchema(index.KeySchema),
    Projection: index.Projection as Projection,
    IndexStatus: status,
    ProvisionedThroughput: { ...(billing === 'PROVISIONED' ? (index.ProvisionedThroughput as Throughput) : zeroThroughput), NumberOfDecreasesToday: 0 },
    ...(index.OnDemandThroughput === undefined ? {} : { OnDemandThroughput: index.OnDemandThroughput }),
    ...(index.WarmThroughput === undefined ? {} : { WarmThroughput: index.WarmThroughput }),
  };
}

export function checkGlobalIndexes(input: Pick<CreateTableInput, 'GlobalSecondaryIndexes'>, billing: BillingMode, definitions: readonly string[], seen: Set<string>): readonly GlobalIndexInput[] {
  const indexes = input.GlobalSecondaryIndexes;
  if (indexes === undefined) return [];
  if (indexes.length === 0) throw new ValidationException(messages.emptyIndexList('GlobalSecondaryIndexes'));
  for (const index of indexes) {
    checkGlobalIndex(index, billing, definitions);
    checkUniqueName(index.IndexName, seen);
  }
  if (indexes.length > globalIndexesMax) throw new ValidationException(messages.tooManyGsi);
  return indexes;
}
