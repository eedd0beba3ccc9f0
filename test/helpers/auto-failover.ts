// The HA recipe of docs/deploy.md, for a test: pg_auto_failover (Debian's postgresql-NN-auto-failover)
// with a monitor and two PostgreSQL servers, each run by its keeper (pg_autoctl), the standby
// synchronous. The monitor's health checks are made faster than their defaults (a failover in
// seconds, not half a minute) — what an operator would tune too. As root the programs run as the
// postgres user (PostgreSQL refuses root). Without pg_autoctl the test is skipped, with the reason.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { asOwner, binDir, freePort, notInstalled, ownedDir } from './postgres-cluster.js';
import { until } from './until.js';

export interface AutoFailover {
  /** The --data URL naming both servers. */
  readonly url: string;
  /** The states the monitor holds, as "node:reported/goal" per node. */
  states(): Promise<string[]>;
  /** Kills the primary's keeper and PostgreSQL (kill -9): the monitor must promote the standby. */
  killPrimary(): Promise<void>;
  stop(): void;
}

/** Monitor settings: health checks every second, a node unhealthy after 3 s, a dead primary given up after 3 s. */
const monitorSettings = {
  'pgautofailover.health_check_period': '1000',
  'pgautofailover.health_check_timeout': '1000',
  'pgautofailover.health_check_retry_delay': '500',
  'pgautofailover.health_check_max_retries': '1',
  'pgautofailover.node_considered_unhealthy_timeout': '3000',
  'pgautofailover.primary_demote_timeout': '3000',
};

function onPath(program: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, program)));
}

/** A monitor and two servers, primary and synchronous standby, or the reason there are none. */
export async function startAutoFailover(): Promise<AutoFailover | string> {
  const bin = binDir();
  if (bin === undefined) return notInstalled;
  if (!onPath('pg_autoctl')) return 'pg_autoctl (Debian\'s postgresql-15-auto-failover) is not installed: the pg_auto_failover test is skipped';
  const dir = ownedDir();
  const [monitorPort, ...ports] = [await freePort(), await freePort(), await freePort()] as [number, number, number];
  /** The keepers by data directory name (monitor, node1, node2). */
  const keepers = new Map<string, ChildProcess>();
  // Each keeper in a process group of its own, so that one kill reaches it and its PostgreSQL.
  const run = (name: string, args: readonly string[]): void => {
    const env = [`XDG_CONFIG_HOME=${dir}/config`, `XDG_DATA_HOME=${dir}/share`, `HOME=${dir}`];
    const [command, ...rest] = asOwner('env', [...env, 'pg_autoctl', ...args]);
    keepers.set(name, spawn(command as string, rest, { detached: true, stdio: 'ignore', cwd: dir }));
  };
  const common = ['--pgctl', join(bin, 'pg_ctl'), '--hostname', '127.0.0.1', '--auth', 'trust', '--no-ssl', '--run'];
  const monitorUrl = `postgres://autoctl_node@127.0.0.1:${monitorPort}/pg_auto_failover?sslmode=disable`;
  const query = async <R extends object>(url: string, sql: string): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const states = async (): Promise<string[]> => (await query<{ s: string }>(monitorUrl, "SELECT nodeport || ':' || reportedstate || '/' || goalstate AS s FROM pgautofailover.node ORDER BY nodeid")).map((r) => r.s);
  const statesAre = (want: readonly string[]) => async () => {
    try {
      return JSON.stringify(await states()) === JSON.stringify(want);
    } catch {
      return false;
    }
  };
  const stop = (): void => {
    for (const keeper of keepers.values()) if (keeper.pid !== undefined) try { process.kill(-keeper.pid, 'SIGKILL'); } catch { /* gone */ }
    killUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);

  run('monitor', ['create', 'monitor', '--pgdata', join(dir, 'monitor'), '--pgport', String(monitorPort), ...common]);
  await until(async () => query(monitorUrl, 'SELECT 1').then(() => true, () => false), 'the pg_auto_failover monitor');
  const admin = `postgres://postgres@127.0.0.1:${monitorPort}/pg_auto_failover`;
  for (const [name, value] of Object.entries(monitorSettings)) await query(admin, `ALTER SYSTEM SET ${name} = '${value}'`);
  await query(admin, 'SELECT pg_reload_conf()');
  const node = (n: number): void => {
    run(`node${n}`, ['create', 'postgres', '--pgdata', join(dir, `node${n}`), '--pgport', String(ports[n - 1]), '--username', 'stratusdb', '--dbname', 'stratusdb', '--monitor', monitorUrl, ...common]);
  };
  node(1);
  await until(statesAre([`${ports[0]}:single/single`]), 'the first server, alone');
  node(2);
  // The standby's base backup waits for a checkpoint, spread over minutes: a CHECKPOINT on the primary
  // while it waits makes that one finish at once.
  const primaryAdmin = `postgres://postgres@127.0.0.1:${ports[0]}/stratusdb`;
  await until(async () => {
    if (await statesAre([`${ports[0]}:primary/primary`, `${ports[1]}:secondary/secondary`])()) return true;
    await query(primaryAdmin, 'CHECKPOINT').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return false;
  }, 'a primary and its synchronous standby');
  return {
    url: `postgres://stratusdb@127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}/stratusdb`,
    states,
    async killPrimary() {
      const primary = (await states()).find((s) => s.includes(':primary/'));
      const name = `node${ports.findIndex((p) => primary?.startsWith(`${p}:`)) + 1}`;
      const keeper = keepers.get(name);
      if (keeper?.pid === undefined) throw new Error(`no primary among ${JSON.stringify(await states())}`);
      process.kill(-keeper.pid, 'SIGKILL');
      killUnder(dir, name);
    },
    stop,
  };
}

/**
 * Kills (-9) every process working in `dir` (or `dir`/`only`): PostgreSQL's processes run in their
 * data directory, the keepers in `dir`. A postmaster killed alone can leave children behind.
 */
function killUnder(dir: string, only?: string): void {
  const root = only === undefined ? dir : join(dir, only);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === root || cwd.startsWith(`${root}/`)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Gone meanwhile, or not ours to see.
    }
  }
}
