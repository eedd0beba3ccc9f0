// The servers a benchmark runs against, each in its own process: StratusDB (durable LMDB, and in
// memory), a baseline build of StratusDB (--baseline: another checkout's bin/stratusdb.mjs, durable, or in
// memory for --paired --memory),
// StratusDB on PostgreSQL (--data postgres://…, a schema of its own per start), dynalite (in memory,
// its default), and the null server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TargetName = 'stratusdb' | 'stratusdb-memory' | 'stratusdb-postgres' | 'baseline' | 'baseline-memory' | 'dynalite' | 'null';

export interface Target {
  readonly name: TargetName;
  readonly endpoint: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const stratusCli = new URL('../bin/stratusdb.mjs', import.meta.url).pathname;
const nullServer = new URL('./null-server.js', import.meta.url).pathname;
/** The CLI of the build --baseline names (its bundle, bin/stratusdb.mjs). */
let baselineCli: string | undefined;

export function useBaseline(cli: string): void {
  baselineCli = cli;
}

/** The PostgreSQL database --data names (bench --data postgres://…): each start gets a schema of its own there. */
let postgresUrl: string | undefined;

export function usePostgres(url: string): void {
  postgresUrl = url;
}

function dynaliteCli(): string {
  return createRequire(import.meta.url).resolve('dynalite/cli.js');
}

export function commandFor(name: TargetName, port: number, dataDir: string): string[] {
  switch (name) {
    case 'stratusdb':
      return [stratusCli, '--port', String(port), '--data', `lmdb://${dataDir}`, '--log-level', 'error'];
    case 'stratusdb-memory':
      return [stratusCli, '--port', String(port), '--data', 'memory://', '--log-level', 'error'];
    case 'stratusdb-postgres': {
      if (postgresUrl === undefined) throw new Error('the stratusdb-postgres target needs --data postgres://…');
      const url = new URL(postgresUrl);
      url.searchParams.set('schema', `bench_${process.pid}_${port}`);
      // Backups and exports beside the bench's directory, not in the working directory (stop() removes them).
      return [stratusCli, '--port', String(port), '--data', url.toString(), '--log-level', 'error', '--backup-dir', `${dataDir}-backups`, '--s3-dir', `${dataDir}-s3`];
    }
    case 'baseline':
      if (baselineCli === undefined) throw new Error('the baseline target needs --baseline PATH/TO/bin/stratusdb.mjs');
      return [baselineCli, '--port', String(port), '--data', `lmdb://${dataDir}`, '--log-level', 'error'];
    case 'baseline-memory':
      if (baselineCli === undefined) throw new Error('the baseline target needs --baseline PATH/TO/bin/stratusdb.mjs');
      return [baselineCli, '--port', String(port), '--data', 'memory://', '--log-level', 'error'];
    case 'dynalite':
      return [dynaliteCli(), '--port', String(port), '--createTableMs', '0'];
    case 'null':
      return [nullServer, String(port)];
  }
}

export async function startTarget(name: TargetName, port: number, extraArgs: readonly string[] = []): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratusdb-bench-'));
  const child = spawn(process.execPath, [...commandFor(name, port, dataDir), ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilServing(endpoint);
  return {
    name,
    endpoint,
    child,
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      // With it the backups and exports kept beside it (--backup-dir and --s3-dir default there).
      for (const dir of [dataDir, `${dataDir}-backups`, `${dataDir}-s3`]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the server answers any HTTP request; resolves with the time it took. */
export async function waitUntilServing(endpoint: string, pollMs = 2): Promise<void> {
  for (;;) {
    try {
      await fetch(endpoint, { method: 'POST', body: '{}' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}

/**
 * CPU time (user + system) a process has used so far, in microseconds, from /proc/<pid>/stat; with
 * `reaped`, also that of its children that have ended (cutime and cstime).
 */
export function cpuMicros(pid: number, reaped = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name (which may hold spaces, in parentheses): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0);
  return (ticks * 1_000_000) / clockTicksPerSecond;
}

/**
 * CPU time every PostgreSQL process on this machine has used so far (its backends serve the postgres
 * target), µs — with that of backends that have ended (the postmaster's reaped children), so that a
 * connection closed during a measurement does not take its time away.
 */
export function postgresCpuMicros(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuMicros(Number(entry), true);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** The kernel's clock ticks per second (USER_HZ): 100 on Linux for every architecture Node supports. */
const clockTicksPerSecond = 100;
