// PostgreSQL for the tests that need it: STRATUSDB_TEST_POSTGRES=postgres://… names a server to use
// (.ci/run starts one); otherwise a throwaway cluster is made with initdb in a temporary directory on
// a free port, for this test process only, when PostgreSQL's programs are installed (as root they run
// as the `postgres` user: initdb and postgres refuse root). Without them the tests are skipped, with
// the reason printed.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface PostgresForTests {
  /** A URL of a database the tests may create schemas in. */
  readonly url: string;
}

/** The directory holding initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
export function binDir(): string | undefined {
  // The directory pg_ctl really lives in (the PATH may hold links to a few of the programs only).
  for (const dir of (process.env['PATH'] ?? '').split(':')) if (dir !== '' && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dirname(realpathSync(join(dir, 'pg_ctl')));
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort().reverse()) {
      const dir = join(debian, version, 'bin');
      if (existsSync(join(dir, 'pg_ctl'))) return dir;
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Runs a PostgreSQL program, as the postgres user when this process is root. */
export function asOwner(program: string, args: readonly string[]): string[] {
  if (process.getuid?.() !== 0) return [program, ...args];
  return ['runuser', '-u', 'postgres', '--', program, ...args];
}

let started: Promise<PostgresForTests | string> | undefined;

/** PostgreSQL for a test file's suites: its URL, or, with no URL, why they are skipped (printed here). */
export async function postgresForSuite(): Promise<{ readonly url: string; readonly skip: string | false }> {
  const postgres = await postgresForTests();
  if (typeof postgres !== 'string') return { url: postgres.url, skip: false };
  console.log(`# ${postgres}`);
  return { url: '', skip: postgres };
}

/** PostgreSQL for this test process, or the reason there is none (print it and skip). */
export function postgresForTests(): Promise<PostgresForTests | string> {
  started ??= start();
  return started;
}

async function start(): Promise<PostgresForTests | string> {
  const given = process.env['STRATUSDB_TEST_POSTGRES'];
  if (given !== undefined && given !== '') return { url: given };
  const bin = binDir();
  if (bin === undefined) return notInstalled;
  const server = await startCluster(bin, '');
  process.once('exit', () => server.stop());
  return { url: server.url };
}

export const notInstalled = 'PostgreSQL is not installed (no initdb/pg_ctl on the PATH or in /usr/lib/postgresql): the PostgreSQL tests are skipped';

/** One PostgreSQL server of a throwaway cluster. */
export interface PostgresServer {
  readonly url: string;
  readonly port: number;
  /** The data directory. */
  readonly data: string;
  /** Stops the server as a crash would (pg_ctl -m immediate: no shutdown checkpoint), keeping its files. */
  crash(): void;
  /** Stops it and removes its files. */
  stop(): void;
}

function runAsOwner(bin: string, program: string, args: readonly string[]): void {
  const [command, ...rest] = asOwner(join(bin, program), args);
  execFileSync(command as string, rest, { stdio: 'pipe' });
}

/** A directory the PostgreSQL programs may write (owned by the postgres user when this process is root). */
export function ownedDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  return dir;
}

/** Starts a server on a free port: a new cluster (initdb), or, given `standbyOf`, a streaming standby of that server. */
async function startCluster(bin: string, settings: string, standbyOf?: PostgresServer): Promise<PostgresServer> {
  const dir = ownedDir();
  const data = join(dir, 'data');
  if (standbyOf === undefined) runAsOwner(bin, 'initdb', ['-D', data, '-U', 'stratusdb', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  else runAsOwner(bin, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(standbyOf.port), '-U', 'stratusdb', '-D', data, '-R', '-X', 'stream']);
  // A port found free may be taken by another test process before the server binds it: another, then.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      runAsOwner(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c max_connections=300 ${settings}`, 'start']);
      break;
    } catch (error) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
      if (attempt >= 3 || !/could not bind|Address already in use/.test(log)) throw error;
    }
  }
  let stopped = false;
  const halt = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      runAsOwner(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
  };
  return {
    url: `postgres://stratusdb@127.0.0.1:${port}/postgres`,
    port,
    data,
    crash: halt,
    stop() {
      halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A primary with one synchronous standby: a commit returns only once the standby has it on disk. */
export interface ReplicatedPostgres {
  readonly primary: PostgresServer;
  readonly standby: PostgresServer;
  /** Promotes the standby to primary (what a failover manager does once the primary is gone). */
  promote(): void;
  stop(): void;
}

/** A replicated pair of throwaway servers, or the reason there is none (print it and skip). */
export async function startReplicatedPostgres(): Promise<ReplicatedPostgres | string> {
  const bin = binDir();
  if (bin === undefined) return notInstalled;
  if (!existsSync(join(bin, 'pg_basebackup'))) return `pg_basebackup is not installed beside ${bin}/pg_ctl: the failover test is skipped`;
  const primary = await startCluster(bin, "-c wal_level=replica -c synchronous_standby_names='*'");
  const standby = await startCluster(bin, '', primary);
  const pair: ReplicatedPostgres = {
    primary,
    standby,
    promote: () => runAsOwner(bin, 'pg_ctl', ['-D', standby.data, '-w', 'promote']),
    stop() {
      standby.stop();
      primary.stop();
    },
  };
  process.once('exit', () => pair.stop());
  return pair;
}

let schemas = 0;

/** A postgres:// URL of a schema no one else uses (the store StratusDB makes in it starts empty). */
export function freshSchemaUrl(base: string, name = `t${process.pid}_${++schemas}`): string {
  const url = new URL(base);
  url.searchParams.set('schema', name);
  return url.toString();
}
