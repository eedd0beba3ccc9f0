// DynamoDB semantics over one storage: the catalog of tables with their lifecycle (CREATING →
// ACTIVE, UPDATING, DELETING) and the single-item operations. One Engine per server; no globals.
import { ResourceNotFoundException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { TableRecord } from '../model/table.js';
import type { Storage, TableStats } from '../storage/storage.js';
import { ExpressionCache } from '../expressions/expression-cache.js';
import { StatementCache } from '../partiql/statement-cache.js';
import { deleteExpired, ttlStatus, type TtlStatus } from './ttl.js';
import { Catalog } from './catalog.js';
import type { Clock } from '../model/clock.js';
import { IndexHistory } from './index-history.js';
import { tableIndexes } from './indexes.js';
import { writeTarget, type WriteTarget } from './item-collections.js';
import type { StreamContext } from './streams/change-records.js';
import { trimStream } from './streams/stream-trimmer.js';
import { BackgroundWork } from './background-work.js';
import { TableLifecycle, type NewTable } from './table-lifecycle.js';
import { StreamWaiters } from './streams/stream-waiters.js';

import type { TableStatistics } from './describe-table.js';

const itemCollectionSizeLimitDefault = 10 * 1024 ** 3;
/** DynamoDB Streams: shards close after about four hours; records are kept 24 hours. */
export const streamShardRolloverMsDefault = 4 * 60 * 60 * 1000;
export const streamRetentionMsDefault = 24 * 60 * 60 * 1000;

export interface EngineOptions {
  readonly clock: Clock;
  readonly accountId: string;
  /** How long CREATING / UPDATING / DELETING last; 0 makes every change immediate. */
  readonly tableStatusDelayMs: number;
  /** DynamoDB Local's shared mode: every region sees the same tables. */
  readonly sharedDb: boolean;
  /** Simulated GSI lag: GSI reads see writes only after this many ms (0: at once). */
  readonly gsiPropagationDelayMs?: number;
  /** Largest item collection of a table with LSIs (default 10 GiB). */
  readonly itemCollectionSizeLimitBytes?: number;
  /** Fraction of transactions failed as if by a conflicting transaction (0: none). */
  readonly injectTransactionConflicts?: number;
  /** TTL: how long ENABLING/DISABLING last, the least time between changes, how often expired items are deleted (0: never). */
  readonly ttlTransitionMs?: number;
  readonly ttlChangeIntervalMs?: number;
  readonly ttlSweepIntervalMs?: number;
  /** Streams: a write this long after its shard opened opens a child shard (AWS: about 4 h). */
  readonly streamShardRolloverMs?: number;
  /** Streams: how long records are kept (AWS: 24 h), and how often older ones are trimmed (0: never). */
  readonly streamRetentionMs?: number;
  readonly streamTrimIntervalMs?: number;
  /** Random numbers in [0, 1) for injected faults; Math.random unless a test injects one. */
  readonly random?: () => number;
}

/** The namespace every region maps to in shared mode. */
const sharedNamespace = 'shared';

export type { NewTable } from './table-lifecycle.js';

export class Engine {
  readonly catalog: Catalog;
  /** Parsed expressions by text, per server. */
  readonly expressions = new ExpressionCache();
  /** Parsed PartiQL statements by text, per server. */
  readonly statements = new StatementCache();
  /** Recent GSI changes, for simulated propagation lag. */
  readonly indexHistory: IndexHistory;
  /** ClientRequestTokens of TransactWriteItems calls still running (TransactionInProgressException). */
  readonly tokensInFlight = new Set<string>();
  /** Readers waiting for a stream's next commit. */
  readonly streamWaiters = new StreamWaiters();
  private readonly streamContext: StreamContext;
  private readonly background = new BackgroundWork();
  private readonly tables: TableLifecycle;
  private sweeper: NodeJS.Timeout | undefined;
  private trimmer: NodeJS.Timeout | undefined;
  /** A sweep is running: the next tick skips rather than overlapping it. */
  private sweeping = false;

  constructor(
    readonly storage: Storage,
    readonly options: EngineOptions,
  ) {
    this.catalog = new Catalog(storage);
    this.tables = new TableLifecycle(this.catalog, storage, options, this.background);
    this.indexHistory = new IndexHistory(options.clock, options.gsiPropagationDelayMs ?? 0);
    this.streamContext = {
      clock: options.clock,
      rolloverMs: options.streamShardRolloverMs ?? streamShardRolloverMsDefault,
      committed: (storageId) => this.streamWaiters.committed(storageId),
    };
  }

  get streamRetentionMs(): number {
    return this.options.streamRetentionMs ?? streamRetentionMsDefault;
  }

  /** Whether this transaction is to fail with an injected conflict (--inject-transaction-conflicts). */
  injectConflict(): boolean {
    const rate = this.options.injectTransactionConflicts ?? 0;
    return rate > 0 && (this.options.random ?? Math.random)() < rate;
  }

  /** Where a table's item writes go, with the indexes and item collections they maintain. */
  writeTarget(table: TableRecord): WriteTarget {
    return writeTarget(table, this.options.itemCollectionSizeLimitBytes ?? itemCollectionSizeLimitDefault, this.streamContext);
  }

  async start(): Promise<void> {
    this.tables.resume(await this.catalog.load());
    const every = this.options.ttlSweepIntervalMs ?? 0;
    if (every > 0) {
      this.sweeper = setInterval(() => {
        if (this.sweeping || this.background.closing) return;
        this.sweeping = true;
        this.background.track(this.sweepExpired().finally(() => (this.sweeping = false)));
      }, every);
      this.sweeper.unref();
    }
    const trimEvery = this.options.streamTrimIntervalMs ?? 0;
    if (trimEvery > 0) {
      let trimming = false;
      this.trimmer = setInterval(() => {
        if (trimming || this.background.closing) return;
        trimming = true;
        this.background.track(this.trimStreams().finally(() => (trimming = false)));
      }, trimEvery);
      this.trimmer.unref();
    }
  }

  /** Deletes stream records past retention; forgets streams closed longer ago than that. */
  async trimStreams(): Promise<void> {
    const horizon = this.options.clock.now() - this.streamRetentionMs;
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

  /** The TTL status of a table now. */
  ttlStatus(table: TableRecord): TtlStatus {
    return ttlStatus(table.TimeToLive, this.options.clock.now(), this.options.ttlTransitionMs ?? 0);
  }

  /** Deletes expired items of every table whose TTL is ENABLED. */
  async sweepExpired(): Promise<void> {
    for (const table of this.catalog.all()) {
      const attribute = table.TimeToLive?.AttributeName;
      if (table.TableStatus !== 'ACTIVE' || attribute === undefined || this.ttlStatus(table) !== 'ENABLED') continue;
      const indexHistory = await deleteExpired(this.storage, table, this.writeTarget(table), attribute, this.options.clock.now(), () => this.background.closing);
      this.indexHistory.record(indexHistory);
    }
  }

  /**
   * A change DynamoDB applies without a status change (tags, TTL), decided on the table's latest
   * record; a table that is gone is `missing()`'s error.
   */
  reviseTable(region: string, name: string, change: (latest: TableRecord) => TableRecord, missing: () => Error): Promise<TableRecord> {
    return this.tables.revise(this.namespaceOf(region), name, change, missing);
  }

  namespaceOf(region: string): string {
    return this.options.sharedDb ? sharedNamespace : region;
  }

  findTable(region: string, name: string): TableRecord | undefined {
    return this.catalog.get(this.namespaceOf(region), name);
  }

  /** For DescribeTable/UpdateTable/DeleteTable/tags: the table in whatever status, or "…: Table: X not found". */
  requireTable(region: string, name: string): TableRecord {
    const table = this.findTable(region, name);
    if (table === undefined) throw new ResourceNotFoundException(messages.tableNotFound(name));
    return table;
  }

  /** For item operations: a table still being created or already being deleted does not exist yet. */
  requireUsableTable(region: string, name: string): TableRecord {
    const table = this.findTable(region, name);
    if (table === undefined || table.TableStatus === 'CREATING' || table.TableStatus === 'DELETING') {
      throw new ResourceNotFoundException(messages.resourceNotFound);
    }
    return table;
  }

  tableNames(region: string): string[] {
    return this.catalog.names(this.namespaceOf(region));
  }

  /** The table's live statistics, with each index's under its name. */
  async tableStats(table: TableRecord): Promise<TableStatistics> {
    const indexes = new Map<string, TableStats>();
    for (const index of tableIndexes(table)) indexes.set(index.name, await this.storage.tableStats(index.id));
    return { ...(await this.storage.tableStats(table.id)), indexes };
  }

  createTable(region: string, definition: NewTable, streamLabel: (now: number) => string): Promise<TableRecord> {
    return this.tables.create(this.namespaceOf(region), region, definition, streamLabel);
  }

  /** UpdateTable: `change` runs on the table's latest record (it may throw); UPDATING meanwhile with a status delay. */
  updateTable(region: string, name: string, change: (draft: TableRecord) => void): Promise<TableRecord> {
    return this.tables.update(this.namespaceOf(region), name, change);
  }

  deleteTable(region: string, name: string): Promise<TableRecord> {
    return this.tables.delete(this.namespaceOf(region), name);
  }

  async close(): Promise<void> {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    if (this.trimmer !== undefined) clearInterval(this.trimmer);
    await this.background.close();
    await this.storage.close();
  }
}
