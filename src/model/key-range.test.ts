// Property: the range computed for a sort-key condition holds exactly the items the condition
// selects, for strings, numbers and binaries — checked against a direct evaluation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AttributeValue, ScalarKeyType } from './attribute-value.js';
import { itemKey, keyValueBytes } from './key-encoding.js';
import { queryRange, prefixSuccessor, sortKeyMatches, type SortKeyCondition, type SortKeyOperator } from './key-range.js';
import { compareNumbers, formatNumber, parseNumber, type DecimalNumber } from './number.js';

const partition = keyValueBytes('S', { S: 'user#1' });
const other = keyValueBytes('S', { S: 'user#2' });

function compare(type: ScalarKeyType, a: AttributeValue, b: AttributeValue): number {
  if (type === 'N') return compareNumbers(parseNumber((a as { N: string }).N) as DecimalNumber, parseNumber((b as { N: string }).N) as DecimalNumber);
  return Buffer.compare(keyValueBytes(type, a), keyValueBytes(type, b));
}

function inRange(key: Buffer, range: { start: Uint8Array; end: Uint8Array | undefined }): boolean {
  return Buffer.compare(key, range.start) >= 0 && (range.end === undefined || Buffer.compare(key, range.end) < 0);
}

const strings = fc.string({ maxLength: 6 }).filter((s) => s.length > 0).map((S): AttributeValue => ({ S }));
const numbers = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((d) => d.toPrecision(6)))
  .map((text) => parseNumber(text)).filter((n): n is DecimalNumber => typeof n !== 'string').map((n): AttributeValue => ({ N: formatNumber(n) }));
const binaries = fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b): AttributeValue => ({ B: Buffer.from(b).toString('base64') }));

function property(type: ScalarKeyType, values: fc.Arbitrary<AttributeValue>, operators: readonly SortKeyOperator[]): void {
  fc.assert(fc.property(fc.array(values, { minLength: 1, maxLength: 30 }), values, values, fc.constantFrom(...operators), (items, a, b, operator) => {
    const [low, high] = compare(type, a, b) <= 0 ? [a, b] : [b, a];
    const condition: SortKeyCondition = { operator, values: operator === 'BETWEEN' ? [low, high] : [a] };
    const range = queryRange(partition, type, condition);
    for (const value of items) {
      const key = itemKey(partition, keyValueBytes(type, value));
      assert.equal(inRange(key, range), sortKeyMatches(type, value, condition), `${JSON.stringify(value)} ${operator} ${JSON.stringify(condition.values)}`);
      assert.equal(inRange(itemKey(other, keyValueBytes(type, value)), range), false);
    }
  }), { numRuns: 1500 });
}

describe('queryRange', () => {
  it('selects exactly the matching string sort keys (fast-check)', () => property('S', strings, ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN', 'BEGINS_WITH']));
  it('selects exactly the matching number sort keys (fast-check)', () => property('N', numbers, ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN']));
  it('selects exactly the matching binary sort keys (fast-check)', () => property('B', binaries, ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN', 'BEGINS_WITH']));
  it('covers the whole partition without a condition', () => {
    const range = queryRange(partition, 'S', undefined);
    assert.ok(inRange(itemKey(partition, keyValueBytes('S', { S: 'anything' })), range));
    assert.ok(!inRange(itemKey(other, keyValueBytes('S', { S: 'anything' })), range));
  });
  it('computes prefix successors', () => {
    assert.deepEqual(prefixSuccessor(Uint8Array.of(1, 2)), Buffer.from([1, 3]));
    assert.deepEqual(prefixSuccessor(Uint8Array.of(1, 255)), Buffer.from([2]));
    assert.equal(prefixSuccessor(Uint8Array.of(255, 255)), undefined);
  });
});
