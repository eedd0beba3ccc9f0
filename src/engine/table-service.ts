// The tables of the engine as callers see them: finding a table by region and name (as each
// operation must: in whatever status, or only a usable one), listing, live statistics, TTL status,
// and the lifecycle changes (table-lifecycle.ts). Regions map to namespaces (one in --shared-db).
import { ResourceNotFoundException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { TableRecord } from '../model/table.js';
import type { Storage, TableStats } from '../storage/storage.js';
import type { Catalog } from './catalog.js';
import type { Clock } from '../model/clock.js';
import { tableIndexes } from './indexes.js';
import type { NewTable, TableLifecycle } from './table-lifecycle.js';
import { ttlStatus, type TtlStatus } from './ttl-status.js';

/** The namespace every region maps to in shared mode. */
const sharedNamespace = 'shared';

/** A table's statistics and, by index name, its indexes'. */
export interface TableStatistics extends TableStats {
  readonly indexes?: ReadonlyMap<string, TableStats>;
}

export interface TableServiceOptions {
  readonly clock: Clock;
  readonly sharedDb: boolean;
  readonly ttlTransitionMs: number;
  /** UpdateTimeToLive refuses a change this soon after the last (AWS: 1 hour). */
  readonly ttlChangeIntervalMs: number;
}

export class TableService {
  constructor(
    private readonly catalog: Catalog,
    private readonly lifecycle: TableLifecycle,
    private readonly storage: Storage,
    private readonly options: TableServiceOptions,
  ) {}

  namespaceOf(region: string): string {
    return this.options.sharedDb ? sharedNamespace : region;
  }

  /** A table of the region (a strongly consistent global table's witness is none: it serves no request). */
  find(region: string, name: string): TableRecord | undefined {
    const table = this.catalog.get(this.namespaceOf(region), name);
    return table?.replication?.witness === true ? undefined : table;
  }

  /** For DescribeTable/UpdateTable/DeleteTable/tags: the table in whatever status, or "…: Table: X not found". */
  require(region: string, name: string): TableRecord {
    const table = this.find(region, name);
    if (table === undefined) throw new ResourceNotFoundException(messages.tableNotFound(name));
    return table;
  }

  /** For item operations: a table still being created or already being deleted does not exist yet. */
  requireUsable(region: string, name: string): TableRecord {
    const table = this.find(region, name);
    if (table === undefined || table.TableStatus === 'CREATING' || table.TableStatus === 'DELETING') {
      throw new ResourceNotFoundException(messages.resourceNotFound);
    }
    return table;
  }

  /** The usable table after a write found its record changed (see ItemWriter): read again from storage. */
  async refreshUsable(table: TableRecord): Promise<TableRecord> {
    const latest = await this.catalog.refresh(table.namespace, table.TableName);
    if (latest === undefined || latest.TableStatus === 'CREATING' || latest.TableStatus === 'DELETING') {
      throw new ResourceNotFoundException(messages.resourceNotFound);
    }
    return latest;
  }

  /** Table names of a region in ListTables order. */
  names(region: string): string[] {
    const namespace = this.namespaceOf(region);
    return this.catalog.names(namespace).filter((name) => this.catalog.get(namespace, name)?.replication?.witness !== true);
  }

  all(): TableRecord[] {
    return this.catalog.all();
  }

  /** The table's live statistics, with each index's under its name. */
  async stats(table: TableRecord): Promise<TableStatistics> {
    const indexes = new Map<string, TableStats>();
    for (const index of tableIndexes(table)) indexes.set(index.name, await this.storage.tableStats(index.id));
    return { ...(await this.storage.tableStats(table.id)), indexes };
  }

  /** The TTL status of a table now. */
  ttlStatus(table: TableRecord): TtlStatus {
    return ttlStatus(table.TimeToLive, this.options.clock.now(), this.options.ttlTransitionMs);
  }

  create(region: string, definition: NewTable, streamLabel: (now: number) => string): Promise<TableRecord> {
    return this.lifecycle.create(this.namespaceOf(region), region, definition, streamLabel);
  }

  /** UpdateTable: `change` runs on the table's latest record (it may throw); UPDATING meanwhile with a status delay. */
  update(region: string, name: string, change: (draft: TableRecord) => void): Promise<TableRecord> {
    return this.lifecycle.update(this.namespaceOf(region), name, change);
  }

  delete(region: string, name: string): Promise<TableRecord> {
    return this.lifecycle.delete(this.namespaceOf(region), name);
  }

  /**
   * A change DynamoDB applies without a status change (tags, TTL), decided on the table's latest
   * record; a table that is gone is `missing()`'s error.
   */
  revise(region: string, name: string, change: (latest: TableRecord) => TableRecord, missing: () => Error): Promise<TableRecord> {
    return this.lifecycle.revise(this.namespaceOf(region), name, change, missing);
  }

  /**
   * UpdateTimeToLive, decided on the table's latest record: refused when it would change nothing
   * or comes too soon after the last change. Disabling keeps the attribute's name (DISABLING shows it).
   */
  updateTimeToLive(region: string, name: string, enabled: boolean, attributeName: string): Promise<TableRecord> {
    const now = this.options.clock.now();
    const gone = (): Error => new ResourceNotFoundException(messages.resourceNotFound);
    return this.revise(region, name, (latest) => {
      if (latest.TableStatus === 'CREATING' || latest.TableStatus === 'DELETING') throw gone();
      const current = latest.TimeToLive;
      if (enabled && latest.replication?.strong === true) throw new ValidationException(messages.strongTtl);
      // The attribute is checked before the interval between changes (recorded from AWS).
      if (current?.Enabled === true && attributeName !== current.AttributeName) throw new ValidationException(messages.ttlOtherAttribute(current.AttributeName));
      if (enabled && current?.Enabled === true) throw new ValidationException(messages.ttlAlreadyEnabled);
      if (!enabled && current?.Enabled !== true) throw new ValidationException(messages.ttlAlreadyDisabled);
      if (current !== undefined && now < current.ChangedAt + this.options.ttlChangeIntervalMs) throw new ValidationException(messages.ttlChangedTooOften);
      return { ...latest, TimeToLive: { AttributeName: attributeName, Enabled: enabled, ChangedAt: now } };
    }, gone);
  }
}
