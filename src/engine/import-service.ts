// ImportTable, DescribeImport and ListImports: a new table made from the objects under a prefix of a
// bucket in the directory standing in for S3 (--s3-dir), in DynamoDB JSON, Amazon Ion or CSV, raw or
// compressed (GZIP, ZSTD). The table is CREATING while the items go in; an item that fails DynamoDB's
// checks is skipped, counted and written to the import's error log (as DynamoDB writes it to
// CloudWatch Logs), and the import then ends FAILED with ItemValidationError while the table keeps
// the items that passed — as DynamoDB documents. Imports are kept in the catalog (import/<id>); one a
// stopped process left IN_PROGRESS is run again from the start at the next start (its items are puts,
// so a second pass leaves the same table).
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ImportConflictException, ImportNotFoundException, LimitExceededException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { AttributeMap } from '../model/attribute-value.js';
import type { Clock } from '../model/clock.js';
import { itemSizeBytes, itemSizeBytesMax } from '../model/item-size.js';
import type { TableRecord } from '../model/table.js';
import { chunkBytes, objectBytes, type InputCompression } from './imports/import-objects.js';
import type { ObjectStore } from './object-stores/object-store.js';
import { readRecords, type CsvOptions, type ImportFormat, type SourceRecord } from './imports/import-records.js';
import { checkIndexKeys, tableIndexes } from './indexes.js';
import { keyFromItem } from './item-key.js';
import type { ItemWrite } from './item-writer.js';
import { JobRecords } from './job-records.js';
import { RestoreWork, type RestoreParts } from './restore-work.js';
import type { NewTable } from './table-lifecycle.js';

/** Items per transaction imported. */
const importPageItems = 2048;
/** DynamoDB: an import reads at most 50,000 objects. */
export const importObjectsMax = 50_000;
/** DynamoDB: up to 50 imports run at once in an account (per region, as its quotas are). */
export const importsMax = 50;
/** Progress is saved (for DescribeImport) after this many items. */
const progressEveryItems = 8192;
/** Items processed between two progress lines in the server log. */
const loggedProgressItems = 100_000;
/** Lines of the error log also written to the server log, per import. */
const loggedErrorsMax = 10;

export type ImportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface ImportSourceBucket {
  readonly S3Bucket: string;
  readonly S3BucketOwner?: string;
  readonly S3KeyPrefix?: string;
}

/** What ImportTable was asked, as DynamoDB describes it back. */
export interface ImportRequestParameters {
  readonly S3BucketSource: ImportSourceBucket;
  readonly InputFormat: ImportFormat;
  readonly InputFormatOptions?: { readonly Csv?: CsvOptions };
  readonly InputCompressionType: InputCompression;
  /** The request's TableCreationParameters, as given. */
  readonly TableCreationParameters: Readonly<Record<string, unknown>>;
}

/** An import as the catalog keeps it, in DynamoDB's member names (times in epoch ms). */
export interface ImportRecord extends ImportRequestParameters {
  readonly ImportArn: string;
  readonly ImportStatus: ImportStatus;
  readonly TableArn: string;
  readonly TableId: string;
  readonly ClientToken?: string;
  readonly CloudWatchLogGroupArn: string;
  readonly StartTime: number;
  readonly EndTime?: number;
  readonly ProcessedSizeBytes: number;
  readonly ProcessedItemCount: number;
  readonly ImportedItemCount: number;
  readonly ErrorCount: number;
  readonly FailureCode?: string;
  readonly FailureMessage?: string;
  /** The request's region (ListImports lists a region's). */
  readonly region: string;
  /** The new table: its namespace, name and storage id. */
  readonly namespace: string;
  readonly tableName: string;
  readonly tableStorageId?: string;
}

export interface ImportRequest extends ImportRequestParameters {
  readonly region: string;
  readonly namespace: string;
  readonly definition: NewTable;
  readonly clientToken: string | undefined;
}

export interface ImportOptions {
  readonly clock: Clock;
  /** Where the objects are read from. */
  readonly store: ObjectStore;
  /** The local directory standing in for S3: error logs are written under its `.logs`. */
  readonly s3Dir: string;
  readonly accountId: string;
  /** An import record (`{"Item": …}`) as DynamoDB checks an item: its attribute values checked and normalised, or a ValidationException. */
  readonly decodeItem: (record: unknown) => AttributeMap;
}

export class ImportService extends RestoreWork {
  /** Imports, kept in the catalog under `import/<id>`. */
  private readonly records: JobRecords<ImportRecord>;

  constructor(
    parts: RestoreParts,
    private readonly options: ImportOptions,
  ) {
    super(parts);
    this.records = new JobRecords(parts.storage, 'import/', (r) => ({ arn: r.ImportArn, StartTime: r.StartTime }));
  }

  /** Whether `prefix` stays inside `bucket` (a directory standing in for S3 refuses `../…`). */
  prefixInside(bucket: string, prefix: string): boolean {
    return this.options.store.keyInside(bucket, prefix);
  }

  /** Where an import's error log is written: `<s3-dir>/.logs/aws-dynamodb/imports/<import id>/error`. */
  errorLogPath(importArn: string): string {
    return join(this.options.s3Dir, '.logs', 'aws-dynamodb', 'imports', idOf(importArn), 'error');
  }

  /** ImportTable: the import IN_PROGRESS and its table CREATING (or, with no such bucket, the import FAILED and no table). */
  async start(request: ImportRequest): Promise<ImportRecord> {
    const parameters = parametersOf(request);
    const imports = await this.all();
    if (request.clientToken !== undefined) {
      const same = imports.find((i) => i.ClientToken === request.clientToken && i.region === request.region);
      if (same !== undefined) {
        if (JSON.stringify(parametersOf(same)) !== JSON.stringify(parameters)) throw new ImportConflictException(messages.importConflict(request.clientToken));
        return same;
      }
    }
    if (imports.filter((i) => i.region === request.region && i.ImportStatus === 'IN_PROGRESS').length >= importsMax) throw new LimitExceededException(messages.importLimit(importsMax));
    const now = this.options.clock.now();
    const id = `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
    const tableArn = `arn:aws:dynamodb:${request.region}:${this.options.accountId}:table/${request.definition.TableName}`;
    const base = {
      ...parameters,
      ImportArn: `${tableArn}/import/${id}`, ImportStatus: 'IN_PROGRESS' as const, TableArn: tableArn, TableId: '',
      ...(request.clientToken === undefined ? {} : { ClientToken: request.clientToken }),
      CloudWatchLogGroupArn: `arn:aws:logs:${request.region}:${this.options.accountId}:log-group:/aws-dynamodb/imports:*`,
      StartTime: now, ProcessedSizeBytes: 0, ProcessedItemCount: 0, ImportedItemCount: 0, ErrorCount: 0,
      region: request.region, namespace: request.namespace, tableName: request.definition.TableName,
    };
    if (!(await this.options.store.bucketExists(request.S3BucketSource.S3Bucket))) {
      // As DynamoDB: the failure is found before the table is made, so no table is made.
      const failed: ImportRecord = {
        ...base, TableId: randomUUID(), ImportStatus: 'FAILED', EndTime: now, FailureCode: 'S3NoSuchBucket', FailureMessage: messages.importNoBucket(request.S3BucketSource.S3Bucket),
      };
      await this.save(failed);
      return failed;
    }
    const table = await this.lifecycle.create(request.namespace, request.region, request.definition, () => '', { importId: id });
    const record: ImportRecord = { ...base, TableId: table.TableId, tableStorageId: table.id };
    await this.save(record);
    this.startImport(record);
    return record;
  }

  async find(arn: string): Promise<ImportRecord> {
    const record = await this.records.find(arn);
    if (record === undefined) throw new ImportNotFoundException(messages.importNotFound(arn));
    return record;
  }

  /** Every import, oldest first. */
  all(): Promise<ImportRecord[]> {
    return this.records.all();
  }

  /** At start: imports a stopped process left IN_PROGRESS run again from the start. */
  async resume(): Promise<void> {
    for (const record of await this.all()) if (record.ImportStatus === 'IN_PROGRESS') this.startImport(record);
  }

  private startImport(record: ImportRecord): void {
    // Nodes sharing the store run each import once.
    this.runOnce(record.ImportArn, () => this.underLease(`import/${idOf(record.ImportArn)}`, () => this.runImport(record)));
  }

  private async runImport(started: ImportRecord): Promise<void> {
    const latest = await this.find(started.ImportArn);
    if (latest.ImportStatus !== 'IN_PROGRESS') return; // another node finished it
    const table = this.catalog.get(latest.namespace, latest.tableName);
    const now = (): number => this.options.clock.now();
    if (table === undefined || table.id !== latest.tableStorageId || table.importId !== idOf(latest.ImportArn)) {
      await this.save({ ...latest, ImportStatus: 'FAILED', EndTime: now(), FailureCode: 'TableNotFound', FailureMessage: 'The table being imported into was deleted' });
      return;
    }
    const errorLog = this.errorLogPath(latest.ImportArn);
    await rm(errorLog, { force: true });
    let progress: ImportRecord = { ...latest, ProcessedSizeBytes: 0, ProcessedItemCount: 0, ImportedItemCount: 0, ErrorCount: 0 };
    const began = now();
    try {
      progress = await this.importObjects(table, progress, errorLog);
    } catch (error) {
      if (this.background.closing) return; // IN_PROGRESS: the next start runs it again
      await this.save({ ...progress, ImportStatus: 'FAILED', EndTime: now(), FailureCode: 'ImportFailed', FailureMessage: error instanceof Error ? error.message : String(error) });
      await this.lifecycle.finishFill(table);
      return;
    }
    if (this.background.closing) return;
    await this.lifecycle.finishFill(table);
    const failed = progress.ErrorCount > 0;
    await this.save({
      ...progress, ImportStatus: failed ? 'FAILED' : 'COMPLETED', EndTime: now(),
      ...(failed ? { FailureCode: 'ItemValidationError', FailureMessage: messages.importItemsInvalid } : {}),
    });
    console.error(`stratusdb: import into ${table.TableName} ${failed ? 'FAILED' : 'COMPLETED'}: ${progress.ImportedItemCount} items imported, ${progress.ErrorCount} errors, ${progress.ProcessedItemCount} processed in ${now() - began} ms`);
  }

  /** Reads every object and writes its items; the counts as they end. */
  private async importObjects(table: TableRecord, start: ImportRecord, errorLog: string): Promise<ImportRecord> {
    const source = start.S3BucketSource;
    const objects = await this.options.store.list(source.S3Bucket, source.S3KeyPrefix ?? '');
    if (objects.length > importObjectsMax) throw new Error(messages.importTooManyObjects(importObjectsMax));
    const target = this.targetOf(table);
    const indexes = tableIndexes(table);
    const keyTypes = new Map(table.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType] as const));
    const counts = { bytes: 0, processed: 0, imported: 0, errors: 0 };
    let savedAt = 0;
    const errorLines: string[] = [];
    const snapshot = (): ImportRecord => ({ ...start, ProcessedSizeBytes: counts.bytes, ProcessedItemCount: counts.processed, ImportedItemCount: counts.imported, ErrorCount: counts.errors });
    const flushErrors = async (): Promise<void> => {
      if (errorLines.length === 0) return;
      await mkdir(dirname(errorLog), { recursive: true });
      await appendFile(errorLog, errorLines.join(''));
      errorLines.length = 0;
    };
    let writes: ItemWrite[] = [];
    // One batch commits while the next is read and checked: the import's reading overlaps its writing.
    let committing: Promise<void> = Promise.resolve();
    const flushWrites = async (): Promise<void> => {
      await committing;
      if (writes.length === 0) return;
      const batch = writes;
      writes = [];
      committing = this.writer.write(batch).then(() => {
        counts.imported += batch.length;
      });
      committing.catch(() => undefined); // its failure is met where it is awaited
      if (counts.processed - savedAt >= progressEveryItems) {
        if (Math.floor(savedAt / loggedProgressItems) !== Math.floor(counts.processed / loggedProgressItems)) {
          console.error(`stratusdb: import ${idOf(start.ImportArn)} into ${table.TableName}: ${counts.processed} items processed, ${counts.errors} errors so far`);
        }
        savedAt = counts.processed;
        await flushErrors();
        await this.save(snapshot());
      }
    };
    const logError = (key: string, itemIndex: number, message: string): void => {
      counts.errors++;
      const line = JSON.stringify({ itemS3Pointer: { bucket: source.S3Bucket, key, itemIndex }, importArn: start.ImportArn, errorMessages: [message] });
      if (counts.errors <= loggedErrorsMax) console.error(`stratusdb: import ${idOf(start.ImportArn)}: ${line}`);
      errorLines.push(`${line}\n`);
    };
    for (const object of objects) {
      const bytes = objectBytes(await this.options.store.open(source.S3Bucket, object.key, chunkBytes), start.InputCompressionType, (n) => {
        counts.bytes += n;
      });
      const pages = readRecords(bytes, start.InputFormat, { csv: start.InputFormatOptions?.Csv, keyTypes })[Symbol.asyncIterator]();
      let next = 0;
      for (;;) {
        let page: IteratorResult<SourceRecord[]>;
        try {
          page = await pages.next();
        } catch (error) {
          // An object that cannot be read to its end (bad compression, broken CSV quoting): the rest of
          // it is skipped, as DynamoDB may do, and counted as one error.
          bytes.destroy();
          logError(object.key, next, `The object could not be read: ${error instanceof Error ? error.message : String(error)}`);
          break;
        }
        if (page.done === true) break;
        if (this.background.closing) throw new Error('the server is stopping');
        for (const entry of page.value) {
          counts.processed++;
          next = entry.index + 1;
          const checked = 'error' in entry ? entry.error : this.checkedItem(table, indexes, entry.record);
          if (typeof checked === 'string') {
            logError(object.key, entry.index, checked);
            continue;
          }
          const { item, key, sizeBytes } = checked;
          const stored = { json: JSON.stringify(item), sizeBytes };
          writes.push({ table, target, key, decide: () => ({ next: stored, item }) });
          if (writes.length >= importPageItems) await flushWrites();
        }
      }
    }
    await flushWrites();
    await committing;
    await flushErrors();
    return snapshot();
  }

  /** The record's item once it passes DynamoDB's checks, or the reason it does not. */
  private checkedItem(table: TableRecord, indexes: ReturnType<typeof tableIndexes>, record: unknown): { item: AttributeMap; key: Buffer; sizeBytes: number } | string {
    try {
      const item = this.options.decodeItem(record);
      const key = keyFromItem(table, item);
      if (indexes.length > 0) checkIndexKeys(indexes, item);
      const sizeBytes = itemSizeBytes(item);
      if (sizeBytes > itemSizeBytesMax) return messages.itemTooLarge;
      return { item, key, sizeBytes };
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  private save(record: ImportRecord): Promise<void> {
    return this.records.save(record);
  }
}

/** An import's id: the last part of its ARN (…/import/<14-digit ms>-<8 hex>). */
function idOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function parametersOf(r: ImportRequestParameters): ImportRequestParameters {
  return {
    S3BucketSource: r.S3BucketSource, InputFormat: r.InputFormat,
    ...(r.InputFormatOptions === undefined ? {} : { InputFormatOptions: r.InputFormatOptions }),
    InputCompressionType: r.InputCompressionType, TableCreationParameters: r.TableCreationParameters,
  };
}
