// Item sizes as DynamoDB computes them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeMap } from './attribute-value.js';
import { base64Bytes, itemSizeBytes } from './item-size.js';

describe('itemSizeBytes', () => {
  const cases: readonly [string, AttributeMap, number][] = [
    ['string by UTF-8 bytes', { s: { S: 'héllo' } }, 1 + 6],
    ['number', { n: { N: '12' } }, 1 + 2],
    ['binary by decoded bytes', { b: { B: 'AQID' } }, 1 + 3],
    ['boolean and null', { t: { BOOL: true }, z: { NULL: true } }, 2 + 2],
    ['string set', { ss: { SS: ['a', 'bc'] } }, 2 + 3],
    ['number set', { ns: { NS: ['1', '12'] } }, 2 + 4],
    ['empty list', { l: { L: [] } }, 1 + 3],
    ['list elements cost one byte each', { l: { L: [{ S: 'x' }, { N: '1' }] } }, 1 + 3 + 2 + 3],
    ['map entries cost one byte plus their name', { m: { M: { ab: { S: 'x' } } } }, 1 + 3 + 1 + 2 + 1],
    ['attribute names count in UTF-8', { 'né': { S: '' } }, 3],
  ];
  for (const [name, item, size] of cases) it(name, () => assert.equal(itemSizeBytes(item), size));

  it('decodes base64 lengths without decoding', () => {
    for (const bytes of [0, 1, 2, 3, 4, 5, 100]) assert.equal(base64Bytes(Buffer.alloc(bytes).toString('base64')), bytes);
  });
});
