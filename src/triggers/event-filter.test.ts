import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileFilters } from './event-filter.js';

const matches = (pattern: unknown, record: unknown): boolean => compileFilters([{ where: 'p', pattern }])(record);
const insert = (stock: string, extra: object = {}) => ({
  eventName: 'INSERT', dynamodb: { Keys: { id: { S: 'vip-7' } }, NewImage: { id: { S: 'vip-7' }, stock: { N: stock }, tags: { SS: ['red', 'blue'] }, ...extra } },
});

describe('Lambda filter patterns', () => {
  it('matches literals, lists (any of), nesting and arrays in the record', () => {
    assert.equal(matches({ eventName: ['INSERT', 'MODIFY'] }, insert('1')), true);
    assert.equal(matches({ eventName: ['REMOVE'] }, insert('1')), false);
    assert.equal(matches({ dynamodb: { NewImage: { tags: { SS: ['blue'] } } } }, insert('1')), true);
    assert.equal(matches({ dynamodb: { NewImage: { tags: { SS: ['green'] } } } }, insert('1')), false);
    assert.equal(matches({ eventName: ['INSERT'], dynamodb: { Keys: { id: { S: ['other'] } } } }, insert('1')), false, 'fields are ANDed');
  });

  it('prefix, suffix, equals-ignore-case, anything-but', () => {
    assert.equal(matches({ dynamodb: { Keys: { id: { S: [{ prefix: 'vip-' }] } } } }, insert('1')), true);
    assert.equal(matches({ dynamodb: { Keys: { id: { S: [{ suffix: '-7' }] } } } }, insert('1')), true);
    assert.equal(matches({ eventName: [{ 'equals-ignore-case': 'insert' }] }, insert('1')), true);
    assert.equal(matches({ eventName: [{ 'anything-but': ['REMOVE'] }] }, insert('1')), true);
    assert.equal(matches({ eventName: [{ 'anything-but': 'INSERT' }] }, insert('1')), false);
    assert.equal(matches({ dynamodb: { Keys: { id: { S: [{ 'anything-but': { prefix: 'vip-' } }] } } } }, insert('1')), false);
  });

  it('numeric ranges read DynamoDB number strings', () => {
    const range = { dynamodb: { NewImage: { stock: { N: [{ numeric: ['>', 10, '<=', 20] }] } } } };
    assert.equal(matches(range, insert('15')), true);
    assert.equal(matches(range, insert('20')), true);
    assert.equal(matches(range, insert('10')), false);
    assert.equal(matches(range, insert('1e3')), false);
    assert.equal(matches({ dynamodb: { NewImage: { stock: { N: [{ numeric: ['=', 15] }] } } } }, insert('15.0')), true);
    assert.equal(matches({ dynamodb: { NewImage: { stock: { N: [{ numeric: ['>', 0] }] } } } }, insert('abc')), false);
  });

  it('exists true and false, null, and $or', () => {
    assert.equal(matches({ dynamodb: { OldImage: [{ exists: false }] } }, insert('1')), true);
    assert.equal(matches({ dynamodb: { NewImage: { stock: [{ exists: true }] } } }, insert('1')), true);
    assert.equal(matches({ dynamodb: { NewImage: { price: [{ exists: true }] } } }, insert('1')), false);
    assert.equal(matches({ dynamodb: { NewImage: { price: { N: [{ exists: false }] } } } }, insert('1')), true);
    assert.equal(matches({ eventName: [null] }, { eventName: null }), true);
    assert.equal(matches({ $or: [{ eventName: ['REMOVE'] }, { dynamodb: { Keys: { id: { S: ['vip-7'] } } } }] }, insert('1')), true);
    assert.equal(compileFilters([{ where: 'a', pattern: { eventName: ['REMOVE'] } }, { where: 'b', pattern: { eventName: ['INSERT'] } }])(insert('1')), true, 'filters are ORed');
  });

  it('rejects malformed patterns with the path of the mistake', () => {
    assert.throws(() => matches([], {}), /^Error: p: a pattern must be a JSON object$/);
    assert.throws(() => matches({ a: 'x' }, {}), /^Error: p\.a: match values must be in a list, e\.g\. \["x"\]$/);
    assert.throws(() => matches({ a: [{ wildcard: 'x*' }] }, {}), /^Error: p\.a\[0\]: unknown operator 'wildcard'/);
    assert.throws(() => matches({ a: [{ numeric: ['>'] }] }, {}), /^Error: p\.a\[0\]\.numeric: must be \[op, number\]/);
    assert.throws(() => matches({ a: [{ numeric: ['~', 1] }] }, {}), /^Error: p\.a\[0\]\.numeric\[0\]: expected an operator/);
    assert.throws(() => matches({ $or: [{ a: ['x'] }] }, {}), /^Error: p\.\$or: must be a list of at least two patterns$/);
    assert.throws(() => matches({ a: [{ prefix: 1 }] }, {}), /^Error: p\.a\[0\]\.prefix: must be a string$/);
  });

  it('never throws on any record once compiled', () => {
    const filter = compileFilters([{ where: 'p', pattern: { eventName: ['INSERT'], dynamodb: { NewImage: { n: { N: [{ numeric: ['>', 1] }] }, s: [{ exists: false }] } } } }]);
    fc.assert(fc.property(fc.jsonValue(), (record) => typeof filter(record) === 'boolean'), { numRuns: 500 });
  });
});
