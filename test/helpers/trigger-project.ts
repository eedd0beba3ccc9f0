// Trigger tests' scaffolding: a project directory with a stratusdb.config.json, the fixture handlers'
// paths, reading what a recording handler saw, and the Python interpreter that has boto3.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dirs.js';

/** The fixture handlers' sources (test/fixtures/triggers in the repository, not dist). */
export const fixturesDir = fileURLToPath(new URL('../../../test/fixtures/triggers/', import.meta.url));

export interface Project {
  readonly dir: string;
  readonly configFile: string;
  /** A file path inside the project directory. */
  file(name: string): string;
}

export function writeProject(config: object | string, fileName = 'stratusdb.config.json'): Project {
  const dir = tempDir('stratusdb-triggers');
  const configFile = join(dir, fileName);
  writeFileSync(configFile, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return { dir, configFile, file: (name) => join(dir, name) };
}

export interface SeenInvocation {
  readonly requestId: string;
  readonly function: string;
  /** The worker thread that ran it (JS handlers). */
  readonly thread?: number;
  readonly remainingMs: number;
  readonly records: readonly { key: string; seq: string; event: string }[];
}

/** The invocations a recording handler logged to a file, in order. */
export function invocations(file: string): SeenInvocation[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as SeenInvocation);
}

/** The keys of each invocation, e.g. [['a','b'], ['c']]. */
export function batches(file: string): string[][] {
  return invocations(file).map((i) => i.records.map((r) => r.key));
}

/** Why Python handler tests are skipped on a machine without boto3. */
export const noBoto3 = 'no python3 that can import boto3 here (Debian: apt-get install python3-boto3, as .ci/run does)';

/** An interpreter that can import boto3: Debian's (installed by .ci/run), else the one on PATH; undefined when there is none. */
export function pythonWithBoto3(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import boto3'], { stdio: 'ignore', timeout: 120_000 });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}
