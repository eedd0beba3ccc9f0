// The storage contract on the LMDB adapter, each case in its own directory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';
import { durableAdapter, runStorageContract } from './contract.js';
import { tempDir } from '../helpers/temp-dirs.js';

runStorageContract(durableAdapter('lmdb', () => tempDir('stratusdb-contract'), (path) => LmdbStorage.open(path)));

describe('lmdb adapter', () => {
  it('writes nothing when one key of a transaction is past LMDB\'s limit', async () => {
    const storage = await LmdbStorage.open(tempDir('stratusdb-lmdb'));
    try {
      const table = '0000000000000c01';
      await assert.rejects(storage.write([{ tableId: table, key: Uint8Array.of(1) }], () => ({
        writes: [{ json: '"kept?"', sizeBytes: 7 }],
        result: null,
        derived: [{ ref: { tableId: '0000000000000c02', key: new Uint8Array(2000) }, next: { json: '"entry"', sizeBytes: 7 } }],
      })), /exceeds LMDB's 1978/);
      assert.equal(await storage.getItem({ tableId: table, key: Uint8Array.of(1) }), undefined);
      assert.deepEqual(await storage.tableStats(table), { itemCount: 0, sizeBytes: 0 });
    } finally {
      await storage.close();
    }
  });
});
