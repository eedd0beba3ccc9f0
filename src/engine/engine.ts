// DynamoDB semantics over one storage: the catalog of tables with their lifecycle (CREATING →
// ACTIVE, UPDATING, DELETING) and the single-item operations. One Engine per server; no globals.
import { randomBytes, randomUUID } from 'node:crypto';
import { ResourceInUseException, ResourceNotFoundException, ValidationException } from '../api/errors.js';
import { messages } from '../api/messages.js';
import type { TableRecord } from '../model/table.js';
import type { Storage, TableStats } from '../storage/storage.js';
import { ExpressionCache } from '../expressions/expression-cache.js';
import { StatementCache } from '../partiql/statement-cache.js';
import { deleteExpired, ttlStatus, type TtlStatus } from './ttl.js';
import { Catalog } from './catalog.js';
import type { Clock } from './clock.js';
import { backfillIndex } from './index-backfill.js';
import { IndexHistory } from './index-history.js';
import { indexStorageId, tableIndexes } from './indexes.js';
import { collectionsStorageId, writeTarget, type WriteTarget } from './item-collections.js';
import type { StreamContext } from '../streams/change-records.js';
import { streamTransitions } from '../streams/stream-info.js';
import { trimStream } from '../streams/stream-trimmer.js';
import { StreamWaiters } from '../streams/stream-waiters.js';

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

/** What CreateTable decided, before the engine gives it identity, ARN and status. */
export type NewTable = Omit<
  TableRecord,
  'id' | 'namespace' | 'region' | 'TableId' | 'TableArn' | 'CreationDateTime' | 'TableStatus' | 'statusSettlesAt' | 'LatestStreamLabel'
>;

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
  private readonly timers = new Set<NodeJS.Timeout>();
  private sweeper: NodeJS.Timeout | undefined;
  private trimmer: NodeJS.Timeout | undefined;
  /** A sweep is running: the next tick skips rather than overlapping it. */
  private sweeping = false;
  private readonly background = new Set<Promise<void>>();
  /** Table-record changes run one at a time, each on the latest record (background index work included). */
  private changes: Promise<unknown> = Promise.resolve();
  /** Index builds and drops under way, by table id and index name. */
  private readonly indexWork = new Set<string>();
  private closing = false;

  constructor(
    readonly storage: Storage,
    readonly options: EngineOptions,
  ) {
    this.catalog = new Catalog(storage);
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
    const dropping = await this.catalog.load();
    for (const id of dropping) this.track(this.dropData(id));
    for (const table of this.catalog.all()) {
      if (table.TableStatus !== 'ACTIVE') this.scheduleSettle(table);
      this.startIndexWork(table);
    }
    const every = this.options.ttlSweepIntervalMs ?? 0;
    if (every > 0) {
      this.sweeper = setInterval(() => {
        if (this.sweeping || this.closing) return;
        this.sweeping = true;
        this.track(this.sweepExpired().finally(() => (this.sweeping = false)));
      }, every);
      this.sweeper.unref();
    }
    const trimEvery = this.options.streamTrimIntervalMs ?? 0;
    if (trimEvery > 0) {
      let trimming = false;
      this.trimmer = setInterval(() => {
        if (trimming || this.closing) return;
        trimming = true;
        this.track(this.trimStreams().finally(() => (trimming = false)));
      }, trimEvery);
      this.trimmer.unref();
    }
  }

  /** Deletes stream records past retention; forgets streams closed longer ago than that. */
  async trimStreams(): Promise<void> {
    const horizon = this.options.clock.now() - this.streamRetentionMs;
    for (const info of this.catalog.allStreams()) {
      if (this.closing) return;
      if (info.closedAt !== undefined && info.closedAt < horizon) {
        await this.catalog.removeStream(info);
        this.track(this.dropData(info.storageId));
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
      const indexHistory = await deleteExpired(this.storage, table, this.writeTarget(table), attribute, this.options.clock.now(), () => this.closing);
      this.indexHistory.record(indexHistory);
    }
  }

  /** A change AWS applies without a status change (TTL), after every earlier change, to the latest record. */
  async reviseTable(table: TableRecord, change: (latest: TableRecord) => TableRecord): Promise<TableRecord> {
    const revised = await this.changeTable(table, change);
    if (revised === undefined) throw new ResourceNotFoundException(messages.resourceNotFound);
    return revised;
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

  async createTable(region: string, definition: NewTable, streamLabel: (now: number) => string): Promise<TableRecord> {
    const namespace = this.namespaceOf(region);
    if (this.catalog.get(namespace, definition.TableName) !== undefined) {
      throw new ResourceInUseException(messages.tableExists(definition.TableName));
    }
    const now = this.options.clock.now();
    const delayed = this.options.tableStatusDelayMs > 0;
    const status = delayed ? 'CREATING' : 'ACTIVE';
    const record: TableRecord = {
      ...definition,
      id: randomBytes(8).toString('hex'),
      namespace,
      region,
      TableId: randomUUID(),
      TableArn: `arn:aws:dynamodb:${region}:${this.options.accountId}:table/${definition.TableName}`,
      CreationDateTime: now,
      TableStatus: status,
      GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes.map((gsi) => ({ ...gsi, IndexStatus: status })),
      ...(delayed ? { statusSettlesAt: now + this.options.tableStatusDelayMs } : {}),
      ...(definition.BillingMode === 'PAY_PER_REQUEST' ? { LastUpdateToPayPerRequestDateTime: now } : {}),
      ...(definition.StreamSpecification?.StreamEnabled ? { LatestStreamLabel: streamLabel(now) } : {}),
    };
    await this.catalog.save(record, streamTransitions(undefined, record, now));
    if (delayed) this.scheduleSettle(record);
    return record;
  }

  /** Applies a change to an ACTIVE table; with a status delay the table is UPDATING meanwhile. */
  async updateTable(table: TableRecord, change: (draft: TableRecord) => void): Promise<TableRecord> {
    const draft = await this.changeTable(table, (latest) => {
      this.assertNotInTransition(latest);
      const next = structuredClone(latest);
      change(next);
      if (this.options.tableStatusDelayMs > 0) {
        next.TableStatus = 'UPDATING';
        next.statusSettlesAt = this.options.clock.now() + this.options.tableStatusDelayMs;
      }
      return next;
    });
    if (draft === undefined) throw new ResourceNotFoundException(messages.tableNotFound(table.TableName));
    if (draft.TableStatus !== 'ACTIVE') this.scheduleSettle(draft);
    this.startIndexWork(draft);
    return draft;
  }

  /** Changes that AWS applies without a status change (tags). */
  async saveTable(table: TableRecord): Promise<void> {
    await this.catalog.save(table);
  }

  async deleteTable(table: TableRecord): Promise<TableRecord> {
    this.assertNotInTransition(table);
    // A ValidationException, as DynamoDB answers (recorded against live DynamoDB).
    if (table.DeletionProtectionEnabled) throw new ValidationException(messages.deletionProtected);
    const deleting: TableRecord = { ...table, TableStatus: 'DELETING' };
    if (this.options.tableStatusDelayMs > 0) {
      deleting.statusSettlesAt = this.options.clock.now() + this.options.tableStatusDelayMs;
      await this.catalog.save(deleting);
      this.scheduleSettle(deleting);
    } else {
      await this.removeTable(deleting);
    }
    return deleting;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    if (this.trimmer !== undefined) clearInterval(this.trimmer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.background]);
    await this.storage.close();
  }

  private assertNotInTransition(table: TableRecord): void {
    if (table.TableStatus === 'CREATING') throw new ResourceInUseException(messages.tableBeingCreated(table.TableName));
    if (table.TableStatus === 'UPDATING') throw new ResourceInUseException(messages.tableBeingUpdated(table.TableName));
    if (table.TableStatus === 'DELETING') throw new ResourceInUseException(messages.tableBeingDeleted(table.TableName));
  }

  private scheduleSettle(table: TableRecord): void {
    const wait = Math.max(0, (table.statusSettlesAt ?? 0) - this.options.clock.now());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.settle(table.namespace, table.TableName, table.id));
    }, wait);
    timer.unref();
    this.timers.add(timer);
  }

  private async settle(namespace: string, name: string, id: string): Promise<void> {
    const table = this.catalog.get(namespace, name);
    if (table === undefined || table.id !== id) return;
    if (table.TableStatus === 'DELETING') return this.removeTable(table);
    await this.changeTable(table, (latest) => {
      if (latest.TableStatus === 'DELETING') return undefined;
      const settled = structuredClone(latest);
      settled.TableStatus = 'ACTIVE';
      delete settled.statusSettlesAt;
      // An index being built or dropped settles when that work ends.
      for (const index of settled.GlobalSecondaryIndexes) if (index.Backfilling !== true && index.IndexStatus !== 'DELETING') index.IndexStatus = 'ACTIVE';
      return settled;
    });
  }

  /**
   * Runs one change of a table's record, after every earlier one, on the latest record with the same
   * id (undefined when the table is gone); `change` returns the record to save, or undefined for none.
   */
  private changeTable(table: TableRecord, change: (latest: TableRecord) => TableRecord | undefined): Promise<TableRecord | undefined> {
    const run = this.changes.then(async () => {
      const latest = this.catalog.get(table.namespace, table.TableName);
      if (latest === undefined || latest.id !== table.id) return undefined;
      const next = change(latest);
      if (next !== undefined) await this.catalog.save(next, streamTransitions(latest, next, this.options.clock.now()));
      return next;
    });
    this.changes = run.catch(() => undefined);
    return run;
  }

  /** Starts the background work an index change needs: a build for a new GSI, a drop for a deleted one. */
  private startIndexWork(table: TableRecord): void {
    for (const gsi of table.GlobalSecondaryIndexes) {
      const work = `${table.id}/${gsi.IndexName}`;
      if (this.indexWork.has(work)) continue;
      if (gsi.Backfilling === true) {
        this.indexWork.add(work);
        this.track(this.buildIndex(table, gsi.IndexName).finally(() => this.indexWork.delete(work)));
      } else if (gsi.IndexStatus === 'DELETING') {
        this.indexWork.add(work);
        this.track(this.dropIndex(table, gsi.IndexName).finally(() => this.indexWork.delete(work)));
      }
    }
  }

  private async buildIndex(table: TableRecord, name: string): Promise<void> {
    const index = tableIndexes(table).find((i) => i.name === name);
    if (index === undefined) return;
    const stillWanted = (): boolean => {
      const latest = this.catalog.get(table.namespace, table.TableName);
      return !this.closing && latest?.id === table.id && latest.GlobalSecondaryIndexes.some((g) => g.IndexName === name && g.Backfilling === true);
    };
    const started = this.options.clock.now();
    const items = await backfillIndex(this.storage, table.id, index, stillWanted);
    if (!stillWanted()) return;
    await this.changeTable(table, (latest) => {
      const next = structuredClone(latest);
      const gsi = next.GlobalSecondaryIndexes.find((g) => g.IndexName === name);
      if (gsi === undefined || gsi.Backfilling !== true) return undefined;
      gsi.IndexStatus = 'ACTIVE';
      delete gsi.Backfilling;
      return next;
    });
    console.error(`stratusdb: index ${name} of ${table.TableName} is ACTIVE (${items} items backfilled in ${this.options.clock.now() - started} ms)`);
  }

  private async dropIndex(table: TableRecord, name: string): Promise<void> {
    await this.storage.dropTable(indexStorageId(table.id, name));
    await this.changeTable(table, (latest) => {
      if (!latest.GlobalSecondaryIndexes.some((g) => g.IndexName === name && g.IndexStatus === 'DELETING')) return undefined;
      const next = structuredClone(latest);
      next.GlobalSecondaryIndexes = next.GlobalSecondaryIndexes.filter((g) => g.IndexName !== name);
      return next;
    });
  }

  private async removeTable(table: TableRecord): Promise<void> {
    // Every index's entries go, also those of an index still being built or dropped.
    const ids = [table.id, ...[...table.LocalSecondaryIndexes, ...table.GlobalSecondaryIndexes].map((index) => indexStorageId(table.id, index.IndexName))];
    if (table.LocalSecondaryIndexes.length > 0) ids.push(collectionsStorageId(table.id));
    await this.catalog.remove(table, ids, streamTransitions(table, undefined, this.options.clock.now()));
    for (const id of ids) this.track(this.dropData(id));
  }

  private async dropData(tableId: string): Promise<void> {
    await this.storage.dropTable(tableId);
    await this.catalog.dropped(tableId);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => console.error('stratusdb: background table work failed', error));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }
}
