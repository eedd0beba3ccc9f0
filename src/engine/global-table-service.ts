// Global tables, version 2019.11.21: UpdateTable's ReplicaUpdates add a replica of a table in another
// region (the region's table CREATING, filled from this one while writes go on, then ACTIVE once every
// link into it has caught up) or remove one (its table deleted). Replicas are tables of their regions
// with the same name, each listing the others (`replication.Replicas`) and keeping a replication log;
// the replicator (replication/replicator.ts) applies each one's log to the others. A region another
// server serves (--peer) is asked over HTTP (replication/peer-service.ts answers there). Adding a
// replica enables the table's stream with NEW_AND_OLD_IMAGES when it has none, as DynamoDB does.
import { randomBytes } from 'node:crypto';
import { ResourceInUseException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { Clock } from '../model/clock.js';
import { nextStreamLabel } from '../model/stream-label.js';
import type { AutoScalingState, ReplicaOverrides, ReplicaRecord, TableRecord } from '../model/table.js';
import { applyOverrides, mergedOverrides } from './replica-overrides.js';
import type { ItemWrite } from './item-writer.js';
import type { RestoreParts } from './restore-work.js';
import { sleep } from './replication/log-sources.js';
import { PeerError, type PeerClient } from './replication/peer-client.js';
import { replicationLogId, type Stamp } from './replication/replication-log.js';
import type { Replicator } from './replication/replicator.js';
import type { StreamWaiters } from './streams/stream-waiters.js';
import { streamTransitions } from './streams/stream-info.js';
import type { NewTable } from './table-lifecycle.js';

/** Items copied per transaction while a new replica is filled. */
const fillPageItems = 256;
/** How often a filled replica looks whether its links have caught up. */
const catchUpRecheckMs = 10;

/**
 * A change to a replica's list of the others. `active`: that replica is made (and a member UPDATING for
 * it, its source, is ACTIVE again); `overrides`: that replica's settings of its own changed.
 */
export type MemberChange = { readonly add: ReplicaRecord } | { readonly remove: string } | { readonly active: string } | { readonly overrides: ReplicaRecord };

/**
 * A change of settings DynamoDB carries to every replica (GSIs, capacity, billing, encryption, class,
 * TTL): the request that made it in one region, applied in the others by `applySettings`; or replica
 * auto scaling set in one region for a replica another server holds.
 */
export interface ReplicaSettings {
  readonly operation: 'UpdateTable' | 'UpdateTimeToLive' | 'UpdateTableReplicaAutoScaling';
  readonly input: Readonly<Record<string, unknown>>;
}

/** What another server needs to make its region's replica (--peer). */
export interface ReplicaRequest {
  readonly definition: NewTable;
  readonly region: string;
  readonly replicas: readonly ReplicaRecord[];
  readonly source: string;
  /** A member of a group with multi-region strong consistency; `witness`: its witness. */
  readonly strong?: true;
  readonly witness?: true;
  /** Its settings of its own (ReplicaUpdates' overrides). */
  readonly overrides?: ReplicaOverrides;
}

export interface GlobalTableParts extends RestoreParts {
  readonly waiters: StreamWaiters;
  readonly replicator: Replicator;
  readonly peers: PeerClient;
  readonly clock: Clock;
  /** Applies a settings change to this server's replica in a region (the API layer's, injected by main.ts). */
  readonly applySettings: (region: string, table: string, settings: ReplicaSettings) => Promise<void>;
}

export class GlobalTableService {
  constructor(private readonly parts: GlobalTableParts) {}

  /** At start: links for every global table, and replicas a stopped process left half-made filled again. */
  resume(): void {
    this.parts.replicator.sync();
    for (const table of this.parts.catalog.all()) if (table.replication?.source !== undefined) this.startFill(table);
  }

  /** The catalog changed (another node): links follow it. */
  synced(): void {
    this.parts.replicator.sync();
  }

  /**
   * ReplicaUpdates Create: the table (in `table.region`) gets a replica in `region`, with `overrides` of
   * its own; answers the table as it is now.
   */
  async addReplica(table: TableRecord, region: string, overrides?: ReplicaOverrides): Promise<TableRecord> {
    const { catalog, clock, peers } = this.parts;
    const name = table.TableName;
    const members = table.replication?.Replicas ?? [];
    const remote = peers.serves(region);
    if (members.some((r) => r.RegionName === region) || (!remote && catalog.get(region, name) !== undefined)) throw new ValidationException(messages.replicaExists(name));
    if (table.TableStatus !== 'ACTIVE' || members.some((r) => r.ReplicaStatus !== 'ACTIVE')) throw new ResourceInUseException(messages.resourceInUse);
    const now = clock.now();
    const added: ReplicaRecord = { RegionName: region, ReplicaStatus: 'CREATING', ...(overrides === undefined ? {} : { overrides }) };
    // Drawn before the catalog change: its decide is pure (it may run more than once).
    const newLogId = replicationLogId(table.id, now, randomBytes(4).toString('hex'));
    // The table's log starts before anything is copied from it: no write can fall between the copy and the log.
    const source = await catalog.change(table.region, name, (current) => {
      if (current?.id !== table.id || current.TableStatus !== 'ACTIVE') throw new ResourceInUseException(messages.resourceInUse);
      const next = structuredClone(current);
      next.replication = { logId: current.replication?.logId ?? newLogId, Replicas: [...(current.replication?.Replicas ?? []), added] };
      next.TableStatus = 'UPDATING';
      if (current.StreamSpecification?.StreamEnabled !== true) {
        next.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
        next.LatestStreamLabel = nextStreamLabel(current.LatestStreamLabel, now);
      }
      return { record: next, streams: streamTransitions(current, next, now), result: next };
    });
    const own = source.replication?.overrides;
    const request: ReplicaRequest = {
      definition: replicaDefinition(source), region, source: source.region, ...(overrides === undefined ? {} : { overrides }),
      replicas: [{ RegionName: source.region, ReplicaStatus: 'ACTIVE', ...(own === undefined ? {} : { overrides: own }) }, ...members.map((r) => ({ ...r }))],
    };
    try {
      if (remote) await peers.call(region, 'create', request);
      else await this.makeReplica(request);
    } catch (error) {
      // Nothing was made there: the table lists it no more.
      await this.changeOne(source, { remove: region }, true);
      if (error instanceof PeerError && error.status === 400) throw new ValidationException(error.message);
      throw error;
    }
    await this.tellMembers(name, members, { add: added });
    this.parts.replicator.sync();
    return catalog.get(source.region, name) ?? source;
  }

  /**
   * UpdateTable with MultiRegionConsistency STRONG: the empty table gets its two other members at
   * once — replicas in `regions` and, with `witness`, a witness there — each CREATING until its links
   * run; the group is fixed from then on.
   */
  async makeStrong(table: TableRecord, regions: readonly string[], witness: string | undefined): Promise<TableRecord> {
    const { catalog, clock, peers, storage } = this.parts;
    const name = table.TableName;
    const added: ReplicaRecord[] = [
      ...regions.map((region): ReplicaRecord => ({ RegionName: region, ReplicaStatus: 'CREATING' })),
      ...(witness === undefined ? [] : [{ RegionName: witness, ReplicaStatus: 'CREATING', Witness: true } satisfies ReplicaRecord]),
    ];
    if (added.some((r) => !peers.serves(r.RegionName) && catalog.get(r.RegionName, name) !== undefined)) throw new ValidationException(messages.replicaExists(name));
    if (table.TableStatus !== 'ACTIVE') throw new ResourceInUseException(messages.resourceInUse);
    if ((await storage.readRange(table.id, {}, 1)).length > 0) throw new ValidationException(messages.strongNotEmpty);
    const now = clock.now();
    const newLogId = replicationLogId(table.id, now, randomBytes(4).toString('hex'));
    const source = await catalog.change(table.region, name, (current) => {
      if (current?.id !== table.id || current.TableStatus !== 'ACTIVE' || current.replication !== undefined) throw new ResourceInUseException(messages.resourceInUse);
      const next = structuredClone(current);
      next.replication = { logId: newLogId, Replicas: added, strong: true };
      next.TableStatus = 'UPDATING';
      if (current.StreamSpecification?.StreamEnabled !== true) {
        next.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
        next.LatestStreamLabel = nextStreamLabel(current.LatestStreamLabel, now);
      }
      return { record: next, streams: streamTransitions(current, next, now), result: next };
    });
    const made: string[] = [];
    try {
      for (const member of added) {
        const request: ReplicaRequest = {
          definition: replicaDefinition(source), region: member.RegionName, source: source.region, strong: true, ...(member.Witness === true ? { witness: true } : {}),
          replicas: [{ RegionName: source.region, ReplicaStatus: 'ACTIVE' }, ...added.filter((other) => other !== member)],
        };
        if (peers.serves(member.RegionName)) await peers.call(member.RegionName, 'create', request);
        else await this.makeReplica(request);
        made.push(member.RegionName);
      }
    } catch (error) {
      // The group is made whole or not at all: what was made goes again.
      for (const region of made) {
        if (peers.serves(region)) await peers.call(region, 'delete', { table: name, region }).catch(logged(`could not delete the replica of ${name} in ${region}`));
        else await this.parts.lifecycle.delete(region, name).catch(logged(`could not delete the replica of ${name} in ${region}`));
      }
      for (const member of added) await this.changeOne(source, { remove: member.RegionName }, true);
      if (error instanceof PeerError && error.status === 400) throw new ValidationException(error.message);
      throw error;
    }
    this.parts.replicator.sync();
    return catalog.get(source.region, name) ?? source;
  }

  /** Makes this server's replica in `request.region`, CREATING, and starts filling it. */
  async makeReplica(request: ReplicaRequest): Promise<void> {
    const name = request.definition.TableName;
    if (this.parts.catalog.get(request.region, name) !== undefined) throw new ValidationException(messages.replicaExists(name));
    const now = this.parts.clock.now();
    const definition = structuredClone(request.definition);
    applyOverrides(definition, request.overrides);
    const replica = await this.parts.lifecycle.create(request.region, request.region, definition, (at) => nextStreamLabel(undefined, at), {
      replication: {
        logId: replicationLogId(`${request.region}/${name}`, now, randomBytes(4).toString('hex')), Replicas: request.replicas, source: request.source,
        ...(request.strong === true ? { strong: true } : {}), ...(request.witness === true ? { witness: true } : {}),
        ...(request.overrides === undefined ? {} : { overrides: request.overrides }),
      },
    });
    this.parts.replicator.sync();
    this.startFill(replica);
  }

  /**
   * ReplicaUpdates Update: `region`'s replica takes `overrides` (over those it had) — its read capacity,
   * class and key — and every member lists them; answers the table as it is now.
   */
  async updateReplica(table: TableRecord, region: string, overrides: ReplicaOverrides): Promise<TableRecord> {
    const members = table.replication?.Replicas ?? [];
    const member = members.find((r) => r.RegionName === region);
    if (member === undefined) throw new ValidationException(messages.replicaNotMember([region]));
    const merged = mergedOverrides(member.overrides, overrides);
    if (this.parts.peers.serves(region)) await this.parts.peers.call(region, 'overrides', { table: table.TableName, region, overrides: merged });
    else await this.setOverrides(region, table.TableName, merged);
    await this.tellMembers(table.TableName, [...members.filter((r) => r !== member), { RegionName: table.region, ReplicaStatus: 'ACTIVE' }], { overrides: { ...member, overrides: merged } });
    return this.parts.catalog.get(table.region, table.TableName) ?? table;
  }

  /** This server's replica of `name` in `region` takes `overrides` as its own (its settings changed to them at once). */
  async setOverrides(region: string, name: string, overrides: ReplicaOverrides): Promise<void> {
    const now = this.parts.clock.now();
    await this.parts.catalog.change(region, name, (current) => {
      if (current?.replication === undefined) throw new ValidationException(messages.replicaNotMember([region]));
      const next = structuredClone(current);
      next.replication = { ...current.replication, overrides };
      applyOverrides(next, overrides);
      return { record: next, streams: streamTransitions(current, next, now), result: undefined };
    });
  }

  /** ReplicaUpdates Delete: `region`'s replica of the table is deleted and no longer replicated to. */
  async removeReplica(table: TableRecord, region: string): Promise<TableRecord> {
    const members = table.replication?.Replicas ?? [];
    if (!members.some((r) => r.RegionName === region)) throw new ValidationException(messages.replicaNotMember([region]));
    if (table.TableStatus !== 'ACTIVE' || members.some((r) => r.ReplicaStatus !== 'ACTIVE')) throw new ResourceInUseException(messages.resourceInUse);
    if (this.parts.peers.serves(region)) await this.parts.peers.call(region, 'delete', { table: table.TableName, region });
    else await this.parts.lifecycle.delete(region, table.TableName);
    // Every member hears of it, this table too.
    await this.forget(region, table.TableName, [...members, { RegionName: table.region, ReplicaStatus: 'ACTIVE' }]);
    return this.parts.catalog.get(table.region, table.TableName) ?? table;
  }

  /** A strongly consistent group dissolved (one call deleting all its other members): the table is a regional one again. */
  async dissolve(table: TableRecord): Promise<TableRecord> {
    let current = table;
    for (const member of table.replication?.Replicas ?? []) current = await this.removeReplica(current, member.RegionName);
    return current;
  }

  /**
   * A replica is gone (ReplicaUpdates Delete, or DeleteTable in its region): the others stop listing
   * it. `members`: the group as the gone replica or its remover listed it.
   */
  async forget(region: string, name: string, members: readonly ReplicaRecord[]): Promise<void> {
    await this.tellMembers(name, members.filter((r) => r.RegionName !== region), { remove: region });
    this.parts.replicator.sync();
  }

  /** Applies a change to this server's replica of `name` in `region` (a peer's request). */
  async changeMember(name: string, region: string, change: MemberChange): Promise<void> {
    const member = this.parts.catalog.get(region, name);
    if (member?.replication !== undefined) await this.changeOne(member, change, false);
    this.parts.replicator.sync();
  }

  /** A settings change made to `table` in its region: the other replicas (here or at peers) take it too. */
  async propagate(table: TableRecord, settings: ReplicaSettings): Promise<void> {
    const members = (table.replication?.Replicas ?? []).filter((r) => r.ReplicaStatus !== 'DELETING');
    // As on AWS, the change stands where it was made; a replica that refuses it says why in the log.
    const failure = (region: string): string => `${settings.operation} of ${table.TableName} was not applied in ${region}`;
    await this.reach(table.TableName, members, (member) => this.parts.applySettings(member.region, member.TableName, settings).catch(logged(failure(member.region))), 'settings', { settings }, failure);
  }

  /**
   * Applies a settings change to the replica of `name` in `region`, which a peer holds (--peer); a peer
   * that cannot be reached is logged, as a change carried to the replicas is.
   */
  async settingsAt(region: string, name: string, settings: ReplicaSettings): Promise<void> {
    await this.parts.peers.call(region, 'settings', { table: name, region, settings }).catch(logged(`${settings.operation} of ${name} was not applied in ${region}`));
  }

  /** The auto scaling state of the replica of `name` in `region`, which a peer holds; undefined when it cannot be asked. */
  async autoScalingAt(region: string, name: string): Promise<AutoScalingState | undefined> {
    try {
      const answer = await this.parts.peers.call<{ autoScaling?: AutoScalingState }>(region, 'auto-scaling', { table: name, region });
      return answer.autoScaling;
    } catch (error) {
      logged(`could not read the auto scaling of ${name} in ${region}`)(error);
      return undefined;
    }
  }

  /** Whether a peer holds `region`'s replicas (--peer). */
  heldByPeer(region: string): boolean {
    return this.parts.peers.serves(region);
  }

  /** Applies a settings change a peer's replica made to this server's replica in `region`. */
  applySettings(region: string, table: string, settings: ReplicaSettings): Promise<void> {
    return this.parts.applySettings(region, table, settings);
  }

  /** Tells each of `members` (here or at a peer) of a change to the group. */
  private tellMembers(name: string, members: readonly ReplicaRecord[], change: MemberChange): Promise<void> {
    return this.reach(name, members, (member) => this.changeOne(member, change, false), 'members', { change }, (region) => `could not tell ${region} that ${name}'s replicas changed`);
  }

  /**
   * Does something to each member's replica of `name`: `here` for a replica of this server, the peer
   * operation `operation` (with `body`) for one a peer serves. A peer that fails is logged (`failure`
   * says what did not happen) and the others are still reached.
   */
  private async reach(
    name: string, members: readonly ReplicaRecord[], here: (member: TableRecord) => Promise<void>, operation: string, body: object, failure: (region: string) => string,
  ): Promise<void> {
    for (const { RegionName: region } of members) {
      const local = this.parts.catalog.get(region, name);
      if (local?.replication !== undefined) await here(local);
      else if (this.parts.peers.serves(region)) await this.parts.peers.call(region, operation, { table: name, region, ...body }).catch(logged(failure(region)));
    }
  }

  /** `undo`: a failed addition is taken back (the table ACTIVE again). */
  private async changeOne(member: TableRecord, change: MemberChange, undo: boolean): Promise<void> {
    const now = this.parts.clock.now();
    await this.parts.catalog.change(member.region, member.TableName, (current) => {
      if (current?.id !== member.id || current.replication === undefined) return { result: undefined };
      const next = structuredClone(current);
      const replicas = changedReplicas(current.replication.Replicas, change);
      // The last replica gone: a regional table again (its stream stays, as on AWS).
      if (replicas.length === 0) delete next.replication;
      else next.replication = { ...current.replication, Replicas: replicas };
      if (('active' in change || undo) && next.TableStatus === 'UPDATING' && replicas.every((r) => r.ReplicaStatus === 'ACTIVE')) next.TableStatus = 'ACTIVE';
      return { record: next, streams: streamTransitions(current, next, now), result: undefined };
    });
  }

  private startFill(replica: TableRecord): void {
    // A new replica is a job a test may hold (--test-clock) to see it CREATING.
    this.parts.background.trackJob(() => this.fill(replica));
  }

  /** Copies the source's items into a new replica, waits for its links to catch up, and makes it ACTIVE everywhere. */
  private async fill(replica: TableRecord): Promise<void> {
    const { catalog, background, replicator } = this.parts;
    const from = replica.replication?.source;
    if (from === undefined) return;
    const current = (): TableRecord | undefined => {
      const latest = catalog.get(replica.region, replica.TableName);
      return latest?.id === replica.id ? latest : undefined;
    };
    const source = replicator.sourceFor(replica.TableName, from, replica.region);
    if (source === undefined) return; // the source is neither here nor at a peer (any more)
    // Items as the source has them, stamped older than any write: a change the links bring wins over them.
    const base: Stamp = { ts: 0, region: from };
    for (;;) {
      try {
        for await (const page of source.items(fillPageItems)) {
          const target = current();
          if (target === undefined || background.closing) return;
          const writeTarget = this.parts.targetOf(target);
          const writes = page.map((entry): ItemWrite => ({ table: target, target: writeTarget, key: entry.key, decide: () => ({ next: entry.item }) }));
          await this.parts.writer.write(writes, { incoming: writes.map(() => base) });
        }
        break;
      } catch (error) {
        // The source's server out of reach: the copy starts again (what it copied stays; stamps decide).
        if (!(error instanceof PeerError) || background.closing || current() === undefined) throw error;
        await sleep(1000);
      }
    }
    while (!(await replicator.caughtUp(replica.TableName, replica.region))) {
      if (background.closing || current() === undefined) return;
      await sleep(catchUpRecheckMs);
    }
    const made = current();
    if (made === undefined) return;
    await this.parts.lifecycle.finishFill(made);
    await this.tellMembers(made.TableName, made.replication?.Replicas ?? [], { active: made.region });
    console.error(`stratusdb: replica of ${replica.TableName} in ${replica.region} is ACTIVE`);
  }
}

/** Logs an error under `what` (what did not happen) instead of throwing it. */
function logged(what: string): (error: unknown) => void {
  return (error) => console.error(`stratusdb: ${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/** A replica's list after `change`. */
export function changedReplicas(replicas: readonly ReplicaRecord[], change: MemberChange): ReplicaRecord[] {
  if ('add' in change) return replicas.some((r) => r.RegionName === change.add.RegionName) ? [...replicas] : [...replicas, change.add];
  if ('remove' in change) return replicas.filter((r) => r.RegionName !== change.remove);
  if ('overrides' in change) return replicas.map((r) => (r.RegionName === change.overrides.RegionName ? { ...r, ...(change.overrides.overrides === undefined ? {} : { overrides: change.overrides.overrides }) } : r));
  return replicas.map((r) => (r.RegionName === change.active ? { ...r, ReplicaStatus: 'ACTIVE' } : r));
}

/** A new replica's definition: the table's, without what stays regional (tags, deletion protection, PITR). */
function replicaDefinition(source: TableRecord): NewTable {
  const { id: _i, namespace: _n, region: _r, TableId: _t, TableArn: _a, CreationDateTime: _c, TableStatus: _s, statusSettlesAt: _d, LatestStreamLabel: _l, version: _v, Tags: _tags, PointInTimeRecovery: _p, RestoreSummary: _rs, importId: _im, replication: _rep, autoScaling: _as, contributorInsights: _ci, ...rest } = source;
  return { ...structuredClone(rest), Tags: [], DeletionProtectionEnabled: false, StreamSpecification: source.StreamSpecification ?? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } };
}
