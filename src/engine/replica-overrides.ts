// A replica's settings of its own (ReplicaUpdates' overrides): its read capacity — provisioned read
// units, or an on-demand table's read maximum, for the table and for each GSI — its table class and
// its encryption key. Everything else is the group's, the same in every replica; a replica keeps these
// when a change made in another region is carried to it (each replica knows its own overrides, and
// lists the others' for DescribeTable).
import type { ReadOverrides, ReplicaOverrides, TableRecord } from '../model/table.js';

/** What overrides apply to: a new replica's definition, or a replica's record being changed. */
type Overridable = Pick<TableRecord, 'BillingMode' | 'ProvisionedThroughput' | 'OnDemandThroughput' | 'GlobalSecondaryIndexes' | 'TableClass' | 'SSESpecification'>;

/** Gives `draft` (a copy it may change) the read capacity, class and key `overrides` set. */
export function applyOverrides(draft: Overridable, overrides: ReplicaOverrides | undefined): void {
  if (overrides === undefined) return;
  overrideReads(draft, draft.BillingMode, overrides);
  for (const gsi of draft.GlobalSecondaryIndexes) {
    const own = overrides.GlobalSecondaryIndexes?.find((g) => g.IndexName === gsi.IndexName);
    if (own !== undefined) overrideReads(gsi, draft.BillingMode, own);
  }
  if (overrides.TableClassOverride !== undefined) draft.TableClass = overrides.TableClassOverride;
  if (overrides.KMSMasterKeyId !== undefined && draft.SSESpecification?.Enabled === true) draft.SSESpecification = { ...draft.SSESpecification, SSEType: 'KMS', KMSMasterKeyId: overrides.KMSMasterKeyId };
}

/** A replica's overrides after a ReplicaUpdates Update: what it names replaces what was set (a GSI's by its name), the rest stays. */
export function mergedOverrides(before: ReplicaOverrides | undefined, update: ReplicaOverrides): ReplicaOverrides {
  const indexes = [...(before?.GlobalSecondaryIndexes ?? [])];
  for (const gsi of update.GlobalSecondaryIndexes ?? []) {
    const at = indexes.findIndex((g) => g.IndexName === gsi.IndexName);
    if (at === -1) indexes.push(gsi);
    else indexes[at] = { ...indexes[at], ...gsi };
  }
  const { GlobalSecondaryIndexes: _g, ...rest } = update;
  return { ...before, ...rest, ...(indexes.length === 0 ? {} : { GlobalSecondaryIndexes: indexes }) };
}

/** The overrides a ReplicaUpdates Create or Update names, or undefined when it names none. */
export function requestedOverrides(action: ReplicaOverrides & { readonly RegionName: string }): ReplicaOverrides | undefined {
  const { RegionName: _r, ...overrides } = action;
  return Object.values(overrides).some((v) => v !== undefined) ? overrides : undefined;
}

function overrideReads(target: { ProvisionedThroughput: TableRecord['ProvisionedThroughput']; OnDemandThroughput?: TableRecord['OnDemandThroughput'] }, billing: TableRecord['BillingMode'], own: ReadOverrides): void {
  const read = own.ProvisionedThroughputOverride?.ReadCapacityUnits;
  if (read !== undefined && billing === 'PROVISIONED') target.ProvisionedThroughput = { ...target.ProvisionedThroughput, ReadCapacityUnits: read };
  const max = own.OnDemandThroughputOverride?.MaxReadRequestUnits;
  if (max !== undefined && billing === 'PAY_PER_REQUEST') target.OnDemandThroughput = { ...target.OnDemandThroughput, MaxReadRequestUnits: max };
}
