// Point-in-time recovery of the engine's tables: enabling and disabling it (each enablement starts a
// recovery log, engine/recovery/, and copies the table into its base in the background), the window
// a restore can reach, restoring a table to a moment as a new table (CREATING with a RestoreSummary
// until the copy is made, then ACTIVE), resuming copies and restores a stopped process left, and
// folding changes that left the window into the base. Long work runs under leases, as other
// background jobs, so one process does it when several share a store.
import { randomUUID } from 'node:crypto';
import { ContinuousBackupsUnavailableException, InvalidRestoreTimeException, PointInTimeRecoveryUnavailableException, TableNotFoundException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { Clock } from '../model/clock.js';
import type { TableRecord } from '../model/table.js';
import { RestoreWork, type RestoreParts } from './restore-work.js';
import { buildBase } from './recovery/recovery-base.js';
import { markKey, parseMark, recoveryLogId } from './recovery/recovery-log.js';
import { foldLog } from './recovery/recovery-prune.js';
import { pinLog, releaseStalePins, restoreFromLog, unpinLog } from './recovery/recovery-restore.js';
import type { NewTable } from './table-lifecycle.js';

const dayMs = 24 * 60 * 60 * 1000;
/** A pin no restore in the catalog holds is released once it is this old. */
const stalePinMs = 10 * 60 * 1000;
/** DynamoDB's recovery period when UpdateContinuousBackups names none. */
const defaultPeriodDays = 35;

export interface RecoveryOptions {
  readonly clock: Clock;
  /** LatestRestorableDateTime is this long before now (AWS: about five minutes). */
  readonly latestLagMs: number;
}

/** DescribeContinuousBackups' view of a table. */
export interface RecoveryWindow {
  readonly enabled: boolean;
  readonly periodDays?: number;
  /** Epoch ms; absent while the table's first copy is being made. */
  readonly earliest?: number;
  readonly latest?: number;
}

export interface RestoreRequest {
  readonly region: string;
  readonly source: TableRecord;
  /** Epoch ms, or 'latest' (UseLatestRestorableTime). */
  readonly at: number | 'latest';
  /** The new table's definition: the source's, with the request's overrides. */
  readonly definition: NewTable;
}

export class RecoveryService extends RestoreWork {
  constructor(
    parts: RestoreParts,
    private readonly options: RecoveryOptions,
  ) {
    super(parts);
  }

  /** The recovery window of a table now. */
  async window(table: TableRecord): Promise<RecoveryWindow> {
    const pitr = table.PointInTimeRecovery;
    if (pitr === undefined) return { enabled: false };
    const mark = parseMark(await this.storage.getItem({ tableId: pitr.logId, key: markKey }));
    const now = this.options.clock.now();
    const latest = now - this.options.latestLagMs;
    if (mark.from === undefined) return { enabled: true, periodDays: pitr.RecoveryPeriodInDays };
    const earliest = Math.min(latest, Math.max(mark.from, now - pitr.RecoveryPeriodInDays * dayMs));
    return { enabled: true, periodDays: pitr.RecoveryPeriodInDays, earliest, latest };
  }

  /**
   * UpdateContinuousBackups on the table's latest record: enabling starts a new log (and its copy),
   * changing the period keeps the log, disabling drops it.
   */
  async update(namespace: string, name: string, enabled: boolean, periodDays: number | undefined): Promise<TableRecord> {
    const now = this.options.clock.now();
    const nonce = randomUUID();
    const { record, dropped } = await this.catalog.change<{ record: TableRecord; dropped: string | undefined }>(namespace, name, (current) => {
      if (current === undefined || current.TableStatus === 'DELETING') throw new TableNotFoundException(messages.backupTableNotFound(name));
      // As on AWS, a table's backups are enabled once it is made.
      if (current.TableStatus === 'CREATING') throw new ContinuousBackupsUnavailableException(messages.backupsBeingEnabled(name));
      const pitr = current.PointInTimeRecovery;
      if (!enabled) {
        if (pitr === undefined) return { result: { record: current, dropped: undefined } };
        const next = { ...current };
        delete next.PointInTimeRecovery;
        return { record: next, dropping: [pitr.logId], result: { record: next, dropped: pitr.logId } };
      }
      const period = periodDays ?? pitr?.RecoveryPeriodInDays ?? defaultPeriodDays;
      if (pitr !== undefined && pitr.RecoveryPeriodInDays === period) return { result: { record: current, dropped: undefined } };
      const next: TableRecord = {
        ...current,
        PointInTimeRecovery: pitr === undefined ? { RecoveryPeriodInDays: period, since: now, logId: recoveryLogId(current.id, now, nonce) } : { ...pitr, RecoveryPeriodInDays: period },
      };
      return { record: next, result: { record: next, dropped: undefined } };
    });
    if (dropped !== undefined) this.lifecycle.drop([dropped]);
    this.startWork(record);
    return record;
  }

  /** RestoreTableToPointInTime: the new table, CREATING, its copy started. */
  async restore(request: RestoreRequest): Promise<TableRecord> {
    const { source } = request;
    const pitr = source.PointInTimeRecovery;
    if (pitr === undefined) throw new PointInTimeRecoveryUnavailableException(messages.pitrUnavailable(source.TableName));
    const window = await this.window(source);
    const at = request.at === 'latest' ? window.latest : request.at;
    if (at === undefined || window.earliest === undefined || window.latest === undefined || at < window.earliest || at > window.latest) {
      throw new InvalidRestoreTimeException(messages.invalidRestoreTime);
    }
    // Dated, so that a pin whose restore never came to be (a crash right after pinning) can be told stale.
    const pin = `${this.options.clock.now()}/${randomUUID()}`;
    const moment = await pinLog(this.storage, pitr.logId, pin, at, request.at === 'latest');
    try {
      const created = await this.lifecycle.create(source.namespace, request.region, request.definition, () => '', {
        RestoreSummary: { SourceTableArn: source.TableArn, RestoreDateTime: moment, RestoreInProgress: true, logId: pitr.logId, pin },
      });
      this.startWork(created);
      return created;
    } catch (error) {
      await unpinLog(this.storage, pitr.logId, pin);
      throw error;
    }
  }

  /** At start: copies and restores a stopped process left unfinished. */
  resume(): void {
    for (const table of this.catalog.all()) this.startWork(table);
  }

  /**
   * Folds every log's changes older than its window into its base — first releasing pins no restore
   * (nor any of `otherPins`: exports being written) holds any more (one a crash left between a
   * restore's end and its unpinning, or between pinning and making its table), once they are older
   * than any restore could still be starting.
   */
  async prune(otherPins: readonly string[] = []): Promise<void> {
    const now = this.options.clock.now();
    const tables = this.catalog.all();
    const held = new Set(tables.flatMap((t) => (t.RestoreSummary?.RestoreInProgress === true && t.RestoreSummary.pin !== undefined ? [t.RestoreSummary.pin] : [])));
    for (const pin of otherPins) held.add(pin);
    for (const table of tables) {
      const pitr = table.PointInTimeRecovery;
      if (this.background.closing) return;
      if (pitr === undefined) continue;
      await releaseStalePins(this.storage, pitr.logId, (pin) => held.has(pin) || Number(pin.split('/')[0]) > now - stalePinMs);
      await foldLog(this.storage, pitr.logId, now - pitr.RecoveryPeriodInDays * dayMs, () => !this.background.closing);
    }
  }

  /** Starts what a table's record asks for and no process of this engine runs yet: a first copy, a restore. */
  private startWork(table: TableRecord): void {
    // A restore from a point in time (one from a backup is the backup service's).
    const restoring = table.RestoreSummary?.RestoreInProgress === true && table.RestoreSummary.logId !== undefined;
    if (!restoring && table.PointInTimeRecovery === undefined) return;
    // A first copy is no job DynamoDB shows: a test holding jobs does not hold it.
    this.runOnce(`${table.id}/${restoring ? 'restore' : table.PointInTimeRecovery?.logId}`, () => (restoring ? this.runRestore(table) : this.runCopy(table)), restoring);
  }

  private async runCopy(table: TableRecord): Promise<void> {
    const logId = table.PointInTimeRecovery?.logId;
    if (logId === undefined) return;
    const stillWanted = (): boolean => !this.background.closing && this.catalog.get(table.namespace, table.TableName)?.PointInTimeRecovery?.logId === logId;
    await this.underLease(`recovery-copy/${logId}`, async () => {
      await buildBase(this.storage, table.id, logId, this.options.clock, stillWanted);
    });
  }

  private async runRestore(table: TableRecord): Promise<void> {
    const summary = table.RestoreSummary;
    if (summary?.logId === undefined || summary.pin === undefined) return;
    const { logId, pin } = summary;
    const current = (): TableRecord | undefined => {
      const latest = this.catalog.get(table.namespace, table.TableName);
      return latest?.id === table.id ? latest : undefined;
    };
    await this.underLease(`restore/${table.id}`, async () => {
      const record = current();
      if (record?.RestoreSummary?.RestoreInProgress !== true || this.background.closing) return;
      const started = this.options.clock.now();
      const written = await restoreFromLog(this.storage, logId, summary.RestoreDateTime, { table: record, target: this.targetOf(record), writer: this.writer }, () => !this.background.closing && current() !== undefined);
      if (this.background.closing) return;
      if (written === undefined) {
        // The source's log went away (its recovery was disabled, or it was deleted): the restore cannot finish.
        console.error(`stratusdb: the restore of ${table.TableName} failed: the source table's point-in-time recovery was disabled or the table deleted`);
        await this.lifecycle.abandon(table);
        return;
      }
      await this.lifecycle.finishFill(table);
      await unpinLog(this.storage, logId, pin);
      console.error(`stratusdb: ${table.TableName} restored to ${new Date(summary.RestoreDateTime).toISOString()} (${written} item writes in ${this.options.clock.now() - started} ms)`);
    });
  }
}
