// The storage contract on the PostgreSQL adapter, each case in a schema of its own; and what only a
// store shared by several processes has: two adapters (two nodes) on one schema.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { freshSchemaUrl, postgresForTests } from '../helpers/postgres-cluster.js';
import { runStorageContract } from './contract.js';

const postgres = await postgresForTests();
if (typeof postgres === 'string') {
  console.log(`# ${postgres}`);
  describe('storage contract: postgres', { skip: postgres }, () => undefined);
} else {
  const urls = new WeakMap<Storage, string>();
  runStorageContract({
    name: 'postgres',
    async open() {
      const url = freshSchemaUrl(postgres.url);
      const storage = await PostgresStorage.open(url);
      urls.set(storage, url);
      return storage;
    },
    async reopen(storage) {
      const url = urls.get(storage) as string;
      await storage.close();
      const again = await PostgresStorage.open(url);
      urls.set(again, url);
      return again;
    },
  });
}
