// The storage key range a Query reads: one partition (by its digest) narrowed by the sort-key
// condition, as a native range over the order-preserving key encoding — never a partition scan.
import type { AttributeValue, ScalarKeyType } from './attribute-value.js';
import { keyValueBytes, partitionDigest } from './key-encoding.js';

export type SortKeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

export interface SortKeyCondition {
  readonly operator: SortKeyOperator;
  readonly values: readonly AttributeValue[];
}

export interface ByteRange {
  readonly start: Uint8Array;
  /** Exclusive; undefined: to the end of the table. */
  readonly end: Uint8Array | undefined;
}

/** The smallest byte string greater than every string that starts with `prefix`; undefined if none. */
export function prefixSuccessor(prefix: Uint8Array): Uint8Array | undefined {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if ((out[i] as number) < 0xff) {
      out[i] = (out[i] as number) + 1;
      return out.subarray(0, i + 1);
    }
  }
  return undefined;
}

/** Just after `key`: the smallest byte string greater than it. */
function after(key: Uint8Array): Buffer {
  return Buffer.concat([key, Uint8Array.of(0)]);
}

export function queryRange(partitionBytes: Uint8Array, sortType: ScalarKeyType | undefined, condition: SortKeyCondition | undefined): ByteRange {
  const digest = partitionDigest(partitionBytes);
  const partitionEnd = prefixSuccessor(digest);
  if (condition === undefined || sortType === undefined) return { start: digest, end: partitionEnd };
  const at = (i: number): Buffer => Buffer.concat([digest, keyValueBytes(sortType, condition.values[i] as AttributeValue)]);
  switch (condition.operator) {
    case 'EQ':
      return { start: at(0), end: after(at(0)) };
    case 'LT':
      return { start: digest, end: at(0) };
    case 'LE':
      return { start: digest, end: after(at(0)) };
    case 'GT':
      return { start: after(at(0)), end: partitionEnd };
    case 'GE':
      return { start: at(0), end: partitionEnd };
    case 'BETWEEN':
      return { start: at(0), end: after(at(1)) };
    case 'BEGINS_WITH': {
      const prefix = at(0);
      return { start: prefix, end: prefixSuccessor(prefix) ?? partitionEnd };
    }
  }
}

/** Whether a sort key value satisfies a condition (byte order for S and B, numeric order for N). */
export function sortKeyMatches(type: ScalarKeyType, value: AttributeValue, condition: SortKeyCondition): boolean {
  const bytes = keyValueBytes(type, value);
  const cmp = (i: number): number => Buffer.compare(bytes, keyValueBytes(type, condition.values[i] as AttributeValue));
  switch (condition.operator) {
    case 'EQ':
      return cmp(0) === 0;
    case 'LT':
      return cmp(0) < 0;
    case 'LE':
      return cmp(0) <= 0;
    case 'GT':
      return cmp(0) > 0;
    case 'GE':
      return cmp(0) >= 0;
    case 'BETWEEN':
      return cmp(0) >= 0 && cmp(1) <= 0;
    case 'BEGINS_WITH': {
      const prefix = keyValueBytes(type, condition.values[0] as AttributeValue);
      return bytes.subarray(0, prefix.length).equals(prefix);
    }
  }
}
