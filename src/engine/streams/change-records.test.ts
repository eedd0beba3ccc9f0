// Unit tests of the pure stream code: sequence numbers and record keys keep stream order, iterators
// decode only what they encode, and appendRecords writes exactly one record per real change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { StoredItem } from '../../storage/storage.js';
import { appendRecords, isRecorded, streamTarget, type ItemChange } from './change-records.js';
import { parseSequenceNumber, recordKey, recordPosition, sequenceNumber, type StreamInfo } from './stream-info.js';
import { decodeIterator, encodeIterator } from './stream-reader.js';

const info: StreamInfo = {
  storageId: '0123456789abcdef', StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/T1/stream/2030-01-01T00:00:00.000',
  StreamLabel: '2030-01-01T00:00:00.000', TableName: 'T1', tableId: 'feedfacefeedface', namespace: 'us-east-1', region: 'us-east-1',
  StreamViewType: 'NEW_AND_OLD_IMAGES', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], createdAt: Date.UTC(2030, 0, 1),
};
const target = streamTarget(info, { clock: { now: () => 0 }, rolloverMs: 1000, committed: () => undefined });
const stored = (item: object, sizeBytes = 10): StoredItem => ({ json: JSON.stringify(item), sizeBytes });
const position = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 2 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

describe('sequence numbers and record keys', () => {
  it('round-trip, and order as (shard, counter) order — numerically and as bytes (fast-check)', () => {
    fc.assert(fc.property(position, position, ([k1, n1], [k2, n2]) => {
      const a = sequenceNumber(k1, n1);
      assert.match(a, /^[1-9][0-9]{20,}$/);
      assert.deepEqual(parseSequenceNumber(a), { shard: k1, counter: n1 });
      assert.deepEqual(recordPosition(recordKey(k1, n1)), { shard: k1, counter: n1 });
      const expected = Math.sign(k1 - k2 || n1 - n2);
      assert.equal(Math.sign(Number(BigInt(a) - BigInt(sequenceNumber(k2, n2)))), expected);
      assert.equal(Buffer.compare(recordKey(k1, n1), recordKey(k2, n2)), expected);
    }));
  });

  it('refuses text that is not one of ours', () => {
    for (const text of ['', '0', '100000000000000000000x', '010000000000000000001', '1'.repeat(41), '99999999999999999999999999999']) {
      assert.equal(parseSequenceNumber(text), undefined, text);
    }
  });
});

describe('shard iterators', () => {
  it('decode what they encode; anything else is undefined, never an exception (fast-check)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 2 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 45 }), (shard, next, issuedAt) => {
      const decoded = decodeIterator(encodeIterator(info, { shard, next, issuedAt }));
      assert.deepEqual(decoded, { arn: info.StreamArn, position: { shard, next, issuedAt } });
    }));
    fc.assert(fc.property(fc.string(), (text) => {
      const decoded = decodeIterator(text);
      assert.ok(decoded === undefined || typeof decoded.arn === 'string');
    }));
    assert.equal(decodeIterator(`${info.StreamArn}|1|${Buffer.from('4294967295.1.1').toString('base64url')}`), undefined);
  });
});

describe('appendRecords', () => {
  const a1 = { pk: { S: 'a' }, n: { N: '1' } };
  const cases: { name: string; change: ItemChange; recorded: boolean }[] = [
    { name: 'insert', change: { previous: undefined, next: stored(a1) }, recorded: true },
    { name: 'delete of a missing item', change: { previous: undefined, next: null }, recorded: false },
    { name: 'delete', change: { previous: stored(a1), next: null }, recorded: true },
    { name: 'identical text', change: { previous: stored(a1), next: stored(a1) }, recorded: false },
    { name: 'same item, other attribute order', change: { previous: stored(a1), next: stored({ n: { N: '1' }, pk: { S: 'a' } }) }, recorded: false },
    { name: 'same nested map, other order', change: { previous: stored({ pk: { S: 'a' }, m: { M: { x: { N: '1' }, y: { S: 'z' } } } }), next: stored({ pk: { S: 'a' }, m: { M: { y: { S: 'z' }, x: { N: '1' } } } }) }, recorded: false },
    { name: 'changed value, same size', change: { previous: stored(a1), next: stored({ pk: { S: 'a' }, n: { N: '2' } }) }, recorded: true },
    { name: 'changed size', change: { previous: stored(a1), next: stored({ pk: { S: 'a' }, n: { N: '1' }, x: { S: 'y' } }, 12) }, recorded: true },
  ];
  for (const { name, change, recorded } of cases) {
    it(`${recorded ? 'records' : 'does not record'}: ${name}`, () => {
      assert.equal(isRecorded(change), recorded);
      assert.equal(appendRecords(target, undefined, [change], info.createdAt) !== undefined, recorded);
    });
  }

  it('numbers records on from the head, rolls the shard over once the period is up, and marks TTL deletions', () => {
    const first = appendRecords(target, undefined, [{ previous: undefined, next: stored(a1) }, { previous: stored(a1), next: null }], info.createdAt + 5, 'ttl');
    assert.ok(first !== undefined);
    assert.deepEqual(JSON.parse(first.head.json), { n: 3, k: 0, since: info.createdAt });
    const [insert, remove] = first.records.map((r) => JSON.parse((r.next as StoredItem).json) as Record<string, unknown>);
    assert.equal((insert?.['dynamodb'] as Record<string, unknown>)['SequenceNumber'], '100000000000000000001');
    assert.equal((remove?.['dynamodb'] as Record<string, unknown>)['SequenceNumber'], '100000000000000000002');
    assert.deepEqual(remove?.['userIdentity'], { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
    const rolled = appendRecords(target, first.head, [{ previous: undefined, next: stored(a1) }], info.createdAt + 1000);
    assert.ok(rolled !== undefined);
    assert.deepEqual(JSON.parse(rolled.head.json), { n: 4, k: 1, since: info.createdAt + 1000 });
    // The new shard's start record, then the record itself, in shard 1.
    assert.deepEqual(JSON.parse((rolled.records[0]?.next as StoredItem).json), { since: info.createdAt + 1000, first: 3 });
    assert.equal((JSON.parse((rolled.records[1]?.next as StoredItem).json) as { dynamodb: { SequenceNumber: string } }).dynamodb.SequenceNumber, '200000000000000000003');
  });
});
