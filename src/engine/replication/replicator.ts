// The links between the replicas of global tables in this process: one per ordered pair of replicas
// (from → to), each applying the changes of one replica's log to the other through the item writer,
// in log order, in batches, with the link's checkpoint written in the same transaction — so a link
// stopped at any moment (a restart, a kill) resumes where its last batch ended, and a batch applied
// twice changes nothing (stamps decide). A link waits for its source's next commit; an added delay
// (--replication-delay-ms) holds each change until the clock has passed its stamp by that much; a
// region's outage (admin endpoint) stops every link to and from it until it heals. Each log is
// trimmed up to what every link reading it has applied.
import type { Clock } from '../../model/clock.js';
import type { TableRecord } from '../../model/table.js';
import type { RangeEntry, StoredItem, Storage } from '../../storage/storage.js';
import type { BackgroundWork } from '../background-work.js';
import type { Catalog } from '../catalog.js';
import type { WriteTarget } from '../item-collections.js';
import type { ItemWrite, ItemWriter } from '../item-writer.js';
import { changeKey } from '../recovery/recovery-log.js';
import type { StreamWaiters } from '../streams/stream-waiters.js';
import {
  changeCounter, changesAfter, checkpointKey, decodeChange, parseCheckpoint, parseHead, storedCheckpoint, ticksPerMs, type ReplicatedChange, type Stamp,
} from './replication-log.js';
import { headKey } from '../recovery/recovery-log.js';

/** Changes applied per transaction. */
const batchChanges = 256;
/** A link with nothing to do looks again at least this often (a commit wakes it sooner). */
const idleRecheckMs = 1000;
/** A log is trimmed once this many of its changes have been applied by every link reading it. */
const trimChanges = 1024;
/** How long a woken link lets changes gather before it reads them. */
const gatherMs = 5;
/** Lag samples kept per link for its percentiles. */
const lagSamples = 8192;

export interface ReplicatorParts {
  readonly catalog: Catalog;
  readonly storage: Storage;
  readonly writer: ItemWriter;
  readonly targetOf: (table: TableRecord) => WriteTarget;
  readonly background: BackgroundWork;
  readonly waiters: StreamWaiters;
  readonly clock: Clock;
  /** Added lag: a change is applied once the clock is this far past its stamp. */
  readonly delayMs: number;
}

/** One link as GET /stratusdb/metrics reports it. */
export interface LinkStatus {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  /** Changes of the source's log not yet applied. */
  readonly pending: number;
  readonly applied: number;
  /** Replication latency of the changes applied lately (clock ms from stamp to applied): median and 99th percentile. */
  readonly latencyP50Ms?: number;
  readonly latencyP99Ms?: number;
  readonly cut: boolean;
}

interface Link {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  stopped: boolean;
  /** The last change applied (of the source's current log), as far as this process knows. */
  checkpoint: number;
  sourceLogId: string;
  applied: number;
  readonly lags: number[];
}

export class Replicator {
  private readonly links = new Map<string, Link>();
  /** Regions cut off by an outage, and what wakes their links when they heal. */
  private readonly cut = new Map<string, { readonly healed: Promise<void>; readonly heal: () => void }>();

  constructor(private readonly parts: ReplicatorParts) {}

  /** Makes the links match the catalog: one per ordered pair of replicas of each global table here. */
  sync(): void {
    const wanted = new Set<string>();
    for (const table of this.parts.catalog.all()) {
      const replication = table.replication;
      if (replication === undefined || table.TableStatus === 'DELETING') continue;
      for (const other of replication.Replicas) {
        if (other.ReplicaStatus === 'DELETING') continue;
        // Only from a replica whose table is here (several processes: --peer, not yet).
        const source = this.parts.catalog.get(other.RegionName, table.TableName);
        if (source?.replication === undefined) continue;
        const name = linkName(table.TableName, other.RegionName, table.region);
        wanted.add(name);
        if (!this.links.has(name)) this.start({ table: table.TableName, from: other.RegionName, to: table.region, stopped: false, checkpoint: 0, sourceLogId: '', applied: 0, lags: [] });
      }
    }
    for (const [name, link] of this.links) {
      if (wanted.has(name)) continue;
      link.stopped = true;
      this.links.delete(name);
    }
  }

  /** Per log: the last change trimmed off it by this process. */
  private readonly trimmed = new Map<string, number>();
  /** Regions whose outage also refuses their requests. */
  private readonly refusing = new Set<string>();

  /** Cuts (true) or heals (false) every link to and from `region`; `refuse`: its requests are refused meanwhile, as an outage would. */
  outage(region: string, on: boolean, refuse = false): void {
    if (on && refuse) this.refusing.add(region);
    else this.refusing.delete(region);
    const current = this.cut.get(region);
    if (on && current === undefined) {
      let heal = (): void => undefined;
      const healed = new Promise<void>((resolve) => (heal = resolve));
      this.cut.set(region, { healed, heal });
    } else if (!on && current !== undefined) {
      this.cut.delete(region);
      current.heal();
    }
  }

  /** Whether requests to `region` are refused (its outage was asked to refuse them). */
  refuses(region: string): boolean {
    return this.refusing.size > 0 && this.refusing.has(region);
  }

  /** Regions cut off now. */
  outages(): string[] {
    return [...this.cut.keys()].sort();
  }

  /** Each link now: what its source's log holds beyond its checkpoint is read at the call. */
  async status(): Promise<LinkStatus[]> {
    const out: LinkStatus[] = [];
    for (const link of this.links.values()) {
      const source = this.parts.catalog.get(link.from, link.table);
      const logId = source?.replication?.logId;
      const head = logId === undefined ? undefined : parseHead(await this.parts.storage.getItem({ tableId: logId, key: headKey }));
      const checkpoint = logId === link.sourceLogId ? link.checkpoint : 0;
      out.push(this.describe(link, head === undefined ? 0 : Math.max(0, head.n - 1 - checkpoint)));
    }
    return out;
  }

  private describe(link: Link, pending: number): LinkStatus {
    const sorted = [...link.lags].sort((a, b) => a - b);
    const at = (q: number): number | undefined => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const p50 = at(0.5);
    const p99 = at(0.99);
    return {
      table: link.table, from: link.from, to: link.to, pending, applied: link.applied,
      ...(p50 === undefined ? {} : { latencyP50Ms: p50 }), ...(p99 === undefined ? {} : { latencyP99Ms: p99 }),
      cut: this.cut.has(link.from) || this.cut.has(link.to),
    };
  }

  /** Whether every link into `region`'s replica of `table` has applied its source's whole log. */
  async caughtUp(table: string, region: string): Promise<boolean> {
    for (const link of this.links.values()) {
      if (link.table !== table || link.to !== region) continue;
      const source = this.parts.catalog.get(link.from, table);
      if (source?.replication === undefined) continue;
      const head = parseHead(await this.parts.storage.getItem({ tableId: source.replication.logId, key: headKey }));
      if (link.sourceLogId !== source.replication.logId || link.checkpoint < head.n - 1) return false;
    }
    return true;
  }

  private start(link: Link): void {
    this.links.set(linkName(link.table, link.from, link.to), link);
    this.parts.background.track(this.run(link));
  }

  private async run(link: Link): Promise<void> {
    const { background } = this.parts;
    while (!link.stopped && !background.closing) {
      const cut = this.cut.get(link.from) ?? this.cut.get(link.to);
      if (cut !== undefined) {
        await Promise.race([cut.healed, sleep(idleRecheckMs)]);
        continue;
      }
      const source = this.parts.catalog.get(link.from, link.table);
      const target = this.parts.catalog.get(link.to, link.table);
      if (source?.replication === undefined || target?.replication === undefined) {
        await sleep(idleRecheckMs);
        continue;
      }
      const sourceLogId = source.replication.logId;
      if (link.sourceLogId !== sourceLogId) {
        link.sourceLogId = sourceLogId;
        link.checkpoint = parseCheckpoint(await this.parts.storage.getItem({ tableId: target.replication.logId, key: checkpointKey(link.from) }), sourceLogId);
      }
      const entries = await this.parts.storage.readRange(sourceLogId, changesAfter(link.checkpoint), batchChanges);
      if (entries.length === 0) {
        await this.trim(link, source);
        // Woken by a commit, a moment passes before the read: the writes that follow it join the batch
        // (fewer, larger transactions in the replica — the writers' own throughput is what this spares).
        if (await this.parts.waiters.wait(sourceLogId, idleRecheckMs)) await sleep(gatherMs);
        continue;
      }
      const due = this.due(entries);
      if (due.length === 0) {
        await sleep(this.waitMs(entries[0] as RangeEntry));
        continue;
      }
      await this.apply(link, target, due);
    }
  }

  /** The first changes whose time has come (all of them without an added delay). */
  private due(entries: readonly RangeEntry[]): { counter: number; change: ReplicatedChange }[] {
    const now = this.parts.clock.now();
    const out: { counter: number; change: ReplicatedChange }[] = [];
    for (const entry of entries) {
      const change = decodeChange(entry.item);
      if (this.parts.delayMs > 0 && Math.floor(change.stamp.ts / ticksPerMs) + this.parts.delayMs > now) break;
      out.push({ counter: changeCounter(entry.key), change });
    }
    return out;
  }

  private waitMs(entry: RangeEntry): number {
    const dueAt = Math.floor(decodeChange(entry.item).stamp.ts / ticksPerMs) + this.parts.delayMs;
    // A test's clock may jump: look again soon rather than sleep the whole gap.
    return Math.max(1, Math.min(dueAt - this.parts.clock.now(), 50));
  }

  private async apply(link: Link, target: TableRecord, due: readonly { counter: number; change: ReplicatedChange }[]): Promise<void> {
    // One write per item: a later change of the same item in the batch supersedes an earlier one.
    const latest = new Map<string, ReplicatedChange>();
    for (const { change } of due) latest.set(change.key.toString('binary'), change);
    const writeTarget = this.parts.targetOf(target);
    const writes: ItemWrite[] = [];
    const stamps: Stamp[] = [];
    for (const change of latest.values()) {
      const next = change.next;
      writes.push({ table: target, target: writeTarget, key: change.key, decide: () => ({ next }) });
      stamps.push(change.stamp);
    }
    const last = (due[due.length - 1] as { counter: number }).counter;
    const checkpointRef = { tableId: target.replication?.logId as string, key: checkpointKey(link.from) };
    const logId = link.sourceLogId;
    try {
      await this.parts.writer.write(writes, {
        incoming: stamps,
        extra: { refs: [checkpointRef], decide: () => [storedCheckpoint({ logId, n: last })] },
      });
    } catch (error) {
      // The target changed meanwhile (its definition, or it is gone): look again.
      if (this.parts.background.closing) return;
      console.error(`stratusdb: replication of ${link.table} from ${link.from} to ${link.to} will retry: ${error instanceof Error ? error.message : String(error)}`);
      await sleep(idleRecheckMs / 10);
      return;
    }
    link.checkpoint = last;
    link.applied += due.length;
    const now = this.parts.clock.now();
    for (const { change } of due) {
      link.lags.push(Math.max(0, now - Math.floor(change.stamp.ts / ticksPerMs)));
      if (link.lags.length > lagSamples) link.lags.shift();
    }
  }

  /**
   * Removes the changes of `source`'s log every link reading it has applied, once there are enough of
   * them to be worth a transaction of their own.
   */
  private async trim(link: Link, source: TableRecord): Promise<void> {
    const readers = [...this.links.values()].filter((l) => l.table === link.table && l.from === link.from);
    if (readers.some((l) => l.sourceLogId !== link.sourceLogId)) return;
    const through = Math.min(...readers.map((l) => l.checkpoint));
    const logId = source.replication?.logId as string;
    const trimmed = this.trimmed.get(logId) ?? 0;
    if (through - trimmed < trimChanges) return;
    for (;;) {
      const old = await this.parts.storage.readRange(logId, { start: changeKey(1), end: changeKey(through + 1) }, batchChanges);
      if (old.length === 0) break;
      await this.parts.storage.write([], () => ({ writes: [], result: undefined, derived: old.map((e) => ({ ref: { tableId: logId, key: e.key }, next: null as StoredItem | null })) }));
    }
    this.trimmed.set(logId, through);
  }
}

function linkName(table: string, from: string, to: string): string {
  return `${table}\u0000${from}\u0000${to}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
