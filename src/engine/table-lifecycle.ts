// Table lifecycle: CreateTable, UpdateTable, DeleteTable and the changes DynamoDB applies without a
// status change (tags, TTL), each one catalog transaction deciding on the table's record as storage
// holds it; then the background work a change starts — CREATING/UPDATING/DELETING settling after
// --table-status-delay-ms, a new GSI's backfill, a deleted GSI's or table's data removal.
import { randomBytes, randomUUID } from 'node:crypto';
import { LimitExceededException, ResourceInUseException, ResourceNotFoundException, TableAlreadyExistsException, TableInUseException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { ReplicationState, RestoreSummaryState, TableRecord } from '../model/table.js';
import type { Storage } from '../storage/storage.js';
import { streamTransitions } from './streams/stream-info.js';
import type { BackgroundWork } from './background-work.js';
import type { Catalog } from './catalog.js';
import type { Leases } from './leases.js';
import type { Clock } from '../model/clock.js';
import { backfillIndex } from './index-backfill.js';
import { indexStorageId, tableIndexes } from './indexes.js';
import { collectionsStorageId } from './item-collections.js';

export interface LifecycleOptions {
  readonly clock: Clock;
  readonly accountId: string;
  /** How long CREATING / UPDATING / DELETING last; 0 makes every change immediate. */
  readonly tableStatusDelayMs: number;
  /** Told how far a GSI's backfill has gone, in percent of the table's items (the OnlineIndexPercentageProgress metric). */
  readonly onIndexProgress?: (table: TableRecord, index: string, percent: number) => void;
}

/** What CreateTable decided, before the engine gives it identity, ARN and status. */
export type NewTable = Omit<
  TableRecord,
  'id' | 'namespace' | 'region' | 'TableId' | 'TableArn' | 'CreationDateTime' | 'TableStatus' | 'statusSettlesAt' | 'LatestStreamLabel'
>;

/** DynamoDB: up to 50 restores of any kind run at once in an account (per region, as its quotas are). */
export const restoresMax = 50;

/** How a new table is filled before it is ACTIVE: by a restore (its summary) or by ImportTable (the import's id). */
export type TableFill = { readonly RestoreSummary: RestoreSummaryState } | { readonly importId: string } | { readonly replication: ReplicationState };

export class TableLifecycle {
  /** Index builds and drops under way, by table id and index name. */
  private readonly indexWork = new Set<string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly storage: Storage,
    private readonly options: LifecycleOptions,
    private readonly background: BackgroundWork,
    private readonly leases: Leases,
  ) {}

  /** At start: resumes data removal, status settling and index work left by the last run. */
  resume(dropping: readonly string[]): void {
    for (const id of dropping) this.background.track(this.dropData(id));
    for (const table of this.catalog.all()) {
      if (table.TableStatus !== 'ACTIVE') this.scheduleSettle(table);
      this.startIndexWork(table);
    }
  }

  /**
   * CreateTable, and the new table of a restore or an import (`fill`): that one is CREATING until its
   * items are in (finishFill), whatever the status delay.
   */
  async create(namespace: string, region: string, definition: NewTable, streamLabel: (now: number) => string, fill?: TableFill): Promise<TableRecord> {
    const now = this.options.clock.now();
    const delayed = this.options.tableStatusDelayMs > 0 && fill === undefined;
    const status = delayed || fill !== undefined ? 'CREATING' : 'ACTIVE';
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
      ...fill,
    };
    const created = await this.catalog.change(namespace, definition.TableName, (current) => {
      if (current !== undefined) {
        if (fill === undefined || !('RestoreSummary' in fill)) throw new ResourceInUseException(messages.tableExists(definition.TableName));
        if (current.TableStatus === 'CREATING' || current.TableStatus === 'DELETING') throw new TableInUseException(messages.restoreTargetInUse(definition.TableName));
        throw new TableAlreadyExistsException(messages.tableExists(definition.TableName));
      }
      if (fill !== undefined && 'RestoreSummary' in fill && this.restoresInProgress(region) >= restoresMax) throw new LimitExceededException(messages.restoreLimit(restoresMax));
      return { record, streams: streamTransitions(undefined, record, now), result: record };
    });
    if (delayed) this.scheduleSettle(record);
    // As the catalog saved it (with its version, which item writes are guarded by).
    return this.catalog.get(namespace, definition.TableName) ?? created;
  }

  /** Restores (from backups and to points in time) into tables of `region` not yet finished. */
  private restoresInProgress(region: string): number {
    let count = 0;
    for (const table of this.catalog.all()) if (table.region === region && table.RestoreSummary?.RestoreInProgress === true) count++;
    return count;
  }

  /** A restore's copy or an import is made: the table is ACTIVE, a restore's summary says it is over. */
  async finishFill(table: TableRecord): Promise<void> {
    await this.catalog.change(table.namespace, table.TableName, (current) => {
      if (current?.id !== table.id || !filling(current)) return { result: undefined };
      const done = structuredClone(current);
      done.TableStatus = 'ACTIVE';
      for (const index of done.GlobalSecondaryIndexes) index.IndexStatus = 'ACTIVE';
      const summary = current.RestoreSummary;
      if (summary !== undefined) {
        done.RestoreSummary = {
          ...(summary.SourceBackupArn === undefined ? {} : { SourceBackupArn: summary.SourceBackupArn }),
          SourceTableArn: summary.SourceTableArn, RestoreDateTime: summary.RestoreDateTime, RestoreInProgress: false,
        };
      }
      delete done.importId;
      if (done.replication?.source !== undefined) {
        const { source: _s, ...made } = done.replication;
        done.replication = made;
      }
      return { record: done, result: undefined };
    });
  }

  /** A table whose making failed (a restore that cannot finish) is removed with what it holds. */
  async abandon(table: TableRecord): Promise<void> {
    const removed = await this.catalog.change(table.namespace, table.TableName, (current) => {
      if (current?.id !== table.id) return { result: undefined };
      return { record: null, dropping: dataOf(current), result: current };
    });
    if (removed !== undefined) this.drop(dataOf(removed));
  }

  /** Removes the data of storage ids in the background (their catalog `dropping` entries are made). */
  drop(storageIds: readonly string[]): void {
    for (const id of storageIds) this.background.track(this.dropData(id));
  }

  /** UpdateTable: a change to an ACTIVE table; with a status delay the table is UPDATING meanwhile. */
  async update(namespace: string, name: string, change: (draft: TableRecord) => void): Promise<TableRecord> {
    const now = this.options.clock.now();
    const updated = await this.catalog.change(namespace, name, (current) => {
      if (current === undefined) throw new ResourceNotFoundException(messages.tableNotFound(name));
      assertNotInTransition(current);
      const next = structuredClone(current);
      change(next);
      if (this.options.tableStatusDelayMs > 0) {
        next.TableStatus = 'UPDATING';
        next.statusSettlesAt = now + this.options.tableStatusDelayMs;
      }
      return { record: next, streams: streamTransitions(current, next, now), result: next };
    });
    if (updated.TableStatus !== 'ACTIVE') this.scheduleSettle(updated);
    this.startIndexWork(updated);
    return updated;
  }

  /**
   * A change DynamoDB applies without a status change (tags, TTL) to the latest record; `change` may
   * throw, and a table that is gone is `missing()`'s error.
   */
  async revise(namespace: string, name: string, change: (latest: TableRecord) => TableRecord, missing: () => Error): Promise<TableRecord> {
    const now = this.options.clock.now();
    return this.catalog.change(namespace, name, (current) => {
      if (current === undefined) throw missing();
      const next = change(current);
      return { record: next, streams: streamTransitions(current, next, now), result: next };
    });
  }

  /** DeleteTable: refused while the table changes state or is protected; answers the DELETING record. */
  async delete(namespace: string, name: string): Promise<TableRecord> {
    const now = this.options.clock.now();
    const delayed = this.options.tableStatusDelayMs > 0;
    const deleting = await this.catalog.change(namespace, name, (current) => {
      if (current === undefined) throw new ResourceNotFoundException(messages.tableNotFound(name));
      assertNotInTransition(current);
      // A ValidationException, as DynamoDB answers (recorded against live DynamoDB).
      if (current.DeletionProtectionEnabled) throw new ValidationException(messages.deletionProtected);
      const record: TableRecord = { ...current, TableStatus: 'DELETING' };
      if (delayed) {
        record.statusSettlesAt = now + this.options.tableStatusDelayMs;
        return { record, result: record };
      }
      return { record: null, streams: streamTransitions(current, undefined, now), dropping: dataOf(current), result: record };
    });
    if (delayed) this.scheduleSettle(deleting);
    else for (const id of dataOf(deleting)) this.background.track(this.dropData(id));
    return deleting;
  }

  private scheduleSettle(table: TableRecord): void {
    this.background.at(table.statusSettlesAt ?? 0, () => this.settle(table.namespace, table.TableName, table.id));
  }

  /** The end of a CREATING / UPDATING / DELETING period. */
  private async settle(namespace: string, name: string, id: string): Promise<void> {
    const now = this.options.clock.now();
    const removed = await this.catalog.change(namespace, name, (current) => {
      // A restore's or an import's table settles when its items are in (finishFill).
      if (current === undefined || current.id !== id || filling(current)) return { result: undefined };
      if (current.TableStatus === 'DELETING') {
        return { record: null, streams: streamTransitions(current, undefined, now), dropping: dataOf(current), result: current };
      }
      const settled = structuredClone(current);
      settled.TableStatus = 'ACTIVE';
      delete settled.statusSettlesAt;
      // An index being built or dropped settles when that work ends.
      for (const index of settled.GlobalSecondaryIndexes) if (index.Backfilling !== true && index.IndexStatus !== 'DELETING') index.IndexStatus = 'ACTIVE';
      return { record: settled, result: undefined };
    });
    if (removed !== undefined) for (const storageId of dataOf(removed)) this.background.track(this.dropData(storageId));
  }

  /** Starts the background work an index change needs: a build for a new GSI, a drop for a deleted one. */
  private startIndexWork(table: TableRecord): void {
    for (const gsi of table.GlobalSecondaryIndexes) {
      const work = `${table.id}/${gsi.IndexName}`;
      if (this.indexWork.has(work)) continue;
      if (gsi.Backfilling === true) {
        this.indexWork.add(work);
        this.background.track(this.buildIndex(table, gsi.IndexName).finally(() => this.indexWork.delete(work)));
      } else if (gsi.IndexStatus === 'DELETING') {
        this.indexWork.add(work);
        this.background.track(this.dropIndex(table, gsi.IndexName).finally(() => this.indexWork.delete(work)));
      }
    }
  }

  private async buildIndex(table: TableRecord, name: string): Promise<void> {
    const index = tableIndexes(table).find((i) => i.name === name);
    if (index === undefined) return;
    // Another process sharing the store builds it (and this one takes over if that one stops).
    const lease = `index-build/${table.id}/${name}`;
    while (!(await this.leases.hold(lease))) {
      if (this.background.closing) return;
      await new Promise((resolve) => setTimeout(resolve, this.leases.termMs / 3).unref());
    }
    const stillWanted = (): boolean => {
      const latest = this.catalog.get(table.namespace, table.TableName);
      return !this.background.closing && latest?.id === table.id && latest.GlobalSecondaryIndexes.some((g) => g.IndexName === name && g.Backfilling === true);
    };
    const started = this.options.clock.now();
    const report = this.options.onIndexProgress;
    const total = report === undefined ? 0 : (await this.storage.tableStats(table.id)).itemCount;
    report?.(table, name, 0);
    const items = await backfillIndex(this.storage, table.id, index, stillWanted, report === undefined ? undefined : (read) => report(table, name, total === 0 ? 100 : Math.min(100, (read / total) * 100)));
    if (!stillWanted()) return;
    const built = await this.catalog.change(table.namespace, table.TableName, (current) => {
      const gsi = current?.id === table.id ? current.GlobalSecondaryIndexes.find((g) => g.IndexName === name) : undefined;
      if (current === undefined || gsi === undefined || gsi.Backfilling !== true) return { result: false };
      const next = structuredClone(current);
      const built = next.GlobalSecondaryIndexes.find((g) => g.IndexName === name);
      if (built !== undefined) {
        built.IndexStatus = 'ACTIVE';
        delete built.Backfilling;
      }
      return { record: next, result: true };
    });
    await this.leases.release(lease);
    if (built) report?.(table, name, 100);
    if (built) console.error(`stratusdb: index ${name} of ${table.TableName} is ACTIVE (${items} items backfilled in ${this.options.clock.now() - started} ms)`);
  }

  private async dropIndex(table: TableRecord, name: string): Promise<void> {
    await this.storage.dropTable(indexStorageId(table.id, name));
    await this.catalog.change(table.namespace, table.TableName, (current) => {
      if (current?.id !== table.id || !current.GlobalSecondaryIndexes.some((g) => g.IndexName === name && g.IndexStatus === 'DELETING')) return { result: undefined };
      const next = structuredClone(current);
      next.GlobalSecondaryIndexes = next.GlobalSecondaryIndexes.filter((g) => g.IndexName !== name);
      return { record: next, result: undefined };
    });
  }

  private async dropData(storageId: string): Promise<void> {
    await this.storage.dropTable(storageId);
    await this.catalog.dropped(storageId);
  }
}

/**
 * Every storage id holding a table's data: its items, every index's entries (also one being built or
 * dropped), its item collections, its recovery log.
 */
export function dataOf(table: TableRecord): string[] {
  const ids = [table.id, ...[...table.LocalSecondaryIndexes, ...table.GlobalSecondaryIndexes].map((index) => indexStorageId(table.id, index.IndexName))];
  if (table.LocalSecondaryIndexes.length > 0) ids.push(collectionsStorageId(table.id));
  if (table.PointInTimeRecovery !== undefined) ids.push(table.PointInTimeRecovery.logId);
  if (table.replication !== undefined) ids.push(table.replication.logId);
  return ids;
}

function assertNotInTransition(table: TableRecord): void {
  if (table.TableStatus === 'CREATING') throw new ResourceInUseException(messages.tableBeingCreated(table.TableName));
  if (table.TableStatus === 'UPDATING') throw new ResourceInUseException(messages.tableBeingUpdated(table.TableName));
  if (table.TableStatus === 'DELETING') throw new ResourceInUseException(messages.tableBeingDeleted(table.TableName));
}

/** Whether a table is still being filled by a restore or an import. */
function filling(table: TableRecord): boolean {
  return table.RestoreSummary?.RestoreInProgress === true || table.importId !== undefined || table.replication?.source !== undefined;
}
