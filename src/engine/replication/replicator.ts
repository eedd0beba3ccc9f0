// The links into this server's replicas of global tables: one per other replica (from → to), each
// reading that replica's log — from this server's storage, or from the peer that serves its region
// (--peer) — and applying its changes through the item writer, in log order, in batches, with the
// link's checkpoint written in the same transaction: a link stopped at any moment (a restart, a
// kill, a peer out of reach) resumes where its last batch ended, and a batch applied twice changes
// nothing (stamps decide). An added delay (--replication-delay-ms) holds each change until the clock
// has passed its stamp by that much; a region's outage (admin endpoint) stops every link to and from
// it until it heals. Each log is trimmed up to what every replica reading it has applied.
import { ServiceUnavailable } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import type { Clock } from '../../model/clock.js';
import type { TableRecord } from '../../model/table.js';
import type { StoredItem, Storage } from '../../storage/storage.js';
import type { BackgroundWork } from '../background-work.js';
import type { Catalog } from '../catalog.js';
import type { WriteTarget } from '../item-collections.js';
import type { ItemWrite, ItemWriter } from '../item-writer.js';
import type { Leases } from '../leases.js';
import { changeKey } from '../recovery/recovery-log.js';
import type { StreamWaiters } from '../streams/stream-waiters.js';
import { LocalLogSource, PeerLogSource, sleep, type LogPage, type LogSource } from './log-sources.js';
import type { PeerClient } from './peer-client.js';
import { checkpointKey, parseCheckpoint, storedCheckpoint, ticksPerMs, type Checkpoint, type ReplicatedChange, type Stamp } from './replication-log.js';

/** Changes applied per transaction. */
const batchChanges = 256;
/** How long a link with nothing to do waits for its source's next commit before it reads again. */
const idleWaitMs = 1000;
/** A log is trimmed once this many of its changes have been applied by every replica reading it. */
const trimChanges = 1024;
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
  readonly peers: PeerClient;
  /** Several nodes on one store: one of them runs each link. */
  readonly leases: Leases;
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
  /** The source is another server's (--peer), and why it did not answer last, if it did not. */
  readonly peer?: { readonly unreachable?: string };
}

interface Link {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  readonly source: LogSource;
  stopped: boolean;
  /** The last change applied, of the source's log `sourceLogId` ('' until the stored checkpoint is read). */
  checkpoint: number;
  sourceLogId: string;
  /** The last change the source's log held at the last read. */
  last: number;
  applied: number;
  /** Replication latencies of the last `lagSamples` changes applied, a ring indexed by `applied`. */
  readonly lags: number[];
  unreachable?: string;
  /** When this process last took or renewed the link's lease (clock ms); undefined: it does not hold it. */
  leasedAt?: number;
  /**
   * The read of the changes after the ones being applied, started before they are applied so the
   * next page is on its way meanwhile (undefined when it failed: the link reads again).
   */
  ahead?: { readonly after: number; readonly logId: string; readonly page: Promise<{ readonly page: LogPage | undefined } | undefined> };
}

export class Replicator {
  private readonly links = new Map<string, Link>();
  /** Regions cut off by an outage, and what wakes their links when they heal. */
  private readonly cut = new Map<string, { readonly healed: Promise<void>; readonly heal: () => void }>();
  /** Regions whose outage also refuses their requests. */
  private readonly refusing = new Set<string>();
  /** Per log of this server: the last change trimmed off it. */
  private readonly trimmed = new Map<string, number>();
  /** Logs being trimmed now (by table and region): one trim of a log at a time. */
  private readonly trimming = new Set<string>();
  /** What peers reading this server's logs have applied, by link (table, this server's region, the reader's). */
  private readonly peerReaders = new Map<string, Checkpoint>();

  constructor(private readonly parts: ReplicatorParts) {}

  /** Makes the links match the catalog: one into each replica here from each other replica, here or at a peer. */
  sync(): void {
    const wanted = new Set<string>();
    for (const table of this.parts.catalog.all()) {
      const replication = table.replication;
      if (replication === undefined || table.TableStatus === 'DELETING') continue;
      for (const other of replication.Replicas) {
        if (other.ReplicaStatus === 'DELETING') continue;
        const name = linkName(table.TableName, other.RegionName, table.region);
        const source = this.sourceFor(table.TableName, other.RegionName, table.region);
        if (source === undefined) continue;
        wanted.add(name);
        if (this.links.has(name)) continue;
        const link: Link = { table: table.TableName, from: other.RegionName, to: table.region, source, stopped: false, checkpoint: 0, sourceLogId: '', last: 0, applied: 0, lags: [] };
        this.links.set(name, link);
        this.parts.background.track(this.run(link));
      }
    }
    for (const [name, link] of this.links) {
      if (wanted.has(name)) continue;
      link.stopped = true;
      this.links.delete(name);
      if (link.leasedAt !== undefined) void this.parts.leases.release(leaseName(link)).catch(() => undefined);
    }
  }

  /** Whether this process runs the link now: it holds the link's lease, renewed a third of a term before it runs out. */
  private async leased(link: Link): Promise<boolean> {
    const now = this.parts.clock.now();
    if (link.leasedAt !== undefined && now - link.leasedAt < this.parts.leases.termMs / 3) return true;
    const held = await this.parts.leases.hold(leaseName(link)).catch(() => false);
    if (!held) {
      delete link.leasedAt;
      // Another node runs it: what this one knew of its progress is stale.
      link.sourceLogId = '';
      return false;
    }
    link.leasedAt = now;
    return true;
  }

  /**
   * Where `reader`'s replica of `table` reads the replica in `from`: a replica of this server, or the
   * peer serving that region (--peer); undefined when neither does.
   */
  sourceFor(table: string, from: string, reader: string): LogSource | undefined {
    if (this.parts.catalog.get(from, table)?.replication !== undefined) return new LocalLogSource(this.parts, from, table);
    return this.parts.peers.serves(from) ? new PeerLogSource(this.parts.peers, from, table, reader) : undefined;
  }

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

  /** Whether `region` is cut off. */
  isCut(region: string): boolean {
    return this.cut.has(region);
  }

  /** Regions cut off now. */
  outages(): string[] {
    return [...this.cut.keys()].sort();
  }

  /** Each link now: its source's log and the link's stored checkpoint are read at the call (the source at its peer, for a peer's). */
  async status(): Promise<LinkStatus[]> {
    const out: LinkStatus[] = [];
    for (const link of this.links.values()) out.push(this.describe(link, (await this.behind(link)) ?? Math.max(0, link.last - link.checkpoint)));
    return out;
  }

  /** Whether every link into `region`'s replica of `table` has applied its source's whole log. */
  async caughtUp(table: string, region: string): Promise<boolean> {
    for (const link of this.links.values()) {
      if (link.table === table && link.to === region && (await this.behind(link)) !== 0) return false;
    }
    return true;
  }

  /** The log of `from`'s replica of `table` now (read for `reader`'s): its id and last change. */
  async logHead(table: string, from: string, reader: string): Promise<{ readonly logId: string; readonly last: number }> {
    const page = await this.sourceFor(table, from, reader)?.read(Number.MAX_SAFE_INTEGER, 1, 0);
    if (page === undefined) throw new ServiceUnavailable(messages.regionUnavailable);
    return { logId: page.logId, last: page.last };
  }

  /** Whether `to`'s replica of `table` has applied `from`'s log through `head` (by the link's stored checkpoint). */
  async appliedThrough(table: string, from: string, to: string, head: { readonly logId: string; readonly last: number }): Promise<boolean> {
    const target = this.parts.catalog.get(to, table)?.replication;
    if (target === undefined) return true;
    const stored = await this.storedCheckpoint(target.logId, from);
    return (stored?.logId === head.logId ? stored.n : 0) >= head.last;
  }

  /**
   * How many changes of its source's log the link has not applied, by the checkpoint stored with the
   * replica (whichever node runs the link); undefined when the source cannot be read now.
   */
  private async behind(link: Link): Promise<number | undefined> {
    const target = this.parts.catalog.get(link.to, link.table)?.replication;
    if (target === undefined) return undefined;
    let page: LogPage | undefined;
    try {
      page = await link.source.read(Number.MAX_SAFE_INTEGER, 1, 0);
    } catch {
      return undefined; // a peer out of reach
    }
    if (page === undefined) return undefined;
    const stored = await this.storedCheckpoint(target.logId, link.from);
    return Math.max(0, page.last - (stored?.logId === page.logId ? stored.n : 0));
  }

  /**
   * A peer reads this server's replica of `table` in `region` for its own replica in `reader`: the
   * changes after `after` (what it has applied, which lets the log be trimmed up to there).
   */
  async serveChanges(table: string, region: string, reader: string, after: number, limit: number, waitMs: number, applied = after): Promise<LogPage | undefined> {
    // A region cut off here is cut off from its peers too: they are refused, and try again later.
    if (this.isCut(region) || this.isCut(reader)) throw new ServiceUnavailable(messages.regionUnavailable);
    const page = await new LocalLogSource(this.parts, region, table).read(after, limit, waitMs);
    if (this.isCut(region) || this.isCut(reader)) throw new ServiceUnavailable(messages.regionUnavailable); // cut off while it waited
    if (page !== undefined && after !== Number.MAX_SAFE_INTEGER) {
      this.peerReaders.set(linkName(table, region, reader), { logId: page.logId, n: applied });
      // Trimmed after the answer, not before it: the reader's next changes do not wait for the deletes.
      this.trimLater(table, region);
    }
    return page;
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
      ...(link.source instanceof PeerLogSource ? { peer: link.unreachable === undefined ? {} : { unreachable: link.unreachable } } : {}),
    };
  }

  private async run(link: Link): Promise<void> {
    const { background } = this.parts;
    while (!link.stopped && !background.closing) {
      const cut = this.cut.get(link.from) ?? this.cut.get(link.to);
      if (cut !== undefined) {
        delete link.ahead;
        await Promise.race([cut.healed, sleep(idleWaitMs)]);
        continue;
      }
      const target = this.parts.catalog.get(link.to, link.table);
      if (target?.replication === undefined || !(await this.leased(link))) {
        await sleep(idleWaitMs);
        continue;
      }
      if (link.sourceLogId === '') {
        const stored = await this.storedCheckpoint(target.replication.logId, link.from);
        link.sourceLogId = stored?.logId ?? '-';
        link.checkpoint = stored?.n ?? 0;
      }
      const ahead = link.ahead;
      delete link.ahead;
      let page: LogPage | undefined;
      try {
        const early = ahead !== undefined && ahead.after === link.checkpoint && ahead.logId === link.sourceLogId ? await ahead.page : undefined;
        page = early?.page ?? (await link.source.read(link.checkpoint, batchChanges, idleWaitMs));
        delete link.unreachable;
      } catch (error) {
        // A peer out of reach: the link tries again (its checkpoint keeps its place).
        link.unreachable = error instanceof Error ? error.message : String(error);
        await sleep(idleWaitMs);
        continue;
      }
      if (page === undefined) {
        await sleep(idleWaitMs);
        continue;
      }
      // Cut off while the read waited: nothing of it is applied.
      if (this.cut.has(link.from) || this.cut.has(link.to)) continue;
      if (page.logId !== link.sourceLogId) {
        // Another log than the checkpoint's (the source became a replica anew): from its start.
        link.sourceLogId = page.logId;
        link.checkpoint = 0;
        continue;
      }
      link.last = page.last;
      if (page.changes.length === 0) {
        if (link.source instanceof LocalLogSource) await this.trim(link.table, link.from);
        continue;
      }
      const due = this.due(page.changes);
      if (due.length === 0) {
        await sleep(this.waitMs(page.changes[0]?.change as ReplicatedChange));
        continue;
      }
      // The table as it is now: the read may have waited while its record changed.
      const latest = this.parts.catalog.get(link.to, link.table);
      if (latest?.replication === undefined) continue;
      // The next page is read while this one is applied: a change that comes meanwhile waits for one apply, not two.
      if (due.length === page.changes.length) this.readAhead(link, (due[due.length - 1] as { counter: number }).counter);
      await this.apply(link, latest, due);
    }
  }

  /**
   * Starts reading the changes after `after` (those being applied now) for the link's next turn; the
   * source is told what is applied so far, so it keeps the rest until it is.
   */
  private readAhead(link: Link, after: number): void {
    const page = link.source.read(after, batchChanges, idleWaitMs, link.checkpoint).then((read) => ({ page: read }), () => undefined);
    link.ahead = { after, logId: link.sourceLogId, page };
  }

  /** The first changes whose time has come (all of them without an added delay). */
  private due(changes: LogPage['changes']): LogPage['changes'] {
    if (this.parts.delayMs <= 0) return changes;
    const now = this.parts.clock.now();
    const ready = changes.findIndex(({ change }) => Math.floor(change.stamp.ts / ticksPerMs) + this.parts.delayMs > now);
    return ready === -1 ? changes : changes.slice(0, ready);
  }

  private waitMs(change: ReplicatedChange): number {
    const dueAt = Math.floor(change.stamp.ts / ticksPerMs) + this.parts.delayMs;
    // A test's clock may jump: look again soon rather than sleep the whole gap.
    return Math.max(1, Math.min(dueAt - this.parts.clock.now(), 50));
  }

  private async apply(link: Link, target: TableRecord, due: LogPage['changes']): Promise<void> {
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
    const checkpointRef = { tableId: target.replication?.logId as string, key: checkpointKey(link.from), uncounted: true as const };
    const logId = link.sourceLogId;
    try {
      await this.parts.writer.write(writes, { incoming: stamps, extra: { refs: [checkpointRef], decide: () => [storedCheckpoint({ logId, n: last })] } });
    } catch (error) {
      // The target changed meanwhile (its definition, or it is gone): look again.
      if (this.parts.background.closing) return;
      console.error(`stratusdb: replication of ${link.table} from ${link.from} to ${link.to} will retry: ${error instanceof Error ? error.message : String(error)}`);
      await sleep(idleWaitMs / 10);
      return;
    }
    link.checkpoint = last;
    const now = this.parts.clock.now();
    for (const { change } of due) {
      // The latencies of the last changes applied, in a ring: the oldest is overwritten.
      link.lags[link.applied++ % lagSamples] = Math.max(0, now - Math.floor(change.stamp.ts / ticksPerMs));
    }
  }

  /** The checkpoint stored with a replica (its log `targetLogId`) of the link from `from`, whichever node runs it. */
  private async storedCheckpoint(targetLogId: string, from: string): Promise<Checkpoint | undefined> {
    return parseCheckpoint(await this.parts.storage.getItem({ tableId: targetLogId, key: checkpointKey(from) }));
  }

  /** Trims the log of `table` in `region` in the background, unless a trim of it is under way. */
  private trimLater(table: string, region: string): void {
    const id = `${table}\u0000${region}`;
    if (this.trimming.has(id) || this.parts.background.closing) return;
    this.trimming.add(id);
    this.parts.background.track(this.trim(table, region).catch(() => undefined).finally(() => this.trimming.delete(id)));
  }

  /**
   * Removes the changes of this server's replica of `table` in `region` that every other replica has
   * applied — a replica here by its stored checkpoint, one at a peer by what its last read said — once
   * there are enough of them to be worth a transaction of their own.
   */
  private async trim(table: string, region: string): Promise<void> {
    const source = this.parts.catalog.get(region, table);
    const logId = source?.replication?.logId;
    if (source?.replication === undefined || logId === undefined) return;
    const applied: number[] = [];
    for (const other of source.replication.Replicas) {
      const here = this.parts.catalog.get(other.RegionName, table)?.replication;
      const checkpoint = here !== undefined ? await this.storedCheckpoint(here.logId, region) : this.peerReaders.get(linkName(table, region, other.RegionName));
      if (checkpoint?.logId !== logId) return; // a replica whose progress is not known here yet
      applied.push(checkpoint.n);
    }
    const through = Math.min(...applied);
    if (through - (this.trimmed.get(logId) ?? 0) < trimChanges) return;
    for (;;) {
      const old = await this.parts.storage.readRange(logId, { start: changeKey(1), end: changeKey(through + 1) }, batchChanges);
      if (old.length === 0) break;
      await this.parts.storage.write([], () => ({ writes: [], result: undefined, derived: old.map((e) => ({ ref: { tableId: logId, key: e.key, uncounted: true as const }, next: null as StoredItem | null })) }));
    }
    this.trimmed.set(logId, through);
  }
}

function linkName(table: string, from: string, to: string): string {
  return `${table}\u0000${from}\u0000${to}`;
}

function leaseName(link: Link): string {
  return `replication/${link.table}/${link.from}/${link.to}`;
}

