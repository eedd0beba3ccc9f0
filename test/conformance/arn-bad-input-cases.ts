// Bad-input cases for tables named by ARN and for tags (issue 17, classes 4 and 12). Where each
// answer was recorded: docs/compatibility.md ("Table ARNs" and "Tags").
import type { BadCase } from './bad-input-cases.js';
import { baseTable } from './bad-input-cases.js';

const V = 'com.amazon.coral.validate#ValidationException';
const NF = 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException';
const AD = 'com.amazon.coral.service#AccessDeniedException';
const invalid = 'One or more parameter values were invalid: ';

const arnOf = (name: string, region = 'us-east-1', account = '000000000000'): string => `arn:aws:dynamodb:${region}:${account}:table/${name}`;
const base = arnOf(baseTable);
const otherRegion = arnOf(baseTable, 'eu-west-1');
const otherAccount = arnOf(baseTable, 'us-east-1', '111111111111');
const key = { pk: { S: 'a' }, sk: { N: '1' } };

const arnFormat = "1 validation error detected: Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where Resource name must have length less than or equal to 255, Resource name must have length greater than or equal to 3, Resource name must satisfyregular expression pattern: [a-zA-Z0-9_.-]+";
const region = (arn: string): string => `1 validation error detected: Invalid AWS region in '${arn}'`;
const denied = 'Access is denied';
const describe = (TableName: string, type: string, message: string): BadCase => ({ op: 'DescribeTable', body: { TableName }, type, message });

/** A table's ARN in place of its name: the ARN's form, partition, type, name, region and account. */
function tableArnCases(): BadCase[] {
  const longArn = `arn:${'x'.repeat(1021)}`;
  return [
    describe(`${base}/index/gsi`, V, arnFormat),
    describe(`${base}/stream/2026-01-01T00:00:00.000`, V, arnFormat),
    describe('arn:aws:dynamodb:us-east-1:000000000000:backup/Base', V, `1 validation error detected: Invalid resource type in 'arn:aws:dynamodb:us-east-1:000000000000:backup/Base'`),
    describe('arn:aws-cn:dynamodb:us-east-1:000000000000:table/Base', V, `1 validation error detected: Invalid AWS partition in 'arn:aws-cn:dynamodb:us-east-1:000000000000:table/Base'`),
    describe('arn:aws:s3:::bucket/Base', V, arnFormat),
    describe('arn:', V, arnFormat),
    describe('arn:aws:dynamodb:us-east-1:000000000000:Base', V, arnFormat),
    describe(arnOf('ab'), V, arnFormat),
    describe(arnOf('x'.repeat(256)), V, arnFormat),
    describe(arnOf('Ba!se'), V, arnFormat),
    describe(longArn, V, `1 validation error detected: Value '${longArn}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 1024`),
    describe(otherRegion, V, region(otherRegion)),
    describe(otherAccount, AD, denied),
    describe(arnOf('Missing'), NF, 'Requested resource not found: Table: Missing not found'),
    { op: 'DeleteTable', body: { TableName: otherAccount }, type: AD, message: denied },
    { op: 'DeleteTable', body: { TableName: otherRegion }, type: V, message: region(otherRegion) },
    { op: 'UpdateTable', body: { TableName: otherRegion, DeletionProtectionEnabled: true }, type: V, message: region(otherRegion) },
    { op: 'UpdateTimeToLive', body: { TableName: otherAccount, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }, type: AD, message: denied },
    { op: 'DescribeTimeToLive', body: { TableName: `${base}/index/gsi` }, type: V, message: arnFormat },
    { op: 'CreateTable', body: { TableName: arnOf('NewTable', 'eu-west-1'), BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] }, type: V, message: region(arnOf('NewTable', 'eu-west-1')) },
    { op: 'GetItem', body: { TableName: otherRegion, Key: key }, type: V, message: region(otherRegion) },
    { op: 'PutItem', body: { TableName: otherAccount, Item: { ...key, v: { S: 'changed' } } }, type: AD, message: denied },
    { op: 'UpdateItem', body: { TableName: otherRegion, Key: key, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'changed' } } }, type: V, message: region(otherRegion) },
    { op: 'DeleteItem', body: { TableName: otherAccount, Key: key }, type: AD, message: denied },
    { op: 'Query', body: { TableName: `${base}/index/gsi`, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }, type: V, message: arnFormat },
    { op: 'Scan', body: { TableName: otherRegion }, type: V, message: region(otherRegion) },
    { op: 'BatchGetItem', body: { RequestItems: { [otherRegion]: { Keys: [key] } } }, type: V, message: region(otherRegion) },
    { op: 'BatchWriteItem', body: { RequestItems: { [otherAccount]: [{ PutRequest: { Item: { ...key, v: { S: 'changed' } } } }] } }, type: AD, message: denied },
    { op: 'BatchWriteItem', body: { RequestItems: { [baseTable]: [{ DeleteRequest: { Key: key } }], [`${base}/index/gsi`]: [{ DeleteRequest: { Key: key } }] } }, type: V, message: arnFormat },
    { op: 'TransactWriteItems', body: { TransactItems: [{ Delete: { TableName: baseTable, Key: key } }, { Put: { TableName: otherAccount, Item: key } }] }, type: AD, message: denied },
    { op: 'TransactGetItems', body: { TransactItems: [{ Get: { TableName: otherRegion, Key: key } }] }, type: V, message: region(otherRegion) },
  ];
}

/** Tag keys and values: AWS's characters and lengths, with its own texts. */
function tagCases(): BadCase[] {
  const tag = (Tags: unknown[], message: string): BadCase => ({ op: 'TagResource', body: { ResourceArn: base, Tags }, type: V, message });
  const untag = (TagKeys: string[], message: string): BadCase => ({ op: 'UntagResource', body: { ResourceArn: base, TagKeys }, type: V, message });
  const create = (Tags: unknown[], message: string): BadCase => ({
    op: 'CreateTable',
    body: { TableName: 'NewTable', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], Tags },
    type: V,
    message,
  });
  const badKey = (key: string): string => `The Tag Key provided is invalid, Key: ${key}`;
  const badValue = (value: string): string => `The Tag Value provided is invalid, Value: ${value}`;
  return [
    tag([{ Key: 'k'.repeat(129), Value: 'v' }], badKey('k'.repeat(129))),
    tag([{ Key: 'k', Value: 'v'.repeat(257) }], badValue('v'.repeat(257))),
    tag([{ Value: 'v' }], badKey('null')),
    tag([{ Key: 'k' }], badValue('null')),
    tag([{}], badKey('null')),
    tag([{ Key: '', Value: 'v' }], badKey('')),
    tag([{ Key: '🔑', Value: 'v' }], badKey('🔑')),
    tag([{ Key: 'k', Value: '100%' }], badValue('100%')),
    tag([{ Key: 'k', Value: 'a,b' }], badValue('a,b')),
    tag([{ Key: 'a#b', Value: 'v' }], badKey('a#b')),
    tag([{ Key: 'k', Value: "it's" }], badValue("it's")),
    tag([{ Key: '<a>', Value: 'v' }], badKey('<a>')),
    tag([{ Key: 'k', Value: 'a;b' }], badValue('a;b')),
    tag([{ Key: 'good', Value: 'v' }, { Key: 'x'.repeat(129), Value: 'v' }], badKey('x'.repeat(129))),
    tag([{ Key: 'good', Value: 'v' }, { Key: 'aws:zzz', Value: 'v' }], 'Tag Key cannot be prefixed with aws:, Key: aws:zzz'),
    tag([{ Key: 'dup', Value: '1' }, { Key: 'dup', Value: '2' }], 'Duplicate Tag Keys provided as input: Duplicate Tag Key found dup'),
    tag(Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })), 'Number of Tags exceed the current limit for the provided ResourceArn'),
    untag(['k'.repeat(129)], badKey('k'.repeat(129))),
    untag([''], badKey('')),
    untag(['a*b'], badKey('a*b')),
    untag(Array.from({ length: 51 }, (_, i) => `k${i}`), 'Number of Tags exceed the current limit for the provided ResourceArn'),
    create([{ Key: 'a*b', Value: 'v' }], badKey('a*b')),
    create([{ Key: 'k' }], badValue('null')),
    create([{ Key: 'k', Value: 'v'.repeat(257) }], badValue('v'.repeat(257))),
    create([{ Value: 'v' }], badKey('null')),
  ];
}

/** The tagging operations' ResourceArn: each way it can be wrong, in AWS's order. */
function resourceArnCases(): BadCase[] {
  const list = (ResourceArn: string, type: string, message: string): BadCase => ({ op: 'ListTagsOfResource', body: { ResourceArn }, type, message });
  const stream = `${base}/stream/2026-01-01T00:00:00.000`;
  return [
    list(baseTable, V, `${invalid}ARNs must start with 'arn:': ${baseTable}`),
    list(otherRegion, V, `Invalid TableArn: Invalid ResourceArn provided as input ${otherRegion}`),
    list(otherAccount, AD, denied),
    list(`${base}/index/gsi`, V, `${invalid}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${base}/index/gsi`),
    list(`${base}/backup/01700000000000-abcdef12`, V, `${invalid}Provided Arn is not a DynamoDB resource arn: ${base}/backup/01700000000000-abcdef12`),
    list(stream, NF, `Requested resource not found: ResourceArn: ${stream} not found`),
    list(arnOf('BASE'), NF, `Requested resource not found: ResourceArn: ${arnOf('BASE')} not found`),
    { op: 'TagResource', body: { ResourceArn: otherAccount, Tags: [{ Key: 'k', Value: 'v' }] }, type: AD, message: denied },
    { op: 'TagResource', body: { ResourceArn: 'arn:aws:s3:::bucket', Tags: [{ Key: 'k', Value: 'v' }] }, type: AD, message: 'User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:TagResource on resource: arn:aws:s3:::bucket' },
    { op: 'UntagResource', body: { ResourceArn: otherRegion, TagKeys: ['k'] }, type: V, message: `Invalid TableArn: Invalid ResourceArn provided as input ${otherRegion}` },
    { op: 'UntagResource', body: { ResourceArn: otherAccount, TagKeys: ['k'] }, type: AD, message: denied },
  ];
}

export const arnBadCases: readonly BadCase[] = [...tableArnCases(), ...tagCases(), ...resourceArnCases()];
