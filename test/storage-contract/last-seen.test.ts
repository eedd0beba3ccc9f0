// What a PostgreSQL node remembers of the items it wrote (last-seen.ts): guesses, and the bounds that
// keep it small. Its guesses are checked by PostgreSQL (postgres-round-trips.test.ts); here, only
// what it remembers and forgets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LastSeen } from '../../src/storage/postgres/last-seen.js';

const item = (chars: number) => ({ json: `{"s":{"S":"${'x'.repeat(chars - 14)}"}}`, sizeBytes: chars });

describe('what a PostgreSQL node remembers of items', () => {
  it('guesses an item it never saw absent, and one it saw as it saw it', () => {
    const seen = new LastSeen();
    const a = LastSeen.key(Buffer.from('0001', 'hex'), Buffer.from('aa', 'hex'));
    const b = LastSeen.key(Buffer.from('0001', 'hex'), Buffer.from('bb', 'hex'));
    assert.equal(a, '0001aa');
    assert.deepEqual(seen.guess([a, b]), [undefined, undefined]);
    seen.saw(a, item(100));
    seen.saw(b, undefined);
    assert.deepEqual(seen.guess([a, b]), [item(100), undefined]);
    seen.forget([a]);
    assert.deepEqual(seen.guess([a]), [undefined]);
  });

  it('makes no guess for an item over 64 KB (it is read first)', () => {
    const seen = new LastSeen();
    seen.saw('k', item(64 * 1024 + 1));
    assert.equal(seen.guess(['k', 'other']), undefined);
    seen.saw('k', item(64 * 1024));
    assert.deepEqual(seen.guess(['k']), [item(64 * 1024)]);
  });

  it('forgets the least recently written first, past 8,192 items or 16 Mi characters', () => {
    const seen = new LastSeen();
    for (let i = 0; i < 8192; i++) seen.saw(`k${i}`, item(20));
    seen.saw('k0', item(21));
    seen.saw('k8192', item(20));
    // Full at 8,192: k1, now the least recently written, went; k0 was written again and stayed.
    assert.deepEqual(seen.guess(['k0', 'k1', 'k2', 'k8192']), [item(21), undefined, item(20), item(20)]);
    const big = new LastSeen();
    for (let i = 0; i < 257; i++) big.saw(`b${i}`, item(64 * 1024));
    // 257 × 64 Ki characters is past 16 Mi: the first went, the second stayed.
    assert.deepEqual(big.guess(['b0']), [undefined]);
    assert.deepEqual(big.guess(['b1']), [item(64 * 1024)]);
  });
});
