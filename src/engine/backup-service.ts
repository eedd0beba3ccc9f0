// On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup, RestoreTableFromBackup):
// files in DynamoDB's export layout under the backup directory (backups/backup-files.ts), outside the
// store, so they survive its loss and restore onto any storage engine. A backup reads the table page
// by page while writes go on — as DynamoDB documents for its own backups, items written during the
// backup may or may not be in it. A backup or a restore a stopped process left unfinished is made
// again at the next start.
import { randomBytes } from 'node:crypto';
import { BackupInUseException, BackupNotFoundException, TableInUseException, TableNotFoundException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { AttributeMap } from '../model/attribute-value.js';
import type { Clock } from '../model/clock.js';
import { itemSizeBytes } from '../model/item-size.js';
import type { TableRecord } from '../model/table.js';
import { backupId, beginBackup, listBackups, readBackup, readBackupItems, removeBackup, writeBackup, type BackupHeader, type BackupItem, type BackupType, type StoredBackup } from './backups/backup-files.js';
import { rangePages } from './range-pages.js';
import { RestoreWork, type RestoreParts } from './restore-work.js';
import { WorkProgress } from './work-progress.js';
import { keyFromItem } from './item-key.js';
import type { ItemWrite } from './item-writer.js';
import type { NewTable } from './table-lifecycle.js';

/** Items read from a table per page of a backup: small, so that writers are served between pages. */
const backupPageItems = 64;
/** How long AWS keeps the system backup of a deleted table with point-in-time recovery. */
const systemBackupDays = 35;
/** Items per transaction restored. */
const restorePageItems = 512;

export interface BackupOptions {
  readonly clock: Clock;
  /** Where backups are kept. */
  readonly backupDir: string;
}

export interface RestoreFromBackupRequest {
  readonly region: string;
  readonly backup: StoredBackup & { readonly status: 'AVAILABLE' };
  readonly definition: NewTable;
}

export class BackupService extends RestoreWork {
  /** Backups being made in this process, and how far each has got (DescribeBackup shows the bytes). */
  readonly progress = new WorkProgress();

  constructor(
    parts: RestoreParts,
    private readonly options: BackupOptions,
  ) {
    super(parts);
  }

  /** CreateBackup of an ACTIVE (or UPDATING) table: answers at once, the backup CREATING. */
  async create(table: TableRecord | undefined, name: string, backupName: string): Promise<BackupHeader> {
    if (table === undefined) throw new TableNotFoundException(messages.backupTableNotFound(name));
    if (table.TableStatus === 'CREATING' || table.TableStatus === 'DELETING') throw new TableInUseException(messages.restoreTargetInUse(name));
    const header = newBackup(table, backupName, 'USER', this.options.clock.now());
    // Durable before the answer: a backup the caller was told about is made even if this process dies.
    await beginBackup(this.options.backupDir, header);
    this.startBackup(header, true);
    return header;
  }

  /**
   * The system backup DeleteTable makes of a table with point-in-time recovery, as AWS does: made
   * whole before the table goes, kept 35 days (then gone: expire()).
   */
  async systemBackup(table: TableRecord): Promise<void> {
    const now = this.options.clock.now();
    const header = { ...newBackup(table, `${table.TableName}$DeletedTableBackup`, 'SYSTEM', now), BackupExpiryDateTime: now + systemBackupDays * 24 * 60 * 60 * 1000 };
    await beginBackup(this.options.backupDir, header);
    await this.runBackup(header, true);
  }

  /** A backup by ARN, or BackupNotFoundException (also once it has expired). */
  async find(arn: string): Promise<StoredBackup> {
    const found = await readBackup(this.options.backupDir, backupId(arn));
    const header = found === undefined ? undefined : headerOf(found);
    if (found === undefined || header?.BackupArn !== arn || this.expired(found)) throw new BackupNotFoundException(messages.backupNotFound(arn));
    return found;
  }

  /** Every backup kept and not expired, oldest first. */
  async list(): Promise<StoredBackup[]> {
    return (await listBackups(this.options.backupDir)).filter((stored) => !this.expired(stored));
  }

  /** Removes the backups whose expiry has passed (a SYSTEM backup's 35 days), as AWS removes them. */
  async expire(): Promise<void> {
    for (const stored of await listBackups(this.options.backupDir)) {
      if (this.expired(stored)) await removeBackup(this.options.backupDir, backupId(headerOf(stored).BackupArn));
    }
  }

  private expired(stored: StoredBackup): boolean {
    const expiry = headerOf(stored).BackupExpiryDateTime;
    return expiry !== undefined && expiry <= this.options.clock.now();
  }

  /** DeleteBackup: refused while the backup is being made, and for a SYSTEM backup (it expires on its own, as on AWS). */
  async delete(arn: string): Promise<StoredBackup> {
    const found = await this.find(arn);
    const expiry = headerOf(found).BackupExpiryDateTime;
    if (headerOf(found).BackupType === 'SYSTEM' && expiry !== undefined) throw new ValidationException(messages.systemBackupDelete(arn, new Date(expiry).toISOString()));
    if (found.status === 'CREATING') throw new BackupInUseException(messages.backupInUse(arn));
    await removeBackup(this.options.backupDir, backupId(arn));
    return found;
  }

  /** RestoreTableFromBackup: the new table, CREATING, its copy started. */
  async restore(request: RestoreFromBackupRequest, namespace: string): Promise<TableRecord> {
    const { manifest } = request.backup;
    const created = await this.lifecycle.create(namespace, request.region, request.definition, () => '', {
      RestoreSummary: { SourceBackupArn: manifest.BackupArn, SourceTableArn: manifest.table.TableArn, RestoreDateTime: manifest.BackupCreationDateTime, RestoreInProgress: true },
    });
    this.startRestore(created);
    return created;
  }

  /** At start: backups and restores from backups a stopped process left unfinished are made again. */
  async resume(): Promise<void> {
    for (const stored of await this.list()) if (stored.status === 'CREATING') this.startBackup(stored.header, false);
    for (const table of this.catalog.all()) if (table.RestoreSummary?.RestoreInProgress === true && table.RestoreSummary.SourceBackupArn !== undefined) this.startRestore(table);
  }

  private startBackup(header: BackupHeader, fresh: boolean): void {
    // Nodes sharing a backup directory make each backup once.
    this.runOnce(header.BackupArn, () => this.underLease(`backup/${backupId(header.BackupArn)}`, () => this.runBackup(header, fresh)));
  }

  private async runBackup(header: BackupHeader, fresh: boolean): Promise<void> {
    const { table } = header;
    // Another node sharing the directory may have made it meanwhile.
    if ((await readBackup(this.options.backupDir, backupId(header.BackupArn)))?.status === 'AVAILABLE') return;
    // After a restart the table may be gone: the half-made backup is removed.
    const latest = this.catalog.get(table.namespace, table.TableName);
    if (!fresh && latest?.id !== table.id) {
      await removeBackup(this.options.backupDir, backupId(header.BackupArn)).catch(() => undefined);
      return;
    }
    const storage = this.storage;
    const closing = (): boolean => this.background.closing;
    async function* pages(): AsyncGenerator<BackupItem[]> {
      for await (const page of rangePages(storage, table.id, {}, backupPageItems)) {
        if (closing()) throw new Error('the server is stopping');
        yield page.map((entry) => entry.item);
        // Requests waiting meanwhile are served between pages: a backup must not stall writers.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const started = this.options.clock.now();
    let manifest;
    try {
      manifest = await writeBackup(this.options.backupDir, header, this.progress.track(header.BackupArn, `backup ${header.BackupName} of ${table.TableName}`, pages()), () => this.options.clock.now());
    } catch (error) {
      if (this.background.closing) return; // its intent stays: the next start makes it again
      throw error;
    }
    console.error(`stratusdb: backup ${header.BackupName} of ${table.TableName} is AVAILABLE (${manifest.ItemCount} items in ${this.options.clock.now() - started} ms)`);
  }

  private startRestore(table: TableRecord): void {
    this.runOnce(`${table.id}/restore`, () => this.underLease(`restore/${table.id}`, () => this.runRestore(table)));
  }

  private async runRestore(table: TableRecord): Promise<void> {
    const arn = table.RestoreSummary?.SourceBackupArn;
    if (arn === undefined) return;
    const found = await readBackup(this.options.backupDir, backupId(arn));
    if (found?.status !== 'AVAILABLE') {
      console.error(`stratusdb: the restore of ${table.TableName} failed: backup ${arn} is gone`);
      await this.lifecycle.abandon(table);
      return;
    }
    const record = this.catalog.get(table.namespace, table.TableName);
    if (record?.id !== table.id || record.RestoreSummary?.RestoreInProgress !== true) return;
    const target = this.targetOf(record);
    const started = this.options.clock.now();
    let items = 0;
    for await (const page of readBackupItems(this.options.backupDir, found.manifest, restorePageItems)) {
      if (this.background.closing) return;
      const writes = page.map((json): ItemWrite => {
        const item = JSON.parse(json) as AttributeMap;
        const stored = { json, sizeBytes: itemSizeBytes(item) };
        return { table: record, target, key: keyFromItem(record, item), decide: () => ({ next: stored, item }) };
      });
      await this.writer.write(writes);
      items += writes.length;
    }
    await this.lifecycle.finishFill(table);
    console.error(`stratusdb: ${table.TableName} restored from backup ${found.manifest.BackupName} (${items} items in ${this.options.clock.now() - started} ms)`);
  }
}

function headerOf(stored: StoredBackup): BackupHeader {
  return stored.status === 'AVAILABLE' ? stored.manifest : stored.header;
}

/** A new backup of `table` taken `now`: its ARN as DynamoDB forms one (…/backup/<14-digit ms>-<8 hex>). */
function newBackup(table: TableRecord, name: string, type: BackupType, now: number): BackupHeader {
  return {
    BackupArn: `${table.TableArn}/backup/${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`,
    BackupName: name,
    BackupType: type,
    BackupCreationDateTime: now,
    table,
  };
}
