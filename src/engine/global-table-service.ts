// Global tables, version 2019.11.21: UpdateTable's ReplicaUpdates add a replica of a table in another
// region (the region's table CREATING, filled from this one while writes go on, then ACTIVE once every
// link into it has caught up) or remove one (its table deleted). Replicas are tables of their regions
// with the same name, each listing the others (`replication.Replicas`) and keeping a replication log;
// the replicator (replication/replicator.ts) applies each one's log to the others. Adding a replica
// enables the table's stream with NEW_AND_OLD_IMAGES when it has none, as DynamoDB does.
import { randomBytes } from 'node:crypto';
import { ResourceInUseException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { Clock } from '../model/clock.js';
import type { ReplicaRecord, TableRecord } from '../model/table.js';
import type { BackgroundWork } from './background-work.js';
import type { Catalog } from './catalog.js';
import type { WriteTarget } from './item-collections.js';
import type { ItemWrite, ItemWriter } from './item-writer.js';
import { rangePages } from './range-pages.js';
import { replicationLogId, type Stamp } from './replication/replication-log.js';
import type { Replicator } from './replication/replicator.js';
import type { Storage } from '../storage/storage.js';
import { streamTransitions } from './streams/stream-info.js';
import type { NewTable, TableLifecycle } from './table-lifecycle.js';

/** Items copied per transaction while a new replica is filled. */
const fillPageItems = 256;
/** How often a filled replica looks whether its links have caught up. */
const catchUpRecheckMs = 10;

export interface GlobalTableParts {
  readonly catalog: Catalog;
  readonly lifecycle: TableLifecycle;
  readonly storage: Storage;
  readonly writer: ItemWriter;
  readonly targetOf: (table: TableRecord) => WriteTarget;
  readonly background: BackgroundWork;
  readonly replicator: Replicator;
  readonly clock: Clock;
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

  /** ReplicaUpdates Create: the table (in `table.region`) gets a replica in `region`; answers the table as it is now. */
  async addReplica(table: TableRecord, region: string, streamLabel: (now: number) => string): Promise<TableRecord> {
    const { catalog, clock } = this.parts;
    const name = table.TableName;
    const members = table.replication?.Replicas ?? [];
    if (members.some((r) => r.RegionName === region) || catalog.get(region, name) !== undefined) throw new ValidationException(messages.replicaExists(name));
    if (table.TableStatus !== 'ACTIVE' || members.some((r) => r.ReplicaStatus !== 'ACTIVE')) throw new ResourceInUseException(messages.resourceInUse);
    const now = clock.now();
    const added: ReplicaRecord = { RegionName: region, ReplicaStatus: 'CREATING' };
    const source = await catalog.change(table.region, name, (current) => {
      if (current?.id !== table.id || current.TableStatus !== 'ACTIVE') throw new ResourceInUseException(messages.resourceInUse);
      const next = structuredClone(current);
      next.replication = { logId: current.replication?.logId ?? replicationLogId(current.id, now, randomBytes(4).toString('hex')), Replicas: [...(current.replication?.Replicas ?? []), added] };
      next.TableStatus = 'UPDATING';
      if (current.StreamSpecification?.StreamEnabled !== true) {
        next.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
        next.LatestStreamLabel = streamLabel(now);
      }
      return { record: next, streams: streamTransitions(current, next, now), result: next };
    });
    await this.changeMembers(source, (replicas) => [...replicas, added]);
    const { id: _i, namespace: _n, region: _r, TableId: _t, TableArn: _a, CreationDateTime: _c, TableStatus: _s, statusSettlesAt: _d, LatestStreamLabel: _l, version: _v, Tags: _tags, PointInTimeRecovery: _p, RestoreSummary: _rs, importId: _im, replication: _rep, TimeToLive: _ttl, ...rest } = source;
    const definition: NewTable = {
      ...structuredClone(rest), Tags: [], DeletionProtectionEnabled: false,
      StreamSpecification: source.StreamSpecification ?? { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      ...(source.TimeToLive === undefined ? {} : { TimeToLive: source.TimeToLive }),
    };
    const others: ReplicaRecord[] = [{ RegionName: source.region, ReplicaStatus: 'ACTIVE' }, ...members.map((r) => ({ RegionName: r.RegionName, ReplicaStatus: r.ReplicaStatus }))];
    const replica = await this.parts.lifecycle.create(region, region, definition, streamLabel, {
      replication: { logId: replicationLogId(`${region}/${name}`, now, randomBytes(4).toString('hex')), Replicas: others, source: source.region },
    });
    this.parts.replicator.sync();
    this.startFill(replica);
    return catalog.get(source.region, name) ?? source;
  }

  /** ReplicaUpdates Delete: `region`'s replica of the table is deleted and no longer replicated to. */
  async removeReplica(table: TableRecord, region: string): Promise<TableRecord> {
    const members = table.replication?.Replicas ?? [];
    if (!members.some((r) => r.RegionName === region)) throw new ValidationException(messages.replicaNotMember([region]));
    if (table.TableStatus !== 'ACTIVE' || members.some((r) => r.ReplicaStatus !== 'ACTIVE')) throw new ResourceInUseException(messages.resourceInUse);
    await this.parts.lifecycle.delete(region, table.TableName);
    await this.forget(region, table.TableName);
    return this.parts.catalog.get(table.region, table.TableName) ?? table;
  }

  /** A replica is gone (ReplicaUpdates Delete, or DeleteTable in its region): the others stop listing it. */
  async forget(region: string, name: string): Promise<void> {
    const remaining = this.parts.catalog.all().filter((t) => t.TableName === name && t.region !== region && t.replication?.Replicas.some((r) => r.RegionName === region) === true);
    for (const member of remaining) await this.changeOne(member, (replicas) => replicas.filter((r) => r.RegionName !== region));
    this.parts.replicator.sync();
  }

  /** Applies `change` to the replica lists of every other member of `table`'s group. */
  private async changeMembers(table: TableRecord, change: (replicas: readonly ReplicaRecord[]) => ReplicaRecord[]): Promise<void> {
    for (const other of table.replication?.Replicas ?? []) {
      const member = this.parts.catalog.get(other.RegionName, table.TableName);
      if (member?.replication !== undefined) await this.changeOne(member, change);
    }
  }

  private async changeOne(member: TableRecord, change: (replicas: readonly ReplicaRecord[]) => ReplicaRecord[], status?: 'ACTIVE'): Promise<void> {
    const now = this.parts.clock.now();
    await this.parts.catalog.change(member.region, member.TableName, (current) => {
      if (current?.id !== member.id || current.replication === undefined) return { result: undefined };
      const next = structuredClone(current);
      const replicas = change(current.replication.Replicas);
      // The last replica gone: a regional table again (its stream stays, as on AWS).
      if (replicas.length === 0) delete next.replication;
      else next.replication = { ...current.replication, Replicas: replicas };
      if (status !== undefined && next.TableStatus === 'UPDATING') next.TableStatus = status;
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
    const source = catalog.get(from, replica.TableName);
    const current = (): TableRecord | undefined => {
      const latest = catalog.get(replica.region, replica.TableName);
      return latest?.id === replica.id ? latest : undefined;
    };
    if (source !== undefined) {
      // Items as the source has them, stamped older than any write: a change the links bring wins over them.
      const base: Stamp = { ts: 0, region: from };
      for await (const page of rangePages(this.parts.storage, source.id, {}, fillPageItems)) {
        const target = current();
        if (target === undefined || background.closing) return;
        const writeTarget = this.parts.targetOf(target);
        const writes = page.map((entry): ItemWrite => ({ table: target, target: writeTarget, key: Buffer.from(entry.key), decide: () => ({ next: entry.item }) }));
        await this.parts.writer.write(writes, { incoming: writes.map(() => base) });
      }
    }
    while (!(await replicator.caughtUp(replica.TableName, replica.region))) {
      if (background.closing || current() === undefined) return;
      await new Promise((resolve) => setTimeout(resolve, catchUpRecheckMs).unref());
    }
    const made = current();
    if (made === undefined) return;
    await this.parts.lifecycle.finishFill(made);
    await this.changeMembers(made, (replicas) => replicas.map((r) => (r.RegionName === replica.region ? { RegionName: r.RegionName, ReplicaStatus: 'ACTIVE' } : r)));
    const filledFrom = catalog.get(from, replica.TableName);
    if (filledFrom !== undefined) await this.changeOne(filledFrom, (replicas) => [...replicas], 'ACTIVE');
    console.error(`stratusdb: replica of ${replica.TableName} in ${replica.region} is ACTIVE`);
  }
}
