// How many partitions a table has (DynamoDB's documented rules, by throughput and by size), and which
// holds a key: equal ranges of the key digests, as a Scan meets them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partitionCount, partitionOf } from './capacity-meter.js';

const provisioned = (read: number, write: number) => ({ BillingMode: 'PROVISIONED' as const, ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write, NumberOfDecreasesToday: 0 } });
const gb = 1024 ** 3;

describe('partitionCount', () => {
  it('gives a table a partition per 3,000 reads and 1,000 writes a second, and one per 10 GB, whichever needs more', () => {
    assert.equal(partitionCount(provisioned(5, 5)), 1);
    assert.equal(partitionCount(provisioned(1000, 4000)), 5); // ⌈1000/3000 + 4000/1000⌉
    assert.equal(partitionCount(provisioned(5, 5), 10 * gb), 1);
    assert.equal(partitionCount(provisioned(5, 5), 10 * gb + 1), 2);
    assert.equal(partitionCount(provisioned(1000, 4000), 35 * gb), 5);
    assert.equal(partitionCount(provisioned(1000, 4000), 55 * gb), 6);
    // On-demand: four to start with, more for size.
    assert.equal(partitionCount({ ...provisioned(0, 0), BillingMode: 'PAY_PER_REQUEST' }), 4);
    assert.equal(partitionCount({ ...provisioned(0, 0), BillingMode: 'PAY_PER_REQUEST' }, 45 * gb), 5);
  });
});

describe('partitionOf', () => {
  const key = (...head: number[]): Uint8Array => Uint8Array.from([...head, 0x99, 0x99]);
  it('splits the digests into equal ranges, in order', () => {
    assert.equal(partitionOf(1, key(0xff, 0xff, 0xff, 0xff)), 0);
    assert.equal(partitionOf(4, key(0, 0, 0, 0)), 0);
    assert.equal(partitionOf(4, key(0x3f, 0xff, 0xff, 0xff)), 0);
    assert.equal(partitionOf(4, key(0x40, 0, 0, 0)), 1);
    assert.equal(partitionOf(4, key(0xbf, 0xff, 0xff, 0xff)), 2);
    assert.equal(partitionOf(4, key(0xff, 0xff, 0xff, 0xff)), 3);
    // Five: the fifth range starts at 4/5 of the space (0xcccccccd).
    assert.equal(partitionOf(5, key(0xcc, 0xcc, 0xcc, 0xcc)), 3);
    assert.equal(partitionOf(5, key(0xcc, 0xcc, 0xcc, 0xcd)), 4);
  });
});
