// `stratusdb check --data URL`: opens a store (refusing one a server has open) and verifies every
// table with engine/verify-store.ts; prints a line per table and each problem; exit 0 when sound.
// The walk runs in a child process: damage in LMDB's own pages can make LMDB abort the process
// reading them, and that, too, must end in a report.
import { spawnSync } from 'node:child_process';
import { verifyStore, type StoreReport } from '../engine/verify-store.js';
import { openStorage } from '../storage/open-storage.js';
import { StorageFailure } from '../errors/storage-failure.js';

/** Runs the check in a child process; resolves to the exit code. */
export function checkStoreIsolated(data: string, json: boolean, out: (text: string) => void, err: (text: string) => void): number {
  const args = [...process.execArgv, process.argv[1] as string, 'check', '--data', data, '--in-process', ...(json ? ['--json'] : [])];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  out(child.stdout);
  if (child.signal === null && child.status !== null) {
    err(child.stderr);
    return child.status;
  }
  const lmdb = /[^\n]*Assertion[^\n]*/.exec(child.stderr)?.[0];
  err(`stratusdb: reading ${data} stopped the checking process (${child.signal ?? 'no exit status'}${lmdb === undefined ? '' : `: ${lmdb.trim()}`}): the store is damaged; restore it from a backup\n`);
  return 1;
}

export async function checkStore(data: string, json: boolean, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let report: StoreReport;
  try {
    const storage = await openStorage(data);
    try {
      report = await verifyStore(storage);
    } finally {
      await storage.close();
    }
  } catch (error) {
    // What cannot be read at all is damage too (a store in use or a bad URL is not).
    if (error instanceof StorageFailure) out(`${data}: damaged (${error.message})\n`);
    else err(`stratusdb: ${(error as Error).message}\n`);
    return 1;
  }
  const sound = report.problems.length === 0 && report.tables.every((t) => t.problems.length === 0);
  if (json) {
    out(`${JSON.stringify({ data, sound, ...report }, null, 2)}\n`);
    return sound ? 0 : 1;
  }
  for (const problem of report.problems) out(`catalog: ${problem}\n`);
  for (const t of report.tables) {
    out(`${t.region}/${t.table}: ${t.items} items, ${t.problems.length === 0 ? 'ok' : `${t.problems.length} problem(s)`}\n`);
    for (const problem of t.problems) out(`  - ${problem}\n`);
  }
  out(sound ? `${data}: sound (${report.tables.length} tables)\n` : `${data}: damaged\n`);
  return sound ? 0 : 1;
}
