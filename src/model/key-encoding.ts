// Order-preserving binary keys. An item's storage key is
//   sha256(partition key)[0..16) ‖ encoded sort key
// so items of one partition are contiguous and sorted by sort key (Query = one native range read),
// while partitions are spread by hash (Scan order is hash-distributed as in DynamoDB, and parallel
// Scan segments are hash ranges). The digest also bounds the key at 16 + 1024 bytes, inside LMDB's limit.
import { hash } from 'node:crypto';
import type { DecimalNumber } from './number.js';
import { parseNumber } from './number.js';
import type { AttributeValue, ScalarKeyType } from './attribute-value.js';

/** Bytes of the partition-key digest at the front of every item key. */
export const partitionDigestBytes = 16;

/** Canonical bytes of a key attribute: UTF-8 for S, raw bytes for B, the ordered encoding for N. */
export function keyValueBytes(type: ScalarKeyType, value: AttributeValue): Buffer {
  switch (type) {
    case 'S':
      return Buffer.from((value as { S: string }).S, 'utf8');
    case 'B':
      return Buffer.from((value as { B: string }).B, 'base64');
    case 'N': {
      const parsed = parseNumber((value as { N: string }).N);
      if (typeof parsed === 'string') throw new Error('key number was not validated');
      return encodeOrderedNumber(parsed);
    }
  }
}

export function partitionDigest(partitionBytes: Uint8Array): Buffer {
  return hash('sha256', partitionBytes, 'buffer').subarray(0, partitionDigestBytes);
}

/** The storage key of an item, from its canonical partition and (optional) sort key bytes. */
export function itemKey(partitionBytes: Uint8Array, sortBytes: Uint8Array | undefined): Buffer {
  const digest = partitionDigest(partitionBytes);
  return sortBytes === undefined ? digest : Buffer.concat([digest, sortBytes]);
}

const signNegative = 0x01;
const signZero = 0x02;
const signPositive = 0x03;
/** Terminates a negative number so that a shorter mantissa sorts after a longer one with its prefix. */
const negativeTerminator = 0xff;
/** Scientific exponents run from -130 to 125; offset them into one unsigned byte. */
const exponentOffset = 130;

/**
 * Byte order equals numeric order: sign byte, then the exponent, then one byte per digit; negative
 * numbers complement exponent and digits and end with 0xFF. Number is always the key's last component.
 */
export function encodeOrderedNumber(n: DecimalNumber): Buffer {
  if (n.digits === '') return Buffer.from([signZero]);
  const out = Buffer.allocUnsafe(2 + n.digits.length + (n.negative ? 1 : 0));
  const exponentByte = n.exponent - 1 + exponentOffset;
  out[0] = n.negative ? signNegative : signPositive;
  out[1] = n.negative ? 0xff - exponentByte : exponentByte;
  for (let i = 0; i < n.digits.length; i++) {
    const digit = n.digits.charCodeAt(i) - 48 + 1; // 1..10, never 0
    out[2 + i] = n.negative ? 0xfe - digit : digit;
  }
  if (n.negative) out[out.length - 1] = negativeTerminator;
  return out;
}
