// Temporary directories a test process makes, removed when the process exits (its servers are
// stopped by then): a test that keeps a data directory across a restart, or opens a store itself,
// leaves nothing behind in the system's temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/**
 * A new directory `<tmp>/<prefix>-XXXXXX` (or under `parent`), removed when this process exits (with
 * the `siblings`: `<dir>-<sibling>`).
 */
export function tempDir(prefix: string, siblings: readonly string[] = [], parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, `${prefix}-`));
  made.push(dir, ...siblings.map((sibling) => `${dir}-${sibling}`));
  return dir;
}
