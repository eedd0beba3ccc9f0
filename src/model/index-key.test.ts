// Properties of index entry keys: whatever table key follows, entries sort by index sort key, and
// the range of an index Query holds exactly the entries its sort-key condition selects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AttributeValue, ScalarKeyType } from './attribute-value.js';
import { indexEntryKey, indexPartitionBytes, indexQueryRange, terminatedBytes } from './index-key.js';
import { itemKey, keyValueBytes } from './key-encoding.js';
import { sortKeyMatches, type SortKeyCondition, type SortKeyOperator } from './key-range.js';
import { compareNumbers, formatNumber, parseNumber, type DecimalNumber } from './number.js';

const partition = keyValueBytes('S', { S: 'status#open' });
const other = keyValueBytes('S', { S: 'status#done' });

function compare(type: ScalarKeyType, a: AttributeValue, b: AttributeValue): number {
  if (type === 'N') return compareNumbers(parseNumber((a as { N: string }).N) as DecimalNumber, parseNumber((b as { N: string }).N) as DecimalNumber);
  return Buffer.compare(keyValueBytes(type, a), keyValueBytes(type, b));
}

// Strings and binaries with zero bytes and shared prefixes, the cases termination exists for.
const strings = fc.string({ unit: fc.constantFrom('a', 'b', '\u0000', '\u00ff', 'z'), minLength: 1, maxLength: 5 }).map((S): AttributeValue => ({ S }));
const numbers = fc.integer({ min: -50, max: 50 }).map(String).map((text) => parseNumber(text) as DecimalNumber).map((n): AttributeValue => ({ N: formatNumber(n) }));
const binaries = fc.uint8Array({ minLength: 1, maxLength: 4, max: 3 }).map((b): AttributeValue => ({ B: Buffer.from(b).toString('base64') }));
const tableKeys = fc.uint8Array({ minLength: 1, maxLength: 6 }).map((b) => itemKey(b, b));

function properties(type: ScalarKeyType, values: fc.Arbitrary<AttributeValue>, operators: readonly SortKeyOperator[]): void {
  fc.assert(fc.property(values, values, tableKeys, tableKeys, (a, b, ka, kb) => {
    const order = compare(type, a, b);
    if (order === 0) return;
    const keyA = indexEntryKey(partition, [keyValueBytes(type, a)], ka);
    const keyB = indexEntryKey(partition, [keyValueBytes(type, b)], kb);
    assert.equal(Math.sign(Buffer.compare(keyA, keyB)), Math.sign(order));
  }), { numRuns: 1000 });
  fc.assert(fc.property(fc.array(fc.tuple(values, tableKeys), { minLength: 1, maxLength: 20 }), values, values, fc.constantFrom(...operators), (entries, a, b, operator) => {
    const [low, high] = compare(type, a, b) <= 0 ? [a, b] : [b, a];
    const condition: SortKeyCondition = { operator, values: operator === 'BETWEEN' ? [low, high] : [a] };
    const range = indexQueryRange(partition, [], type, condition);
    const inRange = (key: Buffer): boolean => Buffer.compare(key, range.start) >= 0 && (range.end === undefined || Buffer.compare(key, range.end) < 0);
    for (const [value, tableKey] of entries) {
      assert.equal(inRange(indexEntryKey(partition, [keyValueBytes(type, value)], tableKey)), sortKeyMatches(type, value, condition), `${JSON.stringify(value)} ${operator} ${JSON.stringify(condition.values)}`);
      assert.equal(inRange(indexEntryKey(other, [keyValueBytes(type, value)], tableKey)), false);
    }
  }), { numRuns: 1000 });
}

describe('index entry keys', () => {
  it('escape zero bytes and terminate, so a prefix sorts first', () => {
    assert.deepEqual([...terminatedBytes(Uint8Array.of(1, 0, 2))], [1, 0, 0xff, 2, 0, 0]);
    assert.deepEqual([...terminatedBytes(Uint8Array.of(0), false)], [0, 0xff]);
    assert.ok(Buffer.compare(Buffer.concat([terminatedBytes(Buffer.from('a')), Buffer.from([0xff])]), terminatedBytes(Buffer.from('ab'))) < 0);
  });
  it('order and select string sort keys', () => properties('S', strings, ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN', 'BEGINS_WITH']));
  it('order and select number sort keys', () => properties('N', numbers, ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN']));
  it('order and select binary sort keys', () => properties('B', binaries, ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN', 'BEGINS_WITH']));
  it('put a hash-only index entry under its partition whatever the table key', () => {
    const key = indexEntryKey(partition, [], itemKey(Buffer.from('t'), undefined));
    const range = indexQueryRange(partition, [], undefined, undefined);
    assert.ok(Buffer.compare(key, range.start) >= 0 && Buffer.compare(key, range.end as Uint8Array) < 0);
  });
  it('order multi-attribute sort keys by their attributes one after another', () => {
    const tuples = fc.tuple(strings, numbers, binaries);
    const compareTuples = (a: readonly AttributeValue[], b: readonly AttributeValue[]): number => {
      const types: ScalarKeyType[] = ['S', 'N', 'B'];
      for (let i = 0; i < types.length; i++) {
        const order = compare(types[i] as ScalarKeyType, a[i] as AttributeValue, b[i] as AttributeValue);
        if (order !== 0) return order;
      }
      return 0;
    };
    const parts = (t: readonly AttributeValue[]): Buffer[] => [keyValueBytes('S', t[0] as AttributeValue), keyValueBytes('N', t[1] as AttributeValue), keyValueBytes('B', t[2] as AttributeValue)];
    fc.assert(fc.property(tuples, tuples, tableKeys, tableKeys, (a, b, ka, kb) => {
      const order = compareTuples(a, b);
      if (order === 0) return;
      assert.equal(Math.sign(Buffer.compare(indexEntryKey(partition, parts(a), ka), indexEntryKey(partition, parts(b), kb))), Math.sign(order));
    }), { numRuns: 1000 });
  });
  it('select multi-attribute sort keys by equalities on leading attributes and a condition on the next', () => {
    const operators: SortKeyOperator[] = ['EQ', 'LT', 'LE', 'GT', 'GE', 'BETWEEN'];
    const entry = fc.tuple(strings, numbers, strings, tableKeys);
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 20 }), strings, numbers, numbers, fc.constantFrom(...operators), fc.boolean(), (entries, first, a, b, operator, equalFirst) => {
      const [low, high] = compare('N', a, b) <= 0 ? [a, b] : [b, a];
      const condition: SortKeyCondition = { operator, values: operator === 'BETWEEN' ? [low, high] : [a] };
      const equal = equalFirst ? [keyValueBytes('S', first)] : [];
      const range = equalFirst ? indexQueryRange(partition, equal, 'N', condition) : indexQueryRange(partition, [], 'S', { operator: 'EQ', values: [first] });
      const inRange = (key: Buffer): boolean => Buffer.compare(key, range.start) >= 0 && (range.end === undefined || Buffer.compare(key, range.end) < 0);
      for (const [s1, n2, s3, tableKey] of entries) {
        const key = indexEntryKey(partition, [keyValueBytes('S', s1), keyValueBytes('N', n2), keyValueBytes('S', s3)], tableKey);
        const sameFirst = compare('S', s1, first) === 0;
        const expected = equalFirst ? sameFirst && sortKeyMatches('N', n2, condition) : sameFirst;
        assert.equal(inRange(key), expected);
      }
    }), { numRuns: 1000 });
  });
  it('keep the attributes of a multi-attribute partition key apart', () => {
    const ab = indexPartitionBytes([Buffer.from('a'), Buffer.from('bc')]);
    const abc = indexPartitionBytes([Buffer.from('ab'), Buffer.from('c')]);
    assert.notDeepEqual([...ab], [...abc]);
    assert.deepEqual([...indexPartitionBytes([Buffer.from('x')])], [...Buffer.from('x')]);
  });
});
