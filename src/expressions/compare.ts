// DynamoDB's value semantics for conditions: equality across every type (sets ignore order),
// ordering for S (UTF-8 bytes), N (numerically) and B (bytes); anything else does not order.
import type { AttributeValue } from '../model/attribute-value.js';
import { compareNumbers, parseNumber, type DecimalNumber } from '../model/number.js';

function number(text: string): DecimalNumber {
  const n = parseNumber(text);
  return typeof n === 'string' ? { negative: false, digits: '', exponent: 0 } : n;
}

/** Order of two values of the same orderable type; undefined when they do not order. */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a && 'S' in b) return Buffer.compare(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8'));
  if ('N' in a && 'N' in b) return compareNumbers(number(a.N), number(b.N));
  if ('B' in a && 'B' in b) return Buffer.compare(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'));
  return undefined;
}

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumbers(number(a.N), number(b.N)) === 0;
  if ('B' in a) return 'B' in b && a.B === b.B;
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameMembers(a.SS, b.SS, (x, y) => x === y);
  if ('NS' in a) return 'NS' in b && sameMembers(a.NS, b.NS, (x, y) => compareNumbers(number(x), number(y)) === 0);
  if ('BS' in a) return 'BS' in b && sameMembers(a.BS, b.BS, (x, y) => x === y);
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((v, i) => valuesEqual(v, b.L[i] as AttributeValue));
  if (!('M' in b)) return false;
  const keys = Object.keys(a.M);
  return keys.length === Object.keys(b.M).length && keys.every((k) => b.M[k] !== undefined && valuesEqual(a.M[k] as AttributeValue, b.M[k] as AttributeValue));
}

function sameMembers(a: readonly string[], b: readonly string[], equal: (x: string, y: string) => boolean): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => equal(x, y)));
}
