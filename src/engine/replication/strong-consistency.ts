// Multi-region strong consistency (MultiRegionConsistency STRONG): three regions — three replicas, or
// two and a witness — of which a majority must take part in every write and strongly consistent read.
//
// A write (PutItem, UpdateItem, DeleteItem, BatchWriteItem, PartiQL) of items in region A:
//  1. A marks each item as being written by A (an intent, intent-marks.ts: in memory, or in the
//     shared store when several nodes serve a region) — a write of A's own to the same item waits
//     for it; one of another region's is a conflict;
//  2. asks the other regions to mark them too ("prepare"); each answers its own stamp and state of
//     the items, or that another region is writing one of them;
//  3. with fewer than two regions (A and one other) marked: the marks are taken back and the write
//     fails — ReplicatedWriteConflictException when another region was writing an item, 503 when
//     the others are out of reach (a region cut off);
//  4. takes the newest state any marked region has of each item (so a condition sees the latest),
//     makes the write here, and sends the items' new state and stamps to the marked regions
//     ("commit"), which apply it (stamps decide) and drop their marks; the write is acknowledged once
//     they have all answered (a message times out after 5 s) and at least one has it — it is then in
//     a majority of the regions, and a write another region makes next meets no mark of this one.
// A strongly consistent GetItem or BatchGetItem waits out the marks on its items here and asks the
// others ("peek", which waits out theirs) for their stamps and states: with at least one answer it
// takes the newest, applies it here and writes it back to the answering regions that lack it, so
// what it returns is held by a majority. A strongly consistent Query or Scan first waits for the
// marks on the table here to clear and for this replica to apply everything that the logs of the
// regions it can reach held when it started — every replica of such a table logs what it applies,
// so an acknowledged write is in the log of two regions, one of which any region not cut off reaches.
// The replication links keep doing the rest (the third region, and everything after an outage).
import { randomBytes } from 'node:crypto';
import { ReplicatedWriteConflictException, ServiceUnavailable, ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { Clock } from '../../model/clock.js';
import type { StoredItem } from '../../model/stored-item.js';
import type { TableRecord } from '../../model/table.js';
import type { Storage } from '../../storage/storage.js';
import type { BackgroundWork } from '../background-work.js';
import type { Catalog } from '../catalog.js';
import type { WriteTarget } from '../item-collections.js';
import type { ItemWrite, ItemWriter } from '../item-writer.js';
import { IntentMarks } from './intent-marks.js';
import { sleep } from './log-sources.js';
import type { PeerClient } from './peer-client.js';
import { newer, parseStamp, stampKey, type Stamp } from './replication-log.js';
import type { Replicator } from './replicator.js';

/** How long another server has to answer a message of the protocol before its region counts as out of reach. */
const messageTimeoutMs = 5000;
/** How often a strongly consistent Query or Scan looks whether this replica has caught up. */
const catchUpPollMs = 1;

/** An item of a table, as the regions speak of it. */
export interface ItemId {
  readonly table: string;
  readonly key: Buffer;
}

/** An item's state in one region: its stamp and the item (undefined: none, or deleted). */
export interface ItemState {
  readonly stamp?: Stamp;
  readonly item?: StoredItem;
}

export type PrepareAnswer = { readonly granted: true; readonly states: readonly ItemState[] } | { readonly conflict: true };

export interface StrongConsistencyParts {
  readonly catalog: Catalog;
  readonly storage: Storage;
  readonly writer: ItemWriter;
  readonly targetOf: (table: TableRecord) => WriteTarget;
  readonly replicator: Replicator;
  readonly peers: PeerClient;
  /** When marks lapse. */
  readonly clock: Clock;
  /** Its hold (--test-clock: POST /stratusdb/jobs) also holds writes once their items are marked, for a test to meet them. */
  readonly background: BackgroundWork;
  /** Added lag (--replication-delay-ms): each message between regions of this server takes this long. */
  readonly delayMs: number;
}

export class StrongConsistency {
  private readonly marks: IntentMarks;
  /** Writes waiting, their items marked, while a test holds jobs. */
  private held = 0;

  constructor(private readonly parts: StrongConsistencyParts) {
    this.marks = new IntentMarks(parts.storage, parts.clock);
  }

  /**
   * Runs `run` (the write of `items` of `table`, in its region) once a majority of the regions has
   * marked the items, then hands the new states to them; see the file comment.
   */
  async write<T>(table: TableRecord, keys: readonly Buffer[], run: () => Promise<T>): Promise<T> {
    const region = table.region;
    const items = keys.map((key): ItemId => ({ table: table.TableName, key }));
    const token = randomBytes(8).toString('hex');
    const others = members(table);
    await this.markHere(table, keys, token);
    let granted: string[] = [];
    try {
      const answers = await Promise.all(others.map(async (other) => ({ other, answer: await this.ask<PrepareAnswer>(region, other, 'prepare', { items: items.map(wireId), token }).catch(() => undefined) })));
      granted = answers.filter((a) => a.answer !== undefined && 'granted' in a.answer).map((a) => a.other);
      if (granted.length === 0) {
        if (answers.some((a) => a.answer !== undefined && 'conflict' in a.answer)) throw new ReplicatedWriteConflictException(messages.replicatedWriteConflict);
        throw new ServiceUnavailable(messages.regionUnavailable);
      }
      const theirs = answers.flatMap((a) => (a.answer !== undefined && 'granted' in a.answer ? [a.answer.states] : []));
      await this.takeNewest(table, keys, theirs.map((states) => states.map(stateFromWire)));
      const hold = this.parts.background.heldUntil();
      if (hold !== undefined) {
        this.held += 1;
        await hold.finally(() => (this.held -= 1));
      }
      const result = await run();
      const after = (await this.states(table, keys)).map((state, i) => ({ ...wireId({ table: table.TableName, key: keys[i] as Buffer }), ...stateToWire(state) }));
      // Acknowledged once every region that marked the items has answered (each takes its marks back
      // as it takes the new state): a write another region makes next meets no mark of this one. One
      // of them having it makes a majority; none, and the write may have happened here only (503).
      const commits = await Promise.allSettled(granted.map((other) => this.ask(region, other, 'commit', { items: after, token })));
      granted = [];
      if (!commits.some((c) => c.status === 'fulfilled')) throw new ServiceUnavailable(messages.regionUnavailable);
      return result;
    } finally {
      // A write that failed (a condition, a conflict, a region out of reach) takes its marks back.
      for (const other of granted) void this.ask(region, other, 'release', { items: items.map(wireId), token }).catch(() => undefined);
      await this.marks.release(logOf(table), keys, token);
    }
  }

  /** How many writes wait, their items marked, while a test holds jobs. */
  get heldWrites(): number {
    return this.held;
  }

  /** Before a strongly consistent read of `keys` of `table` here: this replica has the newest state a majority holds. */
  async read(table: TableRecord, keys: readonly Buffer[]): Promise<void> {
    const region = table.region;
    const items = keys.map((key): ItemId => ({ table: table.TableName, key }));
    await this.marks.settle(logOf(table), keys);
    const answers = await Promise.all(members(table).map(async (other) => ({
      other, states: await this.ask<readonly WireState[]>(region, other, 'peek', { items: items.map(wireId) }).then((s) => s.map(stateFromWire), () => undefined),
    })));
    const reached = answers.filter((a): a is { other: string; states: ItemState[] } => a.states !== undefined);
    if (reached.length === 0) throw new ServiceUnavailable(messages.regionUnavailable);
    const newest = await this.takeNewest(table, keys, reached.map((a) => a.states));
    // What this read returns is held by a majority: the regions that answered with an older state take it.
    await Promise.all(reached.map(async ({ other, states }) => {
      const behind = newest.flatMap((state, i) => (state.stamp !== undefined && newer(state.stamp, states[i]?.stamp) ? [{ ...wireId({ table: table.TableName, key: keys[i] as Buffer }), ...stateToWire(state) }] : []));
      if (behind.length > 0) await this.ask(region, other, 'apply', { items: behind }).catch(() => undefined);
    }));
  }

  /** Before a strongly consistent Query or Scan of `table` here; see the file comment. */
  async barrier(table: TableRecord): Promise<void> {
    const region = table.region;
    await this.marks.settle(logOf(table));
    const { replicator } = this.parts;
    const heads = await Promise.all(members(table).map(async (other) => (this.reachable(region, other) ? { other, head: await replicator.logHead(table.TableName, other, region).catch(() => undefined) } : { other, head: undefined })));
    const reached = heads.filter((h) => h.head !== undefined);
    if (reached.length === 0) throw new ServiceUnavailable(messages.regionUnavailable);
    for (const { other, head } of reached) {
      while (!(await replicator.appliedThrough(table.TableName, other, region, head as { logId: string; last: number }))) {
        if (!this.reachable(region, other)) break;
        await sleep(catchUpPollMs);
      }
    }
  }

  /** A region's side of the protocol, for a region of this server or a peer's request (`token`: the write's). */
  async answer(operation: string, region: string, from: string, items: readonly (ItemId & ItemState)[], token: string): Promise<unknown> {
    if (!this.reachable(from, region)) throw new ServiceUnavailable(messages.regionUnavailable);
    const table = this.parts.catalog.get(region, items[0]?.table ?? '');
    const keys = items.map((i) => i.key);
    if (operation === 'release') {
      if (table?.replication !== undefined) await this.marks.release(logOf(table), keys, token);
      return {};
    }
    // A member not made yet (the group being made) does not count towards a majority.
    if (table?.replication === undefined) throw new ServiceUnavailable(messages.regionUnavailable);
    switch (operation) {
      case 'prepare': {
        if ((await this.marks.take(logOf(table), keys, from, token, false)) !== 'taken') return { conflict: true } satisfies PrepareAnswer;
        const states = await this.states(table, keys);
        return { granted: true, states: states.map(stateToWire) };
      }
      case 'peek': {
        await this.marks.settle(logOf(table), keys);
        const states = await this.states(table, keys);
        return states.map(stateToWire);
      }
      case 'commit':
      case 'apply':
        await this.applyStates(table, keys, items);
        if (operation === 'commit') await this.marks.release(logOf(table), keys, token);
        return {};
      default:
        throw new ValidationException(`Unknown strong consistency operation: ${operation}`);
    }
  }

  /** Whether `from` and `to` can speak now (neither is cut off). */
  private reachable(from: string, to: string): boolean {
    return !this.parts.replicator.isCut(from) && !this.parts.replicator.isCut(to);
  }

  /** Sends a request of the protocol to the region `to`: this server's, or a peer's. */
  private async ask<T>(from: string, to: string, operation: string, body: { readonly items: readonly WireItem[]; readonly token?: string }): Promise<T> {
    if (!this.reachable(from, to)) throw new ServiceUnavailable(messages.regionUnavailable);
    const token = body.token ?? from;
    if (this.parts.peers.serves(to)) return this.parts.peers.call<T>(to, 'strong', { operation, table: body.items[0]?.table, region: to, from, token, items: body.items }, messageTimeoutMs);
    if (this.parts.delayMs > 0) await sleep(this.parts.delayMs);
    return (await this.answer(operation, to, from, body.items.map(fromWire), token)) as T;
  }

  /** Marks `keys` here for a write of this region's own: waits for another of its own on them, refuses one of another region's. */
  private async markHere(table: TableRecord, keys: readonly Buffer[], token: string): Promise<void> {
    for (;;) {
      const taking = await this.marks.take(logOf(table), keys, table.region, token, true);
      if (taking === 'taken') return;
      if (taking === 'conflict') throw new ReplicatedWriteConflictException(messages.replicatedWriteConflict);
      await this.marks.settle(logOf(table), keys);
    }
  }

  /** The items' stamps and states in this server's replica `table`. */
  private async states(table: TableRecord, keys: readonly Buffer[]): Promise<ItemState[]> {
    const logId = table.replication?.logId;
    return Promise.all(keys.map(async (key) => {
      const [item, stamp] = await Promise.all([
        this.parts.storage.getItem({ tableId: table.id, key }),
        logId === undefined ? undefined : this.parts.storage.getItem({ tableId: logId, key: stampKey(key) }).then(parseStamp),
      ]);
      return { ...(stamp === undefined ? {} : { stamp }), ...(item === undefined ? {} : { item }) };
    }));
  }

  /** Applies, per key, the newest of `theirs` where it is newer than this replica's; answers the newest state of each. */
  private async takeNewest(table: TableRecord, keys: readonly Buffer[], theirs: readonly (readonly ItemState[])[]): Promise<ItemState[]> {
    const mine = await this.states(table, keys);
    const newest = mine.map((state, i) => {
      let best = state;
      for (const states of theirs) {
        const other = states[i];
        if (other?.stamp !== undefined && newer(other.stamp, best.stamp)) best = other;
      }
      return best;
    });
    const changed = newest.flatMap((state, i) => (state !== mine[i] ? [i] : []));
    if (changed.length > 0) await this.applyStates(table, changed.map((i) => keys[i] as Buffer), changed.map((i) => newest[i] as ItemState));
    return newest;
  }

  /** Another region's states of items applied here as the links apply changes: where their stamps are newer. */
  private async applyStates(table: TableRecord, keys: readonly Buffer[], states: readonly ItemState[]): Promise<void> {
    const latest = this.parts.catalog.get(table.region, table.TableName) ?? table;
    const target = this.parts.targetOf(latest);
    const writes: ItemWrite[] = [];
    const stamps: Stamp[] = [];
    states.forEach((state, i) => {
      if (state.stamp === undefined) return;
      const next = state.item ?? null;
      writes.push({ table: latest, target, key: keys[i] as Buffer, decide: () => ({ next }) });
      stamps.push(state.stamp);
    });
    if (writes.length > 0) await this.parts.writer.write(writes, { incoming: stamps });
  }
}

/** The regions of a strongly consistent table other than its own (its replicas and witness). */
function members(table: TableRecord): string[] {
  return (table.replication?.Replicas ?? []).filter((r) => r.ReplicaStatus !== 'DELETING').map((r) => r.RegionName);
}

/** Where the marks on a replica's items are kept: its replication log. */
function logOf(table: TableRecord): string {
  const logId = table.replication?.logId;
  if (logId === undefined) throw new Error(`${table.region}/${table.TableName} is no replica`);
  return logId;
}

// On the wire (between servers): keys in base64, items as their stored JSON text.
interface WireState {
  readonly stamp?: Stamp;
  readonly json?: string;
  readonly size?: number;
}
export interface WireItem extends WireState {
  readonly table: string;
  readonly key: string;
}

function wireId(item: ItemId): WireItem {
  return { table: item.table, key: item.key.toString('base64') };
}

function stateToWire(state: ItemState): WireState {
  return { ...(state.stamp === undefined ? {} : { stamp: state.stamp }), ...(state.item === undefined ? {} : { json: state.item.json, size: state.item.sizeBytes }) };
}

function stateFromWire(state: WireState): ItemState {
  return { ...(state.stamp === undefined ? {} : { stamp: state.stamp }), ...(state.json === undefined ? {} : { item: { json: state.json, sizeBytes: state.size ?? 0 } }) };
}

export function fromWire(item: WireItem): ItemId & ItemState {
  return { table: item.table, key: Buffer.from(item.key, 'base64'), ...stateFromWire(item) };
}
