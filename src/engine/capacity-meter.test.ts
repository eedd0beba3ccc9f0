// How many partitions a table has: DynamoDB's documented rules, by throughput and by size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partitionCount } from './capacity-meter.js';

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
