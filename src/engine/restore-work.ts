// What the services that make tables from saved data (point-in-time recovery, on-demand backups) work
// with — the catalog and lifecycle to make and finish the new table, the store to read, the item writer
// (and each table's write target) to fill it, the background work that runs the copy, the leases that
// make one process of several run each job — and their base.
import type { TableRecord } from '../model/table.js';
import type { Storage } from '../storage/storage.js';
import type { BackgroundWork } from './background-work.js';
import type { Catalog } from './catalog.js';
import type { WriteTarget } from './item-collections.js';
import type { ItemWriter } from './item-writer.js';
import type { Leases } from './leases.js';
import type { TableLifecycle } from './table-lifecycle.js';

export interface RestoreParts {
  readonly catalog: Catalog;
  readonly lifecycle: TableLifecycle;
  readonly storage: Storage;
  readonly writer: ItemWriter;
  readonly targetOf: (table: TableRecord) => WriteTarget;
  readonly background: BackgroundWork;
  readonly leases: Leases;
}

/** The base of those services: the parts, and the jobs this process runs (a job runs once at a time). */
export abstract class RestoreWork {
  protected readonly catalog: Catalog;
  protected readonly lifecycle: TableLifecycle;
  protected readonly storage: Storage;
  protected readonly writer: ItemWriter;
  protected readonly targetOf: (table: TableRecord) => WriteTarget;
  protected readonly background: BackgroundWork;
  protected readonly leases: Leases;
  /** Jobs running in this process, by name. */
  private readonly running = new Set<string>();

  constructor(parts: RestoreParts) {
    this.catalog = parts.catalog;
    this.lifecycle = parts.lifecycle;
    this.storage = parts.storage;
    this.writer = parts.writer;
    this.targetOf = parts.targetOf;
    this.background = parts.background;
    this.leases = parts.leases;
  }

  /**
   * Runs `job` in the background unless a job of this name already runs in this process. A job with a
   * status DynamoDB shows (`shown`: a backup, a restore, an import) waits while a test holds jobs.
   */
  protected runOnce(name: string, job: () => Promise<void>, shown = true): void {
    if (this.running.has(name)) return;
    this.running.add(name);
    const run = (): Promise<void> => job().finally(() => this.running.delete(name));
    if (shown) this.background.trackJob(run);
    else this.background.track(run());
  }

  /** Runs `job` once this process holds lease `name` (another process sharing the store may run it first). */
  protected async underLease(name: string, job: () => Promise<void>): Promise<void> {
    while (!(await this.leases.hold(name))) {
      if (this.background.closing) return;
      await new Promise((resolve) => setTimeout(resolve, this.leases.termMs / 3).unref());
    }
    try {
      await job();
    } finally {
      await this.leases.release(name);
    }
  }
}
