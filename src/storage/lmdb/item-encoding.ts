// How a stored item is laid out in LMDB: its DynamoDB size, a CRC-32 of its JSON, and the JSON. LMDB
// has no page checksums; with one per item, a value damaged on disk is reported, never served.
// Items written before checksums existed (no flag in the size word) are read as they are.
import { crc32 } from 'node:zlib';
import { StorageFailure } from '../../errors/storage-failure.js';
import type { StoredItem } from '../storage.js';

const checksummed = 0x80000000;
const headerBytes = 8;
const legacyHeaderBytes = 4;

/** Stored bytes that are not an item, and why: decoding never throws, the reader reports where. */
export class DamagedItem {
  constructor(readonly what: string) {}
}

export function encodeItem(item: StoredItem): Buffer {
  const jsonBytes = Buffer.byteLength(item.json, 'utf8');
  const out = Buffer.allocUnsafe(headerBytes + jsonBytes);
  out.write(item.json, headerBytes, 'utf8');
  out.writeUInt32LE((item.sizeBytes | checksummed) >>> 0, 0);
  out.writeUInt32LE(crc32(out.subarray(headerBytes)), 4);
  return out;
}

/**
 * The item held in the first `size` bytes of `value`, or what is wrong with them. `required`: the
 * store was created with checksums, so an item without one is damage too. `value` may be lmdb-js's
 * shared read buffer: nothing returned refers to it.
 */
export function decodeStored(value: Uint8Array, size: number, required: boolean): StoredItem | DamagedItem {
  if (size < legacyHeaderBytes) return new DamagedItem(`${size} bytes`);
  const raw = Buffer.from(value.buffer, value.byteOffset, size);
  const word = raw.readUInt32LE(0);
  if ((word & checksummed) === 0) {
    if (required) return new DamagedItem('no checksum');
    return { sizeBytes: word, json: raw.toString('utf8', legacyHeaderBytes) };
  }
  if (size < headerBytes || crc32(raw.subarray(headerBytes)) !== raw.readUInt32LE(4)) return new DamagedItem('checksum mismatch');
  return { sizeBytes: word & ~checksummed, json: raw.toString('utf8', headerBytes) };
}

/** A decoded value that is an item, or the StorageFailure saying where the damaged one is. */
export function intactItem(decoded: StoredItem | DamagedItem, where: () => string): StoredItem {
  if (decoded instanceof DamagedItem) {
    throw new StorageFailure(`a stored item is damaged (${decoded.what}) at ${where()}: restore the data from a backup; \`stratusdb check\` lists every damaged item`);
  }
  return decoded;
}
