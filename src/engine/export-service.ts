// ExportTableToPointInTime, DescribeExport and ListExports: a table's items as they were at a moment
// of its point-in-time recovery window (a full export), or the items changed in a period of it (an
// incremental export), in DynamoDB JSON or Amazon Ion, written in DynamoDB's S3 export layout —
// <bucket>/<prefix>/AWSDynamoDB/<id>/manifest-summary.json, manifest-files.json and data/*.gz — into
// the object store (a directory standing in for S3, or an S3-compatible service). Exports are listed
// in the catalog (export/<id>), so they are described after a restart; one a stopped process left
// IN_PROGRESS is FAILED at the next start, its files left incomplete and its manifest absent.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ExportNotFoundException, InvalidExportTimeException, PointInTimeRecoveryUnavailableException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { Clock } from '../model/clock.js';
import type { TableRecord } from '../model/table.js';
import type { Storage, StoredItem } from '../storage/storage.js';
import type { BackgroundWork } from './background-work.js';
import { exportSummary, writeDurably, writeExportData, type ExportLine } from './backups/backup-files.js';
import { fullExportLines, incrementalExportLines, type ExportFormat, type ExportViewType } from './backups/export-lines.js';
import { changedBetween, itemsAt, type ItemAt } from './recovery/recovery-snapshot.js';
import { pinLog, unpinLog } from './recovery/recovery-restore.js';
import { JobRecords } from './job-records.js';
import type { ObjectStore } from './object-stores/object-store.js';
import type { RecoveryService } from './recovery-service.js';
import { WorkProgress } from './work-progress.js';

/** DynamoDB: an incremental export covers at least 15 minutes and at most 24 hours. */
const incrementalMinMs = 15 * 60 * 1000;
const incrementalMaxMs = 24 * 60 * 60 * 1000;

export type ExportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** An export as the catalog keeps it, in DynamoDB's member names (times in epoch ms). */
export interface ExportRecord {
  readonly ExportArn: string;
  readonly ExportStatus: ExportStatus;
  readonly StartTime: number;
  readonly EndTime?: number;
  readonly ExportManifest?: string;
  readonly TableArn: string;
  readonly TableId: string;
  readonly ExportTime: number;
  readonly ClientToken?: string;
  readonly S3Bucket: string;
  readonly S3Prefix?: string;
  readonly FailureCode?: string;
  readonly FailureMessage?: string;
  readonly ExportFormat: ExportFormat;
  readonly BilledSizeBytes?: number;
  readonly ItemCount?: number;
  readonly ExportType: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT';
  /** An incremental export's period (epoch ms, `to` exclusive) and view. */
  readonly IncrementalExportSpecification?: { readonly ExportFromTime: number; readonly ExportToTime: number; readonly ExportViewType: ExportViewType };
  /** The table's key attributes (an incremental export's lines name them). */
  readonly keyNames: readonly string[];
  /** The request's region (ListExports lists a region's). */
  readonly region: string;
  readonly logId: string;
  readonly pin: string;
}

export interface ExportRequest {
  readonly region: string;
  readonly table: TableRecord;
  /** Epoch ms; undefined: now. */
  readonly exportTime: number | undefined;
  readonly bucket: string;
  readonly prefix: string | undefined;
  readonly clientToken: string | undefined;
  readonly format: ExportFormat;
  /** An incremental export's period (epoch ms; `to` undefined: the latest restorable moment) and view; undefined: a full export. */
  readonly incremental: { readonly from: number | undefined; readonly to: number | undefined; readonly view: ExportViewType } | undefined;
}

export class ExportService {
  /** Exports being written in this process, and how far each has got (DescribeExport shows it). */
  readonly progress = new WorkProgress();
  /** Exports, kept in the catalog under `export/<id>`. */
  private readonly records: JobRecords<ExportRecord>;

  constructor(
    private readonly storage: Storage,
    private readonly recovery: RecoveryService,
    private readonly background: BackgroundWork,
    private readonly options: { readonly clock: Clock; readonly store: ObjectStore; readonly s3Dir: string },
  ) {
    this.records = new JobRecords(storage, 'export/', (r) => ({ arn: r.ExportArn, StartTime: r.StartTime }));
  }

  /** ExportTableToPointInTime: the export IN_PROGRESS, its writing started. */
  async start(request: ExportRequest): Promise<ExportRecord> {
    const { table } = request;
    const pitr = table.PointInTimeRecovery;
    if (pitr === undefined) throw new PointInTimeRecoveryUnavailableException(messages.pitrUnavailable(table.TableName));
    if (request.clientToken !== undefined) {
      const same = (await this.all()).find((e) => e.ClientToken === request.clientToken && e.TableArn === table.TableArn);
      if (same !== undefined) return same;
    }
    const window = await this.recovery.window(table);
    const incremental = request.incremental;
    if (incremental !== undefined) {
      if (request.exportTime !== undefined) throw new ValidationException(messages.incrementalExportTime);
      if (incremental.from === undefined) throw new ValidationException(messages.incrementalFromMissing);
    }
    const at = incremental?.to ?? request.exportTime ?? window.latest;
    const from = incremental?.from ?? at;
    if (at === undefined || from === undefined || window.earliest === undefined || window.latest === undefined || from < window.earliest || at > window.latest) {
      throw new InvalidExportTimeException(messages.invalidExportTime);
    }
    if (incremental !== undefined && (at - from < incrementalMinMs || at - from > incrementalMaxMs)) throw new ValidationException(messages.incrementalPeriod);
    const now = this.options.clock.now();
    const id = `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
    // A directory standing in for S3 refuses a prefix that would lead out of the bucket's.
    if (!this.options.store.keyInside(request.bucket, exportKey(request.prefix, id))) throw new ValidationException(messages.s3PrefixOutside);
    const pin = `${now}/export-${id}`;
    const moment = await pinLog(this.storage, pitr.logId, pin, at, request.exportTime === undefined && incremental?.to === undefined).catch((error: unknown) => {
      throw error instanceof Error && error.name === 'InvalidRestoreTimeException' ? new InvalidExportTimeException(messages.invalidExportTime) : error;
    });
    const record: ExportRecord = {
      ExportArn: `${table.TableArn}/export/${id}`, ExportStatus: 'IN_PROGRESS', StartTime: now, TableArn: table.TableArn, TableId: table.TableId, ExportTime: moment,
      ...(request.clientToken === undefined ? {} : { ClientToken: request.clientToken }), S3Bucket: request.bucket,
      ...(request.prefix === undefined ? {} : { S3Prefix: request.prefix }), ExportFormat: request.format,
      ExportType: incremental === undefined ? 'FULL_EXPORT' : 'INCREMENTAL_EXPORT',
      ...(incremental === undefined ? {} : { IncrementalExportSpecification: { ExportFromTime: from, ExportToTime: moment, ExportViewType: incremental.view } }),
      keyNames: table.KeySchema.map((k) => k.AttributeName), region: request.region, logId: pitr.logId, pin,
    };
    await this.save(record);
    this.background.trackJob(() => this.run(record, id));
    return record;
  }

  async find(arn: string): Promise<ExportRecord> {
    const found = await this.records.find(arn);
    if (found === undefined) throw new ExportNotFoundException(messages.exportNotFound(arn));
    return found;
  }

  /** Every export, oldest first. */
  all(): Promise<ExportRecord[]> {
    return this.records.all();
  }

  /** The recovery-log pins of exports being written (folding must wait for them). */
  async pinsInUse(): Promise<string[]> {
    return (await this.all()).filter((e) => e.ExportStatus === 'IN_PROGRESS').map((e) => e.pin);
  }

  /** At start: exports a stopped process left IN_PROGRESS are FAILED, their pins released. */
  async resume(): Promise<void> {
    for (const record of await this.all()) {
      if (record.ExportStatus !== 'IN_PROGRESS') continue;
      await this.save({ ...record, ExportStatus: 'FAILED', EndTime: this.options.clock.now(), FailureCode: 'ServerStopped', FailureMessage: 'The server stopped before the export was written' });
      await unpinLog(this.storage, record.logId, record.pin).catch(() => undefined);
    }
  }

  private async run(record: ExportRecord, id: string): Promise<void> {
    const key = exportKey(record.S3Prefix, id);
    // Written in place into a directory standing in for S3; else staged here, then published to S3.
    const inPlace = this.options.store.inPlace(record.S3Bucket, key);
    const dir = inPlace ?? join(this.options.s3Dir, '.staging', `export-${id}`);
    try {
      await mkdir(dir, { recursive: true });
      const lines = this.progress.track(record.ExportArn, `export ${id} of ${record.TableArn}`, this.lines(record));
      const { files, itemCount, sizeBytes } = await writeExportData(dir, key, lines, record.ExportFormat === 'ION' ? 'ion' : 'json');
      const started = new Date(record.StartTime).toISOString();
      await writeDurably(join(dir, 'manifest-summary.json'), JSON.stringify(exportSummary({
        exportArn: record.ExportArn, startTime: started, endTime: new Date(this.options.clock.now()).toISOString(), exportTime: new Date(record.ExportTime).toISOString(),
        tableArn: record.TableArn, tableId: record.TableId, s3Bucket: record.S3Bucket, s3Prefix: record.S3Prefix ?? null, manifestFilesS3Key: `${key}manifest-files.json`, billedSizeBytes: sizeBytes, itemCount, outputFormat: record.ExportFormat, exportType: record.ExportType,
      })));
      // The summary last, as on a directory: an export without it is not whole.
      if (inPlace === undefined) await this.options.store.publish(record.S3Bucket, key, dir, [...files.map((f) => `data/${f}`), 'manifest-files.json', 'manifest-summary.json']);
      await this.save({ ...record, ExportStatus: 'COMPLETED', EndTime: this.options.clock.now(), ExportManifest: `${key}manifest-summary.json`, ItemCount: itemCount, BilledSizeBytes: sizeBytes });
    } catch (error) {
      if (this.background.closing) return; // FAILED at the next start
      await this.save({ ...record, ExportStatus: 'FAILED', EndTime: this.options.clock.now(), FailureCode: 'ExportFailed', FailureMessage: error instanceof Error ? error.message : String(error) });
    } finally {
      if (inPlace === undefined) await rm(dir, { recursive: true, force: true });
      if (!this.background.closing) await unpinLog(this.storage, record.logId, record.pin).catch(() => undefined);
    }
  }

  /** The export's data lines: the items of its moment, or the items changed in its period. */
  private async *lines(record: ExportRecord): AsyncGenerator<ExportLine[]> {
    const period = record.IncrementalExportSpecification;
    if (period === undefined) {
      yield* fullExportLines(itemsOnly(itemsAt(this.storage, record.logId, record.ExportTime)), record.ExportFormat);
      return;
    }
    const changes = await changedBetween(this.storage, record.logId, period.ExportFromTime, period.ExportToTime);
    yield incrementalExportLines(changes, record.ExportFormat, period.ExportViewType, record.keyNames);
  }

  private save(record: ExportRecord): Promise<void> {
    return this.records.save(record);
  }
}

/** Where in its bucket an export goes: `<prefix>/AWSDynamoDB/<id>/`, as DynamoDB writes it. */
function exportKey(prefix: string | undefined, id: string): string {
  return `${prefix === undefined || prefix === '' ? '' : `${prefix.replace(/\/+$/, '')}/`}AWSDynamoDB/${id}/`;
}

async function* itemsOnly(pages: AsyncIterable<readonly ItemAt[]>): AsyncGenerator<StoredItem[]> {
  for await (const page of pages) yield page.map((entry) => entry.item);
}

