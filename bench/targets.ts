// The servers a benchmark runs against, each in its own process: StratusDB (durable LMDB),
// dynalite (in memory, its default), and the null server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TargetName = 'stratusdb' | 'dynalite' | 'null';

export interface Target {
  readonly name: TargetName;
  readonly endpoint: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const stratusCli = new URL('../bin/stratusdb.mjs', import.meta.url).pathname;
const nullServer = new URL('./null-server.js', import.meta.url).pathname;

function dynaliteCli(): string {
  return createRequire(import.meta.url).resolve('dynalite/cli.js');
}

export function commandFor(name: TargetName, port: number, dataDir: string): string[] {
  switch (name) {
    case 'stratusdb':
      return [stratusCli, '--port', String(port), '--data', `lmdb://${dataDir}`, '--log-level', 'error'];
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
      rmSync(dataDir, { recursive: true, force: true });
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
