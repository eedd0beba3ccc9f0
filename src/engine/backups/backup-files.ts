// On-demand backups on disk, in DynamoDB's export layout so that any tool reading a DynamoDB export to
// S3 reads them: per backup a directory with `manifest-summary.json`, `manifest-files.json` (one JSON
// line per data file) and `data/*.json.gz` (one `{"Item":{…}}` line per item, DynamoDB JSON). Our own
// manifest, `stratusdb-backup.json` (the source table's definition and the backup's details), is
// written last and atomically (temporary file, fsync, rename): a backup without it is not whole. While
// a backup is made, `stratusdb-backup.creating.json` says what is being made, so a process that
// restarts can make it again.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { TableRecord } from '../../model/table.js';

export type BackupType = 'USER' | 'SYSTEM';

/** What a backup is, as its manifests say. */
export interface BackupHeader {
  readonly BackupArn: string;
  readonly BackupName: string;
  readonly BackupType: BackupType;
  /** Epoch ms. */
  readonly BackupCreationDateTime: number;
  /** A system backup's end (epoch ms): AWS keeps a deleted table's for 35 days. */
  readonly BackupExpiryDateTime?: number;
  /** The source table's record when the backup was asked for. */
  readonly table: TableRecord;
}

export interface BackupManifest extends BackupHeader {
  readonly format: typeof manifestFormat;
  readonly ItemCount: number;
  readonly BackupSizeBytes: number;
  readonly files: readonly string[];
}

/** A backup found on disk: whole (AVAILABLE) or still being made (CREATING). */
export type StoredBackup = { readonly status: 'AVAILABLE'; readonly manifest: BackupManifest } | { readonly status: 'CREATING'; readonly header: BackupHeader };

const manifestFormat = 'stratusdb-backup/1';
const manifestName = 'stratusdb-backup.json';
const intentName = 'stratusdb-backup.creating.json';
/** gzip's fastest level: a backup is bound by compressing on the main thread, and level 1 is 3× faster than the default for 10–20 % more bytes. */
const gzipLevel = 1;
/** Items per data file (DynamoDB's exports split their data into files too). */
const itemsPerFile = 100_000;

/** The directory part of a backup ARN (…/backup/<id>). */
export function backupId(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export async function writeDurably(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}

export async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Makes the backup's directory and its intent, durably: from then on a restart makes it again. */
export async function beginBackup(root: string, header: BackupHeader): Promise<void> {
  const dir = join(root, backupId(header.BackupArn));
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeDurably(join(dir, intentName), JSON.stringify(header));
  await syncDirectory(dir);
}

/** One item as the backup holds it: its DynamoDB JSON text and size. */
export interface BackupItem {
  readonly json: string;
  readonly sizeBytes: number;
}

/**
 * Writes a backup of the items `pages` yields into `<root>/<id>/`; the intent first, the manifest
 * last. Anything a cut-short attempt left there is removed first. Resolves with the manifest.
 */
export async function writeBackup(root: string, header: BackupHeader, pages: AsyncIterable<readonly BackupItem[]>, now: () => number): Promise<BackupManifest> {
  const dir = join(root, backupId(header.BackupArn));
  await rm(join(dir, 'data'), { recursive: true, force: true });
  await beginBackup(root, header);
  const { files, itemCount, sizeBytes } = await writeExportData(dir, '', itemLines(pages), 'json');
  const created = new Date(header.BackupCreationDateTime).toISOString();
  await writeDurably(join(dir, 'manifest-summary.json'), JSON.stringify(exportSummary({
    exportArn: header.BackupArn, startTime: created, endTime: new Date(now()).toISOString(), exportTime: created, tableArn: header.table.TableArn, tableId: header.table.TableId,
    s3Bucket: null, s3Prefix: null, manifestFilesS3Key: 'manifest-files.json', billedSizeBytes: sizeBytes, itemCount,
  })));
  const manifest: BackupManifest = { ...header, format: manifestFormat, ItemCount: itemCount, BackupSizeBytes: sizeBytes, files };
  await writeDurably(join(dir, manifestName), JSON.stringify(manifest));
  await rm(join(dir, intentName), { force: true });
  await syncDirectory(dir);
  return manifest;
}

/** What manifest-summary.json says of an export (or a backup), in DynamoDB's member names. */
export interface ExportSummaryFields {
  readonly exportArn: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly exportTime: string;
  readonly tableArn: string;
  readonly tableId: string;
  readonly s3Bucket: string | null;
  readonly s3Prefix: string | null;
  /** Where manifest-files.json is, from the bucket (an export) or the backup's directory. */
  readonly manifestFilesS3Key: string;
  readonly billedSizeBytes: number;
  readonly itemCount: number;
  /** DYNAMODB_JSON and FULL_EXPORT unless said. */
  readonly outputFormat?: 'DYNAMODB_JSON' | 'ION';
  readonly exportType?: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT';
}

export function exportSummary(fields: ExportSummaryFields): Record<string, unknown> {
  return {
    version: '2020-06-30', exportArn: fields.exportArn, startTime: fields.startTime, endTime: fields.endTime, tableArn: fields.tableArn,
    tableId: fields.tableId, exportTime: fields.exportTime, s3Bucket: fields.s3Bucket, s3Prefix: fields.s3Prefix, s3SseAlgorithm: 'AES256', s3SseKmsKeyId: null,
    manifestFilesS3Key: fields.manifestFilesS3Key, billedSizeBytes: fields.billedSizeBytes, itemCount: fields.itemCount,
    outputFormat: fields.outputFormat ?? 'DYNAMODB_JSON', exportType: fields.exportType ?? 'FULL_EXPORT',
  };
}

/** One line of an export's data: its text (without the newline), and the DynamoDB size of what it holds. */
export interface ExportLine {
  readonly text: string;
  readonly sizeBytes: number;
}

/** Items as DynamoDB JSON export lines (`{"Item":…}`). */
export async function* itemLines(pages: AsyncIterable<readonly BackupItem[]>): AsyncGenerator<ExportLine[]> {
  for await (const page of pages) yield page.map((item) => ({ text: `{"Item":${item.json}}`, sizeBytes: item.sizeBytes }));
}

/**
 * Writes `pages` of lines gzipped into `<dir>/data/*.<extension>.gz` and lists the files, synced, in
 * `<dir>/manifest-files.json` (each file's key is `keyPrefix` + `data/<name>`: the path from an
 * export's bucket; a backup's is its own directory).
 */
export async function writeExportData(dir: string, keyPrefix: string, pages: AsyncIterable<readonly ExportLine[]>, extension: 'json' | 'ion'): Promise<{ files: string[]; itemCount: number; sizeBytes: number }> {
  await mkdir(join(dir, 'data'), { recursive: true });
  const files: string[] = [];
  const listed: string[] = [];
  let itemCount = 0;
  let sizeBytes = 0;
  let gzip: ReturnType<typeof createGzip> | undefined;
  let written: Promise<void> | undefined;
  let inFile = 0;
  let name = '';
  const md5 = { hash: createHash('md5') };
  const finishFile = async (): Promise<void> => {
    if (gzip === undefined || written === undefined) return;
    gzip.end();
    await written;
    listed.push(JSON.stringify({ itemCount: inFile, md5Checksum: md5.hash.digest('base64'), etag: '', dataFileS3Key: `${keyPrefix}data/${name}` }));
    gzip = undefined;
  };
  for await (const page of pages) {
    let at = 0;
    while (at < page.length) {
      if (gzip === undefined) {
        name = `${String(files.length).padStart(8, '0')}.${extension}.gz`;
        files.push(name);
        inFile = 0;
        md5.hash = createHash('md5');
        const zipped = createGzip({ level: gzipLevel });
        const hashing = md5.hash;
        zipped.on('data', (chunk: Buffer) => hashing.update(chunk));
        gzip = zipped;
        written = pipeline(zipped, createWriteStream(join(dir, 'data', name)));
      }
      // The page's lines (up to the file's end) as one chunk: one stream write per page, not per item.
      const take = page.slice(at, at + itemsPerFile - inFile);
      let chunk = '';
      for (const line of take) {
        chunk += `${line.text}\n`;
        sizeBytes += line.sizeBytes;
      }
      if (!gzip.write(chunk)) await new Promise((resolve) => gzip?.once('drain', resolve));
      at += take.length;
      itemCount += take.length;
      inFile += take.length;
      if (inFile >= itemsPerFile) await finishFile();
    }
  }
  await finishFile();
  for (const file of files) {
    const handle = await open(join(dir, 'data', file), 'r');
    await handle.sync();
    await handle.close();
  }
  await writeDurably(join(dir, 'manifest-files.json'), listed.map((line) => `${line}\n`).join(''));
  return { files, itemCount, sizeBytes };
}

/** Every backup under `root` (whole or being made), oldest first; unreadable entries are skipped. */
export async function listBackups(root: string): Promise<StoredBackup[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const out: StoredBackup[] = [];
  for (const entry of entries.sort()) {
    const found = await readBackup(root, entry);
    if (found !== undefined) out.push(found);
  }
  return out;
}

/** The backup stored under `root` with this id, or undefined. */
export async function readBackup(root: string, id: string): Promise<StoredBackup | undefined> {
  if (id.includes('/') || id.startsWith('.')) return undefined;
  try {
    return { status: 'AVAILABLE', manifest: JSON.parse(await readFile(join(root, id, manifestName), 'utf8')) as BackupManifest };
  } catch {
    try {
      return { status: 'CREATING', header: JSON.parse(await readFile(join(root, id, intentName), 'utf8')) as BackupHeader };
    } catch {
      return undefined;
    }
  }
}

/** Removes a backup: renamed away first, so a half-removed backup is never listed. */
export async function removeBackup(root: string, id: string): Promise<void> {
  const gone = join(root, `.deleting-${id}`);
  await rename(join(root, id), gone);
  await rm(gone, { recursive: true, force: true });
}

/** The items of a whole backup, in pages of `pageItems`. */
export async function* readBackupItems(root: string, manifest: BackupManifest, pageItems: number): AsyncGenerator<string[]> {
  let page: string[] = [];
  for (const file of manifest.files) {
    const lines = createInterface({ input: createReadStream(join(root, backupId(manifest.BackupArn), 'data', file)).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line === '') continue;
      // `{"Item":` … `}`: the item's own text.
      page.push(line.slice('{"Item":'.length, -1));
      if (page.length >= pageItems) {
        yield page;
        page = [];
      }
    }
  }
  if (page.length > 0) yield page;
}
