// DescribeTable's TableDescription, projected from the catalog record and live statistics.
import type { ReplicaOverrides, TableRecord } from '../model/table.js';
import type { TableStatistics } from '../engine/table-service.js';
import { onDemandWarmRead, onDemandWarmWrite } from '../engine/capacity-meter.js';
import { currentWarm } from './capacity-settings.js';

const seconds = (ms: number): number => ms / 1000;

export function streamArn(table: TableRecord): string | undefined {
  return table.LatestStreamLabel === undefined ? undefined : `${table.TableArn}/stream/${table.LatestStreamLabel}`;
}


export function describeTable(table: TableRecord, stats: TableStatistics): Record<string, unknown> {
  const pt = table.ProvisionedThroughput;
  const out: Record<string, unknown> = {
    AttributeDefinitions: table.AttributeDefinitions,
    TableName: table.TableName,
    KeySchema: table.KeySchema,
    TableStatus: table.TableStatus,
    CreationDateTime: seconds(table.CreationDateTime),
    ProvisionedThroughput: {
      ...(pt.LastIncreaseDateTime === undefined ? {} : { LastIncreaseDateTime: seconds(pt.LastIncreaseDateTime) }),
      ...(pt.LastDecreaseDateTime === undefined ? {} : { LastDecreaseDateTime: seconds(pt.LastDecreaseDateTime) }),
      NumberOfDecreasesToday: pt.NumberOfDecreasesToday,
      ReadCapacityUnits: pt.ReadCapacityUnits,
      WriteCapacityUnits: pt.WriteCapacityUnits,
    },
    TableSizeBytes: stats.sizeBytes,
    ItemCount: stats.itemCount,
    TableArn: table.TableArn,
    TableId: table.TableId,
  };
  // DynamoDB shows the summary once a table has ever been on-demand.
  if (table.LastUpdateToPayPerRequestDateTime !== undefined) {
    out['BillingModeSummary'] = {
      BillingMode: table.BillingMode,
      LastUpdateToPayPerRequestDateTime: seconds(table.LastUpdateToPayPerRequestDateTime),
    };
  }
  if (table.LocalSecondaryIndexes.length > 0) {
    out['LocalSecondaryIndexes'] = table.LocalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      IndexSizeBytes: stats.indexes?.get(index.IndexName)?.sizeBytes ?? 0,
      ItemCount: stats.indexes?.get(index.IndexName)?.itemCount ?? 0,
      IndexArn: `${table.TableArn}/index/${index.IndexName}`,
    }));
  }
  if (table.GlobalSecondaryIndexes.length > 0) {
    out['GlobalSecondaryIndexes'] = table.GlobalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      IndexStatus: index.IndexStatus,
      ...(index.Backfilling === true ? { Backfilling: true } : {}),
      ProvisionedThroughput: {
        NumberOfDecreasesToday: index.ProvisionedThroughput.NumberOfDecreasesToday,
        ReadCapacityUnits: index.ProvisionedThroughput.ReadCapacityUnits,
        WriteCapacityUnits: index.ProvisionedThroughput.WriteCapacityUnits,
      },
      IndexSizeBytes: stats.indexes?.get(index.IndexName)?.sizeBytes ?? 0,
      ItemCount: stats.indexes?.get(index.IndexName)?.itemCount ?? 0,
      IndexArn: `${table.TableArn}/index/${index.IndexName}`,
      ...(index.OnDemandThroughput === undefined ? {} : { OnDemandThroughput: index.OnDemandThroughput }),
      WarmThroughput: warmThroughput(index.WarmThroughput, index.IndexStatus),
    }));
  }
  if (table.StreamSpecification?.StreamEnabled) out['StreamSpecification'] = table.StreamSpecification;
  if (table.LatestStreamLabel !== undefined) {
    out['LatestStreamLabel'] = table.LatestStreamLabel;
    out['LatestStreamArn'] = streamArn(table);
  }
  if (table.replication !== undefined) {
    // The other regions' replicas (a region does not list its own), as DynamoDB describes them.
    out['GlobalTableVersion'] = '2019.11.21';
    // Each with what AWS gives a replica without overrides: its warm throughput (the group's) and settings mode.
    out['Replicas'] = table.replication.Replicas.filter((r) => r.Witness !== true).map((r) => ({
      RegionName: r.RegionName, ReplicaStatus: r.ReplicaStatus,
      ...replicaOverrides(r.overrides),
      WarmThroughput: { ...currentWarm(table), Status: warmStatus(r.ReplicaStatus) }, GlobalTableSettingsReplicationMode: settingsReplication,
    }));
    // Multi-region strong consistency: the mode (EVENTUAL is never shown) and the witness, as AWS shows them.
    const witnesses = table.replication.Replicas.filter((r) => r.Witness === true).map((r) => ({ RegionName: r.RegionName, WitnessStatus: r.ReplicaStatus }));
    if (witnesses.length > 0) out['GlobalTableWitnesses'] = witnesses;
    if (table.replication.strong === true) out['MultiRegionConsistency'] = 'STRONG';
  }
  if (table.RestoreSummary !== undefined) {
    const summary = table.RestoreSummary;
    out['RestoreSummary'] = { SourceBackupArn: summary.SourceBackupArn, SourceTableArn: summary.SourceTableArn, RestoreDateTime: seconds(summary.RestoreDateTime), RestoreInProgress: summary.RestoreInProgress };
  }
  if (table.SSESpecification?.Enabled) {
    out['SSEDescription'] = {
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: kmsKeyArn(table.SSESpecification.KMSMasterKeyId, table.region, table.TableArn.split(':')[4] ?? ''),
    };
  }
  if (table.TableClass !== undefined) out['TableClassSummary'] = { TableClass: table.TableClass };
  out['DeletionProtectionEnabled'] = table.DeletionProtectionEnabled;
  if (table.OnDemandThroughput !== undefined) out['OnDemandThroughput'] = table.OnDemandThroughput;
  out['WarmThroughput'] = { ...currentWarm(table), Status: warmStatus(table.TableStatus) };
  if (table.replication !== undefined) out['GlobalTableSettingsReplicationMode'] = settingsReplication;
  return out;
}

/** An index's warm throughput: on-demand's initial throughput unless raised. */
function warmThroughput(warm: TableRecord['WarmThroughput'], status: string): Record<string, unknown> {
  return {
    ReadUnitsPerSecond: warm?.ReadUnitsPerSecond ?? onDemandWarmRead,
    WriteUnitsPerSecond: warm?.WriteUnitsPerSecond ?? onDemandWarmWrite,
    Status: warmStatus(status),
  };
}

/** How a replica's settings follow the group's, as DynamoDB reports it while a table has replicas. */
const settingsReplication = 'ENABLED_WITH_OVERRIDES';

function warmStatus(status: string): string {
  return status === 'CREATING' ? 'UPDATING' : 'ACTIVE';
}

/** A replica's overrides as ReplicaDescription has them (none: nothing). */
function replicaOverrides(overrides: ReplicaOverrides | undefined): Record<string, unknown> {
  if (overrides === undefined) return {};
  const { KMSMasterKeyId, ProvisionedThroughputOverride, OnDemandThroughputOverride, GlobalSecondaryIndexes, TableClassOverride } = overrides;
  return {
    ...(KMSMasterKeyId === undefined ? {} : { KMSMasterKeyId }),
    ...(ProvisionedThroughputOverride === undefined ? {} : { ProvisionedThroughputOverride }),
    ...(OnDemandThroughputOverride === undefined ? {} : { OnDemandThroughputOverride }),
    ...(GlobalSecondaryIndexes === undefined ? {} : { GlobalSecondaryIndexes }),
    ...(TableClassOverride === undefined ? {} : { ReplicaTableClassSummary: { TableClass: TableClassOverride } }),
  };
}

/**
 * The ARN of the key a table is encrypted with: a key given by its ARN (or an alias's ARN) as it is,
 * a key id or an alias name made into its ARN in the table's region; the AWS managed key's when none
 * was given.
 */
function kmsKeyArn(given: string | undefined, region: string, account: string): string {
  if (given?.startsWith('arn:') === true) return given;
  const prefix = `arn:aws:kms:${region}:${account}:`;
  if (given?.startsWith('alias/') === true) return `${prefix}${given}`;
  return `${prefix}key/${given ?? 'aws/dynamodb'}`;
}
