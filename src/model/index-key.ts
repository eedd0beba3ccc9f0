// Storage keys of secondary-index entries. Index keys are not unique, so an entry's key is
//   sha256(index partition key)[0..16) ‖ terminated(index sort key) ‖ the item's table key
// The sort key is escaped and terminated (0x00 → 0x00 0xFF, then 0x00 0x00) so that appending the
// table key keeps entries in sort-key order: "a" sorts before "ab" whatever follows either.
import type { AttributeValue, ScalarKeyType } from './attribute-value.js';
import { hash } from 'node:crypto';
import { keyValueBytes, partitionDigest, partitionDigestBytes } from './key-encoding.js';
import { prefixSuccessor, type ByteRange, type SortKeyCondition } from './key-range.js';

/** The order-preserving, prefix-free form of a sort key value. */
export function terminatedBytes(bytes: Uint8Array, terminate = true): Buffer {
  let zeros = 0;
  for (const b of bytes) if (b === 0) zeros++;
  const out = Buffer.allocUnsafe(bytes.length + zeros + (terminate ? 2 : 0));
  let at = 0;
  for (const b of bytes) {
    out[at++] = b;
    if (b === 0) out[at++] = 0xff;
  }
  if (terminate) {
    out[at++] = 0;
    out[at++] = 0;
  }
  return out;
}

/** Longest entry key: LMDB's 1,978-byte key limit less the 8-byte index id the adapter puts in front. */
export const indexEntryKeyBytesMax = 1978 - 8;
const tableKeyDigestBytes = 16;

/** Whether an index sort key leaves room for an entry key (escaping can double a run of zero bytes). */
export function indexSortKeyFits(sortBytes: Uint8Array): boolean {
  return partitionDigestBytes + terminatedBytes(sortBytes).length + tableKeyDigestBytes <= indexEntryKeyBytesMax;
}

/**
 * An entry's storage key in its index. The table key follows whole when it fits, else its digest
 * (either keeps entries unique; only the order of entries with equal index keys differs).
 */
export function indexEntryKey(partitionBytes: Uint8Array, sortBytes: Uint8Array | undefined, tableKey: Uint8Array): Buffer {
  const digest = partitionDigest(partitionBytes);
  const head = sortBytes === undefined ? digest : Buffer.concat([digest, terminatedBytes(sortBytes)]);
  const suffix = head.length + tableKey.length <= indexEntryKeyBytesMax ? tableKey : hash('sha256', tableKey, 'buffer').subarray(0, tableKeyDigestBytes);
  return Buffer.concat([head, suffix]);
}

/** The byte range of an index Query: one index partition narrowed by the sort-key condition. */
export function indexQueryRange(partitionBytes: Uint8Array, sortType: ScalarKeyType | undefined, condition: SortKeyCondition | undefined): ByteRange {
  const digest = partitionDigest(partitionBytes);
  const partitionEnd = prefixSuccessor(digest);
  if (condition === undefined || sortType === undefined) return { start: digest, end: partitionEnd };
  // Every entry whose sort key equals value i starts with at(i); successor(at(i)) is past all of them.
  const at = (i: number): Buffer => Buffer.concat([digest, terminatedBytes(keyValueBytes(sortType, condition.values[i] as AttributeValue))]);
  const past = (i: number): Uint8Array | undefined => prefixSuccessor(at(i)) ?? partitionEnd;
  switch (condition.operator) {
    case 'EQ':
      return { start: at(0), end: past(0) };
    case 'LT':
      return { start: digest, end: at(0) };
    case 'LE':
      return { start: digest, end: past(0) };
    case 'GT':
      return { start: past(0) ?? digest, end: partitionEnd };
    case 'GE':
      return { start: at(0), end: partitionEnd };
    case 'BETWEEN':
      return { start: at(0), end: past(1) };
    case 'BEGINS_WITH': {
      const prefix = Buffer.concat([digest, terminatedBytes(keyValueBytes(sortType, condition.values[0] as AttributeValue), false)]);
      return { start: prefix, end: prefixSuccessor(prefix) ?? partitionEnd };
    }
  }
}
