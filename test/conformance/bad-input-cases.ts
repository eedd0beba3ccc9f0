// The corpus of malformed requests: each row is an operation, a raw JSON body and DynamoDB's
// exact answer. Bodies are raw because most of these are requests no SDK would serialise.

export interface BadCase {
  readonly op: string;
  readonly body: unknown;
  readonly type: string;
  readonly message?: string;
}

const V = 'com.amazon.coral.validate#ValidationException';
const S = 'com.amazon.coral.service#SerializationException';
const NF = 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException';
const RIU = 'com.amazonaws.dynamodb.v20120810#ResourceInUseException';

const invalid = 'One or more parameter values were invalid: ';
const nestingTooDeep = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
const one = (value: string, path: string, rule: string): string => `1 validation error detected: Value ${value} at '${path}' failed to satisfy constraint: ${rule}`;
const pattern = 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';

/** The table every item case addresses: pk (S, HASH) + sk (N, RANGE). */
export const baseTable = 'Base';
const key = { pk: { S: 'a' }, sk: { N: '1' } };
const item = (extra: Record<string, unknown>): Record<string, unknown> => ({ TableName: baseTable, Item: { ...key, ...extra } });
const put = (extra: Record<string, unknown>, message: string): BadCase => ({ op: 'PutItem', body: item(extra), type: V, message });
const hashAndRange = {
  AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }],
};
const create = (body: Record<string, unknown>, message: string): BadCase => ({
  op: 'CreateTable', body: { TableName: 'NewTable', BillingMode: 'PAY_PER_REQUEST', ...hashAndRange, ...body }, type: V, message,
});

/** Wrong JSON types for a member, with the deserializer's text. */
function typeCases(op: string, base: Record<string, unknown>, member: string, kind: 'String' | 'Integer' | 'Long' | 'Boolean' | 'List' | 'Map'): BadCase[] {
  const body = (value: unknown): Record<string, unknown> => ({ ...base, [member]: value });
  switch (kind) {
    case 'String':
      return [
        { op, body: body(12), type: S, message: 'NUMBER_VALUE cannot be converted to String' },
        { op, body: body(1.5), type: S, message: 'DECIMAL_VALUE cannot be converted to String' },
        { op, body: body(true), type: S, message: 'TRUE_VALUE cannot be converted to String' },
        { op, body: body(['x']), type: S, message: 'Unrecognized collection type class java.lang.String' },
        { op, body: body({}), type: S, message: 'Start of structure or map found where not expected' },
      ];
    case 'Integer':
    case 'Long':
      return [
        { op, body: body('5'), type: S, message: `STRING_VALUE cannot be converted to ${kind}` },
        { op, body: body(false), type: S, message: `FALSE_VALUE cannot be converted to ${kind}` },
        { op, body: body([1]), type: S, message: `Unrecognized collection type class java.lang.${kind}` },
      ];
    case 'Boolean':
      return [
        { op, body: body(1), type: S, message: 'NUMBER_VALUE cannot be converted to Boolean' },
        { op, body: body('maybe'), type: S, message: 'Unexpected token received from parser' },
        { op, body: body([true]), type: S, message: 'Unrecognized collection type class java.lang.Boolean' },
      ];
    case 'List':
      return [
        { op, body: body('x'), type: S, message: 'Unexpected field type' },
        { op, body: body({ a: 1 }), type: S, message: 'Start of structure or map found where not expected' },
      ];
    case 'Map':
      return [
        { op, body: body(7), type: S, message: 'Unexpected field type' },
        { op, body: body([]), type: S, message: 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>' },
      ];
  }
}

export const badCases: readonly BadCase[] = [
  // ---- serialization: every operation's members with wrong JSON types
  ...['CreateTable', 'DescribeTable', 'DeleteTable', 'UpdateTable', 'GetItem', 'PutItem', 'DeleteItem'].flatMap((op) => typeCases(op, {}, 'TableName', 'String')),
  ...typeCases('ListTables', {}, 'Limit', 'Integer'),
  ...typeCases('ListTables', {}, 'ExclusiveStartTableName', 'String'),
  ...typeCases('GetItem', { TableName: baseTable, Key: key }, 'ConsistentRead', 'Boolean'),
  ...typeCases('GetItem', { TableName: baseTable }, 'Key', 'Map'),
  ...typeCases('PutItem', { TableName: baseTable }, 'Item', 'Map'),
  ...typeCases('DeleteItem', { TableName: baseTable }, 'Key', 'Map'),
  ...typeCases('GetItem', { TableName: baseTable, Key: key }, 'AttributesToGet', 'List'),
  ...typeCases('CreateTable', { TableName: 'abc' }, 'KeySchema', 'List'),
  ...typeCases('CreateTable', { TableName: 'abc' }, 'AttributeDefinitions', 'List'),
  ...typeCases('CreateTable', { TableName: 'abc' }, 'DeletionProtectionEnabled', 'Boolean'),
  ...typeCases('UpdateTable', { TableName: 'abc', ProvisionedThroughput: { WriteCapacityUnits: 1 } }, 'ReadCapacityUnits', 'Long')
    .map((c) => ({ ...c, body: { TableName: 'abc', ProvisionedThroughput: { WriteCapacityUnits: 1, ReadCapacityUnits: (c.body as Record<string, unknown>)['ReadCapacityUnits'] } } })),
  { op: 'CreateTable', body: { TableName: 'abc', KeySchema: [5] }, type: S, message: 'Unexpected value type in payload' },
  { op: 'CreateTable', body: { TableName: 'abc', KeySchema: [[]] }, type: S, message: 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement' },
  { op: 'CreateTable', body: { TableName: 'abc', ProvisionedThroughput: 'x' }, type: S, message: 'Unexpected field type' },
  { op: 'PutItem', body: item({ v: 'text' }), type: S, message: 'Unexpected value type in payload' },
  { op: 'PutItem', body: item({ v: [] }), type: S, message: 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue' },
  { op: 'PutItem', body: item({ v: { S: 5 } }), type: S, message: 'NUMBER_VALUE cannot be converted to String' },
  { op: 'PutItem', body: item({ v: { N: 5 } }), type: S, message: 'NUMBER_VALUE cannot be converted to String' },
  { op: 'PutItem', body: item({ v: { B: 5 } }), type: S, message: 'only base-64-encoded strings are convertible to bytes' },
  { op: 'PutItem', body: item({ v: { B: 'abc' } }), type: S, message: 'Base64 encoded length is expected a multiple of 4 bytes but found: 3' },
  { op: 'PutItem', body: item({ v: { B: 'ab!=' } }), type: S, message: 'Invalid last non-pad Base64 character dectected' },
  { op: 'PutItem', body: item({ v: { BOOL: 'perhaps' } }), type: S, message: 'Unexpected token received from parser' },
  { op: 'PutItem', body: item({ v: { SS: 'a' } }), type: S, message: 'Unexpected field type' },
  { op: 'PutItem', body: item({ v: { SS: [1] } }), type: S, message: 'NUMBER_VALUE cannot be converted to String' },
  { op: 'PutItem', body: item({ v: { L: {} } }), type: S, message: 'Start of structure or map found where not expected' },
  { op: 'PutItem', body: item({ v: { L: ['x'] } }), type: S, message: 'Unexpected value type in payload' },
  { op: 'PutItem', body: item({ v: { M: [] } }), type: S, message: 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>' },
  { op: 'PutItem', body: item({ v: { M: { x: 1 } } }), type: S, message: 'Unexpected value type in payload' },
  { op: 'PutItem', body: [1, 2], type: S, message: 'Start of structure or map found where not expected' },

  // ---- member constraints, reported together in AWS's member order
  { op: 'GetItem', body: {}, type: V, message: "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; Value null at 'key' failed to satisfy constraint: Member must not be null" },
  { op: 'PutItem', body: { TableName: 'a;' }, type: V, message: `3 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'a;' at 'tableName' failed to satisfy constraint: ${pattern}; Value null at 'item' failed to satisfy constraint: Member must not be null` },
  { op: 'DescribeTable', body: { TableName: '' }, type: V, message: `2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value '' at 'tableName' failed to satisfy constraint: ${pattern}` },
  { op: 'DeleteItem', body: { TableName: 'x'.repeat(256), Key: key }, type: V, message: one(`'${'x'.repeat(256)}'`, 'tableName', 'Member must have length less than or equal to 255') },
  { op: 'GetItem', body: { TableName: baseTable, Key: key, ReturnConsumedCapacity: 'ALL' }, type: V, message: one("'ALL'", 'returnConsumedCapacity', 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]') },
  { op: 'PutItem', body: { ...item({}), ReturnValues: 'SOME' }, type: V, message: one("'SOME'", 'returnValues', 'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]') },
  { op: 'PutItem', body: { ...item({}), ReturnItemCollectionMetrics: 'ALL' }, type: V, message: one("'ALL'", 'returnItemCollectionMetrics', 'Member must satisfy enum value set: [SIZE, NONE]') },
  { op: 'DeleteItem', body: { TableName: baseTable, Key: key, ConditionalOperator: 'XOR' }, type: V, message: one("'XOR'", 'conditionalOperator', 'Member must satisfy enum value set: [OR, AND]') },
  { op: 'GetItem', body: { TableName: baseTable, Key: key, AttributesToGet: [] }, type: V, message: one("'[]'", 'attributesToGet', 'Member must have length greater than or equal to 1') },
  { op: 'ListTables', body: { Limit: 0 }, type: V, message: one("'0'", 'limit', 'Member must have value greater than or equal to 1') },
  { op: 'ListTables', body: { Limit: 101 }, type: V, message: one("'101'", 'limit', 'Member must have value less than or equal to 100') },
  { op: 'ListTables', body: { ExclusiveStartTableName: 'a;' }, type: V, message: `2 validation errors detected: Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: ${pattern}; Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3` },
  { op: 'ListTables', body: { Limit: 1000, ExclusiveStartTableName: 'ok-name' }, type: V, message: one("'1000'", 'limit', 'Member must have value less than or equal to 100') },
  { op: 'CreateTable', body: { TableName: 'abc;' }, type: V, message: `3 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; Value 'abc;' at 'tableName' failed to satisfy constraint: ${pattern}; Value null at 'keySchema' failed to satisfy constraint: Member must not be null` },
  { op: 'CreateTable', body: { TableName: 'abc', AttributeDefinitions: [], KeySchema: [], ProvisionedThroughput: { ReadCapacityUnits: -1, WriteCapacityUnits: -1 }, BillingMode: 'A' }, type: V, message: "4 validation errors detected: Value 'A' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '-1' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1" },
  { op: 'CreateTable', body: { TableName: 'abc', AttributeDefinitions: [{}], KeySchema: [{ KeyType: 'HASH', AttributeName: 'a' }] }, type: V, message: "2 validation errors detected: Value null at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must not be null; Value null at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must not be null" },
  { op: 'CreateTable', body: { TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'SS' }], KeySchema: [{ KeyType: 'HASH', AttributeName: 'a' }] }, type: V, message: one("'SS'", 'attributeDefinitions.1.member.attributeType', 'Member must satisfy enum value set: [B, N, S]') },
  { op: 'CreateTable', body: { TableName: 'abc', AttributeDefinitions: [], KeySchema: [{ KeyType: 'Woop', AttributeName: 'a' }] }, type: V, message: one("'Woop'", 'keySchema.1.member.keyType', 'Member must satisfy enum value set: [HASH, RANGE]') },
  { op: 'CreateTable', body: { TableName: 'abc', AttributeDefinitions: [], KeySchema: [{ KeyType: 'HASH' }] }, type: V, message: one('null', 'keySchema.1.member.attributeName', 'Member must not be null') },
  { op: 'CreateTable', body: { TableName: 'abc', AttributeDefinitions: [], KeySchema: [{ KeyType: 'HASH', AttributeName: 'a' }], StreamSpecification: { StreamViewType: 'ALL' } }, type: V, message: "2 validation errors detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null; Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]" },
  { op: 'CreateTable', body: { TableName: 'abc', AttributeDefinitions: [], KeySchema: [{ KeyType: 'HASH', AttributeName: 'a' }], LocalSecondaryIndexes: [{ IndexName: 'h;', KeySchema: [], Projection: {} }] }, type: V, message: `3 validation errors detected: Value 'h;' at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'h;' at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: ${pattern}; Value '[]' at 'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1` },
  create({ Tags: [{ Key: '' }] }, 'The Tag Key provided is invalid, Key: '),
  { op: 'DescribeTable', body: {}, type: V, message: "The parameter 'TableName' is required but was not present in the request" },
  { op: 'DescribeTable', body: { TableName: 'ab' }, type: V, message: one("'ab'", 'tableName', 'Member must have length greater than or equal to 3') },
  { op: 'DescribeTable', body: { TableName: 'x'.repeat(256) }, type: V, message: one(`'${'x'.repeat(256)}'`, 'tableName', 'Member must have length less than or equal to 255') },
  { op: 'DescribeTable', body: { TableName: 'abc;' }, type: V, message: one("'abc;'", 'tableName', pattern) },
  { op: 'DeleteTable', body: {}, type: V, message: "The parameter 'TableName' is required but was not present in the request" },
  { op: 'DeleteTable', body: { TableName: '' }, type: V, message: 'TableName must be at least 3 characters long and at most 255 characters long' },
  { op: 'UpdateTable', body: {}, type: V, message: one('null', 'tableName', 'Member must not be null') },
  { op: 'UpdateTable', body: { TableName: 'ab' }, type: V, message: one("'ab'", 'tableName', 'Member must have length greater than or equal to 3') },
  { op: 'CreateTable', body: {}, type: V, message: "The parameter 'TableName' is required but was not present in the request" },
  { op: 'CreateTable', body: { TableName: 'ab' }, type: V, message: 'TableName must be at least 3 characters long and at most 255 characters long' },
  { op: 'UpdateTable', body: { TableName: baseTable, BillingMode: 'FREE' }, type: V, message: one("'FREE'", 'billingMode', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]') },
  { op: 'UpdateTable', body: { TableName: baseTable, ProvisionedThroughput: { ReadCapacityUnits: 0 } }, type: V, message: "2 validation errors detected: Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null; Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1" },

  // ---- attribute values
  put({ v: {} }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'),
  put({ v: { S: 'a', N: '1' } }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'),
  put({ v: { NULL: false } }, `${invalid}Null attribute value types must have the value of true`),
  put({ v: { SS: [] } }, `${invalid}An string set  may not be empty`),
  put({ v: { NS: [] } }, `${invalid}An number set  may not be empty`),
  put({ v: { BS: [] } }, `${invalid}Binary sets should not be empty`),
  put({ v: { SS: ['a', 'b', 'a'] } }, `${invalid}Input collection [a, b, a] contains duplicates.`),
  put({ v: { NS: ['1', '1.0'] } }, 'Input collection contains duplicates'),
  put({ v: { BS: ['AQ==', 'AQ=='] } }, `${invalid}Input collection [AQ==, AQ==]of type BS contains duplicates.`),
  put({ v: { N: '' } }, 'The parameter cannot be converted to a numeric value'),
  put({ v: { N: 'abc' } }, 'The parameter cannot be converted to a numeric value: abc'),
  put({ v: { N: '1.2.3' } }, 'The parameter cannot be converted to a numeric value: 1.2.3'),
  put({ v: { N: '1e' } }, 'The parameter cannot be converted to a numeric value: 1e'),
  put({ v: { N: ' 1' } }, 'The parameter cannot be converted to a numeric value:  1'),
  put({ v: { N: '1E126' } }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'),
  put({ v: { N: '-1E+200' } }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'),
  put({ v: { N: '1E-131' } }, 'Number underflow. Attempting to store a number with magnitude smaller than supported range'),
  put({ v: { N: '1E-99999999' } }, 'Number underflow. Attempting to store a number with magnitude smaller than supported range'),
  put({ v: { N: '1'.repeat(39) } }, 'Attempting to store more than 38 significant digits in a Number'),
  put({ v: { NS: ['1', 'x'] } }, 'The parameter cannot be converted to a numeric value: x'),
  put({ v: { L: [{ N: 'NaN' }] } }, 'The parameter cannot be converted to a numeric value: NaN'),
  put({ v: { M: { deep: { NULL: false } } } }, `${invalid}Null attribute value types must have the value of true`),
  put({ v: { M: { deep: {} } } }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'),
  put({ v: nest(32) }, nestingTooDeep),
  put({ v: { L: [nest(31)] } }, nestingTooDeep),
  put({ v: nest(33) }, nestingTooDeep),
  put({ v: nest(100) }, nestingTooDeep),
  put({ '': { S: 'x' } }, 'Empty attribute name'),
  put({ m: { M: { '': { S: 'x' } } } }, 'Empty attribute name'),
  // Every top-level name is checked before any value.
  put({ d: nest(40), '': { S: 'x' } }, 'Empty attribute name'),
  put({ ['n'.repeat(65536)]: { S: 'x' } }, '1 validation error detected: Attribute name is too large, must be less than 65536 bytes'),
  put({ doc: { M: { ['é'.repeat(32768)]: { S: 'x' } } } }, '1 validation error detected: Attribute name is too large, must be less than 65536 bytes'),
  { op: 'GetItem', body: { TableName: baseTable, Key: { pk: { S: 'a' }, sk: { N: 'x' } } }, type: V, message: 'The parameter cannot be converted to a numeric value: x' },
  { op: 'DeleteItem', body: { TableName: baseTable, Key: { pk: {}, sk: { N: '1' } } }, type: V, message: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes' },

  // ---- keys against the table's schema
  { op: 'GetItem', body: { TableName: baseTable, Key: { pk: { S: 'a' } } }, type: V, message: 'The provided key element does not match the schema' },
  { op: 'GetItem', body: { TableName: baseTable, Key: { pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'y' } } }, type: V, message: 'The provided key element does not match the schema' },
  { op: 'GetItem', body: { TableName: baseTable, Key: { pk: { N: '1' }, sk: { N: '1' } } }, type: V, message: 'The provided key element does not match the schema' },
  { op: 'GetItem', body: { TableName: baseTable, Key: { pk: { S: 'a' }, other: { N: '1' } } }, type: V, message: 'The provided key element does not match the schema' },
  { op: 'GetItem', body: { TableName: baseTable, Key: { pk: { S: '' }, sk: { N: '1' } } }, type: V, message: `${invalid}The AttributeValue for a key attribute cannot contain an empty string value. Key: pk` },
  { op: 'DeleteItem', body: { TableName: baseTable, Key: {} }, type: V, message: 'The provided key element does not match the schema' },
  { op: 'DeleteItem', body: { TableName: baseTable, Key: { pk: { S: 'x'.repeat(2049) }, sk: { N: '1' } } }, type: V, message: `${invalid}Size of hashkey has exceeded the maximum size limit of2048 bytes` },
  { op: 'PutItem', body: { TableName: baseTable, Item: { sk: { N: '1' } } }, type: V, message: `${invalid}Missing the key pk in the item` },
  { op: 'PutItem', body: { TableName: baseTable, Item: { pk: { S: 'a' } } }, type: V, message: `${invalid}Missing the key sk in the item` },
  { op: 'PutItem', body: { TableName: baseTable, Item: { pk: { N: '1' }, sk: { N: '1' } } }, type: V, message: `${invalid}Type mismatch for key pk expected: S actual: N` },
  { op: 'PutItem', body: { TableName: baseTable, Item: { pk: { S: 'a' }, sk: { S: '1' } } }, type: V, message: `${invalid}Type mismatch for key sk expected: N actual: S` },
  { op: 'PutItem', body: { TableName: baseTable, Item: { pk: { S: '' }, sk: { N: '1' } } }, type: V, message: 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk' },
  { op: 'PutItem', body: { TableName: baseTable, Item: { pk: { S: 'é'.repeat(1025) }, sk: { N: '1' } } }, type: V, message: `${invalid}Size of hashkey has exceeded the maximum size limit of2048 bytes` },
  { op: 'PutItem', body: { TableName: 'BaseRange', Item: { h: { S: 'a' }, r: { S: 'x'.repeat(1025) } } }, type: V, message: `${invalid}Aggregated size of all range keys has exceeded the size limit of 1024 bytes` },
  { op: 'PutItem', body: { TableName: 'BaseRange', Item: { h: { S: 'a' }, r: { B: '' } } }, type: V, message: `${invalid}Type mismatch for key r expected: S actual: B` },
  { op: 'PutItem', body: { TableName: 'BaseBinary', Item: { id: { B: '' } } }, type: V, message: 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: id' },
  { op: 'GetItem', body: { TableName: 'BaseBinary', Key: { id: { B: '' } } }, type: V, message: `${invalid}The AttributeValue for a key attribute cannot contain an empty binary value. Key: id` },

  // ---- item-level rules
  put({ big: { S: 'x'.repeat(400 * 1024) } }, 'Item size has exceeded the maximum allowed size'),
  { op: 'PutItem', body: { ...item({}), ReturnValues: 'ALL_NEW' }, type: V, message: 'ReturnValues can only be ALL_OLD or NONE' },
  { op: 'PutItem', body: { ...item({}), ReturnValues: 'UPDATED_OLD' }, type: V, message: 'ReturnValues can only be ALL_OLD or NONE' },
  { op: 'DeleteItem', body: { TableName: baseTable, Key: key, ReturnValues: 'UPDATED_NEW' }, type: V, message: 'ReturnValues can only be ALL_OLD or NONE' },
  { op: 'GetItem', body: { TableName: baseTable, Key: key, AttributesToGet: ['a', 'b', 'a'] }, type: V, message: `${invalid}Duplicate value in attribute name: a` },
  ...legacyConditionCases(),

  // ---- expressions and their placeholders
  ...expressionCases(),
  // ---- missing tables
  { op: 'GetItem', body: { TableName: 'Missing', Key: key }, type: NF, message: 'Requested resource not found' },
  { op: 'PutItem', body: { TableName: 'Missing', Item: key }, type: NF, message: 'Requested resource not found' },
  { op: 'DeleteItem', body: { TableName: 'Missing', Key: key }, type: NF, message: 'Requested resource not found' },
  { op: 'DescribeTable', body: { TableName: 'Missing' }, type: NF, message: 'Requested resource not found: Table: Missing not found' },
  { op: 'DeleteTable', body: { TableName: 'Missing' }, type: NF, message: 'Requested resource not found: Table: Missing not found' },
  { op: 'UpdateTable', body: { TableName: 'Missing', DeletionProtectionEnabled: true }, type: NF, message: 'Requested resource not found: Table: Missing not found' },

  // ---- table definitions
  { op: 'CreateTable', body: { TableName: baseTable, BillingMode: 'PAY_PER_REQUEST', ...hashAndRange }, type: RIU, message: `Table already exists: ${baseTable}` },
  create({ BillingMode: undefined }, `${invalid}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`),
  create({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, `${invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`),
  create({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: 1 } }, 'Given value 1000000000001 for ReadCapacityUnits is out of bounds'),
  create({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1000000000001 } }, 'Given value 1000000000001 for WriteCapacityUnits is out of bounds'),
  create({ AttributeDefinitions: [] }, 'Invalid KeySchema: Some index key attribute have no definition'),
  create({ AttributeDefinitions: [{ AttributeName: 'c', AttributeType: 'S' }, { AttributeName: 'd', AttributeType: 'S' }] }, `${invalid}Some index key attributes are not defined in AttributeDefinitions. Keys: [a, b], AttributeDefinitions: [c, d]`),
  create({ KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'a', KeyType: 'RANGE' }] }, 'Both the Hash Key and the Range Key element in the KeySchema have the same name'),
  create({ KeySchema: [{ AttributeName: 'a', KeyType: 'RANGE' }, { AttributeName: 'b', KeyType: 'HASH' }] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'),
  create({ KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'HASH' }] }, 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type'),
  create({ KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] }, `${invalid}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`),
  create({ LocalSecondaryIndexes: [] }, `${invalid}List of LocalSecondaryIndexes is empty`),
  create({ GlobalSecondaryIndexes: [] }, `${invalid}List of GlobalSecondaryIndexes is empty`),
  create({ KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], LocalSecondaryIndexes: [{ IndexName: 'idx', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }] }, `${invalid}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`),
  create({ LocalSecondaryIndexes: [{ IndexName: 'idx', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] }, `${invalid}Index KeySchema does not have a range key for index: idx`),
  create({ LocalSecondaryIndexes: [{ IndexName: 'idx', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }, { AttributeName: 'a', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }] }, `${invalid}Index KeySchema does not have the same leading hash key as table KeySchema for index: idx. index hash key: b, table hash key: a`),
  create({ LocalSecondaryIndexes: [{ IndexName: 'idx', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'c', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }] }, `${invalid}Some index key attributes are not defined in AttributeDefinitions. Keys: [a, c], AttributeDefinitions: [a, b]`),
  create({ LocalSecondaryIndexes: [{ IndexName: 'idx', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }], Projection: {} }] }, `${invalid}Unknown ProjectionType: null`),
  create({ LocalSecondaryIndexes: [{ IndexName: 'idx', KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL', NonKeyAttributes: ['x'] } }] }, `${invalid}ProjectionType is ALL, but NonKeyAttributes is specified`),
  create({ GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'b', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'),
  create({ GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }] }, `${invalid}ProvisionedThroughput should not be specified for index: gsi1 when BillingMode is PAY_PER_REQUEST`),
  create({ GlobalSecondaryIndexes: [
    { IndexName: 'gsi1', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
    { IndexName: 'gsi1', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
  ] }, `${invalid}Duplicate index name: gsi1`),
  create({ GlobalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({ IndexName: `gsi${i}`, KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } })) }, `${invalid}GlobalSecondaryIndex count exceeds the per-table limit of 20`),
  create({ LocalSecondaryIndexes: Array.from({ length: 6 }, (_, i) => ({ IndexName: `lsi${i}`, KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } })) }, `${invalid}Number of LocalSecondaryIndexes exceeds per-table limit of 5`),
  create({ StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } }, `${invalid}Table is being created with a stream disabled, UpdateViewType should not be specified`),
  create({ StreamSpecification: { StreamEnabled: true } }, `${invalid}Table is being created with a stream enabled, UpdateViewType is required`),
  create({ AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'a', AttributeType: 'N' }] }, 'Attribute Name is duplicated: a'),
  create({ AttributeDefinitions: [...hashAndRange.AttributeDefinitions, { AttributeName: 'c', AttributeType: 'S' }], GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] }, `${invalid}Some AttributeDefinitions are not used. AttributeDefinitions: [a, b, c], keys used: [a, b]`),
  create({ GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE' } }] }, `${invalid}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`),
  create({ GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x', 'y', 'x'] } }] }, `${invalid}Duplicate element in NonKeyAttributes: x`),
  create({ TableClass: 'COLD' }, 'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].'),
  create({ SSESpecification: { Enabled: false, SSEType: 'KMS' } }, `${invalid}SSEType can not be specified if Enabled is false`),
  create({ SSESpecification: { KMSMasterKeyId: 'alias/x' } }, `${invalid}KMSMasterKeyId can not be specified if Enabled is false`),
  create({ SSESpecification: { Enabled: true, SSEType: 'AES256' } }, `${invalid}SSEType AES256 is not supported`),
  create({ SSESpecification: { Enabled: true, KMSMasterKeyId: 'alias/x' } }, `${invalid}SSEType KMS is required if KMSMasterKeyId is specified`),
  create({ Tags: [{ Key: 'aws:owner', Value: 'x' }] }, 'Tag Key cannot be prefixed with aws:, Key: aws:owner'),
  create({ Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] }, 'Duplicate Tag Keys provided as input: Duplicate Tag Key found k'),
  create({ Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, 'Number of Tags exceed the current limit for the provided ResourceArn'),

  // ---- UpdateTable rules
  { op: 'UpdateTable', body: { TableName: baseTable }, type: V, message: 'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required' },
  { op: 'UpdateTable', body: { TableName: baseTable, SSESpecification: { Enabled: true }, DeletionProtectionEnabled: true }, type: V, message: `${invalid}Server-Side Encryption modification must be the only operation in the request` },
  { op: 'UpdateTable', body: { TableName: baseTable, TableClass: 'STANDARD', DeletionProtectionEnabled: true }, type: V, message: `${invalid}TableClass modification must be the only operation in the request` },
  { op: 'UpdateTable', body: { TableName: baseTable, DeletionProtectionEnabled: true, BillingMode: 'PAY_PER_REQUEST' }, type: V, message: `${invalid}DeletionProtection modification must be the only operation in the request` },
  { op: 'UpdateTable', body: { TableName: baseTable, WarmThroughput: { ReadUnitsPerSecond: 13000 }, BillingMode: 'PAY_PER_REQUEST' }, type: V, message: `${invalid}WarmThroughput must be the only operation in the request` },
  { op: 'UpdateTable', body: { TableName: baseTable, OnDemandThroughput: { MaxReadRequestUnits: 10 }, StreamSpecification: { StreamEnabled: false } }, type: V, message: `${invalid}OnDemandThroughput can only be combined with BillingMode in an UpdateTable request` },
  { op: 'UpdateTable', body: { TableName: baseTable, StreamSpecification: { StreamEnabled: true } }, type: V, message: `${invalid}If stream is being enabled then UpdateViewType is required` },
  { op: 'UpdateTable', body: { TableName: baseTable, StreamSpecification: { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' } }, type: V, message: `${invalid}If stream is being disabled, then UpdateViewType must not be specified` },
  { op: 'UpdateTable', body: { TableName: baseTable, TableClass: 'ARCHIVE' }, type: V, message: 'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].' },
  { op: 'TagResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Base', Tags: [{ Key: 'aws:cost', Value: 'x' }] }, type: V, message: 'Tag Key cannot be prefixed with aws:, Key: aws:cost' },
  { op: 'UpdateTable', body: { TableName: baseTable, BillingMode: 'PROVISIONED' }, type: V, message: `${invalid}ProvisionedThroughput must be specified when BillingMode is PROVISIONED` },
  { op: 'UpdateTable', body: { TableName: baseTable, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, type: V, message: `${invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST` },
  { op: 'UpdateTable', body: { TableName: baseTable, ProvisionedThroughput: { ReadCapacityUnits: 2000000000000, WriteCapacityUnits: 1 } }, type: V, message: 'Given value 2000000000000 for ReadCapacityUnits is out of bounds' },
  { op: 'UpdateTable', body: { TableName: baseTable, StreamSpecification: { StreamEnabled: false } }, type: V, message: `Table has no stream to disable: TableName: ${baseTable}` },

  // ---- tags
  { op: 'TagResource', body: {}, type: V, message: 'Invalid TableArn' },
  { op: 'TagResource', body: { ResourceArn: 'not-an-arn', Tags: [{ Key: 'a', Value: 'b' }] }, type: V, message: `${invalid}ARNs must start with 'arn:': not-an-arn` },
  { op: 'TagResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Base' }, type: V, message: "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null" },
  { op: 'TagResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:tablex/Base', Tags: [] }, type: V, message: `${invalid}Provided Arn is not a DynamoDB resource arn: arn:aws:dynamodb:us-east-1:000000000000:tablex/Base` },
  { op: 'TagResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Base', Tags: [] }, type: V, message: 'Atleast one Tag needs to be provided as Input.' },
  { op: 'TagResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Gone', Tags: [{ Key: 'a', Value: 'b' }] }, type: NF, message: 'Requested resource not found: ResourceArn: arn:aws:dynamodb:us-east-1:000000000000:table/Gone not found' },
  { op: 'UntagResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Base' }, type: V, message: "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null" },
  { op: 'UntagResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Base', TagKeys: [] }, type: V, message: 'Atleast one Tag Key needs to be provided as Input.' },
  { op: 'UntagResource', body: { ResourceArn: 'x', TagKeys: ['a'] }, type: V, message: `${invalid}ARNs must start with 'arn:': x` },
  { op: 'ListTagsOfResource', body: {}, type: V, message: 'Invalid TableArn' },
  { op: 'ListTagsOfResource', body: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Missing' }, type: NF, message: 'Requested resource not found: ResourceArn: arn:aws:dynamodb:us-east-1:000000000000:table/Missing not found' },
];

function expressionCases(): BadCase[] {
  const cond = (ConditionExpression: string, extra: Record<string, unknown>, message: string): BadCase =>
    ({ op: 'PutItem', body: { ...item({}), ConditionExpression, ...extra }, type: V, message: /^(Value provided|ExpressionAttribute|Combined size)/.test(message) ? message : `Invalid ConditionExpression: ${message}` });
  const proj = (ProjectionExpression: string, extra: Record<string, unknown>, message: string): BadCase =>
    ({ op: 'GetItem', body: { TableName: baseTable, Key: key, ProjectionExpression, ...extra }, type: V, message: `Invalid ProjectionExpression: ${message}` });
  const v = { ':v': { S: 'x' } };
  return [
    { op: 'PutItem', body: { ...item({}), Expected: { pk: { Exists: false } }, ConditionExpression: 'a = :v' }, type: V, message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}' },
    { op: 'GetItem', body: { TableName: baseTable, Key: key, AttributesToGet: ['a'], ProjectionExpression: 'a' }, type: V, message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}' },
    { op: 'PutItem', body: { ...item({}), ExpressionAttributeNames: { '#a': 'a' } }, type: V, message: 'ExpressionAttributeNames can only be specified when using expressions' },
    { op: 'PutItem', body: { ...item({}), ExpressionAttributeValues: v }, type: V, message: 'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null' },
    { op: 'GetItem', body: { TableName: baseTable, Key: key, ExpressionAttributeNames: { '#a': 'a' } }, type: V, message: 'ExpressionAttributeNames can only be specified when using expressions' },
    cond('a = :v', { ExpressionAttributeNames: {}, ExpressionAttributeValues: v }, 'ExpressionAttributeNames must not be empty'),
    cond('a = :v', { ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty'),
    cond('a = :v', { ExpressionAttributeNames: { a: 'a' }, ExpressionAttributeValues: v }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
    cond('a = :v', { ExpressionAttributeValues: { v: { S: 'x' } } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'),
    cond('a = :v', { ExpressionAttributeValues: { ':v': { SS: [] } } }, 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v'),
    cond('a = :v', { ExpressionAttributeValues: { ':v': { N: 'x' } } }, 'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :v'),
    cond('a = :v', { ExpressionAttributeNames: { '#a': '' }, ExpressionAttributeValues: v }, 'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a'),
    cond('a = :v', { ExpressionAttributeValues: { ':v': nest(32) } }, `ExpressionAttributeValues contains invalid value: ${nestingTooDeep} for key :v`),
    // Placeholders are at most 255 bytes, measured before their syntax is checked.
    cond('#a = :v', { ExpressionAttributeNames: { [`#${'n'.repeat(255)}`]: 'a' }, ExpressionAttributeValues: v }, 'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256'),
    cond('#a = :v', { ExpressionAttributeNames: { [`#${'é'.repeat(128)}`]: 'a' }, ExpressionAttributeValues: v }, 'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 257'),
    cond('a = :v', { ExpressionAttributeValues: { [`:${'v'.repeat(255)}`]: { S: 'x' } } }, 'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;'),
    cond('a = :v', { ExpressionAttributeValues: { [`-${'v'.repeat(255)}`]: { S: 'x' } } }, 'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;'),
    // All substitutions together are at most 2 MB: names, values, then both.
    cond('a = :v', { ExpressionAttributeNames: manyNames(33, 65000), ExpressionAttributeValues: v }, 'ExpressionAttributeNames exceeds max size'),
    cond('a = :v', { ExpressionAttributeValues: { ...v, ...manyValues(6, 400 * 1024) } }, 'ExpressionAttributeValues exceeds max size'),
    cond('a = :v', { ExpressionAttributeNames: manyNames(17, 65000), ExpressionAttributeValues: { ...v, ...manyValues(3, 400 * 1024) } }, 'Combined size of ExpressionAttributeNames and ExpressionAttributeValues exceeds max size'),
    // A document path has at most 32 levels.
    proj(`a${'.b'.repeat(32)}`, {}, 'The document path has too many nesting levels; nesting levels: 33'),
    proj(`a${'[0]'.repeat(33)}`, {}, 'The document path has too many nesting levels; nesting levels: 34'),
    cond(`#a${'.b'.repeat(32)} = :v`, { ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: v }, 'The document path has too many nesting levels; nesting levels: 33'),
    cond(`#x${'.b'.repeat(32)} = :v`, { ExpressionAttributeValues: v }, 'The document path has too many nesting levels; nesting levels: 33'),
    { op: 'UpdateItem', body: { TableName: baseTable, Key: key, UpdateExpression: `SET a${'.b'.repeat(32)} = :v`, ExpressionAttributeValues: v }, type: V, message: 'Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33' },
    { op: 'UpdateItem', body: { TableName: baseTable, Key: key, UpdateExpression: `REMOVE a${'[1]'.repeat(32)}` }, type: V, message: 'Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33' },
    cond('', {}, 'The expression can not be empty;'),
    cond(`attribute_not_exists(${'z'.repeat(4097)})`, {}, 'Expression size has exceeded the maximum allowed size; expression size: 4119'),
    { op: 'GetItem', body: { TableName: baseTable, Key: key, ProjectionExpression: 'z'.repeat(4097) }, type: V, message: 'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;' },
    { op: 'UpdateItem', body: { TableName: baseTable, Key: key, UpdateExpression: `SET ${'z'.repeat(4097)} = :v`, ExpressionAttributeValues: { ':v': { S: 'x' } } }, type: V, message: 'Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;' },
    cond('a = :v', { ExpressionAttributeValues: { ...v, ':w': { S: 'y' } } }, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}'),
    cond('a = :v', { ExpressionAttributeNames: { '#a': 'a', '#b': 'b' }, ExpressionAttributeValues: v }, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}'),
    cond('a =', {}, 'Syntax error; token: "<EOF>", near: "="'),
    cond('attribute_type()', {}, 'Syntax error; token: ")", near: "()"'),
    cond('a = = :v', { ExpressionAttributeValues: v }, 'Syntax error; token: "=", near: "= = :v"'),
    cond('a[x] = :v', { ExpressionAttributeValues: v }, 'Syntax error; token: "x", near: "[x]"'),
    cond('a = :v AND', { ExpressionAttributeValues: v }, 'Syntax error; token: "<EOF>", near: "AND"'),
    cond('a $ :v', { ExpressionAttributeValues: v }, 'Syntax error; token: "$", near: "a $"'),
    cond('((a = :v))', { ExpressionAttributeValues: v }, 'The expression has redundant parentheses;'),
    cond('whatever(a) AND a = :v', { ExpressionAttributeValues: v }, 'Invalid function name; function: whatever'),
    cond('size(a)', {}, 'The function is not allowed to be used this way in an expression; function: size'),
    cond('size(contains(a, :v)) > :v', { ExpressionAttributeValues: v }, 'The function is not allowed to be used this way in an expression; function: contains'),
    cond('a BETWEEN :v AND attribute_exists(b)', { ExpressionAttributeValues: v }, 'The function is not allowed to be used this way in an expression; function: attribute_exists'),
    cond('views = :v', { ExpressionAttributeValues: v }, 'Attribute name is a reserved keyword; reserved keyword: views'),
    cond('a.#b = :v', { ExpressionAttributeValues: v }, 'An expression attribute name used in the document path is not defined; attribute name: #b'),
    cond('a = :w', {}, 'An expression attribute value used in expression is not defined; attribute value: :w'),
    cond('attribute_exists(a, b)', {}, 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'),
    cond('begins_with(a)', {}, 'Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1'),
    cond('a = a', {}, 'The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'),
    cond('contains(a.b[1], a.b[1])', {}, 'The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a, b, [1]]'),
    cond('attribute_exists(:v)', { ExpressionAttributeValues: v }, 'Operator or function requires a document path; operator or function: attribute_exists'),
    cond('begins_with(a, :n)', { ExpressionAttributeValues: { ':n': { N: '1' } } }, 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'),
    cond('size(:n) > a', { ExpressionAttributeValues: { ':n': { BOOL: true } } }, 'Incorrect operand type for operator or function; operator or function: size, operand type: BOOL'),
    cond('attribute_type(a, :n)', { ExpressionAttributeValues: { ':n': { N: '1' } } }, 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'),
    cond('attribute_type(a, :t)', { ExpressionAttributeValues: { ':t': { S: 'STRING' } } }, 'Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'),
    cond('a BETWEEN :lo AND :hi', { ExpressionAttributeValues: { ':lo': { N: '5' }, ':hi': { N: '1' } } }, 'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}'),
    cond('a BETWEEN :lo AND :hi', { ExpressionAttributeValues: { ':lo': { N: '1' }, ':hi': { S: 'z' } } }, 'The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:z}'),
    { op: 'DeleteItem', body: { TableName: baseTable, Key: key, ConditionExpression: 'attribute_exists(#k)' }, type: V, message: 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #k' },
    ...updateCases(),
    proj('', {}, 'The expression can not be empty;'),
    proj('a,', {}, 'Syntax error; token: "<EOF>", near: ","'),
    proj('a[b]', {}, 'Syntax error; token: "b", near: "[b]"'),
    proj('name', {}, 'Attribute name is a reserved keyword; reserved keyword: name'),
    proj('#n', {}, 'An expression attribute name used in the document path is not defined; attribute name: #n'),
    proj('a.b, a', {}, 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]'),
    proj('a[0], a.b', {}, 'Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]'),
  ];
}

function updateCases(): BadCase[] {
  const upd = (UpdateExpression: string, extra: Record<string, unknown>, message: string): BadCase =>
    ({ op: 'UpdateItem', body: { TableName: baseTable, Key: key, UpdateExpression, ...extra }, type: V, message: `Invalid UpdateExpression: ${message}` });
  const vals = (values: Record<string, unknown>): Record<string, unknown> => ({ ExpressionAttributeValues: values });
  const legacy = (AttributeUpdates: Record<string, unknown>, message: string): BadCase =>
    ({ op: 'UpdateItem', body: { TableName: baseTable, Key: key, AttributeUpdates }, type: V, message });
  return [
    upd('', {}, 'The expression can not be empty;'),
    upd('SET a = :v SET b = :v', vals({ ':v': { S: 'x' } }), 'The "SET" section can only be used once in an update expression;'),
    upd('SET a', {}, 'Syntax error; token: "<EOF>", near: "a"'),
    upd('FOO a = :v', vals({ ':v': { S: 'x' } }), 'Syntax error; token: "FOO", near: "FOO a"'),
    upd('SET a = :v,', vals({ ':v': { S: 'x' } }), 'Syntax error; token: "<EOF>", near: ","'),
    upd('ADD a b', {}, 'Syntax error; token: "b", near: "a b"'),
    upd('SET views = :v', vals({ ':v': { S: 'x' } }), 'Attribute name is a reserved keyword; reserved keyword: views'),
    upd('SET a = whatever(b)', {}, 'Invalid function name; function: whatever'),
    upd('SET a = if_not_exists(c)', {}, 'Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1'),
    upd('SET a = list_append(c)', {}, 'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1'),
    upd('SET a = if_not_exists(:v, c)', vals({ ':v': { S: 'x' } }), 'Operator or function requires a document path; operator or function: if_not_exists'),
    upd('SET a = list_append(:v, a)', vals({ ':v': { S: 'x' } }), 'Incorrect operand type for operator or function; operator or function: list_append, operand type: S'),
    upd('SET a = a + :v', vals({ ':v': { S: 'x' } }), 'Incorrect operand type for operator or function; operator or function: +, operand type: S'),
    upd('SET a = :v - a', vals({ ':v': { BOOL: true } }), 'Incorrect operand type for operator or function; operator or function: -, operand type: BOOL'),
    upd('ADD a :v', vals({ ':v': { S: 'x' } }), 'Incorrect operand type for operator or function; operator: ADD, operand type: STRING'),
    upd('ADD a :v', vals({ ':v': { L: [] } }), 'Incorrect operand type for operator or function; operator: ADD, operand type: LIST'),
    upd('DELETE a :v', vals({ ':v': { N: '1' } }), 'Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'),
    upd('DELETE a :v', vals({ ':v': { M: {} } }), 'Incorrect operand type for operator or function; operator: DELETE, operand type: MAP'),
    upd('SET a = :v REMOVE a', vals({ ':v': { S: 'x' } }), 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'),
    upd('SET a.b = :v, a = :v', vals({ ':v': { S: 'x' } }), 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]'),
    upd('REMOVE a.b SET a[1] = :v', vals({ ':v': { S: 'x' } }), 'Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]'),
    // One operator per SET value, in parentheses or not; a function is an operand, never holds arithmetic.
    upd('SET a = b + :v - :v', vals({ ':v': { N: '1' } }), 'Syntax error; token: "-", near: ":v - :v"'),
    upd('SET a = (b + :v) - :v', vals({ ':v': { N: '1' } }), 'Syntax error; token: "-", near: ") - :v"'),
    upd('SET a = b + (:v - :v)', vals({ ':v': { N: '1' } }), 'Syntax error; token: "-", near: ":v - :v"'),
    upd('SET a = if_not_exists(b, :v + :v)', vals({ ':v': { N: '1' } }), 'Syntax error; token: "+", near: ":v + :v"'),
    upd('SET a = list_append(b - :v, :v)', vals({ ':v': { N: '1' } }), 'Syntax error; token: "-", near: "b - :v"'),
    upd('SET a = (if_not_exists(b, :v) - :v', vals({ ':v': { N: '1' } }), 'Syntax error; token: "<EOF>", near: ":v"'),
    upd('SET a = (:v) +', vals({ ':v': { N: '1' } }), 'Syntax error; token: "<EOF>", near: "+"'),
    upd('SET a = ((b - :v))', vals({ ':v': { N: '1' } }), 'The expression has redundant parentheses;'),
    upd('SET a = (if_not_exists(b, :v) + :w)', vals({ ':v': { N: '1' }, ':w': { S: 'x' } }), 'Incorrect operand type for operator or function; operator or function: +, operand type: S'),
    upd('SET a = (whatever(b) - :v)', vals({ ':v': { N: '1' } }), 'Invalid function name; function: whatever'),
    upd('SET #x = :v', vals({ ':v': { S: 'x' } }), 'An expression attribute name used in the document path is not defined; attribute name: #x'),
    upd('SET a = :w', {}, 'An expression attribute value used in expression is not defined; attribute value: :w'),
    { op: 'UpdateItem', body: { TableName: baseTable, Key: key, AttributeUpdates: { a: { Action: 'PUT', Value: { S: 'x' } } }, UpdateExpression: 'SET a = :v' }, type: V, message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}' },
    { op: 'UpdateItem', body: { TableName: baseTable, Key: key, ExpressionAttributeValues: { ':v': { S: 'x' } } }, type: V, message: 'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null' },
    { op: 'UpdateItem', body: { TableName: baseTable, Key: key, ReturnValues: 'SOME' }, type: V, message: one("'SOME'", 'returnValues', 'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]') },
    { op: 'UpdateItem', body: { TableName: baseTable, Key: key, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, type: V, message: `${invalid}Cannot update attribute pk. This attribute is part of the key` },
    { op: 'UpdateItem', body: { TableName: baseTable, Key: key, UpdateExpression: 'ADD sk.x :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, type: V, message: `${invalid}Cannot update attribute sk. This attribute is part of the key` },
    legacy({ a: { Action: 'PUT' } }, `${invalid}Only DELETE action is allowed when no attribute value is specified`),
    legacy({ a: { Action: 'DELETE', Value: { S: 'x' } } }, `${invalid}DELETE action with value is not supported for the type S`),
    legacy({ a: { Action: 'ADD', Value: { S: 'x' } } }, `${invalid}ADD action is not supported for the type S`),
    legacy({ a: { Action: 'REPLACE', Value: { S: 'x' } } }, one("'REPLACE'", 'attributeUpdates.a.member.action', 'Member must satisfy enum value set: [ADD, PUT, DELETE]')),
  ];
}

function legacyConditionCases(): BadCase[] {
  const exp = (Expected: Record<string, unknown>, message: string): BadCase => ({ op: 'DeleteItem', body: { TableName: baseTable, Key: key, Expected }, type: V, message });
  return [
    exp({ a: { Value: { S: 'x' }, AttributeValueList: [{ S: 'x' }] } }, `${invalid}Value and AttributeValueList cannot be used together for Attribute: a`),
    exp({ a: { Exists: true, ComparisonOperator: 'EQ', Value: { S: 'x' } } }, `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: a`),
    exp({ a: { ComparisonOperator: 'EQ' } }, `${invalid}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`),
    exp({ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } }, `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`),
    exp({ a: { ComparisonOperator: 'NULL', AttributeValueList: [{ N: '1' }] } }, `${invalid}Invalid number of argument(s) for the NULL ComparisonOperator`),
    exp({ a: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { S: 'x' }] } }, `${invalid}AttributeValues inside AttributeValueList must be of same type`),
    exp({ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '5' }, { N: '1' }] } }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'),
    exp({ a: { AttributeValueList: [{ N: '1' }] } }, `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`),
    exp({ a: {} }, `${invalid}Value must be provided when Exists is null for Attribute: a`),
    exp({ a: { Exists: true } }, `${invalid}Value must be provided when Exists is true for Attribute: a`),
    exp({ a: { Exists: false, Value: { S: 'x' } } }, `${invalid}Value cannot be used when Exists is false for Attribute: a`),
    exp({ a: { ComparisonOperator: 'LIKE', Value: { S: 'x' } } }, one("'LIKE'", 'expected.a.member.comparisonOperator', 'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]')),
    exp({ a: { Value: { N: 'x' } } }, 'The parameter cannot be converted to a numeric value: x'),
  ];
}

/** n names of the given length, so the names map holds about n × length bytes. */
function manyNames(n: number, length: number): Record<string, string> {
  const names: Record<string, string> = {};
  for (let i = 0; i < n; i++) names[`#n${i}`] = `${i}`.padEnd(length, 'n');
  return names;
}

/** n string values of the given length. */
function manyValues(n: number, length: number): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) values[`:big${i}`] = { S: 'x'.repeat(length) };
  return values;
}

function nest(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { S: 'leaf' };
  for (let i = 0; i < depth; i++) value = { M: { x: value } };
  return value;
}
