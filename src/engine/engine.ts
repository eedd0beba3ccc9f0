// DynamoDB semantics over one storage, as services: tables (lifecycle, lookup, statistics), items
// (single and batch reads and writes), transactions, reads of key ranges, and streams. The engine
// owns its storage: nothing outside src/engine/ reads or writes it. Background work (status
// settling, index builds and drops, the TTL sweep, the stream trim) runs here, each job under a
// lease so that one process runs it when several share a store. One Engine per server; no globals.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../model/clock.js';
import type { AttributeMap } from '../model/attribute-value.js';
import type { TableRecord } from '../model/table.js';
import type { Storage } from '../storage/storage.js';
import { BackgroundWork } from './background-work.js';
import { GlobalTableService, type ReplicaSettings } from './global-table-service.js';
import { Replicator } from './replication/replicator.js';
import { PeerClient } from './replication/peer-client.js';
import { StrongConsistency } from './replication/strong-consistency.js';
import { Deployments } from './deployments.js';
import { IdentityService } from './identity-service.js';
import { ContributorInsights } from './contributor-insights.js';
import { capacityKeyPrefix, CapacitySharing } from './capacity-sharing.js';
import { CapacityMeter } from './capacity-meter.js';
import { KeyRanges } from './key-ranges.js';
import { AutoScaling, type CapacityChange } from './auto-scaling.js';
import { CostMeter, listPrices, type Prices } from './cost-meter.js';
import { PeerService } from './replication/peer-service.js';
import { Catalog } from './catalog.js';
import { IndexHistory } from './index-history.js';
import { writeTarget, type WriteTarget } from './item-collections.js';
import { ItemService } from './item-service.js';
import { ItemWriter } from './item-writer.js';
import { Leases } from './leases.js';
import { ReadService } from './read-service.js';
import { RecoveryService } from './recovery-service.js';
import { BackupService } from './backup-service.js';
import { ExportService } from './export-service.js';
import { ImportService } from './import-service.js';
import { DirectoryStore } from './object-stores/directory-store.js';
import { S3Store } from './object-stores/s3-store.js';
import { StreamService } from './stream-service.js';
import type { StreamContext } from './streams/change-records.js';
import { trimStream } from './streams/stream-trimmer.js';
import { StreamWaiters } from './streams/stream-waiters.js';
import { TableLifecycle } from './table-lifecycle.js';
import { TableService } from './table-service.js';
import { TransactionService } from './transaction-service.js';
import { sweepExpired } from './ttl-sweep.js';

/**
 * A background job's lease lasts this long without renewal (several processes on one store): when its
 * holder dies, another process takes the job over within this time.
 */
const leaseTermMs = 6_000;
/** How often the cost meter accrues capacity and storage (real ms), and refreshes sizes (in samples). */
const costSampleMs = 1000;
const costSizeTicks = 10;
/** How often the nodes of a shared store tell each other the capacity they took (real ms). */
const capacityShareMs = 250;
/** How often auto scaling looks for minutes of the clock it has not evaluated yet (real ms). */
const autoScalingIntervalMs = 1000;

/** The engine's settings; their defaults and command-line flags are in config/option-table.ts. */
export interface EngineOptions {
  readonly clock: Clock;
  /** Told how many expired items a TTL sweep deleted from a table (the TimeToLiveDeletedItemCount metric). */
  readonly onExpired?: (table: TableRecord, deleted: number) => void;
  /** Told how far a GSI's backfill has gone, in percent (the OnlineIndexPercentageProgress metric). */
  readonly onIndexProgress?: (table: TableRecord, index: string, percent: number) => void;
  readonly accountId: string;
  /** The account root's credentials (--root-access-key-id and its secret): IAM's secrets are sealed with a key derived from it. */
  readonly root?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** How long CREATING / UPDATING / DELETING last; 0 makes every change immediate. */
  readonly tableStatusDelayMs: number;
  /** DynamoDB Local's shared mode: every region sees the same tables. */
  readonly sharedDb: boolean;
  /** Simulated GSI lag: GSI reads see writes only after this many ms (0: at once). */
  readonly gsiPropagationDelayMs: number;
  /** Largest item collection of a table with LSIs (AWS: 10 GiB). */
  readonly itemCollectionSizeLimitBytes: number;
  /** Fraction of transactions failed as if by a conflicting transaction (0: none). */
  readonly injectTransactionConflicts: number;
  /** TTL: how long ENABLING/DISABLING last, the least time between changes, how often expired items are deleted (0: never). */
  readonly ttlTransitionMs: number;
  readonly ttlChangeIntervalMs: number;
  readonly ttlSweepIntervalMs: number;
  /** Streams: a write this long after its shard opened opens a child shard (AWS: about 4 h). */
  readonly streamShardRolloverMs: number;
  /** Streams: how long records are kept (AWS: 24 h), and how often older ones are trimmed (0: never). */
  readonly streamRetentionMs: number;
  readonly streamTrimIntervalMs: number;
  /** Point-in-time recovery: how often changes that left a table's window are folded into its base (0: never). */
  readonly pitrPruneIntervalMs: number;
  /** Point-in-time recovery: LatestRestorableDateTime is this long before now (AWS: about 5 minutes). */
  readonly pitrLatestLagMs: number;
  /** Global tables: a replica applies another's change once the clock is this far past it. */
  readonly replicationDelayMs: number;
  /** What leases are timed by, when not the clock (a faster clock, --clock-speed, would let them lapse between renewals). */
  readonly leaseClock?: Clock;
  /** Throttle PROVISIONED tables past their capacity (capacity-meter.ts). */
  readonly enforceCapacity: boolean;
  /** Global tables: the regions other servers serve, as REGION=URL (--peer). */
  readonly peers?: readonly string[];
  /** Global tables: the secret those servers share (--replication-key). */
  readonly replicationKey: string;
  /** Where on-demand backups are kept (a directory outside the store). */
  readonly backupDir: string;
  /** The directory standing in for S3 (a bucket is a subdirectory): exports go there, imports come from there. */
  readonly s3Dir: string;
  /** An S3-compatible endpoint to use instead of the directory (which then keeps only import error logs and export staging), and its region. */
  readonly s3Endpoint?: string;
  readonly s3Region?: string;
  /** How an imported record (`{"Item": …}`) is checked as DynamoDB checks an item: injected from the API layer, whose checks they are. */
  readonly decodeImportedItem: (record: unknown) => AttributeMap;
  /** Global tables: applies a settings change (UpdateTable, UpdateTimeToLive) to a replica here (the API layer's, injected by main.ts). */
  readonly applyReplicaSettings?: (engine: Engine, region: string, table: string, settings: ReplicaSettings) => Promise<void>;
  /** Prices the cost meter uses instead of DynamoDB's list prices (--prices). */
  readonly prices?: Partial<Prices>;
  /** Makes a capacity change auto scaling asks for, through UpdateTable's rules (the API layer's, injected by main.ts). */
  readonly scaleCapacity?: (engine: Engine, table: TableRecord, change: CapacityChange) => Promise<void>;
  /** Random numbers in [0, 1) for injected faults; Math.random unless a test injects one. */
  readonly random?: () => number;
}

export type { NewTable } from './table-lifecycle.js';

export class Engine {
  readonly tables: TableService;
  readonly items: ItemService;
  readonly transactions: TransactionService;
  readonly reads: ReadService;
  readonly streams: StreamService;
  readonly recovery: RecoveryService;
  readonly backups: BackupService;
  readonly exports: ExportService;
  readonly imports: ImportService;
  readonly globalTables: GlobalTableService;
  /** The links between replicas of global tables: their state, and outages a user causes. */
  readonly replication: Replicator;
  /** Provisioned capacity: what each table and GSI has left, when enforced. */
  readonly capacity: CapacityMeter;
  /** Several nodes on one store: each table's capacity is theirs together. */
  private readonly capacitySharing: CapacitySharing;
  /** CloudWatch Contributor Insights: each table's and GSI's rules, and the keys they count. */
  readonly insights: ContributorInsights;
  /** Hot partitions: each request held to the partitions (of a table or GSI) it touches. */
  readonly keyRanges: KeyRanges;
  /** What the tables would cost on DynamoDB (GET /stratusdb/cost, `stratusdb cost`). */
  readonly cost: CostMeter;
  /** Table sizes for the cost meter's storage, refreshed now and then (by table id). */
  private readonly sizes = new Map<string, number>();
  /** Application Auto Scaling of provisioned capacity. */
  readonly autoScaling: AutoScaling;
  /** Requests to the servers of other regions (--peer). */
  private readonly peerClient: PeerClient;
  /** Multi-region strong consistency: the majority behind each write and strongly consistent read. */
  readonly strong: StrongConsistency;
  /** What this server answers the servers of other regions (--peer). */
  readonly peers: PeerService;
  /** IAM users, groups, roles, policies, access keys and role sessions, kept in the catalog. */
  readonly identities: IdentityService;
  /** What `stratusdb deploy` made: deployed triggers and stacks, kept in the catalog. */
  readonly deployments: Deployments;
  /** Background jobs' leases (several processes on one store run each job once). */
  readonly leases: Leases;
  private readonly catalog: Catalog;
  private readonly lifecycle: TableLifecycle;
  private readonly background: BackgroundWork;
  private readonly streamContext: StreamContext;
  private readonly waiters: StreamWaiters;
  private readonly limitBytes: number;
  private timers: NodeJS.Timeout[] = [];
  /** The catalog reload under way, and whether another must follow it (a change announced meanwhile). */
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  /** Completed runs of each background job (tests wait for a whole run instead of for time). */
  private readonly runs = new Map<string, number>();

  constructor(
    private readonly storage: Storage,
    readonly options: EngineOptions,
  ) {
    const random = options.random ?? Math.random;
    this.background = new BackgroundWork(options.clock);
    const waiters = new StreamWaiters();
    this.waiters = waiters;
    const history = new IndexHistory(options.clock, options.gsiPropagationDelayMs);
    this.limitBytes = options.itemCollectionSizeLimitBytes;
    this.streamContext = {
      clock: options.clock,
      rolloverMs: options.streamShardRolloverMs,
      committed: (storageId) => {
        waiters.committed(storageId);
        // Readers waiting in other processes sharing the store (triggers on other nodes) wake too.
        storage.announceCommit?.(storageId);
      },
    };
    this.leases = new Leases(storage, randomBytes(8).toString('hex'), options.leaseClock ?? options.clock, leaseTermMs);
    this.catalog = new Catalog(storage);
    this.lifecycle = new TableLifecycle(this.catalog, storage, options, this.background, this.leases);
    this.tables = new TableService(this.catalog, this.lifecycle, storage, {
      clock: options.clock, sharedDb: options.sharedDb, ttlTransitionMs: options.ttlTransitionMs, ttlChangeIntervalMs: options.ttlChangeIntervalMs,
    });
    const writer = new ItemWriter(storage, history, (table) => this.catalog.guardOf(table));
    const target = (table: TableRecord): WriteTarget => writeTarget(table, this.limitBytes, this.streamContext);
    this.reads = new ReadService(storage, history);
    this.capacity = new CapacityMeter(options.clock, options.enforceCapacity, { version: () => this.catalog.currentVersion, tables: () => this.catalog.all(), sizeOf: (id) => this.sizes.get(id) ?? 0 });
    this.insights = new ContributorInsights(this.tables, options.clock);
    this.capacitySharing = new CapacitySharing(storage, this.capacity, this.leases.holder);
    this.cost = new CostMeter(options.clock, this.capacity, { ...listPrices, ...options.prices });
    const scale = options.scaleCapacity;
    this.autoScaling = new AutoScaling({
      tables: this.tables, capacity: this.capacity, clock: options.clock,
      scale: async (table, change) => scale?.(this, table, change),
    });
    const parts = { catalog: this.catalog, lifecycle: this.lifecycle, storage, writer, targetOf: target, background: this.background, leases: this.leases };
    const peers = new PeerClient(peerMap(options.peers ?? []), options.replicationKey);
    this.peerClient = peers;
    this.replication = new Replicator({ ...parts, waiters, peers, clock: options.clock, delayMs: options.replicationDelayMs });
    this.strong = new StrongConsistency({ ...parts, replicator: this.replication, peers, clock: options.clock, delayMs: options.replicationDelayMs });
    this.keyRanges = new KeyRanges(this.capacity, this.insights);
    this.items = new ItemService(this.tables, writer, storage, target, this.strong, this.keyRanges);
    this.transactions = new TransactionService(this.tables, this.items, this.reads, target, this.keyRanges, {
      clock: options.clock,
      injectConflict: () => {
        const rate = options.injectTransactionConflicts;
        return rate > 0 && random() < rate;
      },
      random,
    });
    this.streams = new StreamService(this.catalog, storage, waiters, options.clock, options.streamRetentionMs);
    this.recovery = new RecoveryService(parts, { clock: options.clock, latestLagMs: options.pitrLatestLagMs });
    this.backups = new BackupService(parts, { clock: options.clock, backupDir: options.backupDir });
    const store = options.s3Endpoint === undefined ? new DirectoryStore(options.s3Dir) : new S3Store({ endpoint: options.s3Endpoint, region: options.s3Region ?? 'us-east-1' });
    this.exports = new ExportService(storage, this.recovery, this.background, { clock: options.clock, store, s3Dir: options.s3Dir });
    const applySettings = options.applyReplicaSettings;
    this.globalTables = new GlobalTableService({
      ...parts, waiters, peers, replicator: this.replication, clock: options.clock,
      applySettings: async (region, table, settings) => applySettings?.(this, region, table, settings),
    });
    this.identities = new IdentityService(storage, { accountId: options.accountId, clock: options.clock, ...(options.root === undefined ? {} : { root: options.root }) });
    this.deployments = new Deployments(storage);
    this.peers = new PeerService({ catalog: this.catalog, storage, lifecycle: this.lifecycle, replicator: this.replication, globalTables: this.globalTables, strong: this.strong });
    this.imports = new ImportService(parts, { clock: options.clock, store, s3Dir: options.s3Dir, accountId: options.accountId, decodeItem: options.decodeImportedItem });
  }

  /** Other processes share the store: the catalog may change under this one (see syncCatalog). */
  get shared(): boolean {
    return !this.storage.exclusive;
  }

  async start(): Promise<void> {
    // The catalog is read once: the tables and the identities both come from it.
    const entries = await this.storage.readCatalog();
    this.lifecycle.resume(await this.catalog.load(entries));
    await this.identities.load(entries);
    await this.deployments.load(entries);
    this.recovery.resume();
    this.globalTables.resume();
    await this.backups.resume();
    await this.exports.resume();
    await this.imports.resume();
    // Other processes sharing the store: their table changes reload the catalog (leases change every
    // few seconds and mean nothing to the tables), their streams' new records wake readers here.
    this.storage.watchCatalog?.((keys) => {
      if (keys.length === 0 || keys.some(IdentityService.owns)) void this.identities.load().catch(() => undefined);
      if (keys.length === 0 || keys.some(Deployments.owns)) void this.deployments.load().catch(() => undefined);
      const tableKey = (key: string): boolean => !key.startsWith('lease/') && !key.startsWith(capacityKeyPrefix) && !IdentityService.owns(key) && !Deployments.owns(key);
      if (keys.length === 0 || keys.some(tableKey)) void this.syncCatalog().catch(() => undefined);
    });
    this.storage.watchCommits?.((storageId) => this.waiters.committed(storageId));
    this.every(this.options.ttlSweepIntervalMs, 'ttl-sweep', () => this.sweepExpired());
    // Nodes sharing a store share each table's capacity: every node, a few times a second.
    // Nothing enforced, nothing to share: such a tick is no run of the job.
    if (this.shared) this.every(capacityShareMs, 'capacity-share', async () => (this.capacity.anyEnforced ? this.capacitySharing.share() : skipped), true);
    this.sampleCosts();
    // Each completed minute of the clock, however fast it runs (--clock-speed), is looked at.
    this.every(autoScalingIntervalMs, 'auto-scaling', () => this.autoScaling.evaluate());
    this.every(this.options.streamTrimIntervalMs, 'stream-trim', () => this.trimStreams());
    this.every(this.options.pitrPruneIntervalMs, 'recovery-prune', async () => {
      await this.recovery.prune(await this.exports.pinsInUse());
      await this.backups.expire();
    });
  }

  /**
   * Brings the catalog up to date with storage (a store shared with other processes, whose changes
   * are otherwise learned from their announcements). Concurrent calls share one reload; a call made
   * while one runs gets another after it, so it sees every change committed before it was made.
   */
  syncCatalog(): Promise<void> {
    if (this.reloading !== undefined) {
      this.reloadAgain = true;
      return this.reloading;
    }
    const run = async (): Promise<void> => {
      do {
        this.reloadAgain = false;
        await this.catalog.reload();
      } while (this.reloadAgain);
      this.globalTables.synced();
    };
    this.reloading = run().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  /** Deletes expired items of every table whose TTL is ENABLED. */
  async sweepExpired(): Promise<void> {
    const now = this.options.clock.now();
    for (const table of this.tables.all()) {
      const attribute = table.TimeToLive?.AttributeName;
      if (this.background.closing) return;
      if (table.TableStatus !== 'ACTIVE' || attribute === undefined || this.tables.ttlStatus(table) !== 'ENABLED') continue;
      const deleted = await sweepExpired(this.storage, this.items, table, attribute, now, () => this.background.closing);
      if (deleted > 0) this.options.onExpired?.(table, deleted);
    }
  }

  /** Deletes stream records past retention; forgets streams closed longer ago than that. */
  async trimStreams(): Promise<void> {
    const horizon = this.options.clock.now() - this.streams.retentionMs;
    for (const info of this.catalog.allStreams()) {
      if (this.background.closing) return;
      if (info.closedAt !== undefined && info.closedAt < horizon) {
        await this.catalog.removeStream(info);
        this.background.track(this.storage.dropTable(info.storageId).then(() => this.catalog.dropped(info.storageId)));
      } else {
        await trimStream(this.storage, info, horizon);
      }
    }
  }

  /** Whether the engine can serve requests now: its storage answers (GET /health/ready). */
  async ready(): Promise<boolean> {
    try {
      await this.storage.ping?.();
      return true;
    } catch {
      return false;
    }
  }

  /** How many times each background job (ttl-sweep, stream-trim, recovery-prune) has run to the end in this process. */
  backgroundRuns(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.runs);
  }

  /** Tests (--test-clock): backups, restores, exports and imports started while held wait until let go. */
  holdJobs(held: boolean): void {
    this.background.hold(held);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.background.close();
    this.peerClient.close();
    await this.storage.close();
  }

  /** Runs `job` every `ms` (0: never), one run at a time, while this process holds the job's lease. */
  /** Every second, each table's capacity and storage accrue (on every node: each counts what it serves); sizes every tenth. */
  private sampleCosts(): void {
    let ticks = 0;
    const timer = setInterval(() => {
      if (this.background.closing) return;
      const tables = this.catalog.all();
      this.cost.sample(tables, this.sizes);
      if (ticks++ % costSizeTicks !== 0) return;
      this.background.track((async () => {
        for (const table of tables) this.sizes.set(table.id, (await this.tables.stats(table).catch(() => undefined))?.sizeBytes ?? this.sizes.get(table.id) ?? 0);
      })());
    }, costSampleMs);
    timer.unref();
    this.timers.push(timer);
  }

  /**
   * Runs `job` every `ms` (real) under the lease of its name (one process of a shared store at a time),
   * or on every node; a run that answers `skipped` (it had nothing to do) is not counted.
   */
  private every(ms: number, lease: string, job: () => Promise<void | typeof skipped>, onEveryNode = false): void {
    if (ms <= 0) return;
    let running = false;
    const timer = setInterval(() => {
      if (running || this.background.closing) return;
      running = true;
      const run = async (): Promise<void> => {
        if (!onEveryNode && !(await this.leases.hold(lease))) return;
        if ((await job()) === skipped) return;
        this.runs.set(lease, (this.runs.get(lease) ?? 0) + 1);
      };
      this.background.track(run().finally(() => (running = false)));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

/** What a background job answers when it had nothing to do this time. */
const skipped = Symbol('skipped');

/** --peer's REGION=URL entries as a map (the last one for a region wins). */
function peerMap(entries: readonly string[]): Map<string, string> {
  return new Map(entries.map((entry) => {
    const at = entry.indexOf('=');
    return [entry.slice(0, at), entry.slice(at + 1).replace(/\/+$/, '')] as const;
  }));
}
