// The parts of DynamoDB's answers the console reads.
import type { Item, KeyElement } from './values.js';

export interface AttributeDefinition {
  readonly AttributeName: string;
  readonly AttributeType: 'S' | 'N' | 'B';
}

export interface IndexDescription {
  readonly IndexName: string;
  readonly KeySchema: readonly KeyElement[];
  readonly Projection?: { readonly ProjectionType?: string; readonly NonKeyAttributes?: readonly string[] };
  readonly IndexStatus?: string;
  readonly Backfilling?: boolean;
  readonly ItemCount?: number;
  readonly IndexSizeBytes?: number;
}

export interface ReplicaDescription {
  readonly RegionName: string;
  readonly ReplicaStatus?: string;
  readonly ReplicaStatusPercentProgress?: string;
}

export interface TableDescription {
  readonly TableName: string;
  readonly TableStatus: string;
  readonly TableArn?: string;
  readonly KeySchema: readonly KeyElement[];
  readonly AttributeDefinitions: readonly AttributeDefinition[];
  readonly ItemCount?: number;
  readonly TableSizeBytes?: number;
  readonly CreationDateTime?: number;
  readonly BillingModeSummary?: { readonly BillingMode?: string };
  readonly ProvisionedThroughput?: { readonly ReadCapacityUnits?: number; readonly WriteCapacityUnits?: number };
  readonly GlobalSecondaryIndexes?: readonly IndexDescription[];
  readonly LocalSecondaryIndexes?: readonly IndexDescription[];
  readonly StreamSpecification?: { readonly StreamEnabled: boolean; readonly StreamViewType?: string };
  readonly LatestStreamArn?: string;
  readonly DeletionProtectionEnabled?: boolean;
  readonly Replicas?: readonly ReplicaDescription[];
  readonly TableClassSummary?: { readonly TableClass?: string };
}

export interface ScanOutput {
  readonly Items?: Item[];
  readonly Count?: number;
  readonly ScannedCount?: number;
  readonly LastEvaluatedKey?: Item;
  readonly ConsumedCapacity?: { readonly CapacityUnits?: number };
}

export const billingMode = (t: TableDescription): string => t.BillingModeSummary?.BillingMode ?? (t.ProvisionedThroughput?.ReadCapacityUnits ? 'PROVISIONED' : 'PAY_PER_REQUEST');

export const attributeType = (t: TableDescription, name: string): string => t.AttributeDefinitions.find((a) => a.AttributeName === name)?.AttributeType ?? 'S';

export const hashKey = (schema: readonly KeyElement[]): string => schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
export const rangeKey = (schema: readonly KeyElement[]): string | undefined => schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
