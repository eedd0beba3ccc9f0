// The definition of a table a restore makes: the source's schema, indexes, capacity and encryption,
// with the request's overrides — and, as DynamoDB documents, not its tags, stream, TTL, auto scaling
// or point-in-time recovery settings. Overrides are checked as CreateTable checks the same members.
import type { NewTable } from '../engine/engine.js';
import { TableAlreadyExistsException, TableInUseException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { BillingMode, GlobalIndexRecord, OnDemandThroughput, TableRecord } from '../model/table.js';
import { checkOnDemand } from './capacity-settings.js';
import { checkGlobalIndexes, checkLocalIndexes, checkSse, checkThroughput, globalIndexRecord, type GlobalIndexInput } from './operations/create-table.js';
import { globalIndex, localIndex } from './operations/create-table.js';
import { onDemandThroughput, provisionedThroughput, sseSpecification } from './validate/common-shapes.js';
import { list, namePattern, str, tableNameLengthMax, tableNameLengthMin, type InputOf } from './validate/shape.js';
import { tableArn, type Permission, type RequestContext } from './operation.js';

/** The target table's name, as RestoreTableFromBackup and RestoreTableToPointInTime take it. */
export const targetTableName = str({ pattern: namePattern, lengthMin: tableNameLengthMin, lengthMax: tableNameLengthMax, notNull: true });

/** The overrides both restores take, in AWS's member order. */
export const restoreOverrideMembers = [
  ['BillingModeOverride', str({ oneOf: ['PROVISIONED', 'PAY_PER_REQUEST'] })],
  ['GlobalSecondaryIndexOverride', list(globalIndex)],
  ['LocalSecondaryIndexOverride', list(localIndex)],
  ['ProvisionedThroughputOverride', provisionedThroughput],
  ['OnDemandThroughputOverride', onDemandThroughput],
  ['SSESpecificationOverride', sseSpecification],
] as const;

/**
 * The item actions a restore needs on its target table besides the restore's own: AWS documents that
 * restoring takes read and write permissions on the target (PutItem, UpdateItem, DeleteItem, GetItem,
 * Query, Scan and BatchWriteItem), though the restore itself writes the items.
 */
export function restoreTargetPermissions(ctx: RequestContext, targetTableName: string): Permission[] {
  const resource = tableArn(ctx, targetTableName);
  return ['PutItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'Query', 'Scan', 'BatchWriteItem'].map((action) => ({ action: `dynamodb:${action}`, resource }));
}

/** A restore's target must not exist: TableInUseException while it is being made or removed, else TableAlreadyExistsException. */
export function checkRestoreTarget(existing: TableRecord | undefined, name: string): void {
  if (existing === undefined) return;
  if (existing.TableStatus === 'CREATING' || existing.TableStatus === 'DELETING') throw new TableInUseException(messages.restoreTargetInUse(name));
  throw new TableAlreadyExistsException(messages.tableExists(name));
}

export interface RestoreOverrides {
  readonly BillingModeOverride?: BillingMode;
  readonly GlobalSecondaryIndexOverride?: readonly GlobalIndexInput[];
  readonly LocalSecondaryIndexOverride?: readonly InputOf<typeof localIndex>[];
  readonly ProvisionedThroughputOverride?: InputOf<typeof provisionedThroughput>;
  readonly OnDemandThroughputOverride?: OnDemandThroughput;
  readonly SSESpecificationOverride?: InputOf<typeof sseSpecification>;
}

/** The overrides' own rules, with AWS's texts, before the new table's definition is checked as CreateTable checks one. */
function checkOverrides(source: TableRecord, overrides: RestoreOverrides, billing: BillingMode): void {
  const pt = overrides.ProvisionedThroughputOverride;
  if (pt !== undefined && overrides.BillingModeOverride === 'PAY_PER_REQUEST') throw new ValidationException(messages.restoreThroughputOnDemand);
  if (pt !== undefined && billing !== 'PROVISIONED') throw new ValidationException(messages.restoreThroughputNotProvisioned);
  if (pt === undefined && overrides.BillingModeOverride === 'PROVISIONED' && source.BillingMode !== 'PROVISIONED') throw new ValidationException(messages.restoreThroughputMissing);
  if (overrides.OnDemandThroughputOverride !== undefined && billing !== 'PAY_PER_REQUEST') throw new ValidationException(messages.restoreOnDemandNotOnDemand);
  // An override keeps some of the source's indexes; it makes none.
  for (const index of overrides.GlobalSecondaryIndexOverride ?? []) {
    if (!source.GlobalSecondaryIndexes.some((g) => g.IndexName === index.IndexName)) throw new ValidationException(messages.restoreIndexNotInSource(index.IndexName));
    if (billing === 'PROVISIONED' && index.ProvisionedThroughput === undefined) throw new ValidationException(messages.restoreIndexThroughputMissing(index.IndexName));
  }
  for (const index of overrides.LocalSecondaryIndexOverride ?? []) {
    if (!source.LocalSecondaryIndexes.some((l) => l.IndexName === index.IndexName)) throw new ValidationException(messages.restoreIndexNotInSource(index.IndexName));
  }
}

export function restoredDefinition(source: TableRecord, targetName: string, overrides: RestoreOverrides): NewTable {
  const billing = overrides.BillingModeOverride ?? source.BillingMode;
  checkOverrides(source, overrides, billing);
  const sourcePt = source.BillingMode === 'PROVISIONED'
    ? { ReadCapacityUnits: source.ProvisionedThroughput.ReadCapacityUnits, WriteCapacityUnits: source.ProvisionedThroughput.WriteCapacityUnits }
    : undefined;
  const requested = billing === 'PROVISIONED' ? overrides.ProvisionedThroughputOverride ?? sourcePt : overrides.ProvisionedThroughputOverride;
  checkThroughput(billing, requested);
  const pt = billing === 'PROVISIONED' && requested !== undefined ? requested : { ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
  checkOnDemand(overrides.OnDemandThroughputOverride, billing, false);
  checkSse(overrides.SSESpecificationOverride);
  const definitions = source.AttributeDefinitions.map((d) => d.AttributeName);
  const names = new Set<string>();
  // An override lists the indexes the restored table keeps (an empty list: none).
  const lsis = overrides.LocalSecondaryIndexOverride === undefined
    ? source.LocalSecondaryIndexes
    : overrides.LocalSecondaryIndexOverride.length === 0 ? [] : checkLocalIndexes({ LocalSecondaryIndexes: overrides.LocalSecondaryIndexOverride, KeySchema: source.KeySchema }, definitions, names);
  const gsis: GlobalIndexRecord[] = overrides.GlobalSecondaryIndexOverride === undefined
    ? source.GlobalSecondaryIndexes.filter((g) => g.IndexStatus !== 'DELETING').map((g) => restoredIndex(g, billing, pt))
    : overrides.GlobalSecondaryIndexOverride.length === 0 ? [] : checkGlobalIndexes({ GlobalSecondaryIndexes: overrides.GlobalSecondaryIndexOverride }, billing, definitions, names).map((g) => globalIndexRecord(g, billing, 'CREATING'));
  const sse = overrides.SSESpecificationOverride ?? source.SSESpecification;
  const onDemand = overrides.OnDemandThroughputOverride ?? (billing === 'PAY_PER_REQUEST' ? source.OnDemandThroughput : undefined);
  return {
    TableName: targetName,
    AttributeDefinitions: source.AttributeDefinitions,
    KeySchema: source.KeySchema,
    BillingMode: billing,
    ProvisionedThroughput: { ...pt, NumberOfDecreasesToday: 0 },
    LocalSecondaryIndexes: lsis,
    GlobalSecondaryIndexes: gsis,
    ...(sse?.Enabled === true ? { SSESpecification: { ...sse, Enabled: true } } : {}),
    ...(source.TableClass === undefined ? {} : { TableClass: source.TableClass }),
    DeletionProtectionEnabled: false,
    ...(onDemand === undefined ? {} : { OnDemandThroughput: onDemand }),
    Tags: [],
  };
}

/**
 * A source GSI as the restored table gets it: its keys and projection; its capacity when provisioned
 * (the table's, when the source was on-demand and had none).
 */
function restoredIndex(index: GlobalIndexRecord, billing: BillingMode, tablePt: { ReadCapacityUnits: number; WriteCapacityUnits: number }): GlobalIndexRecord {
  const pt = index.ProvisionedThroughput.ReadCapacityUnits > 0 ? index.ProvisionedThroughput : tablePt;
  return {
    IndexName: index.IndexName,
    KeySchema: index.KeySchema,
    Projection: index.Projection,
    IndexStatus: 'CREATING',
    ProvisionedThroughput: billing === 'PROVISIONED'
      ? { ReadCapacityUnits: pt.ReadCapacityUnits, WriteCapacityUnits: pt.WriteCapacityUnits, NumberOfDecreasesToday: 0 }
      : { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
    ...(index.OnDemandThroughput === undefined || billing !== 'PAY_PER_REQUEST' ? {} : { OnDemandThroughput: index.OnDemandThroughput }),
  };
}
