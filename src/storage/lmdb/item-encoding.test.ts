import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredItem } from '../storage.js';
import { DamagedItem, decodeStored, encodeItem, intactItem } from './item-encoding.js';

/** A value as a point read hands it over: the item, or the StorageFailure naming where. */
const decodeItem = (value: Uint8Array, required: boolean, where: () => string): StoredItem => intactItem(decodeStored(value, value.length, required), where);

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

  it('reads a value from the start of a bigger buffer given its size, and from a plain Uint8Array, as lmdb-js hands its decoder', () => {
    const encoded = encodeItem(item);
    const shared = Buffer.alloc(4096, 0x7a);
    encoded.copy(shared);
    assert.deepEqual(decodeStored(shared, encoded.length, true), item);
    const mapped = new Uint8Array(new ArrayBuffer(encoded.length + 100), 50, encoded.length);
    mapped.set(encoded);
    assert.deepEqual(decodeStored(mapped, mapped.length, true), item);
  });

  it('decodes any bytes without throwing: damage is a value the reader reports with the key', () => {
    assert.deepEqual(decodeStored(Buffer.from([1, 2]), 2, true), new DamagedItem('2 bytes'));
    const bytes = encodeItem(item);
    bytes[bytes.length - 1] = 0x20;
    assert.deepEqual(decodeStored(bytes, bytes.length, false), new DamagedItem('checksum mismatch'));
    // A table's stats record from before sharded stats (16 bytes of two doubles) sits among items.
    const stats = Buffer.alloc(16);
    stats.writeDoubleLE(3, 0);
    stats.writeDoubleLE(1234, 8);
    assert.ok(decodeStored(stats, stats.length, true) instanceof DamagedItem);
  });

  it('reads items written before checksums, unless the store has them', () => {
    const legacy = Buffer.concat([Buffer.from([15, 0, 0, 0]), Buffer.from(item.json)]);
    assert.deepEqual(decodeItem(legacy, false, where), item);
    assert.throws(() => decodeItem(legacy, true, where), { name: 'StorageFailure', message: /damaged \(no checksum\)/ });
  });
});
