// The faulty storage wrapper (--storage-faults): the storage contract holds through it with every
// decide checked; it catches a decide that is not pure; an injected commit failure stores nothing
// (items, derived entries, stats, catalog) and is a StorageFailure; failures follow their seed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultyStorage, parseStorageFaults } from '../../src/storage/faulty/faulty-storage.js';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.js';
import type { StoredItem } from '../../src/storage/storage.js';
import { runStorageContract } from './contract.js';

runStorageContract({ name: 'faulty wrapper over memory, decides checked', open: () => new FaultyStorage(new MemoryStorage(), parseStorageFaults('check')) });

const item = (json: string): StoredItem => ({ json, sizeBytes: json.length });
const table = '0000000000000f01';
const index = '0000000000000f02';

describe('faulty storage wrapper', () => {
  it('refuses a decide that answers differently for the same items, writing nothing', async () => {
    const s = new FaultyStorage(new MemoryStorage(), parseStorageFaults('check'));
    let calls = 0;
    await assert.rejects(
      s.write([{ tableId: table, key: Uint8Array.of(1) }], () => ({ writes: [item(`call ${++calls}`)], result: null })),
      { name: 'ImpureDecision', message: 'a write decide answered differently for the same items: write 0' },
    );
    assert.equal(await s.getItem({ tableId: table, key: Uint8Array.of(1) }), undefined);
    let results = 0;
    await assert.rejects(s.write([], () => ({ writes: [], result: { n: ++results } })), /answered differently for the same items: the result/);
    let catalogCalls = 0;
    await assert.rejects(s.updateCatalog(['k'], () => ({ changes: [{ key: 'k', value: String(++catalogCalls) }], result: null })), { name: 'ImpureDecision' });
    assert.deepEqual(await s.readCatalog(), []);
  });

  it('stores nothing of a write whose commit fails, and says so as a storage failure', async () => {
    const inner = new MemoryStorage();
    await inner.write([{ tableId: table, key: Uint8Array.of(1) }], () => ({ writes: [item('before')], result: null }));
    const s = new FaultyStorage(inner, parseStorageFaults('write=1'));
    await assert.rejects(s.write([{ tableId: table, key: Uint8Array.of(1) }, { tableId: table, key: Uint8Array.of(2) }], () => ({
      writes: [null, item('new')], result: null, derived: [{ ref: { tableId: index, key: Uint8Array.of(9) }, next: item('entry') }],
    })), { name: 'StorageFailure', message: 'commit failed: injected write failure (--storage-faults)' });
    assert.deepEqual(await s.getItem({ tableId: table, key: Uint8Array.of(1) }), item('before'));
    assert.equal(await s.getItem({ tableId: table, key: Uint8Array.of(2) }), undefined);
    assert.deepEqual(await s.readRange(index, {}, 10), []);
    assert.deepEqual(await s.tableStats(table), { itemCount: 1, sizeBytes: 6 });
    assert.deepEqual(await s.tableStats(index), { itemCount: 0, sizeBytes: 0 });
    const catalog = new FaultyStorage(new MemoryStorage(), parseStorageFaults('catalog=1'));
    await assert.rejects(catalog.updateCatalog([], () => ({ changes: [{ key: 'table/x', value: '{}' }], result: null })), {
      name: 'StorageFailure', message: 'commit failed: injected catalog failure (--storage-faults)',
    });
    assert.deepEqual(await catalog.readCatalog(), []);
  });

  it('fails the same commits for the same seed, and keeps exactly the others', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const s = new FaultyStorage(new MemoryStorage(), parseStorageFaults(`write=0.3,seed=${seed}`));
      const failed: number[] = [];
      for (let i = 0; i < 100; i++) {
        await s.write([{ tableId: table, key: Uint8Array.of(i) }], () => ({ writes: [item(`v${i}`)], result: null })).catch(() => failed.push(i));
      }
      const kept = (await s.readRange(table, {}, 1000)).map((e) => e.key[0] as number);
      assert.deepEqual(kept, Array.from({ length: 100 }, (_, i) => i).filter((i) => !failed.includes(i)));
      return failed;
    };
    const first = await run(7);
    assert.deepEqual(await run(7), first);
    assert.notDeepEqual(await run(8), first);
    assert.ok(first.length > 10 && first.length < 50, `${first.length} of 100 failed at rate 0.3`);
  });

  it('reads its settings, and names what it expected when it cannot', () => {
    assert.deepEqual(parseStorageFaults('check'), { writeFailures: 0, catalogFailures: 0, seed: 1 });
    assert.deepEqual(parseStorageFaults('write=0.25, catalog=0.5, seed=42'), { writeFailures: 0.25, catalogFailures: 0.5, seed: 42 });
    assert.throws(() => parseStorageFaults('write=2'), { message: "--storage-faults: 'write=2' is not one of write=FRACTION, catalog=FRACTION, seed=INTEGER, check" });
    assert.throws(() => parseStorageFaults('reads=0.1'), /'reads=0.1' is not one of/);
  });
});
