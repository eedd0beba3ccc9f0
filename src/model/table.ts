// A table's definition as the catalog keeps it: DynamoDB's own field names, so DescribeTable is a
// projection of this record plus live statistics.
import type { ScalarKeyType } from './attribute-value.js';

export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface AttributeDefinition {
  readonly AttributeName: string;
  readonly AttributeType: ScalarKeyType;
}
export interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}
export interface Projection {
  readonly ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  readonly NonKeyAttributes?: readonly string[];
}
export interface ProvisionedThroughputState {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
  NumberOfDecreasesToday: number;
  LastIncreaseDateTime?: number;
  LastDecreaseDateTime?: number;
}
export interface OnDemandThroughput {
  readonly MaxReadRequestUnits?: number;
  readonly MaxWriteRequestUnits?: number;
}
export interface WarmThroughput {
  readonly ReadUnitsPerSecond?: number;
  readonly WriteUnitsPerSecond?: number;
}
export interface LocalIndexRecord {
  readonly IndexName: string;
  readonly KeySchema: readonly KeySchemaElement[];
  readonly Projection: Projection;
}
export interface GlobalIndexRecord extends LocalIndexRecord {
  IndexStatus: TableStatus;
  /** While a GSI added to a live table is being filled from it (IndexStatus CREATING). */
  Backfilling?: boolean;
  ProvisionedThroughput: ProvisionedThroughputState;
  OnDemandThroughput?: OnDemandThroughput;
  WarmThroughput?: WarmThroughput;
}
export interface StreamState {
  readonly StreamEnabled: boolean;
  readonly StreamViewType?: StreamViewType;
}
export interface SseState {
  readonly Enabled: boolean;
  readonly SSEType?: 'AES256' | 'KMS';
  readonly KMSMasterKeyId?: string;
}
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

export interface TableRecord {
  /** Storage identity (16 hex chars); a re-created table with the same name gets a new one. */
  readonly id: string;
  /** Namespace the table lives in: the request's region, or "shared" with --shared-db. */
  readonly namespace: string;
  readonly region: string;
  readonly TableName: string;
  readonly TableId: string;
  readonly TableArn: string;
  readonly CreationDateTime: number;
  /** The catalog version this record was saved at; writes planned on it commit only while it is current. */
  readonly version?: number;
  AttributeDefinitions: readonly AttributeDefinition[];
  readonly KeySchema: readonly KeySchemaElement[];
  TableStatus: TableStatus;
  /** Epoch ms after which a transient status (CREATING/UPDATING/DELETING) resolves. */
  statusSettlesAt?: number;
  BillingMode: BillingMode;
  LastUpdateToPayPerRequestDateTime?: number;
  ProvisionedThroughput: ProvisionedThroughputState;
  /** UTC day (yyyy-mm-dd) NumberOfDecreasesToday counts for. */
  decreaseDay?: string;
  LocalSecondaryIndexes: readonly LocalIndexRecord[];
  GlobalSecondaryIndexes: GlobalIndexRecord[];
  StreamSpecification?: StreamState;
  LatestStreamLabel?: string;
  /** UpdateTimeToLive's last change; absent until TTL was first enabled. */
  TimeToLive?: TimeToLiveState;
  SSESpecification?: SseState;
  TableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  DeletionProtectionEnabled: boolean;
  OnDemandThroughput?: OnDemandThroughput;
  WarmThroughput?: WarmThroughput;
  Tags: Tag[];
  /** Point-in-time recovery while it is enabled (UpdateContinuousBackups). */
  PointInTimeRecovery?: PointInTimeRecoveryState;
  /** A table restored to a point in time: from where, to when, and whether the restore still runs. */
  RestoreSummary?: RestoreSummaryState;
  /** A table ImportTable is filling: the import's id (engine/import-service.ts); gone once it is ACTIVE. */
  importId?: string;
  /** A replica of a global table (version 2019.11.21): its replication log and the other replicas. */
  replication?: ReplicationState;
  /** Application Auto Scaling of the table's and its GSIs' provisioned capacity (engine/auto-scaling.ts). */
  autoScaling?: AutoScalingState;
  /** CloudWatch Contributor Insights of the table (no `index`) and of its GSIs, once configured (engine/contributor-insights.ts). */
  contributorInsights?: readonly ContributorInsightsState[];
  /** Resource-based policies (PutResourcePolicy) by the ARN they are attached to: the table's, or its stream's. */
  resourcePolicies?: Readonly<Record<string, ResourcePolicyState>>;
}

/** A resource-based policy document and its revision. */
export interface ResourcePolicyState {
  readonly document: string;
  readonly revisionId: string;
}

export type ContributorInsightsMode = 'ACCESSED_AND_THROTTLED_KEYS' | 'THROTTLED_KEYS';

/** Contributor Insights of a table or one GSI: its mode, its state, and the rules it has while enabled. */
export interface ContributorInsightsState {
  readonly index?: string;
  readonly mode: ContributorInsightsMode;
  readonly status: 'ENABLED' | 'DISABLED' | 'FAILED';
  /** The rules' names (DynamoDBContributorInsights-PKC-…), none unless ENABLED. */
  readonly rules: readonly string[];
  /** Epoch ms of the last change. */
  readonly changedAt: number;
  readonly failure?: { readonly ExceptionName: string; readonly ExceptionDescription: string };
}

/** What Application Auto Scaling scales: a table's or a GSI's read or write capacity. */
export type ScalableDimension = 'dynamodb:table:ReadCapacityUnits' | 'dynamodb:table:WriteCapacityUnits' | 'dynamodb:index:ReadCapacityUnits' | 'dynamodb:index:WriteCapacityUnits';

export interface SuspendedState {
  readonly DynamicScalingInSuspended: boolean;
  readonly DynamicScalingOutSuspended: boolean;
  readonly ScheduledScalingSuspended: boolean;
}

/** A registered scalable target: the table (or `index`) and dimension, and the range it is kept in. */
export interface ScalableTargetRecord {
  readonly ScalableDimension: ScalableDimension;
  readonly index?: string;
  readonly MinCapacity: number;
  readonly MaxCapacity: number;
  readonly RoleARN: string;
  /** Epoch ms. */
  readonly CreationTime: number;
  readonly SuspendedState: SuspendedState;
  /** Its ARN's id (scalable-target/<id>). */
  readonly id: string;
  /** Application Auto Scaling's tags of the target (RegisterScalableTarget, TagResource). */
  readonly Tags?: Readonly<Record<string, string>>;
}

/** A target tracking policy on a scalable target. */
export interface ScalingPolicyRecord {
  readonly PolicyName: string;
  readonly ScalableDimension: ScalableDimension;
  readonly index?: string;
  readonly TargetValue: number;
  readonly PredefinedMetricType: 'DynamoDBReadCapacityUtilization' | 'DynamoDBWriteCapacityUtilization';
  readonly ScaleInCooldown?: number;
  readonly ScaleOutCooldown?: number;
  readonly DisableScaleIn?: boolean;
  readonly CreationTime: number;
  /** Its ARN's id. */
  readonly id: string;
}

/** A change auto scaling made (or failed to make), as DescribeScalingActivities reports it. */
export interface ScalingActivityRecord {
  readonly ActivityId: string;
  readonly ScalableDimension: ScalableDimension;
  readonly index?: string;
  readonly Description: string;
  readonly Cause: string;
  readonly StartTime: number;
  readonly EndTime: number;
  readonly StatusCode: 'Successful' | 'Failed';
  readonly StatusMessage: string;
}

export interface AutoScalingState {
  readonly targets: readonly ScalableTargetRecord[];
  readonly policies: readonly ScalingPolicyRecord[];
  /** The latest first, at most a few dozen. */
  readonly activities: readonly ScalingActivityRecord[];
}

export type ReplicaStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

/** A replica's read capacity of its own (ReplicaUpdates' overrides): provisioned, or an on-demand maximum. */
export interface ReadOverrides {
  readonly ProvisionedThroughputOverride?: { readonly ReadCapacityUnits?: number };
  readonly OnDemandThroughputOverride?: { readonly MaxReadRequestUnits?: number };
}

/** What a replica has of its own where the group's settings would otherwise hold (ReplicaUpdates Create / Update). */
export interface ReplicaOverrides extends ReadOverrides {
  readonly KMSMasterKeyId?: string;
  readonly GlobalSecondaryIndexes?: readonly (ReadOverrides & { readonly IndexName: string })[];
  readonly TableClassOverride?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
}

/** Another region's replica, as this one lists it. */
export interface ReplicaRecord {
  readonly RegionName: string;
  readonly ReplicaStatus: ReplicaStatus;
  /** A witness of a table with multi-region strong consistency: it holds the data and votes, and serves no requests. */
  readonly Witness?: true;
  /** Its settings of its own, when it was given any. */
  readonly overrides?: ReplicaOverrides;
}

export interface ReplicationState {
  /** Storage id of this replica's replication log (engine/replication/): its writes, stamped, for the others to apply. */
  readonly logId: string;
  /** The other replicas, in the order they were added. */
  readonly Replicas: readonly ReplicaRecord[];
  /** While this replica is being made (CREATING): the region whose items it is filled from. */
  readonly source?: string;
  /** MultiRegionConsistency STRONG: a write is acknowledged once a majority of the regions has it (replication/strong-consistency.ts). */
  readonly strong?: true;
  /** This replica is the group's witness: hidden from every request of its region. */
  readonly witness?: true;
  /** This replica's own settings (ReplicaUpdates' overrides), kept when the group's change. */
  readonly overrides?: ReplicaOverrides;
}

export interface PointInTimeRecoveryState {
  readonly RecoveryPeriodInDays: number;
  /** Epoch ms it was enabled. */
  readonly since: number;
  /** Storage id of this enablement's recovery log (engine/recovery/): a new one each time it is enabled. */
  readonly logId: string;
}

export interface RestoreSummaryState {
  /** A restore from an on-demand backup: its ARN. */
  readonly SourceBackupArn?: string;
  readonly SourceTableArn: string;
  /** Epoch ms the table is restored to. */
  readonly RestoreDateTime: number;
  readonly RestoreInProgress: boolean;
  /** While the restore runs: the recovery log it reads, and its pin on that log. */
  readonly logId?: string;
  readonly pin?: string;
}

export interface TimeToLiveState {
  readonly AttributeName: string;
  readonly Enabled: boolean;
  /** Epoch ms of the UpdateTimeToLive that set this. */
  readonly ChangedAt: number;
}

export interface KeyAttribute {
  readonly name: string;
  readonly type: ScalarKeyType;
}

/** The read and write capacity units a table provisions, its GSIs' included (what it would hold PROVISIONED). */
export function provisionedUnits(table: Pick<TableRecord, 'ProvisionedThroughput' | 'GlobalSecondaryIndexes'>): { read: number; write: number } {
  let read = table.ProvisionedThroughput.ReadCapacityUnits;
  let write = table.ProvisionedThroughput.WriteCapacityUnits;
  for (const g of table.GlobalSecondaryIndexes) {
    read += g.ProvisionedThroughput?.ReadCapacityUnits ?? 0;
    write += g.ProvisionedThroughput?.WriteCapacityUnits ?? 0;
  }
  return { read, write };
}

/** The table's partition and optional sort key attributes with their declared types. */
export function primaryKey(table: Pick<TableRecord, 'KeySchema' | 'AttributeDefinitions'>): { hash: KeyAttribute; range?: KeyAttribute } {
  const typeOf = (name: string): ScalarKeyType => {
    const def = table.AttributeDefinitions.find((d) => d.AttributeName === name);
    if (def === undefined) throw new Error(`key attribute ${name} has no definition`);
    return def.AttributeType;
  };
  const hashName = table.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  if (hashName === undefined) throw new Error('table without a HASH key');
  const rangeName = table.KeySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const hash = { name: hashName, type: typeOf(hashName) };
  return rangeName === undefined ? { hash } : { hash, range: { name: rangeName, type: typeOf(rangeName) } };
}
