// UpdateTable's part in multi-region strong consistency (MultiRegionConsistency STRONG), with the
// checks and texts AWS answers (recorded by the public ack-api-quirks catalogue): a regional, empty
// table becomes a group of three regions in one call — two replica Creates, or one and a witness —
// and the group stays as it is until one call deletes all its other members at once.
import type { Engine } from '../../engine/engine.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { TableRecord } from '../../model/table.js';

interface RegionAction {
  readonly RegionName: string;
}

export interface StrongRequest {
  readonly MultiRegionConsistency?: 'EVENTUAL' | 'STRONG' | undefined;
  readonly ReplicaUpdates?: readonly { readonly Create?: RegionAction | undefined; readonly Update?: RegionAction | undefined; readonly Delete?: RegionAction | undefined }[] | undefined;
  readonly GlobalTableWitnessUpdates?: readonly { readonly Create?: RegionAction | undefined; readonly Delete?: RegionAction | undefined }[] | undefined;
}

/** The regions a list of actions names, by kind. */
function regions(updates: readonly Partial<Record<'Create' | 'Update' | 'Delete', RegionAction | undefined>>[] | undefined, kind: 'Create' | 'Update' | 'Delete'): string[] {
  return (updates ?? []).flatMap((u) => (u[kind] === undefined ? [] : [(u[kind] as RegionAction).RegionName]));
}

/** Checks the members that only a witness's request may carry (before the others are looked at). */
export function checkWitnessUpdates(input: StrongRequest): void {
  const witnesses = input.GlobalTableWitnessUpdates;
  if (witnesses !== undefined && witnesses.length > 1) {
    const shown = witnesses.map((w) => `GlobalTableWitnessGroupUpdate(Create=${w.Create === undefined ? 'null' : `CreateGlobalTableWitnessGroupMemberAction(RegionName=${w.Create.RegionName})`}, Delete=${w.Delete === undefined ? 'null' : `DeleteGlobalTableWitnessGroupMemberAction(RegionName=${w.Delete.RegionName})`})`);
    throw new ValidationException(messages.strongWitnessMax(`[${shown.join(', ')}]`));
  }
}

/**
 * The replica and witness changes of a strongly consistent group, or of a table becoming one: the
 * table as it is after them, or undefined when the request is an eventually consistent one.
 */
export async function strongReplicaUpdates(engine: Engine, table: TableRecord, input: StrongRequest, region: string): Promise<TableRecord | undefined> {
  const strong = table.replication?.strong === true;
  const mode = input.MultiRegionConsistency;
  if (!strong && mode !== 'STRONG') {
    if (input.GlobalTableWitnessUpdates !== undefined) throw new ValidationException(messages.strongWitnessNeedsStrong);
    return undefined;
  }
  const creates = regions(input.ReplicaUpdates, 'Create');
  const deletes = regions(input.ReplicaUpdates, 'Delete');
  const changes = [...deletes, ...regions(input.ReplicaUpdates, 'Update')];
  const witnessCreates = regions(input.GlobalTableWitnessUpdates, 'Create');
  const witnessDeletes = regions(input.GlobalTableWitnessUpdates, 'Delete');
  if (mode === 'STRONG') {
    if (changes.length > 0 || witnessDeletes.length > 0) throw new ValidationException(messages.strongOnlyCreate);
    if (creates.length === 0 || creates.length + witnessCreates.length !== 2) throw new ValidationException(messages.strongReplicaCount);
    if (strong || table.replication !== undefined) throw new ValidationException(messages.strongExisting);
    if (witnessCreates.some((w) => creates.includes(w)) || new Set(creates).size !== creates.length) throw new ValidationException(messages.strongSameRegion);
    if (witnessCreates.includes(region)) throw new ValidationException(messages.strongWitnessLocal);
    if (creates.includes(region)) throw new ValidationException(messages.replicaLocalRegion);
    if (engine.options.sharedDb) throw new ValidationException(messages.replicasSharedDb);
    if (table.LocalSecondaryIndexes.length > 0) throw new ValidationException(messages.strongLocalIndexes);
    if (table.TimeToLive?.Enabled === true) throw new ValidationException(messages.strongTtl);
    return engine.globalTables.makeStrong(table, creates, witnessCreates[0]);
  }
  // An existing strongly consistent group.
  if (mode !== undefined) throw new ValidationException(messages.strongExisting);
  if (creates.length > 0) throw new ValidationException(messages.strongAddReplica);
  const members = table.replication?.Replicas ?? [];
  const replicas = members.filter((r) => r.Witness !== true).map((r) => r.RegionName);
  const witness = members.find((r) => r.Witness === true)?.RegionName;
  if (deletes.includes(region)) throw new ValidationException(messages.replicaLocalRegion);
  const notMembers = deletes.filter((d) => !replicas.includes(d));
  if (notMembers.length > 0) throw new ValidationException(messages.replicaNotMember(notMembers));
  const notWitnesses = witnessDeletes.filter((w) => w !== witness);
  if (notWitnesses.length > 0) throw new ValidationException(messages.strongWitnessNotMember(notWitnesses));
  if (deletes.length === 0) return table; // an Update of a member: nothing to change
  if (witness !== undefined && witnessDeletes.length === 0) throw new ValidationException(messages.strongDeleteWitnesses);
  if (replicas.some((r) => !deletes.includes(r))) throw new ValidationException(messages.strongDeleteOne);
  return engine.globalTables.dissolve(table);
}
