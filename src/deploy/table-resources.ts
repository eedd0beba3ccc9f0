// The table resources of a template as the requests DynamoDB would get: AWS::DynamoDB::Table (its
// properties are CreateTable's, plus TTL, point-in-time recovery, Contributor Insights and a resource
// policy), AWS::DynamoDB::GlobalTable (a table in the stack's region with replicas in the others)
// and SAM's AWS::Serverless::SimpleTable (a table keyed by one attribute).
import type { DesiredTable, Json, Skipped } from './desired-state.js';
import type { Properties } from './property-reader.js';

const tableProperties = [
  'TableName', 'AttributeDefinitions', 'KeySchema', 'BillingMode', 'ProvisionedThroughput', 'OnDemandThroughput', 'WarmThroughput', 'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes', 'StreamSpecification', 'SSESpecification', 'TableClass', 'DeletionProtectionEnabled', 'Tags', 'TimeToLiveSpecification',
  'PointInTimeRecoverySpecification', 'ContributorInsightsSpecification', 'ResourcePolicy', 'KinesisStreamSpecification', 'ImportSourceSpecification',
];

const globalTableProperties = [
  'TableName', 'AttributeDefinitions', 'KeySchema', 'BillingMode', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'Replicas', 'SSESpecification',
  'StreamSpecification', 'TimeToLiveSpecification', 'WriteProvisionedThroughputSettings', 'WriteOnDemandThroughputSettings', 'WarmThroughput',
  'MultiRegionConsistency', 'GlobalTableWitnesses',
];

/** What one table resource asks for, and what of it is skipped. */
export interface TableReading {
  readonly table: DesiredTable;
  readonly skipped: readonly Skipped[];
}

function throughput(p: Properties | undefined): Json | undefined {
  if (p === undefined) return undefined;
  p.only(['ReadCapacityUnits', 'WriteCapacityUnits']);
  return { ReadCapacityUnits: p.number('ReadCapacityUnits'), WriteCapacityUnits: p.number('WriteCapacityUnits') };
}

function onDemand(p: Properties | undefined): Json | undefined {
  if (p === undefined) return undefined;
  p.only(['MaxReadRequestUnits', 'MaxWriteRequestUnits']);
  return { ...(p.has('MaxReadRequestUnits') ? { MaxReadRequestUnits: p.number('MaxReadRequestUnits') } : {}), ...(p.has('MaxWriteRequestUnits') ? { MaxWriteRequestUnits: p.number('MaxWriteRequestUnits') } : {}) };
}

function warm(p: Properties | undefined): Json | undefined {
  if (p === undefined) return undefined;
  p.only(['ReadUnitsPerSecond', 'WriteUnitsPerSecond']);
  return { ...(p.has('ReadUnitsPerSecond') ? { ReadUnitsPerSecond: p.number('ReadUnitsPerSecond') } : {}), ...(p.has('WriteUnitsPerSecond') ? { WriteUnitsPerSecond: p.number('WriteUnitsPerSecond') } : {}) };
}

function keySchema(p: Properties, name = 'KeySchema'): Json[] {
  const keys = p.objects(name);
  if (keys === undefined) throw p.fail(name, 'is required');
  return keys.map((k) => {
    k.only(['AttributeName', 'KeyType']);
    return { AttributeName: k.requiredString('AttributeName'), KeyType: k.requiredString('KeyType') };
  });
}

function projection(p: Properties): Json {
  const q = p.object('Projection');
  if (q === undefined) throw p.fail('Projection', 'is required');
  q.only(['ProjectionType', 'NonKeyAttributes']);
  const nonKey = q.strings('NonKeyAttributes');
  return { ProjectionType: q.string('ProjectionType') ?? 'INCLUDE', ...(nonKey === undefined ? {} : { NonKeyAttributes: nonKey }) };
}

function tags(p: Properties): Json[] | undefined {
  const list = p.objects('Tags');
  return list?.map((t) => {
    t.only(['Key', 'Value']);
    return { Key: t.requiredString('Key'), Value: t.string('Value') ?? '' };
  });
}

function sse(p: Properties | undefined): Json | undefined {
  if (p === undefined) return undefined;
  p.only(['SSEEnabled', 'SSEType', 'KMSMasterKeyId']);
  const enabled = p.boolean('SSEEnabled') ?? false;
  return { Enabled: enabled, ...(p.has('SSEType') ? { SSEType: p.string('SSEType') } : {}), ...(p.has('KMSMasterKeyId') ? { KMSMasterKeyId: p.string('KMSMasterKeyId') } : {}) };
}

function ttl(p: Properties | undefined): DesiredTable['ttl'] {
  if (p === undefined) return undefined;
  p.only(['AttributeName', 'Enabled']);
  const enabled = p.boolean('Enabled') ?? false;
  return enabled ? { AttributeName: p.requiredString('AttributeName'), Enabled: true } : undefined;
}

function pitr(p: Properties | undefined): DesiredTable['pitr'] {
  if (p === undefined) return undefined;
  p.only(['PointInTimeRecoveryEnabled', 'RecoveryPeriodInDays']);
  const days = p.number('RecoveryPeriodInDays');
  return { enabled: p.boolean('PointInTimeRecoveryEnabled') ?? false, ...(days === undefined ? {} : { recoveryPeriodInDays: days }) };
}

function policyText(p: Properties | undefined): string | undefined {
  if (p === undefined) return undefined;
  p.only(['PolicyDocument']);
  const document = p.raw('PolicyDocument');
  if (document === undefined) throw p.fail('PolicyDocument', 'is required');
  return typeof document === 'string' ? document : JSON.stringify(document);
}

function insights(p: Properties | undefined): boolean {
  if (p === undefined) return false;
  p.only(['Enabled', 'Mode']);
  return p.boolean('Enabled') ?? false;
}

function attributeDefinitions(p: Properties): Json[] {
  const list = p.objects('AttributeDefinitions');
  if (list === undefined) throw p.fail('AttributeDefinitions', 'is required');
  return list.map((a) => {
    a.only(['AttributeName', 'AttributeType']);
    return { AttributeName: a.requiredString('AttributeName'), AttributeType: a.requiredString('AttributeType') };
  });
}

function localIndexes(p: Properties): Json[] | undefined {
  return p.objects('LocalSecondaryIndexes')?.map((i) => {
    i.only(['IndexName', 'KeySchema', 'Projection']);
    return { IndexName: i.requiredString('IndexName'), KeySchema: keySchema(i), Projection: projection(i) };
  });
}

/** AWS::DynamoDB::Table. */
export function readTable(p: Properties, name: string, region: string): TableReading {
  p.only(tableProperties);
  const skipped: Skipped[] = [];
  for (const property of ['KinesisStreamSpecification', 'ImportSourceSpecification']) {
    if (p.has(property)) skipped.push({ where: p.where, property, reason: property === 'KinesisStreamSpecification' ? 'Kinesis Data Streams are not served' : 'importing from S3 at creation is not done by deploy (use ImportTable)' });
  }
  const gsis = p.objects('GlobalSecondaryIndexes')?.map((i) => {
    i.only(['IndexName', 'KeySchema', 'Projection', 'ProvisionedThroughput', 'OnDemandThroughput', 'WarmThroughput', 'ContributorInsightsSpecification']);
    if (i.has('ContributorInsightsSpecification')) skipped.push({ where: p.where, property: i.path('ContributorInsightsSpecification'), reason: 'Contributor Insights is set per table by deploy' });
    const provisioned = throughput(i.object('ProvisionedThroughput'));
    const demand = onDemand(i.object('OnDemandThroughput'));
    const warmth = warm(i.object('WarmThroughput'));
    return {
      IndexName: i.requiredString('IndexName'), KeySchema: keySchema(i), Projection: projection(i),
      ...(provisioned === undefined ? {} : { ProvisionedThroughput: provisioned }), ...(demand === undefined ? {} : { OnDemandThroughput: demand }), ...(warmth === undefined ? {} : { WarmThroughput: warmth }),
    };
  });
  const stream = p.object('StreamSpecification');
  stream?.only(['StreamViewType', 'ResourcePolicy']);
  if (stream?.has('ResourcePolicy') === true) skipped.push({ where: p.where, property: stream.path('ResourcePolicy'), reason: 'a stream\'s resource policy is not set by deploy' });
  const billing = p.string('BillingMode') ?? 'PROVISIONED';
  const provisioned = throughput(p.object('ProvisionedThroughput'));
  const lsis = localIndexes(p);
  const encryption = sse(p.object('SSESpecification'));
  const demand = onDemand(p.object('OnDemandThroughput'));
  const warmth = warm(p.object('WarmThroughput'));
  const tableTags = tags(p);
  const create: Json = {
    TableName: name, AttributeDefinitions: attributeDefinitions(p), KeySchema: keySchema(p), BillingMode: billing,
    ...(provisioned === undefined ? {} : { ProvisionedThroughput: provisioned }), ...(demand === undefined ? {} : { OnDemandThroughput: demand }), ...(warmth === undefined ? {} : { WarmThroughput: warmth }),
    ...(gsis === undefined || gsis.length === 0 ? {} : { GlobalSecondaryIndexes: gsis }), ...(lsis === undefined || lsis.length === 0 ? {} : { LocalSecondaryIndexes: lsis }),
    ...(stream === undefined ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.requiredString('StreamViewType') } }),
    ...(encryption === undefined ? {} : { SSESpecification: encryption }), ...(p.has('TableClass') ? { TableClass: p.string('TableClass') } : {}),
    ...(p.has('DeletionProtectionEnabled') ? { DeletionProtectionEnabled: p.boolean('DeletionProtectionEnabled') } : {}),
    ...(tableTags === undefined || tableTags.length === 0 ? {} : { Tags: tableTags }),
  };
  const recovery = pitr(p.object('PointInTimeRecoverySpecification'));
  const timeToLive = ttl(p.object('TimeToLiveSpecification'));
  const policy = policyText(p.object('ResourcePolicy'));
  return {
    table: {
      where: p.where, name, region, create, contributorInsights: insights(p.object('ContributorInsightsSpecification')), replicas: [],
      ...(timeToLive === undefined ? {} : { ttl: timeToLive }), ...(recovery === undefined ? {} : { pitr: recovery }), ...(policy === undefined ? {} : { resourcePolicy: policy }),
    },
    skipped,
  };
}

/** AWS::Serverless::SimpleTable: a table keyed by PrimaryKey (default `id`, a String). */
export function readSimpleTable(p: Properties, name: string, region: string): TableReading {
  p.only(['PrimaryKey', 'ProvisionedThroughput', 'TableName', 'Tags', 'SSESpecification', 'PointInTimeRecoverySpecification']);
  const key = p.object('PrimaryKey');
  key?.only(['Name', 'Type']);
  const keyName = key?.string('Name') ?? 'id';
  const keyType = key?.string('Type') ?? 'String';
  const types: Readonly<Record<string, string>> = { String: 'S', Number: 'N', Binary: 'B' };
  const attributeType = types[keyType];
  if (attributeType === undefined) throw (key ?? p).fail('Type', `must be String, Number or Binary (got ${keyType})`);
  const provisioned = throughput(p.object('ProvisionedThroughput'));
  const tagMap = p.object('Tags');
  const tagList = tagMap === undefined ? [] : Object.keys(tagMap.entries()).map((k) => ({ Key: k, Value: tagMap.string(k) ?? '' }));
  const encryption = sse(p.object('SSESpecification'));
  const recovery = pitr(p.object('PointInTimeRecoverySpecification'));
  const create: Json = {
    TableName: name, AttributeDefinitions: [{ AttributeName: keyName, AttributeType: attributeType }], KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
    BillingMode: provisioned === undefined ? 'PAY_PER_REQUEST' : 'PROVISIONED', ...(provisioned === undefined ? {} : { ProvisionedThroughput: provisioned }),
    ...(encryption === undefined ? {} : { SSESpecification: encryption }), ...(tagList.length === 0 ? {} : { Tags: tagList }),
  };
  return { table: { where: p.where, name, region, create, contributorInsights: false, replicas: [], ...(recovery === undefined ? {} : { pitr: recovery }) }, skipped: [] };
}

/** AWS::DynamoDB::GlobalTable: the table in the stack's region (which must be one of Replicas), replicas in the others. */
export function readGlobalTable(p: Properties, name: string, region: string): TableReading {
  p.only(globalTableProperties);
  const skipped: Skipped[] = [];
  if (p.has('MultiRegionConsistency') || p.has('GlobalTableWitnesses')) throw p.fail(p.has('MultiRegionConsistency') ? 'MultiRegionConsistency' : 'GlobalTableWitnesses', 'multi-region strong consistency is made with UpdateTable (see docs/global-tables.md), not by deploy');
  for (const property of ['WriteProvisionedThroughputSettings', 'WriteOnDemandThroughputSettings']) {
    if (p.has(property)) skipped.push({ where: p.where, property, reason: 'write capacity auto scaling of a global table is not set by deploy (use Application Auto Scaling)' });
  }
  const replicas = p.objects('Replicas');
  if (replicas === undefined || replicas.length === 0) throw p.fail('Replicas', 'is required (one per region, the stack\'s own among them)');
  const regions = replicas.map((r) => r.requiredString('Region'));
  const here = replicas[regions.indexOf(region)];
  if (here === undefined) throw p.fail('Replicas', `must include the stack's region ${region}`);
  for (const r of replicas) {
    r.only(['Region', 'GlobalSecondaryIndexes', 'PointInTimeRecoverySpecification', 'Tags', 'TableClass', 'DeletionProtectionEnabled', 'ContributorInsightsSpecification', 'ReadProvisionedThroughputSettings', 'ReadOnDemandThroughputSettings', 'SSESpecification', 'KinesisStreamSpecification', 'ResourcePolicy', 'ReplicaStreamSpecification', 'WarmThroughput']);
    if (r !== here && Object.keys(r.entries()).some((k) => k !== 'Region')) skipped.push({ where: p.where, property: r.path('Region'), reason: `the settings of the replica in ${r.string('Region') ?? ''} are not set by deploy: it gets the table's` });
  }
  const gsis = p.objects('GlobalSecondaryIndexes')?.map((i) => {
    i.only(['IndexName', 'KeySchema', 'Projection', 'WriteProvisionedThroughputSettings', 'WriteOnDemandThroughputSettings', 'WarmThroughput']);
    return { IndexName: i.requiredString('IndexName'), KeySchema: keySchema(i), Projection: projection(i) };
  });
  const stream = p.object('StreamSpecification');
  stream?.only(['StreamViewType']);
  const billing = p.string('BillingMode') ?? 'PROVISIONED';
  if (billing === 'PROVISIONED') throw p.fail('BillingMode', 'a PROVISIONED global table takes its write capacity from auto scaling settings, which deploy does not set; use PAY_PER_REQUEST');
  const lsis = localIndexes(p);
  const encryption = sse(p.object('SSESpecification'));
  const hereTags = tags(here);
  const create: Json = {
    TableName: name, AttributeDefinitions: attributeDefinitions(p), KeySchema: keySchema(p), BillingMode: billing,
    ...(gsis === undefined || gsis.length === 0 ? {} : { GlobalSecondaryIndexes: gsis }), ...(lsis === undefined || lsis.length === 0 ? {} : { LocalSecondaryIndexes: lsis }),
    ...(stream === undefined ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.requiredString('StreamViewType') } }),
    ...(encryption === undefined ? {} : { SSESpecification: encryption }), ...(here.has('TableClass') ? { TableClass: here.string('TableClass') } : {}),
    ...(here.has('DeletionProtectionEnabled') ? { DeletionProtectionEnabled: here.boolean('DeletionProtectionEnabled') } : {}),
    ...(hereTags === undefined || hereTags.length === 0 ? {} : { Tags: hereTags }),
  };
  const recovery = pitr(here.object('PointInTimeRecoverySpecification'));
  const timeToLive = ttl(p.object('TimeToLiveSpecification'));
  const policy = policyText(here.object('ResourcePolicy'));
  return {
    table: {
      where: p.where, name, region, create, contributorInsights: insights(here.object('ContributorInsightsSpecification')), replicas: regions.filter((r) => r !== region),
      ...(timeToLive === undefined ? {} : { ttl: timeToLive }), ...(recovery === undefined ? {} : { pitr: recovery }), ...(policy === undefined ? {} : { resourcePolicy: policy }),
    },
    skipped,
  };
}
