// Commits that resolve only once durable, and fail cleanly when the disk refuses them (full, or an
// I/O error). lmdb-js reports a failed commit by rejecting the transaction's promise and, besides,
// a commitError promise nobody holds, which would end the process as an unhandled rejection (see
// also eventTurnBatching in lmdb-storage.ts). And its `flushed` is never settled for a failed batch,
// so a write waiting on it would hang: durability is awaited with env sync calls instead, which
// report their errors. A sync started after a commit covers it; one sync serves every commit made
// before it starts.
import { statfsSync } from 'node:fs';
import type { RootDatabase } from 'lmdb';
import { StorageFailure } from '../../errors/storage-failure.js';

export class DurableCommits {
  /** A sync not yet started, and the commits waiting for it. */
  private next: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;
  private syncing = false;

  constructor(
    private readonly root: RootDatabase,
    private readonly path: string,
  ) {}

  /** Runs an lmdb-js transaction; resolves with its result once the commit is on disk. */
  async commit<T>(transaction: () => Promise<T>): Promise<T> {
    const result = await this.committed(transaction);
    await this.durable();
    return result;
  }

  /** Runs an lmdb-js transaction; resolves once it is committed (visible), not yet durable. */
  async committed<T>(transaction: () => Promise<T>): Promise<T> {
    try {
      return await transaction();
    } catch (error) {
      // lmdb-js: "Commit failed (see commitError for details)", the cause in a promise of its own.
      const commitError = (error as { commitError?: Promise<unknown> }).commitError;
      const cause = commitError === undefined ? error : await commitError.then(() => error, (reason: unknown) => reason);
      throw this.failure('commit', cause);
    }
  }

  /** Resolves once everything committed so far is on disk. */
  durable(): Promise<void> {
    if (this.next !== undefined) return this.next.promise;
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.next = { promise, resolve, reject };
    if (!this.syncing) this.startSync();
    return promise;
  }

  private startSync(): void {
    const batch = this.next;
    if (batch === undefined) return;
    this.next = undefined;
    this.syncing = true;
    // lmdb-js's environment sync (mdb_env_sync on a worker thread); its typings do not declare it.
    (this.root as unknown as SyncingRoot).sync((error) => {
      this.syncing = false;
      if (error === undefined || error === null) batch.resolve();
      else batch.reject(this.failure('flush', error));
      this.startSync();
    });
  }

  /** The error a failed commit or flush is reported as, with what the disk says. */
  private failure(step: 'commit' | 'flush', cause: unknown): StorageFailure {
    const text = cause instanceof Error ? cause.message : String(cause);
    return new StorageFailure(`${step} failed on ${this.path}: ${text}${freeSpace(this.path)}`);
  }
}

interface SyncingRoot {
  sync(callback: (error?: Error | string | null) => void): void;
}

/** "; N bytes free" on the file system holding the path, when that can be read. */
function freeSpace(path: string): string {
  try {
    const fs = statfsSync(path);
    return `; ${fs.bavail * fs.bsize} bytes free on its file system`;
  } catch {
    return '';
  }
}
