// Storage keys of secondary-index entries. Index keys are not unique, so an entry's key is
//   sha256(index partition key)[0..16) ‖ terminated(sort key 1) ‖ … ‖ terminated(sort key n) ‖ the item's table key
// Each sort key attribute is escaped and terminated (0x00 → 0x00 0xFF, then 0x00 0x00), which keeps
// the encoding order-preserving and prefix-free: "a" sorts before "ab" whatever follows either, and
// a multi-attribute sort key (GSI, up to four attributes) sorts by its attributes one after another.
// A multi-attribute partition key is its attributes' terminated bytes one after another, hashed.
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

/** The bytes a partition key of one or more attributes is hashed from (one attribute: its own bytes). */
export function indexPartitionBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  return Buffer.concat(parts.map((p) => terminatedBytes(p)));
}

/** Longest entry key: LMDB's 1,978-byte key limit less the 8-byte index id the adapter puts in front. */
export const indexEntryKeyBytesMax = 1978 - 8;
const tableKeyDigestBytes = 16;

function sortBytes(parts: readonly Uint8Array[]): Buffer {
  return parts.length === 1 ? terminatedBytes(parts[0] as Uint8Array) : Buffer.concat(parts.map((p) => terminatedBytes(p)));
}

/** Whether an index sort key leaves room for an entry key (escaping can double a run of zero bytes). */
export function indexSortKeyFits(sortParts: readonly Uint8Array[]): boolean {
  return partitionDigestBytes + sortBytes(sortParts).length + tableKeyDigestBytes <= indexEntryKeyBytesMax;
}

/**
 * An entry's storage key in its index. The table key follows whole when it fits, else its digest
 * (either keeps entries unique; only the order of entries with equal index keys differs).
 */
export function indexEntryKey(partitionBytes: Uint8Array, sortParts: readonly Uint8Array[], tableKey: Uint8Array): Buffer {
  const digest = partitionDigest(partitionBytes);
  const head = sortParts.length === 0 ? digest : Buffer.concat([digest, sortBytes(sortParts)]);
  const suffix = head.length + tableKey.length <= indexEntryKeyBytesMax ? tableKey : hash('sha256', tableKey, 'buffer').subarray(0, tableKeyDigestBytes);
  return Buffer.concat([head, suffix]);
}

/**
 * The byte range of an index Query: one index partition, narrowed by equalities on the leading sort
 * key attributes (`equalParts`, their bytes) and a condition on the next one.
 */
export function indexQueryRange(
  partitionBytes: Uint8Array, equalParts: readonly Uint8Array[], sortType: ScalarKeyType | undefined, condition: SortKeyCondition | undefined,
): ByteRange {
  const digest = partitionDigest(partitionBytes);
  const head = equalParts.length === 0 ? digest : Buffer.concat([digest, sortBytes(equalParts)]);
  const partitionEnd = prefixSuccessor(head);
  if (condition === undefined || sortType === undefined) return { start: head, end: partitionEnd };
  // Every entry whose sort key equals value i starts with at(i); successor(at(i)) is past all of them.
  const at = (i: number): Buffer => Buffer.concat([head, terminatedBytes(keyValueBytes(sortType, condition.values[i] as AttributeValue))]);
  const past = (i: number): Uint8Array | undefined => prefixSuccessor(at(i)) ?? partitionEnd;
  switch (condition.operator) {
    case 'EQ':
      return { start: at(0), end: past(0) };
    case 'LT':
      return { start: head, end: at(0) };
    case 'LE':
      return { start: head, end: past(0) };
    case 'GT':
      return { start: past(0) ?? head, end: partitionEnd };
    case 'GE':
      return { start: at(0), end: partitionEnd };
    case 'BETWEEN':
      return { start: at(0), end: past(1) };
    case 'BEGINS_WITH': {
      const prefix = Buffer.concat([head, terminatedBytes(keyValueBytes(sortType, condition.values[0] as AttributeValue), false)]);
      return { start: prefix, end: prefixSuccessor(prefix) ?? partitionEnd };
    }
  }
}
