// Checks an LMDB directory before LMDB maps it: a damaged header or a truncated file would otherwise
// crash the process with SIGSEGV or SIGBUS when LMDB reads past what is there, and a missing or
// empty data.mdb would start an empty database as if nothing had been lost. Reads LMDB's meta pages
// (as lmdb-js 3 writes them: a 24-byte page header, then the meta) without trusting any of it.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StorageFailure } from '../../errors/storage-failure.js';

/** Written beside data.mdb once a store exists: its absence later is no proof there was none. */
export const storeMarkerFile = 'stratusdb.json';

const pageHeaderBytes = 24;
/** LMDB's MDB_MAGIC and MDB_DATA_VERSION. */
const lmdbMagic = 0xbeefc0de;
const lmdbDataVersion = 2;
const metaPageFlag = 0x08;
/** Set on a meta written before its pages were flushed (lmdb-js's overlapping sync). */
const unflushedMetaFlag = 0x1000;

interface Meta {
  readonly pageBytes: number;
  readonly lastPage: bigint;
  readonly txnId: bigint;
  readonly flushed: boolean;
}

/** Throws a StorageFailure saying what is wrong and what to do; returns when the files look sound. */
export function checkDataFile(dir: string): void {
  const data = join(dir, 'data.mdb');
  const size = existsSync(data) ? statSync(data).size : -1;
  const hadStore = existsSync(join(dir, storeMarkerFile)) || existsSync(join(dir, 'lock.mdb'));
  if (size <= 0) {
    if (hadStore) {
      throw new StorageFailure(`${data} is ${size < 0 ? 'missing' : 'empty'}, but ${dir} held a StratusDB database: restore data.mdb from a backup, or remove the directory to start an empty database`);
    }
    return;
  }
  const damaged = (what: string): StorageFailure =>
    new StorageFailure(`${data} is damaged (${what}): StratusDB will not open it; restore it from a backup`);
  const head = readBytes(data, 0, Math.min(size, 2 * 65536));
  const first = metaAt(head, 0);
  if (first === undefined) throw damaged('its first page is not an LMDB meta page');
  const { pageBytes } = first;
  if (pageBytes < 512 || pageBytes > 65536 || (pageBytes & (pageBytes - 1)) !== 0) throw damaged(`page size ${pageBytes}`);
  if (size < 2 * pageBytes) throw damaged(`${size} bytes, less than its two meta pages`);
  const second = metaAt(head, pageBytes);
  const metas = second === undefined ? [first] : [first, second];
  const latest = metas.reduce((a, b) => (b.txnId > a.txnId ? b : a));
  // LMDB opens the latest meta, or the one before it when the latest was never flushed and the
  // machine has restarted since: the file must hold every page of the meta it may open.
  const candidates = latest.flushed ? [latest] : metas;
  const fits = (m: Meta): boolean => BigInt(size) >= (m.lastPage + 1n) * BigInt(pageBytes);
  if (!candidates.some(fits)) throw damaged(`${size} bytes, but its last page ends at byte ${(latest.lastPage + 1n) * BigInt(pageBytes)}: the file was cut short`);
}

/**
 * Records that a store lives in the directory (after LMDB opened it), and says whether every item in
 * it carries a checksum: true for a store created with checksums, false for one created before.
 */
export function markStore(dir: string, created: boolean): boolean {
  const marker = join(dir, storeMarkerFile);
  if (existsSync(marker)) {
    try {
      return (JSON.parse(readFileSync(marker, 'utf8')) as { itemChecksums?: boolean }).itemChecksums === true;
    } catch {
      throw new StorageFailure(`${marker} cannot be read: restore it from a backup, or write {"store":"lmdb","format":1} into it`);
    }
  }
  writeFileSync(marker, `${JSON.stringify({ store: 'lmdb', format: 1, itemChecksums: created })}\n`);
  return created;
}

/** Whether the directory holds no store yet (LMDB will create one). */
export function isNewStore(dir: string): boolean {
  const data = join(dir, 'data.mdb');
  return !existsSync(data) || statSync(data).size === 0;
}

function metaAt(bytes: Buffer, offset: number): Meta | undefined {
  if (bytes.length < offset + pageHeaderBytes + 160) return undefined;
  const flags = bytes.readUInt16LE(offset + 18);
  const meta = offset + pageHeaderBytes;
  if ((flags & metaPageFlag) === 0 || bytes.readUInt32LE(meta) !== lmdbMagic || (bytes.readUInt32LE(meta + 4) & 0xffff) !== lmdbDataVersion) return undefined;
  return {
    pageBytes: bytes.readUInt32LE(meta + 24),
    flushed: (bytes.readUInt16LE(meta + 28) & unflushedMetaFlag) === 0,
    lastPage: bytes.readBigUInt64LE(meta + 120),
    txnId: bytes.readBigUInt64LE(meta + 128),
  };
}

function readBytes(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const out = Buffer.alloc(length);
    const read = readSync(fd, out, 0, length, position);
    return out.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
