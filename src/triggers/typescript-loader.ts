// TypeScript handlers: Node 20 cannot import .ts, so the handler and its relative imports are bundled
// into one ES module with esbuild (packages stay external). The bundle is written under the nearest
// node_modules/.cache, so the handler's package imports resolve from its own project as they would
// at deploy time.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export function isTypeScript(file: string): boolean {
  return /\.(m|c)?ts$/.test(file);
}

/** Where a handler's bundle goes: the nearest node_modules/.cache/stratusdb above it, else the temp dir. */
function bundleDir(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'stratusdb');
    if (dirname(dir) === dir) return join(tmpdir(), 'stratusdb-handlers');
  }
}

/** One esbuild at a time per process; it is stopped when idle so it never keeps the process alive. */
let building: Promise<unknown> = Promise.resolve();

/** The file to import for a handler: itself, or the ES module a TypeScript handler was bundled into. */
export async function importableHandler(file: string): Promise<string> {
  if (!isTypeScript(file)) return file;
  const outfile = join(bundleDir(file), `${basename(file).replace(/\.(m|c)?ts$/, '')}-${createHash('sha256').update(file).digest('hex').slice(0, 12)}.mjs`);
  const run = building.then(async () => {
    const esbuild = await import('esbuild-wasm');
    try {
      await esbuild.build({
        entryPoints: [file], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
        packages: 'external', sourcemap: 'inline', logLevel: 'silent',
      });
    } catch (error) {
      const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
      const first = errors[0];
      throw new Error(first === undefined ? String(error) : `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}`);
    } finally {
      await esbuild.stop();
    }
  });
  building = run.catch(() => undefined);
  await run;
  return outfile;
}
