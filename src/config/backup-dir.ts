// Where on-demand backups (--backup-dir) and exports (--s3-dir, standing in for S3) go when not given:
// beside the data (outside the store, so they survive the loss of the data directory) — PATH-backups
// and PATH-s3 for lmdb://PATH, ./.stratusdb-backups and ./.stratusdb-s3 for a PostgreSQL store (give
// every node one shared directory), and a temporary directory, removed at close, for an in-memory store.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BackupDir {
  readonly path: string;
  /** Made for this process: removed when it closes. */
  readonly temporary: boolean;
}

export function backupDirFor(data: string, given: string | undefined, suffix: 'backups' | 's3' = 'backups'): BackupDir {
  if (given !== undefined) return { path: resolve(given), temporary: false };
  if (data.startsWith('lmdb://')) return { path: `${resolve(data.slice('lmdb://'.length) || '.stratusdb')}-${suffix}`, temporary: false };
  if (data.startsWith('postgres://') || data.startsWith('postgresql://')) return { path: resolve(`.stratusdb-${suffix}`), temporary: false };
  // Made only when first written to (most in-memory servers never back up or export).
  return { path: join(tmpdir(), `stratusdb-${suffix}-${randomBytes(6).toString('hex')}`), temporary: true };
}
