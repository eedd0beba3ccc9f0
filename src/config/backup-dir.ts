// Where on-demand backups go when --backup-dir is not given: beside the data (outside the store, so a
// backup survives the loss of the data directory) — PATH-backups for lmdb://PATH, ./.stratusdb-backups
// for a PostgreSQL store (set --backup-dir to a directory every node shares), and a temporary
// directory, removed at close, for an in-memory store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BackupDir {
  readonly path: string;
  /** Made for this process: removed when it closes. */
  readonly temporary: boolean;
}

export function backupDirFor(data: string, given: string | undefined): BackupDir {
  if (given !== undefined) return { path: resolve(given), temporary: false };
  if (data.startsWith('lmdb://')) return { path: `${resolve(data.slice('lmdb://'.length) || '.stratusdb')}-backups`, temporary: false };
  if (data.startsWith('postgres://') || data.startsWith('postgresql://')) return { path: resolve('.stratusdb-backups'), temporary: false };
  return { path: mkdtempSync(join(tmpdir(), 'stratusdb-backups-')), temporary: true };
}
