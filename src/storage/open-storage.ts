// Chooses a storage adapter by URL scheme: memory:// or lmdb://PATH (relative paths allowed).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { LmdbStorage } from './lmdb/lmdb-storage.js';
import { MemoryStorage } from './memory/memory-storage.js';
import type { Storage } from './storage.js';

export function openStorage(url: string): Storage {
  if (url === 'memory://' || url === 'memory:') return new MemoryStorage();
  if (url.startsWith('lmdb://')) {
    const path = resolve(url.slice('lmdb://'.length) || '.stratusdb');
    mkdirSync(path, { recursive: true });
    return new LmdbStorage(path);
  }
  throw new Error(`unsupported --data URL '${url}': use lmdb://PATH or memory://`);
}
