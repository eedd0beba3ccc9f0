// UpdateTable: billing mode, provisioned throughput (with DynamoDB's decrease accounting), stream,
// deletion protection, table class, SSE, on-demand and warm throughput.
import { describeTable } from '../table-description.js';
import type { Engine } from '../../engine/engine.js';
import { applyOverrides, requestedOverrides } from '../../engine/replica-overrides.js';
import type { AttributeDefinition, StreamState, TableRecord } from '../../model/table.js';
import { checkAccountLimits, provisionedElsewhere } from '../account-limits.js';
import { onTable, operation } from '../operation.js';
import { LimitExceededException, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import {
  attributeDefinitions,
  globalIndexKeySchema, indexName, onDemandThroughput, projection, provisionedThroughput, requiredProvisionedThroughput, sseSpecification,
  streamSpecification, warmThroughput,
} from '../validate/common-shapes.js';
import { bool, list, long, members, str, struct, tableName, type InputOf, type InputOfMembers } from '../validate/shape.js';
import { capacityUnitsMax, checkGlobalIndex, definitionOf, checkSse, checkTableClass, globalIndexesMax, globalIndexRecord } from './create-table.js';
import { checkOnDemand, currentWarm, raisedWarm } from '../capacity-settings.js';
import { checkWitnessUpdates, strongReplicaUpdates } from './strong-replica-updates.js';
import { nextStreamLabel } from '../../model/stream-label.js';

/** DynamoDB: the first 4 decreases of a UTC day are free; after that, one per hour. */
export const freeDecreasesPerDay = 4;
export const decreaseIntervalMs = 60 * 60 * 1000;

const indexUpdate = struct('GlobalSecondaryIndexUpdate', [
  ['Update', struct('UpdateGlobalSecondaryIndexAction', [
    ['IndexName', indexName],
    ['ProvisionedThroughput', requiredProvisionedThroughput],
  ])],
  ['Create', struct('CreateGlobalSecondaryIndexAction', [
    ['Projection', projection],
    ['IndexName', indexName],
    ['ProvisionedThroughput', provisionedThroughput],
    ['KeySchema', globalIndexKeySchema],
  ])],
  ['Delete', struct('DeleteGlobalSecondaryIndexAction', [['IndexName', indexName]])],
]);

// ReplicaUpdates (global tables, version 2019.11.21): the members DynamoDB takes; a replica's overrides
// (its read capacity, key and class) are its own settings (engine/replica-overrides.ts).
const replicaMembers = [
  ['RegionName', str({ notNull: true })],
  ['KMSMasterKeyId', str()],
  ['ProvisionedThroughputOverride', struct('ProvisionedThroughputOverride', [['ReadCapacityUnits', long({ min: 1 })]])],
  ['OnDemandThroughputOverride', struct('OnDemandThroughputOverride', [['MaxReadRequestUnits', long()]])],
  ['GlobalSecondaryIndexes', list(struct('ReplicaGlobalSecondaryIndex', [
    ['IndexName', indexName],
    ['ProvisionedThroughputOverride', struct('ProvisionedThroughputOverride', [['ReadCapacityUnits', long({ min: 1 })]])],
    ['OnDemandThroughputOverride', struct('OnDemandThroughputOverride', [['MaxReadRequestUnits', long()]])],
  ]))],
  ['TableClassOverride', str({ oneOf: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] })],
] as const;
const replicaUpdate = struct('ReplicationGroupUpdate', [
  ['Create', struct('CreateReplicationGroupMemberAction', replicaMembers)],
  ['Update', struct('UpdateReplicationGroupMemberAction', replicaMembers)],
  ['Delete', struct('DeleteReplicationGroupMemberAction', [['RegionName', str({ notNull: true })]])],
]);

const shape = members([
  // Unlike DescribeTable/DeleteTable, DynamoDB checks UpdateTable's name with the generic constraints.
  ['TableName', tableName({ notNull: true })],
  ['ProvisionedThroughput', provisionedThroughput],
  ['BillingMode', str({ oneOf: ['PROVISIONED', 'PAY_PER_REQUEST'] })],
  ['AttributeDefinitions', attributeDefinitions()],
  ['GlobalSecondaryIndexUpdates', list(indexUpdate)],
  ['StreamSpecification', streamSpecification],
  ['SSESpecification', sseSpecification],
  ['ReplicaUpdates', list(replicaUpdate, { lengthMin: 1 })],
  ['TableClass', str()],
  ['DeletionProtectionEnabled', bool()],
  ['MultiRegionConsistency', str({ oneOf: ['EVENTUAL', 'STRONG'] })],
  ['GlobalTableWitnessUpdates', list(struct('GlobalTableWitnessGroupUpdate', [
    ['Create', struct('CreateGlobalTableWitnessGroupMemberAction', [['RegionName', str({ notNull: true })]])],
    ['Delete', struct('DeleteGlobalTableWitnessGroupMemberAction', [['RegionName', str({ notNull: true })]])],
  ]))],
  ['OnDemandThroughput', onDemandThroughput],
  ['WarmThroughput', warmThroughput],
]);

type UpdateTableInput = InputOfMembers<typeof shape>;
type GlobalSecondaryIndexUpdate = InputOf<typeof indexUpdate>;
type Throughput = InputOf<typeof requiredProvisionedThroughput>;
type ReplicaUpdate = InputOf<typeof replicaUpdate>;
type CreateReplica = NonNullable<ReplicaUpdate['Create']>;

export const updateTable = operation({
  name: 'UpdateTable',
  kind: 'control',
  members: shape,
  permissions: (input, ctx) => onTable('UpdateTable', input.TableName, ctx),
  async execute({ engine }, ctx, input) {
    checkWitnessUpdates(input);
    checkRequest(input);
    const table = engine.tables.require(ctx.region, input.TableName);
    const strong = await strongReplicaUpdates(engine, table, input, ctx.region);
    if (strong !== undefined) return { body: { TableDescription: describeTable(strong, await engine.tables.stats(strong)) } };
    if (input.ReplicaUpdates !== undefined) {
      const changed = await updateReplicas(engine, table, input.ReplicaUpdates, ctx.region);
      return { body: { TableDescription: describeTable(changed, await engine.tables.stats(changed)) } };
    }
    const elsewhere = provisionedElsewhere(engine, ctx.region, input.TableName);
    const updated = await engine.tables.update(ctx.region, input.TableName, (draft) => {
      applyUpdate(draft, input, ctx.now);
      checkAccountLimits(engine, draft, elsewhere);
    });
    // A global table's other replicas take the change too (deletion protection stays regional), as on AWS.
    const shared = sharedSettings(input);
    if (updated.replication !== undefined && shared !== undefined) await engine.globalTables.propagate(updated, { operation: 'UpdateTable', input: shared });
    return { body: { TableDescription: describeTable(updated, await engine.tables.stats(updated)) } };
  },
});

function checkRequest(input: UpdateTableInput): void {
  const hasChange =
    input.ProvisionedThroughput !== undefined || input.BillingMode !== undefined || input.StreamSpecification !== undefined ||
    (input.GlobalSecondaryIndexUpdates?.length ?? 0) > 0 || input.SSESpecification !== undefined ||
    input.TableClass !== undefined || input.DeletionProtectionEnabled !== undefined ||
    input.OnDemandThroughput !== undefined || input.WarmThroughput !== undefined || input.ReplicaUpdates !== undefined;
  if (!hasChange) throw new ValidationException(messages.updateTableNothing);
  checkExclusive(input);
  if (input.BillingMode === 'PROVISIONED' && input.ProvisionedThroughput === undefined) {
    throw new ValidationException(messages.throughputRequiredUpdate);
  }
  const pt = input.ProvisionedThroughput;
  if (pt !== undefined) {
    if (pt.ReadCapacityUnits > capacityUnitsMax) throw new ValidationException(messages.throughputOutOfBounds(pt.ReadCapacityUnits, 'ReadCapacityUnits'));
    if (pt.WriteCapacityUnits > capacityUnitsMax) throw new ValidationException(messages.throughputOutOfBounds(pt.WriteCapacityUnits, 'WriteCapacityUnits'));
  }
  checkIndexUpdates(input.GlobalSecondaryIndexUpdates ?? []);
  const stream = input.StreamSpecification;
  if (stream?.StreamEnabled === true && stream.StreamViewType === undefined) throw new ValidationException(messages.updateStreamViewTypeRequired);
  if (stream?.StreamEnabled === false && stream.StreamViewType !== undefined) throw new ValidationException(messages.updateStreamViewTypeForbidden);
  checkSse(input.SSESpecification);
  checkTableClass(input.TableClass);
}

/** The shape of GlobalSecondaryIndexUpdates: one action each, one per index, one build or drop at a time. */
function checkIndexUpdates(updates: readonly GlobalSecondaryIndexUpdate[]): void {
  const names = new Set<string>();
  let online = 0;
  for (const update of updates) {
    const actions = [update.Create, update.Update, update.Delete].filter((a) => a !== undefined);
    if (actions.length === 0) throw new ValidationException(messages.indexUpdateWithoutAction);
    if (actions.length > 1) throw new ValidationException(messages.oneActionPerIndexUpdate);
    const name = (actions[0] as { IndexName: string }).IndexName;
    if (names.has(name)) throw new ValidationException(messages.oneUpdatePerIndex(name));
    names.add(name);
    if (update.Create !== undefined || update.Delete !== undefined) online++;
  }
  if (online > 1) throw new LimitExceededException(messages.onlineIndexLimit);
}

/** GlobalSecondaryIndexUpdates on the table: a new GSI starts CREATING and backfilling; a deleted one goes DELETING. */
function applyIndexUpdates(draft: TableRecord, input: UpdateTableInput): void {
  const busy = draft.GlobalSecondaryIndexes.some((g) => g.Backfilling === true || g.IndexStatus === 'DELETING');
  for (const update of input.GlobalSecondaryIndexUpdates ?? []) {
    if (update.Create !== undefined) {
      const index = update.Create;
      const exists = [...draft.GlobalSecondaryIndexes, ...draft.LocalSecondaryIndexes].some((i) => i.IndexName === index.IndexName);
      if (exists) throw new ValidationException(messages.indexAlreadyExists);
      if (input.AttributeDefinitions === undefined) throw new ValidationException(messages.indexDefinitionsMissing(index.IndexName));
      // The request itself must define the new index's key attributes.
      checkGlobalIndex(index, input.BillingMode ?? draft.BillingMode, input.AttributeDefinitions.map((d) => d.AttributeName));
      const definitions = mergeDefinitions(draft.AttributeDefinitions, input.AttributeDefinitions);
      if (busy) throw new LimitExceededException(messages.onlineIndexLimit);
      if (draft.GlobalSecondaryIndexes.length >= globalIndexesMax) throw new LimitExceededException(messages.tooManyGsi);
      const used = new Set([...draft.KeySchema, ...draft.LocalSecondaryIndexes.flatMap((i) => i.KeySchema), ...draft.GlobalSecondaryIndexes.flatMap((i) => i.KeySchema), ...index.KeySchema].map((k) => k.AttributeName));
      draft.AttributeDefinitions = definitions.filter((d) => used.has(d.AttributeName));
      draft.GlobalSecondaryIndexes.push({ ...globalIndexRecord(index, input.BillingMode ?? draft.BillingMode, 'CREATING'), Backfilling: true });
    } else if (update.Delete !== undefined) {
      const gsi = draft.GlobalSecondaryIndexes.find((g) => g.IndexName === update.Delete?.IndexName);
      if (gsi === undefined) throw new ValidationException(messages.notAGlobalIndex('delete', update.Delete.IndexName));
      if (busy) throw new LimitExceededException(messages.onlineIndexLimit);
      gsi.IndexStatus = 'DELETING';
      delete gsi.Backfilling;
    } else if (update.Update !== undefined) {
      const gsi = draft.GlobalSecondaryIndexes.find((g) => g.IndexName === update.Update?.IndexName);
      if (gsi === undefined) throw new ValidationException(messages.notAGlobalIndex('update', update.Update.IndexName));
      if ((input.BillingMode ?? draft.BillingMode) === 'PAY_PER_REQUEST') throw new ValidationException(messages.gsiThroughputOnDemand(gsi.IndexName));
      gsi.ProvisionedThroughput = { ...gsi.ProvisionedThroughput, ...update.Update.ProvisionedThroughput };
    }
  }
}

/** The table's attribute definitions with the request's added (a request's type wins for a new name only). */
function mergeDefinitions(existing: readonly AttributeDefinition[], added: readonly AttributeDefinition[]): AttributeDefinition[] {
  const out = [...existing];
  for (const d of added) if (!out.some((e) => e.AttributeName === d.AttributeName)) out.push(definitionOf(d));
  return out;
}

/** Changes DynamoDB applies only alone (OnDemandThroughput: only with BillingMode). */
function checkExclusive(input: UpdateTableInput): void {
  // The consistency mode and the witnesses go with the replica changes.
  const grouped: readonly (keyof UpdateTableInput)[] = ['TableName', 'MultiRegionConsistency', 'GlobalTableWitnessUpdates'];
  const present = (Object.keys(input) as (keyof UpdateTableInput)[]).filter((k) => !grouped.includes(k) && input[k] !== undefined);
  const alone = (member: keyof UpdateTableInput): boolean => present.includes(member) && present.length > 1;
  if (input.GlobalTableWitnessUpdates !== undefined && present.some((k) => k !== 'ReplicaUpdates')) throw new ValidationException(messages.strongOnlyReplicaChange);
  if (alone('ReplicaUpdates')) throw new ValidationException(messages.replicaOnlyOperation);
  if (alone('SSESpecification')) throw new ValidationException(messages.onlyOperation('Server-Side Encryption modification'));
  if (alone('TableClass')) throw new ValidationException(messages.onlyOperation('TableClass modification'));
  if (alone('DeletionProtectionEnabled')) throw new ValidationException(messages.onlyOperation('DeletionProtection modification'));
  if (alone('WarmThroughput')) throw new ValidationException(messages.onlyOperation('WarmThroughput'));
  if (present.includes('OnDemandThroughput') && present.some((k) => k !== 'OnDemandThroughput' && k !== 'BillingMode')) {
    throw new ValidationException(messages.onDemandOnlyWithBilling);
  }
}

function applyUpdate(draft: TableRecord, input: UpdateTableInput, now: number): void {
  const targetMode = input.BillingMode ?? draft.BillingMode;
  if (input.ProvisionedThroughput !== undefined && targetMode === 'PAY_PER_REQUEST') throw new ValidationException(messages.throughputForbidden);
  checkOnDemand(input.OnDemandThroughput, targetMode, true);
  const warmBefore = currentWarm(draft);
  if (input.BillingMode === 'PAY_PER_REQUEST' && draft.BillingMode !== 'PAY_PER_REQUEST') {
    draft.BillingMode = 'PAY_PER_REQUEST';
    draft.LastUpdateToPayPerRequestDateTime = now;
    draft.ProvisionedThroughput = { ...draft.ProvisionedThroughput, ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
  } else if (input.ProvisionedThroughput !== undefined) {
    if (draft.BillingMode === 'PAY_PER_REQUEST') {
      draft.BillingMode = 'PROVISIONED';
      draft.ProvisionedThroughput = { ...draft.ProvisionedThroughput, ...input.ProvisionedThroughput };
    } else {
      changeThroughput(draft, input.ProvisionedThroughput, now);
    }
  }
  if (input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined) {
    // Warm throughput follows the highest capacity the table has had and never falls back.
    const warmAfter = currentWarm(draft);
    draft.WarmThroughput = {
      ReadUnitsPerSecond: Math.max(warmBefore.ReadUnitsPerSecond, warmAfter.ReadUnitsPerSecond),
      WriteUnitsPerSecond: Math.max(warmBefore.WriteUnitsPerSecond, warmAfter.WriteUnitsPerSecond),
    };
  }
  applyIndexUpdates(draft, input);
  if (input.StreamSpecification !== undefined) changeStream(draft, input.StreamSpecification, now);
  if (input.DeletionProtectionEnabled !== undefined) draft.DeletionProtectionEnabled = input.DeletionProtectionEnabled;
  const tableClass = checkTableClass(input.TableClass);
  if (tableClass !== undefined) draft.TableClass = tableClass;
  if (input.SSESpecification !== undefined) draft.SSESpecification = { ...input.SSESpecification, Enabled: input.SSESpecification.Enabled === true };
  if (input.OnDemandThroughput !== undefined) draft.OnDemandThroughput = input.OnDemandThroughput;
  if (input.WarmThroughput !== undefined) draft.WarmThroughput = raisedWarm(draft, input.WarmThroughput);
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function changeThroughput(draft: TableRecord, requested: Throughput, now: number): void {
  const current = draft.ProvisionedThroughput;
  const readDiff = requested.ReadCapacityUnits - current.ReadCapacityUnits;
  const writeDiff = requested.WriteCapacityUnits - current.WriteCapacityUnits;
  if (readDiff === 0 && writeDiff === 0) {
    throw new ValidationException(messages.throughputUnchanged(
      { r: current.ReadCapacityUnits, w: current.WriteCapacityUnits },
      { r: requested.ReadCapacityUnits, w: requested.WriteCapacityUnits },
    ));
  }
  if (draft.decreaseDay !== utcDay(now)) {
    draft.decreaseDay = utcDay(now);
    current.NumberOfDecreasesToday = 0;
  }
  if (readDiff < 0 || writeDiff < 0) {
    const sinceLast = now - (current.LastDecreaseDateTime ?? 0);
    if (current.NumberOfDecreasesToday >= freeDecreasesPerDay && sinceLast < decreaseIntervalMs) {
      throw new LimitExceededException(messages.decreaseLimit(current.NumberOfDecreasesToday));
    }
    current.NumberOfDecreasesToday += 1;
    current.LastDecreaseDateTime = now;
  }
  if (readDiff > 0 || writeDiff > 0) current.LastIncreaseDateTime = now;
  current.ReadCapacityUnits = requested.ReadCapacityUnits;
  current.WriteCapacityUnits = requested.WriteCapacityUnits;
}

function changeStream(draft: TableRecord, spec: NonNullable<UpdateTableInput['StreamSpecification']>, now: number): void {
  const enabled = draft.StreamSpecification?.StreamEnabled === true;
  if (draft.replication !== undefined && !spec.StreamEnabled) throw new ValidationException(messages.replicaStreamDisable);
  if (spec.StreamEnabled) {
    if (enabled) throw new ValidationException(messages.streamAlreadyEnabled(draft.TableName));
    draft.StreamSpecification = spec as StreamState;
    draft.LatestStreamLabel = nextStreamLabel(draft.LatestStreamLabel, now);
  } else {
    if (!enabled) throw new ValidationException(messages.streamAlreadyDisabled(draft.TableName));
    delete draft.StreamSpecification;
  }
}

/**
 * ReplicaUpdates: one Create or one Delete of another region's replica, or Updates of members' overrides,
 * with DynamoDB's checks in its order.
 */
async function updateReplicas(engine: Engine, table: TableRecord, updates: readonly ReplicaUpdate[], region: string): Promise<TableRecord> {
  const kinds = new Set<string>();
  const regions = new Set<string>();
  for (const update of updates) {
    const actions = (['Create', 'Update', 'Delete'] as const).filter((k) => update[k] !== undefined);
    if (actions.length === 0) throw new ValidationException(messages.replicaNoAction);
    for (const kind of actions) {
      kinds.add(kind);
      const action = update[kind] as { RegionName: string };
      if (kind === 'Update' && Object.keys(action).every((k) => k === 'RegionName')) throw new ValidationException(messages.replicaNoAction);
      if (kind !== 'Update') regions.add(action.RegionName);
    }
  }
  if (kinds.size > 1) throw new ValidationException(messages.replicaActionKinds);
  if (regions.size > 1) throw new ValidationException(messages.replicaActionsMany);
  if (engine.options.sharedDb) throw new ValidationException(messages.replicasSharedDb);
  const [kind] = [...kinds];
  const names = updates.map((u) => (u.Create ?? u.Update ?? u.Delete)?.RegionName as string);
  if (names.includes(region)) throw new ValidationException(messages.replicaLocalRegion);
  const source = table.replication?.source;
  if (source !== undefined) throw new ValidationException(messages.replicaBeingAdded(table.TableName, region));
  const members = table.replication?.Replicas.map((r) => r.RegionName) ?? [];
  if (kind === 'Create') return engine.globalTables.addReplica(table, names[0] as string, requestedOverrides(updates[0]?.Create as CreateReplica));
  const missing = names.filter((n) => !members.includes(n));
  if (missing.length > 0) throw new ValidationException(messages.replicaNotMember(missing));
  if (kind === 'Delete') return engine.globalTables.removeReplica(table, names[0] as string);
  let current = table;
  for (const update of updates) {
    const action = update.Update as CreateReplica;
    current = await engine.globalTables.updateReplica(current, action.RegionName, requestedOverrides(action) ?? {});
  }
  return current;
}

/** The part of an UpdateTable DynamoDB carries to a global table's other replicas, or undefined when none. */
function sharedSettings(input: UpdateTableInput): Readonly<Record<string, unknown>> | undefined {
  const { TableName: _t, DeletionProtectionEnabled: _d, StreamSpecification: _s, ReplicaUpdates: _r, MultiRegionConsistency: _m, GlobalTableWitnessUpdates: _w, ...shared } = input;
  return Object.values(shared).some((v) => v !== undefined) ? shared : undefined;
}

/** Another replica's UpdateTable applied to this region's replica (`body`: the request's members, less TableName). */
export async function applyReplicatedUpdate(engine: Engine, region: string, table: string, body: Readonly<Record<string, unknown>>): Promise<void> {
  const input = updateTable.decode({ ...body, TableName: table });
  checkRequest(input);
  // Read before the decide, which must answer the same however often it runs.
  const now = engine.options.clock.now();
  await engine.tables.update(region, table, (draft) => {
    applyUpdate(draft, input, now);
    // The replica's own settings stand whatever the group's became.
    applyOverrides(draft, draft.replication?.overrides);
  });
}
