// Starts a real `stratusdb` server process on a free port with its own data directory, and makes
// SDK clients for it. Conformance tests talk to StratusDB only through this.
//
// STRATUSDB_TEST_ENDPOINT=http://host:port points the suite at a server already running there
// (DynamoDB Local, to confirm a behaviour or a text; another StratusDB): each "server" is then a
// fresh access key on that endpoint (DynamoDB Local keeps one database per access key and region),
// and every test that needs a local process (flags, restarts, kill -9, the clock, the log) is
// skipped with the reason printed — mark such a test or describe with `localOnly`.
//
// STRATUSDB_TEST_STORAGE=postgres runs each server on PostgreSQL instead of LMDB: its data in a schema
// of its own (named for its data directory, so a restart finds it again) on STRATUSDB_TEST_POSTGRES.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { freshSchemaUrl } from './postgres-cluster.js';
import { tempDir } from './temp-dirs.js';

const cliPath = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;

/** The endpoint of a server the suite does not start (see above); undefined: each test starts its own. */
export const testEndpoint = process.env['STRATUSDB_TEST_ENDPOINT'];

/** Test options for what needs a local StratusDB process: skipped, with the reason, against STRATUSDB_TEST_ENDPOINT. */
export const localOnly: { readonly skip: string | false } = {
  skip: testEndpoint === undefined ? false : `needs a local StratusDB process (STRATUSDB_TEST_ENDPOINT is ${testEndpoint})`,
};

let remoteServers = 0;
/** A server that does not print its ready line within this time has failed to start (a safety net: starting takes well under a second). */
const startTimeoutMs = 60_000;

export interface ServerProcess {
  readonly endpoint: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  client(region?: string): DynamoDBClient;
  streamsClient(region?: string): DynamoDBStreamsClient;
  /** SIGTERM and wait for exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** Resolves to the exit code once the process has ended (sends nothing). */
  exited(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
  /** Stops the process and removes its data directory. */
  dispose(): Promise<void>;
  /** Moves the server's clock `ms` forward (a server started with --test-clock); resolves to its new time. */
  advanceClock(ms: number): Promise<number>;
  /** Holds the backups, restores, exports and imports that start from now (true), or lets them go (false) (a server started with --test-clock). */
  holdJobs(held: boolean): Promise<void>;
}

/** The storage conformance servers run on: lmdb (the default) or postgres. */
export const testStorage = process.env['STRATUSDB_TEST_STORAGE'] === 'postgres' ? 'postgres' : 'lmdb';

/** The --data URL of a server whose data directory is `dataDir`. */
export function dataUrl(dataDir: string): string {
  if (testStorage === 'lmdb') return `lmdb://${dataDir}`;
  const base = process.env['STRATUSDB_TEST_POSTGRES'];
  if (base === undefined || base === '') throw new Error('STRATUSDB_TEST_STORAGE=postgres needs STRATUSDB_TEST_POSTGRES=postgres://…');
  return freshSchemaUrl(base, `s${createHash('sha1').update(dataDir).digest('hex').slice(0, 24)}`);
}

/** `count` servers on one --data URL (several nodes on one PostgreSQL): the first alone (it creates the schema), the others together. */
export async function startNodes(count: number, options: { data: string; args?: readonly string[]; env?: Readonly<Record<string, string>> }): Promise<ServerProcess[]> {
  const first = await startServerProcess(options);
  return [first, ...(await Promise.all(Array.from({ length: count - 1 }, () => startServerProcess(options))))];
}

/**
 * A data directory for a server: removed when the test process exits (dispose removes the ones it made
 * at once), with the backup and S3 directories a server makes beside it by default.
 */
export function newDataDir(): string {
  return tempDir('stratusdb-test', ['backups', 's3']);
}

/** `data` stores the server's data at that --data URL instead of in its data directory (several servers on one PostgreSQL). */
export async function startServerProcess(options: { args?: readonly string[]; dataDir?: string; data?: string; env?: Readonly<Record<string, string>> } = {}): Promise<ServerProcess> {
  if (testEndpoint !== undefined) return remoteServer(testEndpoint);
  const dataDir = options.dataDir ?? newDataDir();
  // On PostgreSQL the backup and S3 directories default to the working directory: keep them in temporary
  // directories instead — beside the data directory, or shared by the nodes of one --data URL, as backups
  // must be — removed at the latest when the test process exits (a test's own flags come later and win).
  const postgres = options.data === undefined ? testStorage === 'postgres' : /^postgres(ql)?:\/\//.test(options.data);
  const files = !postgres ? undefined : options.data !== undefined ? sharedFilesDir(options.data) : dataDir;
  const beside = files === undefined ? [] : ['--backup-dir', `${files}-backups`, '--s3-dir', `${files}-s3`];
  const args = [cliPath, '--port', '0', '--data', options.data ?? dataUrl(dataDir), ...beside, ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), startTimeoutMs);
    const onData = (): void => {
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const clients: { destroy(): void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server: ServerProcess = {
    endpoint,
    dataDir,
    child,
    output: () => output,
    client(region = 'us-east-1') {
      const client = new DynamoDBClient({
        endpoint,
        region,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    streamsClient(region = 'us-east-1') {
      const client = new DynamoDBStreamsClient({ endpoint, region, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy();
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    exited() {
      return exited;
    },
    async kill() {
      for (const c of clients) c.destroy();
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async dispose() {
      await server.stop();
      if (options.dataDir === undefined) for (const dir of [dataDir, `${dataDir}-backups`, `${dataDir}-s3`]) rmSync(dir, { recursive: true, force: true });
    },
    async advanceClock(ms) {
      const res = await fetch(`${endpoint}/stratusdb/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: ms }) });
      if (res.status !== 200) throw new Error(`advancing the clock: HTTP ${res.status} ${await res.text()} (was the server started with --test-clock?)`);
      return ((await res.json()) as { now: number }).now;
    },
    async holdJobs(held) {
      const res = await fetch(`${endpoint}/stratusdb/jobs`, { method: 'POST', body: JSON.stringify({ hold: held }) });
      if (res.status !== 200) throw new Error(`holding jobs: HTTP ${res.status} ${await res.text()} (was the server started with --test-clock?)`);
    },
  };
  return server;
}

/** Per --data URL shared by several nodes: the directory their backup and S3 directories sit beside. */
const sharedFiles = new Map<string, string>();

function sharedFilesDir(data: string): string {
  let dir = sharedFiles.get(data);
  if (dir === undefined) {
    dir = tempDir('stratusdb-test-shared', ['backups', 's3']);
    sharedFiles.set(data, dir);
  }
  return dir;
}

/** A "server" on STRATUSDB_TEST_ENDPOINT: an access key of its own; nothing of a process to stop or read. */
function remoteServer(endpoint: string): ServerProcess {
  const accessKeyId = `AKIDTEST${process.pid}x${++remoteServers}`;
  const clients: { destroy(): void }[] = [];
  const local = (what: string) => (): never => {
    throw new Error(`${what} needs a local StratusDB process: mark the test localOnly`);
  };
  const credentials = { accessKeyId, secretAccessKey: 'secret' };
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    dataDir: '',
    get child(): ChildProcess {
      return local('child')();
    },
    output: local('output()'),
    client(region = 'us-east-1') {
      const client = new DynamoDBClient({ endpoint, region, credentials, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    streamsClient(region = 'us-east-1') {
      const client = new DynamoDBStreamsClient({ endpoint, region, credentials, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy();
      return 0;
    },
    exited: local('exited()'),
    kill: local('kill()'),
    async dispose() {
      for (const c of clients) c.destroy();
    },
    advanceClock: local('advanceClock()'),
    holdJobs: local('holdJobs()'),
  };
}
