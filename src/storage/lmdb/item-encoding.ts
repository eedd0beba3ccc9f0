// How a stored item is laid out in LMDB: its DynamoDB size, a CRC-32 of its JSON, and the JSON. LMDB
// has no page checksums; with one per item, a value damaged on disk is reported, never served.
// Items written before checksums existed (no flag in the size word) are read as they are.
import { crc32 } from 'node:zlib';
import { StorageFailure } from '../../errors/storage-failure.js';
import type { StoredItem } from '../storage.js';

const checksummed = 0x80000000;
const headerBytes = 8;
const legacyHeaderBytes = 4;

export function encodeItem(item: StoredItem): Buffer {
  const jsonBytes = Buffer.byteLength(item.json, 'utf8');
  const out = Buffer.allocUnsafe(headerBytes + jsonBytes);
  out.write(item.json, headerBytes, 'utf8');
  out.writeUInt32LE((item.sizeBytes | checksummed) >>> 0, 0);
  out.writeUInt32LE(crc32(out.subarray(headerBytes)), 4);
  return out;
}

/**
 * The item, or a StorageFailure naming where when its bytes are not what was written. `required`:
 * the store was created with checksums, so an item without one is damage too.
 */
export function decodeItem(value: Buffer, required: boolean, where: () => string): StoredItem {
  const raw = exactly(value);
  if (raw.length < legacyHeaderBytes) throw damaged(where, `${raw.length} bytes`);
  const word = raw.readUInt32LE(0);
  if ((word & checksummed) === 0) {
    if (required) throw damaged(where, 'no checksum');
    return { sizeBytes: word, json: raw.toString('utf8', legacyHeaderBytes) };
  }
  if (raw.length < headerBytes || crc32(raw.subarray(headerBytes)) !== raw.readUInt32LE(4)) throw damaged(where, 'checksum mismatch');
  return { sizeBytes: word & ~checksummed, json: raw.toString('utf8', headerBytes) };
}

function damaged(where: () => string, what: string): StorageFailure {
  return new StorageFailure(`a stored item is damaged (${what}) at ${where()}: restore the data from a backup; \`stratusdb check\` lists every damaged item`);
}

/**
 * lmdb-js answers getBinaryFast with its shared read buffer and an own `length` property saying how
 * much of it is the value. Node 20 and 22's Buffer methods go by that property, Node 24's by the
 * buffer's real length (they would read the whole shared buffer); a view of exactly the value, no
 * copy, reads the same on every version.
 */
function exactly(value: Buffer): Buffer {
  return value.length === value.byteLength ? value : Buffer.from(value.buffer, value.byteOffset, value.length);
}
