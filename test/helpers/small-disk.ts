// A small file system for disk-full tests: a tmpfs of its own when the tests run as root, or the
// directory STRATUSDB_TEST_TMPFS names (CI mounts one when it is not root); otherwise none, and the
// test says why it skips.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SmallDisk = { readonly path: string; release(): void } | { readonly skip: string };

export function smallDisk(sizeMiB: number): SmallDisk {
  const given = process.env['STRATUSDB_TEST_TMPFS'];
  if (given !== undefined && given !== '') {
    const path = mkdtempSync(join(given, 'disk-'));
    return { path, release: () => rmSync(path, { recursive: true, force: true }) };
  }
  if (process.getuid?.() !== 0) return { skip: 'mounting a small tmpfs needs root (or set STRATUSDB_TEST_TMPFS to a small file system)' };
  const path = mkdtempSync(join(tmpdir(), 'stratusdb-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', path], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(path, { recursive: true, force: true });
    return { skip: `could not mount a tmpfs: ${(mounted.stderr || mounted.error?.message || '').trim()}` };
  }
  return {
    path,
    release() {
      spawnSync('umount', [path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
