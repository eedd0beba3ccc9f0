// Control-plane bad-input cases whose answers were recorded from live DynamoDB in 2026 (a probe of
// degenerate inputs: empty strings and structures, zero and negative throughput): docs/compatibility.md.
import type { BadCase } from './bad-input-cases.js';
import { baseTable } from './bad-input-cases.js';

const V = 'com.amazon.coral.validate#ValidationException';
const invalid = 'One or more parameter values were invalid: ';
const one = (value: string, path: string, rule: string): string => `1 validation error detected: Value ${value} at '${path}' failed to satisfy constraint: ${rule}`;
const notNull = (path: string): string => `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
const viewTypes = 'Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]';

const definitions = [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }];
const keySchema = [{ AttributeName: 'a', KeyType: 'HASH' }];
const create = (body: Record<string, unknown>, message: string): BadCase => ({
  op: 'CreateTable', body: { TableName: 'NewTable', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: definitions.slice(0, 1), KeySchema: keySchema, ...body }, type: V, message,
});
const gsi = (extra: Record<string, unknown>): Record<string, unknown> => ({
  AttributeDefinitions: definitions,
  GlobalSecondaryIndexes: [{ IndexName: 'byB', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ...extra }],
});
const update = (body: Record<string, unknown>, message: string): BadCase => ({ op: 'UpdateTable', body: { TableName: baseTable, ...body }, type: V, message });
const ttl = (spec: Record<string, unknown>, message: string): BadCase => ({ op: 'UpdateTimeToLive', body: { TableName: baseTable, TimeToLiveSpecification: spec }, type: V, message });

const warmBelowInitial = (member: string): string =>
  `${invalid}Requested ${member} for WarmThroughput for table is lower than initial throughput for OnDemand. See: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html#on-demand-capacity-mode-initial`;
const warmDecrease = (member: string): string => `${invalid}Requested ${member} for WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported`;
const onDemandRange = (member: string): string => `${invalid}Requested ${member} for OnDemandThroughput for table is outside of valid range`;

export const controlBadCases: readonly BadCase[] = [
  create({ AttributeDefinitions: [{}] }, `2 validation errors detected: ${notNull('attributeDefinitions.1.member.attributeType')}; ${notNull('attributeDefinitions.1.member.attributeName')}`),
  create({ BillingMode: '' }, one("''", 'billingMode', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]')),
  create({ KeySchema: [{}] }, `2 validation errors detected: ${notNull('keySchema.1.member.attributeName')}; ${notNull('keySchema.1.member.keyType')}`),
  create({ SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: '' } }, one("''", 'sSESpecification.kMSMasterKeyId', 'Member must have length greater than or equal to 1')),
  create({ StreamSpecification: { StreamEnabled: true, StreamViewType: '' } }, one("''", 'streamSpecification.streamViewType', viewTypes)),
  create(gsi({ IndexName: '' }), "2 validation errors detected: Value '' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value '' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
  create(gsi({ Projection: {} }), `${invalid}Unknown ProjectionType: null`),
  create({ WarmThroughput: { ReadUnitsPerSecond: -1, WriteUnitsPerSecond: -1 } }, warmBelowInitial('ReadUnitsPerSecond')),
  create({ WarmThroughput: { ReadUnitsPerSecond: 1, WriteUnitsPerSecond: 1 } }, warmBelowInitial('ReadUnitsPerSecond')),
  create({ WarmThroughput: { ReadUnitsPerSecond: 0, WriteUnitsPerSecond: 0 } }, warmBelowInitial('ReadUnitsPerSecond')),
  create({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 }, WarmThroughput: { ReadUnitsPerSecond: 5, WriteUnitsPerSecond: 5 } },
    `${invalid}Requested ReadUnitsPerSecond for WarmThroughput for table is lower than ReadCapacityUnits of ProvisionedThroughput`),
  create({ OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 } }, onDemandRange('MaxReadRequestUnits')),
  create({ OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 } }, onDemandRange('MaxReadRequestUnits')),
  create({ OnDemandThroughput: { MaxReadRequestUnits: -2, MaxWriteRequestUnits: -2 } }, onDemandRange('MaxReadRequestUnits')),
  { op: 'ListTables', body: { Limit: 0 }, type: V, message: one("'0'", 'limit', 'Member must have value greater than or equal to 1') },
  { op: 'ListTables', body: { ExclusiveStartTableName: '' }, type: V, message: "2 validation errors detected: Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3" },
  update({ AttributeDefinitions: [{}], DeletionProtectionEnabled: true }, `2 validation errors detected: ${notNull('attributeDefinitions.1.member.attributeType')}; ${notNull('attributeDefinitions.1.member.attributeName')}`),
  update({ AttributeDefinitions: [{ AttributeName: 'x', AttributeType: '' }], DeletionProtectionEnabled: true }, one("''", 'attributeDefinitions.1.member.attributeType', 'Member must satisfy enum value set: [B, N, S]')),
  update({ OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 } }, onDemandRange('MaxReadRequestUnits')),
  update({ SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: '' } }, one("''", 'sSESpecification.kMSMasterKeyId', 'Member must have length greater than or equal to 1')),
  update({ StreamSpecification: { StreamEnabled: true, StreamViewType: '' } }, one("''", 'streamSpecification.streamViewType', viewTypes)),
  update({ WarmThroughput: { ReadUnitsPerSecond: -1, WriteUnitsPerSecond: -1 } }, warmDecrease('ReadUnitsPerSecond')),
  update({ WarmThroughput: { ReadUnitsPerSecond: -1 } }, warmDecrease('ReadUnitsPerSecond')),
  update({ WarmThroughput: { ReadUnitsPerSecond: 0, WriteUnitsPerSecond: 0 } }, warmDecrease('ReadUnitsPerSecond')),
  update({ WarmThroughput: { WriteUnitsPerSecond: 2000 } }, warmDecrease('WriteUnitsPerSecond')),
  update({ WarmThroughput: { ReadUnitsPerSecond: 6000, WriteUnitsPerSecond: 2000 } }, warmDecrease('ReadUnitsPerSecond')),
  ttl({ Enabled: true, AttributeName: '' }, one("''", 'timeToLiveSpecification.attributeName', 'Member must have length greater than or equal to 1')),
  ttl({ AttributeName: 'expires' }, one('null', 'timeToLiveSpecification.enabled', 'Member must not be null')),
  ttl({}, `2 validation errors detected: ${notNull('timeToLiveSpecification.attributeName')}; ${notNull('timeToLiveSpecification.enabled')}`),
  ttl({ Enabled: true }, one('null', 'timeToLiveSpecification.attributeName', 'Member must not be null')),
  { op: 'TagResource', body: { ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${baseTable}`, Tags: [{ Key: 'k' }] }, type: V, message: 'The Tag Value provided is invalid, Value: null' },
  // An empty attribute name in a legacy parameter (DynamoDB Local 2026-01-16's answers).
  ...emptyNameCases(),
  // Expressions and transactions as DynamoDB Local 2026-01-16 answers them.
  ...expressionCases(),
  // Legacy conditions: ConditionalOperator (a dual-target suite run against AWS), operand types (DynamoDB Local).
  ...legacyCases(),
];

function legacyCases(): BadCase[] {
  const key = { pk: { S: 'a' }, sk: { N: '1' } };
  const cond = (value: unknown, operator = 'EQ') => ({ ComparisonOperator: operator, AttributeValueList: [value] });
  const alone = 'ConditionalOperator cannot be used without Filter or Expected';
  const oneCondition = 'ConditionalOperator can only be used when Filter or Expected has two or more elements';
  const on = (op: string, body: Record<string, unknown>, message: string): BadCase => ({ op, body: { TableName: baseTable, ...body }, type: V, message });
  const typeRefused = (operator: string, value: unknown, type: string): BadCase =>
    on('PutItem', { Item: key, Expected: { zz: { ComparisonOperator: operator, AttributeValueList: Array.isArray(value) ? value : [value] } } }, `${invalid}ComparisonOperator ${operator} is not valid for ${type} AttributeValue type`);
  return [
    on('Scan', { ConditionalOperator: 'AND' }, alone),
    on('Scan', { ConditionalOperator: 'OR', ScanFilter: {} }, alone),
    on('Scan', { ConditionalOperator: 'AND', AttributesToGet: ['a', 'b'] }, alone),
    on('Scan', { ConditionalOperator: 'AND', ScanFilter: { a: cond({ S: 'x' }) } }, oneCondition),
    on('Query', { ConditionalOperator: 'AND' }, alone),
    on('Query', { ConditionalOperator: 'AND', KeyConditions: { pk: cond({ S: 'a' }) } }, alone),
    on('Query', { ConditionalOperator: 'AND', KeyConditions: { pk: cond({ S: 'a' }) }, QueryFilter: { a: cond({ S: 'x' }) } }, oneCondition),
    on('PutItem', { Item: key, ConditionalOperator: 'AND' }, alone),
    on('PutItem', { Item: key, ConditionalOperator: 'AND', Expected: { a: cond({ S: 'x' }) } }, oneCondition),
    on('DeleteItem', { Key: key, ConditionalOperator: 'OR' }, alone),
    on('DeleteItem', { Key: key, ConditionalOperator: 'AND', Expected: { a: cond({ S: 'x' }) } }, oneCondition),
    on('UpdateItem', { Key: key, ConditionalOperator: 'AND' }, alone),
    on('UpdateItem', { Key: key, ConditionalOperator: 'AND', AttributeUpdates: { v: { Action: 'PUT', Value: { S: 'x' } } } }, alone),
    on('UpdateItem', { Key: key, AttributeUpdates: { v: { Action: 'PUT', Value: { S: 'x' } } }, Expected: { a: cond({ S: 'x' }) }, ConditionalOperator: 'AND', UpdateExpression: 'SET v = :v', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':v': { S: 'x' } } },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected, ConditionalOperator} Expression parameters: {UpdateExpression, ConditionExpression}'),
    on('PutItem', { Item: key, Expected: { a: cond({ S: 'x' }) }, ConditionalOperator: 'AND', ConditionExpression: 'attribute_exists(pk)' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected, ConditionalOperator} Expression parameters: {ConditionExpression}'),
    on('DeleteItem', { Key: key, ConditionalOperator: 'AND', ConditionExpression: 'attribute_exists(pk)' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ConditionalOperator} Expression parameters: {ConditionExpression}'),
    typeRefused('BEGINS_WITH', { N: '1' }, 'N'),
    typeRefused('IN', { L: [] }, 'L'),
    typeRefused('BETWEEN', [{ BOOL: true }, { BOOL: true }], 'BOOL'),
    typeRefused('CONTAINS', { L: [] }, 'L'),
    typeRefused('NOT_CONTAINS', { M: {} }, 'M'),
    typeRefused('GT', { BOOL: true }, 'BOOL'),
    typeRefused('LE', { NULL: true }, 'NULL'),
  ];
}

function expressionCases(): BadCase[] {
  const key = { pk: { S: 'a' }, sk: { N: '1' } };
  const on = (op: string, body: Record<string, unknown>, message: string): BadCase => ({ op, body: { TableName: baseTable, ...body }, type: V, message });
  const update = (UpdateExpression: string, values: Record<string, unknown> | undefined, message: string): BadCase =>
    on('UpdateItem', { Key: key, UpdateExpression, ...(values === undefined ? {} : { ExpressionAttributeValues: values }) }, `Invalid UpdateExpression: ${message}`);
  const notInUpdate = (name: string): string => `The function is not allowed in an update expression; function: ${name}`;
  const notInCondition = (name: string): string => `The function is not allowed in a condition expression; function: ${name}`;
  return [
    update('SET v = size(v)', undefined, notInUpdate('size')),
    update('SET v = contains(v, :x)', { ':x': { S: 'x' } }, notInUpdate('contains')),
    update('SET v = attribute_exists(v)', undefined, notInUpdate('attribute_exists')),
    update('SET v = if_not_exists(v, size(w))', undefined, notInUpdate('size')),
    on('PutItem', { Item: key, ConditionExpression: 'if_not_exists(v, :x) = :x', ExpressionAttributeValues: { ':x': { S: 'x' } } }, `Invalid ConditionExpression: ${notInCondition('if_not_exists')}`),
    on('DeleteItem', { Key: key, ConditionExpression: 'list_append(v, :x) = :x', ExpressionAttributeValues: { ':x': { L: [] } } }, `Invalid ConditionExpression: ${notInCondition('list_append')}`),
    on('Scan', { FilterExpression: 'if_not_exists(v, :x) = :x', ExpressionAttributeValues: { ':x': { S: 'x' } } }, `Invalid FilterExpression: ${notInCondition('if_not_exists')}`),
    on('Query', { KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': { S: 'a' }, ':s': { N: '1' } } },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'),
    on('UpdateItem', { Key: key, UpdateExpression: 'SET v = :a + :b', ExpressionAttributeValues: { ':a': { N: '1E+20' }, ':b': { N: '1E-20' } } }, 'DynamoDB only supports precision up to 38 digits'),
    { op: 'TransactWriteItems', body: { TransactItems: [{}] }, type: V, message: 'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request' },
    { op: 'TransactWriteItems', body: { TransactItems: [{ ConditionCheck: { TableName: baseTable, Key: key, ConditionExpression: 'attribute_exists(pk)' }, Delete: { TableName: baseTable, Key: key } }] }, type: V, message: 'TransactItems can only contain one of Check, Put, Update or Delete' },
  ];
}

function emptyNameCases(): BadCase[] {
  const key = { pk: { S: 'a' }, sk: { N: '1' } };
  const empty = (op: string, body: Record<string, unknown>): BadCase => ({ op, body: { TableName: baseTable, ...body }, type: V, message: 'Empty attribute name' });
  return [
    empty('UpdateItem', { Key: key, AttributeUpdates: { '': { Action: 'PUT', Value: { S: 'x' } } } }),
    empty('UpdateItem', { Key: key, AttributeUpdates: { v: { Action: 'PUT', Value: { S: 'x' } } }, Expected: { '': { Exists: false } } }),
    empty('DeleteItem', { Key: key, Expected: { '': { Exists: false } } }),
    empty('PutItem', { Item: key, Expected: { '': { Exists: false } } }),
    empty('GetItem', { Key: key, AttributesToGet: [''] }),
    empty('Scan', { ScanFilter: { '': { ComparisonOperator: 'NULL' } } }),
    empty('Scan', { AttributesToGet: ['v', ''] }),
    empty('Query', { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, QueryFilter: { '': { ComparisonOperator: 'NULL' } } }),
  ];
}
