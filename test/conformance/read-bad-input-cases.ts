// Malformed Query, Scan, BatchGetItem and BatchWriteItem requests with DynamoDB's exact answers.
// Tables: Base (pk S, sk N) and BaseBinary (id B), created by bad-input.test.ts.
import type { BadCase } from './bad-input-cases.js';

const V = 'com.amazon.coral.validate#ValidationException';
const S = 'com.amazon.coral.service#SerializationException';
const NF = 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException';
const invalid = 'One or more parameter values were invalid: ';
const one = (value: string, path: string, rule: string): string => `1 validation error detected: Value ${value} at '${path}' failed to satisfy constraint: ${rule}`;
const key = { pk: { S: 'a' }, sk: { N: '1' } };
const kc = { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } };

function wrongTypes(op: string, base: Record<string, unknown>, members: Readonly<Record<string, 'String' | 'Integer' | 'Boolean' | 'List' | 'Map'>>): BadCase[] {
  const out: BadCase[] = [];
  for (const [member, kind] of Object.entries(members)) {
    const body = (v: unknown): Record<string, unknown> => ({ ...base, [member]: v });
    switch (kind) {
      case 'String':
        out.push({ op, body: body(5), type: S, message: 'NUMBER_VALUE cannot be converted to String' }, { op, body: body(true), type: S, message: 'TRUE_VALUE cannot be converted to String' }, { op, body: body(['x']), type: S, message: 'Unrecognized collection type class java.lang.String' });
        break;
      case 'Integer':
        out.push({ op, body: body('5'), type: S, message: 'STRING_VALUE cannot be converted to Integer' }, { op, body: body(false), type: S, message: 'FALSE_VALUE cannot be converted to Integer' }, { op, body: body({}), type: S, message: 'Start of structure or map found where not expected' });
        break;
      case 'Boolean':
        out.push({ op, body: body(2), type: S, message: 'NUMBER_VALUE cannot be converted to Boolean' }, { op, body: body('sometimes'), type: S, message: 'Unexpected token received from parser' });
        break;
      case 'List':
        out.push({ op, body: body('x'), type: S, message: 'Unexpected field type' }, { op, body: body({}), type: S, message: 'Start of structure or map found where not expected' });
        break;
      case 'Map':
        out.push({ op, body: body(1), type: S, message: 'Unexpected field type' });
        break;
    }
  }
  return out;
}

/** A Query naming the empty string as its partition: recorded from AWS (it names no partition). */
const emptyPartition = `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk`;

export const readBadCases: readonly BadCase[] = [
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: '' } } }, type: V, message: emptyPartition },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': { S: '' }, ':s': { N: '1' } } }, type: V, message: emptyPartition },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: '#k = :p', ExpressionAttributeNames: { '#k': 'pk' }, ExpressionAttributeValues: { ':p': { S: '' } }, ScanIndexForward: false }, type: V, message: emptyPartition },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: '' }] } } }, type: V, message: emptyPartition },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: '' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '2' }] } } }, type: V, message: emptyPartition },
  ...wrongTypes('Query', { TableName: 'Base', ...kc }, {
    Select: 'String', IndexName: 'String', ReturnConsumedCapacity: 'String', QueryFilter: 'Map', ConditionalOperator: 'String', AttributesToGet: 'List',
    Limit: 'Integer', KeyConditions: 'Map', ExclusiveStartKey: 'Map', ConsistentRead: 'Boolean', ScanIndexForward: 'Boolean', KeyConditionExpression: 'String',
    FilterExpression: 'String', ProjectionExpression: 'String',
  }),
  ...wrongTypes('Scan', { TableName: 'Base' }, {
    Select: 'String', TotalSegments: 'Integer', Segment: 'Integer', ScanFilter: 'Map', Limit: 'Integer', AttributesToGet: 'List', ExclusiveStartKey: 'Map',
    ConsistentRead: 'Boolean', FilterExpression: 'String',
  }),
  ...wrongTypes('BatchGetItem', {}, { RequestItems: 'Map', ReturnConsumedCapacity: 'String' }),
  ...wrongTypes('BatchWriteItem', {}, { RequestItems: 'Map', ReturnItemCollectionMetrics: 'String' }),
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: 'x' } } }, type: S, message: 'Unexpected field type' },
  { op: 'BatchGetItem', body: { RequestItems: { Base: [] } }, type: S, message: 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes' },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [5] } }, type: S, message: 'Unexpected value type in payload' },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ PutRequest: { Item: { pk: 'a' } } }] } }, type: S, message: 'Unexpected value type in payload' },

  // constraints
  { op: 'Query', body: { TableName: 'Base', ...kc, Limit: 0 }, type: V, message: one("'0'", 'limit', 'Member must have value greater than or equal to 1') },
  { op: 'Query', body: { TableName: 'Base', ...kc, Select: 'SOME' }, type: V, message: one("'SOME'", 'select', 'Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]') },
  { op: 'Query', body: { TableName: 'Base', ...kc, IndexName: 'ab' }, type: V, message: one("'ab'", 'indexName', 'Member must have length greater than or equal to 3') },
  { op: 'Query', body: { TableName: 'Base', ...kc, ConditionalOperator: 'XOR' }, type: V, message: one("'XOR'", 'conditionalOperator', 'Member must satisfy enum value set: [OR, AND]') },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: {} } }, type: V, message: one('null', 'keyConditions.pk.member.comparisonOperator', 'Member must not be null') },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'LIKE' } } }, type: V, message: one("'LIKE'", 'keyConditions.pk.member.comparisonOperator', 'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]') },
  { op: 'Query', body: { TableName: 'Base', ...kc, AttributesToGet: [] }, type: V, message: one("'[]'", 'attributesToGet', 'Member must have length greater than or equal to 1') },
  { op: 'Query', body: { ...kc }, type: V, message: one('null', 'tableName', 'Member must not be null') },
  { op: 'Scan', body: { TableName: 'Base', Segment: -1, TotalSegments: 0 }, type: V, message: "2 validation errors detected: Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0" },
  { op: 'Scan', body: { TableName: 'Base', Segment: 1000000, TotalSegments: 1000000 }, type: V, message: one("'1000000'", 'segment', 'Member must have value less than or equal to 999999') },
  { op: 'Scan', body: { TableName: 'Base', Limit: -5 }, type: V, message: one("'-5'", 'limit', 'Member must have value greater than or equal to 1') },
  { op: 'Scan', body: { TableName: 'Base', ScanFilter: { a: { ComparisonOperator: 'NOPE' } } }, type: V, message: one("'NOPE'", 'scanFilter.a.member.comparisonOperator', 'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]') },
  { op: 'Scan', body: { TableName: 'a;' }, type: V, message: "2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+" },
  { op: 'BatchGetItem', body: {}, type: V, message: one('null', 'requestItems', 'Member must not be null') },
  { op: 'BatchGetItem', body: { RequestItems: {} }, type: V, message: one("'{}'", 'requestItems', 'Member must have length greater than or equal to 1') },
  { op: 'BatchGetItem', body: { RequestItems: { Base: {} } }, type: V, message: one('null', 'requestItems.Base.member.keys', 'Member must not be null') },
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: [] } } }, type: V, message: one("'[]'", 'requestItems.Base.member.keys', 'Member must have length greater than or equal to 1') },
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: { S: `k${i}` }, sk: { N: '1' } })) } } }, type: V, message: `1 validation error detected: Value '${'['.concat(Array.from({ length: 101 }, (_, i) => JSON.stringify({ pk: { S: `k${i}` }, sk: { N: '1' } })).join(', '), ']')}' at 'requestItems.Base.member.keys' failed to satisfy constraint: Member must have length less than or equal to 100` },
  { op: 'BatchGetItem', body: { RequestItems: { 'a;': { Keys: [key] } } }, type: V, message: `1 validation error detected: Value '{"a;":{"Keys":[{"pk":{"S":"a"},"sk":{"N":"1"}}]}}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]` },
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: [key], AttributesToGet: [] } } }, type: V, message: one("'[]'", 'requestItems.Base.member.attributesToGet', 'Member must have length greater than or equal to 1') },
  { op: 'BatchWriteItem', body: {}, type: V, message: one('null', 'requestItems', 'Member must not be null') },
  { op: 'BatchWriteItem', body: { RequestItems: {} }, type: V, message: one("'{}'", 'requestItems', 'Member must have length greater than or equal to 1') },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ PutRequest: {} }] } }, type: V, message: one('null', 'requestItems.Base.member.1.member.putRequest.item', 'Member must not be null') },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ PutRequest: { Item: { ...key, '': { S: 'x' } } } }] } }, type: V, message: 'Empty attribute name' },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ DeleteRequest: {} }] } }, type: V, message: one('null', 'requestItems.Base.member.1.member.deleteRequest.key', 'Member must not be null') },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [] } }, type: V, message: one("'[]'", 'requestItems.Base.member', 'Member must have length greater than or equal to 1') },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ PutRequest: { Item: key } }] }, ReturnItemCollectionMetrics: 'ALL' }, type: V, message: one("'ALL'", 'returnItemCollectionMetrics', 'Member must satisfy enum value set: [SIZE, NONE]') },

  // semantics: Query
  { op: 'Query', body: { TableName: 'Base' }, type: V, message: 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: '' }, type: V, message: 'Invalid KeyConditionExpression: The expression can not be empty;' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk = ', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "="' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk = :p AND size(sk) > :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'KeyConditionExpressions cannot contain nested operations' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk = :p AND pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'KeyConditionExpressions must only contain one condition per key' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk.x = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'KeyConditionExpressions cannot have conditions on nested attributes' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk IN (:p)', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: IN' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'contains(pk, :p)', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: contains' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'name = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: name' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: '#k = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'Invalid KeyConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #k' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk = :q' }, type: V, message: 'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :q' },
  { op: 'Query', body: { TableName: 'Base', ...kc, ExpressionAttributeValues: { ':p': { S: 'a' }, ':x': { S: 'b' } } }, type: V, message: 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}' },
  { op: 'Query', body: { TableName: 'Base', ...kc, FilterExpression: '' }, type: V, message: 'Invalid FilterExpression: The expression can not be empty;' },
  { op: 'Query', body: { TableName: 'Base', ...kc, FilterExpression: 'foo(a)' }, type: V, message: 'Invalid FilterExpression: Invalid function name; function: foo' },
  { op: 'Query', body: { TableName: 'Base', ...kc, FilterExpression: `attribute_exists(${'z'.repeat(4090)})` }, type: V, message: 'Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4108' },
  { op: 'Query', body: { TableName: 'Base', ...kc, ProjectionExpression: 'a, a' }, type: V, message: 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]' },
  { op: 'Query', body: { TableName: 'Base', ...kc, AttributesToGet: ['a'] }, type: V, message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {KeyConditionExpression}' },
  { op: 'Query', body: { TableName: 'Base', ...kc, QueryFilter: { a: { ComparisonOperator: 'NULL' } } }, type: V, message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}' },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: 'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null' },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, QueryFilter: { a: { ComparisonOperator: 'GT' } } }, type: V, message: `${invalid}Invalid number of argument(s) for the GT ComparisonOperator` },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }, { S: 'b' }] } } }, type: V, message: `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator` },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ N: '1' }] } } }, type: V, message: `${invalid}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type` },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '5' }, { N: '1' }] } } }, type: V, message: 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound' },
  { op: 'Query', body: { TableName: 'Base', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, AttributesToGet: ['a', 'a'] }, type: V, message: `${invalid}Duplicate value in attribute name: a` },
  { op: 'Query', body: { TableName: 'Base', ...kc, ExclusiveStartKey: { pk: { S: '' }, sk: { N: '1' } } }, type: V, message: `The provided starting key is invalid: ${invalid}The AttributeValue for a key attribute cannot contain an empty string value. Key: pk` },
  { op: 'Query', body: { TableName: 'Base', ...kc, ExclusiveStartKey: { pk: {}, sk: { N: '1' } } }, type: V, message: 'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes' },
  { op: 'Query', body: { TableName: 'Base', ...kc, ExclusiveStartKey: { pk: { S: 'a' }, sk: { N: 'x' } } }, type: V, message: 'The parameter cannot be converted to a numeric value: x' },
  // A hash-only table: a starting key with an attribute too many, or naming another attribute (dynalite's recorded rule).
  ...[{ id: { B: 'AQ==' }, x: { S: 'y' } }, { x: { S: 'y' } }, {}].map((ExclusiveStartKey) => ({
    op: 'Query', body: { TableName: 'BaseBinary', KeyConditionExpression: 'id = :i', ExpressionAttributeValues: { ':i': { B: 'AQ==' } }, ExclusiveStartKey }, type: V, message: 'The provided starting key is invalid',
  })),
  { op: 'Query', body: { TableName: 'Base', ...kc, ExclusiveStartKey: { pk: { S: 'a' }, sk: { S: '1' } } }, type: V, message: 'The provided starting key is invalid: The provided key element does not match the schema' },
  { op: 'Query', body: { TableName: 'Base', ...kc, ExclusiveStartKey: { pk: { S: 'a' }, other: { N: '1' } } }, type: V, message: 'The provided starting key is invalid' },
  { op: 'Query', body: { TableName: 'Base', KeyConditionExpression: 'pk = :p AND sk = :s', ExpressionAttributeValues: { ':p': { S: 'a' }, ':s': { N: '1' } }, ExclusiveStartKey: { pk: { S: 'b' }, sk: { N: '1' } } }, type: V, message: 'The query can return at most one row and cannot be restarted' },
  { op: 'Query', body: { TableName: 'Base', ...kc, IndexName: 'byOther' }, type: V, message: 'The table does not have the specified index: byOther' },
  { op: 'Scan', body: { TableName: 'Base', IndexName: 'byOther' }, type: V, message: 'The table does not have the specified index: byOther' },
  { op: 'Query', body: { TableName: 'Base', ...kc, Select: 'SPECIFIC_ATTRIBUTES', AttributesToGet: ['a'] }, type: V, message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {KeyConditionExpression}' },
  { op: 'Query', body: { TableName: 'Base', ...kc, Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'a' }, type: V, message: 'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES' },
  { op: 'Query', body: { TableName: 'Missing', ...kc }, type: NF, message: 'Requested resource not found' },
  { op: 'Query', body: { TableName: 'BaseBinary', KeyConditionExpression: 'id = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: `${invalid}Condition parameter type does not match schema type` },
  { op: 'Query', body: { TableName: 'BaseBinary', KeyConditionExpression: 'id = :p AND extra = :p', ExpressionAttributeValues: { ':p': { B: 'AQ==' } } }, type: V, message: 'Query key condition not supported' },

  // semantics: Scan
  { op: 'Scan', body: { TableName: 'Base', FilterExpression: 'a = ' }, type: V, message: 'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "="' },
  { op: 'Scan', body: { TableName: 'Base', FilterExpression: 'a = :v' }, type: V, message: 'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :v' },
  { op: 'Scan', body: { TableName: 'Base', ExpressionAttributeNames: { '#a': 'a' } }, type: V, message: 'ExpressionAttributeNames can only be specified when using expressions' },
  { op: 'Scan', body: { TableName: 'Base', ExpressionAttributeValues: { ':a': { S: 'a' } } }, type: V, message: 'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null' },
  { op: 'Scan', body: { TableName: 'Base', ScanFilter: { a: { ComparisonOperator: 'GT', AttributeValueList: [{ L: [] }] } } }, type: V, message: `${invalid}ComparisonOperator GT is not valid for L AttributeValue type` },
  { op: 'Scan', body: { TableName: 'Base', ScanFilter: { a: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ BOOL: true }] } } }, type: V, message: `${invalid}ComparisonOperator CONTAINS is not valid for BOOL AttributeValue type` },
  { op: 'Scan', body: { TableName: 'Base', ScanFilter: { a: { ComparisonOperator: 'IN', AttributeValueList: [] } } }, type: V, message: `${invalid}Invalid number of argument(s) for the IN ComparisonOperator` },
  { op: 'Scan', body: { TableName: 'Base', ScanFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } }, FilterExpression: 'a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } }, type: V, message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}' },
  { op: 'Scan', body: { TableName: 'Base', ExclusiveStartKey: { pk: { S: 'a' } } }, type: V, message: 'The provided starting key is invalid: The provided key element does not match the schema' },
  { op: 'Scan', body: { TableName: 'Base', Select: 'COUNT', AttributesToGet: ['a'] }, type: V, message: 'Cannot specify the AttributesToGet when choosing to get only the Count' },
  { op: 'Scan', body: { TableName: 'Base', Select: 'ALL_PROJECTED_ATTRIBUTES' }, type: V, message: 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName' },
  { op: 'Scan', body: { TableName: 'Base', AttributesToGet: ['a', 'b', 'a'] }, type: V, message: `${invalid}Duplicate value in attribute name: a` },
  { op: 'Scan', body: { TableName: 'Base', Segment: 3 }, type: V, message: 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present' },
  { op: 'Scan', body: { TableName: 'Base', Segment: 5, TotalSegments: 5 }, type: V, message: 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5' },
  { op: 'Scan', body: { TableName: 'Missing' }, type: NF, message: 'Requested resource not found' },

  // semantics: batches
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: [key, key] } } }, type: V, message: 'Provided list of item keys contains duplicates' },
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: [{ pk: { S: 'a' } }] } } }, type: V, message: 'The provided key element does not match the schema' },
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: [{ pk: {}, sk: { N: '1' } }] } } }, type: V, message: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes' },
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: [key], AttributesToGet: ['a'], ProjectionExpression: 'a' } } }, type: V, message: 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}' },
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: [key], ProjectionExpression: 'name' } } }, type: V, message: 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name' },
  { op: 'BatchGetItem', body: { RequestItems: { Base: { Keys: [key], ExpressionAttributeNames: { '#a': 'a' } } } }, type: V, message: 'ExpressionAttributeNames can only be specified when using expressions' },
  { op: 'BatchGetItem', body: { RequestItems: { Missing: { Keys: [key] } } }, type: NF, message: 'Requested resource not found' },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ PutRequest: { Item: key } }, { PutRequest: { Item: key } }] } }, type: V, message: 'Provided list of item keys contains duplicates' },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ PutRequest: { Item: { pk: { S: 'a' }, sk: { S: '1' } } } }] } }, type: V, message: 'The provided key element does not match the schema' },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ DeleteRequest: { Key: { pk: { S: 'a' } } } }] } }, type: V, message: 'The provided key element does not match the schema' },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ PutRequest: { Item: { ...key, v: { SS: [] } } } }] } }, type: V, message: `${invalid}An string set  may not be empty` },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{ PutRequest: { Item: { ...key, big: { S: 'x'.repeat(400 * 1024) } } } }] } }, type: V, message: 'Item size has exceeded the maximum allowed size' },
  { op: 'BatchWriteItem', body: { RequestItems: { Base: [{}] } }, type: V, message: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes' },
  { op: 'BatchWriteItem', body: { RequestItems: { Missing: [{ PutRequest: { Item: key } }] } }, type: NF, message: 'Requested resource not found' },
];
