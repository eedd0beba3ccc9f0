// What an infrastructure file asks for, once read and evaluated: tables (as DynamoDB's own requests
// would make them) and stream triggers (as a project file declares them), each with the resource
// of the file it comes from; and what the file holds that is not served, skipped with the reason.
import type { Where } from './deploy-error.js';

export type Json = Readonly<Record<string, unknown>>;

/** A JSON object (a map), not an array or null. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface DesiredTable {
  /** The file and resource it comes from. */
  readonly where: Where;
  readonly name: string;
  readonly region: string;
  /**
   * CreateTable's request: TableName, AttributeDefinitions, KeySchema, BillingMode,
   * ProvisionedThroughput, OnDemandThroughput, WarmThroughput, GlobalSecondaryIndexes,
   * LocalSecondaryIndexes, StreamSpecification, SSESpecification, TableClass,
   * DeletionProtectionEnabled, Tags (only the members the file sets).
   */
  readonly create: Json;
  /** UpdateTimeToLive's specification; undefined: TTL off. */
  readonly ttl?: { readonly AttributeName: string; readonly Enabled: boolean };
  /** Point-in-time recovery on, and its window in days (default 35). */
  readonly pitr?: { readonly enabled: boolean; readonly recoveryPeriodInDays?: number };
  /** Contributor Insights on the table. */
  readonly contributorInsights: boolean;
  /** The resource-based policy document (JSON text); undefined: none. */
  readonly resourcePolicy?: string;
  /** The regions of the table's other replicas (a global table's). */
  readonly replicas: readonly string[];
}

export interface DesiredTrigger {
  readonly where: Where;
  readonly name: string;
  /** The trigger as a project file declares it (name, table, region, handler, runtime, batchSize, …). */
  readonly definition: Json;
}

/** A resource or property the file declares that deploy does not serve: listed, never silently skipped. */
export interface Skipped {
  readonly where: Where;
  readonly property?: string;
  readonly reason: string;
}

export interface DesiredStack {
  readonly name: string;
  readonly region: string;
  /** The file (or files, for a directory of CDK output) it was read from. */
  readonly source: string;
  readonly tables: readonly DesiredTable[];
  readonly triggers: readonly DesiredTrigger[];
  readonly skipped: readonly Skipped[];
}
