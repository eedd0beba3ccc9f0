// Commits that resolve only once durable, and fail cleanly when the disk refuses them (full, or an
// I/O error).
//
// lmdb-js commits with overlapping sync: a batch's commit is flushed to disk while the next batch
// is written, and `flushed` resolves once everything committed so far is on disk — one fsync for
// every write of a batch, never one at a time. Two of its failure modes are handled here: a failed
// commit rejects the transaction's promise and, besides, a `commitError` promise nobody holds (it
// would end the process as an unhandled rejection); and the flush promise of a batch whose commit
// failed never settles. So a writer waiting for a flush is switched, once any commit has failed, to
// an environment sync of its own (mdb_env_sync on a worker thread, which reports its errors).
import { statfsSync } from 'node:fs';
import type { RootDatabase } from 'lmdb';
import { StorageFailure } from '../../errors/storage-failure.js';

interface FlushWaiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class DurableCommits {
  /** Writers waiting for lmdb-js's flush of their commit. */
  private readonly waiting = new Set<FlushWaiter>();

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
      this.commitFailed();
      throw this.failure('commit', cause);
    }
  }

  /** Resolves once everything committed so far is on disk. */
  durable(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: FlushWaiter = { resolve, reject };
      this.waiting.add(waiter);
      this.root.flushed.then(() => {
        if (this.waiting.delete(waiter)) resolve();
      }, (error: unknown) => {
        if (this.waiting.delete(waiter)) reject(this.failure('flush', error));
      });
    });
  }

  /** A batch failed: the flushes waited on may never settle, so each waiter syncs for itself. */
  private commitFailed(): void {
    const waiters = [...this.waiting];
    this.waiting.clear();
    for (const waiter of waiters) this.sync().then(waiter.resolve, waiter.reject);
  }

  /** An environment sync: everything committed before it starts is on disk when it succeeds. */
  private sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      // lmdb-js's environment sync (mdb_env_sync on a worker thread); its typings do not declare it.
      (this.root as unknown as SyncingRoot).sync((error) => {
        if (error === undefined || error === null) resolve();
        else reject(this.failure('flush', error));
      });
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
