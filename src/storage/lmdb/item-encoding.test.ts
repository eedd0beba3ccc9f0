import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeItem, encodeItem } from './item-encoding.js';

const where = (): string => 'here';
const item = { sizeBytes: 15, json: '{"id":{"S":"k1"},"n":{"N":"3"}}' };

describe('item encoding', () => {
  it('reads back what it wrote', () => {
    assert.deepEqual(decodeItem(encodeItem(item), true, where), item);
  });

  it('reports a changed byte instead of serving it', () => {
    const bytes = encodeItem(item);
    bytes[12] = (bytes[12] as number) ^ 1;
    assert.throws(() => decodeItem(bytes, true, where), { name: 'StorageFailure', message: /damaged \(checksum mismatch\) at here/ });
  });

  it('reads a value inside a larger shared buffer whose own length property bounds it, as lmdb-js answers', () => {
    // lmdb-js's getBinaryFast: one big buffer, reused, with `length` set to the value's size.
    const encoded = encodeItem(item);
    const shared = Buffer.alloc(4096, 0x7a);
    encoded.copy(shared);
    Object.defineProperty(shared, 'length', { value: encoded.length, writable: true, configurable: true });
    assert.deepEqual(decodeItem(shared, true, where), item);
  });

  it('reads items written before checksums, unless the store has them', () => {
    const legacy = Buffer.concat([Buffer.from([15, 0, 0, 0]), Buffer.from(item.json)]);
    assert.deepEqual(decodeItem(legacy, false, where), item);
    assert.throws(() => decodeItem(legacy, true, where), { name: 'StorageFailure', message: /damaged \(no checksum\)/ });
  });
});
