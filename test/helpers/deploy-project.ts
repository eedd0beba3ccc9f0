// `stratusdb deploy` tests' scaffolding: a fixture app (test/fixtures/deploy/<name>) copied where the
// test may change it — inside the repository's node_modules/.cache, so that its handlers' imports of
// the AWS SDK resolve as they would in the app's own project — and the deploy command run against a
// server, its output and exit code kept.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dirs.js';

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const cliPath = join(repository, 'dist', 'bin', 'stratusdb.mjs');
const fixtures = join(repository, 'test', 'fixtures', 'deploy');

export interface App {
  readonly dir: string;
  file(name: string): string;
  read(name: string): string;
  write(name: string, text: string): void;
  /** Replaces `from` (which must be there) with `to` in a file. */
  edit(name: string, from: string, to: string): void;
}

/** A copy of fixture app `name`, removed when this process exits. */
export function copyApp(name: string): App {
  const parent = join(repository, 'node_modules', '.cache', 'stratusdb-deploy-tests');
  mkdirSync(parent, { recursive: true });
  const dir = tempDir(name, [], parent);
  cpSync(join(fixtures, name), dir, { recursive: true });
  const file = (n: string): string => join(dir, n);
  return {
    dir,
    file,
    read: (n) => readFileSync(file(n), 'utf8'),
    write: (n, text) => writeFileSync(file(n), text),
    edit(n, from, to) {
      const text = readFileSync(file(n), 'utf8');
      if (!text.includes(from)) throw new Error(`${n} does not hold ${JSON.stringify(from)}`);
      writeFileSync(file(n), text.replace(from, to));
    },
  };
}

export interface DeployRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `stratusdb deploy <args>` in `cwd` against `endpoint`. */
export function deploy(endpoint: string, cwd: string, args: readonly string[]): Promise<DeployRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, 'deploy', ...args, '--endpoint', endpoint], {
      cwd, env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' },
    }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
