// The checker the multi-region strong consistency tests rely on (test/helpers/linearizability.ts):
// it accepts the histories a register allows and finds the ones it does not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearizable, type RegisterOp } from '../helpers/linearizability.js';

const write = (value: string, start: number, end: number): RegisterOp => ({ kind: 'write', value, start, end });
const read = (value: string | undefined, start: number, end: number): RegisterOp => ({ kind: 'read', value, start, end });

describe('the linearizability checker', () => {
  it('accepts sequential and overlapping histories a register allows', () => {
    assert.equal(linearizable([write('a', 0, 1), read('a', 2, 3), write('b', 4, 5), read('b', 6, 7)]), true);
    // A read overlapping a write may see either value; two overlapping reads may each see either, in a consistent order.
    assert.equal(linearizable([write('a', 0, 1), write('b', 2, 7), read('a', 3, 4), read('b', 5, 6)]), true);
    assert.equal(linearizable([read(undefined, 0, 3), write('a', 1, 2)]), true);
  });

  it('finds a stale read, a read of a value never written, and a new-then-old inversion', () => {
    assert.equal(linearizable([write('a', 0, 1), write('b', 2, 3), read('a', 4, 5)]), false);
    assert.equal(linearizable([write('a', 0, 1), read('z', 2, 3)]), false);
    // The write overlaps both reads, but the first read saw it, so the later one cannot miss it.
    assert.equal(linearizable([write('a', 0, 1), write('b', 2, 9), read('b', 3, 4), read('a', 5, 6)]), false);
  });

  it('lets a write whose outcome is unknown be placed after its start, or nowhere', () => {
    const unknown: RegisterOp = { kind: 'write', value: 'b', start: 2, end: Infinity, maybe: true };
    assert.equal(linearizable([write('a', 0, 1), unknown, read('a', 3, 4), read('b', 5, 6)]), true);
    assert.equal(linearizable([write('a', 0, 1), unknown, read('a', 3, 4)]), true);
    assert.equal(linearizable([write('a', 0, 1), unknown, read('b', 3, 4), read('a', 5, 6)]), false);
  });
});
