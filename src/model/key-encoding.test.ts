// Properties of the order-preserving key encoding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareNumbers, formatNumber, parseNumber, type DecimalNumber } from './number.js';
import { encodeOrderedNumber, itemKey, keyValueBytes, partitionDigestBytes } from './key-encoding.js';

const decimal = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[1-9][0-9]{0,37}$/), fc.integer({ min: -129, max: 125 }))
  .map(([negative, digits, exponent]): DecimalNumber => {
    const text = `${negative ? '-' : ''}0.${digits}E${exponent}`;
    const n = parseNumber(text);
    if (typeof n === 'string') return { negative: false, digits: '', exponent: 0 };
    return n;
  });

describe('encodeOrderedNumber', () => {
  it('orders bytes exactly as numbers order (fast-check)', () => {
    fc.assert(fc.property(decimal, decimal, (a, b) => {
      const byNumber = Math.sign(compareNumbers(a, b));
      const byBytes = Math.sign(Buffer.compare(encodeOrderedNumber(a), encodeOrderedNumber(b)));
      assert.equal(byBytes, byNumber, `${formatNumber(a)} vs ${formatNumber(b)}`);
    }), { numRuns: 5000 });
  });

  it('gives equal numbers equal bytes whatever their spelling', () => {
    const spellings = ['100', '1E2', '100.000', '0.1e3', '+100'];
    const encoded = spellings.map((s) => encodeOrderedNumber(parseNumber(s) as DecimalNumber).toString('hex'));
    assert.equal(new Set(encoded).size, 1);
  });
});

describe('itemKey', () => {
  it('puts the partition digest first and the sort key bytes after it', () => {
    const key = itemKey(keyValueBytes('S', { S: 'user#1' }), keyValueBytes('S', { S: 'b' }));
    assert.equal(key.length, partitionDigestBytes + 1);
    assert.equal(key.subarray(partitionDigestBytes).toString(), 'b');
  });

  it('keeps sort keys of one partition in order (strings by UTF-8 bytes)', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      const pk = keyValueBytes('S', { S: 'p' });
      const ka = itemKey(pk, keyValueBytes('S', { S: a }));
      const kb = itemKey(pk, keyValueBytes('S', { S: b }));
      assert.equal(Math.sign(Buffer.compare(ka, kb)), Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
    }));
  });
});
