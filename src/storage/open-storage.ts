// Chooses a storage adapter by URL scheme: memory://, lmdb://PATH (relative paths allowed) or
// postgres://… (postgresql://…). Adapters load on demand, so an in-memory server never loads LMDB or pg.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Storage } from './storage.js';
import { isPostgresUrl } from './postgres/connection-url.js';

export async function openStorage(url: string): Promise<Storage> {
  if (url === 'memory://' || url === 'memory:') {
    const { MemoryStorage } = await import('./memory/memory-storage.js');
    return new MemoryStorage();
  }
  if (url.startsWith('lmdb://')) {
    const path = resolve(url.slice('lmdb://'.length) || '.stratusdb');
    mkdirSync(path, { recursive: true });
    const { LmdbStorage } = await import('./lmdb/lmdb-storage.js');
    return LmdbStorage.open(path);
  }
  if (isPostgresUrl(url)) {
    const { PostgresStorage } = await import('./postgres/postgres-storage.js');
    return PostgresStorage.open(url);
  }
  throw new Error(`unsupported --data URL '${url}': use lmdb://PATH, postgres://USER:PASSWORD@HOST:PORT/DATABASE or memory://`);
}
