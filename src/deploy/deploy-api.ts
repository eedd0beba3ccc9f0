// The server a deployment talks to: DynamoDB's API (and StratusDB's deployment operations) in a
// region, and the waits DynamoDB's changes need (a table, its indexes and replicas ACTIVE again).
import type { Json } from './desired-state.js';

/** An error answer: the exception's name and message. */
export class ApiFailure extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
    this.name = type;
  }
}

export interface DeployApi {
  /** Calls DynamoDB's `operation` (or `target`'s) signed for `region`; rejects with ApiFailure. */
  call<T = Record<string, unknown>>(region: string, operation: string, body: Json, target?: string): Promise<T>;
  /** Waits `ms` between polls of a change in progress. */
  sleep(ms: number): Promise<void>;
}

/** StratusDB's deployment operations' target. */
export const deploymentTarget = 'StratusDB_20261207';

/** How often a change in progress is looked at, and how long deploy waits for one. */
const pollMs = 100;
const waitMaxMs = 30 * 60 * 1000;

export interface TableDescription {
  readonly TableName: string;
  readonly TableArn: string;
  readonly TableStatus: string;
  readonly KeySchema: readonly Json[];
  readonly AttributeDefinitions: readonly Json[];
  readonly BillingModeSummary?: { readonly BillingMode?: string };
  readonly ProvisionedThroughput?: { readonly ReadCapacityUnits?: number; readonly WriteCapacityUnits?: number };
  readonly OnDemandThroughput?: Json;
  readonly GlobalSecondaryIndexes?: readonly (Json & { readonly IndexName: string; readonly IndexStatus?: string })[];
  readonly LocalSecondaryIndexes?: readonly (Json & { readonly IndexName: string })[];
  readonly StreamSpecification?: { readonly StreamEnabled?: boolean; readonly StreamViewType?: string };
  readonly SSEDescription?: { readonly Status?: string; readonly SSEType?: string; readonly KMSMasterKeyArn?: string };
  readonly TableClassSummary?: { readonly TableClass?: string };
  readonly DeletionProtectionEnabled?: boolean;
  readonly Replicas?: readonly { readonly RegionName: string; readonly ReplicaStatus?: string }[];
}

/** The table's description, or undefined when there is no such table. */
export async function describeTable(api: DeployApi, region: string, name: string): Promise<TableDescription | undefined> {
  try {
    return (await api.call<{ Table: TableDescription }>(region, 'DescribeTable', { TableName: name })).Table;
  } catch (error) {
    if (error instanceof ApiFailure && error.type === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

function settled(table: TableDescription): boolean {
  return table.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === undefined || i.IndexStatus === 'ACTIVE')
    && (table.Replicas ?? []).every((r) => r.ReplicaStatus === undefined || r.ReplicaStatus === 'ACTIVE');
}

/** Waits until the table, its indexes and replicas are ACTIVE (or, `gone`, until it no longer exists). */
export async function waitForTable(api: DeployApi, region: string, name: string, gone = false): Promise<void> {
  for (let waited = 0; waited < waitMaxMs; waited += pollMs) {
    const table = await describeTable(api, region, name);
    if (gone ? table === undefined : table !== undefined && settled(table)) return;
    await api.sleep(pollMs);
  }
  throw new ApiFailure('Timeout', `table ${name} in ${region} did not become ${gone ? 'deleted' : 'ACTIVE'} within ${waitMaxMs / 60_000} minutes`);
}
