// The storage contract on the LMDB adapter, each case in its own directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStorage } from '../../src/storage/lmdb/lmdb-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { runStorageContract } from './contract.js';

const paths = new WeakMap<Storage, string>();

runStorageContract({
  name: 'lmdb',
  open() {
    const path = mkdtempSync(join(tmpdir(), 'stratusdb-contract-'));
    const storage = new LmdbStorage(path);
    paths.set(storage, path);
    return storage;
  },
  async reopen(storage) {
    const path = paths.get(storage) as string;
    await storage.close();
    const again = new LmdbStorage(path);
    paths.set(again, path);
    return again;
  },
});
